/**
 * The API contract of outcomes (issue 17): one patient's NHS Talking Therapies outcome (card,
 * patient page, the patient's own page), the outcome dashboards (aggregates only, small cells
 * suppressed, GPs as anonymous points) and the patient's education answer. Imports only contract
 * and domain.
 */
import { Type, type Static } from 'typebox';
import { DASHBOARD_SCOPES } from '../domain/access/outcome-dashboards.js';
import { WORK_STATUSES } from '../domain/instruments/wsas.js';
import {
  AGE_GROUPS,
  EDUCATION_GROUPS,
  EQUITY_DIMENSIONS,
  FUNNEL_STAGES,
  UPTAKE_STEPS,
} from '../domain/outcomes/implementation.js';
import { OUTCOME_MEASURES } from '../domain/outcomes/talking-therapies.js';
import { literalUnion, Nullable } from './common.js';
import { FunnelPlot } from './research.js';

const Iso = Type.String();
const Flag = Nullable(Type.Boolean());

/** GET /api/patients/:patientId/outcome, and `outcome` on the follow-up card. */
export const PatientOutcome = Type.Object({
  provisional: Type.Boolean(),
  basis: Nullable(literalUnion(['phq9_and_gad7', 'phq9_only'] as const)),
  flags: Nullable(
    Type.Object({
      caseness_at_start: Flag,
      reliable_improvement: Flag,
      reliable_deterioration: Flag,
      recovery: Flag,
      reliable_recovery: Flag,
    })
  ),
  measures: Type.Array(
    Type.Object({
      measure: literalUnion(OUTCOME_MEASURES),
      first: Type.Integer(),
      last: Type.Integer(),
      firstAt: Iso,
      lastAt: Iso,
      change: Type.Integer(),
      direction: literalUnion([
        'reliable_improvement',
        'reliable_deterioration',
        'no_reliable_change',
      ] as const),
      casenessAtStart: Type.Boolean(),
      casenessAtEnd: Type.Boolean(),
      caseness: Type.Integer(),
      reliableChange: Type.Integer(),
    })
  ),
  wsas: Nullable(Type.Object({ first: Type.Integer(), last: Type.Integer(), firstAt: Iso, lastAt: Iso })),
  workStatus: Nullable(Type.String()),
});
export type PatientOutcome = Static<typeof PatientOutcome>;

export const OUTCOME_RATE_KEYS = [
  'reliable_improvement',
  'recovery',
  'reliable_recovery',
  'reliable_deterioration',
] as const;
export const COMPARISON_INDICATORS = ['started', 'finished', 'reliable_improvement', 'recovery'] as const;
export const WORK_STATUS_GROUPS = [...WORK_STATUSES, 'unknown'] as const;

/** A count or share that may be suppressed (null). */
const Count = Nullable(Type.Integer());
const Share = Nullable(Type.Number());

export const OutcomeDashboard = Type.Object({
  scope: literalUnion(DASHBOARD_SCOPES),
  generatedAt: Iso,
  suppressionThreshold: Type.Integer(),
  funnel: Type.Array(
    Type.Object({ stage: literalUnion(FUNNEL_STAGES), count: Count, shareOfPrevious: Share })
  ),
  outcomes: Type.Object({
    finished: Count,
    withPairedScores: Count,
    casesAtStart: Count,
    rates: Type.Array(
      Type.Object({
        outcome: literalUnion(OUTCOME_RATE_KEYS),
        count: Count,
        denominator: Count,
        share: Share,
      })
    ),
  }),
  equity: Type.Array(
    Type.Object({
      dimension: literalUnion(EQUITY_DIMENSIONS),
      step: literalUnion(UPTAKE_STEPS),
      groups: Type.Array(
        Type.Object({
          group: literalUnion([
            'female',
            'male',
            ...AGE_GROUPS,
            ...WORK_STATUS_GROUPS,
            ...EDUCATION_GROUPS,
          ] as const),
          denominator: Count,
          count: Count,
          share: Share,
        })
      ),
      /** Over education rank (low → high) only: > 0 means more among the better educated. */
      concentrationIndex: Nullable(
        Type.Object({ estimate: Type.Number(), lo: Type.Number(), hi: Type.Number() })
      ),
    })
  ),
});
export type OutcomeDashboard = Static<typeof OutcomeDashboard>;

export const DashboardComparison = Type.Array(
  Type.Object({
    indicator: literalUnion(COMPARISON_INDICATORS),
    /** null: fewer than two GPs with patients, so no funnel plot can be drawn. */
    plot: Nullable(FunnelPlot),
    /** The caller's own figure (GPs only), with where it lies against the 95 % and 99.8 % limits. */
    own: Nullable(
      Type.Object({
        count: Count,
        denominator: Count,
        share: Share,
        flag95: Nullable(literalUnion(['below', 'inside', 'above'] as const)),
        flag998: Nullable(literalUnion(['below', 'inside', 'above'] as const)),
      })
    ),
  })
);
export type DashboardComparison = Static<typeof DashboardComparison>;

/** GET /api/gp/outcomes: the GP's own figures and the platform's, with anonymous funnel plots. */
export const GpOutcomes = Type.Object({
  own: OutcomeDashboard,
  platform: OutcomeDashboard,
  comparison: DashboardComparison,
});
export type GpOutcomes = Static<typeof GpOutcomes>;

/** GET /api/gp/practice/outcomes */
export const PracticeOutcomes = Type.Object({ practice: OutcomeDashboard });
export type PracticeOutcomes = Static<typeof PracticeOutcomes>;

/** GET /api/research/outcomes */
export const PlatformOutcomes = Type.Object({ platform: OutcomeDashboard, comparison: DashboardComparison });
export type PlatformOutcomes = Static<typeof PlatformOutcomes>;

export const EducationAnswerValue = literalUnion([...EDUCATION_GROUPS, 'declined'] as const);

/** GET /api/patients/:patientId/education (the patient themself only). */
export const EducationStatus = Type.Object({
  asked: Type.Boolean(),
  /** null: not asked, or the answer was deleted. */
  education: Nullable(literalUnion(EDUCATION_GROUPS)),
  answeredAt: Nullable(Iso),
});
export type EducationStatus = Static<typeof EducationStatus>;

/** PUT /api/patients/:patientId/education: an answer needs consent to its purpose; "declined" stores none. */
export const EducationAnswer = Type.Object(
  { answer: EducationAnswerValue, consent: Type.Boolean() },
  { additionalProperties: false }
);
export type EducationAnswer = Static<typeof EducationAnswer>;

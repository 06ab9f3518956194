/**
 * The API contract of follow-up (issue 12 §2): the plan, the patient's agenda, the GP's card, the
 * treat-to-target decisions, the consultation note, the recommendation with its suitability check,
 * invitation codes and the timeline. One TypeBox schema per shape: the server validates and
 * serialises with it, the web takes its types from the `Static<…>` exports, so the two cannot drift.
 *
 * Request schemas are exactly what the routes have always validated (their `Type.Enum`s included,
 * so a refused request is named the same way); values the server emits from a fixed set (severity,
 * status, module ids) are unions of literals, so the web gets precise types.
 *
 * Over 400 lines because it is the whole follow-up API in one place (the web imports one file);
 * the card alone is a fifth of it.
 */
import { Type, type Static } from 'typebox';
import { CONTRAINDICATIONS, GUIDANCE_LEVELS } from '../domain/followup/plan.js';
import { Gad7Severity, Nullable, Phq9Severity, Uuid, WsasBand } from './common.js';
import { PatientOutcome } from './outcomes.js';

export { Gad7Severity, Phq9Severity, WsasBand };

// --- enums ------------------------------------------------------------------------------------

export const FollowUpModuleId = Type.Union([
  Type.Literal('m1'),
  Type.Literal('m2'),
  Type.Literal('m3'),
  Type.Literal('m4'),
  Type.Literal('m5'),
]);
export type FollowUpModuleId = Static<typeof FollowUpModuleId>;

export const FollowUpStatus = Type.Union([
  Type.Literal('planned'),
  Type.Literal('done'),
  Type.Literal('cancelled'),
  Type.Literal('missed'),
]);
export type FollowUpStatus = Static<typeof FollowUpStatus>;

export const FollowUpKind = Type.Union([
  Type.Literal('module'),
  Type.Literal('check_in'),
  Type.Literal('extra'),
]);
export type FollowUpKind = Static<typeof FollowUpKind>;

export const EnrolmentStatus = Type.Union([
  Type.Literal('not_recommended'),
  Type.Literal('recommended'),
  Type.Literal('active'),
  Type.Literal('finished'),
  Type.Literal('stopped'),
]);
export type EnrolmentStatus = Static<typeof EnrolmentStatus>;

export const GuidanceLevel = Type.Union([
  Type.Literal('guided'),
  Type.Literal('minimal'),
  Type.Literal('self'),
]);
export type GuidanceLevel = Static<typeof GuidanceLevel>;

export const SickLeaveStatus = Type.Union([
  Type.Literal('none'),
  Type.Literal('graded'),
  Type.Literal('full'),
]);
export type SickLeaveStatus = Static<typeof SickLeaveStatus>;

/** A treat-to-target decision (what the GP chose at a checkpoint). */
export const DECISIONS = [
  'continue',
  'more_gp_talks',
  'consider_medication',
  'low_threshold_service',
  'refer_dps',
] as const;
export const DecisionChoice = Type.Union([
  Type.Literal('continue'),
  Type.Literal('more_gp_talks'),
  Type.Literal('consider_medication'),
  Type.Literal('low_threshold_service'),
  Type.Literal('refer_dps'),
]);
export type DecisionChoice = Static<typeof DecisionChoice>;

// --- parameters shared by the routes ----------------------------------------------------------

export const PatientFollowUpParams = Type.Object(
  { patientId: Uuid, followUpId: Uuid },
  { additionalProperties: false }
);
export type PatientFollowUpParams = Static<typeof PatientFollowUpParams>;

export const LangQuery = Type.Object(
  { lang: Type.Optional(Type.Enum(['nb', 'en'] as const)) },
  { additionalProperties: false }
);
export type LangQuery = Static<typeof LangQuery>;

// --- the plan -----------------------------------------------------------------------------------

export const FollowUp = Type.Object({
  id: Uuid,
  plannedAt: Type.String(),
  durationMinutes: Type.Integer(),
  moduleId: Nullable(FollowUpModuleId),
  kind: FollowUpKind,
  status: FollowUpStatus,
  gp: Type.Object({ id: Uuid, displayName: Type.String() }),
  heldAt: Nullable(Type.String()),
});
export type FollowUp = Static<typeof FollowUp>;

/** GET/POST /api/patients/:patientId/follow-ups, PATCH …/follow-ups/:followUpId. */
export const FollowUpList = Type.Object({ items: Type.Array(FollowUp) });
export type FollowUpList = Static<typeof FollowUpList>;

export const NewFollowUpBody = Type.Object(
  {
    plannedAt: Type.String({ format: 'date-time' }),
    durationMinutes: Type.Integer({ minimum: 5, maximum: 120 }),
    moduleId: Type.Optional(Type.Enum(['m1', 'm2', 'm3', 'm4', 'm5'] as const)),
  },
  { additionalProperties: false }
);
export type NewFollowUpBody = Static<typeof NewFollowUpBody>;

export const FollowUpChangeBody = Type.Object(
  {
    plannedAt: Type.Optional(Type.String({ format: 'date-time' })),
    durationMinutes: Type.Optional(Type.Integer({ minimum: 5, maximum: 120 })),
    status: Type.Optional(Type.Enum(['cancelled', 'missed'] as const)),
    /** Hand the follow-up to a colleague in the same practice (e.g. while away). */
    gpUserId: Type.Optional(Uuid),
  },
  { additionalProperties: false, minProperties: 1 }
);
export type FollowUpChangeBody = Static<typeof FollowUpChangeBody>;

// --- the patient's agenda -----------------------------------------------------------------------

export const AgendaBody = Type.Object(
  { talkAbout: Type.String({ maxLength: 1000 }), tried: Type.String({ maxLength: 1000 }) },
  { additionalProperties: false }
);
export type AgendaBody = Static<typeof AgendaBody>;

/** PUT …/agenda: what was saved, and when. */
export const SavedAgenda = Type.Object({
  talkAbout: Type.String(),
  tried: Type.String(),
  updatedAt: Type.String(),
});
export type SavedAgenda = Static<typeof SavedAgenda>;

/** GET …/agenda: empty texts and no time when the patient wrote nothing yet. */
export const Agenda = Type.Object({
  talkAbout: Type.String(),
  tried: Type.String(),
  updatedAt: Nullable(Type.String()),
});
export type Agenda = Static<typeof Agenda>;

// --- the card -----------------------------------------------------------------------------------

const Iso = Type.String();

/** GET /api/patients/:patientId/follow-ups/:followUpId/card. */
export const FollowUpCard = Type.Object({
  followUp: Type.Object({
    id: Uuid,
    plannedAt: Iso,
    durationMinutes: Type.Integer(),
    moduleId: Nullable(FollowUpModuleId),
    status: FollowUpStatus,
  }),
  patient: Type.Object({
    id: Uuid,
    displayName: Type.String(),
    birthYear: Type.Integer(),
    sex: Type.String(),
  }),
  agenda: Nullable(Type.Object({ talkAbout: Type.String(), tried: Type.String(), updatedAt: Iso })),
  sinceLastTime: Type.Object({
    since: Iso,
    modulesCompleted: Type.Array(FollowUpModuleId),
    modulesCompletedTotal: Type.Integer(),
    /** Exercise entries saved or changed since the last follow-up (a count; content only if shared). */
    exercisesDone: Type.Integer(),
    exercisesSaved: Type.Integer(),
    minutesSpent: Type.Integer(),
    homework: Type.Object({ moduleId: FollowUpModuleId, title: Type.String(), description: Type.String() }),
  }),
  scores: Type.Object({
    phq9: Type.Array(
      Type.Object({ answeredAt: Iso, total: Type.Integer(), severity: Phq9Severity, item9: Type.Integer() })
    ),
    wsas: Type.Array(
      Type.Object({
        answeredAt: Iso,
        total: Type.Integer(),
        band: WsasBand,
        workStatus: Nullable(Type.String()),
      })
    ),
    gad7: Type.Array(Type.Object({ answeredAt: Iso, total: Type.Integer(), severity: Gad7Severity })),
    baselinePhq9: Nullable(Type.Integer()),
    changeSinceBaseline: Nullable(Type.Integer()),
    /** Treat to target as the worklist sees it (domain/followup/treat-to-target.ts). */
    target: Type.Object({
      checkpoint: Nullable(Type.Union([Type.Literal(4), Type.Literal(8)])),
      signal: Nullable(Type.Boolean()),
      improvementPercent: Nullable(Type.Integer()),
    }),
  }),
  alerts: Type.Array(
    Type.Object({ id: Uuid, item9Score: Type.Integer(), answeredAt: Iso, acknowledgedAt: Nullable(Iso) })
  ),
  /** Message thread messages since the last held follow-up (issue 17), oldest first. */
  messagesSince: Type.Array(
    Type.Object({
      id: Uuid,
      threadId: Uuid,
      subject: Type.String(),
      authorRole: Type.Union([Type.Literal('patient'), Type.Literal('gp'), Type.Literal('guide')]),
      authorName: Type.String(),
      body: Type.String(),
      sentAt: Iso,
    })
  ),
  shared: Type.Array(
    Type.Object({
      id: Uuid,
      moduleId: FollowUpModuleId,
      exerciseTitle: Type.String(),
      updatedAt: Iso,
      answers: Type.Array(
        Type.Object({
          label: Type.String(),
          value: Type.Union([Type.String(), Type.Number(), Type.Array(Type.String()), Type.Null()]),
        })
      ),
    })
  ),
  module: Type.Object({
    id: FollowUpModuleId,
    /** False before the patient has completed any module (the digest is then a preview). */
    completedByPatient: Type.Boolean(),
    number: Type.Integer(),
    title: Type.String(),
    digest: Type.Array(Type.String()),
    questions: Type.Array(Type.String()),
    bridges: Type.Array(Type.Object({ context: Type.String(), text: Type.String() })),
  }),
  /** NHS Talking Therapies outcome so far (domain/outcomes/patient-outcome.ts). */
  outcome: PatientOutcome,
  work: Type.Object({
    workStatus: Nullable(Type.String()),
    sickLeave: Nullable(
      Type.Object({
        status: SickLeaveStatus,
        percent: Nullable(Type.Integer()),
        from: Nullable(Type.String()),
        to: Nullable(Type.String()),
      })
    ),
  }),
  previousNotes: Type.Array(
    Type.Object({ createdAt: Iso, discussed: Type.String(), plan: Type.String(), nextStep: Type.String() })
  ),
  /** Treat-to-target decisions already recorded, so the card asks only for the ones due. */
  decisions: Type.Array(Type.Object({ week: Type.Integer(), choice: DecisionChoice, decidedAt: Iso })),
  program: Type.Object({
    status: EnrolmentStatus,
    guidanceLevel: Nullable(GuidanceLevel),
    startedAt: Nullable(Iso),
  }),
});
export type FollowUpCard = Static<typeof FollowUpCard>;

// --- treat-to-target decisions ------------------------------------------------------------------

export const DecisionBody = Type.Object(
  {
    week: Type.Integer({ minimum: 0, maximum: 52 }),
    choice: Type.Enum(DECISIONS),
    note: Type.Optional(Type.String({ maxLength: 2000 })),
  },
  { additionalProperties: false }
);
export type DecisionBody = Static<typeof DecisionBody>;

/** POST /api/patients/:patientId/decisions: what the decision changes in the plan. */
export const DecisionRecorded = Type.Object({ choice: DecisionChoice, planChange: Type.String() });
export type DecisionRecorded = Static<typeof DecisionRecorded>;

// --- the consultation note ----------------------------------------------------------------------

export const NoteBody = Type.Object(
  {
    discussed: Type.String({ maxLength: 4000 }),
    plan: Type.String({ maxLength: 4000 }),
    nextStep: Type.String({ maxLength: 2000 }),
    mode: Type.Enum(['in_person', 'video', 'phone'] as const),
    durationMinutes: Type.Integer({ minimum: 1, maximum: 180 }),
    sickLeave: Type.Object(
      {
        status: Type.Enum(['none', 'graded', 'full'] as const),
        percent: Type.Union([Type.Integer({ minimum: 1, maximum: 99 }), Type.Null()]),
        from: Type.Union([Type.String({ format: 'date' }), Type.Null()]),
        to: Type.Union([Type.String({ format: 'date' }), Type.Null()]),
      },
      { additionalProperties: false }
    ),
    /** The fee codes the GP confirmed (suggested ones or others). */
    feeCodes: Type.Array(Type.String({ pattern: '^[0-9a-z]{1,6}$' }), { maxItems: 10 }),
    language: Type.Enum(['nb', 'en'] as const),
  },
  { additionalProperties: false }
);
export type NoteBody = Static<typeof NoteBody>;

/** POST …/note: the text for the record, fee-code suggestions, and the next planned talk. */
export const NoteWritten = Type.Object({
  noteText: Type.String(),
  feeCodeSuggestions: Type.Array(Type.Object({ code: Type.String(), why: Type.String() })),
  nextFollowUp: Nullable(Type.Object({ id: Uuid, plannedAt: Type.String() })),
});
export type NoteWritten = Static<typeof NoteWritten>;

// --- the recommendation and invitations ---------------------------------------------------------

/** GET /api/patients/:patientId/recommendation/check. */
export const Suitability = Type.Object({
  level: Type.Enum(['ok', 'no_baseline', 'needs_decision'] as const),
  reasons: Type.Array(Type.Enum(['severe', 'item9_positive'] as const)),
  /** PHQ-9 15-19: see the patient more often (does not block). */
  advice: Type.Array(Type.Enum(['see_more_often'] as const)),
  /** The checklist to ask, and the items the record already shows (the birth year). */
  checklist: Type.Array(Type.Enum(CONTRAINDICATIONS)),
  knownPresent: Type.Array(Type.Enum(CONTRAINDICATIONS)),
  latestPhq9: Nullable(
    Type.Object({
      total: Type.Integer(),
      severity: Phq9Severity,
      item9: Type.Integer(),
      answeredAt: Type.String(),
    })
  ),
});
export type Suitability = Static<typeof Suitability>;

/** A code shown once to the GP to print for the patient. */
export const Invitation = Type.Object({
  code: Type.String(),
  expiresAt: Type.String(),
  /** The page where the patient types the code. The code itself is never put in a URL. */
  path: Type.String(),
});
export type Invitation = Static<typeof Invitation>;

export const RecommendationBody = Type.Object(
  {
    guidanceLevel: Type.Enum(GUIDANCE_LEVELS),
    /** Required when the suitability check asks for a decision: why self-help is still right. */
    decisionNote: Type.Optional(Type.String({ maxLength: 1000 })),
    /** The checklist, asked: each contraindication present, with the reason to go ahead. */
    contraindications: Type.Array(
      Type.Object(
        {
          item: Type.Enum(CONTRAINDICATIONS),
          reasonToProceed: Type.String({ maxLength: 1000 }),
        },
        { additionalProperties: false }
      ),
      { maxItems: CONTRAINDICATIONS.length }
    ),
  },
  { additionalProperties: false }
);
export type RecommendationBody = Static<typeof RecommendationBody>;

/** POST /api/patients/:patientId/recommendation: the plan made at once, and maybe a code. */
export const Recommendation = Type.Object({
  recommendedAt: Type.String(),
  guidanceLevel: GuidanceLevel,
  followUps: Type.Array(
    Type.Object({
      id: Uuid,
      plannedAt: Type.String(),
      durationMinutes: Type.Integer(),
      moduleId: Nullable(FollowUpModuleId),
    })
  ),
  /** Null when the patient already logs in: they find the program in their account. */
  invitation: Nullable(Invitation),
});
export type Recommendation = Static<typeof Recommendation>;

export const RedeemInvitationBody = Type.Object(
  {
    code: Type.String({ minLength: 6, maxLength: 20 }),
    /** Used only when the patient has no account yet. */
    username: Type.Optional(Type.String({ minLength: 3, maxLength: 64, pattern: '^[a-zA-Z0-9._-]+$' })),
    password: Type.String({ minLength: 1, maxLength: 128 }),
  },
  { additionalProperties: false }
);
export type RedeemInvitationBody = Static<typeof RedeemInvitationBody>;

/** POST /api/invitations/redeem: the patient is logged in (cookie) with this CSRF token. */
export const InvitationRedeemed = Type.Object({ username: Type.String(), csrfToken: Type.String() });
export type InvitationRedeemed = Static<typeof InvitationRedeemed>;

// --- the timeline -------------------------------------------------------------------------------

export const TimelineItem = Type.Object({
  at: Type.String(),
  kind: Type.String(),
  detail: Type.Record(Type.String(), Type.Union([Type.String(), Type.Number(), Type.Null()])),
});
export type TimelineItem = Static<typeof TimelineItem>;

/** GET /api/patients/:patientId/timeline, newest first. */
export const Timeline = Type.Object({ items: Type.Array(TimelineItem) });
export type Timeline = Static<typeof Timeline>;

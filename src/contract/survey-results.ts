/**
 * The researcher's survey results and export (issue 14, "Results", "Export"): weighted and
 * unweighted shares with 95 % CIs, the respondents against the frame, the weighting with its design
 * effect, and cross-tables with the cells disclosure control hides as null (never a count). The
 * export is one zip of the bundle and needs the researcher's password again.
 */
import { Type, type Static } from 'typebox';
import { Nullable, Uuid } from './common.js';

export const SurveyResultsParams = Type.Object({ surveyId: Uuid }, { additionalProperties: false });
export type SurveyResultsParams = Static<typeof SurveyResultsParams>;

/** `Questionnaire.version` of a survey version (the export can be limited to one). */
export const SurveyVersionLabel = Type.String({ minLength: 1, maxLength: 64 });

export const SurveyResultsQuery = Type.Object(
  {
    version: Type.Optional(SurveyVersionLabel),
    /** The wave analysed (default baseline, else the first wave met). */
    wave: Type.Optional(Type.String({ minLength: 1, maxLength: 32, pattern: '^[A-Za-z0-9_-]+$' })),
  },
  { additionalProperties: false }
);
export type SurveyResultsQuery = Static<typeof SurveyResultsQuery>;

export const SurveyReportQuery = Type.Object(
  {
    lang: Type.Optional(Type.Union([Type.Literal('nb'), Type.Literal('en')])),
    version: Type.Optional(SurveyVersionLabel),
  },
  { additionalProperties: false }
);
export type SurveyReportQuery = Static<typeof SurveyReportQuery>;

const LocalText = Type.Object({ nb: Type.String(), en: Type.String() });

/** An estimate with its 95 % interval; null where it cannot be estimated (nobody answered). */
const Interval = Type.Object({
  estimate: Nullable(Type.Number()),
  lower: Nullable(Type.Number()),
  upper: Nullable(Type.Number()),
});

export const ShareResult = Type.Object({
  code: Type.String(),
  /** Respondents giving this answer; null when hidden by disclosure control (cross-tables). */
  n: Nullable(Type.Integer()),
  /** The share among those who answered, Wilson interval. */
  unweighted: Interval,
  /** The raking-weighted share, interval by linearisation; `se` its standard error. */
  weighted: Type.Object({
    estimate: Nullable(Type.Number()),
    lower: Nullable(Type.Number()),
    upper: Nullable(Type.Number()),
    se: Nullable(Type.Number()),
  }),
});

export const ItemShares = Type.Object({
  linkId: Type.String(),
  text: LocalText,
  type: Type.String(),
  repeats: Type.Boolean(),
  likert: Type.Boolean(),
  options: Type.Array(Type.Object({ code: Type.String(), display: LocalText })),
  eligible: Type.Integer(),
  answered: Type.Integer(),
  missing: Type.Integer(),
  weightedAnswered: Nullable(Type.Number()),
  shares: Type.Array(ShareResult),
});

export const FrameComparisonResult = Type.Object({
  attribute: Type.String(),
  rows: Type.Array(
    Type.Object({
      category: Type.String(),
      frame: Type.Integer(),
      framePercent: Nullable(Type.Number()),
      respondents: Type.Integer(),
      respondentPercent: Nullable(Type.Number()),
      /** Respondents' percentage minus the frame's, in percentage points. */
      differencePp: Nullable(Type.Number()),
      weightedPercent: Nullable(Type.Number()),
    })
  ),
});

export const WeightingSummary = Type.Object({
  margins: Type.Array(Type.String()),
  converged: Type.Boolean(),
  iterations: Type.Integer(),
  maxRelativeDeviation: Type.Number(),
  collapses: Type.Array(Type.Object({ margin: Type.String(), from: Type.String(), into: Type.String() })),
  trim: Nullable(
    Type.Object({
      lower: Type.Number(),
      upper: Type.Number(),
      rounds: Type.Integer(),
      outside: Type.Integer(),
      minRatio: Type.Number(),
      maxRatio: Type.Number(),
    })
  ),
  n: Type.Integer(),
  minWeight: Type.Number(),
  maxWeight: Type.Number(),
  /** Kish's design effect of unequal weighting, 1 + CV². */
  designEffect: Type.Number(),
  effectiveN: Type.Number(),
});

export const CrossTableResult = Type.Object({
  item: Type.String(),
  by: Type.String(),
  levels: Type.Array(Type.String()),
  codes: Type.Array(Type.String()),
  cells: Type.Array(
    Type.Object({
      level: Type.String(),
      /** null: the level's total is hidden (1-4, or it would reveal one). */
      answered: Nullable(Type.Integer()),
      shares: Type.Array(ShareResult),
    })
  ),
});

export const SurveyResultsResponse = Type.Object({
  surveyId: Uuid,
  kind: Type.Union([Type.Literal('identified'), Type.Literal('anonymous')]),
  title: LocalText,
  questionnaireVersion: Type.String(),
  versions: Type.Array(Type.String()),
  wave: Type.String(),
  response: Type.Object({
    invited: Type.Integer(),
    complete: Type.Integer(),
    partial: Type.Integer(),
    responseRate: Nullable(Type.Number()),
  }),
  frameComparison: Type.Array(FrameComparisonResult),
  /** null for an anonymous survey (no frame: every weight is 1). */
  weighting: Nullable(WeightingSummary),
  items: Type.Array(ItemShares),
  crossTables: Type.Array(CrossTableResult),
  warnings: Type.Array(Type.Object({ kind: Type.String(), message: Type.String() })),
  /** Counts from 1 to this minus one are hidden in cross-tables. */
  suppressionThreshold: Type.Integer(),
});
export type SurveyResultsResponse = Static<typeof SurveyResultsResponse>;

export const SurveyExportBody = Type.Object(
  {
    /** The researcher's own password, entered again: an export is personal data leaving. */
    password: Type.String({ minLength: 1, maxLength: 128 }),
    /** Only the responses to this questionnaire version (default: the latest fielded, all responses). */
    version: Type.Optional(SurveyVersionLabel),
    /** Labels in the load scripts and the primary codebook text. */
    language: Type.Union([Type.Literal('nb'), Type.Literal('en')]),
    /** Long: one row per response; wide: one row per respondent, columns per wave. */
    form: Type.Union([Type.Literal('long'), Type.Literal('wide')]),
  },
  { additionalProperties: false }
);
export type SurveyExportBody = Static<typeof SurveyExportBody>;

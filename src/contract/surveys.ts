/**
 * The API contract of the study's surveys (issue 14): the researcher's surveys, questionnaire
 * versions, sampling frame, invitations, practice links and monitoring; and the respondent's
 * questionnaire, saves and submission (by invitation token, or anonymously by a practice link).
 *
 * A Questionnaire is FHIR JSON and its answers are FHIR-shaped (`{ linkId: [ { valueCoding … } ] }`):
 * the schemas here check the envelope only, and the server's checks (the questionnaire's
 * validation, `checkAnswers`) name the item and the reason for anything inside, so a problem is
 * reported as `answers.<linkId>` rather than as a JSON-schema path.
 */
import { Type, type Static } from 'typebox';
import { literalUnion, Nullable, Uuid } from './common.js';

export const SURVEY_KINDS = ['identified', 'anonymous'] as const;
export const SurveyKind = literalUnion(SURVEY_KINDS);
export type SurveyKind = Static<typeof SurveyKind>;

export const SURVEY_STATUSES = ['draft', 'open', 'closed'] as const;
export const SurveyStatus = literalUnion(SURVEY_STATUSES);
export type SurveyStatus = Static<typeof SurveyStatus>;

/** A FHIR R4 Questionnaire (checked in depth by the server, which names the item at fault). */
export const QuestionnaireJson = Type.Object(
  { resourceType: Type.Literal('Questionnaire') },
  { additionalProperties: true }
);

/** A wave label: baseline, 6m, 12m … */
export const WaveLabel = Type.String({ minLength: 1, maxLength: 32, pattern: '^[A-Za-z0-9_-]+$' });

// --- researcher: surveys and versions ------------------------------------------------------------

export const CreateSurveyBody = Type.Object(
  {
    kind: SurveyKind,
    title: Type.String({ minLength: 1, maxLength: 200 }),
    questionnaire: QuestionnaireJson,
    /** Days after the invitation when non-responders are reminded; default [7, 14]. */
    reminderDays: Type.Optional(
      Type.Array(Type.Integer({ minimum: 1, maximum: 90 }), { maxItems: 5, uniqueItems: true })
    ),
    /** E-mails sent per minute at most; default 60. */
    sendRatePerMinute: Type.Optional(Type.Integer({ minimum: 1, maximum: 10_000 })),
  },
  { additionalProperties: false }
);
export type CreateSurveyBody = Static<typeof CreateSurveyBody>;

export const SurveyParams = Type.Object({ surveyId: Uuid }, { additionalProperties: false });
export type SurveyParams = Static<typeof SurveyParams>;

/** A questionnaire version as `Questionnaire.version` names it ("1", "1.1.0", "2026-autumn"). */
export const QuestionnaireVersion = Type.String({ minLength: 1, maxLength: 64 });

export const SurveyVersionParams = Type.Object(
  { surveyId: Uuid, version: QuestionnaireVersion },
  { additionalProperties: false }
);
export type SurveyVersionParams = Static<typeof SurveyVersionParams>;

export const SurveyVersionSummary = Type.Object({
  /** 1, 2, 3 … in the order the versions were saved. */
  sequence: Type.Integer(),
  version: Type.String(),
  fingerprint: Type.String(),
  createdAt: Type.String(),
  fieldedAt: Nullable(Type.String()),
  /** Items that take an answer. */
  questions: Type.Integer(),
});
export type SurveyVersionSummary = Static<typeof SurveyVersionSummary>;

export const SurveySummary = Type.Object({
  id: Uuid,
  kind: SurveyKind,
  title: Type.String(),
  status: SurveyStatus,
  reminderDays: Type.Array(Type.Integer()),
  sendRatePerMinute: Type.Integer(),
  createdAt: Type.String(),
  openedAt: Nullable(Type.String()),
  closedAt: Nullable(Type.String()),
  /** `Questionnaire.version` of the latest version. */
  latestVersion: Type.String(),
});
export type SurveySummary = Static<typeof SurveySummary>;

export const SurveyList = Type.Object({ items: Type.Array(SurveySummary) });
export type SurveyList = Static<typeof SurveyList>;

export const PracticeLink = Type.Object({
  practiceId: Uuid,
  practiceName: Type.String(),
  wave: Type.String(),
  slug: Type.String(),
  /** Where the respondent goes (path of the web app); the poster's QR code holds the full URL. */
  path: Type.String(),
  url: Type.String(),
});
export type PracticeLink = Static<typeof PracticeLink>;

export const SurveyDetail = Type.Object({
  survey: SurveySummary,
  versions: Type.Array(SurveyVersionSummary),
  frameSize: Type.Integer(),
  practiceLinks: Type.Array(PracticeLink),
});
export type SurveyDetail = Static<typeof SurveyDetail>;

export const SurveyVersionDetail = Type.Object({
  sequence: Type.Integer(),
  version: Type.String(),
  fingerprint: Type.String(),
  fieldedAt: Nullable(Type.String()),
  questionnaire: Type.Unknown(),
});
export type SurveyVersionDetail = Static<typeof SurveyVersionDetail>;

export const QuestionnaireBody = Type.Object(
  { questionnaire: QuestionnaireJson },
  { additionalProperties: false }
);
export type QuestionnaireBody = Static<typeof QuestionnaireBody>;

/**
 * What an edit did (domain/surveys/version.ts decides): a new version was stored, the version not
 * yet fielded was replaced in place (nobody has been sent it), or nothing changed (same content).
 * An edit that keeps the version of a fielded questionnaire is stored as the next version, and
 * `note` says so.
 */
export const VersionOutcome = literalUnion(['created', 'replaced', 'unchanged'] as const);
export const SurveyVersionResult = Type.Object({
  version: Type.String(),
  sequence: Type.Integer(),
  outcome: VersionOutcome,
  fingerprint: Type.String(),
  note: Nullable(Type.String()),
});
export type SurveyVersionResult = Static<typeof SurveyVersionResult>;

// --- researcher: frame, invitations, practice links ----------------------------------------------

export const FrameImportBody = Type.Object(
  {
    /** The frame as CSV text (UTF-8, comma or semicolon separated, a header row first). */
    csv: Type.String({ minLength: 1, maxLength: 5_000_000 }),
    /** Check only: report what would be imported and rejected, and save nothing. */
    dryRun: Type.Optional(Type.Boolean()),
  },
  { additionalProperties: false }
);
export type FrameImportBody = Static<typeof FrameImportBody>;

export const FrameReject = Type.Object({
  /** Line number in the file (the header is line 1). */
  line: Type.Integer(),
  field: Type.String(),
  reason: Type.String(),
});
export type FrameReject = Static<typeof FrameReject>;

export const FrameImportReport = Type.Object({
  /** Data rows in the file (the header not counted). */
  rows: Type.Integer(),
  /** Rows that passed every check. */
  accepted: Type.Integer(),
  /** Rows stored (0 on a dry run). */
  imported: Type.Integer(),
  rejected: Type.Array(FrameReject),
  /** Rows carrying a registry key, kept in the separate linkage table. */
  linkageKeys: Type.Integer(),
  /** Columns the import does not know, left out (named so a misspelt column is noticed). */
  ignoredColumns: Type.Array(Type.String()),
  dryRun: Type.Boolean(),
});
export type FrameImportReport = Static<typeof FrameImportReport>;

export const InvitationsBody = Type.Object(
  { wave: Type.Optional(WaveLabel) },
  { additionalProperties: false }
);
export type InvitationsBody = Static<typeof InvitationsBody>;

export const InvitationsCreated = Type.Object({
  wave: Type.String(),
  /** New invitations, each with its e-mail queued. */
  created: Type.Integer(),
  /** Frame members not invited: opted out, bounced, or invited to this wave before. */
  skipped: Type.Integer(),
});
export type InvitationsCreated = Static<typeof InvitationsCreated>;

/** GET /api/research/practices: the practices a practice link can be made for (id and name only). */
export const ResearchPractice = Type.Object({ id: Uuid, name: Type.String() });
export type ResearchPractice = Static<typeof ResearchPractice>;
export const ResearchPracticeList = Type.Object({ items: Type.Array(ResearchPractice) });
export type ResearchPracticeList = Static<typeof ResearchPracticeList>;

export const PracticeLinkBody = Type.Object(
  { practiceId: Uuid, wave: Type.Optional(WaveLabel) },
  { additionalProperties: false }
);
export type PracticeLinkBody = Static<typeof PracticeLinkBody>;

export const BouncesBody = Type.Object(
  {
    /** Addresses the mail system reported as undeliverable after sending. */
    emails: Type.Array(Type.String({ minLength: 3, maxLength: 254 }), { minItems: 1, maxItems: 10_000 }),
  },
  { additionalProperties: false }
);
export type BouncesBody = Static<typeof BouncesBody>;

export const BouncesRecorded = Type.Object({ recorded: Type.Integer(), unknown: Type.Integer() });
export type BouncesRecorded = Static<typeof BouncesRecorded>;

// --- researcher: monitoring ----------------------------------------------------------------------

export const FunnelCounts = Type.Object({
  invited: Type.Integer(),
  sent: Type.Integer(),
  opened: Type.Integer(),
  partial: Type.Integer(),
  complete: Type.Integer(),
  optedOut: Type.Integer(),
  bounced: Type.Integer(),
});
export type FunnelCounts = Static<typeof FunnelCounts>;

/** What happened on one day (UTC): each counts the events of that day. */
export const MonitoringDay = Type.Object({
  /** YYYY-MM-DD (UTC). */
  date: Type.String(),
  /** Invitation e-mails sent. */
  invited: Type.Integer(),
  /** Invitations opened for the first time. */
  opened: Type.Integer(),
  /** Responses begun (first save). */
  started: Type.Integer(),
  /** Responses submitted. */
  complete: Type.Integer(),
  optedOut: Type.Integer(),
  bounced: Type.Integer(),
});
export type MonitoringDay = Static<typeof MonitoringDay>;

export const AttributeLevel = Type.Object({
  level: Type.String(),
  frame: Type.Integer(),
  invited: Type.Integer(),
  opened: Type.Integer(),
  partial: Type.Integer(),
  complete: Type.Integer(),
  optedOut: Type.Integer(),
  bounced: Type.Integer(),
  /** Share of the frame in this level, %. */
  framePercent: Type.Number(),
  /** Share of the complete responses in this level, %; null before any response. */
  respondentPercent: Nullable(Type.Number()),
  /** respondentPercent − framePercent, percentage points; null before any response. */
  differencePp: Nullable(Type.Number()),
  /** complete / invited, %; null when nobody in the level is invited. */
  responseRate: Nullable(Type.Number()),
});
export type AttributeLevel = Static<typeof AttributeLevel>;

export const AttributeBreakdown = Type.Object({
  attribute: Type.String(),
  levels: Type.Array(AttributeLevel),
});
export type AttributeBreakdown = Static<typeof AttributeBreakdown>;

export const SurveyMonitoring = Type.Object({
  surveyId: Uuid,
  kind: SurveyKind,
  wave: Nullable(Type.String()),
  totals: FunnelCounts,
  byDay: Type.Array(MonitoringDay),
  byAttribute: Type.Array(AttributeBreakdown),
  /** Anonymous surveys: responses per practice link. */
  byPractice: Type.Array(
    Type.Object({ practiceName: Type.String(), partial: Type.Integer(), complete: Type.Integer() })
  ),
  emails: Type.Object({
    queued: Type.Integer(),
    sent: Type.Integer(),
    failedTemporarily: Type.Integer(),
    gaveUp: Type.Integer(),
  }),
});
export type SurveyMonitoring = Static<typeof SurveyMonitoring>;

export const MonitoringQuery = Type.Object(
  { wave: Type.Optional(WaveLabel) },
  { additionalProperties: false }
);
export type MonitoringQuery = Static<typeof MonitoringQuery>;

// --- respondent --------------------------------------------------------------------------------

/** The single-use token from the invitation e-mail (43 characters, base64url). */
export const SurveyToken = Type.String({ minLength: 1, maxLength: 200 });

/** Answers by item linkId, FHIR-shaped; checked item by item by the server (`checkAnswers`). */
export const SurveyAnswersJson = Type.Record(Type.String({ minLength: 1, maxLength: 200 }), Type.Unknown(), {
  maxProperties: 1000,
});

export const TokenBody = Type.Object({ token: SurveyToken }, { additionalProperties: false });
export type TokenBody = Static<typeof TokenBody>;

export const SaveAnswersBody = Type.Object(
  { token: SurveyToken, answers: SurveyAnswersJson },
  { additionalProperties: false }
);
export type SaveAnswersBody = Static<typeof SaveAnswersBody>;

export const RespondentQuestionnaire = Type.Object({
  kind: SurveyKind,
  version: Type.String(),
  questionnaire: Type.Unknown(),
  /** Identified: answers saved so far (save and resume); anonymous: always empty. */
  answers: Type.Record(Type.String(), Type.Unknown()),
  status: literalUnion(['not_started', 'partial', 'complete'] as const),
  /** PHQ-9 item 9 above 0 in the saved answers: show the crisis numbers. */
  crisisResources: Type.Boolean(),
});
export type RespondentQuestionnaire = Static<typeof RespondentQuestionnaire>;

export const AnswersSaved = Type.Object({
  status: literalUnion(['partial', 'complete'] as const),
  savedAt: Type.String(),
  /**
   * PHQ-9 item 9 above 0: the page shows the crisis numbers at once. Nobody reads survey answers
   * as they come in, so no follow-up is promised.
   */
  crisisResources: Type.Boolean(),
  /** A repeated submit of the same answers: nothing new was stored. */
  alreadySubmitted: Type.Boolean(),
});
export type AnswersSaved = Static<typeof AnswersSaved>;

export const OptedOut = Type.Object({ optedOut: Type.Literal(true) });

export const PracticeLinkParams = Type.Object(
  { slug: Type.String({ minLength: 1, maxLength: 64 }) },
  { additionalProperties: false }
);
export type PracticeLinkParams = Static<typeof PracticeLinkParams>;

export const AnonymousQuestionnaire = Type.Object({
  kind: Type.Literal('anonymous'),
  title: Type.String(),
  practiceName: Type.String(),
  version: Type.String(),
  questionnaire: Type.Unknown(),
});
export type AnonymousQuestionnaire = Static<typeof AnonymousQuestionnaire>;

export const AnonymousSubmitBody = Type.Object(
  {
    /** The version the page showed (the latest fielded when it loaded). */
    version: QuestionnaireVersion,
    /** Random per page load; a second submit with it stores nothing. Never stored with the answers. */
    nonce: Type.String({ minLength: 16, maxLength: 128, pattern: '^[A-Za-z0-9_-]+$' }),
    /** The consent page was accepted. */
    consent: Type.Boolean(),
    answers: SurveyAnswersJson,
  },
  { additionalProperties: false }
);
export type AnonymousSubmitBody = Static<typeof AnonymousSubmitBody>;

export const AnonymousReceived = Type.Object({
  received: Type.Literal(true),
  crisisResources: Type.Boolean(),
  alreadySubmitted: Type.Boolean(),
});
export type AnonymousReceived = Static<typeof AnonymousReceived>;

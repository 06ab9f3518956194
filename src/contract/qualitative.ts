/**
 * The API contract of the qualitative workspace (issue 15), first slice: studies and members,
 * participants with consents and identity keys, events, importing a transcript, reviewing its
 * de-identification, reading an open transcript and searching a study's open transcripts.
 *
 * Files travel as base64 in JSON (a transcript is ~150 KB; the route's body limit stops a wrong
 * file), so one schema checks the whole request and a problem names `content`.
 */
import { Type, type Static } from 'typebox';
import { literalUnion, Nullable, Uuid } from './common.js';

export const STUDY_ROLES = ['lead', 'coder', 'reader'] as const;
export const StudyRole = literalUnion(STUDY_ROLES);
export type StudyRole = Static<typeof StudyRole>;

export const PARTICIPANT_KINDS = ['gp', 'patient', 'other'] as const;
export const ParticipantKind = literalUnion(PARTICIPANT_KINDS);

export const EVENT_KINDS = ['focus_group', 'interview', 'case'] as const;
export const EventKind = literalUnion(EVENT_KINDS);

export const SOURCE_LANGUAGES = ['nb', 'en'] as const;
export const SourceLanguage = literalUnion(SOURCE_LANGUAGES);

export const SOURCE_FORMATS = ['txt', 'vtt', 'srt', 'docx'] as const;
export const SourceFormat = literalUnion(SOURCE_FORMATS);

export const SOURCE_STATUSES = ['importing', 'deidentifying', 'open_for_coding'] as const;
export const SourceStatus = literalUnion(SOURCE_STATUSES);

export const CONSENT_HOW = ['signed_form', 'recorded'] as const;
export const ConsentHow = literalUnion(CONSENT_HOW);

export const DECISION_ACTIONS = ['accept', 'edit', 'reject'] as const;
export const DecisionAction = literalUnion(DECISION_ACTIONS);

const Base64 = Type.String({ minLength: 1, maxLength: 14_000_000, pattern: '^[A-Za-z0-9+/]*={0,2}$' });
const IsoDate = Type.String({ format: 'date' });
const Instant = Type.String({ format: 'date-time' });
/** A study pseudonym as transcripts show it: GP-03, Pasient-02, Lege A. */
const Pseudonym = Type.String({ minLength: 1, maxLength: 32, pattern: '^[\\p{L}\\p{N}][\\p{L}\\p{N} _-]*$' });

// --- params ---------------------------------------------------------------------------------------

export const StudyParams = Type.Object({ studyId: Uuid }, { additionalProperties: false });
export type StudyParams = Static<typeof StudyParams>;
export const ParticipantParams = Type.Object(
  { studyId: Uuid, participantId: Uuid },
  { additionalProperties: false }
);
export type ParticipantParams = Static<typeof ParticipantParams>;
export const ConsentParams = Type.Object(
  { studyId: Uuid, participantId: Uuid, consentId: Uuid },
  { additionalProperties: false }
);
export type ConsentParams = Static<typeof ConsentParams>;

export const SourceParams = Type.Object({ studyId: Uuid, sourceId: Uuid }, { additionalProperties: false });
export type SourceParams = Static<typeof SourceParams>;

// --- studies and members --------------------------------------------------------------------------

export const CreateStudyBody = Type.Object(
  { title: Type.String({ minLength: 1, maxLength: 200 }) },
  { additionalProperties: false }
);
export type CreateStudyBody = Static<typeof CreateStudyBody>;

export const StudySummary = Type.Object({
  id: Uuid,
  title: Type.String(),
  /** The actor's role in the study. */
  role: StudyRole,
  createdAt: Instant,
});
export type StudySummary = Static<typeof StudySummary>;
export const StudyList = Type.Object({ studies: Type.Array(StudySummary) });
export type StudyList = Static<typeof StudyList>;

export const AddMemberBody = Type.Object({ userId: Uuid, role: StudyRole }, { additionalProperties: false });
export type AddMemberBody = Static<typeof AddMemberBody>;

export const StudyMember = Type.Object({ userId: Uuid, displayName: Type.String(), role: StudyRole });
export type StudyMember = Static<typeof StudyMember>;

export const ParticipantSummary = Type.Object({
  id: Uuid,
  pseudonym: Type.String(),
  kind: ParticipantKind,
  withdrawn: Type.Boolean(),
  /** The information-letter version of the consent in force, or null (none, or withdrawn). */
  consentVersion: Nullable(Type.String()),
  keepOriginal: Type.Boolean(),
  /** The consent in force's uploaded signed form, for the lead to download; else null. */
  consentFormId: Nullable(Uuid),
});
export type ParticipantSummary = Static<typeof ParticipantSummary>;

export const EventSummary = Type.Object({
  id: Uuid,
  kind: EventKind,
  number: Type.Integer(),
  heldOn: IsoDate,
});
export type EventSummary = Static<typeof EventSummary>;

export const SourceSummary = Type.Object({
  id: Uuid,
  title: Type.String(),
  eventId: Nullable(Uuid),
  language: SourceLanguage,
  format: SourceFormat,
  status: SourceStatus,
  /** Whether the original (identifiable) text is still kept. */
  originalKept: Type.Boolean(),
});
export type SourceSummary = Static<typeof SourceSummary>;

export const StudyDetail = Type.Object({
  id: Uuid,
  title: Type.String(),
  role: StudyRole,
  members: Type.Array(StudyMember),
  participants: Type.Array(ParticipantSummary),
  events: Type.Array(EventSummary),
  sources: Type.Array(SourceSummary),
});
export type StudyDetail = Static<typeof StudyDetail>;

// --- participants, consents, identity keys, withdrawal --------------------------------------------

export const RegisterParticipantBody = Type.Object(
  {
    pseudonym: Pseudonym,
    kind: ParticipantKind,
    /** The participant's real name, kept in the lead-only identity key (and used to find it in text). */
    identityKey: Type.Optional(Type.String({ minLength: 1, maxLength: 400 })),
  },
  { additionalProperties: false }
);
export type RegisterParticipantBody = Static<typeof RegisterParticipantBody>;

export const ParticipantCreated = Type.Object({ id: Uuid, pseudonym: Type.String() });
export type ParticipantCreated = Static<typeof ParticipantCreated>;

export const RecordConsentBody = Type.Object(
  {
    letterVersion: Type.String({ minLength: 1, maxLength: 32, pattern: '^[A-Za-z0-9._-]+$' }),
    givenAt: Instant,
    how: ConsentHow,
    /** Whether the original (identifiable) transcript may be kept after de-identification. */
    keepOriginal: Type.Boolean(),
    /** The signed form (how = signed_form). */
    file: Type.Optional(
      Type.Object(
        { name: Type.String({ minLength: 1, maxLength: 200 }), content: Base64 },
        { additionalProperties: false }
      )
    ),
  },
  { additionalProperties: false }
);
export type RecordConsentBody = Static<typeof RecordConsentBody>;

export const ConsentRecorded = Type.Object({
  id: Uuid,
  participantId: Uuid,
  letterVersion: Type.String(),
  givenAt: Instant,
  how: ConsentHow,
  keepOriginal: Type.Boolean(),
  fileStored: Type.Boolean(),
});
export type ConsentRecorded = Static<typeof ConsentRecorded>;

export const IdentityKey = Type.Object({
  participantId: Uuid,
  pseudonym: Type.String(),
  /** The real name; null once destroyed. */
  key: Nullable(Type.String()),
  destroyedAt: Nullable(Instant),
});
export type IdentityKey = Static<typeof IdentityKey>;

export const WithdrawalRecord = Type.Object({
  id: Uuid,
  participantId: Uuid,
  withdrawnAt: Instant,
  sourcesAffected: Type.Integer(),
  turnsRemoved: Type.Integer(),
  charactersRemoved: Type.Integer(),
  /** Codings (every coder's) that touched their speech, removed. */
  codingsRemoved: Type.Integer(),
  /** STC meaning units in their speech, removed from every analysis. */
  meaningUnitsRemoved: Type.Integer(),
  /** Condensates that had used them: their wording may carry what was said, so they are reviewed. */
  condensatesToReview: Type.Integer(),
});
export type WithdrawalRecord = Static<typeof WithdrawalRecord>;

// --- events ---------------------------------------------------------------------------------------

export const CreateEventBody = Type.Object(
  { kind: EventKind, number: Type.Integer({ minimum: 1, maximum: 999 }), heldOn: IsoDate },
  { additionalProperties: false }
);
export type CreateEventBody = Static<typeof CreateEventBody>;

// --- sources: import, review, read ------------------------------------------------------------------

export const ImportSourceBody = Type.Object(
  {
    title: Type.String({ minLength: 1, maxLength: 200 }),
    language: SourceLanguage,
    eventId: Type.Optional(Uuid),
    /** The participants speaking in it (their names are proposed for replacement by pseudonym). */
    participantIds: Type.Array(Uuid, { maxItems: 50, uniqueItems: true }),
    /** The file's name: its ending (.txt, .vtt, .srt, .docx) chooses the reader. */
    fileName: Type.String({ minLength: 1, maxLength: 200 }),
    /** The file's bytes, base64. */
    content: Base64,
  },
  { additionalProperties: false }
);
export type ImportSourceBody = Static<typeof ImportSourceBody>;

export const Proposal = Type.Object({
  id: Type.String(),
  /** `text`: a span of the text; `speaker`: a speaker label. */
  target: literalUnion(['text', 'speaker'] as const),
  start: Nullable(Type.Integer()),
  end: Nullable(Type.Integer()),
  original: Type.String(),
  kind: Type.String(),
  replacement: Type.String(),
  reason: Type.String(),
  decision: Nullable(
    Type.Object({ action: DecisionAction, replacement: Nullable(Type.String()), decidedBy: Uuid })
  ),
});
export type Proposal = Static<typeof Proposal>;

export const SourceReview = Type.Object({
  sourceId: Uuid,
  status: SourceStatus,
  /** The original text (only to the lead, only while it is kept). */
  originalText: Nullable(Type.String()),
  proposals: Type.Array(Proposal),
  decided: Type.Integer(),
  total: Type.Integer(),
});
export type SourceReview = Static<typeof SourceReview>;

export const DecideBody = Type.Object(
  {
    decisions: Type.Array(
      Type.Object(
        {
          proposalId: Type.String({ minLength: 1, maxLength: 200 }),
          action: DecisionAction,
          replacement: Type.Optional(Type.String({ minLength: 1, maxLength: 80 })),
        },
        { additionalProperties: false }
      ),
      { minItems: 1, maxItems: 5000 }
    ),
  },
  { additionalProperties: false }
);
export type DecideBody = Static<typeof DecideBody>;

export const DecisionsRecorded = Type.Object({ decided: Type.Integer(), total: Type.Integer() });
export type DecisionsRecorded = Static<typeof DecisionsRecorded>;

export const SourceTurn = Type.Object({
  index: Type.Integer(),
  speaker: Nullable(Type.String()),
  participantId: Nullable(Uuid),
  start: Type.Integer(),
  end: Type.Integer(),
  startMs: Nullable(Type.Integer()),
  endMs: Nullable(Type.Integer()),
});

export const SourceText = Type.Object({
  id: Uuid,
  title: Type.String(),
  language: SourceLanguage,
  status: SourceStatus,
  text: Type.String(),
  turns: Type.Array(SourceTurn),
});
export type SourceText = Static<typeof SourceText>;

// --- search ---------------------------------------------------------------------------------------

export const SearchQuery = Type.Object(
  {
    q: Type.String({ minLength: 1, maxLength: 200 }),
    limit: Type.Optional(Type.String({ pattern: '^[1-9][0-9]{0,2}$' })),
  },
  { additionalProperties: false }
);
export type SearchQuery = Static<typeof SearchQuery>;

export const KwicLine = Type.Object({
  sourceId: Uuid,
  sourceTitle: Type.String(),
  /** Where the hit starts and ends in the source's text (UTF-16 offsets, as the text is served). */
  offset: Type.Integer(),
  length: Type.Integer(),
  before: Type.String(),
  hit: Type.String(),
  after: Type.String(),
});
export type KwicLine = Static<typeof KwicLine>;

export const SearchResult = Type.Object({
  query: Type.String(),
  /** How many open sources hold the word (the lines stop at the limit). */
  sourcesMatched: Type.Integer(),
  lines: Type.Array(KwicLine),
});
export type SearchResult = Static<typeof SearchResult>;

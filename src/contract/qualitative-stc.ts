/**
 * The API contract of systematic text condensation (STC) and the user group (issue 15).
 *
 * An STC analysis travels as one document, the shape of `StcAnalysis` in domain/qualitative/stc.ts:
 * the researcher's page edits it and saves it whole with the revision it started from, and the
 * server checks every link in it before storing (a meaning unit outside its transcript, a
 * condensate of another code group: 400 naming the place). Meaning units are offsets into the
 * de-identified transcripts, so no transcript text is stored twice.
 *
 * A share is the synthesis text frozen when the lead shared it with the user group: paragraphs
 * only, never meaning units, condensates or transcripts. Comments stay with the share they were
 * made on.
 */
import { Type, type Static } from 'typebox';
import { Nullable, Uuid } from './common.js';

const Instant = Type.String({ format: 'date-time' });
/** An id the researcher's page makes for a part of the analysis (a group, a condensate, …). */
const PartId = Type.String({ minLength: 1, maxLength: 64, pattern: '^[A-Za-z0-9_-]+$' });
const Offset = Type.Integer({ minimum: 0, maximum: 50_000_000 });

export const StcParams = Type.Object({ studyId: Uuid, analysisId: Uuid }, { additionalProperties: false });
export type StcParams = Static<typeof StcParams>;
export const ShareParams = Type.Object({ studyId: Uuid, shareId: Uuid }, { additionalProperties: false });
export type ShareParams = Static<typeof ShareParams>;

// --- the analysis document ------------------------------------------------------------------------

export const StcImpression = Type.Object(
  {
    sourceId: Uuid,
    themes: Type.Array(Type.String({ minLength: 1, maxLength: 300 }), { maxItems: 50 }),
  },
  { additionalProperties: false }
);

export const StcCodeGroup = Type.Object(
  { id: PartId, name: Type.String({ minLength: 1, maxLength: 200 }), parentId: Nullable(PartId) },
  { additionalProperties: false }
);

export const StcMeaningUnit = Type.Object(
  { id: PartId, sourceId: Uuid, start: Offset, end: Offset, groupId: Nullable(PartId) },
  { additionalProperties: false }
);

export const StcCondensate = Type.Object(
  {
    id: PartId,
    groupId: PartId,
    /** First person, as STC writes it ("Jeg rekker ikke …"); empty while being drafted. */
    text: Type.String({ maxLength: 4000 }),
    meaningUnitIds: Type.Array(PartId, { maxItems: 500 }),
    goldenQuoteId: Nullable(PartId),
  },
  { additionalProperties: false }
);

export const StcSynthesisSentence = Type.Object(
  {
    text: Type.String({ minLength: 1, maxLength: 2000 }),
    condensateIds: Type.Array(PartId, { maxItems: 50 }),
  },
  { additionalProperties: false }
);

export const StcSynthesisParagraph = Type.Object(
  { id: PartId, groupId: PartId, sentences: Type.Array(StcSynthesisSentence, { maxItems: 100 }) },
  { additionalProperties: false }
);

export const StcDocument = Type.Object(
  {
    impressions: Type.Array(StcImpression, { maxItems: 1000 }),
    groups: Type.Array(StcCodeGroup, { maxItems: 500 }),
    meaningUnits: Type.Array(StcMeaningUnit, { maxItems: 20_000 }),
    condensates: Type.Array(StcCondensate, { maxItems: 2000 }),
    synthesis: Type.Array(StcSynthesisParagraph, { maxItems: 500 }),
  },
  { additionalProperties: false }
);
export type StcDocument = Static<typeof StcDocument>;

// --- analyses -------------------------------------------------------------------------------------

export const CreateStcBody = Type.Object(
  { title: Type.String({ minLength: 1, maxLength: 200 }) },
  { additionalProperties: false }
);
export type CreateStcBody = Static<typeof CreateStcBody>;

export const SaveStcBody = Type.Object(
  {
    /** The revision the edit started from; a newer one stored meanwhile gives 409. */
    revision: Type.Integer({ minimum: 1 }),
    title: Type.String({ minLength: 1, maxLength: 200 }),
    document: StcDocument,
  },
  { additionalProperties: false }
);
export type SaveStcBody = Static<typeof SaveStcBody>;

export const StcGroupProgress = Type.Object({
  groupId: Type.String(),
  name: Type.String(),
  /** The last STC step the code group has completed. */
  step: Type.Integer({ minimum: 1, maximum: 4 }),
  meaningUnits: Type.Integer(),
  awaitingCondensate: Type.Array(Type.String()),
  awaitingGoldenQuote: Type.Array(Type.String()),
  synthesisSentences: Type.Integer(),
});

/** What is not finished yet (a condensate left without meaning units by a withdrawal, say). */
export const StcOpenPoint = Type.Object({
  step: Type.Integer({ minimum: 1, maximum: 4 }),
  ref: Type.String(),
  reason: Type.String(),
  message: Type.String(),
});

export const StcSummary = Type.Object({
  id: Uuid,
  title: Type.String(),
  revision: Type.Integer(),
  updatedAt: Instant,
  updatedBy: Type.String(),
  /** Code groups (themes) per completed STC step: [step 1, step 2, step 3, step 4]. */
  themesAtStep: Type.Array(Type.Integer(), { minItems: 4, maxItems: 4 }),
});
export type StcSummary = Static<typeof StcSummary>;

export const StcList = Type.Object({ analyses: Type.Array(StcSummary) });
export type StcList = Static<typeof StcList>;

export const StcAnalysisView = Type.Object({
  id: Uuid,
  title: Type.String(),
  revision: Type.Integer(),
  updatedAt: Instant,
  document: StcDocument,
  progress: Type.Array(StcGroupProgress),
  openPoints: Type.Array(StcOpenPoint),
});
export type StcAnalysisView = Static<typeof StcAnalysisView>;

// --- tracing a synthesis sentence -----------------------------------------------------------------

export const TraceQuery = Type.Object(
  {
    paragraph: PartId,
    /** 1-based, as the page numbers them. */
    sentence: Type.String({ pattern: '^[1-9][0-9]{0,2}$' }),
  },
  { additionalProperties: false }
);
export type TraceQuery = Static<typeof TraceQuery>;

export const TracedMeaningUnit = Type.Object({
  meaningUnitId: Type.String(),
  sourceId: Uuid,
  sourceTitle: Type.String(),
  start: Type.Integer(),
  end: Type.Integer(),
  quote: Type.String(),
  /** 1-based lines of the transcript the unit touches. */
  lines: Type.Object({ from: Type.Integer(), to: Type.Integer() }),
  isGoldenQuote: Type.Boolean(),
});

export const SentenceTrace = Type.Object({
  paragraphId: Type.String(),
  sentence: Type.Integer(),
  text: Type.String(),
  condensates: Type.Array(
    Type.Object({
      condensateId: Type.String(),
      text: Type.String(),
      meaningUnits: Type.Array(TracedMeaningUnit),
    })
  ),
});
export type SentenceTrace = Static<typeof SentenceTrace>;

// --- sharing with the user group ------------------------------------------------------------------

export const ShareBody = Type.Object(
  { message: Type.String({ maxLength: 2000 }) },
  { additionalProperties: false }
);
export type ShareBody = Static<typeof ShareBody>;

export const SharedParagraph = Type.Object({
  id: Type.String(),
  theme: Type.String(),
  text: Type.String(),
});

export const UserGroupComment = Type.Object({
  id: Uuid,
  paragraphId: Type.String(),
  author: Type.String(),
  text: Type.String(),
  createdAt: Instant,
});
export type UserGroupComment = Static<typeof UserGroupComment>;

export const ShareSummary = Type.Object({
  id: Uuid,
  analysisTitle: Type.String(),
  revision: Type.Integer(),
  sharedAt: Instant,
  sharedBy: Type.String(),
  comments: Type.Integer(),
});
export type ShareSummary = Static<typeof ShareSummary>;

export const ShareList = Type.Object({ studyTitle: Type.String(), shares: Type.Array(ShareSummary) });
export type ShareList = Static<typeof ShareList>;

export const ShareView = Type.Object({
  id: Uuid,
  studyTitle: Type.String(),
  analysisTitle: Type.String(),
  revision: Type.Integer(),
  message: Type.String(),
  sharedAt: Instant,
  sharedBy: Type.String(),
  paragraphs: Type.Array(SharedParagraph),
  comments: Type.Array(UserGroupComment),
});
export type ShareView = Static<typeof ShareView>;

export const CommentBody = Type.Object(
  { paragraphId: PartId, text: Type.String({ minLength: 1, maxLength: 4000 }) },
  { additionalProperties: false }
);
export type CommentBody = Static<typeof CommentBody>;

/** The studies whose user group the signed-in user belongs to (the user group's start page). */
export const UserGroupStudies = Type.Object({
  studies: Type.Array(Type.Object({ id: Uuid, title: Type.String(), shares: Type.Integer() })),
});
export type UserGroupStudies = Static<typeof UserGroupStudies>;

export const AddUserGroupMemberBody = Type.Object({ userId: Uuid }, { additionalProperties: false });
export type AddUserGroupMemberBody = Static<typeof AddUserGroupMemberBody>;

export const UserGroupMember = Type.Object({ userId: Uuid, displayName: Type.String() });
export type UserGroupMember = Static<typeof UserGroupMember>;

/**
 * The API contract of the codebook, coding, agreement and memos (issue 15).
 *
 * Offsets are half-open UTF-16 offsets into an open transcript's de-identified text, as
 * `GET …/sources/:sourceId` serves it. Agreement statistics that are undefined come as
 * `{ value: null, reason }`, never as NaN (domain/qualitative/agreement.ts).
 */
import { Type, type Static } from 'typebox';
import { Nullable, Uuid } from './common.js';

const Instant = Type.String({ format: 'date-time' });
const Offset = Type.Integer({ minimum: 0, maximum: 50_000_000 });
const LongText = Type.String({ maxLength: 4000 });
const Colour = Type.String({ pattern: '^#[0-9a-f]{6}$' });

export const CodeParams = Type.Object({ studyId: Uuid, codeId: Uuid }, { additionalProperties: false });
export type CodeParams = Static<typeof CodeParams>;
export const CodingParams = Type.Object(
  { studyId: Uuid, sourceId: Uuid, codingId: Uuid },
  { additionalProperties: false }
);
export type CodingParams = Static<typeof CodingParams>;
export const MemoParams = Type.Object({ studyId: Uuid, memoId: Uuid }, { additionalProperties: false });
export type MemoParams = Static<typeof MemoParams>;

// --- codebook -------------------------------------------------------------------------------------

const CodeFields = {
  name: Type.String({ minLength: 1, maxLength: 200 }),
  colour: Type.Optional(Colour),
  definition: Type.Optional(LongText),
  inclusion: Type.Optional(LongText),
  exclusion: Type.Optional(LongText),
  example: Type.Optional(LongText),
};

export const CreateCodeBody = Type.Object(
  { ...CodeFields, parentId: Nullable(Uuid) },
  { additionalProperties: false }
);
export type CreateCodeBody = Static<typeof CreateCodeBody>;

/** Any subset: a rename, a new definition, or a move (a new parent; null for the top). */
export const UpdateCodeBody = Type.Object(
  {
    name: Type.Optional(CodeFields.name),
    colour: Type.Optional(Colour),
    definition: Type.Optional(LongText),
    inclusion: Type.Optional(LongText),
    exclusion: Type.Optional(LongText),
    example: Type.Optional(LongText),
    parentId: Type.Optional(Nullable(Uuid)),
  },
  { additionalProperties: false }
);
export type UpdateCodeBody = Static<typeof UpdateCodeBody>;

export const CodeView = Type.Object({
  id: Uuid,
  parentId: Nullable(Uuid),
  name: Type.String(),
  colour: Type.String(),
  definition: Type.String(),
  inclusion: Type.String(),
  exclusion: Type.String(),
  example: Type.String(),
  /** Codings of this code by all coders, and how many coders used it. */
  codings: Type.Integer(),
  coders: Type.Integer(),
});
export type CodeView = Static<typeof CodeView>;

/** The codebook in tree order (a parent before its children, siblings by Norwegian collation). */
export const Codebook = Type.Object({ codes: Type.Array(CodeView) });
export type Codebook = Static<typeof Codebook>;

export const MergeCodeBody = Type.Object({ intoCodeId: Uuid }, { additionalProperties: false });
export type MergeCodeBody = Static<typeof MergeCodeBody>;
export const MergeCodeResult = Type.Object({
  intoCodeId: Uuid,
  relabelled: Type.Integer(),
  united: Type.Integer(),
  /** Codings of the merged code afterwards. */
  codings: Type.Integer(),
});
export type MergeCodeResult = Static<typeof MergeCodeResult>;

export const SplitCodeBody = Type.Object(
  {
    newCode: Type.Object(CodeFields, { additionalProperties: false }),
    /** Codings of the code to move to the new one; the rest stay. */
    codingIds: Type.Array(Uuid, { maxItems: 10_000, uniqueItems: true }),
  },
  { additionalProperties: false }
);
export type SplitCodeBody = Static<typeof SplitCodeBody>;
export const SplitCodeResult = Type.Object({ code: CodeView, moved: Type.Integer() });
export type SplitCodeResult = Static<typeof SplitCodeResult>;

// --- codings --------------------------------------------------------------------------------------

export const CodingsQuery = Type.Object(
  {
    /** `me` (default): the signed-in coder's own; `all`: every coder's (the lead and readers). */
    coder: Type.Optional(Type.Union([Type.Literal('me'), Type.Literal('all')])),
  },
  { additionalProperties: false }
);
export type CodingsQuery = Static<typeof CodingsQuery>;

export const CodingView = Type.Object({
  id: Uuid,
  codeId: Uuid,
  coderId: Uuid,
  coderName: Type.String(),
  start: Type.Integer(),
  end: Type.Integer(),
  createdAt: Instant,
});
export type CodingView = Static<typeof CodingView>;

export const CodingList = Type.Object({ sourceId: Uuid, codings: Type.Array(CodingView) });
export type CodingList = Static<typeof CodingList>;

export const CreateCodingBody = Type.Object(
  { codeId: Uuid, start: Offset, end: Offset },
  { additionalProperties: false }
);
export type CreateCodingBody = Static<typeof CreateCodingBody>;

// --- agreement ------------------------------------------------------------------------------------

export const AgreementQuery = Type.Object(
  {
    /** Two or more coders' user ids, comma-separated. */
    coders: Type.String({ pattern: '^[0-9a-fA-F-]{36}(,[0-9a-fA-F-]{36}){1,9}$' }),
  },
  { additionalProperties: false }
);
export type AgreementQuery = Static<typeof AgreementQuery>;

const Statistic = Type.Object({ value: Nullable(Type.Number()), reason: Type.Optional(Type.String()) });

export const AgreementView = Type.Object({
  /** The sources compared: those every named coder has coded. */
  sources: Type.Array(Type.Object({ id: Uuid, title: Type.String(), length: Type.Integer() })),
  coders: Type.Array(Type.Object({ id: Uuid, name: Type.String() })),
  codes: Type.Array(
    Type.Object({
      codeId: Uuid,
      name: Type.String(),
      /** Characters each coder coded, by coder id. */
      coded: Type.Record(Type.String(), Type.Integer()),
      codedByAll: Type.Integer(),
      codedByAny: Type.Integer(),
      percentAgreement: Statistic,
      kappa: Statistic,
      alpha: Statistic,
    })
  ),
  overallAlpha: Statistic,
});
export type AgreementView = Static<typeof AgreementView>;

// --- Word documents for a paper -------------------------------------------------------------------

export const WordExportQuery = Type.Object(
  {
    /** One code and its subcodes; all codes when left out. */
    codeId: Type.Optional(Uuid),
    /** `me` (default): the signed-in coder's codings; `all`: every coder's (the lead and readers). */
    coder: Type.Optional(Type.Union([Type.Literal('me'), Type.Literal('all')])),
    /** The document's language; by default the study's transcripts' language. */
    lang: Type.Optional(Type.Union([Type.Literal('nb'), Type.Literal('en')])),
  },
  { additionalProperties: false }
);
export type WordExportQuery = Static<typeof WordExportQuery>;

export const SynthesisExportQuery = Type.Object(
  { lang: Type.Optional(Type.Union([Type.Literal('nb'), Type.Literal('en')])) },
  { additionalProperties: false }
);
export type SynthesisExportQuery = Static<typeof SynthesisExportQuery>;

// --- memos ----------------------------------------------------------------------------------------

export const CreateMemoBody = Type.Object(
  {
    target: Type.Union([Type.Literal('segment'), Type.Literal('code'), Type.Literal('source')]),
    sourceId: Type.Optional(Uuid),
    codeId: Type.Optional(Uuid),
    start: Type.Optional(Offset),
    end: Type.Optional(Offset),
    text: Type.String({ minLength: 1, maxLength: 10_000 }),
  },
  { additionalProperties: false }
);
export type CreateMemoBody = Static<typeof CreateMemoBody>;

export const UpdateMemoBody = Type.Object(
  { text: Type.String({ minLength: 1, maxLength: 10_000 }) },
  { additionalProperties: false }
);
export type UpdateMemoBody = Static<typeof UpdateMemoBody>;

export const MemoView = Type.Object({
  id: Uuid,
  target: Type.String(),
  sourceId: Nullable(Uuid),
  codeId: Nullable(Uuid),
  start: Nullable(Type.Integer()),
  end: Nullable(Type.Integer()),
  text: Type.String(),
  authorId: Uuid,
  authorName: Type.String(),
  updatedAt: Instant,
});
export type MemoView = Static<typeof MemoView>;

export const MemosQuery = Type.Object(
  { sourceId: Type.Optional(Uuid), codeId: Type.Optional(Uuid) },
  { additionalProperties: false }
);
export type MemosQuery = Static<typeof MemosQuery>;

export const MemoList = Type.Object({ memos: Type.Array(MemoView) });
export type MemoList = Static<typeof MemoList>;

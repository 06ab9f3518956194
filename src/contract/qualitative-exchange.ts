/**
 * The API contract of importing a REFI-QDA project made by another tool into a study (issue 15).
 * Everything the file holds that the study has no place for is listed in `notStored`, with where
 * it was and why: nothing is dropped silently.
 */
import { Type, type Static } from 'typebox';
import { Uuid } from './common.js';

/** The import route's body limit: 60 MB of JSON, so a project file of up to about 45 MB. */
export const REFI_IMPORT_BODY_LIMIT = 60 * 1024 * 1024;

// a project with its transcripts; the route's body limit is the real bound
const Base64 = Type.String({
  minLength: 1,
  maxLength: REFI_IMPORT_BODY_LIMIT,
  pattern: '^[A-Za-z0-9+/]*={0,2}$',
});

export const RefiImportBody = Type.Object(
  {
    /** `.qdpx` (the archive) or `.qde` (the project file alone). */
    fileName: Type.String({ minLength: 1, maxLength: 200 }),
    content: Base64,
    /** The language of the transcripts in it (for the search and the documents). */
    language: Type.Union([Type.Literal('nb'), Type.Literal('en')]),
  },
  { additionalProperties: false }
);
export type RefiImportBody = Static<typeof RefiImportBody>;

export const NotStoredPart = Type.Object({
  kind: Type.String(),
  path: Type.String(),
  name: Type.String(),
  count: Type.Integer(),
  note: Type.Optional(Type.String()),
});
export type NotStoredPart = Static<typeof NotStoredPart>;

export const RefiImportResult = Type.Object({
  codesCreated: Type.Integer(),
  codesReused: Type.Integer(),
  /** The transcripts, each now under de-identification review like any import. */
  sources: Type.Array(Type.Object({ id: Uuid, title: Type.String() })),
  /** Codings and memos waiting for their transcript's review; they land when it is applied. */
  codingsPending: Type.Integer(),
  memosPending: Type.Integer(),
  /** Memos on codes, stored at once. */
  memosCreated: Type.Integer(),
  notStored: Type.Array(NotStoredPart),
});
export type RefiImportResult = Static<typeof RefiImportResult>;

/**
 * The API contract of the framework method and reflexive thematic analysis (issue 15), on the same
 * codes and codings as STC. Each analysis travels as one document, saved whole with the revision
 * it started from (a newer one stored meanwhile: 409, nothing overwritten); the server checks the
 * links before storing (400 naming `document.…` and the reason) and reports what is unfinished as
 * open points.
 */
import { Type, type Static } from 'typebox';
import { Nullable, Uuid } from './common.js';

const Instant = Type.String({ format: 'date-time' });
const PartId = Type.String({ minLength: 1, maxLength: 64, pattern: '^[A-Za-z0-9_-]+$' });
const Label = Type.String({ minLength: 1, maxLength: 200 });
const LongText = Type.String({ maxLength: 10_000 });

export const MethodParams = Type.Object({ studyId: Uuid, analysisId: Uuid }, { additionalProperties: false });
export type MethodParams = Static<typeof MethodParams>;

export const CreateMethodBody = Type.Object({ title: Label }, { additionalProperties: false });
export type CreateMethodBody = Static<typeof CreateMethodBody>;

export const MethodSummary = Type.Object({
  id: Uuid,
  method: Type.Union([Type.Literal('framework'), Type.Literal('reflexive_ta')]),
  title: Type.String(),
  revision: Type.Integer(),
  updatedAt: Instant,
  updatedBy: Type.String(),
});
export type MethodSummary = Static<typeof MethodSummary>;

export const MethodList = Type.Object({ analyses: Type.Array(MethodSummary) });
export type MethodList = Static<typeof MethodList>;

export const OpenPoint = Type.Object({ path: Type.String(), reason: Type.String(), message: Type.String() });

// --- the framework method ---------------------------------------------------------------------------

export const FrameworkDocument = Type.Object(
  {
    cases: Type.Array(
      Type.Object(
        { id: PartId, label: Label, sourceIds: Type.Array(Uuid, { maxItems: 100, uniqueItems: true }) },
        { additionalProperties: false }
      ),
      { maxItems: 200 }
    ),
    themes: Type.Array(
      Type.Object(
        { id: PartId, label: Label, codeIds: Type.Array(Uuid, { maxItems: 200, uniqueItems: true }) },
        { additionalProperties: false }
      ),
      { maxItems: 100 }
    ),
    summaries: Type.Array(
      Type.Object({ caseId: PartId, themeId: PartId, text: LongText }, { additionalProperties: false }),
      { maxItems: 20_000 }
    ),
  },
  { additionalProperties: false }
);
export type FrameworkDocument = Static<typeof FrameworkDocument>;

export const SaveFrameworkBody = Type.Object(
  { revision: Type.Integer({ minimum: 1 }), title: Label, document: FrameworkDocument },
  { additionalProperties: false }
);
export type SaveFrameworkBody = Static<typeof SaveFrameworkBody>;

export const FrameworkCellView = Type.Object({
  caseId: Type.String(),
  themeId: Type.String(),
  codings: Type.Integer(),
  codedCharacters: Type.Integer(),
  summary: Nullable(Type.String()),
  status: Type.Union([
    Type.Literal('no-data'),
    Type.Literal('needs-summary'),
    Type.Literal('summarised'),
    Type.Literal('summary-without-data'),
  ]),
});

export const FrameworkView = Type.Object({
  id: Uuid,
  title: Type.String(),
  revision: Type.Integer(),
  updatedAt: Instant,
  /** Whose codings the matrix charts: every coder's (lead, reader) or the coder's own. */
  codings: Type.Union([Type.Literal('all'), Type.Literal('mine')]),
  document: FrameworkDocument,
  /** cells[i][j]: case i, theme j. */
  cells: Type.Array(Type.Array(FrameworkCellView)),
  toSummarise: Type.Integer(),
});
export type FrameworkView = Static<typeof FrameworkView>;

export const CellQuery = Type.Object({ case: PartId, theme: PartId }, { additionalProperties: false });
export type CellQuery = Static<typeof CellQuery>;

export const CellQuotes = Type.Object({
  quotes: Type.Array(
    Type.Object({
      codingId: Uuid,
      code: Type.String(),
      coder: Type.String(),
      sourceId: Uuid,
      sourceTitle: Type.String(),
      speaker: Nullable(Type.String()),
      start: Type.Integer(),
      text: Type.String(),
      lines: Type.Object({ from: Type.Integer(), to: Type.Integer() }),
    })
  ),
});
export type CellQuotes = Static<typeof CellQuotes>;

// --- reflexive thematic analysis ------------------------------------------------------------------

export const ThematicDocument = Type.Object(
  {
    familiarisation: Type.Array(
      Type.Object({ sourceId: Uuid, notes: LongText }, { additionalProperties: false }),
      { maxItems: 1000 }
    ),
    themes: Type.Array(
      Type.Object(
        {
          id: PartId,
          name: Label,
          status: Type.Union([
            Type.Literal('candidate'),
            Type.Literal('reviewed'),
            Type.Literal('defined'),
            Type.Literal('discarded'),
          ]),
          centralConcept: Type.String({ maxLength: 1000 }),
          definition: LongText,
          codeIds: Type.Array(Uuid, { maxItems: 200, uniqueItems: true }),
          extractCodingIds: Type.Array(Uuid, { maxItems: 200, uniqueItems: true }),
          writeUp: Type.String({ maxLength: 40_000 }),
        },
        { additionalProperties: false }
      ),
      { maxItems: 200 }
    ),
    journal: Type.Array(
      Type.Object(
        { date: Type.String({ format: 'date' }), text: Type.String({ minLength: 1, maxLength: 10_000 }) },
        { additionalProperties: false }
      ),
      { maxItems: 2000 }
    ),
  },
  { additionalProperties: false }
);
export type ThematicDocument = Static<typeof ThematicDocument>;

export const SaveThematicBody = Type.Object(
  { revision: Type.Integer({ minimum: 1 }), title: Label, document: ThematicDocument },
  { additionalProperties: false }
);
export type SaveThematicBody = Static<typeof SaveThematicBody>;

export const ThematicView = Type.Object({
  id: Uuid,
  title: Type.String(),
  revision: Type.Integer(),
  updatedAt: Instant,
  document: ThematicDocument,
  /** Per theme: the phase reached (3-6) and the codings its codes hold (every coder's). */
  themes: Type.Array(Type.Object({ id: Type.String(), phase: Type.Integer(), codings: Type.Integer() })),
  openPoints: Type.Array(OpenPoint),
});
export type ThematicView = Static<typeof ThematicView>;

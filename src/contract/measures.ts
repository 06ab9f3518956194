/**
 * The API contract of the questionnaires (issue 12 §2): answering PHQ-9, GAD-7 and WSAS (with work
 * status), and reading the PHQ-9 answers and every measurement back. The server validates and
 * serialises with these schemas; the web takes its types from them. Imports only contract and
 * domain.
 */
import { Type, type Static } from 'typebox';
import { WORK_STATUSES } from '../domain/instruments/wsas.js';
import { Nullable, Phq9Severity, Uuid } from './common.js';

/** The PHQ-9 severity band (one definition: contract/common.ts over the domain's list). */
export type Severity = Phq9Severity;
import { InstrumentSchema } from './program.js';

export const Phq9Item = Type.Object({
  id: Uuid,
  instrument: Type.Literal('phq9'),
  answeredAt: Type.String(),
  totalScore: Type.Integer(),
  severity: Phq9Severity,
  item9Score: Type.Integer(),
  difficulty: Nullable(Type.Integer()),
  itemScores: Type.Array(Type.Integer()),
  note: Nullable(Type.String()),
});
export type Phq9Item = Static<typeof Phq9Item>;

export const MeasurementItem = Type.Object({
  id: Uuid,
  instrument: InstrumentSchema,
  answeredAt: Type.String(),
  totalScore: Type.Integer(),
  /** PHQ-9 and GAD-7 severity band, or the WSAS band (subclinical, significant, severe). */
  band: Type.String(),
  item9Score: Nullable(Type.Integer()),
  itemScores: Type.Array(Nullable(Type.Integer())),
  workStatus: Nullable(Type.String()),
});
export type MeasurementItem = Static<typeof MeasurementItem>;

/** An optional Idempotency-Key on every submission (a retry returns the first answer). */
export const IdempotencyHeaders = Type.Object({
  'idempotency-key': Type.Optional(
    Type.String({ minLength: 8, maxLength: 100, pattern: '^[A-Za-z0-9_-]+$' })
  ),
});

/** POST /api/patients/:patientId/phq9 */
export const Phq9Body = Type.Object(
  {
    items: Type.Array(Type.Integer({ minimum: 0, maximum: 3 }), { minItems: 9, maxItems: 9 }),
    difficulty: Type.Union([Type.Integer({ minimum: 0, maximum: 3 }), Type.Null()]),
    note: Type.Optional(Type.String({ maxLength: 1000 })),
  },
  { additionalProperties: false }
);
export type Phq9Body = Static<typeof Phq9Body>;

export const Phq9Submitted = Type.Object({ response: Phq9Item, item9Positive: Type.Boolean() });
export type Phq9Submitted = Static<typeof Phq9Submitted>;

/** POST /api/patients/:patientId/gad7 (answers with a MeasurementItem) */
export const Gad7Body = Type.Object(
  { items: Type.Array(Type.Integer({ minimum: 0, maximum: 3 }), { minItems: 7, maxItems: 7 }) },
  { additionalProperties: false }
);
export type Gad7Body = Static<typeof Gad7Body>;

/**
 * POST /api/patients/:patientId/wsas (answers with a MeasurementItem). `workStatus` stays an enum
 * keyword rather than a union of literals: a wrong value is then one 400 reason, as before.
 */
export const WsasBody = Type.Object(
  {
    items: Type.Array(Type.Union([Type.Integer({ minimum: 0, maximum: 8 }), Type.Null()]), {
      minItems: 5,
      maxItems: 5,
    }),
    workStatus: Type.Enum(WORK_STATUSES),
  },
  { additionalProperties: false }
);
export type WsasBody = Static<typeof WsasBody>;

/** GET /api/patients/:patientId/questionnaire-responses */
export const Phq9List = Type.Object({ items: Type.Array(Phq9Item) });
export type Phq9List = Static<typeof Phq9List>;

/** GET /api/patients/:patientId/measurements */
export const MeasurementList = Type.Object({ items: Type.Array(MeasurementItem) });
export type MeasurementList = Static<typeof MeasurementList>;

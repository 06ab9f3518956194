/**
 * The API contract of a patient's own record (issue 12 §2): the summary, the log of who has looked
 * at their data, and the messages the patient wrote to the GP with a questionnaire. The server
 * validates and serialises with these schemas; the web takes its types from them. Imports only
 * contract and domain.
 */
import { Type, type Static } from 'typebox';
import { Nullable, Uuid } from './common.js';
import { InstrumentSchema, ProgramStatusSchema } from './program.js';

export const PatientAccountStateSchema = Type.Union([
  Type.Literal('none'),
  Type.Literal('active'),
  Type.Literal('awaiting_password'),
  Type.Literal('disabled'),
]);
export type PatientAccountState = Static<typeof PatientAccountStateSchema>;

/** GET /api/patients/:patientId */
export const PatientSummary = Type.Object({
  id: Uuid,
  displayName: Type.String(),
  birthYear: Type.Integer(),
  sex: Type.Union([Type.Literal('female'), Type.Literal('male')]),
  program: Type.Object({ status: ProgramStatusSchema, modulesCompleted: Type.Integer() }),
  gp: Nullable(Type.Object({ displayName: Type.String() })),
  account: Type.Object({
    state: PatientAccountStateSchema,
    /** The latest recovery a GP started, shown to the patient (within 90 days). */
    lastRecovery: Nullable(Type.Object({ at: Type.String(), byName: Type.String() })),
  }),
});
export type PatientSummary = Static<typeof PatientSummary>;

export const AccessLogEntry = Type.Object({
  occurredAt: Type.String(),
  actorName: Type.String(),
  actorRole: Type.String(),
  practiceName: Nullable(Type.String()),
  action: Type.String(),
  dataCategory: Type.String(),
  accessBasis: Type.String(),
});
export type AccessLogEntry = Static<typeof AccessLogEntry>;

/** GET /api/patients/:patientId/access-log */
export const AccessLog = Type.Object({ items: Type.Array(AccessLogEntry) });
export type AccessLog = Static<typeof AccessLog>;

export const PatientMessage = Type.Object({
  responseId: Uuid,
  instrument: InstrumentSchema,
  sentAt: Type.String(),
  text: Type.String(),
  readAt: Nullable(Type.String()),
  readByName: Nullable(Type.String()),
});
export type PatientMessage = Static<typeof PatientMessage>;

/** GET /api/patients/:patientId/patient-messages (unread first). */
export const PatientMessageList = Type.Object({ items: Type.Array(PatientMessage) });
export type PatientMessageList = Static<typeof PatientMessageList>;

/** POST /api/patients/:patientId/patient-messages/:responseId/read (answers with the message). */
export const PatientMessageParams = Type.Object(
  { patientId: Uuid, responseId: Uuid },
  { additionalProperties: false }
);

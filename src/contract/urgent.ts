/**
 * The API contract of urgent cases (issue 12 §2): the patient's open and recent cases with every
 * answer, deadline, escalation and delivery, closing a case with what was done, and the practice's
 * open cases. The server validates and serialises with these schemas; the web takes its types from
 * them (`Static<…>`). Imports only contract and domain.
 */
import { Type, type Static } from 'typebox';
import { URGENT_CONTACTS, URGENT_TEXT_MAX } from '../domain/safety/urgent-case.js';
import { Nullable, Uuid } from './common.js';

const Iso = Type.String();

export const DeliveryStateSchema = Type.Union([
  Type.Literal('sent'),
  Type.Literal('retrying'),
  Type.Literal('failed'),
]);
export type DeliveryState = Static<typeof DeliveryStateSchema>;

export const EscalatedToSchema = Type.Union([Type.Literal('cover'), Type.Literal('practice')]);
export type EscalatedTo = Static<typeof EscalatedToSchema>;

export const UrgentDelivery = Type.Object({
  channel: Type.Union([Type.Literal('email'), Type.Literal('sms')]),
  purpose: Type.Union([Type.Literal('urgent_new'), Type.Literal('urgent_escalation')]),
  recipientKind: Type.Union([
    Type.Literal('gp'),
    Type.Literal('cover'),
    Type.Literal('practice_gp'),
    Type.Literal('practice_address'),
  ]),
  /** The person's name; the practice's shared address for practice_address. */
  recipientName: Nullable(Type.String()),
  state: DeliveryStateSchema,
  at: Iso,
  attempts: Type.Integer(),
  error: Nullable(Type.String()),
});
export type UrgentDelivery = Static<typeof UrgentDelivery>;

export const UrgentCase = Type.Object({
  id: Uuid,
  openedAt: Iso,
  dueAt: Iso,
  overdue: Type.Boolean(),
  escalatedAt: Nullable(Iso),
  escalatedTo: Nullable(EscalatedToSchema),
  answers: Type.Array(Type.Object({ item9Score: Type.Integer(), answeredAt: Iso })),
  deliveries: Type.Array(UrgentDelivery),
  closed: Nullable(
    Type.Object({
      at: Iso,
      byName: Type.String(),
      contact: Type.Enum(URGENT_CONTACTS),
      assessment: Type.String(),
      plan: Type.String(),
    })
  ),
});
export type UrgentCase = Static<typeof UrgentCase>;

export const PatientUrgentCases = Type.Object({ open: Nullable(UrgentCase), recent: Type.Array(UrgentCase) });
export type PatientUrgentCases = Static<typeof PatientUrgentCases>;

export const UrgentCaseParams = Type.Object(
  { patientId: Uuid, caseId: Uuid },
  { additionalProperties: false }
);

/** POST /api/patients/:patientId/urgent-cases/:caseId/close */
export const CloseUrgentCaseBody = Type.Object(
  {
    contact: Type.Enum(URGENT_CONTACTS),
    assessment: Type.String({ maxLength: URGENT_TEXT_MAX }),
    plan: Type.String({ maxLength: URGENT_TEXT_MAX }),
  },
  { additionalProperties: false }
);
export type CloseUrgentCaseBody = Static<typeof CloseUrgentCaseBody>;

export const PracticeUrgentCase = Type.Object({
  caseId: Uuid,
  patientId: Uuid,
  patientName: Type.String(),
  gpName: Nullable(Type.String()),
  openedAt: Iso,
  dueAt: Iso,
  overdue: Type.Boolean(),
  escalatedTo: Nullable(EscalatedToSchema),
  failedDeliveries: Type.Integer(),
});
export type PracticeUrgentCase = Static<typeof PracticeUrgentCase>;

/** GET /api/gp/urgent-cases */
export const PracticeUrgentCases = Type.Object({ items: Type.Array(PracticeUrgentCase) });
export type PracticeUrgentCases = Static<typeof PracticeUrgentCases>;

/**
 * The API contract of the patient's in-app reminders (issue 12 §2). The server validates and
 * serialises with these schemas; the web takes its types from them (`Static<…>`).
 */
import { Type, type Static } from 'typebox';
import { Uuid } from './common.js';

export const ReminderKindSchema = Type.Union([
  Type.Literal('module_available'),
  Type.Literal('measure_due'),
  Type.Literal('followup_soon'),
  Type.Literal('inactive'),
]);
export type ReminderKind = Static<typeof ReminderKindSchema>;

export const Reminder = Type.Object({
  id: Uuid,
  kind: ReminderKindSchema,
  reference: Type.String(),
  createdAt: Type.String(),
  read: Type.Boolean(),
});
export type Reminder = Static<typeof Reminder>;

export const ReminderList = Type.Object({ items: Type.Array(Reminder) });
export type ReminderList = Static<typeof ReminderList>;

export const ReminderParams = Type.Object(
  { patientId: Uuid, reminderId: Uuid },
  { additionalProperties: false }
);

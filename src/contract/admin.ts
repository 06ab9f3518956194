/**
 * The API contract of user administration (issue 12 §2): staff accounts, the practices a GP can
 * belong to, creating, disabling and enabling accounts, and the audit chain check. No schema here
 * carries clinical data. Imports only contract and domain.
 */
import { Type, type Static } from 'typebox';
import { RoleSchema } from './common.js';
import { Nullable, Uuid } from './common.js';

export const AdminUser = Type.Object({
  id: Uuid,
  username: Type.String(),
  displayName: Type.String(),
  role: RoleSchema,
  practiceName: Nullable(Type.String()),
  disabled: Type.Boolean(),
  createdAt: Type.String(),
});
export type AdminUser = Static<typeof AdminUser>;

/** GET /api/admin/users */
export const AdminUserList = Type.Object({
  items: Type.Array(AdminUser),
  /** Patient accounts are counted, not listed: having one says "in a depression program". */
  patientAccounts: Type.Integer(),
});
export type AdminUserList = Static<typeof AdminUserList>;

/** GET /api/admin/practices */
export const PracticeList = Type.Object({
  items: Type.Array(Type.Object({ id: Uuid, name: Type.String() })),
});
export type PracticeList = Static<typeof PracticeList>;

/** POST /api/admin/users */
export const CreateUserBody = Type.Object(
  {
    username: Type.String({ minLength: 3, maxLength: 64, pattern: '^[a-zA-Z0-9._-]+$' }),
    displayName: Type.String({ minLength: 1, maxLength: 120 }),
    role: RoleSchema,
    password: Type.String({ minLength: 1, maxLength: 128 }),
    practiceId: Type.Optional(Uuid),
  },
  { additionalProperties: false }
);
export type CreateUserBody = Static<typeof CreateUserBody>;

/** POST /api/admin/users/:userId/disable and …/enable */
export const UserIdParams = Type.Object({ userId: Uuid }, { additionalProperties: false });

/** GET /api/admin/audit/verify */
export const AuditVerification = Type.Object({
  ok: Type.Boolean(),
  eventCount: Type.Integer(),
  brokenAtSeq: Nullable(Type.Integer()),
  /** Checkpoints outside the database that were checked against the rows. */
  checkpoints: Type.Integer(),
  problem: Nullable(Type.String()),
});
export type AuditVerification = Static<typeof AuditVerification>;

/**
 * What the admin reads (issue 12 §1): staff accounts (patients only as a count), the practices,
 * and the audit chain's verification. No query here returns clinical data.
 */
import type { Kysely } from 'kysely';
import type { AdminUser, AdminUserList, AuditVerification, PracticeList } from '../../contract/admin.js';
import type { Database } from '../../db/schema.js';
import type { Role } from '../../domain/access/policy.js';
import type { DataContext } from '../access/data-context.js';
import type { AuditAnchorStore } from '../audit/anchor-store.js';
import { verifyStoredAuditChain } from '../audit/audit-log.js';

function usersQuery(db: Kysely<Database>) {
  return db
    .selectFrom('users as u')
    .leftJoin('practices as pr', 'pr.id', 'u.practice_id')
    .select([
      'u.id',
      'u.username',
      'u.display_name',
      'u.role',
      'pr.name as practice_name',
      'u.disabled_at',
      'u.created_at',
    ]);
}

interface UserQueryRow {
  id: string;
  username: string;
  display_name: string;
  role: Role;
  practice_name: string | null;
  disabled_at: Date | string | null;
  created_at: Date | string;
}

function toAdminUser(row: UserQueryRow): AdminUser {
  return {
    id: row.id,
    username: row.username,
    displayName: row.display_name,
    role: row.role,
    practiceName: row.practice_name,
    disabled: row.disabled_at !== null,
    createdAt: new Date(row.created_at).toISOString(),
  };
}

/** One account as the admin sees it (it must exist). */
export async function loadAdminUser(db: Kysely<Database>, userId: string): Promise<AdminUser> {
  return toAdminUser(await usersQuery(db).where('u.id', '=', userId).executeTakeFirstOrThrow());
}

/** Staff accounts; patient accounts are counted, not listed (having one says "in a depression program"). */
export async function listUsers(ctx: DataContext): Promise<AdminUserList> {
  const rows = await usersQuery(ctx.db)
    .where('u.role', '!=', 'patient')
    .orderBy('u.role')
    .orderBy('u.username')
    .execute();
  const patients = await ctx.db
    .selectFrom('users')
    .select((eb) => eb.fn.countAll<number>().as('n'))
    .where('role', '=', 'patient')
    .executeTakeFirstOrThrow();
  return { items: rows.map(toAdminUser), patientAccounts: Number(patients.n) };
}

export async function listPractices(ctx: DataContext): Promise<PracticeList> {
  return { items: await ctx.db.selectFrom('practices').select(['id', 'name']).orderBy('name').execute() };
}

/**
 * The audit chain link by link (after linking what is queued), events left unlinked too long, and
 * every checkpoint in the anchor store against the chain.
 */
export async function verifyAuditChain(
  ctx: DataContext,
  keys: { auditKey: Buffer; anchors: AuditAnchorStore | null }
): Promise<AuditVerification> {
  const result = await verifyStoredAuditChain(ctx.db, keys.auditKey, keys.anchors, { now: ctx.now });
  return {
    ok: result.ok,
    eventCount: result.eventCount,
    brokenAtSeq: result.ok || result.brokenAtSeq === 0 ? null : result.brokenAtSeq,
    checkpoints: result.checkpoints,
    problem: result.problem,
  };
}

/**
 * What the admin changes (issue 12 §1): creating a staff account, and disabling or enabling one
 * (a disabled account loses every session at once). Each change is audited in its transaction.
 */
import type { AdminUser, CreateUserBody } from '../../contract/admin.js';
import type { DataContext } from '../access/data-context.js';
import { hashPassword, passwordProblems } from '../auth/passwords.js';
import { revokeUserSessions } from '../auth/sessions.js';
import { badRequest, HttpProblem, notFound } from '../problem.js';
import { loadAdminUser } from './admin.queries.js';

/** A new staff account; patients get theirs through their GP's invitation, not here. */
export async function createUser(ctx: DataContext, body: CreateUserBody): Promise<AdminUser> {
  const { username, displayName, role, password, practiceId } = body;
  const problems = passwordProblems(password).map((reason) => ({ field: 'password', reason }));
  if (role === 'patient') {
    problems.push({ field: 'role', reason: "patients get their account through their GP's invitation" });
  }
  // Stored trimmed: a name of only spaces would break the table's length check (a 500).
  if (displayName.trim() === '') problems.push({ field: 'displayName', reason: 'must not be blank' });
  if (role === 'gp' && !practiceId) problems.push({ field: 'practiceId', reason: 'is required for a GP' });
  // A guide helps the patients of one practice, assigned by its GPs (issue 17).
  if (role === 'guide' && !practiceId)
    problems.push({ field: 'practiceId', reason: 'is required for a guide' });
  if (practiceId) {
    const practice = await ctx.db
      .selectFrom('practices')
      .select('id')
      .where('id', '=', practiceId)
      .executeTakeFirst();
    if (!practice) problems.push({ field: 'practiceId', reason: 'does not match a practice' });
  }
  if (problems.length > 0) throw badRequest(problems);
  const normalized = username.toLowerCase();
  const passwordHash = await hashPassword(password);
  const id = await ctx.withAudit(async (trx, audit) => {
    const taken = await trx
      .selectFrom('users')
      .select('id')
      .where('username', '=', normalized)
      .executeTakeFirst();
    if (taken)
      throw new HttpProblem(409, 'Conflict', 'username is already in use', [
        { field: 'username', reason: 'is already in use' },
      ]);
    const created = await trx
      .insertInto('users')
      .values({
        username: normalized,
        display_name: displayName.trim(),
        role,
        password_hash: passwordHash,
        practice_id: practiceId ?? null,
      })
      .returning('id')
      .executeTakeFirstOrThrow();
    audit({ action: 'create', dataCategory: 'user account', patientIds: [null] });
    return created.id;
  });
  return loadAdminUser(ctx.db, id);
}

/** Disables or enables an account; an admin cannot disable their own. */
export async function setUserDisabled(
  ctx: DataContext,
  userId: string,
  change: 'disable' | 'enable'
): Promise<AdminUser> {
  if (change === 'disable' && userId === ctx.actor.userId) {
    throw badRequest([{ field: 'userId', reason: 'you cannot disable your own account' }]);
  }
  const { now } = ctx;
  await ctx.withAudit(async (trx, audit) => {
    const updated = await trx
      .updateTable('users')
      .set({ disabled_at: change === 'disable' ? now : null })
      .where('id', '=', userId)
      .returning('id')
      .executeTakeFirst();
    if (!updated) throw notFound();
    // A disabled account loses every session at once (R-A7).
    if (change === 'disable') await revokeUserSessions(trx, userId, now);
    audit({ action: 'update', dataCategory: `user account: ${change}`, patientIds: [null] });
  });
  return loadAdminUser(ctx.db, userId);
}

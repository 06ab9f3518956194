/**
 * Who is logged in, as the session and login answers show it (issue 12 §1): the user with their
 * practice and, for a patient, their patient record.
 */
import type { Kysely } from 'kysely';
import type { SessionUser } from '../../contract/auth.js';
import type { Database } from '../../db/schema.js';
import type { DataContext } from '../access/data-context.js';

export async function loadSessionUser(db: Kysely<Database>, userId: string): Promise<SessionUser> {
  const row = await db
    .selectFrom('users')
    .leftJoin('practices', 'practices.id', 'users.practice_id')
    .leftJoin('patients', 'patients.user_id', 'users.id')
    .select([
      'users.id',
      'users.username',
      'users.display_name',
      'users.role',
      'practices.name as practice_name',
      'patients.id as patient_id',
    ])
    .where('users.id', '=', userId)
    .executeTakeFirstOrThrow();
  return {
    id: row.id,
    username: row.username,
    displayName: row.display_name,
    role: row.role,
    practiceName: row.practice_name,
    patientId: row.patient_id,
  };
}

/** The logged-in actor, for GET /api/auth/session. */
export function currentUser(ctx: DataContext): Promise<SessionUser> {
  return loadSessionUser(ctx.db, ctx.actor.userId);
}

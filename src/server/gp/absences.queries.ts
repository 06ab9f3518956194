/**
 * The GP's absences that have not ended yet, and the colleagues who could cover (issue 12 §1).
 * No patient data: nothing here is audited as a read.
 */
import type { AbsenceList } from '../../contract/gp.js';
import type { DataContext } from '../access/data-context.js';

export async function listAbsences(ctx: DataContext): Promise<AbsenceList> {
  const { db, actor, now } = ctx;
  const rows = await db
    .selectFrom('gp_absences as a')
    .leftJoin('users as d', 'd.id', 'a.delegate_user_id')
    .select(['a.id', 'a.starts_at', 'a.ends_at', 'd.id as delegate_id', 'd.display_name as delegate_name'])
    .where('a.gp_user_id', '=', actor.userId)
    .where('a.ends_at', '>', now)
    .orderBy('a.starts_at')
    .execute();
  const colleagues = await db
    .selectFrom('users')
    .select(['id', 'display_name'])
    .where('role', '=', 'gp')
    .where('practice_id', '=', actor.practiceId)
    .where('id', '!=', actor.userId)
    .where('disabled_at', 'is', null)
    .orderBy('display_name')
    .execute();
  return {
    items: rows.map((r) => ({
      id: r.id,
      startsAt: new Date(r.starts_at).toISOString(),
      endsAt: new Date(r.ends_at).toISOString(),
      delegate: r.delegate_id ? { id: r.delegate_id, displayName: r.delegate_name! } : null,
    })),
    colleagues: colleagues.map((c) => ({ id: c.id, displayName: c.display_name })),
  };
}

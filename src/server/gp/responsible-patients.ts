/**
 * What the GP's pages share: the patients this GP is responsible for now (their own list and the
 * lists they cover), and one audit event per patient shown, with the basis that allowed it.
 * The feature modules use the data-context forms (`responsiblePatientsOf`, `auditShownIn`).
 */
import { sql, type Kysely } from 'kysely';
import type { Database } from '../../db/schema.js';
import type { DataContext } from '../access/data-context.js';

export const GP_ONLY = { roles: ['gp'] } as const;

/**
 * The patients this GP is responsible for now, with the basis: their own list, plus the lists of
 * absent colleagues they cover for.
 */
export async function responsiblePatients(
  db: Kysely<Database>,
  gpUserId: string,
  practiceId: string | null,
  now: Date
) {
  const today = now.toISOString().slice(0, 10);
  const covered = await db
    .selectFrom('gp_absences as a')
    .innerJoin('users as u', 'u.id', 'a.gp_user_id')
    .select(['a.gp_user_id'])
    .where('a.starts_at', '<=', now)
    .where('a.ends_at', '>', now)
    .where('a.gp_user_id', '!=', gpUserId)
    .where((eb) =>
      eb.or([
        eb('a.delegate_user_id', '=', gpUserId),
        eb.and([eb('a.delegate_user_id', 'is', null), eb('u.practice_id', '=', practiceId)]),
      ])
    )
    .execute();
  const gpIds = [gpUserId, ...covered.map((c) => c.gp_user_id)];
  const rows = await db
    .selectFrom('gp_list_entries as l')
    .innerJoin('patients as p', 'p.id', 'l.patient_id')
    .select(['p.id', 'p.display_name', 'l.gp_user_id'])
    .where('l.gp_user_id', 'in', gpIds)
    .where('l.valid_from', '<=', sql<Date>`${today}::date`)
    .where((eb) => eb.or([eb('l.valid_to', 'is', null), eb('l.valid_to', '>=', sql<Date>`${today}::date`)]))
    .execute();
  return rows.map((r) => ({
    id: r.id,
    displayName: r.display_name,
    basis: r.gp_user_id === gpUserId ? 'gp_list' : 'absence_cover',
  }));
}

/** A patient the GP is responsible for now, and the basis (`gp_list` or `absence_cover`). */
export type ResponsiblePatient = Awaited<ReturnType<typeof responsiblePatients>>[number];

/** `responsiblePatients` for the request's actor, at the request's `now`. */
export function responsiblePatientsOf(ctx: DataContext): Promise<ResponsiblePatient[]> {
  return responsiblePatients(ctx.db, ctx.actor.userId, ctx.actor.practiceId, ctx.now);
}

/** Audits a list the GP was shown: one read event per basis (list, cover), in one transaction. */
export async function auditShownIn(
  ctx: DataContext,
  dataCategory: string,
  patients: { id: string; basis: string }[]
): Promise<void> {
  await ctx.withAudit(async (_trx, audit) => {
    for (const basis of ['gp_list', 'absence_cover']) {
      const ids = patients.filter((p) => p.basis === basis).map((p) => p.id);
      if (ids.length) audit({ action: 'read', dataCategory, patientIds: ids, basis });
    }
  });
}

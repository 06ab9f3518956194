/**
 * Planning and ending the GP's absences (issue 12 §1). While an absence lasts the covering
 * colleague (or the whole practice) has access to the absent GP's patients, and none after; each
 * change is in the audit log.
 */
import type { Absence, NewAbsenceBody } from '../../contract/gp.js';
import type { DataContext } from '../access/data-context.js';
import { badRequest, notFound } from '../problem.js';

/** Plans an absence, covered by a named colleague of the same practice or by the whole practice. */
export async function planAbsence(ctx: DataContext, body: NewAbsenceBody): Promise<Absence> {
  const { actor, now } = ctx;
  const startsAt = new Date(body.startsAt);
  const endsAt = new Date(body.endsAt);
  if (endsAt <= startsAt) throw badRequest([{ field: 'endsAt', reason: 'must be after startsAt' }]);
  let delegate: { id: string; display_name: string } | undefined;
  if (body.delegateUserId) {
    delegate = await ctx.db
      .selectFrom('users')
      .select(['id', 'display_name'])
      .where('id', '=', body.delegateUserId)
      .where('role', '=', 'gp')
      .where('practice_id', '=', actor.practiceId)
      .where('id', '!=', actor.userId)
      .where('disabled_at', 'is', null)
      .executeTakeFirst();
    if (!delegate)
      throw badRequest([{ field: 'delegateUserId', reason: 'must be another GP in your practice' }]);
  }
  const created = await ctx.withAudit(async (trx, audit) => {
    const row = await trx
      .insertInto('gp_absences')
      .values({
        gp_user_id: actor.userId,
        starts_at: startsAt,
        ends_at: endsAt,
        delegate_user_id: delegate?.id ?? null,
        created_at: now,
      })
      .returning('id')
      .executeTakeFirstOrThrow();
    audit({ action: 'create', dataCategory: 'absence and cover', patientIds: [null] });
    return row;
  });
  return {
    id: created.id,
    startsAt: startsAt.toISOString(),
    endsAt: endsAt.toISOString(),
    delegate: delegate ? { id: delegate.id, displayName: delegate.display_name } : null,
  };
}

/**
 * Ends one of the GP's own absences now. Another GP's absence, or one already over, answers like
 * a missing one (404).
 */
export async function endAbsence(ctx: DataContext, absenceId: string): Promise<void> {
  const { now } = ctx;
  await ctx.withAudit(async (trx, audit) => {
    const absence = await trx
      .selectFrom('gp_absences')
      .select(['id', 'starts_at'])
      .where('id', '=', absenceId)
      .where('gp_user_id', '=', ctx.actor.userId)
      .where('ends_at', '>', now)
      .forUpdate()
      .executeTakeFirst();
    if (!absence) throw notFound();
    // Ending an absence that has not started cancels it: it never gave anyone access, and
    // "ends now" would end it before it began (the table's check refused that with a 500).
    const cancel = new Date(absence.starts_at) >= now;
    if (cancel) await trx.deleteFrom('gp_absences').where('id', '=', absence.id).execute();
    else await trx.updateTable('gp_absences').set({ ends_at: now }).where('id', '=', absence.id).execute();
    audit({
      action: cancel ? 'delete' : 'update',
      dataCategory: cancel ? 'absence and cover (cancelled)' : 'absence and cover (ended)',
      patientIds: [null],
    });
  });
}

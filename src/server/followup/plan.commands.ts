/**
 * Changing the follow-up plan (issue 12 §1): a talk added by the GP, and a talk moved, cancelled,
 * marked missed or handed to a colleague. Each write and its audit event commit together; the
 * answer is the plan as it is afterwards.
 */
import type { FollowUp, FollowUpChangeBody, NewFollowUpBody } from '../../contract/followup.js';
import { followUpOwner } from '../../domain/access/policy.js';
import type { DataContext } from '../access/data-context.js';
import { badRequest, HttpProblem } from '../problem.js';
import { findFollowUp, followUps } from './follow-up-shared.js';

/** An extra talk, owned by the patient's GP (the actor, or their listed GP for a colleague). */
export async function addFollowUp(
  ctx: DataContext,
  patientId: string,
  body: NewFollowUpBody
): Promise<FollowUp[]> {
  await ctx.withAudit(async (trx, audit) => {
    await trx
      .insertInto('follow_ups')
      .values({
        patient_id: patientId,
        gp_user_id: followUpOwner(ctx.actor, ctx.patientAccess!.listGpUserIds),
        module_id: body.moduleId ?? null,
        planned_at: new Date(body.plannedAt),
        duration_minutes: body.durationMinutes,
        kind: 'extra',
        created_at: ctx.now,
      })
      .execute();
    audit({ action: 'create', dataCategory: 'follow-up', patientIds: [patientId] });
  });
  return followUps(ctx.db, patientId);
}

/** Moves, cancels, marks missed or hands over a planned talk (409 if it is no longer planned). */
export async function changeFollowUp(
  ctx: DataContext,
  patientId: string,
  followUpId: string,
  body: FollowUpChangeBody
): Promise<FollowUp[]> {
  const existing = await findFollowUp(ctx.db, patientId, followUpId);
  if (existing.status !== 'planned')
    throw new HttpProblem(409, 'Conflict', `This follow-up is already ${existing.status}.`);
  if (body.gpUserId) {
    const colleague = await ctx.db
      .selectFrom('users')
      .select('id')
      .where('id', '=', body.gpUserId)
      .where('role', '=', 'gp')
      .where('practice_id', '=', ctx.actor.practiceId)
      .where('disabled_at', 'is', null)
      .executeTakeFirst();
    if (!colleague) throw badRequest([{ field: 'gpUserId', reason: 'must be a GP in your practice' }]);
  }
  await ctx.withAudit(async (trx, audit) => {
    await trx
      .updateTable('follow_ups')
      .set({
        ...(body.plannedAt ? { planned_at: new Date(body.plannedAt) } : {}),
        ...(body.durationMinutes ? { duration_minutes: body.durationMinutes } : {}),
        ...(body.status ? { status: body.status } : {}),
        ...(body.gpUserId ? { gp_user_id: body.gpUserId } : {}),
      })
      .where('id', '=', followUpId)
      .execute();
    audit({ action: 'update', dataCategory: 'follow-up', patientIds: [patientId] });
  });
  return followUps(ctx.db, patientId);
}

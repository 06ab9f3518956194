/**
 * Assigning a guide (issue 17): a GP with the patient on their list assigns a guide of the
 * patient's own practice, and ends the assignment; access follows at once (the access layer reads
 * the open assignments). Rows are never deleted, so the log review sees who had access when.
 */
import type { AssignGuideBody, GuideAssignment } from '../../contract/messages.js';
import type { DataContext } from '../access/data-context.js';
import { badRequest, HttpProblem, notFound } from '../problem.js';
import { listGuides } from './guides.queries.js';

export async function assignGuide(
  ctx: DataContext,
  patientId: string,
  body: AssignGuideBody
): Promise<GuideAssignment> {
  const { now, actor } = ctx;
  const id = await ctx.withAudit(async (trx, audit) => {
    const guide = await trx
      .selectFrom('users as u')
      .innerJoin('patients as p', 'p.practice_id', 'u.practice_id')
      .select('u.id')
      .where('u.id', '=', body.guideUserId)
      .where('u.role', '=', 'guide')
      .where('u.disabled_at', 'is', null)
      .where('p.id', '=', patientId)
      .executeTakeFirst();
    if (!guide) {
      throw badRequest([{ field: 'guideUserId', reason: "is not a guide at the patient's practice" }]);
    }
    const open = await trx
      .selectFrom('guide_assignments')
      .select('id')
      .where('patient_id', '=', patientId)
      .where('guide_user_id', '=', body.guideUserId)
      .where('ends_at', 'is', null)
      .executeTakeFirst();
    if (open) throw new HttpProblem(409, 'Conflict', 'This guide is already assigned to the patient.');
    const row = await trx
      .insertInto('guide_assignments')
      .values({
        patient_id: patientId,
        guide_user_id: body.guideUserId,
        assigned_by: actor.userId,
        starts_at: now,
        ends_at: null,
        ended_by: null,
      })
      .returning('id')
      .executeTakeFirstOrThrow();
    audit({ action: 'create', dataCategory: 'guide assignment', patientIds: [patientId] });
    return row.id;
  });
  return (await listGuides(ctx, patientId)).assignments.find((a) => a.id === id)!;
}

export async function endGuideAssignment(
  ctx: DataContext,
  patientId: string,
  assignmentId: string
): Promise<GuideAssignment> {
  const { now, actor } = ctx;
  await ctx.withAudit(async (trx, audit) => {
    const ended = await trx
      .updateTable('guide_assignments')
      .set({ ends_at: now, ended_by: actor.userId })
      .where('id', '=', assignmentId)
      .where('patient_id', '=', patientId)
      .where('ends_at', 'is', null)
      .returning('id')
      .executeTakeFirst();
    if (!ended) throw notFound();
    audit({ action: 'update', dataCategory: 'guide assignment ended', patientIds: [patientId] });
  });
  return (await listGuides(ctx, patientId)).assignments.find((a) => a.id === assignmentId)!;
}

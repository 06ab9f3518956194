/**
 * The patient writes their agenda for a planned talk (issue 12 §1): saved with its audit event in
 * one transaction; a talk no longer planned takes no agenda.
 */
import type { AgendaBody, SavedAgenda } from '../../contract/followup.js';
import type { DataContext } from '../access/data-context.js';
import { HttpProblem } from '../problem.js';
import { findFollowUp } from './follow-up-shared.js';

export async function saveAgenda(
  ctx: DataContext,
  patientId: string,
  followUpId: string,
  body: AgendaBody
): Promise<SavedAgenda> {
  const followUp = await findFollowUp(ctx.db, patientId, followUpId);
  if (followUp.status !== 'planned')
    throw new HttpProblem(409, 'Conflict', 'This follow-up is no longer planned.');
  const now = ctx.now;
  await ctx.withAudit(async (trx, audit) => {
    await trx
      .insertInto('follow_up_agendas')
      .values({
        follow_up_id: followUpId,
        patient_id: patientId,
        talk_about: body.talkAbout,
        tried: body.tried,
        updated_at: now,
      })
      .onConflict((oc) =>
        oc
          .column('follow_up_id')
          .doUpdateSet({ talk_about: body.talkAbout, tried: body.tried, updated_at: now })
      )
      .execute();
    audit({ action: 'update', dataCategory: 'agenda for follow-up', patientIds: [patientId] });
  });
  return { talkAbout: body.talkAbout, tried: body.tried, updatedAt: now.toISOString() };
}

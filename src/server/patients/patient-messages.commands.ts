/**
 * Marking a patient's message read (issue 12 §1): only by a GP's explicit act, so a message stays
 * on the worklist, the patient page and the card until someone has read it.
 */
import type { PatientMessage } from '../../contract/patients.js';
import type { DataContext } from '../access/data-context.js';
import { notFound } from '../problem.js';
import { loadPatientMessages } from './patient-messages.queries.js';

export async function markMessageRead(
  ctx: DataContext,
  patientId: string,
  responseId: string
): Promise<PatientMessage> {
  const { now } = ctx;
  await ctx.withAudit(async (trx, audit) => {
    const marked = await trx
      .updateTable('questionnaire_responses')
      .set({ note_read_at: now, note_read_by: ctx.actor.userId })
      .where('id', '=', responseId)
      .where('patient_id', '=', patientId)
      .where('patient_note', 'is not', null)
      .where('note_read_at', 'is', null)
      .returning('id')
      .executeTakeFirst();
    // Another patient's response, one without a message, or one already read: all the same 404.
    if (!marked) throw notFound();
    audit({ action: 'update', dataCategory: 'patient message read', patientIds: [patientId] });
  });
  return (await loadPatientMessages(ctx.db, patientId)).find((m) => m.responseId === responseId)!;
}

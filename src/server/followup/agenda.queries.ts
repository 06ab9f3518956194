/** Reading the patient's agenda for a talk (issue 12 §1), recorded in the audit log. */
import type { Agenda } from '../../contract/followup.js';
import type { DataContext } from '../access/data-context.js';
import { findFollowUp } from './follow-up-shared.js';

/** Empty texts and no time when the patient has written nothing yet. */
export async function readAgenda(ctx: DataContext, patientId: string, followUpId: string): Promise<Agenda> {
  await findFollowUp(ctx.db, patientId, followUpId);
  const row = await ctx.db
    .selectFrom('follow_up_agendas')
    .selectAll()
    .where('follow_up_id', '=', followUpId)
    .executeTakeFirst();
  await ctx.recordRead({ action: 'read', dataCategory: 'agenda for follow-up', patientIds: [patientId] });
  return {
    talkAbout: row?.talk_about ?? '',
    tried: row?.tried ?? '',
    updatedAt: row ? new Date(row.updated_at).toISOString() : null,
  };
}

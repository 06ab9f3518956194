/** The patient marks a reminder as read (issue 12 §1); another patient's reminder is a 404. */
import type { DataContext } from '../access/data-context.js';
import { notFound } from '../problem.js';

export async function markReminderRead(
  ctx: DataContext,
  args: { patientId: string; reminderId: string }
): Promise<void> {
  await ctx.withAudit(async (trx, audit) => {
    const updated = await trx
      .updateTable('reminders')
      .set({ read_at: ctx.now })
      .where('id', '=', args.reminderId)
      .where('patient_id', '=', args.patientId)
      .returning('id')
      .executeTakeFirst();
    if (!updated) throw notFound();
    audit({ action: 'update', dataCategory: 'reminder read', patientIds: [args.patientId] });
  });
}

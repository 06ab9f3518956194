/** The patient's in-app reminders, newest first (issue 12 §1); reading them is audited. */
import type { ReminderList } from '../../contract/reminders.js';
import type { DataContext } from '../access/data-context.js';

export async function listReminders(ctx: DataContext, patientId: string): Promise<ReminderList> {
  const rows = await ctx.db
    .selectFrom('reminders')
    .select(['id', 'kind', 'reference', 'created_at', 'read_at'])
    .where('patient_id', '=', patientId)
    .orderBy('created_at', 'desc')
    .limit(50)
    .execute();
  await ctx.recordRead({ action: 'read', dataCategory: 'reminders', patientIds: [patientId] });
  return {
    items: rows.map((r) => ({
      id: r.id,
      kind: r.kind,
      reference: r.reference,
      createdAt: new Date(r.created_at).toISOString(),
      read: r.read_at !== null,
    })),
  };
}

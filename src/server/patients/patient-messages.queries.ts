/**
 * The patient's messages to the GP (the free-text note with a questionnaire), newest first
 * (issue 12 §1).
 */
import type { Kysely } from 'kysely';
import type { PatientMessage, PatientMessageList } from '../../contract/patients.js';
import type { Database } from '../../db/schema.js';
import type { DataContext } from '../access/data-context.js';

/** The latest 20 messages, newest first (not audited: callers audit what they do with them). */
export async function loadPatientMessages(
  db: Kysely<Database>,
  patientId: string
): Promise<PatientMessage[]> {
  const rows = await db
    .selectFrom('questionnaire_responses as q')
    .leftJoin('users as u', 'u.id', 'q.note_read_by')
    .select(['q.id', 'q.instrument', 'q.answered_at', 'q.patient_note', 'q.note_read_at', 'u.display_name'])
    .where('q.patient_id', '=', patientId)
    .where('q.patient_note', 'is not', null)
    .orderBy('q.answered_at', 'desc')
    .limit(20)
    .execute();
  return rows.map((r) => ({
    responseId: r.id,
    instrument: r.instrument,
    sentAt: new Date(r.answered_at).toISOString(),
    text: r.patient_note ?? '',
    readAt: r.note_read_at ? new Date(r.note_read_at).toISOString() : null,
    readByName: r.display_name,
  }));
}

/** For the treating GP: unread first, newest first within each; the read is audited. */
export async function listPatientMessages(ctx: DataContext, patientId: string): Promise<PatientMessageList> {
  const items = await loadPatientMessages(ctx.db, patientId);
  await ctx.recordRead({ action: 'read', dataCategory: 'patient messages', patientIds: [patientId] });
  return { items: [...items.filter((m) => !m.readAt), ...items.filter((m) => m.readAt)] };
}

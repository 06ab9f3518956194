/**
 * The patient's message with a questionnaire (issue 11 §5) stays in front of the GP until a GP
 * has marked it read: who and when, so it leaves the worklist only by a person's act.
 */
import { sql, type Kysely } from 'kysely';

export async function up(db: Kysely<unknown>): Promise<void> {
  await sql`
    alter table questionnaire_responses add column note_read_at timestamptz;
    alter table questionnaire_responses add column note_read_by uuid references users (id);
    create index questionnaire_responses_unread_notes on questionnaire_responses (patient_id)
      where patient_note is not null and note_read_at is null;
  `.execute(db);
}

export async function down(db: Kysely<unknown>): Promise<void> {
  await sql`
    drop index if exists questionnaire_responses_unread_notes;
    alter table questionnaire_responses drop column if exists note_read_at, drop column if exists note_read_by;
  `.execute(db);
}

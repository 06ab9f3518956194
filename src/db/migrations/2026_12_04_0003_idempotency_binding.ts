/**
 * Input integrity (issue items 10 and 11):
 * - an Idempotency-Key is bound to the request it was first used for: the route (method and
 *   pattern; the patient is the row's own) and a SHA-256 of the canonical JSON body. The same key
 *   with another route or body is refused (422) instead of replaying an unrelated answer. Keys
 *   stored before this have no body hash and can no longer replay (they are minutes old at most).
 * - a workbook entry id (chosen by the browser) is scoped to its patient: another patient's id is
 *   simply a new entry, so a PUT cannot tell whether that id exists elsewhere.
 */
import { sql, type Kysely } from 'kysely';

export async function up(db: Kysely<unknown>): Promise<void> {
  await sql`
    alter table questionnaire_responses
      add column idempotency_route text check (length(idempotency_route) <= 200),
      add column idempotency_body_sha256 text check (idempotency_body_sha256 ~ '^[0-9a-f]{64}$');
    update questionnaire_responses
      set idempotency_route = 'POST /api/patients/:patientId/' || instrument
      where idempotency_key is not null;
    alter table questionnaire_responses add constraint questionnaire_responses_idempotency_bound
      check (idempotency_key is null or idempotency_route is not null);

    alter table workbook_entries drop constraint workbook_entries_pkey;
    alter table workbook_entries add primary key (patient_id, id);
  `.execute(db);
}

export async function down(db: Kysely<unknown>): Promise<void> {
  await sql`
    alter table workbook_entries drop constraint workbook_entries_pkey;
    alter table workbook_entries add primary key (id);
    alter table questionnaire_responses drop constraint if exists questionnaire_responses_idempotency_bound;
    alter table questionnaire_responses drop column if exists idempotency_body_sha256;
    alter table questionnaire_responses drop column if exists idempotency_route;
  `.execute(db);
}

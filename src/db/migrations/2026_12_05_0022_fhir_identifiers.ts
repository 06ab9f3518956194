/**
 * The FHIR API (issue 16): the identifiers Norwegian health IT uses, and the note as the GP saw it.
 *
 * - `patients.national_id`: fødselsnummer or d-nummer (synthetic only in this platform's data), the
 *   Patient's identifier and what an ID-porten `pid` or an EPJ's patient context is matched on.
 * - `users.hpr_number`: the GP's number in Helsepersonellregisteret, the Practitioner's identifier
 *   and what a HelseID token's HPR claim is matched on.
 * - `follow_up_notes.note_text` / `note_language`: the text the GP copied into the record, so the
 *   DocumentReference carries exactly that text (older notes have none and are rebuilt from the
 *   structured fields).
 */
import { sql, type Kysely } from 'kysely';

export async function up(db: Kysely<unknown>): Promise<void> {
  await sql`
    alter table patients add column national_id text
      check (national_id ~ '^[0-9]{11}$');
    create unique index patients_national_id on patients (national_id) where national_id is not null;

    alter table users add column hpr_number text
      check (hpr_number ~ '^[0-9]{1,9}$');
    create unique index users_hpr_number on users (hpr_number) where hpr_number is not null;

    alter table follow_up_notes add column note_text text check (length(note_text) <= 20000);
    alter table follow_up_notes add column note_language text check (note_language in ('nb', 'en'));
  `.execute(db);
}

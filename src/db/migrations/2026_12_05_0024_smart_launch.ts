/**
 * SMART App Launch and HelseID (issue 16).
 *
 * - `oidc_login_attempts` now also holds GP logins through HelseID and EHR launches from a record
 *   system (EPJ); `context` carries what a provider needs between start and callback (for a SMART
 *   launch: the EPJ's `iss` and the `launch` value it sent).
 * - `epj_launch_sessions`: a platform session started from an EPJ keeps the EPJ's context (its
 *   FHIR base, the patient and practitioner there) and the EPJ's access token, so the GP's note can
 *   be written back to the record. The token is sealed with a key derived from the session cookie,
 *   which only the GP's browser holds: the database alone cannot use it. It goes with the session.
 * - `epj_note_deliveries`: which note went to which EPJ, where it landed, by whom and when (so the
 *   card says "sent" and a second press does not make a second document).
 */
import { sql, type Kysely } from 'kysely';

export async function up(db: Kysely<unknown>): Promise<void> {
  await sql`
    alter table oidc_login_attempts drop constraint oidc_login_attempts_provider_check;
    alter table oidc_login_attempts add constraint oidc_login_attempts_provider_check
      check (provider in ('idporten', 'helseid', 'smart'));
    alter table oidc_login_attempts add column context jsonb not null default '{}';

    create table epj_launch_sessions (
      session_token_hash text primary key references sessions (token_hash) on delete cascade,
      fhir_base_url text not null,
      epj_patient_id text not null,
      epj_practitioner_reference text not null,
      patient_id uuid not null references patients (id),
      scope text not null,
      sealed_access_token text not null,
      access_token_expires_at timestamptz not null,
      created_at timestamptz not null
    );

    create table epj_note_deliveries (
      note_id uuid not null references follow_up_notes (id),
      fhir_base_url text not null,
      document_reference text not null,
      sent_by uuid not null references users (id),
      sent_at timestamptz not null,
      primary key (note_id, fhir_base_url)
    );

    grant select, insert, update, delete on epj_launch_sessions to gpdep_app;
    grant select, insert, update, delete on epj_note_deliveries to gpdep_app;
  `.execute(db);
}

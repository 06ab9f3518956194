/**
 * Education, asked once and optional (issue 17, domain/outcomes/implementation.ts): the one
 * socio-economic measure the platform holds, for equity of uptake only. A row records that the
 * patient was asked: either an answer given with consent to that purpose, or "declined", in which
 * case no education is stored. Deleting the answer deletes the row's education and consent.
 */
import { sql, type Kysely } from 'kysely';

export async function up(db: Kysely<unknown>): Promise<void> {
  await sql`
    create table patient_education (
      patient_id uuid primary key references patients (id),
      education text check (education in ('low', 'medium', 'high')),
      consent_given_at timestamptz,
      answered_at timestamptz not null,
      -- An answer exists exactly when consent was given to its use.
      check ((education is null) = (consent_given_at is null))
    );

    grant select, insert, update, delete on patient_education to gpdep_app;
  `.execute(db);
}

/**
 * Breaking the glass (issue 16, domain/access/emergency-access.ts): a GP of the patient's practice
 * opens the patient outside the care relation for two hours, with a reason and a note. The rows
 * are what the access layer reads while the access lasts, and what the practice's log review
 * reads afterwards; they are never deleted by the application.
 */
import { sql, type Kysely } from 'kysely';

export async function up(db: Kysely<unknown>): Promise<void> {
  await sql`
    create table emergency_accesses (
      id uuid primary key default gen_random_uuid(),
      gp_user_id uuid not null references users (id),
      patient_id uuid not null references patients (id),
      reason text not null check (reason in ('acute_contact', 'urgent_case', 'gp_unavailable')),
      note text not null check (length(note) between 10 and 2000),
      started_at timestamptz not null,
      ends_at timestamptz not null check (ends_at > started_at)
    );
    create index emergency_accesses_by_patient on emergency_accesses (patient_id, ends_at);

    grant select, insert on emergency_accesses to gpdep_app;
  `.execute(db);
}

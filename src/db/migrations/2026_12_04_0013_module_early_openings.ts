/**
 * Pacing (issue 11 §3): a module opens a week after the previous one, unless the patient's GP opens
 * it earlier. Each early opening is kept with who, when and why: the GP's reason belongs to the
 * treatment record, and the patient's timeline shows it.
 */
import { sql, type Kysely } from 'kysely';

export async function up(db: Kysely<unknown>): Promise<void> {
  await sql`
    create table module_early_openings (
      patient_id uuid not null references patients (id),
      module_id text not null check (module_id in ('m2', 'm3', 'm4', 'm5')),
      opened_at timestamptz not null,
      opened_by uuid not null references users (id),
      reason text not null check (length(reason) between 1 and 500),
      primary key (patient_id, module_id)
    );
    grant select, insert on module_early_openings to gpdep_app;
  `.execute(db);
}

export async function down(db: Kysely<unknown>): Promise<void> {
  await sql`drop table if exists module_early_openings;`.execute(db);
}

/**
 * The GP's guided follow-up: the recorded recommendation (guidance level, baseline, the GP's
 * suitability decision), single-use invitations stored only as a hash, the patient's agenda before
 * a follow-up, the GP's structured notes, treat-to-target decisions, absences with a covering
 * colleague, and who has seen each safety alert.
 */
import { sql, type Kysely } from 'kysely';

export async function up(db: Kysely<unknown>): Promise<void> {
  await sql`
    alter table program_enrolments add column guidance_level text not null default 'guided'
      check (guidance_level in ('guided', 'minimal', 'self'));
    alter table program_enrolments add column baseline_phq9 integer;
    alter table program_enrolments add column baseline_item9 integer;
    alter table program_enrolments add column suitability_reasons jsonb not null default '[]';
    alter table program_enrolments add column suitability_decision text check (length(suitability_decision) <= 1000);

    alter table follow_ups add column kind text not null default 'module' check (kind in ('module', 'check_in', 'extra'));
    alter table follow_ups add column held_at timestamptz;

    create table invitations (
      id uuid primary key default gen_random_uuid(),
      patient_id uuid not null references patients (id),
      code_hash text not null unique,
      created_by uuid not null references users (id),
      created_at timestamptz not null,
      expires_at timestamptz not null,
      used_at timestamptz,
      revoked_at timestamptz
    );
    create index invitations_by_patient on invitations (patient_id, created_at desc);

    create table follow_up_agendas (
      follow_up_id uuid primary key references follow_ups (id),
      patient_id uuid not null references patients (id),
      talk_about text check (length(talk_about) <= 1000),
      tried text check (length(tried) <= 1000),
      updated_at timestamptz not null
    );

    create table follow_up_notes (
      id uuid primary key default gen_random_uuid(),
      follow_up_id uuid not null unique references follow_ups (id),
      patient_id uuid not null references patients (id),
      gp_user_id uuid not null references users (id),
      discussed text not null check (length(discussed) <= 4000),
      plan text not null check (length(plan) <= 4000),
      next_step text not null check (length(next_step) <= 2000),
      mode text not null check (mode in ('in_person', 'video', 'phone')),
      duration_minutes integer not null check (duration_minutes between 1 and 180),
      sick_leave_status text not null check (sick_leave_status in ('none', 'graded', 'full')),
      sick_leave_percent integer check (sick_leave_percent between 1 and 99),
      sick_leave_from date,
      sick_leave_to date,
      fee_codes jsonb not null default '[]',
      created_at timestamptz not null
    );

    create table treatment_decisions (
      id uuid primary key default gen_random_uuid(),
      patient_id uuid not null references patients (id),
      decided_by uuid not null references users (id),
      decided_at timestamptz not null,
      week integer not null check (week between 0 and 52),
      choice text not null check (choice in ('continue', 'more_gp_talks', 'consider_medication', 'low_threshold_service', 'refer_dps')),
      note text check (length(note) <= 2000)
    );

    create table gp_absences (
      id uuid primary key default gen_random_uuid(),
      gp_user_id uuid not null references users (id),
      starts_at timestamptz not null,
      ends_at timestamptz not null,
      -- A named colleague, or null: every GP in the practice (the practice's shared inbox).
      delegate_user_id uuid references users (id),
      created_at timestamptz not null,
      check (ends_at > starts_at)
    );
    create index gp_absences_current on gp_absences (gp_user_id, ends_at);

    create table alert_views (
      alert_id uuid not null references safety_alerts (id),
      user_id uuid not null references users (id),
      seen_at timestamptz not null,
      primary key (alert_id, user_id)
    );

    grant select, insert, update, delete on invitations, follow_up_agendas, follow_up_notes, treatment_decisions,
      gp_absences, alert_views to gpdep_app;
  `.execute(db);
}

export async function down(db: Kysely<unknown>): Promise<void> {
  await sql`
    drop table if exists alert_views, gp_absences, treatment_decisions, follow_up_notes, follow_up_agendas, invitations;
    alter table follow_ups drop column if exists kind, drop column if exists held_at;
    alter table program_enrolments drop column if exists guidance_level, drop column if exists baseline_phq9,
      drop column if exists baseline_item9, drop column if exists suitability_reasons, drop column if exists suitability_decision;
  `.execute(db);
}

/**
 * Foundation schema: practices, users and roles, patients and GP lists, sessions, the audit log,
 * and the first clinical table (questionnaire responses) with safety alerts.
 *
 * Runs unchanged on PGlite and PostgreSQL 15. The audit log is append-only twice over:
 * the application role `gpdep_app` has only SELECT and INSERT on it, and a trigger refuses
 * UPDATE, DELETE and TRUNCATE for everyone, owner included.
 */
import { sql, type Kysely } from 'kysely';

export async function up(db: Kysely<unknown>): Promise<void> {
  await sql`
    create table practices (
      id uuid primary key default gen_random_uuid(),
      name text not null,
      created_at timestamptz not null default now()
    );

    create table users (
      id uuid primary key default gen_random_uuid(),
      username text not null unique check (username = lower(username) and length(username) between 3 and 64),
      display_name text not null check (length(display_name) between 1 and 120),
      role text not null check (role in ('patient', 'gp', 'researcher', 'admin')),
      password_hash text,
      practice_id uuid references practices (id),
      disabled_at timestamptz,
      created_at timestamptz not null default now(),
      check (role <> 'gp' or practice_id is not null)
    );

    create table patients (
      id uuid primary key default gen_random_uuid(),
      user_id uuid unique references users (id),
      display_name text not null check (length(display_name) between 1 and 120),
      birth_year integer not null check (birth_year between 1900 and 2100),
      sex text not null check (sex in ('female', 'male')),
      practice_id uuid not null references practices (id),
      created_at timestamptz not null default now()
    );

    -- Which patients a GP may see: the regular GP list (fastlegeliste). One active GP per patient.
    create table gp_list_entries (
      id uuid primary key default gen_random_uuid(),
      gp_user_id uuid not null references users (id),
      patient_id uuid not null references patients (id),
      valid_from date not null,
      valid_to date,
      check (valid_to is null or valid_to >= valid_from)
    );
    create unique index gp_list_one_active_gp on gp_list_entries (patient_id) where valid_to is null;
    create index gp_list_by_gp on gp_list_entries (gp_user_id) where valid_to is null;

    -- The iCBT program: no row means "not yet recommended".
    create table program_enrolments (
      id uuid primary key default gen_random_uuid(),
      patient_id uuid not null unique references patients (id),
      status text not null check (status in ('recommended', 'active', 'finished', 'stopped')),
      recommended_by uuid not null references users (id),
      recommended_at timestamptz not null,
      modules_completed integer not null default 0 check (modules_completed between 0 and 5),
      finished_at timestamptz
    );

    create table sessions (
      token_hash text primary key,
      user_id uuid not null references users (id),
      created_at timestamptz not null,
      last_seen_at timestamptz not null,
      idle_timeout_seconds integer not null,
      absolute_expires_at timestamptz not null,
      revoked_at timestamptz
    );
    create index sessions_by_user on sessions (user_id);

    -- Per-account backoff after failed logins (the per-IP limit is in memory, in the rate limiter).
    create table login_throttle (
      username text primary key,
      failures integer not null,
      next_allowed_at timestamptz not null
    );

    create table questionnaire_responses (
      id uuid primary key default gen_random_uuid(),
      patient_id uuid not null references patients (id),
      instrument text not null check (instrument in ('phq9')),
      instrument_version text not null,
      answered_at timestamptz not null,
      submitted_by uuid not null references users (id),
      item_scores jsonb not null,
      difficulty integer check (difficulty between 0 and 3),
      total_score integer not null check (total_score between 0 and 27),
      severity text not null,
      item9_score integer not null check (item9_score between 0 and 3),
      fhir_resource jsonb not null,
      -- Optional words from the patient to the GP, sent with the form. Patient-written: shown as text only.
      patient_note text check (length(patient_note) <= 1000),
      idempotency_key text,
      unique (patient_id, idempotency_key)
    );
    create index questionnaire_responses_latest on questionnaire_responses (patient_id, answered_at desc);

    create table safety_alerts (
      id uuid primary key default gen_random_uuid(),
      patient_id uuid not null references patients (id),
      response_id uuid not null unique references questionnaire_responses (id),
      item9_score integer not null check (item9_score between 1 and 3),
      created_at timestamptz not null,
      acknowledged_at timestamptz,
      acknowledged_by uuid references users (id)
    );
    create index safety_alerts_open on safety_alerts (patient_id) where acknowledged_at is null;

    create table audit_events (
      seq bigint primary key,
      occurred_at timestamptz not null,
      actor_user_id uuid,
      actor_role text not null,
      actor_name text not null,
      actor_practice_id uuid,
      patient_id uuid,
      action text not null,
      data_category text not null,
      access_basis text not null,
      outcome text not null check (outcome in ('allowed', 'denied', 'failed')),
      request_id text,
      prev_hash text not null,
      hash text not null
    );
    create index audit_events_by_patient on audit_events (patient_id, occurred_at desc);

    create table audit_chain_head (
      id integer primary key check (id = 1),
      last_seq bigint not null,
      last_hash text not null
    );
    insert into audit_chain_head (id, last_seq, last_hash) values (1, 0, 'genesis');

    create function audit_events_append_only() returns trigger language plpgsql as $$
    begin
      raise exception 'audit_events is append-only' using errcode = 'insufficient_privilege';
    end;
    $$;
    create trigger audit_events_no_update_delete before update or delete on audit_events
      for each row execute function audit_events_append_only();
    create trigger audit_events_no_truncate before truncate on audit_events
      for each statement execute function audit_events_append_only();
  `.execute(db);

  // The role the server runs as (SET ROLE after migrating). Roles are cluster-wide, so create it
  // only if missing; grants are per database.
  await sql`
    do $$
    begin
      if not exists (select 1 from pg_roles where rolname = 'gpdep_app') then
        create role gpdep_app nologin;
      end if;
    exception when duplicate_object or unique_violation then null;
    end
    $$;
  `.execute(db);
  await sql`
    grant usage on schema public to gpdep_app;
    grant select, insert, update, delete on practices, users, patients, gp_list_entries, program_enrolments,
      sessions, login_throttle, questionnaire_responses, safety_alerts, audit_chain_head to gpdep_app;
    revoke all on audit_events from public;
    grant select, insert on audit_events to gpdep_app;
  `.execute(db);
}

export async function down(db: Kysely<unknown>): Promise<void> {
  await sql`
    drop table if exists audit_chain_head, audit_events, safety_alerts, questionnaire_responses, login_throttle,
      sessions, program_enrolments, gp_list_entries, patients, users, practices cascade;
    drop function if exists audit_events_append_only();
  `.execute(db);
}

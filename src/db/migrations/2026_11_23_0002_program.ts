/**
 * The patient's program: module progress, quiz answers, the workbook (exercise answers, with the
 * patient's choice of what the GP may see), GAD-7 and WSAS beside the PHQ-9, planned follow-ups
 * with the GP, and reminders with a record of each delivery.
 */
import { sql, type Kysely } from 'kysely';

export async function up(db: Kysely<unknown>): Promise<void> {
  await sql`
    alter table questionnaire_responses drop constraint questionnaire_responses_instrument_check;
    alter table questionnaire_responses add constraint questionnaire_responses_instrument_check
      check (instrument in ('phq9', 'gad7', 'wsas'));
    alter table questionnaire_responses drop constraint questionnaire_responses_total_score_check;
    alter table questionnaire_responses add constraint questionnaire_responses_total_score_check
      check (total_score between 0 and 40);
    alter table questionnaire_responses alter column item9_score drop not null;
    alter table questionnaire_responses add constraint questionnaire_responses_phq9_item9
      check (instrument <> 'phq9' or item9_score is not null);
    alter table questionnaire_responses add column work_status text;
    alter table questionnaire_responses add column fhir_observation jsonb;
    alter table questionnaire_responses add constraint questionnaire_responses_wsas_work_status
      check (instrument <> 'wsas' or work_status is not null);
    create index questionnaire_responses_by_instrument on questionnaire_responses (patient_id, instrument, answered_at desc);

    alter table program_enrolments add column started_at timestamptz;

    create table module_progress (
      patient_id uuid not null references patients (id),
      module_id text not null check (module_id in ('m1', 'm2', 'm3', 'm4', 'm5')),
      started_at timestamptz not null,
      lessons_viewed jsonb not null default '[]',
      seconds_spent integer not null default 0 check (seconds_spent >= 0),
      completed_at timestamptz,
      primary key (patient_id, module_id)
    );

    create table quiz_answers (
      patient_id uuid not null references patients (id),
      module_id text not null,
      question_id text not null,
      option_id text not null,
      correct boolean not null,
      answered_at timestamptz not null,
      primary key (patient_id, module_id, question_id)
    );

    -- One row per exercise entry. The id comes from the browser, so an autosave retried after a
    -- lost connection lands on the same row; revision only moves forward, so a late retry of an
    -- older save can never overwrite a newer one.
    create table workbook_entries (
      id uuid primary key,
      patient_id uuid not null references patients (id),
      module_id text not null,
      exercise_id text not null,
      answers jsonb not null,
      revision integer not null check (revision >= 1),
      shared_with_gp boolean not null default false,
      created_at timestamptz not null,
      updated_at timestamptz not null
    );
    create index workbook_by_patient on workbook_entries (patient_id, updated_at desc);

    create table follow_ups (
      id uuid primary key default gen_random_uuid(),
      patient_id uuid not null references patients (id),
      gp_user_id uuid not null references users (id),
      module_id text check (module_id in ('m1', 'm2', 'm3', 'm4', 'm5')),
      planned_at timestamptz not null,
      duration_minutes integer not null default 20 check (duration_minutes between 5 and 120),
      status text not null default 'planned' check (status in ('planned', 'done', 'cancelled', 'missed')),
      created_at timestamptz not null
    );
    create index follow_ups_by_patient on follow_ups (patient_id, planned_at);
    create index follow_ups_by_gp on follow_ups (gp_user_id, planned_at) where status = 'planned';

    create table reminders (
      id uuid primary key default gen_random_uuid(),
      patient_id uuid not null references patients (id),
      kind text not null check (kind in ('module_available', 'measure_due', 'followup_soon', 'inactive')),
      reference text not null,
      created_at timestamptz not null,
      read_at timestamptz,
      unique (patient_id, kind, reference)
    );

    create table reminder_deliveries (
      id uuid primary key default gen_random_uuid(),
      reminder_id uuid not null references reminders (id),
      channel text not null,
      attempted_at timestamptz not null,
      status text not null check (status in ('sent', 'failed')),
      error text
    );

    grant select, insert, update, delete on module_progress, quiz_answers, workbook_entries, follow_ups,
      reminders, reminder_deliveries to gpdep_app;
  `.execute(db);
}

export async function down(db: Kysely<unknown>): Promise<void> {
  await sql`
    drop table if exists reminder_deliveries, reminders, follow_ups, workbook_entries, quiz_answers, module_progress;
    alter table program_enrolments drop column if exists started_at;
    delete from questionnaire_responses where instrument <> 'phq9';
    alter table questionnaire_responses drop column if exists work_status;
    alter table questionnaire_responses drop constraint if exists questionnaire_responses_phq9_item9;
    alter table questionnaire_responses alter column item9_score set not null;
  `.execute(db);
}

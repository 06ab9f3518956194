/**
 * Guidance between visits (issue 17): guides, message threads and feedback on shared exercises.
 *
 * - A user role `guide`: a named helper at the practice (e.g. a psychiatric nurse).
 * - `guide_assignments`: a GP of the patient assigns a guide of the same practice, from/until;
 *   the access layer reads the open ones (relation `assigned_guide`). Never deleted: ending an
 *   assignment sets `ends_at`, so the log review can see who had access when.
 * - `message_threads`, `thread_messages`, `message_reads`: a patient's threads with their care
 *   team; a read receipt per message and reader (when the other side read it).
 * - `exercise_feedback`: a GP's or guide's comment on a workbook entry the patient shared, and
 *   when the patient opened it.
 * - Notifications: purpose `message_new` (no case, no health content) to a GP, guide or patient.
 */
import { sql, type Kysely } from 'kysely';

export async function up(db: Kysely<unknown>): Promise<void> {
  await sql`
    alter table users drop constraint users_role_check;
    alter table users add constraint users_role_check
      check (role in ('patient', 'gp', 'researcher', 'admin', 'user_group', 'guide'));

    create table guide_assignments (
      id uuid primary key default gen_random_uuid(),
      patient_id uuid not null references patients (id),
      guide_user_id uuid not null references users (id),
      assigned_by uuid not null references users (id),
      starts_at timestamptz not null,
      ends_at timestamptz,
      ended_by uuid references users (id),
      check (ends_at is null or ends_at >= starts_at),
      check ((ends_at is null) = (ended_by is null))
    );
    create index guide_assignments_by_patient on guide_assignments (patient_id);
    create index guide_assignments_by_guide on guide_assignments (guide_user_id);
    create unique index guide_assignments_one_open on guide_assignments (patient_id, guide_user_id)
      where ends_at is null;

    create table message_threads (
      id uuid primary key default gen_random_uuid(),
      patient_id uuid not null references patients (id),
      subject text not null check (length(subject) between 1 and 120),
      created_by uuid not null references users (id),
      created_at timestamptz not null,
      last_message_at timestamptz not null,
      last_from_patient boolean not null
    );
    create index message_threads_by_patient on message_threads (patient_id, last_message_at);
    -- The worklist's question: which threads wait for the care team.
    create index message_threads_waiting on message_threads (patient_id) where last_from_patient;

    create table thread_messages (
      id uuid primary key default gen_random_uuid(),
      thread_id uuid not null references message_threads (id),
      author_user_id uuid not null references users (id),
      author_role text not null check (author_role in ('patient', 'gp', 'guide')),
      body text not null check (length(body) between 1 and 4000),
      sent_at timestamptz not null
    );
    create index thread_messages_by_thread on thread_messages (thread_id, sent_at);

    create table message_reads (
      message_id uuid not null references thread_messages (id),
      reader_user_id uuid not null references users (id),
      read_at timestamptz not null,
      primary key (message_id, reader_user_id)
    );

    create table exercise_feedback (
      id uuid primary key default gen_random_uuid(),
      patient_id uuid not null references patients (id),
      entry_id uuid not null,
      author_user_id uuid not null references users (id),
      author_role text not null check (author_role in ('gp', 'guide')),
      body text not null check (length(body) between 1 and 2000),
      created_at timestamptz not null,
      opened_at timestamptz,
      foreign key (patient_id, entry_id) references workbook_entries (patient_id, id)
    );
    create index exercise_feedback_by_patient on exercise_feedback (patient_id, created_at);

    alter table notifications drop constraint notifications_purpose_check;
    alter table notifications add constraint notifications_purpose_check
      check (purpose in ('urgent_new', 'urgent_escalation', 'test', 'message_new'));
    alter table notifications drop constraint notifications_case_unless_test;
    alter table notifications add constraint notifications_case_unless_test
      check ((purpose in ('test', 'message_new')) = (case_id is null));
    alter table notifications drop constraint notifications_recipient_kind_check;
    alter table notifications add constraint notifications_recipient_kind_check
      check (recipient_kind in ('gp', 'cover', 'practice_gp', 'practice_address', 'guide', 'patient'));

    grant select, insert, update on guide_assignments, message_threads, exercise_feedback to gpdep_app;
    grant select, insert on thread_messages, message_reads to gpdep_app;
  `.execute(db);
}

export async function down(db: Kysely<unknown>): Promise<void> {
  await sql`
    delete from notification_attempts
      where notification_id in (select id from notifications where purpose = 'message_new');
    delete from notifications where purpose = 'message_new';
    alter table notifications drop constraint notifications_recipient_kind_check;
    alter table notifications add constraint notifications_recipient_kind_check
      check (recipient_kind in ('gp', 'cover', 'practice_gp', 'practice_address'));
    alter table notifications drop constraint notifications_case_unless_test;
    alter table notifications add constraint notifications_case_unless_test
      check ((purpose = 'test') = (case_id is null));
    alter table notifications drop constraint notifications_purpose_check;
    alter table notifications add constraint notifications_purpose_check
      check (purpose in ('urgent_new', 'urgent_escalation', 'test'));
    drop table if exists exercise_feedback, message_reads, thread_messages, message_threads, guide_assignments;
    alter table users drop constraint users_role_check;
    alter table users add constraint users_role_check
      check (role in ('patient', 'gp', 'researcher', 'admin', 'user_group'));
  `.execute(db);
}

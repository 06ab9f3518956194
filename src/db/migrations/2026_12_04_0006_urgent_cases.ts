/**
 * Urgent cases (issue 11 §1): an item-9 answer above 0 opens a case for the patient (or joins the
 * open one), with a deadline from the practice's response standard; it is closed only by a GP
 * recording what was done. Notifications go out through an outbox (one row per recipient and
 * channel, each attempt logged), sent at once and retried, and escalate when the deadline passes.
 * Addresses for notifications live on users and practices; messages never carry health content.
 */
import { sql, type Kysely } from 'kysely';

export async function up(db: Kysely<unknown>): Promise<void> {
  await sql`
    alter table practices add column urgent_email text check (length(urgent_email) <= 254);
    alter table practices add column response_standard jsonb not null
      default '{"sameDayCutoff":"16:00","sameDayBy":"16:00","nextDayBy":"10:00"}';
    alter table users add column notify_email text check (length(notify_email) <= 254);
    alter table users add column notify_phone text check (notify_phone ~ '^\\+[0-9]{8,15}$');

    create table urgent_cases (
      id uuid primary key default gen_random_uuid(),
      patient_id uuid not null references patients (id),
      opened_at timestamptz not null,
      due_at timestamptz not null,
      escalated_at timestamptz,
      escalated_to text check (escalated_to in ('cover', 'practice')),
      closed_at timestamptz,
      closed_by uuid references users (id),
      contact text check (contact in ('reached_phone', 'reached_video', 'seen_in_person', 'tried_no_answer', 'not_contacted')),
      assessment text check (length(assessment) <= 2000),
      plan text check (length(plan) <= 2000),
      check ((closed_at is null) = (closed_by is null)),
      check (closed_at is null or (contact is not null and assessment is not null and plan is not null))
    );
    -- One open case per patient: a second answer joins it.
    create unique index urgent_cases_one_open on urgent_cases (patient_id) where closed_at is null;
    create index urgent_cases_due on urgent_cases (due_at) where closed_at is null;

    alter table safety_alerts add column case_id uuid references urgent_cases (id);
    create index safety_alerts_by_case on safety_alerts (case_id);

    create table notifications (
      id uuid primary key default gen_random_uuid(),
      case_id uuid references urgent_cases (id),
      purpose text not null check (purpose in ('urgent_new', 'urgent_escalation')),
      channel text not null check (channel in ('email', 'sms')),
      recipient text not null check (length(recipient) <= 254),
      recipient_user_id uuid references users (id),
      recipient_kind text not null check (recipient_kind in ('gp', 'cover', 'practice_gp', 'practice_address')),
      created_at timestamptz not null,
      next_attempt_at timestamptz not null,
      attempts integer not null default 0,
      sent_at timestamptz,
      gave_up_at timestamptz,
      last_error text
    );
    create index notifications_pending on notifications (next_attempt_at) where sent_at is null and gave_up_at is null;

    create table notification_attempts (
      id uuid primary key default gen_random_uuid(),
      notification_id uuid not null references notifications (id),
      attempted_at timestamptz not null,
      outcome text not null check (outcome in ('sent', 'failed')),
      detail text check (length(detail) <= 1000)
    );

    grant select, insert, update on urgent_cases, notifications, notification_attempts to gpdep_app;
  `.execute(db);
}

export async function down(db: Kysely<unknown>): Promise<void> {
  await sql`
    drop table if exists notification_attempts, notifications;
    alter table safety_alerts drop column if exists case_id;
    drop table if exists urgent_cases;
    alter table users drop column if exists notify_email, drop column if exists notify_phone;
    alter table practices drop column if exists urgent_email, drop column if exists response_standard;
  `.execute(db);
}

/**
 * The study's surveys (issue 14): a survey and its questionnaire versions (FHIR R4 Questionnaire
 * JSON; a fielded version is never edited, an edit makes the next version), the sampling frame of
 * an identified survey, one invitation per frame member and wave (its single-use token stored only
 * as a hash), the responses, an outbox for the survey's e-mail (invitations and reminders; never
 * any health information), the practice links of anonymous waiting-room surveys, and the linkage
 * keys (frame id ↔ pseudonymous registry key) kept in a table of their own that only the linkage
 * query reads.
 *
 * An anonymous response has no frame link, no token, no IP address and no user agent: there is no
 * column that could hold them. Its times are kept to the day (the practice's waiting room on a
 * given minute could point to one person). The one-submit-per-page-load nonce is kept apart from
 * the response, without a time, so it cannot be joined to it.
 */
import { sql, type Kysely } from 'kysely';

export async function up(db: Kysely<unknown>): Promise<void> {
  await sql`
    create table surveys (
      id uuid primary key default gen_random_uuid(),
      kind text not null check (kind in ('identified', 'anonymous')),
      title text not null check (length(title) between 1 and 200),
      status text not null default 'draft' check (status in ('draft', 'open', 'closed')),
      -- Days after the invitation when non-responders get a reminder, e.g. [7, 14].
      reminder_days jsonb not null default '[7, 14]',
      -- E-mails sent per minute at most (invitations and reminders together).
      send_rate_per_minute integer not null default 60 check (send_rate_per_minute between 1 and 10000),
      created_by uuid not null references users (id),
      created_at timestamptz not null,
      opened_at timestamptz,
      closed_at timestamptz
    );

    create table survey_versions (
      id uuid primary key default gen_random_uuid(),
      survey_id uuid not null references surveys (id),
      -- Order of the versions within the survey: 1, 2, 3 …
      sequence integer not null check (sequence >= 1),
      -- Questionnaire.version (what a response names as url|version).
      version text not null check (length(version) between 1 and 64),
      questionnaire jsonb not null,
      -- domain/surveys/version.ts contentFingerprint: the same content is the same version.
      fingerprint text not null check (fingerprint ~ '^[0-9a-f]{64}$'),
      created_by uuid not null references users (id),
      created_at timestamptz not null,
      -- Set when the survey opens with this version; a fielded version is never changed again.
      fielded_at timestamptz,
      unique (survey_id, sequence),
      unique (survey_id, version)
    );

    create table survey_frame_members (
      id uuid primary key default gen_random_uuid(),
      survey_id uuid not null references surveys (id),
      frame_id text not null check (length(frame_id) between 1 and 64),
      email text not null check (length(email) between 3 and 254),
      attributes jsonb not null default '{}',
      imported_at timestamptz not null,
      opted_out_at timestamptz,
      bounced_at timestamptz,
      unique (survey_id, frame_id)
    );
    create unique index survey_frame_members_email on survey_frame_members (survey_id, lower(email));

    create table survey_invitations (
      id uuid primary key default gen_random_uuid(),
      survey_id uuid not null references surveys (id),
      frame_member_id uuid not null references survey_frame_members (id),
      wave text not null default 'baseline' check (length(wave) between 1 and 32),
      -- SHA-256 of the token; the token itself is never stored (see server/surveys/tokens.ts).
      token_hash text not null unique check (token_hash ~ '^[0-9a-f]{64}$'),
      status text not null default 'queued'
        check (status in ('queued', 'sent', 'opened', 'partial', 'complete', 'bounced', 'opted_out')),
      -- The version the respondent answers, fixed when they first open the survey.
      version_id uuid references survey_versions (id),
      created_at timestamptz not null,
      sent_at timestamptz,
      opened_at timestamptz,
      reminded_at timestamptz,
      reminders_sent integer not null default 0 check (reminders_sent >= 0),
      completed_at timestamptz,
      unique (survey_id, frame_member_id, wave)
    );
    create index survey_invitations_by_survey on survey_invitations (survey_id, status);

    create table survey_practice_links (
      id uuid primary key default gen_random_uuid(),
      survey_id uuid not null references surveys (id),
      practice_id uuid not null references practices (id),
      slug text not null unique check (slug ~ '^[a-z0-9]{8,40}$'),
      wave text not null default 'baseline' check (length(wave) between 1 and 32),
      created_by uuid not null references users (id),
      created_at timestamptz not null,
      unique (survey_id, practice_id, wave)
    );

    create table survey_responses (
      id uuid primary key default gen_random_uuid(),
      survey_id uuid not null references surveys (id),
      version_id uuid not null references survey_versions (id),
      -- Identified: the invitation (one response per invitation). Anonymous: null.
      invitation_id uuid unique references survey_invitations (id),
      -- Anonymous: the practice link the respondent came through. Identified: null.
      practice_link_id uuid references survey_practice_links (id),
      status text not null check (status in ('partial', 'complete')),
      answers jsonb not null,
      -- The FHIR QuestionnaireResponse, built when the response is complete.
      fhir_response jsonb,
      wave text not null check (length(wave) between 1 and 32),
      -- Stable pseudonymous id linking one identified respondent's waves; null when anonymous.
      respondent_key text check (respondent_key ~ '^[0-9a-f]{64}$'),
      -- Anonymous surveys: the consent page was accepted (a boolean, nothing more).
      consent boolean,
      started_at timestamptz not null,
      updated_at timestamptz not null,
      submitted_at timestamptz,
      check ((invitation_id is null) <> (practice_link_id is null)),
      check ((invitation_id is null) = (respondent_key is null)),
      check (invitation_id is not null or consent is true),
      check ((status = 'complete') = (submitted_at is not null))
    );
    create index survey_responses_by_survey on survey_responses (survey_id, status);

    -- One submit per page load of an anonymous survey: the hash of the page's random nonce, with
    -- no time and no link to the response.
    create table survey_anonymous_nonces (
      survey_id uuid not null references surveys (id),
      nonce_hash text not null check (nonce_hash ~ '^[0-9a-f]{64}$'),
      primary key (survey_id, nonce_hash)
    );

    -- The survey's e-mail outbox: one row per message (the invitation, then each reminder),
    -- claimed with a lease, sent at the survey's rate, retried on a temporary failure.
    create table survey_emails (
      id uuid primary key default gen_random_uuid(),
      survey_id uuid not null references surveys (id),
      invitation_id uuid not null references survey_invitations (id),
      -- 0 the invitation, 1.. the reminders.
      sequence integer not null check (sequence between 0 and 10),
      recipient text not null check (length(recipient) <= 254),
      created_at timestamptz not null,
      next_attempt_at timestamptz not null,
      attempts integer not null default 0,
      -- The last time the row was claimed for sending: the send rate counts these.
      last_attempt_at timestamptz,
      sent_at timestamptz,
      gave_up_at timestamptz,
      -- Set when the outbox row was cancelled (opted out, responded, bounced, survey closed).
      cancelled_at timestamptz,
      last_error text check (length(last_error) <= 1000),
      unique (invitation_id, sequence)
    );
    create index survey_emails_pending on survey_emails (next_attempt_at)
      where sent_at is null and gave_up_at is null and cancelled_at is null;
    create index survey_emails_attempted on survey_emails (survey_id, last_attempt_at)
      where last_attempt_at is not null;

    -- Frame id ↔ pseudonymous registry key: read only by the linkage query
    -- (server/surveys/linkage.queries.ts), never joined into anything a respondent page reads.
    create table survey_linkage_keys (
      survey_id uuid not null references surveys (id),
      frame_id text not null check (length(frame_id) between 1 and 64),
      registry_key text not null check (length(registry_key) between 1 and 128),
      primary key (survey_id, frame_id)
    );

    grant select, insert, update on surveys, survey_versions, survey_frame_members, survey_invitations,
      survey_practice_links, survey_responses, survey_emails to gpdep_app;
    grant select, insert on survey_anonymous_nonces, survey_linkage_keys to gpdep_app;
  `.execute(db);
}

export async function down(db: Kysely<unknown>): Promise<void> {
  await sql`
    drop table if exists survey_linkage_keys, survey_emails, survey_anonymous_nonces, survey_responses,
      survey_practice_links, survey_invitations, survey_frame_members, survey_versions, surveys;
  `.execute(db);
}

/**
 * The qualitative workspace (issue 15), first slice: studies and their members, participants with
 * their consents and identity keys, events (focus groups, interviews, cases), sources (transcripts)
 * with speaker turns, de-identification (the study-wide replacement table and a decision per
 * proposal) and withdrawals.
 *
 * What is kept apart, and why:
 * - An identity key (the participant's real name) sits in its own table that only the study lead's
 *   routes read; destroying it nulls the text and records when and by whom.
 * - A source's original text (before de-identification) is kept only while it is being reviewed,
 *   and afterwards only when every participant's consent allows it; `original_deleted_at` records
 *   its deletion.
 * - A withdrawal records who, when and how much was removed (counts), never what was said.
 *
 * Full-text search: `search_vector` is generated from the de-identified text with the 'norwegian'
 * configuration (a snowball stemmer, so "søvnen" finds "søvn"), with a GIN index. PGlite and
 * PostgreSQL 15 both ship that configuration.
 */
import { sql, type Kysely } from 'kysely';

export async function up(db: Kysely<unknown>): Promise<void> {
  await sql`
    create table qual_studies (
      id uuid primary key default gen_random_uuid(),
      title text not null check (length(title) between 1 and 200),
      created_by uuid not null references users (id),
      created_at timestamptz not null
    );

    create table qual_study_members (
      study_id uuid not null references qual_studies (id),
      user_id uuid not null references users (id),
      role text not null check (role in ('lead', 'coder', 'reader')),
      added_by uuid not null references users (id),
      added_at timestamptz not null,
      primary key (study_id, user_id)
    );
    create index qual_study_members_by_user on qual_study_members (user_id);

    -- The user group (GPs and patient representatives) reads and comments on syntheses only.
    create table qual_user_group_members (
      study_id uuid not null references qual_studies (id),
      user_id uuid not null references users (id),
      added_by uuid not null references users (id),
      added_at timestamptz not null,
      primary key (study_id, user_id)
    );

    create table qual_participants (
      id uuid primary key default gen_random_uuid(),
      study_id uuid not null references qual_studies (id),
      -- The study pseudonym: GP-03, Pasient-02 (what every transcript shows).
      pseudonym text not null check (length(pseudonym) between 1 and 32),
      kind text not null check (kind in ('gp', 'patient', 'other')),
      created_at timestamptz not null,
      withdrawn_at timestamptz,
      unique (study_id, pseudonym)
    );

    -- Pseudonym ↔ real name, read only by the study lead; destroyed when no longer needed.
    create table qual_identity_keys (
      participant_id uuid primary key references qual_participants (id),
      key_text text check (length(key_text) between 1 and 400),
      created_by uuid not null references users (id),
      created_at timestamptz not null,
      destroyed_at timestamptz,
      destroyed_by uuid references users (id),
      check ((destroyed_at is null) = (key_text is not null)),
      check ((destroyed_at is null) = (destroyed_by is null))
    );

    -- One row per consent given (a new information letter is a new version); withdrawn_at ends it.
    create table qual_consents (
      id uuid primary key default gen_random_uuid(),
      participant_id uuid not null references qual_participants (id),
      letter_version text not null check (length(letter_version) between 1 and 32),
      given_at timestamptz not null,
      how text not null check (how in ('signed_form', 'recorded')),
      -- The scanned signed form, when one was uploaded.
      file_name text check (length(file_name) between 1 and 200),
      file_bytes bytea,
      -- Whether the participant agreed that the original (identifiable) transcript may be kept.
      keep_original boolean not null default false,
      recorded_by uuid not null references users (id),
      recorded_at timestamptz not null,
      withdrawn_at timestamptz,
      unique (participant_id, letter_version),
      check ((file_bytes is null) = (file_name is null))
    );

    create table qual_events (
      id uuid primary key default gen_random_uuid(),
      study_id uuid not null references qual_studies (id),
      kind text not null check (kind in ('focus_group', 'interview', 'case')),
      number integer not null check (number between 1 and 999),
      held_on date not null,
      created_at timestamptz not null,
      unique (study_id, kind, number)
    );

    create table qual_sources (
      id uuid primary key default gen_random_uuid(),
      study_id uuid not null references qual_studies (id),
      event_id uuid references qual_events (id),
      title text not null check (length(title) between 1 and 200),
      language text not null check (language in ('nb', 'en')),
      format text not null check (format in ('txt', 'vtt', 'srt', 'docx')),
      status text not null check (status in ('importing', 'deidentifying', 'open_for_coding')),
      -- The de-identified text (null until the review is applied).
      text text,
      -- Before and during review: the parsed transcript; afterwards only if every consent allows.
      original_text text,
      original_turns jsonb,
      original_deleted_at timestamptz,
      -- domain/qualitative/deidentify.ts proposals (text and speaker labels) made at import.
      proposals jsonb not null default '[]',
      imported_by uuid not null references users (id),
      imported_at timestamptz not null,
      opened_at timestamptz,
      search_vector tsvector generated always as (to_tsvector('norwegian', coalesce(text, ''))) stored,
      check ((status = 'open_for_coding') = (text is not null))
    );
    create index qual_sources_by_study on qual_sources (study_id, status);
    create index qual_sources_search on qual_sources using gin (search_vector);

    create table qual_source_participants (
      source_id uuid not null references qual_sources (id),
      participant_id uuid not null references qual_participants (id),
      primary key (source_id, participant_id)
    );

    -- The de-identified text's speaker turns (written when the review is applied).
    create table qual_source_turns (
      source_id uuid not null references qual_sources (id),
      index integer not null check (index >= 0),
      participant_id uuid references qual_participants (id),
      label text check (length(label) <= 80),
      start_offset integer not null check (start_offset >= 0),
      end_offset integer not null check (end_offset >= start_offset),
      start_ms integer check (start_ms >= 0),
      end_ms integer check (end_ms >= 0),
      primary key (source_id, index)
    );

    -- The study's replacement table: one label per original, the same in every transcript.
    create table qual_deid_replacements (
      study_id uuid not null references qual_studies (id),
      key text not null check (length(key) between 1 and 400),
      original text not null check (length(original) between 1 and 400),
      kind text not null,
      replacement text not null check (length(replacement) between 1 and 80),
      primary key (study_id, key)
    );

    create table qual_deid_decisions (
      source_id uuid not null references qual_sources (id),
      proposal_id text not null check (length(proposal_id) between 1 and 200),
      action text not null check (action in ('accept', 'edit', 'reject')),
      replacement text check (length(replacement) between 1 and 80),
      decided_by uuid not null references users (id),
      decided_at timestamptz not null,
      primary key (source_id, proposal_id),
      check ((action = 'edit') = (replacement is not null))
    );

    -- What a withdrawal removed, as counts: never any of the words.
    create table qual_withdrawals (
      id uuid primary key default gen_random_uuid(),
      participant_id uuid not null references qual_participants (id),
      withdrawn_at timestamptz not null,
      withdrawn_by uuid not null references users (id),
      sources_affected integer not null check (sources_affected >= 0),
      turns_removed integer not null check (turns_removed >= 0),
      characters_removed integer not null check (characters_removed >= 0)
    );

    grant select, insert, update, delete on qual_studies, qual_study_members, qual_user_group_members,
      qual_participants, qual_identity_keys, qual_consents, qual_events, qual_sources,
      qual_source_participants, qual_source_turns, qual_deid_replacements, qual_deid_decisions
      to gpdep_app;
    grant select, insert on qual_withdrawals to gpdep_app;
  `.execute(db);
}

export async function down(db: Kysely<unknown>): Promise<void> {
  await sql`
    drop table if exists qual_withdrawals, qual_deid_decisions, qual_deid_replacements, qual_source_turns,
      qual_source_participants, qual_sources, qual_events, qual_consents, qual_identity_keys,
      qual_participants, qual_user_group_members, qual_study_members, qual_studies;
  `.execute(db);
}

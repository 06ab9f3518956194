/**
 * The qualitative workspace (issue 15): systematic text condensation and the user group.
 *
 * - `qual_stc_analyses`: one STC analysis of a study's material as one document (the shape of
 *   `StcAnalysis` in domain/qualitative/stc.ts: impressions, code groups, meaning units as offsets
 *   into de-identified sources, condensates, synthesis). A document, not rows, because the domain
 *   checks its links as a whole (`stcProblems`) on every save and a withdrawal rewrites it
 *   (`withdrawMeaningUnits`); `revision` makes a save on a stale copy fail (409) instead of
 *   overwriting a colleague's work.
 * - `qual_synthesis_shares`: the synthesis text as the lead shared it with the user group, frozen
 *   (never the meaning units, condensates or transcripts), so that every comment stays with the
 *   version it was made on.
 * - `qual_user_group_comments`: a user-group member's comment on one paragraph of one share.
 * - A user role `user_group`: the user group's members (patients' organisation, professions,
 *   municipality, NAV) log in to read what is shared with them and comment, and nothing else.
 */
import { sql, type Kysely } from 'kysely';

export async function up(db: Kysely<unknown>): Promise<void> {
  await sql`
    alter table users drop constraint users_role_check;
    alter table users add constraint users_role_check
      check (role in ('patient', 'gp', 'researcher', 'admin', 'user_group'));

    -- what a withdrawal removed from the analyses (counts only, like the rest of the record)
    alter table qual_withdrawals add column meaning_units_removed integer not null default 0;
    alter table qual_withdrawals add column condensates_to_review integer not null default 0;

    create table qual_stc_analyses (
      id uuid primary key default gen_random_uuid(),
      study_id uuid not null references qual_studies (id),
      title text not null check (length(title) between 1 and 200),
      revision integer not null check (revision >= 1),
      document jsonb not null,
      created_by uuid not null references users (id),
      created_at timestamptz not null,
      updated_by uuid not null references users (id),
      updated_at timestamptz not null
    );
    create index qual_stc_analyses_by_study on qual_stc_analyses (study_id);

    create table qual_synthesis_shares (
      id uuid primary key default gen_random_uuid(),
      study_id uuid not null references qual_studies (id),
      analysis_id uuid not null references qual_stc_analyses (id),
      -- the analysis revision whose synthesis this is
      revision integer not null,
      -- [{ id, theme, text }]: the synthesis paragraphs' text as shared
      paragraphs jsonb not null,
      -- the lead's words to the user group (what to look at)
      message text not null check (length(message) <= 2000),
      shared_by uuid not null references users (id),
      shared_at timestamptz not null
    );
    create index qual_synthesis_shares_by_study on qual_synthesis_shares (study_id, shared_at);

    create table qual_user_group_comments (
      id uuid primary key default gen_random_uuid(),
      share_id uuid not null references qual_synthesis_shares (id),
      paragraph_id text not null check (length(paragraph_id) between 1 and 64),
      author_id uuid not null references users (id),
      text text not null check (length(text) between 1 and 4000),
      created_at timestamptz not null
    );
    create index qual_user_group_comments_by_share on qual_user_group_comments (share_id, created_at);

    -- A share and its comments are never changed afterwards: the application may not either.
    grant select, insert, update on qual_stc_analyses to gpdep_app;
    grant select, insert on qual_synthesis_shares, qual_user_group_comments to gpdep_app;
  `.execute(db);
}

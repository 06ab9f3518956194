/**
 * The qualitative workspace (issue 15): the codebook, codings and memos.
 *
 * - `qual_codes`: a study's hierarchical codes (parent in the same study), with definition,
 *   inclusion and exclusion criteria and an example quotation. The domain
 *   (domain/qualitative/codebook.ts) checks names, cycles and siblings on every change.
 * - `qual_codings`: one coder's application of one code to a stretch of an open transcript, as
 *   half-open offsets into its de-identified text (UTF-16 units, as the text is served). Coders
 *   code apart: each coding belongs to its coder.
 * - `qual_memos`: a researcher's note on a segment, a code or a source.
 * - A withdrawal counts the codings it removed (counts only, like the rest of its record).
 */
import { sql, type Kysely } from 'kysely';

export async function up(db: Kysely<unknown>): Promise<void> {
  await sql`
    create table qual_codes (
      id uuid primary key default gen_random_uuid(),
      study_id uuid not null references qual_studies (id),
      parent_id uuid references qual_codes (id),
      name text not null check (length(name) between 1 and 200),
      colour text not null check (colour ~ '^#[0-9a-f]{6}$'),
      definition text not null default '' check (length(definition) <= 4000),
      inclusion text not null default '' check (length(inclusion) <= 4000),
      exclusion text not null default '' check (length(exclusion) <= 4000),
      example text not null default '' check (length(example) <= 4000),
      created_by uuid not null references users (id),
      created_at timestamptz not null,
      updated_at timestamptz not null
    );
    create index qual_codes_by_study on qual_codes (study_id);

    create table qual_codings (
      id uuid primary key default gen_random_uuid(),
      study_id uuid not null references qual_studies (id),
      source_id uuid not null references qual_sources (id),
      code_id uuid not null references qual_codes (id),
      coder_id uuid not null references users (id),
      start_offset integer not null check (start_offset >= 0),
      end_offset integer not null,
      created_at timestamptz not null,
      check (end_offset > start_offset)
    );
    create index qual_codings_by_source on qual_codings (source_id, coder_id);
    create index qual_codings_by_code on qual_codings (code_id);

    create table qual_memos (
      id uuid primary key default gen_random_uuid(),
      study_id uuid not null references qual_studies (id),
      author_id uuid not null references users (id),
      target text not null check (target in ('segment', 'code', 'source')),
      source_id uuid references qual_sources (id),
      code_id uuid references qual_codes (id),
      start_offset integer,
      end_offset integer,
      text text not null check (length(text) between 1 and 10000),
      created_at timestamptz not null,
      updated_at timestamptz not null,
      check (
        (target = 'segment' and source_id is not null and start_offset >= 0 and end_offset > start_offset and code_id is null)
        or (target = 'source' and source_id is not null and start_offset is null and end_offset is null and code_id is null)
        or (target = 'code' and code_id is not null and source_id is null and start_offset is null and end_offset is null)
      )
    );
    create index qual_memos_by_study on qual_memos (study_id);

    alter table qual_withdrawals add column codings_removed integer not null default 0;

    grant select, insert, update, delete on qual_codes, qual_codings, qual_memos to gpdep_app;
  `.execute(db);
}

/**
 * The qualitative workspace (issue 15): importing a REFI-QDA project made by another tool (NVivo,
 * ATLAS.ti, MAXQDA, QualCoder).
 *
 * An imported transcript is de-identified like any other before anyone codes it, so the codings
 * and memos that came with it cannot be stored as codings yet: `qual_pending_imports` keeps them,
 * with offsets into the transcript as imported (before de-identification). When the lead applies
 * the review they are moved through the de-identification's offset map and become the importing
 * researcher's codings and memos (a range that vanishes inside a replacement is counted, not kept).
 */
import { sql, type Kysely } from 'kysely';

export async function up(db: Kysely<unknown>): Promise<void> {
  await sql`
    create table qual_pending_imports (
      id uuid primary key default gen_random_uuid(),
      study_id uuid not null references qual_studies (id),
      source_id uuid not null references qual_sources (id),
      kind text not null check (kind in ('coding', 'memo')),
      code_id uuid references qual_codes (id),
      start_offset integer not null check (start_offset >= 0),
      end_offset integer not null,
      memo_text text check (length(memo_text) between 1 and 10000),
      -- who made it in the other tool, as the file names them (shown in the import report)
      origin text not null default '' check (length(origin) <= 200),
      imported_by uuid not null references users (id),
      imported_at timestamptz not null,
      check (end_offset >= start_offset),
      check ((kind = 'coding' and code_id is not null and memo_text is null)
          or (kind = 'memo' and code_id is null and memo_text is not null))
    );
    create index qual_pending_imports_by_source on qual_pending_imports (source_id);

    grant select, insert, update, delete on qual_pending_imports to gpdep_app;
  `.execute(db);
}

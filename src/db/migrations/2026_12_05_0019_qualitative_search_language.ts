/**
 * Full-text search in the transcript's own language (issue 15): the search vector of an English
 * transcript is made with the 'english' configuration, a Norwegian one's with 'norwegian' (before,
 * both used 'norwegian', so "sleep" did not find "sleeping"). The query side picks the same
 * configuration per source (sources.queries.ts).
 */
import { sql, type Kysely } from 'kysely';

export async function up(db: Kysely<unknown>): Promise<void> {
  await sql`
    drop index qual_sources_search;
    alter table qual_sources drop column search_vector;
    alter table qual_sources add column search_vector tsvector generated always as (
      to_tsvector(
        case when language = 'en' then 'english'::regconfig else 'norwegian'::regconfig end,
        coalesce(text, '')
      )
    ) stored;
    create index qual_sources_search on qual_sources using gin (search_vector);
  `.execute(db);
}

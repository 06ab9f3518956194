/**
 * The qualitative workspace (issue 15): the framework method and reflexive thematic analysis on
 * the same codes and codings as systematic text condensation.
 *
 * `qual_method_analyses` holds one analysis as one document, like `qual_stc_analyses`:
 * - `framework`: cases (a pseudonym and its transcripts), themes (each charting some codes) and the
 *   researcher's summary per cell (domain/qualitative/framework.ts builds the matrix);
 * - `reflexive_ta`: familiarisation notes, themes with their codes, status, concept, definition,
 *   extracts (coding ids) and write-up, and the reflexive journal (domain/qualitative/reflexive-ta.ts).
 * Neither stores transcript offsets of its own (extracts are codings), so a withdrawal, which
 * removes codings, needs no rewrite here: the matrix and the themes show what lost its data.
 * `revision` makes a save on a stale copy fail (409) instead of overwriting a colleague's work.
 */
import { sql, type Kysely } from 'kysely';

export async function up(db: Kysely<unknown>): Promise<void> {
  await sql`
    create table qual_method_analyses (
      id uuid primary key default gen_random_uuid(),
      study_id uuid not null references qual_studies (id),
      method text not null check (method in ('framework', 'reflexive_ta')),
      title text not null check (length(title) between 1 and 200),
      revision integer not null check (revision >= 1),
      document jsonb not null,
      created_by uuid not null references users (id),
      created_at timestamptz not null,
      updated_by uuid not null references users (id),
      updated_at timestamptz not null
    );
    create index qual_method_analyses_by_study on qual_method_analyses (study_id, method);

    grant select, insert, update, delete on qual_method_analyses to gpdep_app;
  `.execute(db);
}

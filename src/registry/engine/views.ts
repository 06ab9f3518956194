/**
 * The registry tables as DuckDB views over a data folder's Parquet files (`<dir>/<table>/*.parquet`):
 * the one place the analyses' table names are mapped to files, used by the engine's worker and by
 * the survey linkage (src/surveys/analyze/registry-link.ts), which runs the same step SQL. An
 * absent optional table is an empty view; a column whose stored type differs from the schema's
 * (src/registry/schema/tables.ts) is cast, and only then, so filters still push down into the scan.
 */
import { existsSync, readdirSync } from 'node:fs';
import { join } from 'node:path';
import { REGISTRY_TABLES } from '../schema/tables.js';

/** What the mapping needs of a DuckDB connection. */
export interface ViewTarget {
  run(sql: string): Promise<unknown>;
  rows(sql: string): Promise<Record<string, unknown>[]>;
}

/** Tables an analysis cannot run without; the others may be absent (then empty). */
export const REQUIRED_TABLES: readonly string[] = ['persons', 'kuhr_bills', 'kuhr_diagnoses'];

function sqlString(s: string): string {
  return `'${s.replaceAll("'", "''")}'`;
}

/** Maps every registry table of `dataDir`; returns the tables that have files. */
export async function mapRegistryTables(
  db: ViewTarget,
  dataDir: string,
  required: readonly string[] = REQUIRED_TABLES
): Promise<string[]> {
  const mapped: string[] = [];
  for (const table of REGISTRY_TABLES) {
    const dir = join(dataDir, table.name);
    const hasFiles = existsSync(dir) && readdirSync(dir).some((f) => f.endsWith('.parquet'));
    if (!hasFiles) {
      if (required.includes(table.name))
        throw new Error(`Missing table ${table.name}: no ${join(dir, '*.parquet')}`);
      const cols = table.columns.map((c) => `CAST(NULL AS ${c.type}) AS ${c.name}`).join(', ');
      await db.run(`CREATE OR REPLACE VIEW ${table.name} AS SELECT ${cols} WHERE 1 = 0`);
      continue;
    }
    const files = sqlString(join(dir, '*.parquet'));
    const source = `read_parquet(${files})`;
    const described = await db.rows(`DESCRIBE SELECT * FROM ${source}`);
    const actual = new Map(described.map((r) => [String(r.column_name), String(r.column_type)]));
    const missing = table.columns.filter((c) => !actual.has(c.name)).map((c) => c.name);
    if (missing.length)
      throw new Error(
        `Table ${table.name} lacks column(s) ${missing.join(', ')} (schema: src/registry/schema/tables.ts)`
      );
    const cols = table.columns
      .map((c) => (actual.get(c.name) === c.type ? c.name : `CAST(${c.name} AS ${c.type}) AS ${c.name}`))
      .join(', ');
    await db.run(`CREATE OR REPLACE VIEW ${table.name} AS SELECT ${cols} FROM ${source}`);
    mapped.push(table.name);
    if (table.name === 'kuhr_bills')
      await createBillTimeRange(db, files, actual.get('contact_time') === 'TIMESTAMP');
  }
  return mapped;
}

/**
 * The view `kuhr_bills_time_range` (first_time, last_time): the extract's first and last bill time,
 * from which the default index period is set. When the files store contact_time as TIMESTAMP and
 * every row group has min/max statistics (DuckDB, Arrow and Spark write them), the Parquet footers
 * answer it: exact, since a column's minimum is the least of its row groups' minima, and read in
 * milliseconds, where scanning 124 million national bills takes a second of both cores. Otherwise
 * (another time type, a row group without statistics, no rows) the view scans the bills.
 */
async function createBillTimeRange(db: ViewTarget, files: string, storedAsTimestamp: boolean) {
  const metadata = `parquet_metadata(${files}) WHERE path_in_schema = 'contact_time'`;
  let fromFooters = false;
  if (storedAsTimestamp) {
    const [check] = await db.rows(
      `SELECT COUNT(*) AS row_groups, COUNT(stats_min_value) AS with_min, COUNT(stats_max_value) AS with_max FROM ${metadata}`
    );
    const rowGroups = Number(check?.row_groups ?? 0);
    fromFooters =
      rowGroups > 0 && Number(check?.with_min) === rowGroups && Number(check?.with_max) === rowGroups;
  }
  await db.run(
    fromFooters
      ? `CREATE OR REPLACE VIEW kuhr_bills_time_range AS SELECT MIN(CAST(stats_min_value AS TIMESTAMP)) AS first_time,
           MAX(CAST(stats_max_value AS TIMESTAMP)) AS last_time, 'footers' AS source FROM ${metadata}`
      : `CREATE OR REPLACE VIEW kuhr_bills_time_range AS SELECT MIN(contact_time) AS first_time,
           MAX(contact_time) AS last_time, 'scan' AS source FROM kuhr_bills`
  );
}

/**
 * Writes the extract's tables as Parquet with DuckDB (in-process, no network: extension auto-install
 * and auto-load off, as the registry layer opens it), one file `<table>.parquet` per table, typed
 * as schema.ts says, rows in the table's order. Rows go in through DuckDB's appender (dates as
 * text, cast on the way out).
 */
import { mkdirSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { lit, openDuck } from '../../registry/generate/db.js';
import { EXTRACT_TABLES, type ExtractRow, type ExtractTableName } from './schema.js';

const quote = (name: string) => `"${name.replace(/"/g, '""')}"`;

export async function writeExtractParquet(
  tables: Record<ExtractTableName, ExtractRow[]>,
  dir: string
): Promise<{ table: string; rows: number; bytes: number; file: string }[]> {
  mkdirSync(dir, { recursive: true });
  const duck = await openDuck({ threads: 2 });
  const written: { table: string; rows: number; bytes: number; file: string }[] = [];
  try {
    for (const table of EXTRACT_TABLES) {
      const staging = `staging_${table.name}`;
      await duck.run(
        `CREATE TABLE ${staging} (${table.columns
          .map((c) => `${quote(c.name)} ${c.type === 'DATE' ? 'VARCHAR' : c.type}`)
          .join(', ')})`
      );
      const appender = await duck.conn.createAppender(staging);
      const rows = tables[table.name];
      for (const row of rows) {
        for (const c of table.columns) {
          const v = row[c.name];
          if (v === null || v === undefined) {
            if (!c.nullable)
              throw new Error(`${table.name}.${c.name} is null in a row, but the column is not nullable`);
            appender.appendNull();
          } else if (c.type === 'INTEGER') appender.appendInteger(Number(v));
          else if (c.type === 'BOOLEAN') appender.appendBoolean(Boolean(v));
          else appender.appendVarchar(String(v));
        }
        appender.endRow();
      }
      appender.flushSync();
      appender.closeSync();
      const file = join(dir, `${table.name}.parquet`);
      const select = table.columns
        .map((c) =>
          c.type === 'DATE' ? `CAST(${quote(c.name)} AS DATE) AS ${quote(c.name)}` : quote(c.name)
        )
        .join(', ');
      await duck.run(
        `COPY (SELECT ${select} FROM ${staging} ORDER BY ${table.orderBy.map(quote).join(', ')}) TO ${lit(file)} (FORMAT parquet, COMPRESSION zstd)`
      );
      await duck.run(`DROP TABLE ${staging}`);
      written.push({ table: table.name, rows: rows.length, bytes: statSync(file).size, file });
    }
  } finally {
    duck.close();
  }
  return written;
}

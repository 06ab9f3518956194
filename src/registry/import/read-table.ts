/**
 * Reads the columns of one CSV or Parquet file for a model fit (registry:fit): DuckDB in-process,
 * no network, types inferred from the file (CSV: DuckDB's sniffer; Parquet: its schema). Only the
 * named columns are read, so a wide extract costs no more than the model needs.
 */
import { existsSync } from 'node:fs';
import { extname } from 'node:path';
import { lit, openDuck } from '../generate/db.js';
import type { CellInput, ColumnTable } from '../stats/glmm/design.js';

export class ReadTableError extends Error {
  override name = 'ReadTableError';
}

export async function readColumns(path: string, wanted: readonly string[]): Promise<ColumnTable> {
  if (!existsSync(path)) throw new ReadTableError(`No such file: ${path}`);
  const ext = extname(path).toLowerCase();
  const source =
    ext === '.parquet'
      ? `read_parquet(${lit(path)})`
      : ext === '.csv' || ext === '.txt' || ext === '.tsv'
        ? `read_csv(${lit(path)}, header = true, auto_detect = true)`
        : null;
  if (!source) throw new ReadTableError(`Unknown file type "${ext}": give a .csv or .parquet file`);
  const duck = await openDuck({ threads: 2 });
  try {
    let available: string[];
    try {
      available = (await duck.all<{ column_name: string }>(`DESCRIBE SELECT * FROM ${source}`)).map(
        (r) => r.column_name
      );
    } catch (error) {
      throw new ReadTableError(
        `Cannot read ${path}: ${error instanceof Error ? error.message.split('\n')[0] : String(error)}`
      );
    }
    const missing = wanted.filter((c) => !available.includes(c));
    if (missing.length)
      throw new ReadTableError(
        `Column${missing.length > 1 ? 's' : ''} ${missing.map((c) => `"${c}"`).join(', ')} not in ${path} (columns: ${available.join(', ')})`
      );
    const quoted = [...new Set(wanted)].map((c) => `"${c.replace(/"/g, '""')}"`).join(', ');
    const reader = await duck.conn.runAndReadAll(`SELECT ${quoted} FROM ${source}`);
    const columns = reader.getColumnsObjectJS() as Record<string, CellInput[]>;
    return { columns };
  } finally {
    duck.close();
  }
}

/**
 * DuckDB for the registry data layer: an in-memory instance that never touches the network
 * (extension auto-install and auto-load off; parquet, json and icu are linked in), two threads,
 * and a temp directory so large operations spill to disk instead of growing memory.
 */
import { DuckDBInstance, type DuckDBConnection } from '@duckdb/node-api';

export interface DuckOptions {
  threads?: number;
  tempDirectory?: string;
  memoryLimit?: string;
}

export interface Duck {
  conn: DuckDBConnection;
  run(sql: string): Promise<void>;
  all<T = Record<string, unknown>>(sql: string): Promise<T[]>;
  close(): void;
}

export async function openDuck(options: DuckOptions = {}): Promise<Duck> {
  const config: Record<string, string> = {
    threads: String(options.threads ?? 2),
    autoinstall_known_extensions: 'false',
    autoload_known_extensions: 'false',
    preserve_insertion_order: 'true',
  };
  if (options.tempDirectory) config.temp_directory = options.tempDirectory;
  if (options.memoryLimit) config.memory_limit = options.memoryLimit;
  const instance = await DuckDBInstance.create(':memory:', config);
  const conn = await instance.connect();
  return {
    conn,
    async run(sql) {
      await conn.run(sql);
    },
    async all<T>(sql: string) {
      const reader = await conn.runAndReadAll(sql);
      return reader.getRowObjectsJS() as T[];
    },
    close() {
      conn.closeSync();
      instance.closeSync();
    },
  };
}

/** A SQL string literal. */
export function lit(value: string): string {
  return `'${value.replace(/'/g, "''")}'`;
}

/** A SQL number literal (finite, full precision). */
export function num(value: number): string {
  if (!Number.isFinite(value)) throw new Error(`Not a finite number: ${value}`);
  return Number.isInteger(value) ? `${value}` : value.toPrecision(17);
}

/** Messages between the engine (parent) and the DuckDB worker process. */
import type { GpModelRequest, GpModelResult } from './gp-model-types.js';
import type { Row, WireTable } from './wire.js';

export type { Row } from './wire.js';

export interface WorkerSettings {
  dataDir: string;
  threads: number;
  /** DuckDB memory_limit, e.g. '4GB'. */
  memoryLimit: string;
  /** Where DuckDB may spill; null = DuckDB's default. */
  tempDir: string | null;
}

export type ToWorker =
  | { type: 'init'; id: number; settings: WorkerSettings }
  | { type: 'query'; id: number; sql: string }
  | { type: 'materialize'; id: number; name: string; sql: string }
  /** Runs the query and fits mixed models to its rows, in the worker (CPU-heavy, off the caller). */
  | { type: 'fit'; id: number; sql: string; requests: GpModelRequest[] }
  | { type: 'cancel'; id: number }
  | { type: 'stats'; id: number }
  | { type: 'close'; id: number };

export type FromWorker =
  | { type: 'ok'; id: number; rows: Row[]; ms: number }
  /** A query's result, as columns (wire.ts). */
  | { type: 'table'; id: number; table: WireTable; ms: number }
  | { type: 'fitted'; id: number; results: GpModelResult[]; ms: number }
  | { type: 'error'; id: number; message: string; interrupted: boolean }
  | { type: 'progress'; id: number; percent: number }
  | { type: 'stats'; id: number; maxRssKb: number; tables: string[] };

/**
 * What the generator's stages share: the options, the context passed from stage to stage, the
 * solved coefficients, and the COPY of a query to one Parquet part. Kept apart from generate.ts so
 * that the stages (background, episodes, truth) need not import the orchestration that calls them.
 */
import { join } from 'node:path';
import { clusterOrder, tableDef } from '../schema/tables.js';
import type { Duck } from './db.js';
import type { Geography } from './geography.js';
import type { Outcome } from './params.js';

export interface GenerateOptions {
  persons: number;
  firstYear: number;
  lastYear: number;
  seed: number;
  out: string;
  /** Persons per chunk (Parquet part); default 500,000. */
  chunkPersons?: number;
  threads?: number;
  /** DuckDB memory limit (it spills to disk beyond it); default 5GB so the process stays under 8 GB. */
  memoryLimit?: string;
  log?: (message: string) => void;
}

export interface GenerateContext {
  duck: Duck;
  opts: Required<Omit<GenerateOptions, 'memoryLimit' | 'log'>> & { memoryLimit?: string };
  out: string;
  s: (name: string) => string;
  nYears: number;
  refYear: number;
  refDate: string;
  dataStart: string;
  dataEnd: string;
  episodeYears: number[];
  geo: Geography;
  log: (message: string) => void;
}

export type Solved = Record<
  Outcome,
  { theta: Record<string, Record<string, number>>; iterations: number; maxError: number }
>;

export function partPath(ctx: GenerateContext, table: string, part: string): string {
  return join(ctx.out, table, `part-${part}.parquet`).replace(/'/g, "''");
}

export async function copyTo(ctx: GenerateContext, table: string, part: string, sql: string): Promise<void> {
  const t0 = performance.now();
  // Clustered tables (the claims' diagnoses and tariffs) are written in the schema's order, so the
  // analyses' code filters skip row groups; the others keep the order the query gives.
  const order = clusterOrder(tableDef(table));
  const query = order ? `SELECT * FROM (${sql}) ORDER BY ${order.join(', ')}` : sql;
  await ctx.duck.run(
    `COPY (${query}) TO '${partPath(ctx, table, part)}' (FORMAT parquet, COMPRESSION snappy, ROW_GROUP_SIZE 122880)`
  );
  if (process.env.REGISTRY_GENERATE_PROFILE)
    ctx.log(`    ${table}/${part}: ${((performance.now() - t0) / 1000).toFixed(2)} s`);
}

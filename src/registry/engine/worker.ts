/**
 * The DuckDB worker: a child process (child_process.fork) that owns the only DuckDB instance, so a
 * native crash or an out-of-memory kill takes down this process and not its caller. It maps the
 * registry tables to read_parquet views (the only DuckDB-specific SQL; analyses use the table
 * names), runs one statement at a time, reports progress, and interrupts on request.
 */
import { existsSync, readdirSync } from 'node:fs';
import { join } from 'node:path';
import { DuckDBInstance, type DuckDBConnection } from '@duckdb/node-api';
import { REGISTRY_TABLES } from '../schema/tables.js';
import { fitGpModelsInParallel } from './gp-models.js';
import type { FromWorker, ToWorker, WorkerSettings } from './protocol.js';
import { readTable, toPlain } from './read-result.js';
import { wireColumns } from './wire.js';

/** Tables an analysis cannot run without; the others may be absent (then empty). */
const REQUIRED = new Set(['persons', 'kuhr_bills', 'kuhr_diagnoses']);

let connection: DuckDBConnection | null = null;
let instance: DuckDBInstance | null = null;
let current: number | null = null;
let queue: Promise<void> = Promise.resolve();
const views: string[] = [];
const cancelled = new Set<number>();

function send(msg: FromWorker): void {
  process.send?.(msg);
}

function sqlString(s: string): string {
  return `'${s.replaceAll("'", "''")}'`;
}

/** DuckDB's thread count, also used for fitting models in parallel. */
let threads = 1;

async function init(settings: WorkerSettings): Promise<void> {
  threads = settings.threads;
  const options: Record<string, string> = {
    threads: String(settings.threads),
    memory_limit: settings.memoryLimit,
    autoinstall_known_extensions: 'false',
    autoload_known_extensions: 'false',
  };
  if (settings.tempDir) options.temp_directory = settings.tempDir;
  instance = await DuckDBInstance.create(':memory:', options);
  connection = await instance.connect();
  await connection.run(
    "SET enable_progress_bar = true; SET enable_progress_bar_print = false; SET TimeZone = 'UTC'"
  );
  for (const table of REGISTRY_TABLES) {
    const dir = join(settings.dataDir, table.name);
    const hasFiles = existsSync(dir) && readdirSync(dir).some((f) => f.endsWith('.parquet'));
    if (!hasFiles) {
      if (REQUIRED.has(table.name))
        throw new Error(`Missing table ${table.name}: no ${join(dir, '*.parquet')}`);
      const cols = table.columns.map((c) => `CAST(NULL AS ${c.type}) AS ${c.name}`).join(', ');
      await connection.run(`CREATE OR REPLACE VIEW ${table.name} AS SELECT ${cols} WHERE 1 = 0`);
      continue;
    }
    const files = sqlString(join(dir, '*.parquet'));
    const source = `read_parquet(${files})`;
    const described = await connection.runAndReadAll(`DESCRIBE SELECT * FROM ${source}`);
    const actual = new Map(
      described.getRowObjectsJS().map((r) => [String(r.column_name), String(r.column_type)])
    );
    const missing = table.columns.filter((c) => !actual.has(c.name)).map((c) => c.name);
    if (missing.length)
      throw new Error(
        `Table ${table.name} lacks column(s) ${missing.join(', ')} (schema: src/registry/schema/tables.ts)`
      );
    // Cast only where the file's type differs, so filters still push down into the Parquet scan.
    const cols = table.columns
      .map((c) => (actual.get(c.name) === c.type ? c.name : `CAST(${c.name} AS ${c.type}) AS ${c.name}`))
      .join(', ');
    await connection.run(`CREATE OR REPLACE VIEW ${table.name} AS SELECT ${cols} FROM ${source}`);
    views.push(table.name);
    if (table.name === 'kuhr_bills')
      await createBillTimeRange(connection, files, actual.get('contact_time') === 'TIMESTAMP');
  }
}

/**
 * The view `kuhr_bills_time_range` (first_time, last_time): the extract's first and last bill time,
 * from which the default index period is set. When the files store contact_time as TIMESTAMP and
 * every row group has min/max statistics (DuckDB, Arrow and Spark write them), the Parquet footers
 * answer it: exact, since a column's minimum is the least of its row groups' minima, and read in
 * milliseconds, where scanning 124 million national bills takes a second of both cores. Otherwise
 * (another time type, a row group without statistics, no rows) the view scans the bills.
 */
async function createBillTimeRange(c: DuckDBConnection, files: string, storedAsTimestamp: boolean) {
  const metadata = `parquet_metadata(${files}) WHERE path_in_schema = 'contact_time'`;
  let fromFooters = false;
  if (storedAsTimestamp) {
    const check = await c.runAndReadAll(
      `SELECT COUNT(*) AS row_groups, COUNT(stats_min_value) AS with_min, COUNT(stats_max_value) AS with_max FROM ${metadata}`
    );
    const { row_groups, with_min, with_max } = check.getRowObjectsJS()[0]!;
    fromFooters = Number(row_groups) > 0 && with_min === row_groups && with_max === row_groups;
  }
  await c.run(
    fromFooters
      ? `CREATE OR REPLACE VIEW kuhr_bills_time_range AS SELECT MIN(CAST(stats_min_value AS TIMESTAMP)) AS first_time,
           MAX(CAST(stats_max_value AS TIMESTAMP)) AS last_time, 'footers' AS source FROM ${metadata}`
      : `CREATE OR REPLACE VIEW kuhr_bills_time_range AS SELECT MIN(contact_time) AS first_time,
           MAX(contact_time) AS last_time, 'scan' AS source FROM kuhr_bills`
  );
}

async function withProgress<T>(id: number, work: (c: DuckDBConnection) => Promise<T>): Promise<T> {
  const c = connection;
  if (!c) throw new Error('The engine is not initialised');
  current = id;
  let last = -1;
  const timer = setInterval(() => {
    const pct = c.progress.percentage;
    if (pct >= 0 && Math.round(pct) !== last) {
      last = Math.round(pct);
      send({ type: 'progress', id, percent: pct });
    }
  }, 250);
  try {
    return await work(c);
  } finally {
    clearInterval(timer);
    current = null;
  }
}

async function handle(msg: ToWorker): Promise<void> {
  const started = performance.now();
  if (cancelled.delete(msg.id)) {
    send({ type: 'error', id: msg.id, message: 'Interrupted before it started', interrupted: true });
    return;
  }
  try {
    switch (msg.type) {
      case 'init':
        await init(msg.settings);
        send({ type: 'ok', id: msg.id, rows: [], ms: performance.now() - started });
        return;
      case 'query': {
        const table = await withProgress(msg.id, (c) => readTable(c, msg.sql));
        send({ type: 'table', id: msg.id, table, ms: performance.now() - started });
        return;
      }
      case 'fit': {
        const table = await withProgress(msg.id, (c) => readTable(c, msg.sql));
        const results = await fitGpModelsInParallel({ columns: wireColumns(table) }, msg.requests, threads);
        send({ type: 'fitted', id: msg.id, results, ms: performance.now() - started });
        return;
      }
      case 'materialize': {
        if (!/^[a-z_][a-z0-9_]*$/.test(msg.name)) throw new Error(`Bad table name ${msg.name}`);
        await withProgress(msg.id, (c) => c.run(`CREATE OR REPLACE TEMP TABLE ${msg.name} AS ${msg.sql}`));
        const count = await connection!.runAndReadAll(`SELECT COUNT(*) AS n FROM ${msg.name}`);
        send({
          type: 'ok',
          id: msg.id,
          rows: count.getRowObjectsJS().map((r) => ({ n: toPlain(r.n) })),
          ms: performance.now() - started,
        });
        return;
      }
      case 'stats':
        send({ type: 'stats', id: msg.id, maxRssKb: process.resourceUsage().maxRSS, tables: [...views] });
        return;
      case 'close':
        connection?.closeSync();
        instance?.closeSync();
        connection = null;
        instance = null;
        send({ type: 'ok', id: msg.id, rows: [], ms: 0 });
        setImmediate(() => process.exit(0));
        return;
      case 'cancel':
        return;
    }
  } catch (error) {
    const message = error instanceof Error ? error.message : String(error);
    send({ type: 'error', id: msg.id, message, interrupted: /interrupt/i.test(message) });
  }
}

process.on('message', (raw) => {
  const msg = raw as ToWorker;
  if (msg.type === 'cancel') {
    // Not queued: interrupts the statement running now.
    if (current === msg.id) connection?.interrupt();
    else cancelled.add(msg.id);
    return;
  }
  queue = queue.then(() => handle(msg));
});

process.on('disconnect', () => process.exit(0));

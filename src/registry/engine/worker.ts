/**
 * The DuckDB worker: a child process (child_process.fork) that owns the only DuckDB instance, so a
 * native crash or an out-of-memory kill takes down this process and not its caller. It maps the
 * registry tables to read_parquet views (views.ts, the only DuckDB-specific SQL; analyses use the
 * table names), runs one statement at a time, reports progress, and interrupts on request.
 */
import { DuckDBInstance, type DuckDBConnection } from '@duckdb/node-api';
import { fitGpModelsInParallel } from './gp-models.js';
import type { FromWorker, ToWorker, WorkerSettings } from './protocol.js';
import { readTable, toPlain } from './read-result.js';
import { mapRegistryTables } from './views.js';
import { wireColumns } from './wire.js';

let connection: DuckDBConnection | null = null;
let instance: DuckDBInstance | null = null;
let current: number | null = null;
let queue: Promise<void> = Promise.resolve();
const views: string[] = [];
const cancelled = new Set<number>();

function send(msg: FromWorker): void {
  process.send?.(msg);
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
  const c = connection;
  views.push(
    ...(await mapRegistryTables(
      { run: (sql) => c.run(sql), rows: async (sql) => (await c.runAndReadAll(sql)).getRowObjectsJS() },
      settings.dataDir
    ))
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

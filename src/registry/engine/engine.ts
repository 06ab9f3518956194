/**
 * The analytics engine: `run(analysisId, params)` → aggregated rows. DuckDB runs in a forked worker
 * process (./worker.ts); this side renders the analyses' SQL, materialises the steps an analysis
 * needs (once per parameter set), enforces a timeout (interrupt, then kill), and reports progress.
 * A crash of the worker rejects what was pending; the next run starts a new worker.
 */
import { fork, type ChildProcess } from 'node:child_process';
import { existsSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { ANALYSES, STEPS, stepsFor, type AnalysisId, type StepName } from './analyses.js';
import type { ResolvedParams } from './params.js';
import type { GpModelRequest, GpModelResult } from './gp-model-types.js';
import type { FromWorker, Row, ToWorker, WorkerSettings } from './protocol.js';
import { columnsToRows, wireRows, wireToColumns, type Columns, type WireTable } from './wire.js';

export type { Row } from './protocol.js';

export interface EngineProgress {
  analysisId: string;
  /** The step or analysis running now. */
  step: string;
  /** 0-100 within that step, when DuckDB knows. */
  percent: number;
}

export interface RunOptions {
  timeoutMs?: number;
  onProgress?: (p: EngineProgress) => void;
}

export interface AnalyticsEngine {
  run(analysisId: AnalysisId, params: ResolvedParams, options?: RunOptions): Promise<Row[]>;
  close(): Promise<void>;
}

export interface EngineOptions {
  dataDir: string;
  threads?: number;
  memoryLimit?: string;
  tempDir?: string | null;
  /** Default timeout of one run (all its steps), ms. */
  timeoutMs?: number;
  /** After an interrupt, how long the worker has to answer before it is killed, ms. */
  killGraceMs?: number;
}

export class EngineError extends Error {
  constructor(
    message: string,
    readonly kind: 'timeout' | 'crash' | 'query'
  ) {
    super(message);
    this.name = 'EngineError';
  }
}

/** What the worker answers: rows (small answers), a query's table, or model results for 'fit'. */
type Answer = Row[] | WireTable | GpModelResult[];

interface Pending {
  resolve(value: Answer): void;
  reject(error: Error): void;
  onProgress?: (percent: number) => void;
}

function workerEntry(): { path: string; execArgv: string[] } {
  const here = fileURLToPath(import.meta.url);
  const js = here.replace(/engine\.(ts|js)$/, 'worker.js');
  if (here.endsWith('.js') && existsSync(js)) return { path: js, execArgv: [] };
  // Running from TypeScript sources (tsx, vitest): the worker is loaded through tsx.
  return { path: here.replace(/engine\.(ts|js)$/, 'worker.ts'), execArgv: ['--import', 'tsx'] };
}

export class DuckDbWorkerEngine implements AnalyticsEngine {
  private child: ChildProcess | null = null;
  private ready: Promise<void> | null = null;
  private nextId = 1;
  private pending = new Map<number, Pending>();
  /** Materialised steps and the SQL they were built from. */
  private built = new Map<StepName, string>();
  private queue: Promise<unknown> = Promise.resolve();
  private readonly settings: WorkerSettings;
  private lastMaxRssKb = 0;

  constructor(private readonly options: EngineOptions) {
    this.settings = {
      dataDir: options.dataDir,
      threads: options.threads ?? 2,
      memoryLimit: options.memoryLimit ?? '4GB',
      tempDir: options.tempDir ?? null,
    };
  }

  /** The worker's process id (for tests and the bench). */
  get pid(): number | undefined {
    return this.child?.pid;
  }

  private start(): Promise<void> {
    if (this.ready) return this.ready;
    const entry = workerEntry();
    const child = fork(entry.path, [], {
      execArgv: entry.execArgv,
      stdio: ['ignore', 'inherit', 'inherit', 'ipc'],
      serialization: 'advanced',
    });
    this.child = child;
    child.on('message', (raw) => this.onMessage(raw as FromWorker));
    child.on('exit', (code, signal) => {
      if (this.child === child) {
        this.child = null;
        this.ready = null;
        this.built.clear();
      }
      const error = new EngineError(`The DuckDB worker exited (${signal ?? `code ${code}`})`, 'crash');
      for (const p of this.pending.values()) p.reject(error);
      this.pending.clear();
    });
    this.ready = this.request(
      { type: 'init', id: 0, settings: this.settings },
      this.options.timeoutMs ?? 600_000
    ).then(() => undefined);
    this.ready.catch(() => {
      if (this.child === child) this.kill();
    });
    return this.ready;
  }

  private onMessage(msg: FromWorker): void {
    const p = this.pending.get(msg.id);
    if (!p) return;
    if (msg.type === 'progress') return p.onProgress?.(msg.percent);
    this.pending.delete(msg.id);
    if (msg.type === 'ok') p.resolve(msg.rows);
    else if (msg.type === 'table') p.resolve(msg.table);
    else if (msg.type === 'fitted') p.resolve(msg.results);
    else if (msg.type === 'stats') {
      this.lastMaxRssKb = msg.maxRssKb;
      p.resolve([{ maxRssKb: msg.maxRssKb, tables: msg.tables.join(',') }]);
    } else p.reject(new EngineError(msg.message, msg.interrupted ? 'timeout' : 'query'));
  }

  private kill(): void {
    const child = this.child;
    if (child && child.exitCode === null) child.kill('SIGKILL');
  }

  /** Sends one message; on timeout interrupts the statement, and kills the worker if it does not answer. */
  private request(
    message: ToWorker,
    timeoutMs: number,
    onProgress?: (percent: number) => void
  ): Promise<Answer> {
    const child = this.child;
    if (!child?.connected)
      return Promise.reject(new EngineError('The DuckDB worker is not running', 'crash'));
    const id = message.type === 'init' ? 0 : this.nextId++;
    const msg = { ...message, id };
    return new Promise<Answer>((resolve, reject) => {
      let grace: NodeJS.Timeout | undefined;
      const timer = setTimeout(
        () => {
          child.send({ type: 'cancel', id } satisfies ToWorker);
          grace = setTimeout(() => {
            if (this.pending.has(id)) {
              this.pending.delete(id);
              reject(
                new EngineError(
                  `Timed out after ${timeoutMs} ms; the worker did not stop and was killed`,
                  'timeout'
                )
              );
              this.kill();
            }
          }, this.options.killGraceMs ?? 5_000);
        },
        Math.max(1, timeoutMs)
      );
      const done = () => {
        clearTimeout(timer);
        if (grace) clearTimeout(grace);
      };
      this.pending.set(id, {
        resolve: (rows) => (done(), resolve(rows)),
        reject: (error) => {
          done();
          reject(
            error instanceof EngineError && error.kind === 'timeout' && !error.message.startsWith('Timed out')
              ? new EngineError(`Timed out after ${timeoutMs} ms (${error.message})`, 'timeout')
              : error
          );
        },
        onProgress,
      });
      child.send(msg);
    });
  }

  run(analysisId: AnalysisId, params: ResolvedParams, options: RunOptions = {}): Promise<Row[]> {
    return this.runColumns(analysisId, params, options).then(columnsToRows);
  }

  /**
   * The same as columns: one array per column (Float64Array for numbers without NULL). For large
   * results (the national indicator_patterns has ~225,000 rows), where row objects cost seconds.
   */
  runColumns(analysisId: AnalysisId, params: ResolvedParams, options: RunOptions = {}): Promise<Columns> {
    // One run at a time: steps are shared state in the worker.
    const result = this.queue.then(() =>
      (this.runNow(analysisId, params, options) as Promise<WireTable>).then(wireToColumns)
    );
    this.queue = result.catch(() => undefined);
    return result;
  }

  /**
   * Builds the steps of an analysis, then fits mixed models to its rows inside the worker: the
   * rows (per GP and covariate pattern) never come to this process, only the summaries.
   */
  fitModels(
    analysisId: AnalysisId,
    params: ResolvedParams,
    requests: GpModelRequest[],
    options: RunOptions = {}
  ): Promise<GpModelResult[]> {
    const result = this.queue.then(
      () =>
        this.runNow(analysisId, params, options, (sql) => ({ type: 'fit', id: 0, sql, requests })) as Promise<
          GpModelResult[]
        >
    );
    this.queue = result.catch(() => undefined);
    return result;
  }

  private async runNow(
    analysisId: AnalysisId,
    params: ResolvedParams,
    options: RunOptions,
    finalMessage: (sql: string) => ToWorker = (sql) => ({ type: 'query', id: 0, sql })
  ): Promise<Answer> {
    const def = ANALYSES[analysisId];
    if (!def) throw new Error(`Unknown analysis ${String(analysisId)}`);
    const deadline = Date.now() + (options.timeoutMs ?? this.options.timeoutMs ?? 600_000);
    const remaining = () => deadline - Date.now();
    await this.start();
    const steps = stepsFor(def.requires);
    for (const name of steps) {
      const sql = STEPS[name].sql(params);
      if (this.built.get(name) === sql) continue;
      // Rebuilding a step invalidates every step built on it.
      for (const other of [...this.built.keys()])
        if (stepsFor([other]).includes(name)) this.built.delete(other);
      options.onProgress?.({ analysisId, step: name, percent: 0 });
      await this.request({ type: 'materialize', id: 0, name, sql }, remaining(), (percent) =>
        options.onProgress?.({ analysisId, step: name, percent })
      );
      this.built.set(name, sql);
    }
    options.onProgress?.({ analysisId, step: analysisId, percent: 0 });
    const rows = await this.request(finalMessage(def.sql(params)), remaining(), (percent) =>
      options.onProgress?.({ analysisId, step: analysisId, percent })
    );
    options.onProgress?.({ analysisId, step: analysisId, percent: 100 });
    return rows;
  }

  /**
   * Runs raw SQL on the worker (after the steps of an earlier run() are built). For tests and
   * diagnostics only: it can return person-level rows, so nothing it returns may be published.
   */
  debugQuery(sql: string, timeoutMs = 60_000): Promise<Row[]> {
    const result = this.queue.then(async () => {
      await this.start();
      return wireRows((await this.request({ type: 'query', id: 0, sql }, timeoutMs)) as WireTable);
    });
    this.queue = result.catch(() => undefined);
    return result;
  }

  /** Peak resident memory of the worker so far (kB). */
  async workerMaxRssKb(): Promise<number> {
    if (!this.child) return this.lastMaxRssKb;
    const rows = (await this.request({ type: 'stats', id: 0 }, 10_000)) as Row[];
    return Number(rows[0]?.maxRssKb ?? 0);
  }

  async close(): Promise<void> {
    const child = this.child;
    if (!child) return;
    const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
    try {
      await this.request({ type: 'close', id: 0 }, 10_000);
    } catch {
      this.kill();
    }
    await Promise.race([exited, new Promise((r) => setTimeout(r, 5_000))]);
    this.kill();
  }
}

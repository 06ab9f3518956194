/**
 * The registry analysis behind the researcher page (issue 12 §1): one run at a time on the
 * configured data folder, with progress, its funnel plots and its report. The analysis itself is
 * the registry layer's (aggregated and small-cell suppressed there); DuckDB runs in its own worker
 * process, so an analysis cannot take the web server down. Starting a run is audited.
 */
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import type { RegistryFunnels, RegistryRunStarted, RegistryStatus } from '../../contract/research.js';
import { runAnalysis, type AnalysisProgress, type RunAnalysisResult } from '../../registry/analyze/run.js';
import type { DataContext } from '../access/data-context.js';
import { HttpProblem, notFound } from '../problem.js';

export interface RegistryConfig {
  /** Folder with `<table>/*.parquet`. */
  dataDir: string;
  /** Where reports are written. */
  reportsDir: string;
}

interface RunState {
  id: string;
  status: 'running' | 'done' | 'failed';
  startedAt: Date;
  finishedAt: Date | null;
  progress: AnalysisProgress;
  result: RunAnalysisResult | null;
  error: string | null;
}

/** The analysis runs of one server: the latest run, and starting a new one. */
export class RegistryRuns {
  private current: RunState | null = null;

  constructor(
    private readonly config: RegistryConfig,
    /** Where a failed run's message goes (it names a step or a missing table, never data). */
    private readonly logFailure: (message: string) => void
  ) {}

  private dataPresent(): boolean {
    const { dataDir } = this.config;
    return existsSync(join(dataDir, 'persons')) && existsSync(join(dataDir, 'kuhr_bills'));
  }

  status(): RegistryStatus {
    const current = this.current;
    return {
      dataPresent: this.dataPresent(),
      run: current
        ? {
            id: current.id,
            status: current.status,
            startedAt: current.startedAt.toISOString(),
            finishedAt: current.finishedAt?.toISOString() ?? null,
            progress: current.progress,
            summary: current.result
              ? {
                  ...current.result.summary,
                  seconds:
                    Math.round((current.finishedAt!.getTime() - current.startedAt.getTime()) / 100) / 10,
                }
              : null,
            error: current.error,
          }
        : null,
    };
  }

  /** Starts a run in the background (409 without data or while one runs); the start is audited. */
  async start(ctx: DataContext): Promise<RegistryRunStarted> {
    const { dataDir, reportsDir } = this.config;
    if (!this.dataPresent()) {
      throw new HttpProblem(
        409,
        'Conflict',
        `No registry data in the configured folder. Generate a synthetic twin: npm run registry:generate -- --out ${dataDir}`
      );
    }
    if (this.current?.status === 'running')
      throw new HttpProblem(409, 'Conflict', 'An analysis is already running.');
    const id = ctx.now.toISOString().replace(/[:.]/g, '-');
    const run: RunState = {
      id,
      status: 'running',
      startedAt: ctx.now,
      finishedAt: null,
      progress: { step: 'start', fraction: 0, message: 'Starting' },
      result: null,
      error: null,
    };
    this.current = run;
    await ctx.recordRead({
      action: 'read',
      dataCategory: 'registry analysis (aggregates, suppressed)',
      patientIds: [null],
    });
    void runAnalysis({ dataDir, outDir: join(reportsDir, id), onProgress: (p) => (run.progress = p) })
      .then((result) => {
        run.result = result;
        run.status = 'done';
      })
      .catch((error: unknown) => {
        run.status = 'failed';
        // The message names a step or a missing table; it never holds data.
        run.error = error instanceof Error ? error.message.slice(0, 300) : 'analysis failed';
        this.logFailure(run.error);
      })
      .finally(() => {
        run.finishedAt = new Date();
      });
    return { id };
  }

  /** The finished run's funnel plots (404 before one has finished). */
  funnels(): RegistryFunnels {
    if (!this.current?.result) throw notFound();
    return { funnels: this.current.result.funnels };
  }

  /** The finished run's HTML report in English or bokmål (404 before one has finished). */
  reportHtml(language: 'en' | 'nb'): string {
    if (!this.current?.result) throw notFound();
    const { reportPath, reportNbPath } = this.current.result;
    return readFileSync(language === 'nb' ? reportNbPath : reportPath, 'utf8');
  }
}

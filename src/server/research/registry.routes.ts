/**
 * The researcher page's registry analysis: runs the same analysis as `npm run registry:analyze` on
 * the configured data folder (a synthetic twin, or a real extract inside a secure server), one run
 * at a time, with progress, and serves the report. Everything that leaves is aggregated and
 * small-cell suppressed by the registry layer; DuckDB runs in its own worker process, so an
 * analysis cannot take the web server down.
 */
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import { Type } from 'typebox';
import { runAnalysis, type AnalysisProgress, type RunAnalysisResult } from '../../registry/analyze/run.js';
import { recordAccess } from '../audit/audit-log.js';
import { HttpProblem, notFound } from '../problem.js';
import { commonErrors, Nullable } from '../schemas.js';

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

/** The report is our own static HTML with inline CSS and SVG: no scripts may run in it at all. */
const REPORT_CSP =
  "default-src 'none'; style-src 'unsafe-inline'; img-src data:; frame-ancestors 'none'; base-uri 'none'; form-action 'none'; sandbox";

const RESEARCHER = { roles: ['researcher'] } as const;

const LimitPair = Type.Object({ lower: Type.Number(), upper: Type.Number() });
const LIMITS = {
  exact95: LimitPair,
  exact998: LimitPair,
  multiplicative95: LimitPair,
  multiplicative998: LimitPair,
  additive95: LimitPair,
  additive998: LimitPair,
};
const OutsideCount = Type.Object({ above: Type.Integer(), below: Type.Integer() });
/** stats/funnel.ts FunnelPlotData: what a funnel plot publishes (no GP ids, coarsened points). */
const FunnelPlotSchema = Type.Object({
  riskAdjusted: Type.Boolean(),
  p0: Type.Number(),
  minPatients: Type.Integer(),
  omitted: Type.Integer(),
  points: Type.Array(Type.Object({ x: Type.Number(), y: Type.Number() })),
  curves: Type.Array(Type.Object({ n: Type.Number(), ...LIMITS })),
  xMax: Type.Number(),
  summary: Type.Object({
    gps: Type.Integer(),
    patients: Type.Integer(),
    observed: Type.Integer(),
    riskAdjusted: Type.Boolean(),
    p0: Type.Number(),
    winsorise: Type.Number(),
    phi: Type.Number(),
    phiUnwinsorised: Type.Number(),
    tau2: Type.Number(),
    tau: Type.Number(),
    chiSquare: Type.Number(),
    df: Type.Integer(),
    pValue: Type.Number(),
    outside: Type.Object({
      exact95: OutsideCount,
      exact998: OutsideCount,
      multiplicative95: OutsideCount,
      multiplicative998: OutsideCount,
      additive95: OutsideCount,
      additive998: OutsideCount,
    }),
  }),
});

const registryRoutes: FastifyPluginAsyncTypebox<{ registry: RegistryConfig }> = async (app, options) => {
  const { dataDir, reportsDir } = options.registry;
  let current: RunState | null = null;

  const dataPresent = () => existsSync(join(dataDir, 'persons')) && existsSync(join(dataDir, 'kuhr_bills'));

  app.get(
    '/api/research/registry',
    {
      config: { access: RESEARCHER },
      schema: {
        response: {
          200: Type.Object({
            dataPresent: Type.Boolean(),
            run: Nullable(
              Type.Object({
                id: Type.String(),
                status: Type.Enum(['running', 'done', 'failed'] as const),
                startedAt: Type.String(),
                finishedAt: Nullable(Type.String()),
                progress: Type.Object({
                  step: Type.String(),
                  fraction: Type.Number(),
                  message: Type.String(),
                }),
                summary: Nullable(
                  Type.Object({
                    episodes: Nullable(Type.Integer()),
                    patients: Nullable(Type.Integer()),
                    gps: Nullable(Type.Integer()),
                    indexFrom: Type.String(),
                    indexTo: Type.String(),
                    seconds: Type.Number(),
                  })
                ),
                error: Nullable(Type.String()),
              })
            ),
          }),
          ...commonErrors,
        },
      },
    },
    async () => ({
      dataPresent: dataPresent(),
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
    })
  );

  app.post(
    '/api/research/registry/runs',
    {
      config: { access: RESEARCHER },
      schema: {
        response: { 202: Type.Object({ id: Type.String() }), 409: commonErrors[400], ...commonErrors },
      },
    },
    async (request, reply) => {
      if (!dataPresent()) {
        throw new HttpProblem(
          409,
          'Conflict',
          `No registry data in the configured folder. Generate a synthetic twin: npm run registry:generate -- --out ${dataDir}`
        );
      }
      if (current?.status === 'running')
        throw new HttpProblem(409, 'Conflict', 'An analysis is already running.');
      const id = app.now().toISOString().replace(/[:.]/g, '-');
      const run: RunState = {
        id,
        status: 'running',
        startedAt: app.now(),
        finishedAt: null,
        progress: { step: 'start', fraction: 0, message: 'Starting' },
        result: null,
        error: null,
      };
      current = run;
      await recordAccess(request, {
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
          app.log.error({ err: { message: run.error } }, 'registry analysis failed');
        })
        .finally(() => {
          run.finishedAt = new Date();
        });
      reply.code(202);
      return { id };
    }
  );

  app.get(
    '/api/research/registry/funnels',
    {
      config: { access: RESEARCHER },
      schema: {
        response: {
          200: Type.Object({
            funnels: Type.Array(
              Type.Object({
                key: Type.String(),
                label: Type.String(),
                data: FunnelPlotSchema,
              })
            ),
          }),
          ...commonErrors,
        },
      },
    },
    async () => {
      if (!current?.result) throw notFound();
      return { funnels: current.result.funnels };
    }
  );

  app.get('/api/research/registry/report', { config: { access: RESEARCHER } }, async (_request, reply) => {
    if (!current?.result) throw notFound();
    const html = readFileSync(current.result.reportPath, 'utf8');
    return reply
      .type('text/html; charset=utf-8')
      .header('content-security-policy', REPORT_CSP)
      .header('cache-control', 'no-store')
      .send(html);
  });
};

export default registryRoutes;

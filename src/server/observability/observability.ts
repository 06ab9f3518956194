/**
 * Logs, metrics and traces in one place for the app (src/server/app.ts) and the server
 * (src/cli/serve.ts): the request id header on every response, and metrics and traces when they
 * are turned on (docs/observability.md).
 */
import type { FastifyInstance } from 'fastify';
import type { DatabasePoolStats } from '../../db/connection.js';
import { REQUEST_ID_HEADER } from './logging.js';
import { Metrics, metricsConfigFrom, type MetricsServer } from './metrics.js';
import { Tracing, tracingConfigFrom } from './tracing.js';

export interface Observability {
  /** Prometheus metrics, or null when off. */
  metrics: Metrics | null;
  /** OpenTelemetry traces, or null when off. */
  tracing: Tracing | null;
  /** Stops the metrics port and sends the last spans. */
  close(): Promise<void>;
}

/** From METRICS_PORT/METRICS(_HOST) and the OTEL_* variables; both off by default. */
export async function observabilityFromEnv(
  env: NodeJS.ProcessEnv,
  database: { poolStats: () => DatabasePoolStats }
): Promise<Observability> {
  const metricsConfig = metricsConfigFrom(env);
  const tracingConfig = tracingConfigFrom(env);
  const metrics = metricsConfig ? new Metrics({ poolStats: database.poolStats }) : null;
  const server: MetricsServer | null =
    metrics && metricsConfig ? await metrics.serve(metricsConfig.port, metricsConfig.host) : null;
  const tracing = tracingConfig ? new Tracing(tracingConfig) : null;
  return {
    metrics,
    tracing,
    async close() {
      await server?.close();
      await tracing?.shutdown();
    },
  };
}

/**
 * Called by buildApp before any route is added (hooks and the tracing plugin only see routes
 * added after them): echoes the request id, counts requests, opens request spans.
 */
export async function instrumentApp(
  app: FastifyInstance,
  observability: Pick<Observability, 'metrics' | 'tracing'> | undefined
): Promise<void> {
  // The id in every log line of the request and in problem documents (`instance`), so a user's
  // report, the balancer's log and ours can be joined.
  app.addHook('onRequest', async (request, reply) => {
    reply.header(REQUEST_ID_HEADER, request.id);
  });
  if (observability?.tracing) await observability.tracing.instrument(app);
  observability?.metrics?.instrument(app);
}

/**
 * Prometheus metrics (prom-client), off unless METRICS_PORT or METRICS=on is set: requests by
 * method, route pattern and status with a latency histogram, database pool use, job queue depth,
 * and Node's process metrics. They are served on a port of their own (METRICS_PORT, default 9464)
 * and never on the application's port, so the balancer never exposes them (docs/observability.md).
 *
 * Labels are route patterns, never paths: one series per route, not one per patient, and no
 * identifier or text from a request ever reaches a metric.
 */
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import type { FastifyInstance } from 'fastify';
import { collectDefaultMetrics, Counter, Gauge, Histogram, Registry } from 'prom-client';
import type { DatabasePoolStats } from '../../db/connection.js';

export interface MetricsOptions {
  /** The database's connections (OpenDatabase.poolStats); without it no pool metrics. */
  poolStats?: (() => DatabasePoolStats) | undefined;
  /** Process metrics (CPU, memory, event loop lag, GC); tests that build many apps leave them out. */
  processMetrics?: boolean;
}

/** One sample of a gauge added by another part of the server. */
export interface GaugeSample {
  labels?: Record<string, string>;
  value: number;
}

export interface GaugeDefinition {
  name: string;
  help: string;
  labelNames?: string[];
  /**
   * Read at each scrape. A failure is never thrown: the gauge is left out (NaN without labels) and
   * gpdep_metrics_collect_errors_total counts it (seen in that scrape or the next: all are read at once).
   */
  collect: () => GaugeSample[] | Promise<GaugeSample[]>;
}

/** Jobs per queue and state (pg-boss: created, retry, active, failed, …). */
export interface JobQueueCount {
  queue: string;
  state: string;
  count: number;
}

/** Buckets around the goals: p95 under 150 ms under load, pages under 300 ms. */
const LATENCY_BUCKETS = [0.005, 0.01, 0.025, 0.05, 0.1, 0.15, 0.25, 0.3, 0.5, 1, 2.5, 5, 10];

export class Metrics {
  readonly registry = new Registry();
  private readonly requests: Counter<'method' | 'route' | 'status_code'>;
  private readonly latency: Histogram<'method' | 'route' | 'status_code'>;
  private readonly collectErrors: Counter<'metric'>;
  private jobQueueSource: (() => Promise<JobQueueCount[]>) | null = null;

  constructor(options: MetricsOptions = {}) {
    if (options.processMetrics !== false) collectDefaultMetrics({ register: this.registry });
    this.requests = new Counter({
      name: 'gpdep_http_requests_total',
      help: 'HTTP requests answered, by method, route pattern and status code.',
      labelNames: ['method', 'route', 'status_code'],
      registers: [this.registry],
    });
    this.latency = new Histogram({
      name: 'gpdep_http_request_duration_seconds',
      help: 'Time from a request arriving to its response being sent, by method, route pattern and status.',
      labelNames: ['method', 'route', 'status_code'],
      buckets: LATENCY_BUCKETS,
      registers: [this.registry],
    });
    this.collectErrors = new Counter({
      name: 'gpdep_metrics_collect_errors_total',
      help: 'Scrapes in which a gauge could not be read (left out of that scrape, NaN without labels).',
      labelNames: ['metric'],
      registers: [this.registry],
    });
    const poolStats = options.poolStats;
    if (poolStats) {
      this.gauge({
        name: 'gpdep_db_pool_connections',
        help: 'Database connections by state: total open and idle (PGlite has one).',
        labelNames: ['state'],
        collect: () => {
          const stats = poolStats();
          return [
            { labels: { state: 'total' }, value: stats.total },
            { labels: { state: 'idle' }, value: stats.idle },
          ];
        },
      });
      this.gauge({
        name: 'gpdep_db_pool_waiting',
        help: 'Queries waiting for a database connection.',
        collect: () => [{ value: poolStats().waiting }],
      });
    }
    this.gauge({
      name: 'gpdep_job_queue_jobs',
      help: 'Background jobs by queue and state (absent until the job queue reports).',
      labelNames: ['queue', 'state'],
      collect: async () =>
        this.jobQueueSource
          ? (await this.jobQueueSource()).map((c) => ({
              labels: { queue: c.queue, state: c.state },
              value: c.count,
            }))
          : [],
    });
  }

  /**
   * A gauge read at each scrape, for other parts of the server (the audit chainer's lag, say).
   * A collect that throws leaves the gauge out of that scrape and counts the failure.
   */
  gauge(definition: GaugeDefinition): void {
    const collectErrors = this.collectErrors;
    new Gauge({
      name: definition.name,
      help: definition.help,
      labelNames: definition.labelNames ?? [],
      registers: [this.registry],
      async collect() {
        this.reset();
        try {
          for (const sample of await definition.collect()) {
            if (sample.labels) this.set(sample.labels, sample.value);
            else this.set(sample.value);
          }
        } catch {
          // The message is not logged here: a scrape every few seconds would flood the log. A
          // gauge without labels would read 0 after the reset: NaN shows a gap instead.
          if ((definition.labelNames ?? []).length === 0) this.set(Number.NaN);
          collectErrors.inc({ metric: definition.name });
        }
      },
    });
  }

  /** Where the job queue's depth comes from (the job queue sets it when it starts). */
  setJobQueueSource(source: () => Promise<JobQueueCount[]>): void {
    this.jobQueueSource = source;
  }

  /** Counts and times every response of the app; called before any route is added. */
  instrument(app: FastifyInstance): void {
    app.addHook('onResponse', async (request, reply) => {
      const labels = {
        method: request.method,
        // Unmatched paths (404s, scanners) share one label, so they cannot grow the series.
        route: request.routeOptions.url ?? 'unmatched',
        status_code: String(reply.statusCode),
      };
      this.requests.inc(labels);
      this.latency.observe(labels, reply.elapsedTime / 1000);
    });
  }

  /** Serves GET /metrics on its own port; anything else is 404. */
  async serve(port: number, host: string): Promise<MetricsServer> {
    const server = createServer((request, response) => {
      if (request.method !== 'GET' || (request.url ?? '').split('?')[0] !== '/metrics') {
        response.writeHead(404, { 'content-type': 'text/plain' }).end('Not Found\n');
        return;
      }
      this.registry
        .metrics()
        .then((body) => response.writeHead(200, { 'content-type': this.registry.contentType }).end(body))
        .catch(() => response.writeHead(500, { 'content-type': 'text/plain' }).end('metrics failed\n'));
    });
    await new Promise<void>((resolve, reject) => {
      server.once('error', reject);
      server.listen(port, host, () => resolve());
    });
    return new MetricsServer(server);
  }
}

export class MetricsServer {
  constructor(private readonly server: Server) {}
  get port(): number {
    return (this.server.address() as AddressInfo).port;
  }
  close(): Promise<void> {
    return new Promise((resolve) => {
      this.server.close(() => resolve());
      this.server.closeAllConnections();
    });
  }
}

export interface MetricsConfig {
  port: number;
  host: string;
}

/**
 * METRICS_PORT=9464 (or METRICS=on for that default port) turns metrics on; METRICS_HOST is the
 * address to listen on (default 127.0.0.1: only a scraper on the same machine; 0.0.0.0 in a
 * container whose port only the monitoring network reaches). Off (null) without either.
 */
export function metricsConfigFrom(env: NodeJS.ProcessEnv): MetricsConfig | null {
  const on = env.METRICS?.trim().toLowerCase();
  if (on && !['on', 'off', '1', '0', 'true', 'false'].includes(on))
    throw new Error(`METRICS must be on or off, not ${env.METRICS}`);
  const enabled = on === 'on' || on === '1' || on === 'true';
  if (!env.METRICS_PORT && !enabled) return null;
  if (on === 'off' || on === '0' || on === 'false') return null;
  const port = env.METRICS_PORT ? Number(env.METRICS_PORT) : 9464;
  if (!Number.isInteger(port) || port < 0 || port > 65535)
    throw new Error(`METRICS_PORT must be a port number, not ${env.METRICS_PORT}`);
  return { port, host: env.METRICS_HOST?.trim() || '127.0.0.1' };
}

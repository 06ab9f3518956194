/**
 * Prometheus metrics on their own port: with metrics on, requests are counted and timed by route
 * pattern (never by path), the database pool and the job queue report, and the application's port
 * has no /metrics; with metrics off there is no /metrics anywhere.
 */
import { afterEach, describe, expect, it } from 'vitest';
import { createTestApp, type TestApp } from '../../../test/support/test-app.js';
import { Metrics, type MetricsServer } from './metrics.js';

let t: TestApp | undefined;
let server: MetricsServer | undefined;
afterEach(async () => {
  await server?.close();
  await t?.close();
  server = undefined;
  t = undefined;
});

async function scrape(): Promise<string> {
  const response = await fetch(`http://127.0.0.1:${server!.port}/metrics`);
  expect(response.status).toBe(200);
  expect(response.headers.get('content-type')).toMatch(/^text\/plain; version=0\.0\.4/);
  return response.text();
}

describe('metrics on', () => {
  it('count and time requests by method, route pattern and status, with pool, queue and process metrics', async () => {
    let app: TestApp | undefined;
    const metrics = new Metrics({ poolStats: () => app!.database.poolStats() });
    t = app = await createTestApp({ observability: { metrics, tracing: null } });
    server = await metrics.serve(0, '127.0.0.1');
    metrics.setJobQueueSource(async () => [{ queue: 'reminders', state: 'created', count: 3 }]);
    metrics.gauge({
      name: 'gpdep_test_broken',
      help: 'A gauge whose source fails.',
      collect: () => {
        throw new Error('source down');
      },
    });

    const patient = await t.login('pA1');
    for (let i = 0; i < 3; i += 1) await t.call(patient, 'GET', `/api/patients/${t.fixture.patientIds.pA1}`);
    await t.call(patient, 'GET', `/api/patients/${t.fixture.patientIds.pB}`);
    await t.call(null, 'GET', '/api/no-such-thing');

    const text = await scrape();
    const route = '/api/patients/:patientId';
    expect(text).toContain(`gpdep_http_requests_total{method="GET",route="${route}",status_code="200"} 3`);
    expect(text).toContain(`gpdep_http_requests_total{method="GET",route="${route}",status_code="404"} 1`);
    expect(text).toContain(
      'gpdep_http_requests_total{method="POST",route="/api/auth/login",status_code="200"} 1'
    );
    expect(text).toContain('gpdep_http_requests_total{method="GET",route="unmatched",status_code="404"} 1');
    expect(text).toMatch(
      new RegExp(
        `gpdep_http_request_duration_seconds_count\\{method="GET",route="${route}",status_code="200"\\} 3`
      )
    );
    expect(text).toContain('gpdep_http_request_duration_seconds_bucket{le="0.15"');
    // No patient id anywhere: labels are patterns.
    expect(text).not.toContain(t.fixture.patientIds.pA1);
    // PGlite has one connection; node-postgres opens them as needed (one for sequential requests).
    expect(text).toMatch(/gpdep_db_pool_connections\{state="total"\} [1-9]/);
    expect(text).toMatch(/gpdep_db_pool_waiting \d+/);
    expect(text).toContain('gpdep_job_queue_jobs{queue="reminders",state="created"} 3');
    // A failing source shows a gap, and is counted (in that scrape or the next: all are read at once).
    expect(text).toMatch(/^gpdep_test_broken nan$/im);
    expect(await scrape()).toMatch(
      /^gpdep_metrics_collect_errors_total\{metric="gpdep_test_broken"\} [12]$/m
    );
    expect(text).toContain('process_cpu_user_seconds_total');
    expect(text).toContain('nodejs_eventloop_lag_p99_seconds');

    // Only on the metrics port: the application's port (behind the balancer) has none.
    const onAppPort = await t.app.inject({ url: '/metrics' });
    expect(onAppPort.statusCode).toBe(404);
    expect(onAppPort.body).not.toContain('gpdep_http_requests_total');
    expect((await fetch(`http://127.0.0.1:${server.port}/other`)).status).toBe(404);
  });
});

describe('metrics off', () => {
  it('the app serves no /metrics and counts nothing', async () => {
    t = await createTestApp();
    const res = await t.app.inject({ url: '/metrics' });
    expect(res.statusCode).toBe(404);
    expect(res.body).not.toContain('gpdep_http_requests_total');
    expect(t.app.printRoutes()).not.toContain('metrics');
  });
});

/**
 * Traces through the real exporter: a local HTTP server stands in for the OpenTelemetry Collector
 * and receives OTLP/HTTP JSON; the app, traced with @fastify/otel, answers requests; the spans that
 * arrive name the route pattern and carry no query string, no request body and no quoted input.
 */
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestApp, type TestApp } from '../../../test/support/test-app.js';
import { Tracing, tracingConfigFrom } from './tracing.js';

interface OtlpAttribute {
  key: string;
  value: { stringValue?: string; intValue?: string | number };
}
interface OtlpSpan {
  name: string;
  kind: number;
  traceId: string;
  parentSpanId?: string;
  attributes: OtlpAttribute[];
  status?: { code?: number; message?: string };
}
interface OtlpRequest {
  resourceSpans: { resource: { attributes: OtlpAttribute[] }; scopeSpans: { spans: OtlpSpan[] }[] }[];
}

let collector: Server;
const received: { path: string; contentType: string; body: OtlpRequest }[] = [];
let t: TestApp;
let tracing: Tracing;

beforeAll(async () => {
  collector = createServer((request, response) => {
    let body = '';
    request.on('data', (chunk: Buffer) => (body += chunk.toString()));
    request.on('end', () => {
      received.push({
        path: request.url ?? '',
        contentType: String(request.headers['content-type']),
        body: JSON.parse(body) as OtlpRequest,
      });
      response.writeHead(200, { 'content-type': 'application/json' }).end('{}');
    });
  });
  await new Promise<void>((resolve) => collector.listen(0, '127.0.0.1', () => resolve()));
  const port = (collector.address() as AddressInfo).port;
  const config = tracingConfigFrom({
    OTEL_EXPORTER_OTLP_ENDPOINT: `http://127.0.0.1:${port}`,
    OTEL_SERVICE_NAME: 'gp-dep-test',
  });
  tracing = new Tracing(config!);
  t = await createTestApp({ observability: { metrics: null, tracing } });
});
afterAll(async () => {
  await t?.close();
  await tracing?.shutdown();
  await new Promise((resolve) => collector?.close(resolve));
});

const attribute = (span: OtlpSpan, key: string) => {
  const value = span.attributes.find((a) => a.key === key)?.value;
  return value?.stringValue ?? (value?.intValue !== undefined ? Number(value.intValue) : undefined);
};

describe('traces', () => {
  it('export a span per request, named by route pattern, without the query string or input', async () => {
    const patient = await t.login('pA1');
    const patientId = t.fixture.patientIds.pA1;
    const traceparent = '00-0af7651916cd43dd8448eb211c80319c-b7ad6b7169203331-01';
    const res = await t.call(patient, 'GET', `/api/patients/${patientId}?lang=en&q=Kari%20Nordmann`, {
      headers: { traceparent },
    });
    expect(res.statusCode).toBeLessThan(500);
    const bad = await t.call(patient, 'POST', `/api/patients/${patientId}/threads`, {
      body: { subject: 'Kari Nordmann', body: 'Kari Nordmann har det vondt.', extra: 1 },
    });
    expect(bad.statusCode).toBe(400);
    await tracing.flush();

    expect(received.length).toBeGreaterThan(0);
    expect(received[0]).toMatchObject({ path: '/v1/traces', contentType: 'application/json' });
    const resource = received[0]!.body.resourceSpans[0]!.resource.attributes;
    expect(resource).toContainEqual({ key: 'service.name', value: { stringValue: 'gp-dep-test' } });
    const spans = received.flatMap((r) =>
      r.body.resourceSpans.flatMap((rs) => rs.scopeSpans.flatMap((s) => s.spans))
    );

    const read = spans.find((s) => s.name === 'GET /api/patients/:patientId');
    expect(read, JSON.stringify(spans.map((s) => s.name))).toBeDefined();
    expect(attribute(read!, 'http.route')).toBe('/api/patients/:patientId');
    expect(attribute(read!, 'url.path')).toBe(`/api/patients/${patientId}`);
    expect(attribute(read!, 'http.request.method')).toBe('GET');
    expect(attribute(read!, 'http.response.status_code')).toBe(res.statusCode);
    // The caller's trace continues (W3C traceparent), and the handler is a child span.
    expect(read!.traceId).toBe('0af7651916cd43dd8448eb211c80319c');
    expect(spans.some((s) => s.traceId === read!.traceId && s.name.startsWith('handler'))).toBe(true);

    const login = spans.find((s) => s.name === 'POST /api/auth/login');
    expect(login).toBeDefined();
    expect(spans.find((s) => s.name === 'POST /api/patients/:patientId/threads')).toBeDefined();

    const everything = JSON.stringify(received);
    expect(everything).not.toContain('Kari');
    expect(everything).not.toContain('lang=en');
    expect(everything).not.toContain('fixture-password');
  });
});

/**
 * The observability switches read from the environment (all off or quiet by default), the request
 * id rule, and the blanking of quoted input in error messages.
 */
import type { IncomingMessage } from 'node:http';
import { describe, expect, it } from 'vitest';
import {
  loggerOptions,
  logFormatFrom,
  pathOf,
  requestIdFor,
  scrubMessage,
  serializeError,
} from './logging.js';
import { metricsConfigFrom } from './metrics.js';
import { tracingConfigFrom } from './tracing.js';

const withHeader = (value: string | undefined) =>
  ({ headers: value === undefined ? {} : { 'x-request-id': value } }) as unknown as IncomingMessage;

describe('log format', () => {
  it('is pretty on a terminal and JSON otherwise, unless LOG_FORMAT says', () => {
    expect(logFormatFrom({}, true)).toBe('pretty');
    expect(logFormatFrom({}, false)).toBe('json');
    expect(logFormatFrom({ LOG_FORMAT: 'json' }, true)).toBe('json');
    expect(logFormatFrom({ LOG_FORMAT: 'pretty' }, false)).toBe('pretty');
    expect(() => logFormatFrom({ LOG_FORMAT: 'xml' }, false)).toThrow(/LOG_FORMAT/);
  });

  it('uses pino-pretty only for the pretty format, and refuses an unknown level', () => {
    expect(loggerOptions({}, true)).toMatchObject({ level: 'info', transport: { target: 'pino-pretty' } });
    expect(loggerOptions({ LOG_LEVEL: 'warn' }, false)).not.toHaveProperty('transport');
    expect(loggerOptions({ LOG_LEVEL: 'warn' }, false)).toMatchObject({ level: 'warn' });
    expect(() => loggerOptions({ LOG_LEVEL: 'loud' }, false)).toThrow(/LOG_LEVEL/);
  });
});

describe('request ids', () => {
  it("keep a balancer's UUID or hex id and replace anything else with a new UUID", () => {
    const uuid = '3f2b8c1e-9d4a-4b7e-8f0a-1c2d3e4f5a6b';
    expect(requestIdFor(withHeader(uuid))).toBe(uuid);
    expect(requestIdFor(withHeader('0123456789abcdef0123456789abcdef'))).toBe(
      '0123456789abcdef0123456789abcdef'
    );
    for (const made of [undefined, 'Kari Nordmann', 'abc', 'x'.repeat(70), `${uuid}\nforged line`]) {
      const id = requestIdFor(withHeader(made));
      expect(id).toMatch(/^[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/);
      expect(id).not.toBe(made);
    }
  });
});

describe('error messages', () => {
  it('lose every quoted span, in any quote style', () => {
    expect(scrubMessage('invalid input value for enum mood: "Trist og lei"')).toBe(
      'invalid input value for enum mood: "…"'
    );
    expect(scrubMessage(`Unexpected token 'K', "Kari Nordmann" is not valid JSON`)).toBe(
      'Unexpected token "…", "…" is not valid JSON'
    );
    expect(scrubMessage('value «Kari» and “Ola” and `Per`')).toBe('value "…" and "…" and "…"');
    expect(scrubMessage('connection terminated unexpectedly')).toBe('connection terminated unexpectedly');
  });

  it('lose e-mail addresses and phone or identity numbers, not ports or line numbers', () => {
    expect(scrubMessage('550 5.1.1 <kari.nordmann@example.no>: Recipient address rejected')).toBe(
      '550 5.1.1 <…@…>: Recipient address rejected'
    );
    expect(scrubMessage('SMS to +4791234567 failed; fnr 01019012345')).toBe('SMS to … failed; fnr …');
    expect(scrubMessage('connect ECONNREFUSED 127.0.0.1:5432 at file.js:120:15')).toBe(
      'connect ECONNREFUSED 127.0.0.1:5432 at file.js:120:15'
    );
  });

  it('keep only class, code, status and the scrubbed message and stack', () => {
    const error = Object.assign(new TypeError('bad "Kari"'), { detail: 'Kari', statusCode: 500, code: 'X1' });
    const serialized = serializeError(error);
    expect(Object.keys(serialized).sort()).toEqual(['code', 'message', 'stack', 'statusCode', 'type']);
    expect(serialized).toMatchObject({ type: 'TypeError', message: 'bad "…"', code: 'X1', statusCode: 500 });
    expect(JSON.stringify(serializeError('thrown "Kari"'))).not.toContain('Kari');
  });

  it('paths lose their query string', () => {
    expect(pathOf('/api/x?q=Kari')).toBe('/api/x');
    expect(pathOf('/api/x')).toBe('/api/x');
  });
});

describe('metrics and traces are off by default', () => {
  it('metrics: METRICS_PORT or METRICS=on, on 127.0.0.1 unless METRICS_HOST says', () => {
    expect(metricsConfigFrom({})).toBeNull();
    expect(metricsConfigFrom({ METRICS: 'off', METRICS_PORT: '9100' })).toBeNull();
    expect(metricsConfigFrom({ METRICS: 'on' })).toEqual({ port: 9464, host: '127.0.0.1' });
    expect(metricsConfigFrom({ METRICS_PORT: '9100', METRICS_HOST: '0.0.0.0' })).toEqual({
      port: 9100,
      host: '0.0.0.0',
    });
    expect(() => metricsConfigFrom({ METRICS_PORT: 'many' })).toThrow(/METRICS_PORT/);
    expect(() => metricsConfigFrom({ METRICS: 'maybe' })).toThrow(/METRICS/);
  });

  it('traces: an OTLP endpoint or OTEL_ENABLED=1; OTEL_SDK_DISABLED wins; only http/json', () => {
    expect(tracingConfigFrom({})).toBeNull();
    expect(tracingConfigFrom({ OTEL_EXPORTER_OTLP_ENDPOINT: 'http://collector:4318/' })).toEqual({
      url: 'http://collector:4318/v1/traces',
      serviceName: 'gp-dep',
    });
    expect(
      tracingConfigFrom({
        OTEL_EXPORTER_OTLP_TRACES_ENDPOINT: 'http://c/traces',
        OTEL_SERVICE_NAME: 'gp-dep-2',
      })
    ).toEqual({ url: 'http://c/traces', serviceName: 'gp-dep-2' });
    expect(tracingConfigFrom({ OTEL_ENABLED: '1' })).toEqual({ url: undefined, serviceName: 'gp-dep' });
    expect(tracingConfigFrom({ OTEL_ENABLED: '1', OTEL_SDK_DISABLED: 'true' })).toBeNull();
    expect(() =>
      tracingConfigFrom({ OTEL_ENABLED: '1', OTEL_EXPORTER_OTLP_PROTOCOL: 'http/protobuf' })
    ).toThrow(/http\/json/);
  });
});

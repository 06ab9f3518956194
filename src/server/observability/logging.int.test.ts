/**
 * The server's log as the real app writes it (the options src/cli/serve.ts uses, as JSON): one
 * line per request with its request id, method, path without the query, route pattern, status and
 * time; the id echoed in `x-request-id`; and none of the text, names or search words a request
 * carried, nor the input a database error quotes.
 */
import { randomUUID } from 'node:crypto';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { createTestApp, type TestApp } from '../../../test/support/test-app.js';
import { loggerOptions } from './logging.js';

interface LogLine {
  level: number;
  msg: string;
  reqId?: string;
  req?: { method: string; url: string; route?: string };
  res?: { statusCode: number };
  responseTime?: number;
  err?: Record<string, unknown>;
}

let t: TestApp;
let lines: string[];

beforeEach(async () => {
  lines = [];
  t = await createTestApp({
    logger: {
      ...loggerOptions({ LOG_FORMAT: 'json', LOG_LEVEL: 'info' }, false),
      stream: { write: (line: string) => void lines.push(line) },
    },
  });
});
afterEach(async () => t?.close());

const parsed = (): LogLine[] => lines.map((line) => JSON.parse(line) as LogLine);
const completed = () => parsed().filter((line) => line.msg === 'request completed');

const SUBJECT = 'Loggprøve: søvnen etter modul 2';
const BODY = 'Loggprøve: jeg har sovet dårlig og grublet over jobben hver kveld.';
const SEARCH = 'Loggprøve-søkeord';

describe('request lines', () => {
  it('carry the request id, method, route pattern, path without query, status and time; never what was sent', async () => {
    const patient = await t.login('pA2');
    const threads = `/api/patients/${t.fixture.patientIds.pA2}/threads`;
    const started = await t.call(patient, 'POST', threads, { body: { subject: SUBJECT, body: BODY } });
    expect(started.statusCode, started.body).toBe(201);
    // The GP reads it back: the response holds the text and the patient's name.
    const gp = await t.login('gp1');
    const read = await t.call(gp, 'GET', threads);
    expect(read.body).toContain(BODY);
    // Search words in query strings, on a route that exists and on one that does not.
    await t.call(gp, 'GET', `/fhir/R4/Observation?patient=${t.fixture.patientIds.pA2}&code=${SEARCH}`);
    await t.call(gp, 'GET', `/api/no-such-thing?q=${encodeURIComponent(SEARCH)}`);
    // A validation failure naming a field that holds free text.
    await t.call(patient, 'POST', threads, { body: { subject: SUBJECT, body: BODY, extra: BODY } });

    const lineOf = completed().find((line) => line.req?.method === 'POST' && line.res?.statusCode === 201);
    expect(lineOf).toMatchObject({
      reqId: started.headers['x-request-id'],
      req: { method: 'POST', url: threads, route: '/api/patients/:patientId/threads' },
      res: { statusCode: 201 },
    });
    expect(lineOf?.responseTime).toBeGreaterThan(0);
    expect(started.headers['x-request-id']).toMatch(/^[0-9a-f-]{36}$/);
    // Every request got its line, each with an id; the unknown route has no pattern.
    expect(completed().length).toBeGreaterThanOrEqual(7);
    expect(completed().every((line) => typeof line.reqId === 'string' && line.reqId.length > 0)).toBe(true);
    const unknown = completed().find((line) => line.req?.url === '/api/no-such-thing');
    expect(unknown).toMatchObject({ res: { statusCode: 404 } });
    expect(unknown?.req?.route).toBeUndefined();
    // The query string is gone from every line.
    expect(completed().some((line) => line.req?.url.startsWith('/fhir/R4/Observation'))).toBe(true);
    expect(completed().every((line) => !line.req?.url.includes('?'))).toBe(true);

    const log = lines.join('');
    for (const secret of [SUBJECT, BODY, SEARCH, 'Loggprøve', t.fixture.patientNames.pA2, 'fixture-password'])
      expect(log, secret).not.toContain(secret);
    expect(log).not.toMatch(/cookie|csrf/i);
  });

  it("keeps a balancer's request id that is a UUID, and replaces one that is not", async () => {
    const fromBalancer = randomUUID();
    const kept = await t.app.inject({ url: '/api/health', headers: { 'x-request-id': fromBalancer } });
    expect(kept.headers['x-request-id']).toBe(fromBalancer);
    const madeUp = await t.app.inject({ url: '/api/health', headers: { 'x-request-id': 'Kari Nordmann' } });
    expect(madeUp.headers['x-request-id']).toMatch(/^[0-9a-f-]{36}$/);
    expect(completed().map((line) => line.reqId)).toEqual([fromBalancer, madeUp.headers['x-request-id']]);
    expect(lines.join('')).not.toContain('Kari');
  });
});

describe('errors in the log', () => {
  it('blank the input a database error quotes, and leave out its detail and parameters', async () => {
    // What node-postgres throws for a name sent where a UUID belongs.
    const error = Object.assign(new Error('invalid input syntax for type uuid: "Kari Nordmann"'), {
      code: '22P02',
      detail: 'Failing row contains (Kari Nordmann, 1985).',
      where: "unnamed portal parameter $1 = 'Kari Nordmann'",
    });
    t.app.log.error({ err: error }, 'request failed');
    // The shape the server's own call sites pass (src/cli/serve.ts, app.ts).
    t.app.log.error({ err: { message: error.message, stack: error.stack, code: error.code } }, 'job failed');
    // A library's warning that quotes a URL with its query.
    t.app.log.warn('Reply was already sent, did you forget to "return reply" in the "/api/x?q=Kari" route?');

    const [first, second, third] = parsed();
    expect(first?.err).toMatchObject({
      type: 'Error',
      code: '22P02',
      message: 'invalid input syntax for type uuid: "…"',
    });
    expect(String(first?.err?.stack)).toMatch(/^Error: invalid input syntax for type uuid: "…"\n\s+at /);
    expect(first?.err).not.toHaveProperty('detail');
    expect(second?.err).toMatchObject({ code: '22P02', message: 'invalid input syntax for type uuid: "…"' });
    expect(third?.msg).toBe('Reply was already sent, did you forget to "…" in the "…" route?');
    expect(lines.join('')).not.toContain('Kari');
  });
});

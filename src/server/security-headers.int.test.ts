import { mkdtempSync, mkdirSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestApp, type TestApp } from '../../test/support/test-app.js';

let t: TestApp;

beforeAll(async () => {
  const webRoot = mkdtempSync(join(tmpdir(), 'gpdep-web-'));
  writeFileSync(
    join(webRoot, 'index.html'),
    '<!doctype html><html lang="nb"><title>GP-DEP</title><div id="root"></div></html>'
  );
  mkdirSync(join(webRoot, 'assets'));
  writeFileSync(join(webRoot, 'assets', 'app-abc123.js'), 'console.log(1)');
  t = await createTestApp({ webRoot });
});
afterAll(async () => t?.close());

const REPRESENTATIVE = [
  ['GET', '/api/health', 200],
  ['GET', '/api/auth/session', 200],
  ['GET', '/api/gp/patients', 401],
  ['GET', '/api/no-such-route', 404],
  ['GET', '/', 200],
  ['GET', '/gp', 200],
  ['GET', '/assets/app-abc123.js', 200],
  ['POST', '/api/auth/login', 400],
] as const;

describe('security headers', () => {
  it.each(REPRESENTATIVE)('%s %s carries the required headers', async (method, url, status) => {
    const res = await t.app.inject({ method, url, ...(method === 'POST' ? { payload: {} } : {}) });
    expect(res.statusCode).toBe(status);
    const h = res.headers;
    const csp = String(h['content-security-policy']);
    expect(csp).toContain("script-src 'self'");
    expect(csp).not.toContain('unsafe-inline');
    expect(csp).toContain("object-src 'none'");
    expect(csp).toContain("base-uri 'none'");
    expect(csp).toContain("frame-ancestors 'none'");
    const hsts = String(h['strict-transport-security']);
    expect(Number(/max-age=(\d+)/.exec(hsts)?.[1])).toBeGreaterThanOrEqual(31_536_000);
    expect(hsts).toContain('includeSubDomains');
    expect(h['x-content-type-options']).toBe('nosniff');
    expect(h['referrer-policy']).toBe('no-referrer');
    expect(String(h['content-type'])).toMatch(/charset=utf-8|javascript/);
    if (url.startsWith('/api/')) expect(h['cache-control']).toBe('no-store');
  });

  it('does not open CORS to other origins', async () => {
    const res = await t.app.inject({
      method: 'GET',
      url: '/api/health',
      headers: { origin: 'https://evil.example' },
    });
    expect(res.headers['access-control-allow-origin']).toBeUndefined();
  });

  it('answers 404, not the app shell, for hidden files and unknown files', async () => {
    for (const url of ['/.git/config', '/.env', '/debug.php', '/assets/missing.js', '/api']) {
      const res = await t.app.inject({ method: 'GET', url });
      expect(res.statusCode, url).toBe(404);
    }
    const trace = await t.app.inject({ method: 'TRACE', url: '/' });
    expect(trace.statusCode).toBe(404);
  });

  it('hides the internals of a server error (database gone) behind a problem document with an id', async () => {
    const broken = await createTestApp();
    const session = await broken.login('gp1');
    await broken.database.close();
    const res = await broken.call(session, 'GET', '/api/gp/patients');
    expect(res.statusCode).toBe(500);
    expect(res.headers['content-type']).toMatch(/^application\/problem\+json/);
    const body = res.json();
    expect(body.instance).toMatch(/^[0-9a-f-]{36}$/);
    expect(res.body).not.toMatch(/stack|select|from |\.ts:\d+|pglite|postgres/i);
    await broken.app.close();
  });
});

/**
 * Liveness and readiness (issue 18): what the balancer's health check sees. Ready needs the
 * database, every migration of this build, and no drain in progress; each failure is named.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestApp, type TestApp } from '../../../test/support/test-app.js';
import { createTestDatabase } from '../../../test/support/test-database.js';
import { KNOWN_MIGRATIONS } from '../../db/migrate.js';
import { Readiness } from './readiness.js';

let t: TestApp;

beforeAll(async () => {
  t = await createTestApp();
});
afterAll(async () => t?.close());

describe('health endpoints', () => {
  it('answers live and ready without a session, and keeps /api/health', async () => {
    for (const url of ['/api/health', '/api/health/live', '/api/health/ready']) {
      const res = await t.call(null, 'GET', url);
      expect(res.statusCode, url).toBe(200);
      expect(res.json(), url).toEqual({ status: 'ok' });
    }
  });

  it('knows every migration and finds them all in a migrated database', async () => {
    expect(KNOWN_MIGRATIONS).toContain('2026_12_06_0034_rate_limit_counters');
    const report = await new Readiness(t.db).check();
    expect(report).toEqual({
      ready: true,
      checks: { database: { ok: true }, migrations: { ok: true }, draining: { ok: true } },
    });
  });

  it('is not ready when a migration of this build has not run, and says which', async () => {
    const newerBuild = new Readiness(t.db, {
      knownMigrations: [...KNOWN_MIGRATIONS, '2099_01_01_0001_from_the_future'],
    });
    const report = await newerBuild.check();
    expect(report.ready).toBe(false);
    expect(report.checks.migrations).toEqual({
      ok: false,
      detail: '1 migration(s) not applied, first 2099_01_01_0001_from_the_future',
    });
    expect(report.checks.database.ok).toBe(true);
  });

  it('is not ready when the database does not answer, and does not say why in public', async () => {
    const gone = await createTestDatabase();
    await gone.close();
    const report = await new Readiness(gone.db).check();
    expect(report.ready).toBe(false);
    expect(report.checks.database).toEqual({ ok: false, detail: 'unreachable or no answer within 2000 ms' });
    expect(report.checks.migrations.ok).toBe(false);
  });

  it('counts a slow probe as busy while the database answered recently, then as unreachable', async () => {
    // A probe that answers at first, then waits (as behind a full pool), then fails outright.
    let behaviour: 'answer' | 'wait' = 'answer';
    const probe = () => (behaviour === 'answer' ? Promise.resolve() : new Promise<void>(() => {}));
    const readiness = new Readiness(t.db, { timeoutMs: 100, busyGraceMs: 400, probe });
    expect((await readiness.check()).ready).toBe(true);
    behaviour = 'wait';
    const busy = await readiness.check();
    expect(busy.ready).toBe(true);
    expect(busy.checks.database.detail).toMatch(/^busy/);
    await new Promise((r) => setTimeout(r, 500));
    const gone = await readiness.check();
    expect(gone.ready).toBe(false);
    expect(gone.checks.database).toEqual({ ok: false, detail: 'unreachable or no answer within 100 ms' });
  });

  it('turns 503 with a problem document naming the drain once draining starts; live stays 200', async () => {
    t.app.readiness.startDraining();
    const res = await t.call(null, 'GET', '/api/health/ready');
    expect(res.statusCode).toBe(503);
    expect(res.headers['content-type']).toMatch(/^application\/problem\+json/);
    expect(res.json()).toMatchObject({
      status: 503,
      errors: [{ field: 'draining', reason: 'shutting down' }],
    });
    expect(res.json().detail).toContain('draining');
    expect((await t.call(null, 'GET', '/api/health/live')).statusCode).toBe(200);
    expect((await t.call(null, 'GET', '/api/health')).statusCode).toBe(200);
  });
});

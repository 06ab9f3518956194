/**
 * Two server instances on one database (issue 18): a client that spreads its requests over both
 * still meets one rate limit and one login backoff, because both live in the database.
 */
import { randomBytes } from 'node:crypto';
import type { FastifyInstance } from 'fastify';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestApp, FIXTURE_PASSWORD, type TestApp } from '../../../test/support/test-app.js';
import { buildApp } from '../../server/app.js';
import { rateLimitKey } from './rate-limit-store.js';

const LOGIN_LIMIT = 6;
let t: TestApp;
/** A second instance: its own process state (a fresh in-memory store would start at zero), same db. */
let second: FastifyInstance;

beforeAll(async () => {
  t = await createTestApp({ loginRateLimit: LOGIN_LIMIT });
  second = await buildApp({
    db: t.db,
    secrets: { auditKey: randomBytes(32), csrfKey: randomBytes(32) },
    now: () => t.clock.now,
    loginRateLimit: LOGIN_LIMIT,
  });
  await second.ready();
});
afterAll(async () => {
  await second?.close();
  await t?.close();
});

const login = (app: FastifyInstance, username: string, password: string, ip: string) =>
  app.inject({ method: 'POST', url: '/api/auth/login', payload: { username, password }, remoteAddress: ip });

describe('limits shared by several instances', () => {
  it('counts one per-IP login limit across both instances', async () => {
    const ip = '192.0.2.10';
    const statuses: number[] = [];
    // Alternating instances, as a round-robin balancer would send them; unknown users, so the
    // per-account backoff stays out of it.
    for (let i = 0; i < LOGIN_LIMIT + 2; i += 1) {
      const res = await login(i % 2 === 0 ? t.app : second, `nobody.${i}`, 'wrong-password-x', ip);
      statuses.push(res.statusCode);
    }
    expect(statuses.slice(0, LOGIN_LIMIT)).toEqual(Array(LOGIN_LIMIT).fill(401));
    expect(statuses.slice(LOGIN_LIMIT)).toEqual([429, 429]);
    // Another address has its own count, on either instance.
    expect((await login(second, 'nobody.x', 'wrong-password-x', '192.0.2.11')).statusCode).toBe(401);
  });

  it('stores no address in the clear, one row per route and client', async () => {
    const rows = await t.db.selectFrom('rate_limit_counters').selectAll().execute();
    expect(JSON.stringify(rows)).not.toContain('192.0.2.10');
    const key = rateLimitKey('POST /api/auth/login', '192.0.2.10');
    expect(rows.find((r) => r.key === key)?.hits).toBe(LOGIN_LIMIT + 2);
  });

  it('counts concurrent hits on both instances without losing any', async () => {
    const ip = '192.0.2.20';
    const results = await Promise.all(
      Array.from({ length: 10 }, (_, i) => login(i % 2 ? second : t.app, `nobody.c${i}`, 'wrong-x-x-x', ip))
    );
    expect(results.filter((r) => r.statusCode === 429)).toHaveLength(10 - LOGIN_LIMIT);
  });

  it('shares the per-account login backoff: failures on one instance hold the account on the other', async () => {
    for (let i = 0; i < 5; i += 1)
      expect(
        (await login(i % 2 ? second : t.app, 'researcher.one', 'wrong-password-x', `198.51.100.${i}`))
          .statusCode
      ).toBe(401);
    // The right password, on the instance that saw fewer failures, from a fresh address: held.
    const held = await login(second, 'researcher.one', FIXTURE_PASSWORD, '198.51.100.50');
    expect(held.statusCode).toBe(429);
    expect(Number(held.headers['retry-after'])).toBeGreaterThan(0);
    t.clock.now = new Date(t.clock.now.getTime() + 5_000);
    expect((await login(t.app, 'researcher.one', FIXTURE_PASSWORD, '198.51.100.51')).statusCode).toBe(200);
  });

  it('starts a new window once the old one has passed', async () => {
    const ip = '192.0.2.30';
    for (let i = 0; i < LOGIN_LIMIT; i += 1) await login(t.app, `nobody.w${i}`, 'wrong-x-x-x', ip);
    expect((await login(second, 'nobody.w', 'wrong-x-x-x', ip)).statusCode).toBe(429);
    // Move the window back in the database instead of waiting a minute.
    await t.db
      .updateTable('rate_limit_counters')
      .set({ window_start: new Date(Date.now() - 61_000) })
      .where('key', '=', rateLimitKey('POST /api/auth/login', ip))
      .execute();
    expect((await login(second, 'nobody.w', 'wrong-x-x-x', ip)).statusCode).toBe(401);
  });
});

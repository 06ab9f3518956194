import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { SESSION_LIFETIMES } from '../../domain/access/session-policy.js';
import { createTestApp, FIXTURE_PASSWORD, phq9Body, type TestApp } from '../../../test/support/test-app.js';
import { SESSION_COOKIE } from './sessions.js';

let t: TestApp;

describe('login and sessions', () => {
  // An app and a database per test (issue 12 §5): no lockout, session or disabled account leaks.
  beforeEach(async () => {
    t = await createTestApp();
  });
  afterEach(async () => t?.close());

  it('sets a __Host- session cookie that is HttpOnly, Secure, SameSite, path / and not persistent', async () => {
    const res = await t.app.inject({
      method: 'POST',
      url: '/api/auth/login',
      payload: { username: 'gp.one', password: FIXTURE_PASSWORD },
    });
    expect(res.statusCode).toBe(200);
    // The session cookie (the device cookie, persistent on purpose, is tested in device-cookie.int.test.ts).
    const sessionCookieOf = (r: typeof res) =>
      ([] as string[])
        .concat(r.headers['set-cookie'] ?? [])
        .find((c) => c.startsWith(`${SESSION_COOKIE}=`)) ?? '';
    const setCookie = sessionCookieOf(res);
    expect(setCookie).toMatch(new RegExp(`^${SESSION_COOKIE}=`));
    expect(setCookie).toMatch(/HttpOnly/);
    expect(setCookie).toMatch(/Secure/);
    expect(setCookie).toMatch(/SameSite=Strict/);
    expect(setCookie).toMatch(/Path=\//);
    expect(setCookie).not.toMatch(/Domain=|Max-Age|Expires/i);
    const patient = await t.app.inject({
      method: 'POST',
      url: '/api/auth/login',
      payload: { username: 'patient.a1', password: FIXTURE_PASSWORD },
    });
    expect(sessionCookieOf(patient)).toMatch(/SameSite=Lax/);
  });

  it('stores only a hash of the session token, and a new token at every login', async () => {
    const first = await t.login('gp2');
    const second = await t.login('gp2');
    expect(first.cookie).not.toBe(second.cookie);
    expect(first.cookie.length).toBeGreaterThanOrEqual(43); // 256 bits, base64url
    const rows = await t.db.selectFrom('sessions').select('token_hash').execute();
    const stored = rows.map((r) => r.token_hash);
    expect(stored).not.toContain(first.cookie);
    expect(stored).not.toContain(second.cookie);
  });

  it('answers a wrong password and an unknown user the same way', async () => {
    const wrong = await t.app.inject({
      method: 'POST',
      url: '/api/auth/login',
      payload: { username: 'gp.three', password: 'nope-nope-nope' },
    });
    const unknown = await t.app.inject({
      method: 'POST',
      url: '/api/auth/login',
      payload: { username: 'nobody.here', password: 'nope-nope-nope' },
    });
    expect(wrong.statusCode).toBe(401);
    expect(unknown.statusCode).toBe(401);
    expect(wrong.json().detail).toBe(unknown.json().detail);
    expect(wrong.headers['content-type']).toMatch(/^application\/problem\+json/);
  });

  it('slows down repeated failures for one account with 429 and Retry-After, then lets the user in', async () => {
    const attempt = (password: string) =>
      t.app.inject({
        method: 'POST',
        url: '/api/auth/login',
        payload: { username: 'researcher.one', password },
      });
    for (let i = 0; i < 5; i += 1) expect((await attempt('wrong-password-x')).statusCode).toBe(401);
    const throttled = await attempt(FIXTURE_PASSWORD);
    expect(throttled.statusCode).toBe(429);
    expect(Number(throttled.headers['retry-after'])).toBeGreaterThan(0);
    t.clock.now = new Date(t.clock.now.getTime() + 5_000);
    expect((await attempt(FIXTURE_PASSWORD)).statusCode).toBe(200);
  });

  it('logs out: the old cookie no longer works and the browser is told to clear storage', async () => {
    const session = await t.login('gp3');
    const out = await t.call(session, 'POST', '/api/auth/logout');
    expect(out.statusCode).toBe(204);
    expect(out.headers['clear-site-data']).toContain('storage');
    expect((await t.call(session, 'GET', '/api/gp/patients')).statusCode).toBe(401);
  });

  it('expires a session after the idle timeout and after the absolute lifetime', async () => {
    const idle = await t.login('gp1');
    const gpIdle = SESSION_LIFETIMES.gp.idleSeconds * 1000;
    t.clock.now = new Date(t.clock.now.getTime() + gpIdle - 5_000);
    expect((await t.call(idle, 'GET', '/api/gp/patients')).statusCode).toBe(200);
    t.clock.now = new Date(t.clock.now.getTime() + gpIdle + 1_000);
    expect((await t.call(idle, 'GET', '/api/gp/patients')).statusCode).toBe(401);

    const busy = await t.login('gp1');
    const end = t.clock.now.getTime() + SESSION_LIFETIMES.gp.absoluteSeconds * 1000;
    while (t.clock.now.getTime() + gpIdle / 2 < end) {
      t.clock.now = new Date(t.clock.now.getTime() + gpIdle / 2);
      expect((await t.call(busy, 'GET', '/api/auth/session')).json().user).not.toBeNull();
    }
    t.clock.now = new Date(end + 1_000);
    expect((await t.call(busy, 'GET', '/api/gp/patients')).statusCode).toBe(401);
  });

  it('refuses state changes without the CSRF token or from another site', async () => {
    const session = await t.login('pA1');
    const url = `/api/patients/${t.fixture.patientIds.pA1}/phq9`;
    const body = phq9Body([0, 0, 0, 0, 0, 0, 0, 0, 0]);
    expect((await t.call(session, 'POST', url, { body, csrf: false })).statusCode).toBe(403);
    const wrongToken = await t.call(session, 'POST', url, {
      body,
      csrf: false,
      headers: { 'x-csrf-token': 'forged' },
    });
    expect(wrongToken.statusCode).toBe(403);
    const crossSite = await t.call(session, 'POST', url, {
      body,
      headers: { 'sec-fetch-site': 'cross-site' },
    });
    expect(crossSite.statusCode).toBe(403);
    const evilOrigin = await t.call(session, 'POST', url, {
      body,
      headers: { origin: 'https://evil.example' },
    });
    expect(evilOrigin.statusCode).toBe(403);
    const ok = await t.call(session, 'POST', url, {
      body,
      headers: { origin: 'http://localhost:80', 'sec-fetch-site': 'same-origin' },
    });
    expect(ok.statusCode).toBe(201);
  });

  it('ends every session of an account that the admin disables', async () => {
    const victim = await t.login('gp2');
    const admin = await t.login('admin');
    const res = await t.call(admin, 'POST', `/api/admin/users/${t.fixture.userIds.gp2}/disable`);
    expect(res.statusCode).toBe(200);
    expect(res.json().disabled).toBe(true);
    expect((await t.call(victim, 'GET', '/api/gp/patients')).statusCode).toBe(401);
    const relogin = await t.app.inject({
      method: 'POST',
      url: '/api/auth/login',
      payload: { username: 'gp.two', password: FIXTURE_PASSWORD },
    });
    expect(relogin.statusCode).toBe(401);
    await t.call(admin, 'POST', `/api/admin/users/${t.fixture.userIds.gp2}/enable`);
  });
});

describe('rate limits', () => {
  it('limits login attempts per IP with 429 and Retry-After', async () => {
    const limited = await createTestApp({ loginRateLimit: 3 });
    try {
      const statuses: number[] = [];
      for (let i = 0; i < 4; i += 1) {
        const res = await limited.app.inject({
          method: 'POST',
          url: '/api/auth/login',
          payload: { username: `someone${i}`, password: 'x' },
        });
        statuses.push(res.statusCode);
        if (res.statusCode === 429) expect(res.headers['retry-after']).toBeDefined();
      }
      expect(statuses).toEqual([401, 401, 401, 429]);
    } finally {
      await limited.close();
    }
  });

  it('limits questionnaire submissions per user', async () => {
    const limited = await createTestApp({ submitRateLimit: 2 });
    try {
      const session = await limited.login('pA1');
      // WSAS: it has no two-week recall, so only the rate limit can refuse the third answer.
      const url = `/api/patients/${limited.fixture.patientIds.pA1}/wsas`;
      const statuses: number[] = [];
      for (let i = 0; i < 3; i += 1) {
        statuses.push(
          (
            await limited.call(session, 'POST', url, {
              body: { items: [1, 1, 1, 1, 1], workStatus: 'working' },
            })
          ).statusCode
        );
      }
      expect(statuses).toEqual([201, 201, 429]);
    } finally {
      await limited.close();
    }
  });
});

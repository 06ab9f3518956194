/**
 * Strangers cannot lock the real user out (issue 10, item 3; OWASP device cookies). Someone who
 * knows a username tries wrong passwords until the account is locked for untrusted clients; the
 * user's own browser, which has logged in before, still gets in with the right password at once;
 * a new browser is told plainly what is happening; a forged or borrowed device cookie is no better
 * than none; and wrong passwords from a trusted browser lock out only that browser. The per-IP
 * limit says that it counts every login (item 4).
 */
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { createTestApp, FIXTURE_PASSWORD, type TestApp } from '../../../test/support/test-app.js';
import { LOGIN_PROBLEM } from './auth.routes.js';
import { DEVICE_COOKIE } from './device-cookie.js';

let t: TestApp;

async function login(username: string, password: string, deviceCookie?: string) {
  const res = await t.app.inject({
    method: 'POST',
    url: '/api/auth/login',
    headers: deviceCookie ? { cookie: `${DEVICE_COOKIE}=${deviceCookie}` } : {},
    payload: { username, password },
  });
  return { res, device: res.cookies.find((c) => c.name === DEVICE_COOKIE) };
}

/** Wrong passwords from a stranger, paced by Retry-After (the clock is moved), `n` times. */
async function strangerTries(username: string, n: number) {
  for (let i = 0; i < n; i += 1) {
    const { res } = await login(username, 'wrong password guess');
    if (res.statusCode === 429) {
      t.clock.now = new Date(t.clock.now.getTime() + Number(res.headers['retry-after']) * 1000);
      i -= 1;
      continue;
    }
    expect(res.statusCode).toBe(401);
  }
}

describe('device cookies', () => {
  // An app and a database per test (issue 12 §5): each builds the lockout it is about.
  beforeEach(async () => {
    t = await createTestApp();
  });
  afterEach(async () => t?.close());

  it('gives a browser a device cookie at login: HttpOnly, Secure, __Host-, long-lived', async () => {
    const { res, device } = await login('patient.a1', FIXTURE_PASSWORD);
    expect(res.statusCode).toBe(200);
    expect(device).toMatchObject({ httpOnly: true, secure: true, path: '/', sameSite: 'Strict' });
    expect(device!.maxAge).toBe(180 * 24 * 60 * 60);
  });

  it('lets the real user in at once with the right password while strangers have the account locked', async () => {
    const { device } = await login('patient.a1', FIXTURE_PASSWORD);
    await strangerTries('patient.a1', 15);
    // A stranger's browser (no device cookie) is held, with plain words and Retry-After…
    const stranger = await login('patient.a1', FIXTURE_PASSWORD);
    expect(stranger.res.statusCode).toBe(429);
    expect(stranger.res.json()).toMatchObject({ type: LOGIN_PROBLEM.newDevicesLocked });
    expect(stranger.res.json().detail).toMatch(
      /devices it has not been used on before.*On a device where you have logged in before, you can log in now/
    );
    expect(Number(stranger.res.headers['retry-after'])).toBeGreaterThan(60);
    // …the user's own browser is not.
    const own = await login('patient.a1', FIXTURE_PASSWORD, device!.value);
    expect(own.res.statusCode).toBe(200);
    // And the lockout on strangers holds after the user's login.
    expect((await login('patient.a1', FIXTURE_PASSWORD)).res.statusCode).toBe(429);
  });

  it('treats a forged cookie, or one issued for another account, as no cookie', async () => {
    await strangerTries('patient.a1', 15); // the account is locked for browsers it does not know
    const { device: otherAccount } = await login('patient.a2', FIXTURE_PASSWORD);
    expect((await login('patient.a1', FIXTURE_PASSWORD, otherAccount!.value)).res.statusCode).toBe(429);
    const [nonce] = otherAccount!.value.split('.');
    expect((await login('patient.a1', FIXTURE_PASSWORD, `${nonce}.forgedsignature`)).res.statusCode).toBe(
      429
    );
  });

  it('locks only the trusted browser that tries wrong passwords, and says so', async () => {
    const { device: first } = await login('patient.b', FIXTURE_PASSWORD);
    const { device: second } = await login('patient.b', FIXTURE_PASSWORD);
    for (let i = 0; i < 6; i += 1) await login('patient.b', 'not my password', first!.value);
    const held = await login('patient.b', FIXTURE_PASSWORD, first!.value);
    expect(held.res.statusCode).toBe(429);
    expect(held.res.json()).toMatchObject({ type: LOGIN_PROBLEM.thisDeviceLocked });
    // The user's other browser, and a new one, are not held by it.
    expect((await login('patient.b', FIXTURE_PASSWORD, second!.value)).res.statusCode).toBe(200);
    expect((await login('patient.b', FIXTURE_PASSWORD)).res.statusCode).toBe(200);
  });

  it('logs a login from a trusted browser with its basis', async () => {
    const { device } = await login('patient.a1', FIXTURE_PASSWORD);
    await login('patient.a1', FIXTURE_PASSWORD, device!.value);
    const events = await t.db
      .selectFrom('audit_events')
      .select('access_basis')
      .where('action', '=', 'login')
      .where('outcome', '=', 'allowed')
      .execute();
    expect(events.map((e) => e.access_basis)).toContain('password+device');
  });
});

describe('the per-IP login limit', () => {
  it('says that it counts every login request, successful ones too', async () => {
    const limited = await createTestApp({ loginRateLimit: 3 });
    try {
      for (let i = 0; i < 3; i += 1) await limited.login('gp1');
      const res = await limited.app.inject({
        method: 'POST',
        url: '/api/auth/login',
        payload: { username: 'gp.one', password: FIXTURE_PASSWORD },
      });
      expect(res.statusCode).toBe(429);
      expect(res.headers['content-type']).toMatch(/^application\/problem\+json/);
      expect(res.json()).toMatchObject({ type: LOGIN_PROBLEM.ipLimit });
      expect(res.json().detail).toMatch(/every login counts, also successful ones/);
      expect(res.headers['retry-after']).toBeDefined();
    } finally {
      await limited.close();
    }
  });
});

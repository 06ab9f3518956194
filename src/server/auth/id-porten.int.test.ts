/**
 * Patient login with ID-porten (issue 16), end to end against a real OpenID Provider running
 * locally (oidc-provider, configured as ID-porten: PKCE, acr_values, the pid claim): the patient
 * whose fødselsnummer is the pid gets a session; a first login links the GP's invitation; and each
 * way it can go wrong ends on the login page with its reason and no session — a wrong state, a
 * replayed callback, a replayed code, an expired or wrongly signed ID token, a level of assurance
 * below the one required, a pid with no patient, no invitation. And logout: the platform session
 * ends and the browser goes on to ID-porten's end-session endpoint; ID-porten's back-channel logout
 * token revokes the platform session.
 */
import { randomBytes } from 'node:crypto';
import type { LightMyRequestResponse } from 'fastify';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { startIdPortenStandIn, type IdPortenStandIn } from '../../../test/support/id-porten-provider.js';
import { createTestApp, type TestApp } from '../../../test/support/test-app.js';
import { syntheticFodselsnummer } from '../../domain/identifiers/norwegian-ids.js';
import type { IdPortenConfig } from './id-porten.js';
import { OIDC_ATTEMPT_COOKIE } from './id-porten.js';
import { hashToken, SESSION_COOKIE } from './sessions.js';

let provider: IdPortenStandIn;
let t: TestApp | undefined;

beforeAll(async () => {
  provider = await startIdPortenStandIn({ idTokenTtlSeconds: 120 });
});
afterAll(async () => provider?.close());
afterEach(async () => {
  await t?.close();
  t = undefined;
});

async function appWith(overrides: Partial<IdPortenConfig> = {}): Promise<TestApp> {
  t = await createTestApp({
    idPorten: {
      issuer: provider.issuer,
      clientId: provider.clientId,
      clientSecret: provider.clientSecret,
      redirectUri: provider.redirectUri,
      postLogoutRedirectUri: provider.postLogoutRedirectUri,
      acr: 'idporten-loa-substantial',
      allowInsecureHttp: true,
      ...overrides,
    },
  });
  return t;
}

/** The browser's part: start at the platform, log in at the provider, come back to the callback. */
async function start(
  app: TestApp,
  acr = 'idporten-loa-substantial'
): Promise<{ cookie: string; callback: URL }> {
  const started = await app.app.inject({ method: 'GET', url: '/api/auth/idporten/start' });
  expect(started.statusCode, started.body).toBe(302);
  const cookie = started.cookies.find((c) => c.name === OIDC_ATTEMPT_COOKIE)!.value;
  const authorize = new URL(started.headers.location as string);
  expect(authorize.origin).toBe(provider.issuer);
  expect(authorize.searchParams.get('code_challenge_method')).toBe('S256');
  expect(authorize.searchParams.get('acr_values')).toBe(acr);
  return { cookie, callback: await provider.drive(authorize.href) };
}

function callback(app: TestApp, cookie: string | null, url: URL): Promise<LightMyRequestResponse> {
  return app.app.inject({
    method: 'GET',
    url: `${url.pathname}${url.search}`,
    headers: cookie ? { cookie: `${OIDC_ATTEMPT_COOKIE}=${cookie}` } : {},
  });
}

function expectRefused(res: LightMyRequestResponse, reason: string): void {
  expect(res.statusCode, res.body).toBe(302);
  expect(res.headers.location).toBe(`/login?idporten=${reason}`);
  expect(res.cookies.find((c) => c.name === SESSION_COOKIE && c.value)).toBeUndefined();
}

async function sessionUser(app: TestApp, res: LightMyRequestResponse) {
  const session = res.cookies.find((c) => c.name === SESSION_COOKIE)!.value;
  const me = await app.app.inject({
    method: 'GET',
    url: '/api/auth/session',
    headers: { cookie: `${SESSION_COOKIE}=${session}` },
  });
  return me.json<{ user: { role: string; patientId: string } | null }>().user;
}

async function nationalId(app: TestApp, patient: 'pA1' | 'pB'): Promise<string> {
  const row = await app.db
    .selectFrom('patients')
    .select('national_id')
    .where('id', '=', app.fixture.patientIds[patient])
    .executeTakeFirstOrThrow();
  return row.national_id!;
}

describe('ID-porten login', () => {
  it('logs the patient whose fødselsnummer is the pid in, audited, and says the button exists', async () => {
    const app = await appWith();
    expect((await app.app.inject({ method: 'GET', url: '/api/auth/providers' })).json()).toEqual({
      idPorten: true,
      helseId: false,
      password: 'all',
    });
    provider.nextLogin = { pid: await nationalId(app, 'pA1'), acr: 'idporten-loa-substantial' };
    const { cookie, callback: url } = await start(app);
    const res = await callback(app, cookie, url);
    expect(res.statusCode, res.body).toBe(302);
    expect(res.headers.location).toBe('/patient');
    expect(await sessionUser(app, res)).toMatchObject({
      role: 'patient',
      patientId: app.fixture.patientIds.pA1,
    });
    const line = await app.db
      .selectFrom('audit_events')
      .select(['actor_user_id', 'access_basis', 'outcome'])
      .where('action', '=', 'login')
      .orderBy('seq', 'desc')
      .executeTakeFirstOrThrow();
    expect(line).toEqual({
      actor_user_id: app.fixture.userIds.pA1,
      access_basis: 'ID-porten, substantial',
      outcome: 'allowed',
    });
  });

  it('refuses a replayed callback, a callback from another browser and a wrong state', async () => {
    const app = await appWith();
    provider.nextLogin = { pid: await nationalId(app, 'pA1'), acr: 'idporten-loa-high' };
    const { cookie, callback: url } = await start(app);
    const wrongState = new URL(url);
    wrongState.searchParams.set('state', 'not-the-state');
    expectRefused(await callback(app, cookie, wrongState), 'state');
    expectRefused(await callback(app, null, url), 'state');
    expectRefused(await callback(app, randomBytes(32).toString('base64url'), url), 'state');
    expect((await callback(app, cookie, url)).headers.location).toBe('/patient');
    expectRefused(await callback(app, cookie, url), 'used');
  });

  it('refuses a replayed code (a second attempt carrying the first code)', async () => {
    const app = await appWith();
    provider.nextLogin = { pid: await nationalId(app, 'pA1'), acr: 'idporten-loa-substantial' };
    const first = await start(app);
    expect((await callback(app, first.cookie, first.callback)).headers.location).toBe('/patient');
    const second = await start(app);
    const replay = new URL(second.callback);
    replay.searchParams.set('code', first.callback.searchParams.get('code')!);
    expectRefused(await callback(app, second.cookie, replay), 'token');
  });

  it('refuses an ID token that has expired, or whose signature does not verify', async () => {
    const app = await appWith();
    provider.nextLogin = { pid: await nationalId(app, 'pA1'), acr: 'idporten-loa-substantial' };
    // The token lives 120 s; the server's clock is 5 minutes on when the browser comes back.
    const late = await start(app);
    app.clock.now = new Date(app.clock.now.getTime() + 5 * 60_000);
    const lateAnswer = await callback(app, late.cookie, late.callback);
    expect(lateAnswer.headers.location, 'expired').toBe('/login?idporten=token');
    await app.close();

    // The provider's answer altered on the way: one character of the ID token's signature changed.
    const tampering: typeof fetch = async (input, init) => {
      const res = await fetch(input, init);
      if (!String(input instanceof Request ? input.url : input).endsWith('/token')) return res;
      const body = (await res.json()) as { id_token: string };
      const last = body.id_token.at(-2) === 'A' ? 'B' : 'A';
      body.id_token = `${body.id_token.slice(0, -2)}${last}${body.id_token.at(-1)}`;
      return new Response(JSON.stringify(body), { status: res.status, headers: res.headers });
    };
    const tampered = await appWith({ fetch: tampering });
    provider.nextLogin = { pid: await nationalId(tampered, 'pA1'), acr: 'idporten-loa-substantial' };
    const attempt = await start(tampered);
    expectRefused(await callback(tampered, attempt.cookie, attempt.callback), 'token');
  });

  it('refuses a level of assurance below the one required, and a pid with no patient', async () => {
    const app = await appWith({ acr: 'idporten-loa-high' });
    provider.nextLogin = { pid: await nationalId(app, 'pA1'), acr: 'idporten-loa-substantial' };
    // The platform asked for high; a provider that answers substantial anyway is refused.
    let attempt = await start(app, 'idporten-loa-high');
    expectRefused(await callback(app, attempt.cookie, attempt.callback), 'acr');
    provider.nextLogin = { pid: syntheticFodselsnummer('1970-01-01', 'male', 7), acr: 'idporten-loa-high' };
    attempt = await start(app, 'idporten-loa-high');
    expectRefused(await callback(app, attempt.cookie, attempt.callback), 'no_patient');
    const failed = await app.db
      .selectFrom('audit_events')
      .select('access_basis')
      .where('action', '=', 'login')
      .where('outcome', '=', 'failed')
      .execute();
    expect(failed.map((f) => f.access_basis)).toContain('idporten (refused: no_patient)');
  });

  it('makes the account at a first login only through the GP’s open invitation, and uses it', async () => {
    const app = await appWith();
    const pid = syntheticFodselsnummer('1991-09-09', 'female', 3);
    const patient = await app.db
      .insertInto('patients')
      .values({
        user_id: null,
        display_name: 'Nyinvitert Pasient',
        birth_year: 1991,
        sex: 'female',
        practice_id: app.fixture.practiceIds.a,
        national_id: pid,
      })
      .returning('id')
      .executeTakeFirstOrThrow();
    provider.nextLogin = { pid, acr: 'idporten-loa-substantial' };
    let attempt = await start(app);
    expectRefused(await callback(app, attempt.cookie, attempt.callback), 'no_invitation');
    const invitation = await app.db
      .insertInto('invitations')
      .values({
        patient_id: patient.id,
        code_hash: randomBytes(16).toString('hex'),
        created_by: app.fixture.userIds.gp1,
        created_at: app.clock.now,
        expires_at: new Date(app.clock.now.getTime() + 86_400_000),
      })
      .returning('id')
      .executeTakeFirstOrThrow();
    attempt = await start(app);
    const res = await callback(app, attempt.cookie, attempt.callback);
    expect(res.headers.location).toBe('/patient');
    expect(await sessionUser(app, res)).toMatchObject({ role: 'patient', patientId: patient.id });
    const used = await app.db
      .selectFrom('invitations')
      .select('used_at')
      .where('id', '=', invitation.id)
      .executeTakeFirstOrThrow();
    expect(used.used_at).not.toBeNull();
  });

  it('with PASSWORD_LOGIN=staff, a patient must use ID-porten while staff keep their password', async () => {
    const app = await appWith();
    await app.close();
    t = await createTestApp({ passwordLogin: 'staff' });
    expect((await t.app.inject({ method: 'GET', url: '/api/auth/providers' })).json()).toEqual({
      idPorten: false,
      helseId: false,
      password: 'staff',
    });
    const patient = await t.app.inject({
      method: 'POST',
      url: '/api/auth/login',
      payload: { username: 'patient.a1', password: 'fixture-password-2026' },
    });
    expect(patient.statusCode).toBe(403);
    expect(patient.json()).toMatchObject({ type: 'https://gp-dep.example/problems/password-login-off' });
    expect(patient.cookies.find((c) => c.name === SESSION_COOKIE && c.value)).toBeUndefined();
    // A wrong password is still just a wrong password: the policy tells a stranger nothing.
    const wrong = await t.app.inject({
      method: 'POST',
      url: '/api/auth/login',
      payload: { username: 'patient.a1', password: 'not-the-password-2026' },
    });
    expect(wrong.statusCode).toBe(401);
    expect((await t.login('gp1')).cookie).toBeTruthy();
    await t.close();
    t = await createTestApp({ passwordLogin: 'off' });
    const gp = await t.app.inject({
      method: 'POST',
      url: '/api/auth/login',
      payload: { username: 'gp.one', password: 'fixture-password-2026' },
    });
    expect(gp.statusCode).toBe(403);
  });

  it('is not offered when not configured', async () => {
    t = await createTestApp();
    expect((await t.app.inject({ method: 'GET', url: '/api/auth/providers' })).json()).toEqual({
      idPorten: false,
      helseId: false,
      password: 'all',
    });
    expect((await t.app.inject({ method: 'GET', url: '/api/auth/idporten/start' })).statusCode).toBe(404);
  });
});

describe('ID-porten logout', () => {
  async function loggedInPatient(app: TestApp) {
    provider.nextLogin = { pid: await nationalId(app, 'pA1'), acr: 'idporten-loa-substantial' };
    const { cookie, callback: url } = await start(app);
    const res = await callback(app, cookie, url);
    expect(res.headers.location).toBe('/patient');
    const session = res.cookies.find((c) => c.name === SESSION_COOKIE)!.value;
    const me = await app.app.inject({
      method: 'GET',
      url: '/api/auth/session',
      headers: { cookie: `${SESSION_COOKIE}=${session}` },
    });
    return { cookie: session, csrfToken: me.json<{ csrfToken: string }>().csrfToken };
  }

  it('ends the platform session and sends the browser on to ID-porten’s end-session endpoint', async () => {
    const app = await appWith();
    const session = await loggedInPatient(app);
    const out = await app.call(session, 'POST', '/api/auth/logout');
    expect(out.statusCode, out.body).toBe(200);
    const endSession = new URL(out.json<{ providerLogoutUrl: string }>().providerLogoutUrl);
    expect(endSession.origin).toBe(provider.issuer);
    expect(endSession.searchParams.get('id_token_hint')).toMatch(/^ey/);
    expect(endSession.searchParams.get('post_logout_redirect_uri')).toBe(provider.postLogoutRedirectUri);
    expect((await app.call(session, 'GET', '/api/auth/session')).json().user).toBeNull();
    const back = await provider.browser.logout(endSession.href, provider.postLogoutRedirectUri);
    expect(back.href).toBe(provider.postLogoutRedirectUri);
  });

  it('revokes the platform session on ID-porten’s back-channel logout token, and only once', async () => {
    const app = await appWith();
    const session = await loggedInPatient(app);
    const link = await app.db
      .selectFrom('oidc_sessions')
      .select(['id_token', 'sid'])
      .where('session_token_hash', '=', hashToken(session.cookie))
      .executeTakeFirstOrThrow();
    // The patient logs out at ID-porten elsewhere: ID-porten sends a logout token naming the sid.
    const endSession = new URL(`${provider.issuer}/session/end`);
    endSession.searchParams.set('id_token_hint', link.id_token);
    endSession.searchParams.set('post_logout_redirect_uri', provider.postLogoutRedirectUri);
    const before = provider.logoutTokens.length;
    await provider.browser.logout(endSession.href, provider.postLogoutRedirectUri);
    expect(provider.logoutTokens.length).toBe(before + 1);
    const post = (token: string) =>
      app.app.inject({
        method: 'POST',
        url: '/api/auth/idporten/backchannel-logout',
        headers: { 'content-type': 'application/x-www-form-urlencoded' },
        payload: new URLSearchParams({ logout_token: token }).toString(),
      });
    const token = provider.logoutTokens.at(-1)!;
    // Altered on the way: refused, nothing revoked.
    const altered = `${token.slice(0, -2)}${token.at(-2) === 'A' ? 'B' : 'A'}${token.at(-1)}`;
    expect((await post(altered)).statusCode).toBe(400);
    expect((await app.call(session, 'GET', '/api/program/modules')).statusCode).toBe(200);
    expect((await post(token)).statusCode).toBe(200);
    expect((await app.call(session, 'GET', '/api/auth/session')).json().user).toBeNull();
    expect((await post(token)).statusCode).toBe(400);
  });
});

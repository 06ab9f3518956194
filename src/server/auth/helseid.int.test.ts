/**
 * GP login with HelseID (issue 16), end to end against a real OpenID Provider running locally
 * (oidc-provider configured as HelseID: private_key_jwt, DPoP with nonces, PKCE, the HPR and
 * security-level claims): the GP whose HPR number the token carries gets a GP session; each way it
 * can go wrong ends on the login page with its reason and no session — a wrong state, a replayed
 * callback or code, an expired or wrongly signed ID token, a client assertion signed with the
 * wrong key, a DPoP proof made with another key, a token answer not bound to our DPoP key, a
 * security level too low, no HPR number, an HPR number with no GP, a disabled GP. And logout: the
 * platform session ends and the browser is sent on to HelseID's end-session endpoint; HelseID's
 * back-channel logout token revokes the platform session, and a forged or replayed one nothing.
 */
import { randomBytes } from 'node:crypto';
import type { LightMyRequestResponse } from 'fastify';
import * as jose from 'jose';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import {
  rsaSigningJwk,
  startHelseIdStandIn,
  type HelseIdStandIn,
} from '../../../test/support/helseid-provider.js';
import { createTestApp, type LoggedIn, type TestApp } from '../../../test/support/test-app.js';
import type { HelseIdConfig } from './helseid.js';
import { OIDC_ATTEMPT_COOKIE } from './oidc.js';
import { hashToken, SESSION_COOKIE } from './sessions.js';

let provider: HelseIdStandIn;
let t: TestApp | undefined;

beforeAll(async () => {
  provider = await startHelseIdStandIn({ idTokenTtlSeconds: 120 });
});
afterAll(async () => provider?.close());
afterEach(async () => {
  await t?.close();
  t = undefined;
  provider.browser.clear();
});

async function appWith(
  overrides: Partial<HelseIdConfig> = {},
  standIn: HelseIdStandIn = provider
): Promise<TestApp> {
  t = await createTestApp({
    helseId: {
      issuer: standIn.issuer,
      clientId: standIn.clientId,
      clientPrivateJwk: standIn.clientPrivateJwk,
      redirectUri: standIn.redirectUri,
      postLogoutRedirectUri: standIn.postLogoutRedirectUri,
      minSecurityLevel: 4,
      allowInsecureHttp: true,
      ...overrides,
    },
  });
  return t;
}

/** The browser's part: start at the platform, log in at the provider, come back to the callback. */
async function start(app: TestApp, standIn = provider): Promise<{ cookie: string; callback: URL }> {
  const started = await app.app.inject({ method: 'GET', url: '/api/auth/helseid/start?lang=en' });
  expect(started.statusCode, started.body).toBe(302);
  const cookie = started.cookies.find((c) => c.name === OIDC_ATTEMPT_COOKIE)!.value;
  const authorize = new URL(started.headers.location as string);
  expect(authorize.origin).toBe(standIn.issuer);
  expect(authorize.searchParams.get('code_challenge_method')).toBe('S256');
  expect(authorize.searchParams.get('dpop_jkt')).toMatch(/^[A-Za-z0-9_-]{43}$/);
  expect(authorize.searchParams.get('scope')).toContain('helseid://scopes/hpr/hpr_number');
  return { cookie, callback: await standIn.drive(authorize.href) };
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
  expect(res.headers.location).toBe(`/login?helseid=${reason}`);
  expect(res.cookies.find((c) => c.name === SESSION_COOKIE && c.value)).toBeUndefined();
}

/** Logs gp1 (HPR 100000001) in through HelseID; the session as the API tests use it. */
async function loginGp1(app: TestApp): Promise<LoggedIn> {
  provider.nextLogin = { hprNumber: '100000001', securityLevel: '4' };
  const attempt = await start(app);
  const res = await callback(app, attempt.cookie, attempt.callback);
  expect(res.headers.location, res.body).toBe('/gp');
  const cookie = res.cookies.find((c) => c.name === SESSION_COOKIE)!;
  const me = await app.app.inject({
    method: 'GET',
    url: '/api/auth/session',
    headers: { cookie: `${SESSION_COOKIE}=${cookie.value}` },
  });
  return { cookie: cookie.value, csrfToken: me.json<{ csrfToken: string }>().csrfToken };
}

async function sessionUser(app: TestApp, session: LoggedIn) {
  const me = await app.call(session, 'GET', '/api/auth/session');
  return me.json<{ user: { id: string; role: string } | null }>().user;
}

/** A fetch that changes the token endpoint's answer (as if altered on the way). */
function alteringTokenAnswer(change: (body: Record<string, unknown>) => Promise<void> | void): typeof fetch {
  return async (input, init) => {
    const res = await fetch(input, init);
    const url = String(input instanceof Request ? input.url : input);
    if (!url.endsWith('/token') || res.status !== 200) return res;
    const body = (await res.json()) as Record<string, unknown>;
    await change(body);
    return new Response(JSON.stringify(body), { status: res.status, headers: res.headers });
  };
}

async function otherKeyThumbprint(): Promise<{ key: jose.CryptoKey; jwk: jose.JWK; thumbprint: string }> {
  const { privateKey, publicKey } = await jose.generateKeyPair('ES256', { extractable: true });
  const jwk = await jose.exportJWK(publicKey);
  return { key: privateKey, jwk, thumbprint: await jose.calculateJwkThumbprint(jwk) };
}

describe('HelseID login', () => {
  it('logs the GP whose HPR number the token carries in, audited, with a GP session', async () => {
    const app = await appWith();
    expect((await app.app.inject({ method: 'GET', url: '/api/auth/providers' })).json()).toEqual({
      idPorten: false,
      helseId: true,
      password: 'all',
    });
    provider.nextLogin = { hprNumber: '100000001', securityLevel: '4' };
    const { cookie, callback: url } = await start(app);
    const res = await callback(app, cookie, url);
    expect(res.statusCode, res.body).toBe(302);
    expect(res.headers.location).toBe('/gp');
    const session = res.cookies.find((c) => c.name === SESSION_COOKIE)!;
    expect(session.sameSite).toBe('Strict');
    const me = await app.app.inject({
      method: 'GET',
      url: '/api/auth/session',
      headers: { cookie: `${SESSION_COOKIE}=${session.value}` },
    });
    expect(me.json()).toMatchObject({ user: { id: app.fixture.userIds.gp1, role: 'gp' } });
    const line = await app.db
      .selectFrom('audit_events')
      .select(['actor_user_id', 'actor_role', 'access_basis', 'outcome'])
      .where('action', '=', 'login')
      .orderBy('seq', 'desc')
      .executeTakeFirstOrThrow();
    expect(line).toEqual({
      actor_user_id: app.fixture.userIds.gp1,
      actor_role: 'gp',
      access_basis: 'HelseID, level 4',
      outcome: 'allowed',
    });
    // The attempt (and the DPoP key kept with it) is spent: it cannot finish a second login.
    const attempts = await app.db.selectFrom('oidc_login_attempts').select('used_at').execute();
    expect(attempts.every((a) => a.used_at !== null)).toBe(true);
  });

  it('fetches the HPR number from userinfo with the DPoP-bound token when the ID token lacks it', async () => {
    const userinfoProvider = await startHelseIdStandIn({ claimsIn: 'userinfo' });
    try {
      const seen: string[] = [];
      const watching: typeof fetch = async (input, init) => {
        const url = String(input instanceof Request ? input.url : input);
        const headers = new Headers(init?.headers);
        if (url.endsWith('/me'))
          seen.push(`${headers.get('authorization')?.split(' ')[0]} ${headers.has('dpop')}`);
        return fetch(input, init);
      };
      const app = await appWith({ fetch: watching }, userinfoProvider);
      userinfoProvider.nextLogin = { hprNumber: '100000002', securityLevel: '4' };
      const attempt = await start(app, userinfoProvider);
      const res = await callback(app, attempt.cookie, attempt.callback);
      expect(res.headers.location, res.body).toBe('/gp');
      expect(seen).toEqual(['DPoP true']);
      const session = { cookie: res.cookies.find((c) => c.name === SESSION_COOKIE)!.value, csrfToken: '' };
      expect(await sessionUser(app, session)).toMatchObject({ id: app.fixture.userIds.gp2 });
    } finally {
      await userinfoProvider.close();
    }
  });

  it('refuses a wrong state, a callback from another browser, and a replayed callback', async () => {
    const app = await appWith();
    provider.nextLogin = { hprNumber: '100000001', securityLevel: '4' };
    const { cookie, callback: url } = await start(app);
    const wrongState = new URL(url);
    wrongState.searchParams.set('state', 'not-the-state');
    expectRefused(await callback(app, cookie, wrongState), 'state');
    expectRefused(await callback(app, null, url), 'state');
    expectRefused(await callback(app, randomBytes(32).toString('base64url'), url), 'state');
    expect((await callback(app, cookie, url)).headers.location).toBe('/gp');
    expectRefused(await callback(app, cookie, url), 'used');
  });

  it('refuses a replayed code, and an error answer from the provider', async () => {
    const app = await appWith();
    provider.nextLogin = { hprNumber: '100000001', securityLevel: '4' };
    const first = await start(app);
    expect((await callback(app, first.cookie, first.callback)).headers.location).toBe('/gp');
    const second = await start(app);
    const replay = new URL(second.callback);
    replay.searchParams.set('code', first.callback.searchParams.get('code')!);
    expectRefused(await callback(app, second.cookie, replay), 'token');
    const third = await start(app);
    const denied = new URL(third.callback);
    denied.searchParams.delete('code');
    denied.searchParams.set('error', 'access_denied');
    expectRefused(await callback(app, third.cookie, denied), 'provider');
  });

  it('refuses an ID token that has expired, or whose signature does not verify', async () => {
    const app = await appWith();
    provider.nextLogin = { hprNumber: '100000001', securityLevel: '4' };
    const late = await start(app);
    app.clock.now = new Date(app.clock.now.getTime() + 5 * 60_000);
    expectRefused(await callback(app, late.cookie, late.callback), 'token');
    await app.close();

    const tampered = await appWith({
      fetch: alteringTokenAnswer((body) => {
        const idToken = String(body.id_token);
        const last = idToken.at(-2) === 'A' ? 'B' : 'A';
        body.id_token = `${idToken.slice(0, -2)}${last}${idToken.at(-1)}`;
      }),
    });
    const attempt = await start(tampered);
    expectRefused(await callback(tampered, attempt.cookie, attempt.callback), 'token');
  });

  it('is refused by HelseID when the client assertion (private_key_jwt) is signed with another key', async () => {
    const app = await appWith({ clientPrivateJwk: { ...rsaSigningJwk('client-key-1') } });
    provider.nextLogin = { hprNumber: '100000001', securityLevel: '4' };
    const attempt = await start(app);
    expectRefused(await callback(app, attempt.cookie, attempt.callback), 'token');
  });

  it('refuses a DPoP proof made with another key than the attempt’s (HelseID refuses it: dpop_jkt)', async () => {
    const other = await otherKeyThumbprint();
    // The token request's proof is replaced by one signed with another key (nonce and all).
    const swappingProof: typeof fetch = async (input, init) => {
      const url = String(input instanceof Request ? input.url : input);
      const headers = new Headers(init?.headers);
      const proof = headers.get('dpop');
      if (url.endsWith('/token') && proof) {
        const claims = jose.decodeJwt(proof);
        headers.set(
          'dpop',
          await new jose.SignJWT({ ...claims, jti: randomBytes(16).toString('hex') })
            .setProtectedHeader({ alg: 'ES256', typ: 'dpop+jwt', jwk: other.jwk })
            .sign(other.key)
        );
      }
      return fetch(input, { ...init, headers });
    };
    const app = await appWith({ fetch: swappingProof });
    provider.nextLogin = { hprNumber: '100000001', securityLevel: '4' };
    const attempt = await start(app);
    expectRefused(await callback(app, attempt.cookie, attempt.callback), 'token');
  });

  it('refuses a token answer that is not bound to the attempt’s DPoP key (our own check)', async () => {
    const other = await otherKeyThumbprint();
    // HelseID's access tokens are JWTs with cnf.jkt: one bound to another key is refused here.
    const app = await appWith({
      fetch: alteringTokenAnswer(async (body) => {
        const forged = await new jose.SignJWT({ cnf: { jkt: other.thumbprint }, scope: 'openid' })
          .setProtectedHeader({ alg: 'ES256', typ: 'at+jwt' })
          .setIssuedAt()
          .setExpirationTime('5m')
          .sign(other.key);
        body.access_token = forged;
      }),
    });
    provider.nextLogin = { hprNumber: '100000001', securityLevel: '4' };
    let attempt = await start(app);
    expectRefused(await callback(app, attempt.cookie, attempt.callback), 'token');
    await app.close();
    // A plain bearer token where DPoP was asked for.
    const bearer = await appWith({
      fetch: alteringTokenAnswer((body) => {
        body.token_type = 'Bearer';
      }),
    });
    attempt = await start(bearer);
    expectRefused(await callback(bearer, attempt.cookie, attempt.callback), 'token');
  });

  it('refuses a low security level, no HPR number, an HPR number with no GP, a disabled GP', async () => {
    const app = await appWith();
    const refusedWith = async (login: HelseIdStandIn['nextLogin'], reason: string) => {
      provider.nextLogin = login;
      provider.browser.clear();
      const attempt = await start(app);
      expectRefused(await callback(app, attempt.cookie, attempt.callback), reason);
    };
    await refusedWith({ hprNumber: '100000001', securityLevel: '3' }, 'security_level');
    await refusedWith({ hprNumber: null, securityLevel: '4' }, 'no_hpr');
    await refusedWith({ hprNumber: '987654321', securityLevel: '4' }, 'no_gp');
    // A user with that HPR number who is not a GP is no GP either.
    await app.db
      .updateTable('users')
      .set({ hpr_number: '555555555' })
      .where('id', '=', app.fixture.userIds.admin)
      .execute();
    await refusedWith({ hprNumber: '555555555', securityLevel: '4' }, 'no_gp');
    await app.db
      .updateTable('users')
      .set({ disabled_at: app.clock.now })
      .where('id', '=', app.fixture.userIds.gp3)
      .execute();
    await refusedWith({ hprNumber: '100000003', securityLevel: '4' }, 'disabled');
    const failed = await app.db
      .selectFrom('audit_events')
      .select(['access_basis', 'actor_user_id'])
      .where('action', '=', 'login')
      .where('outcome', '=', 'failed')
      .orderBy('seq')
      .execute();
    expect(failed.map((f) => f.access_basis)).toEqual([
      'helseid (refused: security_level)',
      'helseid (refused: no_hpr)',
      'helseid (refused: no_gp)',
      'helseid (refused: no_gp)',
      'helseid (refused: disabled)',
    ]);
    expect(failed.at(-1)!.actor_user_id).toBe(app.fixture.userIds.gp3);
    expect(await app.db.selectFrom('sessions').select('token_hash').execute()).toEqual([]);
  });

  it('accepts level 3 when configured so', async () => {
    const app = await appWith({ minSecurityLevel: 3 });
    provider.nextLogin = { hprNumber: '100000001', securityLevel: '3' };
    const attempt = await start(app);
    expect((await callback(app, attempt.cookie, attempt.callback)).headers.location).toBe('/gp');
  });

  it('is not offered when not configured', async () => {
    t = await createTestApp();
    expect((await t.app.inject({ method: 'GET', url: '/api/auth/providers' })).json()).toMatchObject({
      helseId: false,
    });
    expect((await t.app.inject({ method: 'GET', url: '/api/auth/helseid/start' })).statusCode).toBe(404);
  });
});

describe('HelseID logout', () => {
  it('ends the platform session and sends the browser to end the HelseID session', async () => {
    const app = await appWith();
    const session = await loginGp1(app);
    const out = await app.call(session, 'POST', '/api/auth/logout');
    expect(out.statusCode, out.body).toBe(200);
    const endSession = new URL(out.json<{ providerLogoutUrl: string }>().providerLogoutUrl);
    expect(endSession.origin).toBe(provider.issuer);
    expect(endSession.searchParams.get('id_token_hint')).toMatch(/^ey/);
    expect(endSession.searchParams.get('post_logout_redirect_uri')).toBe(provider.postLogoutRedirectUri);
    expect(await sessionUser(app, session)).toBeNull();
    expect(await app.db.selectFrom('oidc_sessions').selectAll().execute()).toEqual([]);
    // The browser goes on; HelseID ends its session and returns it to the login page.
    const before = provider.logoutTokens.length;
    const back = await provider.browser.logout(endSession.href, provider.postLogoutRedirectUri);
    expect(back.href).toBe(provider.postLogoutRedirectUri);
    // HelseID also tells the platform by the back channel (nothing left to revoke: 200 all the same).
    expect(provider.logoutTokens.length).toBe(before + 1);
    const told = await backchannel(app, provider.logoutTokens.at(-1)!);
    expect(told.statusCode, told.body).toBe(200);
  });

  it('forgets the ID tokens of sessions that have ended otherwise (revoked, expired)', async () => {
    const app = await appWith();
    const first = await loginGp1(app);
    await app.db
      .updateTable('sessions')
      .set({ revoked_at: app.clock.now })
      .where('token_hash', '=', hashToken(first.cookie))
      .execute();
    const second = await loginGp1(app);
    const links = await app.db.selectFrom('oidc_sessions').select('session_token_hash').execute();
    expect(links).toEqual([{ session_token_hash: hashToken(second.cookie) }]);
  });

  it('a password session logs out as before (204, no provider)', async () => {
    const app = await appWith();
    const session = await app.login('gp1');
    const out = await app.call(session, 'POST', '/api/auth/logout');
    expect(out.statusCode).toBe(204);
  });

  it('revokes the platform session on HelseID’s back-channel logout token, once', async () => {
    const app = await appWith();
    const session = await loginGp1(app);
    const other = await app.login('gp2');
    expect(await sessionUser(app, session)).toMatchObject({ role: 'gp' });
    // The GP logs out at HelseID (another application, say): HelseID sends the logout token.
    const link = await app.db
      .selectFrom('oidc_sessions')
      .select(['id_token', 'sid'])
      .where('session_token_hash', '=', hashToken(session.cookie))
      .executeTakeFirstOrThrow();
    expect(link.sid).toBeTruthy();
    const endSession = new URL(`${provider.issuer}/session/end`);
    endSession.searchParams.set('id_token_hint', link.id_token);
    endSession.searchParams.set('post_logout_redirect_uri', provider.postLogoutRedirectUri);
    const before = provider.logoutTokens.length;
    await provider.browser.logout(endSession.href, provider.postLogoutRedirectUri);
    expect(provider.logoutTokens.length).toBe(before + 1);
    const token = provider.logoutTokens.at(-1)!;
    expect(jose.decodeJwt(token)).toMatchObject({ sid: link.sid });

    const res = await backchannel(app, token);
    expect(res.statusCode, res.body).toBe(200);
    expect(res.headers['cache-control']).toBe('no-store');
    expect((await app.call(session, 'GET', '/api/gp/worklist')).statusCode).toBe(401);
    expect(await sessionUser(app, other)).toMatchObject({ role: 'gp' });
    const line = await app.db
      .selectFrom('audit_events')
      .select(['actor_user_id', 'action', 'access_basis'])
      .orderBy('seq', 'desc')
      .where('action', '=', 'logout')
      .executeTakeFirstOrThrow();
    expect(line).toEqual({
      actor_user_id: app.fixture.userIds.gp1,
      action: 'logout',
      access_basis: 'back-channel logout',
    });
    // The same token again is a replay.
    expect((await backchannel(app, token)).statusCode).toBe(400);
  });

  it('refuses forged logout tokens and revokes nothing', async () => {
    const app = await appWith();
    const session = await loginGp1(app);
    const link = await app.db
      .selectFrom('oidc_sessions')
      .select(['sid', 'subject'])
      .executeTakeFirstOrThrow();
    const providerKey = await jose.importJWK(provider.providerPrivateJwk, 'RS256');
    const sign = (claims: jose.JWTPayload, key: jose.CryptoKey | Uint8Array = providerKey) =>
      new jose.SignJWT(claims)
        .setProtectedHeader({ alg: 'RS256', kid: 'helseid-key-1', typ: 'logout+jwt' })
        .setIssuedAt(Math.floor(app.clock.now.getTime() / 1000))
        .setExpirationTime(Math.floor(app.clock.now.getTime() / 1000) + 120)
        .sign(key);
    const good = {
      iss: provider.issuer,
      aud: provider.clientId,
      sid: link.sid!,
      jti: randomBytes(8).toString('hex'),
      events: { 'http://schemas.openid.net/event/backchannel-logout': {} },
    };
    const wrongKey = await jose.importJWK(rsaSigningJwk('helseid-key-1'), 'RS256');
    const forged = [
      await sign(good, wrongKey),
      await sign({ ...good, aud: 'another-client' }),
      await sign({ ...good, iss: 'https://not-helseid.example' }),
      await sign({ ...good, events: undefined }),
      await sign({ ...good, nonce: 'n' }),
      await sign({ ...good, sid: undefined }),
      'not-a-jwt',
    ];
    for (const token of forged) {
      const res = await backchannel(app, token);
      expect(res.statusCode, `${token.slice(0, 30)}: ${res.body}`).toBe(400);
    }
    expect(await sessionUser(app, session)).toMatchObject({ role: 'gp' });
    // Signed right, it works (and by sub, too).
    const bySub = await backchannel(app, await sign({ ...good, sid: undefined, sub: link.subject }));
    expect(bySub.statusCode, bySub.body).toBe(200);
    expect(await sessionUser(app, session)).toBeNull();
  });
});

function backchannel(app: TestApp, logoutToken: string): Promise<LightMyRequestResponse> {
  return app.app.inject({
    method: 'POST',
    url: '/api/auth/helseid/backchannel-logout',
    headers: { 'content-type': 'application/x-www-form-urlencoded' },
    payload: new URLSearchParams({ logout_token: logoutToken }).toString(),
  });
}

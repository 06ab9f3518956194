/**
 * What ID-porten (patients) and HelseID (GPs) logins share (issue 16), through `openid-client`:
 *
 * - the provider's metadata, discovered once per issuer, and a client whose time checks use the
 *   server's clock and whose ID tokens are checked against the provider's published keys;
 * - the login attempt between start and callback: it waits in the database (any instance can
 *   finish it), bound to the browser by a cookie, used once, 10 minutes at most;
 * - the audit line of a refused login;
 * - the provider session a platform session came from, so logout can end it at the provider
 *   (RP-Initiated Logout: the end-session URL with `id_token_hint`) and the provider can end the
 *   platform session (Back-Channel Logout: a signed logout token naming `sid` or `sub`).
 */
import { createHash, randomBytes } from 'node:crypto';
import * as jose from 'jose';
import * as oidc from 'openid-client';
import type { Role } from '../../domain/access/policy.js';
import { withAuditedTransaction } from '../audit/audit-log.js';
import type { AuthDeps } from './auth.commands.js';
import { revokeSession } from './sessions.js';

export const OIDC_ATTEMPT_COOKIE = '__Host-gpdep_oidc';
const ATTEMPT_MINUTES = 10;

export type OidcProvider = 'idporten' | 'helseid';
/** Login attempts are also launches from a GP's record system (server/smart/epj-launch.ts). */
export type AttemptProvider = OidcProvider | 'smart';

/** What every provider's configuration has (IDPORTEN_* and HELSEID_* in config.ts). */
export interface OidcClientConfig {
  /** The provider's issuer; its metadata is at <issuer>/.well-known/openid-configuration. */
  issuer: string;
  clientId: string;
  /** This platform's callback, as registered with the provider. */
  redirectUri: string;
  /** Where the provider sends the browser after logout, as registered (e.g. https://<host>/login). */
  postLogoutRedirectUri?: string;
  /** Tests only: a provider on plain http (127.0.0.1). */
  allowInsecureHttp?: boolean;
  /** Tests only: the HTTP client used towards the provider (to see or alter its answers). */
  fetch?: typeof fetch;
}

/** The refusals every provider's callback can end in before its own rule is asked. */
export type AttemptRefusal = 'state' | 'used' | 'provider';

export const hashValue = (value: string) => createHash('sha256').update(value).digest('hex');

const discovered = new Map<string, Promise<oidc.ServerMetadata>>();

/** The provider's metadata, discovered once per issuer (retried after a failure). */
function serverMetadata(config: OidcClientConfig): Promise<oidc.ServerMetadata> {
  let metadata = discovered.get(config.issuer);
  if (!metadata) {
    metadata = oidc
      .discovery(new URL(config.issuer), config.clientId, undefined, oidc.None(), {
        ...(config.allowInsecureHttp ? { execute: [oidc.allowInsecureRequests] } : {}),
        ...(config.fetch ? { [oidc.customFetch]: config.fetch } : {}),
      })
      .then((c) => c.serverMetadata());
    metadata.catch(() => discovered.delete(config.issuer));
    discovered.set(config.issuer, metadata);
  }
  return metadata;
}

/** A client configuration whose time checks use the server's clock (`now`). */
export async function oidcClient(
  config: OidcClientConfig,
  now: Date,
  clientAuth: oidc.ClientAuth
): Promise<oidc.Configuration> {
  const client = new oidc.Configuration(
    await serverMetadata(config),
    config.clientId,
    { [oidc.clockSkew]: Math.round((now.getTime() - Date.now()) / 1000) },
    clientAuth
  );
  if (config.allowInsecureHttp) oidc.allowInsecureRequests(client);
  if (config.fetch) client[oidc.customFetch] = config.fetch;
  // The ID token's signature is checked against the provider's keys too, not only trusted because
  // it came over TLS from the token endpoint (openid-client's default, which OIDC Core allows).
  oidc.enableNonRepudiationChecks(client);
  return client;
}

export interface StartedAttempt {
  cookie: string;
  state: string;
  nonce: string;
  codeChallenge: string;
}

/** Stores a new login attempt (with what the provider needs at the callback in `context`). */
export async function beginAttempt(
  deps: AuthDeps,
  provider: AttemptProvider,
  context: Record<string, string> = {}
): Promise<StartedAttempt> {
  const cookie = randomBytes(32).toString('base64url');
  const state = oidc.randomState();
  const nonce = oidc.randomNonce();
  const verifier = oidc.randomPKCECodeVerifier();
  await deps.db
    .insertInto('oidc_login_attempts')
    .values({
      cookie_hash: hashValue(cookie),
      provider,
      state,
      nonce,
      code_verifier: verifier,
      context,
      created_at: deps.now,
      expires_at: new Date(deps.now.getTime() + ATTEMPT_MINUTES * 60_000),
    })
    .execute();
  // Old attempts go as new ones come (nothing else reads them).
  await deps.db.deleteFrom('oidc_login_attempts').where('expires_at', '<', deps.now).execute();
  return { cookie, state, nonce, codeChallenge: await oidc.calculatePKCECodeChallenge(verifier) };
}

export interface ClaimedAttempt {
  state: string;
  nonce: string;
  codeVerifier: string;
  context: Record<string, string>;
}

/**
 * The attempt of this browser's cookie, for this provider, unexpired, with the same `state`, and
 * marked used: the first callback with it wins, any replay is refused. A provider's error answer
 * uses the attempt up too.
 */
export async function claimAttempt(
  deps: AuthDeps,
  provider: AttemptProvider,
  cookie: string | undefined,
  query: Record<string, string | undefined>
): Promise<{ ok: true; attempt: ClaimedAttempt } | { ok: false; reason: AttemptRefusal }> {
  if (!cookie) return { ok: false, reason: 'state' };
  const attempt = await deps.db
    .selectFrom('oidc_login_attempts')
    .selectAll()
    .where('cookie_hash', '=', hashValue(cookie))
    .where('provider', '=', provider)
    .executeTakeFirst();
  if (!attempt || new Date(attempt.expires_at) <= deps.now || attempt.state !== query.state)
    return { ok: false, reason: 'state' };
  const claimed = await deps.db
    .updateTable('oidc_login_attempts')
    .set({ used_at: deps.now })
    .where('cookie_hash', '=', attempt.cookie_hash)
    .where('used_at', 'is', null)
    .returning('cookie_hash')
    .executeTakeFirst();
  if (!claimed) return { ok: false, reason: 'used' };
  if (query.error) return { ok: false, reason: 'provider' };
  return {
    ok: true,
    attempt: {
      state: attempt.state,
      nonce: attempt.nonce,
      codeVerifier: attempt.code_verifier,
      context: attempt.context,
    },
  };
}

/** The URL the provider redirected the browser to (what openid-client reads code, state, iss from). */
function callbackUrl(
  config: Pick<OidcClientConfig, 'redirectUri'>,
  query: Record<string, string | undefined>
): URL {
  const current = new URL(config.redirectUri);
  for (const [k, v] of Object.entries(query)) if (v !== undefined) current.searchParams.set(k, v);
  return current;
}

/**
 * Exchanges the callback's code at the token endpoint, with the attempt's PKCE verifier, and has
 * openid-client check `state`, `iss`, the ID token (signature, issuer, audience, `nonce`, times).
 * Throws when anything does not verify.
 */
export function exchangeCode(
  client: oidc.Configuration,
  config: Pick<OidcClientConfig, 'redirectUri'>,
  query: Record<string, string | undefined>,
  attempt: ClaimedAttempt,
  options?: { DPoP?: oidc.DPoPHandle }
) {
  return oidc.authorizationCodeGrant(
    client,
    callbackUrl(config, query),
    {
      pkceCodeVerifier: attempt.codeVerifier,
      expectedState: attempt.state,
      expectedNonce: attempt.nonce,
      idTokenExpected: true,
    },
    undefined,
    options
  );
}

/** Who the provider said it was, when the platform knows them (for the audit line). */
export interface KnownPerson {
  userId: string | null;
  name: string;
  practiceId: string | null;
  patientId: string | null;
}

/**
 * The refusal of a provider's login: the audit line (`<provider> (refused: <reason>)`, with the
 * person when the platform knows them), and the outcome the route turns into
 * `/login?<provider>=<reason>`. No session is made.
 */
export function loginRefuser<Reason extends string>(
  deps: AuthDeps,
  args: { provider: OidcProvider; role: Role; anonymousName: string; requestId: string }
) {
  return async (reason: Reason, who?: KnownPerson) => {
    await withAuditedTransaction(deps.db, deps.secrets.auditKey, deps.now, async (_trx, record) =>
      record([
        {
          actorUserId: who?.userId ?? null,
          actorRole: who?.userId ? args.role : 'anonymous',
          actorName: who?.name ?? args.anonymousName,
          actorPracticeId: who?.practiceId ?? null,
          patientId: who?.patientId ?? null,
          action: 'login',
          dataCategory: 'session',
          accessBasis: `${args.provider} (refused: ${reason})`,
          outcome: 'failed',
          requestId: args.requestId,
        },
      ])
    );
    return { kind: 'refused' as const, reason };
  };
}

/** Remembers which provider session a new platform session came from (for logout). */
export async function rememberProviderSession(
  deps: AuthDeps,
  args: { tokenHash: string; provider: OidcProvider; idToken: string | undefined; claims: oidc.IDToken }
): Promise<void> {
  if (!args.idToken) return;
  // Sessions are kept (revoked or expired) but their ID tokens need not be: forget those links.
  await deps.db
    .deleteFrom('oidc_sessions')
    .where('session_token_hash', 'in', (eb) =>
      eb
        .selectFrom('sessions')
        .select('token_hash')
        .where((s) => s.or([s('revoked_at', 'is not', null), s('absolute_expires_at', '<', deps.now)]))
    )
    .execute();
  await deps.db
    .insertInto('oidc_sessions')
    .values({
      session_token_hash: args.tokenHash,
      provider: args.provider,
      issuer: args.claims.iss,
      subject: args.claims.sub,
      sid: typeof args.claims.sid === 'string' ? args.claims.sid : null,
      id_token: args.idToken,
      created_at: deps.now,
    })
    .execute();
}

/** The providers this server is configured for, by name (null: not configured). */
export type OidcProviders = Partial<Record<OidcProvider, OidcClientConfig | null>>;

/**
 * Logout, the provider's part: the URL of the provider's end-session endpoint for the platform
 * session ending now (with its ID token as `id_token_hint` and the registered post-logout URI), or
 * null when the session did not come from a provider or the provider has no such endpoint. The
 * link between the sessions is forgotten either way.
 */
export async function providerLogoutUrl(
  deps: AuthDeps,
  providers: OidcProviders,
  tokenHash: string
): Promise<string | null> {
  const row = await deps.db
    .deleteFrom('oidc_sessions')
    .where('session_token_hash', '=', tokenHash)
    .returning(['provider', 'id_token'])
    .executeTakeFirst();
  const config = row ? providers[row.provider] : null;
  if (!row || !config) return null;
  try {
    const client = await oidcClient(config, deps.now, oidc.None());
    if (!client.serverMetadata().end_session_endpoint) return null;
    return oidc.buildEndSessionUrl(client, {
      id_token_hint: row.id_token,
      ...(config.postLogoutRedirectUri ? { post_logout_redirect_uri: config.postLogoutRedirectUri } : {}),
    }).href;
  } catch {
    // The provider cannot be reached: the platform session ends all the same.
    return null;
  }
}

const BACKCHANNEL_EVENT = 'http://schemas.openid.net/event/backchannel-logout';
const remoteKeys = new Map<string, ReturnType<typeof jose.createRemoteJWKSet>>();

/** Why a logout token was refused (the 400 answer's detail). */
export class LogoutTokenError extends Error {}

/**
 * Back-channel logout (OpenID Connect Back-Channel Logout 1.0 §2.6): the logout token must be a
 * JWT signed with one of the provider's published keys, from its issuer, for this client, issued
 * recently, with the back-channel event, without `nonce`, naming `sid` or `sub`, and never seen
 * before (`jti`). Then every platform session from that provider session (`sid`) or that person
 * (`sub`) is revoked and audited. Returns how many sessions ended.
 */
export async function backchannelLogout(
  deps: AuthDeps,
  provider: OidcProvider,
  config: OidcClientConfig,
  logoutToken: string,
  requestId: string
): Promise<number> {
  const metadata = await serverMetadata(config);
  if (!metadata.jwks_uri) throw new LogoutTokenError('The provider publishes no keys');
  let keys = remoteKeys.get(metadata.jwks_uri);
  if (!keys) {
    keys = jose.createRemoteJWKSet(new URL(metadata.jwks_uri), {
      ...(config.fetch ? { [jose.customFetch]: config.fetch } : {}),
    });
    remoteKeys.set(metadata.jwks_uri, keys);
  }
  let claims: jose.JWTPayload;
  try {
    ({ payload: claims } = await jose.jwtVerify(logoutToken, keys, {
      issuer: metadata.issuer,
      audience: config.clientId,
      currentDate: deps.now,
      clockTolerance: 60,
      maxTokenAge: '10 minutes',
      requiredClaims: ['iat', 'jti'],
      algorithms: ['RS256', 'RS384', 'RS512', 'PS256', 'PS384', 'PS512', 'ES256', 'ES384', 'ES512', 'EdDSA'],
    }));
  } catch (error) {
    throw new LogoutTokenError(`The logout token does not verify (${(error as Error).message})`);
  }
  const events = claims.events as Record<string, unknown> | undefined;
  if (!events || typeof events !== 'object' || typeof events[BACKCHANNEL_EVENT] !== 'object')
    throw new LogoutTokenError('The logout token has no back-channel logout event');
  if ('nonce' in claims) throw new LogoutTokenError('A logout token may not carry a nonce');
  const sid = typeof claims.sid === 'string' ? claims.sid : undefined;
  const sub = typeof claims.sub === 'string' ? claims.sub : undefined;
  if (!sid && !sub) throw new LogoutTokenError('The logout token names neither sid nor sub');

  const issuer = claims.iss!;
  const jti = String(claims.jti);
  // Kept as long as the token could be accepted (iat within 10 minutes, 1 minute of skew).
  const keepUntil = new Date(Math.max(deps.now.getTime(), claims.iat! * 1000) + 11 * 60_000);
  await deps.db.deleteFrom('oidc_logout_tokens').where('expires_at', '<', deps.now).execute();
  const fresh = await deps.db
    .insertInto('oidc_logout_tokens')
    .values({ issuer, jti, expires_at: keepUntil })
    .onConflict((oc) => oc.columns(['issuer', 'jti']).doNothing())
    .returning('jti')
    .executeTakeFirst();
  if (!fresh) throw new LogoutTokenError('This logout token has been used already');

  let query = deps.db
    .selectFrom('oidc_sessions as o')
    .innerJoin('sessions as s', 's.token_hash', 'o.session_token_hash')
    .innerJoin('users as u', 'u.id', 's.user_id')
    .select(['o.session_token_hash', 'u.id', 'u.role', 'u.display_name', 'u.practice_id'])
    .where('o.provider', '=', provider)
    .where('o.issuer', '=', issuer);
  if (sid) query = query.where('o.sid', '=', sid);
  if (sub) query = query.where('o.subject', '=', sub);
  const ended = await query.execute();
  if (ended.length === 0) return 0;
  await withAuditedTransaction(deps.db, deps.secrets.auditKey, deps.now, async (trx, record) => {
    for (const row of ended) await revokeSession(trx, row.session_token_hash, deps.now);
    await trx
      .deleteFrom('oidc_sessions')
      .where(
        'session_token_hash',
        'in',
        ended.map((r) => r.session_token_hash)
      )
      .execute();
    record(
      ended.map((row) => ({
        actorUserId: row.id,
        actorRole: row.role,
        actorName: row.display_name,
        actorPracticeId: row.practice_id,
        patientId: null,
        action: 'logout',
        dataCategory: 'session',
        accessBasis: 'back-channel logout',
        outcome: 'allowed' as const,
        requestId,
      }))
    );
  });
  return ended.length;
}

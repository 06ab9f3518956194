/**
 * GP login with HelseID (issue 16), through `openid-client`: the authorization code flow with
 * PKCE, `state` and `nonce` (shared with ID-porten in oidc.ts), and what HelseID asks of a client
 * beyond that:
 *
 * - client authentication `private_key_jwt`: the token request carries a client assertion signed
 *   with the client's private key (HELSEID_CLIENT_JWK or HELSEID_CLIENT_JWK_FILE, see config.ts);
 *   HelseID holds only the public key, registered in its self-service portal;
 * - DPoP-bound tokens (RFC 9449): a DPoP key pair is made for each login attempt; its thumbprint
 *   goes in the authorization request (`dpop_jkt`, which binds the code to the key), its private
 *   half waits with the attempt (10 minutes at most, used once) so any instance can finish the
 *   login, and every request to the token and userinfo endpoints carries a proof signed with it.
 *   The token answer must be `token_type: DPoP`, and an access token that is a JWT must be bound
 *   (`cnf.jkt`) to this attempt's key: a token bound to any other key is refused here, whatever
 *   the provider let through. Nothing outlives the callback: the platform keeps no HelseID tokens
 *   but the ID token (for logout);
 * - the level of assurance (`helseid://claims/identity/security_level`, 4 for high) and the HPR
 *   number (`helseid://claims/hpr/hpr_number`) from the ID token, or from userinfo (fetched with
 *   DPoP) when the ID token has no HPR number; whom they let in is domain/access/helseid-login.ts.
 *
 * Every refusal has a reason the login page words for the GP, is audited, and makes no session.
 */
import * as jose from 'jose';
import * as oidc from 'openid-client';
import type { HELSEID_FAILURES } from '../../contract/auth.js';
import {
  decideHelseIdLogin,
  HELSEID_CLAIMS,
  hprNumberOf,
  securityLevelOf,
  type HelseIdSecurityLevel,
} from '../../domain/access/helseid-login.js';
import { withAuditedTransaction } from '../audit/audit-log.js';
import type { AuthDeps } from './auth.commands.js';
import {
  beginAttempt,
  claimAttempt,
  exchangeCode,
  loginRefuser,
  oidcClient,
  rememberProviderSession,
  type OidcClientConfig,
} from './oidc.js';
import { createSession, csrfTokenFor, revokeSession } from './sessions.js';

/** The scopes HelseID grants a GP login: who (pid), how sure (security level), the HPR number. */
export const HELSEID_DEFAULT_SCOPE =
  'openid profile helseid://scopes/identity/pid helseid://scopes/identity/security_level helseid://scopes/hpr/hpr_number';

/** The client's private key as a JWK (RSA or EC, with `kid`; `alg` RS256/PS256/ES256…). */
export type ClientPrivateJwk = jose.JWK & { kid?: string; alg?: string };

export interface HelseIdConfig extends OidcClientConfig {
  /** Client authentication `private_key_jwt` with this key (its public half is registered). */
  clientPrivateJwk: ClientPrivateJwk;
  /** The lowest security level accepted (4: high; 3: substantial). */
  minSecurityLevel: HelseIdSecurityLevel;
  /** The scopes asked for (default HELSEID_DEFAULT_SCOPE). */
  scope?: string;
}

/** Why a login through HelseID did not happen (the login page has words for each). */
export type HelseIdFailure = (typeof HELSEID_FAILURES)[number];

const DPOP_ALG = 'ES256';

/** The algorithm a client key signs with: its own `alg`, else RS256 for RSA and ES256 for P-256. */
export function clientKeyAlg(jwk: ClientPrivateJwk): string {
  if (jwk.alg) return jwk.alg;
  if (jwk.kty === 'RSA') return 'RS256';
  if (jwk.kty === 'EC' && jwk.crv === 'P-256') return 'ES256';
  if (jwk.kty === 'EC' && jwk.crv === 'P-384') return 'ES384';
  throw new Error('The HelseID client key needs an "alg" (RS256, PS256, ES256, …)');
}

const clientKeys = new WeakMap<ClientPrivateJwk, Promise<oidc.ClientAuth>>();

function clientAuth(config: HelseIdConfig): Promise<oidc.ClientAuth> {
  let auth = clientKeys.get(config.clientPrivateJwk);
  if (!auth) {
    const jwk = config.clientPrivateJwk;
    auth = (jose.importJWK(jwk, clientKeyAlg(jwk)) as Promise<oidc.CryptoKey>).then((key) =>
      oidc.PrivateKeyJwt(jwk.kid ? { key, kid: jwk.kid } : key)
    );
    clientKeys.set(jwk, auth);
  }
  return auth;
}

const clientFor = async (config: HelseIdConfig, now: Date) =>
  oidcClient(config, now, await clientAuth(config));

/** Starts a login: a DPoP key for it, the attempt stored, the browser's cookie and the provider's URL. */
export async function startHelseIdLogin(
  deps: AuthDeps,
  config: HelseIdConfig,
  locale: 'nb' | 'en'
): Promise<{ url: string; cookie: string }> {
  const client = await clientFor(config, deps.now);
  const dpop = await oidc.randomDPoPKeyPair(DPOP_ALG, { extractable: true });
  const privateJwk = await jose.exportJWK(dpop.privateKey);
  const thumbprint = await jose.calculateJwkThumbprint(privateJwk);
  const { cookie, state, nonce, codeChallenge } = await beginAttempt(deps, 'helseid', {
    dpop_jwk: JSON.stringify(privateJwk),
  });
  const url = oidc.buildAuthorizationUrl(client, {
    redirect_uri: config.redirectUri,
    scope: config.scope ?? HELSEID_DEFAULT_SCOPE,
    response_type: 'code',
    state,
    nonce,
    code_challenge: codeChallenge,
    code_challenge_method: 'S256',
    dpop_jkt: thumbprint,
    ui_locales: locale === 'nb' ? 'nb' : 'en',
  });
  return { url: url.href, cookie };
}

/** The attempt's DPoP key pair, back from its stored JWK, and the key's thumbprint. */
async function attemptDpopKey(context: Record<string, string>) {
  const privateJwk = JSON.parse(context.dpop_jwk ?? 'null') as jose.JWK | null;
  if (!privateJwk) throw new Error('The login attempt has no DPoP key');
  const { d: _private, ...publicJwk } = privateJwk;
  const keyPair = {
    privateKey: (await jose.importJWK(privateJwk, DPOP_ALG)) as oidc.CryptoKey,
    publicKey: (await jose.importJWK(publicJwk, DPOP_ALG, { extractable: true })) as oidc.CryptoKey,
  };
  return { keyPair, thumbprint: await jose.calculateJwkThumbprint(publicJwk) };
}

/**
 * Whether the token answer is bound to our DPoP key: `token_type` DPoP, and an access token that
 * is a JWT (as HelseID's are) confirms our key's thumbprint in `cnf.jkt`. An opaque access token
 * cannot be read here; the provider then holds the binding alone.
 */
export function boundToKey(
  tokens: { token_type: string; access_token: string },
  thumbprint: string
): boolean {
  if (tokens.token_type.toLowerCase() !== 'dpop') return false;
  let payload: jose.JWTPayload;
  try {
    payload = jose.decodeJwt(tokens.access_token);
  } catch {
    return true;
  }
  const cnf = payload.cnf as { jkt?: unknown } | undefined;
  return cnf?.jkt === thumbprint;
}

export type HelseIdOutcome =
  { kind: 'ok'; token: string; csrfToken: string } | { kind: 'refused'; reason: HelseIdFailure };

/**
 * Finishes a login from the provider's redirect: the attempt must be this browser's, unused and
 * unexpired, with the same `state`; the code is exchanged once, with the client assertion and a
 * DPoP proof; the ID token must verify and the tokens be bound to the attempt's key; then the
 * security level and HPR number decide (helseid-login.ts).
 */
export async function finishHelseIdLogin(
  deps: AuthDeps,
  config: HelseIdConfig,
  args: {
    cookie: string | undefined;
    query: Record<string, string | undefined>;
    requestId: string;
    /** This browser's earlier session, revoked at login as password login does (fixation). */
    priorSessionTokenHash: string | null;
  }
): Promise<HelseIdOutcome> {
  const { db, now } = deps;
  const refuse = loginRefuser<HelseIdFailure>(deps, {
    provider: 'helseid',
    role: 'gp',
    anonymousName: 'HelseID login',
    requestId: args.requestId,
  });
  const claimed = await claimAttempt(deps, 'helseid', args.cookie, args.query);
  if (!claimed.ok) return refuse(claimed.reason);
  const { attempt } = claimed;

  let claims: Record<string, unknown>;
  let idTokenClaims: oidc.IDToken;
  let idToken: string | undefined;
  try {
    const client = await clientFor(config, now);
    const { keyPair, thumbprint } = await attemptDpopKey(attempt.context);
    const DPoP = oidc.getDPoPHandle(client, keyPair);
    const tokens = await exchangeCode(client, config, args.query, attempt, { DPoP });
    const fromIdToken = tokens.claims();
    if (!fromIdToken || !boundToKey(tokens, thumbprint)) return refuse('token');
    idTokenClaims = fromIdToken;
    idToken = tokens.id_token;
    claims = { ...fromIdToken };
    if (claims[HELSEID_CLAIMS.hprNumber] === undefined) {
      // Not in the ID token: ask userinfo, with the DPoP-bound access token (and a proof).
      const userinfo = await oidc.fetchUserInfo(client, tokens.access_token, fromIdToken.sub, { DPoP });
      for (const name of Object.values(HELSEID_CLAIMS))
        if (claims[name] === undefined && userinfo[name] !== undefined) claims[name] = userinfo[name];
    }
  } catch {
    // A replayed or expired code, a client assertion or DPoP proof the provider refused, a bad
    // signature, wrong audience, issuer or nonce, a token from the future or the past: all are
    // "the provider's answer could not be trusted".
    return refuse('token');
  }

  const hprNumber = hprNumberOf(claims[HELSEID_CLAIMS.hprNumber]);
  const gp = hprNumber
    ? await db
        .selectFrom('users')
        .select(['id', 'display_name', 'practice_id', 'disabled_at'])
        .where('hpr_number', '=', hprNumber)
        .where('role', '=', 'gp')
        .executeTakeFirst()
    : undefined;
  const decision = decideHelseIdLogin({
    securityLevel: claims[HELSEID_CLAIMS.securityLevel],
    minSecurityLevel: config.minSecurityLevel,
    hprNumber,
    gp: gp ? { disabled: Boolean(gp.disabled_at) } : null,
  });
  const who = gp
    ? { userId: gp.id, name: gp.display_name, practiceId: gp.practice_id, patientId: null }
    : undefined;
  if (!decision.allowed) return refuse(decision.reason, who);

  const high = securityLevelOf(claims[HELSEID_CLAIMS.securityLevel]) === 4;
  await withAuditedTransaction(db, deps.secrets.auditKey, now, async (_trx, record) =>
    record([
      {
        actorUserId: gp!.id,
        actorRole: 'gp',
        actorName: gp!.display_name,
        actorPracticeId: gp!.practice_id,
        patientId: null,
        action: 'login',
        dataCategory: 'session',
        accessBasis: high ? 'HelseID, level 4' : 'HelseID, level 3',
        outcome: 'allowed',
        requestId: args.requestId,
      },
    ])
  );
  // A new token at every login: a cookie planted before login is never promoted (fixation).
  if (args.priorSessionTokenHash) await revokeSession(db, args.priorSessionTokenHash, now);
  const { token, tokenHash } = await createSession(db, { id: gp!.id, role: 'gp' }, now);
  await rememberProviderSession(deps, { tokenHash, provider: 'helseid', idToken, claims: idTokenClaims });
  return { kind: 'ok', token, csrfToken: csrfTokenFor(deps.secrets.csrfKey, tokenHash) };
}

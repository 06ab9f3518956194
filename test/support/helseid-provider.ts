/**
 * A local stand-in for HelseID in the tests (issue 16): `oidc-provider` (a certified OpenID
 * Provider implementation) on 127.0.0.1, configured as HelseID behaves for this platform's client:
 *
 * - authorization code flow, PKCE required (S256);
 * - client authentication `private_key_jwt` only: the client's public key is registered (`jwks`),
 *   the stand-in holds no secret; the private key is handed to the platform's configuration;
 * - DPoP required for the client (`dpop_bound_access_tokens`), with server nonces as HelseID uses
 *   them (the first token request is answered `use_dpop_nonce`, the client retries);
 * - HelseID's scopes and claims: `helseid://claims/hpr/hpr_number`,
 *   `helseid://claims/identity/security_level` (and pid), in the ID token, or in userinfo only
 *   (`claimsIn: 'userinfo'`), where the client must fetch them with its DPoP-bound access token;
 * - RP-initiated logout (end_session_endpoint) and back-channel logout (logout tokens with `sid`),
 *   sent to `backchannelLogoutUri` (by default a receiver on the stand-in itself that keeps them in
 *   `logoutTokens`, for the test to hand to the platform).
 *
 * Who "logs in" is set by the test (`nextLogin`): the interaction answers at once with that HPR
 * number and security level, as if the GP had used BankID or a smart card.
 */
import { generateKeyPairSync, randomBytes } from 'node:crypto';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import Provider from 'oidc-provider';
import {
  autoSubmitLogoutSource,
  oidcBrowser,
  receivedLogoutToken,
  type OidcBrowser,
} from './oidc-browser.js';

export const HPR_CLAIM = 'helseid://claims/hpr/hpr_number';
export const SECURITY_LEVEL_CLAIM = 'helseid://claims/identity/security_level';
const PID_CLAIM = 'helseid://claims/identity/pid';

export interface HelseIdStandIn {
  issuer: string;
  clientId: string;
  /** The client's private key (what HELSEID_CLIENT_JWK holds). */
  clientPrivateJwk: Record<string, unknown>;
  /** The provider's own signing key (a test may sign a token "as the provider" with it). */
  providerPrivateJwk: Record<string, unknown>;
  redirectUri: string;
  postLogoutRedirectUri: string;
  /** The person and security level of the next login (hprNumber null: a person without one). */
  nextLogin: { hprNumber: string | null; securityLevel: '3' | '4'; name?: string };
  /** Logout tokens the provider sent to the default back-channel receiver. */
  logoutTokens: string[];
  /** The browser the tests drive (its cookies hold the provider's session). */
  browser: OidcBrowser;
  /** Follows redirects from an authorization URL; returns the callback URL with code and state. */
  drive(authorizationUrl: string): Promise<URL>;
  close(): Promise<void>;
}

export function rsaSigningJwk(kid: string): Record<string, unknown> {
  const { privateKey } = generateKeyPairSync('rsa', { modulusLength: 2048 });
  return { ...privateKey.export({ format: 'jwk' }), kid, use: 'sig', alg: 'RS256' };
}

function publicHalf(jwk: Record<string, unknown>): Record<string, unknown> {
  const { d: _d, p: _p, q: _q, dp: _dp, dq: _dq, qi: _qi, ...rest } = jwk;
  return rest;
}

export async function startHelseIdStandIn(
  options: {
    idTokenTtlSeconds?: number;
    /** The platform's origin (default https://gp-dep.test): redirect URIs are registered on it. */
    platformUrl?: string;
    claimsIn?: 'id_token' | 'userinfo';
    /** Where logout tokens go (default: the stand-in's own receiver, see `logoutTokens`). */
    backchannelLogoutUri?: string;
  } = {}
): Promise<HelseIdStandIn> {
  const server: Server = createServer();
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const issuer = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  const platform = options.platformUrl ?? 'https://gp-dep.test';
  const clientId = 'gp-dep-helseid-test';
  const redirectUri = `${platform}/api/auth/helseid/callback`;
  const postLogoutRedirectUri = `${platform}/login`;
  const clientPrivateJwk = rsaSigningJwk('client-key-1');
  const providerPrivateJwk = rsaSigningJwk('helseid-key-1');
  const browser = oidcBrowser();

  const state: HelseIdStandIn = {
    issuer,
    clientId,
    clientPrivateJwk,
    providerPrivateJwk,
    redirectUri,
    postLogoutRedirectUri,
    nextLogin: { hprNumber: null, securityLevel: '4' },
    logoutTokens: [],
    browser,
    drive: (url) => {
      // Each login from a fresh browser; its cookies stay for the logout that may follow.
      browser.clear();
      return browser.drive(url, redirectUri);
    },
    close: () => new Promise<void>((resolve) => server.close(() => resolve())),
  };

  const helseIdScopes = {
    'helseid://scopes/identity/pid': [PID_CLAIM],
    'helseid://scopes/identity/security_level': [SECURITY_LEVEL_CLAIM],
    'helseid://scopes/hpr/hpr_number': [HPR_CLAIM],
  };
  const provider = new Provider(issuer, {
    clients: [
      {
        client_id: clientId,
        redirect_uris: [redirectUri],
        post_logout_redirect_uris: [postLogoutRedirectUri],
        grant_types: ['authorization_code'],
        response_types: ['code'],
        token_endpoint_auth_method: 'private_key_jwt',
        token_endpoint_auth_signing_alg: 'RS256',
        jwks: { keys: [publicHalf(clientPrivateJwk)] },
        dpop_bound_access_tokens: true,
        backchannel_logout_uri: options.backchannelLogoutUri ?? `${issuer}/_rp/backchannel-logout`,
        backchannel_logout_session_required: true,
      },
    ],
    pkce: { methods: ['S256'], required: () => true },
    scopes: ['openid', 'profile', ...Object.keys(helseIdScopes)],
    claims: { openid: ['sub'], profile: ['name'], ...helseIdScopes },
    conformIdTokenClaims: options.claimsIn === 'userinfo',
    findAccount: (_ctx, sub) => ({
      accountId: sub,
      claims: () => ({
        sub,
        name: state.nextLogin.name ?? 'Test Lege',
        [PID_CLAIM]: '01017012345',
        [SECURITY_LEVEL_CLAIM]: state.nextLogin.securityLevel,
        ...(state.nextLogin.hprNumber ? { [HPR_CLAIM]: state.nextLogin.hprNumber } : {}),
      }),
    }),
    interactions: { url: (_ctx, interaction) => `/interaction/${interaction.uid}` },
    features: {
      devInteractions: { enabled: false },
      dPoP: { enabled: true, nonceSecret: randomBytes(32), requireNonce: () => true },
      userinfo: { enabled: true },
      rpInitiatedLogout: { enabled: true, logoutSource: autoSubmitLogoutSource },
      backchannelLogout: { enabled: true },
    },
    jwks: { keys: [providerPrivateJwk] },
    cookies: { keys: ['cookie-key-for-tests-only'] },
    ttl: { IdToken: options.idTokenTtlSeconds ?? 3600 },
  });
  provider.use(async (ctx, next) => {
    if (await receivedLogoutToken(ctx, state.logoutTokens)) return;
    if (!ctx.path.startsWith('/interaction/')) return next();
    const details = await provider.interactionDetails(ctx.req, ctx.res);
    const accountId = `hpr-${state.nextLogin.hprNumber ?? 'none'}-${randomBytes(4).toString('hex')}`;
    const grant = new provider.Grant({ accountId, clientId: String(details.params.client_id) });
    grant.addOIDCScope(String(details.params.scope));
    grant.addOIDCClaims(['name', PID_CLAIM, SECURITY_LEVEL_CLAIM, HPR_CLAIM]);
    const grantId = await grant.save();
    const returnTo = await provider.interactionResult(
      ctx.req,
      ctx.res,
      {
        login: { accountId, acr: `Level${state.nextLogin.securityLevel}` },
        consent: { grantId },
      },
      { mergeWithLastSubmission: false }
    );
    ctx.redirect(returnTo);
  });
  server.on('request', provider.callback());
  return state;
}

/**
 * A local stand-in for ID-porten in the tests (issue 16): `oidc-provider` (a certified OpenID
 * Provider implementation) on 127.0.0.1, configured as ID-porten behaves for this platform's
 * client: authorization code flow, PKCE required (S256), `acr_values` with ID-porten's levels, the
 * `pid` claim (the person number) in the ID token, client authentication `client_secret_post`.
 *
 * Like ID-porten it offers RP-initiated logout (end_session_endpoint) and back-channel logout
 * (logout tokens with `sid`, sent to `backchannelLogoutUri`, by default a receiver on the stand-in
 * itself that keeps them in `logoutTokens`).
 *
 * Who "logs in" is set by the test (`nextLogin`): the interaction page answers at once with that
 * person and level, as if they had used BankID. `drive` follows the browser's redirects from the
 * platform's authorization URL to the platform's callback URL, with a cookie jar of its own.
 */
import { generateKeyPairSync } from 'node:crypto';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import Provider from 'oidc-provider';
import {
  autoSubmitLogoutSource,
  oidcBrowser,
  receivedLogoutToken,
  type OidcBrowser,
} from './oidc-browser.js';

export interface IdPortenStandIn {
  issuer: string;
  clientId: string;
  clientSecret: string;
  redirectUri: string;
  postLogoutRedirectUri: string;
  /** Logout tokens the provider sent to the default back-channel receiver. */
  logoutTokens: string[];
  /** The browser the tests drive (its cookies hold the provider's session). */
  browser: OidcBrowser;
  /** The person and level of assurance of the next login. */
  nextLogin: { pid: string; acr: 'idporten-loa-substantial' | 'idporten-loa-high' };
  /** Follows redirects from an authorization URL; returns the callback URL with code and state. */
  drive(authorizationUrl: string): Promise<URL>;
  close(): Promise<void>;
}

export async function startIdPortenStandIn(
  options: {
    idTokenTtlSeconds?: number;
    redirectUri?: string;
    postLogoutRedirectUri?: string;
    backchannelLogoutUri?: string;
  } = {}
): Promise<IdPortenStandIn> {
  const server: Server = createServer();
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const issuer = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  const clientId = 'gp-dep-test';
  const clientSecret = 'a-client-secret-for-tests-only-0123456789';
  const redirectUri = options.redirectUri ?? 'https://gp-dep.test/api/auth/idporten/callback';
  const postLogoutRedirectUri = options.postLogoutRedirectUri ?? new URL('/login', redirectUri).href;
  const browser = oidcBrowser();
  const { privateKey } = generateKeyPairSync('rsa', { modulusLength: 2048 });
  const jwk = { ...privateKey.export({ format: 'jwk' }), kid: 'test-key-1', use: 'sig', alg: 'RS256' };

  const state: IdPortenStandIn = {
    issuer,
    clientId,
    clientSecret,
    redirectUri,
    postLogoutRedirectUri,
    logoutTokens: [],
    browser,
    nextLogin: { pid: '', acr: 'idporten-loa-substantial' },
    drive: (url) => {
      // Each login from a fresh browser; its cookies stay for the logout that may follow.
      browser.clear();
      return browser.drive(url, redirectUri);
    },
    close: () => new Promise<void>((resolve) => server.close(() => resolve())),
  };

  const provider = new Provider(issuer, {
    clients: [
      {
        client_id: clientId,
        client_secret: clientSecret,
        redirect_uris: [redirectUri],
        post_logout_redirect_uris: [postLogoutRedirectUri],
        backchannel_logout_uri: options.backchannelLogoutUri ?? `${issuer}/_rp/backchannel-logout`,
        backchannel_logout_session_required: true,
        grant_types: ['authorization_code'],
        response_types: ['code'],
        token_endpoint_auth_method: 'client_secret_post',
      },
    ],
    pkce: { methods: ['S256'], required: () => true },
    acrValues: ['idporten-loa-substantial', 'idporten-loa-high'],
    claims: { openid: ['sub', 'pid'] },
    // ID-porten puts pid in the ID token itself.
    conformIdTokenClaims: false,
    findAccount: (_ctx, sub) => ({
      accountId: sub,
      claims: () => ({ sub, pid: sub.replace(/^sub-/, '') }),
    }),
    interactions: { url: (_ctx, interaction) => `/interaction/${interaction.uid}` },
    features: {
      devInteractions: { enabled: false },
      rpInitiatedLogout: { enabled: true, logoutSource: autoSubmitLogoutSource },
      backchannelLogout: { enabled: true },
    },
    jwks: { keys: [jwk] },
    cookies: { keys: ['cookie-key-for-tests-only'] },
    ttl: { IdToken: options.idTokenTtlSeconds ?? 3600 },
  });
  provider.use(async (ctx, next) => {
    if (await receivedLogoutToken(ctx, state.logoutTokens)) return;
    if (!ctx.path.startsWith('/interaction/')) return next();
    const details = await provider.interactionDetails(ctx.req, ctx.res);
    const accountId = `sub-${state.nextLogin.pid}`;
    const grant = new provider.Grant({ accountId, clientId: String(details.params.client_id) });
    grant.addOIDCScope('openid');
    grant.addOIDCClaims(['pid']);
    const grantId = await grant.save();
    const returnTo = await provider.interactionResult(
      ctx.req,
      ctx.res,
      { login: { accountId, acr: state.nextLogin.acr }, consent: { grantId } },
      { mergeWithLastSubmission: false }
    );
    ctx.redirect(returnTo);
  });
  server.on('request', provider.callback());

  return state;
}

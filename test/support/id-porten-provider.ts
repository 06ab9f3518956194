/**
 * A local stand-in for ID-porten in the tests (issue 16): `oidc-provider` (a certified OpenID
 * Provider implementation) on 127.0.0.1, configured as ID-porten behaves for this platform's
 * client: authorization code flow, PKCE required (S256), `acr_values` with ID-porten's levels, the
 * `pid` claim (the person number) in the ID token, client authentication `client_secret_post`.
 *
 * Who "logs in" is set by the test (`nextLogin`): the interaction page answers at once with that
 * person and level, as if they had used BankID. `drive` follows the browser's redirects from the
 * platform's authorization URL to the platform's callback URL, with a cookie jar of its own.
 */
import { generateKeyPairSync } from 'node:crypto';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import Provider from 'oidc-provider';

export interface IdPortenStandIn {
  issuer: string;
  clientId: string;
  clientSecret: string;
  redirectUri: string;
  /** The person and level of assurance of the next login. */
  nextLogin: { pid: string; acr: 'idporten-loa-substantial' | 'idporten-loa-high' };
  /** Follows redirects from an authorization URL; returns the callback URL with code and state. */
  drive(authorizationUrl: string): Promise<URL>;
  close(): Promise<void>;
}

export async function startIdPortenStandIn(
  options: { idTokenTtlSeconds?: number; redirectUri?: string } = {}
): Promise<IdPortenStandIn> {
  const server: Server = createServer();
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const issuer = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  const clientId = 'gp-dep-test';
  const clientSecret = 'a-client-secret-for-tests-only-0123456789';
  const redirectUri = options.redirectUri ?? 'https://gp-dep.test/api/auth/idporten/callback';
  const { privateKey } = generateKeyPairSync('rsa', { modulusLength: 2048 });
  const jwk = { ...privateKey.export({ format: 'jwk' }), kid: 'test-key-1', use: 'sig', alg: 'RS256' };

  const state: IdPortenStandIn = {
    issuer,
    clientId,
    clientSecret,
    redirectUri,
    nextLogin: { pid: '', acr: 'idporten-loa-substantial' },
    drive: async () => {
      throw new Error('not started');
    },
    close: async () => undefined,
  };

  const provider = new Provider(issuer, {
    clients: [
      {
        client_id: clientId,
        client_secret: clientSecret,
        redirect_uris: [redirectUri],
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
    features: { devInteractions: { enabled: false } },
    jwks: { keys: [jwk] },
    cookies: { keys: ['cookie-key-for-tests-only'] },
    ttl: { IdToken: options.idTokenTtlSeconds ?? 3600 },
  });
  provider.use(async (ctx, next) => {
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

  state.drive = async (authorizationUrl) => {
    const jar = new Map<string, string>();
    let url = new URL(authorizationUrl);
    for (let hop = 0; hop < 10; hop += 1) {
      if (url.href.startsWith(redirectUri)) return url;
      const res = await fetch(url, {
        redirect: 'manual',
        headers: { cookie: [...jar].map(([k, v]) => `${k}=${v}`).join('; ') },
      });
      for (const line of res.headers.getSetCookie()) {
        const [pair] = line.split(';');
        const at = pair!.indexOf('=');
        jar.set(pair!.slice(0, at), pair!.slice(at + 1));
      }
      const location = res.headers.get('location');
      if (!location)
        throw new Error(`The provider stopped at ${url.href}: ${res.status} ${await res.text()}`);
      url = new URL(location, url);
    }
    throw new Error('Too many redirects');
  };
  state.close = () => new Promise<void>((resolve) => server.close(() => resolve()));
  return state;
}

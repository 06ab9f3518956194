/**
 * The HTTP part ID-porten's and HelseID's routes share (issue 16): what a provider may send back
 * to the redirect URI, the attempt cookie, and the back-channel logout endpoint (OpenID Connect
 * Back-Channel Logout 1.0: a form POST with `logout_token`; 200 when acted on, 400 when the token
 * is refused). `oidcLoginRoutes` registers a provider's three routes: start, callback and
 * back-channel logout. The work is in oidc.ts and the provider's own module.
 */
import type { FastifyInstance, FastifyReply } from 'fastify';
import type { TypeBoxTypeProvider } from '@fastify/type-provider-typebox';
import { Type } from 'typebox';
import type { Role } from '../../domain/access/policy.js';
import { HttpProblem } from '../problem.js';
import { commonErrors } from '../schemas.js';
import { authDeps, type AuthDeps } from './auth.commands.js';
import {
  backchannelLogout,
  LogoutTokenError,
  OIDC_ATTEMPT_COOKIE,
  type OidcClientConfig,
  type OidcProvider,
} from './oidc.js';
import { cookieSameSite, SESSION_COOKIE } from './sessions.js';

const text = Type.String({ maxLength: 2048 });

/** What a provider may send back to the redirect URI (RFC 6749 §4.1.2, RFC 9207 `iss`). */
export const CallbackQuery = Type.Object(
  {
    code: Type.Optional(text),
    state: Type.Optional(text),
    iss: Type.Optional(text),
    error: Type.Optional(text),
    error_description: Type.Optional(text),
    session_state: Type.Optional(text),
  },
  { additionalProperties: false }
);

export const StartQuery = Type.Object(
  { lang: Type.Optional(Type.Union([Type.Literal('nb'), Type.Literal('en')])) },
  { additionalProperties: false }
);

/** The attempt cookie, Lax: it must come back with the provider's top-level redirect. */
export function setAttemptCookie(reply: FastifyReply, cookie: string): void {
  reply.setCookie(OIDC_ATTEMPT_COOKIE, cookie, {
    path: '/',
    httpOnly: true,
    secure: true,
    sameSite: 'lax',
    maxAge: 600,
  });
}

export function clearAttemptCookie(reply: FastifyReply): void {
  reply.clearCookie(OIDC_ATTEMPT_COOKIE, { path: '/', secure: true, httpOnly: true });
}

const LogoutTokenBody = Type.Object(
  { logout_token: Type.String({ minLength: 1, maxLength: 16384 }) },
  { additionalProperties: false }
);

/**
 * POST /api/auth/<provider>/backchannel-logout, called by the provider's server (not a browser),
 * so public and without CSRF token; the logout token's signature is the authentication.
 */
export function backchannelLogoutRoute(
  app: FastifyInstance,
  provider: OidcProvider,
  config: OidcClientConfig | null,
  notConfigured: () => HttpProblem
): void {
  // The provider posts a form (application/x-www-form-urlencoded), in this plugin's routes only.
  app.addContentTypeParser(
    'application/x-www-form-urlencoded',
    { parseAs: 'string', bodyLimit: 32 * 1024 },
    (_request, body, done) => done(null, Object.fromEntries(new URLSearchParams(body as string)))
  );
  app.withTypeProvider<TypeBoxTypeProvider>().post(
    `/api/auth/${provider}/backchannel-logout`,
    {
      config: { access: { public: true } },
      schema: { body: LogoutTokenBody, response: { 200: Type.Null(), ...commonErrors } },
    },
    async (request, reply) => {
      if (!config) throw notConfigured();
      reply.header('cache-control', 'no-store');
      try {
        await backchannelLogout(authDeps(app), provider, config, request.body.logout_token, request.id);
      } catch (error) {
        if (error instanceof LogoutTokenError) throw new HttpProblem(400, 'Bad Request', error.message);
        throw error;
      }
      return reply.code(200).send(null);
    }
  );
}

/**
 * A provider's login routes: `GET /api/auth/<provider>/start` (the attempt cookie and the redirect
 * to the provider), `GET /api/auth/<provider>/callback` (the provider's redirect back: the role's
 * home with a session, or `/login?<provider>=<reason>`), and its back-channel logout. Without
 * configuration all three answer 404.
 */
export function oidcLoginRoutes<Config extends OidcClientConfig>(
  app: FastifyInstance,
  args: {
    provider: OidcProvider;
    /** The provider's name in the 404's words, e.g. 'HelseID'. */
    name: string;
    config: Config | null;
    role: Role;
    home: string;
    start: (deps: AuthDeps, config: Config, locale: 'nb' | 'en') => Promise<{ url: string; cookie: string }>;
    finish: (
      deps: AuthDeps,
      config: Config,
      callback: {
        cookie: string | undefined;
        query: Record<string, string | undefined>;
        requestId: string;
        priorSessionTokenHash: string | null;
      }
    ) => Promise<{ kind: 'ok'; token: string } | { kind: 'refused'; reason: string }>;
  }
): void {
  const { config, provider } = args;
  const notConfigured = () =>
    new HttpProblem(404, 'Not Found', `${args.name} login is not configured on this server.`);
  const typed = app.withTypeProvider<TypeBoxTypeProvider>();

  typed.get(
    `/api/auth/${provider}/start`,
    { config: { access: { public: true } }, schema: { querystring: StartQuery, response: commonErrors } },
    async (request, reply) => {
      if (!config) throw notConfigured();
      const { url, cookie } = await args.start(authDeps(app), config, request.query.lang ?? 'nb');
      setAttemptCookie(reply, cookie);
      return reply.redirect(url, 302);
    }
  );

  typed.get(
    `/api/auth/${provider}/callback`,
    { config: { access: { public: true } }, schema: { querystring: CallbackQuery, response: commonErrors } },
    async (request, reply) => {
      if (!config) throw notConfigured();
      const outcome = await args.finish(authDeps(app), config, {
        cookie: request.cookies[OIDC_ATTEMPT_COOKIE],
        query: request.query,
        requestId: request.id,
        priorSessionTokenHash: request.session?.tokenHash ?? null,
      });
      clearAttemptCookie(reply);
      if (outcome.kind === 'refused') return reply.redirect(`/login?${provider}=${outcome.reason}`, 302);
      reply.setCookie(SESSION_COOKIE, outcome.token, {
        path: '/',
        httpOnly: true,
        secure: true,
        sameSite: cookieSameSite(args.role),
      });
      return reply.redirect(args.home, 302);
    }
  );

  backchannelLogoutRoute(app, provider, config, notConfigured);
}

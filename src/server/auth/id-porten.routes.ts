/**
 * ID-porten login for patients (issue 16), HTTP only: the redirect to the provider with the
 * attempt cookie, and the provider's redirect back, which ends in the patient's home page with a
 * session, or on the login page with the reason (`/login?idporten=<reason>`). The work is in
 * id-porten.ts. Without configuration the routes answer 404 and the login page offers no button.
 */
import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import { Type } from 'typebox';
import { LoginProviders } from '../../contract/auth.js';
import type { PasswordLoginPolicy } from '../../domain/access/password-login.js';
import { HttpProblem } from '../problem.js';
import { commonErrors } from '../schemas.js';
import { authDeps } from './auth.commands.js';
import {
  finishIdPortenLogin,
  OIDC_ATTEMPT_COOKIE,
  startIdPortenLogin,
  type IdPortenConfig,
} from './id-porten.js';
import { cookieSameSite, SESSION_COOKIE } from './sessions.js';

const text = Type.String({ maxLength: 2048 });

/** What a provider may send back to the redirect URI (RFC 6749 §4.1.2, RFC 9207 `iss`). */
const CallbackQuery = Type.Object(
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

const StartQuery = Type.Object(
  { lang: Type.Optional(Type.Union([Type.Literal('nb'), Type.Literal('en')])) },
  { additionalProperties: false }
);

const idPortenRoutes: FastifyPluginAsyncTypebox<{
  idPorten: IdPortenConfig | null;
  passwordLogin: PasswordLoginPolicy;
}> = async (app, options) => {
  const config = options.idPorten;
  const notConfigured = () =>
    new HttpProblem(404, 'Not Found', 'ID-porten login is not configured on this server.');

  app.get(
    '/api/auth/providers',
    { config: { access: { public: true } }, schema: { response: { 200: LoginProviders } } },
    async () => ({ idPorten: config !== null, password: options.passwordLogin })
  );

  app.get(
    '/api/auth/idporten/start',
    { config: { access: { public: true } }, schema: { querystring: StartQuery, response: commonErrors } },
    async (request, reply) => {
      if (!config) throw notConfigured();
      const { url, cookie } = await startIdPortenLogin(authDeps(app), config, request.query.lang ?? 'nb');
      // Lax: the cookie must come back with the provider's top-level redirect.
      reply.setCookie(OIDC_ATTEMPT_COOKIE, cookie, {
        path: '/',
        httpOnly: true,
        secure: true,
        sameSite: 'lax',
        maxAge: 600,
      });
      return reply.redirect(url, 302);
    }
  );

  app.get(
    '/api/auth/idporten/callback',
    { config: { access: { public: true } }, schema: { querystring: CallbackQuery, response: commonErrors } },
    async (request, reply) => {
      if (!config) throw notConfigured();
      const outcome = await finishIdPortenLogin(authDeps(app), config, {
        cookie: request.cookies[OIDC_ATTEMPT_COOKIE],
        query: request.query,
        requestId: request.id,
      });
      reply.clearCookie(OIDC_ATTEMPT_COOKIE, { path: '/', secure: true, httpOnly: true });
      if (outcome.kind === 'refused') return reply.redirect(`/login?idporten=${outcome.reason}`, 302);
      reply.setCookie(SESSION_COOKIE, outcome.token, {
        path: '/',
        httpOnly: true,
        secure: true,
        sameSite: cookieSameSite('patient'),
      });
      return reply.redirect('/patient', 302);
    }
  );
};

export default idPortenRoutes;

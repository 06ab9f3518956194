/**
 * ID-porten login for patients (issue 16), HTTP only: the redirect to the provider with the
 * attempt cookie, and the provider's redirect back, which ends in the patient's home page with a
 * session, or on the login page with the reason (`/login?idporten=<reason>`); and ID-porten's
 * back-channel logout. The work is in id-porten.ts. Without configuration the routes answer 404 and the login page offers no button.
 */
import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
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
import {
  backchannelLogoutRoute,
  CallbackQuery,
  clearAttemptCookie,
  setAttemptCookie,
  StartQuery,
} from './oidc-http.js';
import { cookieSameSite, SESSION_COOKIE } from './sessions.js';

const idPortenRoutes: FastifyPluginAsyncTypebox<{
  idPorten: IdPortenConfig | null;
  /** Whether HelseID login is configured (its routes are helseid.routes.ts). */
  helseId: boolean;
  passwordLogin: PasswordLoginPolicy;
}> = async (app, options) => {
  const config = options.idPorten;
  const notConfigured = () =>
    new HttpProblem(404, 'Not Found', 'ID-porten login is not configured on this server.');

  app.get(
    '/api/auth/providers',
    { config: { access: { public: true } }, schema: { response: { 200: LoginProviders } } },
    async () => ({
      idPorten: config !== null,
      helseId: options.helseId,
      password: options.passwordLogin,
    })
  );

  app.get(
    '/api/auth/idporten/start',
    { config: { access: { public: true } }, schema: { querystring: StartQuery, response: commonErrors } },
    async (request, reply) => {
      if (!config) throw notConfigured();
      const { url, cookie } = await startIdPortenLogin(authDeps(app), config, request.query.lang ?? 'nb');
      setAttemptCookie(reply, cookie);
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
      clearAttemptCookie(reply);
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

  backchannelLogoutRoute(app, 'idporten', config, notConfigured);
};

export default idPortenRoutes;

/**
 * HelseID login for GPs (issue 16), HTTP only: the redirect to the provider with the attempt
 * cookie; the provider's redirect back, which ends in the GP's worklist with a session, or on the
 * login page with the reason (`/login?helseid=<reason>`); and HelseID's back-channel logout. The
 * work is in helseid.ts. Without configuration the routes answer 404 and the login page offers no
 * button.
 */
import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import { HttpProblem } from '../problem.js';
import { commonErrors } from '../schemas.js';
import { authDeps } from './auth.commands.js';
import { finishHelseIdLogin, startHelseIdLogin, type HelseIdConfig } from './helseid.js';
import { OIDC_ATTEMPT_COOKIE } from './oidc.js';
import {
  backchannelLogoutRoute,
  CallbackQuery,
  clearAttemptCookie,
  setAttemptCookie,
  StartQuery,
} from './oidc-http.js';
import { cookieSameSite, SESSION_COOKIE } from './sessions.js';

const helseIdRoutes: FastifyPluginAsyncTypebox<{ helseId: HelseIdConfig | null }> = async (app, options) => {
  const config = options.helseId;
  const notConfigured = () =>
    new HttpProblem(404, 'Not Found', 'HelseID login is not configured on this server.');

  app.get(
    '/api/auth/helseid/start',
    { config: { access: { public: true } }, schema: { querystring: StartQuery, response: commonErrors } },
    async (request, reply) => {
      if (!config) throw notConfigured();
      const { url, cookie } = await startHelseIdLogin(authDeps(app), config, request.query.lang ?? 'nb');
      setAttemptCookie(reply, cookie);
      return reply.redirect(url, 302);
    }
  );

  app.get(
    '/api/auth/helseid/callback',
    { config: { access: { public: true } }, schema: { querystring: CallbackQuery, response: commonErrors } },
    async (request, reply) => {
      if (!config) throw notConfigured();
      const outcome = await finishHelseIdLogin(authDeps(app), config, {
        cookie: request.cookies[OIDC_ATTEMPT_COOKIE],
        query: request.query,
        requestId: request.id,
        priorSessionTokenHash: request.session?.tokenHash ?? null,
      });
      clearAttemptCookie(reply);
      if (outcome.kind === 'refused') return reply.redirect(`/login?helseid=${outcome.reason}`, 302);
      reply.setCookie(SESSION_COOKIE, outcome.token, {
        path: '/',
        httpOnly: true,
        secure: true,
        sameSite: cookieSameSite('gp'),
      });
      return reply.redirect('/gp', 302);
    }
  );

  backchannelLogoutRoute(app, 'helseid', config, notConfigured);
};

export default helseIdRoutes;

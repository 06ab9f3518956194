/**
 * Login, the current session, and logout: HTTP only (cookies, headers, status codes). The work is
 * in auth.commands.ts (login, logout) and auth.queries.ts (who is logged in).
 */
import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import { Type } from 'typebox';
import { LOGIN_PROBLEM, LoginBody, LogoutResponse, SessionResponse } from '../../contract/auth.js';
import type { PasswordLoginPolicy } from '../../domain/access/password-login.js';
import { ROLES } from '../../domain/access/policy.js';
import type { SecondFactorPolicy } from '../../domain/access/second-factor.js';
import { HttpProblem } from '../problem.js';
import { commonErrors } from '../schemas.js';
import { authDeps, lockedOutProblem, login, logout } from './auth.commands.js';
import { currentUser } from './auth.queries.js';
import { providerLogoutUrl, type OidcProviders } from './oidc.js';
import { DEVICE_COOKIE } from './device-cookie.js';
import { setLoginCookies, setPendingLoginCookie } from './login-cookies.js';
import { SESSION_COOKIE } from './sessions.js';

/** Problem types the login page words for the user (defined in src/contract/auth.ts). */
export { LOGIN_PROBLEM };

const authRoutes: FastifyPluginAsyncTypebox<{
  loginRateLimit: number;
  passwordLogin: PasswordLoginPolicy;
  secondFactorPolicy: SecondFactorPolicy;
  /** The providers a session may have come from (logout ends their session too). */
  providers: OidcProviders;
}> = async (app, options) => {
  app.get(
    '/api/auth/session',
    {
      config: { access: { public: true } },
      schema: { response: { 200: SessionResponse } },
    },
    async (request) => {
      // A session means an actor: the access layer sets both, so the data context exists.
      if (!request.session) return { user: null, csrfToken: null };
      return {
        user: await currentUser(request.data),
        csrfToken: request.session.csrfToken,
        ...(request.session.enrolmentRequired ? { enrolmentRequired: true } : {}),
      };
    }
  );

  app.post(
    '/api/auth/login',
    {
      config: {
        access: { public: true },
        // Per-IP limit; the per-account and per-device lockouts below are the second line (R-B8).
        // It counts every login request, successful ones too, and says so.
        rateLimit: {
          max: options.loginRateLimit,
          timeWindow: '1 minute',
          errorResponseBuilder: (_request: unknown, context: { ttl: number }) => {
            const problem = new HttpProblem(
              429,
              'Too Many Requests',
              `Too many login requests from your network address in a short time (every login counts, also successful ones). Try again in ${Math.ceil(context.ttl / 1000)} seconds.`
            );
            problem.type = LOGIN_PROBLEM.ipLimit;
            return problem;
          },
        },
      },
      schema: { body: LoginBody, response: { 200: SessionResponse, ...commonErrors } },
    },
    async (request, reply) => {
      const outcome = await login(authDeps(app), {
        username: request.body.username,
        password: request.body.password,
        deviceCookie: request.cookies[DEVICE_COOKIE],
        priorSessionTokenHash: request.session?.tokenHash ?? null,
        requestId: request.id,
        passwordPolicy: options.passwordLogin,
        secondFactorPolicy: options.secondFactorPolicy,
      });
      if (outcome.kind === 'password_login_off') {
        const problem = new HttpProblem(
          403,
          'Forbidden',
          outcome.role === 'patient'
            ? 'Patients log in with ID-porten here, not with a password.'
            : 'Password login is switched off on this server.'
        );
        problem.type = LOGIN_PROBLEM.passwordLoginOff;
        throw problem;
      }
      if (outcome.kind === 'locked') {
        reply.header('retry-after', String(outcome.retryAfterSeconds));
        throw lockedOutProblem(outcome.lockedOut, outcome.retryAfterSeconds);
      }
      if (outcome.kind === 'failed')
        throw new HttpProblem(401, 'Unauthorized', 'Wrong username or password.');
      if (outcome.kind === 'second_factor') {
        // No session yet: the second factor comes first (second-factor.routes.ts).
        reply.clearCookie(SESSION_COOKIE, { path: '/', secure: true, httpOnly: true });
        setPendingLoginCookie(reply, outcome.pendingCookie);
        return { user: null, csrfToken: null, secondFactor: { methods: outcome.methods } };
      }
      setLoginCookies(reply, outcome);
      return {
        user: outcome.user,
        csrfToken: outcome.csrfToken,
        ...(outcome.enrolmentRequired ? { enrolmentRequired: true } : {}),
      };
    }
  );

  app.post(
    '/api/auth/logout',
    {
      // every role, a user-group member too; also a session that may only enrol a factor
      config: { access: { roles: ROLES }, secondFactorSetup: true },
      schema: { response: { 200: LogoutResponse, 204: Type.Null(), ...commonErrors } },
    },
    async (request, reply) => {
      // A session from ID-porten or HelseID: the browser goes on to end the provider's session.
      const providerUrl = await providerLogoutUrl(
        authDeps(app),
        options.providers,
        request.session!.tokenHash
      );
      await logout(request.data, request.session!.tokenHash);
      reply.clearCookie(SESSION_COOKIE, { path: '/', secure: true, httpOnly: true });
      reply.header('clear-site-data', '"cache", "storage"');
      if (providerUrl) return reply.code(200).send({ providerLogoutUrl: providerUrl });
      return reply.code(204).send(null);
    }
  );
};

export default authRoutes;

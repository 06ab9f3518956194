/**
 * Second factors and step-up, HTTP only (issue 16). The work is in second-factor.ts.
 *
 * - Finishing a password login: public routes that read only the pending login's cookie (no
 *   session exists yet, and the cookie opens nothing else).
 * - A staff user's own factors: list, enrol a TOTP authenticator or a passkey, remove one, new
 *   recovery codes. Adding and removing need a fresh re-authentication (step-up `factor_change`).
 *   These stay open to a session that must enrol first (`secondFactorSetup`).
 * - Step-up: how fresh the session is, and re-authenticating it.
 */
import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import { Type } from 'typebox';
import { SessionResponse } from '../../contract/auth.js';
import {
  FactorAdded,
  FactorIdParams,
  PasskeyRegisterBody,
  ProveBody,
  RecoveryCodes,
  SECOND_FACTOR_PROBLEM,
  SecondFactorList,
  StepUpStatus,
  TotpConfirmBody,
  TotpEnrolment,
  WebAuthnOptions,
} from '../../contract/second-factor.js';
import { STAFF_ROLES } from '../../domain/access/second-factor.js';
import { HttpProblem } from '../problem.js';
import { commonErrors } from '../schemas.js';
import { authDeps, lockedOutProblem } from './auth.commands.js';
import { DEVICE_COOKIE } from './device-cookie.js';
import { clearPendingLoginCookie, setLoginCookies } from './login-cookies.js';
import { PENDING_LOGIN_COOKIE } from './pending-login.js';
import {
  confirmTotp,
  finishSecondFactorLogin,
  listFactors,
  passkeyRegistrationOptions,
  pendingLoginPasskeyOptions,
  registerPasskey,
  removeFactor,
  renewRecoveryCodes,
  startTotpEnrolment,
  stepUp,
  stepUpPasskeyOptions,
  stepUpStatus,
  type SecondFactorConfig,
} from './second-factor.js';

const STAFF = { roles: STAFF_ROLES } as const;
const errors = { ...commonErrors, 409: commonErrors[400] };

function expiredProblem(): HttpProblem {
  const problem = new HttpProblem(
    401,
    'Unauthorized',
    'The login has expired or was not started here. Log in with your password again.'
  );
  problem.type = SECOND_FACTOR_PROBLEM.pendingExpired;
  return problem;
}

function wrongProblem(detail: string): HttpProblem {
  const problem = new HttpProblem(401, 'Unauthorized', detail);
  problem.type = SECOND_FACTOR_PROBLEM.wrongCode;
  return problem;
}

const secondFactorRoutes: FastifyPluginAsyncTypebox<{
  secondFactor: SecondFactorConfig;
  loginRateLimit: number;
}> = async (app, options) => {
  const config = options.secondFactor;
  const rateLimit = { max: options.loginRateLimit, timeWindow: '1 minute' };

  // ---- finishing a password login (the pending login's cookie, no session)

  app.post(
    '/api/auth/second-factor/passkey-options',
    {
      config: { access: { public: true }, rateLimit },
      schema: { response: { 200: WebAuthnOptions, ...commonErrors } },
    },
    async (request) => {
      const options = await pendingLoginPasskeyOptions(
        authDeps(app),
        config,
        request.cookies[PENDING_LOGIN_COOKIE]
      );
      if (!options) throw expiredProblem();
      return options;
    }
  );

  app.post(
    '/api/auth/second-factor',
    {
      config: { access: { public: true }, rateLimit },
      schema: { body: ProveBody, response: { 200: SessionResponse, ...commonErrors } },
    },
    async (request, reply) => {
      const outcome = await finishSecondFactorLogin(authDeps(app), config, {
        cookie: request.cookies[PENDING_LOGIN_COOKIE],
        body: request.body,
        requestId: request.id,
      });
      if (outcome.kind === 'expired') {
        clearPendingLoginCookie(reply);
        throw expiredProblem();
      }
      if (outcome.kind === 'locked') {
        reply.header('retry-after', String(outcome.retryAfterSeconds));
        throw lockedOutProblem(outcome.lockedOut, outcome.retryAfterSeconds);
      }
      if (outcome.kind === 'failed') {
        if (outcome.attemptsLeft === 0) {
          clearPendingLoginCookie(reply);
          throw expiredProblem();
        }
        throw wrongProblem('That code or passkey was not accepted. Try again.');
      }
      clearPendingLoginCookie(reply);
      setLoginCookies(reply, outcome);
      return { user: outcome.user, csrfToken: outcome.csrfToken };
    }
  );

  // ---- the user's own factors

  app.get(
    '/api/auth/factors',
    {
      config: { access: STAFF, secondFactorSetup: true },
      schema: { response: { 200: SecondFactorList, ...commonErrors } },
    },
    async (request) => listFactors(request.data, config)
  );

  app.post(
    '/api/auth/factors/totp',
    {
      config: { access: { ...STAFF, stepUp: 'factor_change' }, secondFactorSetup: true },
      schema: { response: { 200: TotpEnrolment, ...commonErrors } },
    },
    async (request) => startTotpEnrolment(request.data, app.secrets, config)
  );

  app.post(
    '/api/auth/factors/totp/:factorId/confirm',
    {
      config: { access: STAFF, secondFactorSetup: true },
      schema: { params: FactorIdParams, body: TotpConfirmBody, response: { 200: FactorAdded, ...errors } },
    },
    async (request) =>
      confirmTotp(request.data, app.secrets, {
        factorId: request.params.factorId,
        code: request.body.code,
        label: request.body.label,
      })
  );

  app.post(
    '/api/auth/factors/passkeys/options',
    {
      config: { access: { ...STAFF, stepUp: 'factor_change' }, secondFactorSetup: true },
      schema: { response: { 200: WebAuthnOptions, ...commonErrors } },
    },
    async (request) => passkeyRegistrationOptions(request.data, config, request.session!.tokenHash)
  );

  app.post(
    '/api/auth/factors/passkeys',
    {
      config: { access: STAFF, secondFactorSetup: true },
      schema: { body: PasskeyRegisterBody, response: { 200: FactorAdded, ...errors } },
    },
    async (request) =>
      registerPasskey(request.data, config, {
        sessionTokenHash: request.session!.tokenHash,
        label: request.body.label,
        response: request.body.response,
      })
  );

  app.delete(
    '/api/auth/factors/:factorId',
    {
      config: { access: { ...STAFF, stepUp: 'factor_change' } },
      schema: { params: FactorIdParams, response: { 204: Type.Null(), ...errors } },
    },
    async (request, reply) => {
      await removeFactor(request.data, config, request.params.factorId);
      return reply.code(204).send(null);
    }
  );

  app.post(
    '/api/auth/recovery-codes',
    {
      config: { access: { ...STAFF, stepUp: 'factor_change' } },
      schema: { response: { 200: RecoveryCodes, ...errors } },
    },
    async (request) => ({ recoveryCodes: await renewRecoveryCodes(request.data) })
  );

  // ---- step-up

  app.get(
    '/api/auth/step-up',
    {
      config: { access: STAFF, secondFactorSetup: true },
      schema: { response: { 200: StepUpStatus, ...commonErrors } },
    },
    async (request) => stepUpStatus(request.data, request.session!.authenticatedAt)
  );

  app.post(
    '/api/auth/step-up/passkey-options',
    {
      config: { access: STAFF, secondFactorSetup: true },
      schema: { response: { 200: WebAuthnOptions, ...commonErrors } },
    },
    async (request) => stepUpPasskeyOptions(request.data, config, request.session!.tokenHash)
  );

  app.post(
    '/api/auth/step-up',
    {
      config: { access: STAFF, secondFactorSetup: true, rateLimit },
      schema: { body: ProveBody, response: { 200: StepUpStatus, ...commonErrors } },
    },
    async (request, reply) => {
      const outcome = await stepUp(request.data, app.secrets, config, {
        sessionTokenHash: request.session!.tokenHash,
        body: request.body,
        deviceCookie: request.cookies[DEVICE_COOKIE],
      });
      if (outcome.kind === 'locked') {
        reply.header('retry-after', String(outcome.retryAfterSeconds));
        throw lockedOutProblem(outcome.lockedOut, outcome.retryAfterSeconds);
      }
      // 403, not 401: the session is still good; only this proof was wrong.
      if (outcome.kind === 'failed') {
        const problem = new HttpProblem(403, 'Forbidden', 'That was not accepted. Try again.');
        problem.type = SECOND_FACTOR_PROBLEM.wrongCode;
        throw problem;
      }
      return { freshUntil: outcome.freshUntil, methods: outcome.methods };
    }
  );
};

export default secondFactorRoutes;

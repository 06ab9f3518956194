/**
 * Recommending the program, in one step, recorded: the GP picks a guidance level, sees the
 * suitability check, and gets an invitation for the patient; the follow-up plan is created at
 * once. Then the patient redeems the invitation at home and sets their own password.
 * HTTP only: recommendation.queries.ts / recommendation.commands.ts and invitation.commands.ts.
 */
import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import { PatientIdParams } from '../../contract/common.js';
import {
  Invitation,
  InvitationRedeemed,
  Recommendation,
  RecommendationBody,
  RedeemInvitationBody,
  Suitability,
} from '../../contract/followup.js';
import { LISTED_GP } from '../access/rules.js';
import { cookieSameSite, SESSION_COOKIE } from '../auth/sessions.js';
import { commonErrors } from '../schemas.js';
import {
  issueInvitation,
  publicDeps,
  redeemInvitation,
  startAccountRecovery,
} from './invitation.commands.js';
import { recommendProgram } from './recommendation.commands.js';
import { suitabilityCheck } from './recommendation.queries.js';

const recommendationRoutes: FastifyPluginAsyncTypebox<{ loginRateLimit: number }> = async (app, options) => {
  app.get(
    '/api/patients/:patientId/recommendation/check',
    {
      config: { access: LISTED_GP },
      schema: { params: PatientIdParams, response: { 200: Suitability, ...commonErrors } },
    },
    async (request) => suitabilityCheck(request.data, request.params.patientId)
  );

  app.post(
    '/api/patients/:patientId/recommendation',
    {
      config: { access: LISTED_GP },
      schema: {
        params: PatientIdParams,
        body: RecommendationBody,
        response: { 201: Recommendation, 409: commonErrors[400], ...commonErrors },
      },
    },
    async (request, reply) => {
      const recommendation = await recommendProgram(
        request.data,
        request.params.patientId,
        request.body,
        app.secrets.csrfKey
      );
      reply.code(201);
      return recommendation;
    }
  );

  app.post(
    '/api/patients/:patientId/invitations',
    {
      config: { access: LISTED_GP },
      schema: {
        params: PatientIdParams,
        response: { 201: Invitation, 409: commonErrors[400], ...commonErrors },
      },
    },
    async (request, reply) => {
      const invitation = await issueInvitation(request.data, request.params.patientId, app.secrets.csrfKey);
      reply.code(201);
      return invitation;
    }
  );

  app.post(
    '/api/patients/:patientId/account-recovery',
    {
      config: { access: LISTED_GP },
      schema: {
        params: PatientIdParams,
        response: { 201: Invitation, 409: commonErrors[400], ...commonErrors },
      },
    },
    async (request, reply) => {
      const invitation = await startAccountRecovery(
        request.data,
        request.params.patientId,
        app.secrets.csrfKey
      );
      reply.code(201);
      return invitation;
    }
  );

  app.post(
    '/api/invitations/redeem',
    {
      config: {
        access: { public: true },
        rateLimit: { max: options.loginRateLimit, timeWindow: '1 minute' },
      },
      schema: {
        body: RedeemInvitationBody,
        response: { 200: InvitationRedeemed, 409: commonErrors[400], ...commonErrors },
      },
    },
    async (request, reply) => {
      const { username, csrfToken, token } = await redeemInvitation(publicDeps(app), {
        ...request.body,
        requestId: request.id,
      });
      reply.setCookie(SESSION_COOKIE, token, {
        path: '/',
        httpOnly: true,
        secure: true,
        sameSite: cookieSameSite('patient'),
      });
      return { username, csrfToken };
    }
  );
};

export default recommendationRoutes;

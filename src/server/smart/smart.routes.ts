/**
 * Launching from the GP's record system and writing the note back (issue 16), HTTP only: the work
 * is in epj-launch.ts and record-writeback.ts. Without SMART_EPJS configured the launch routes
 * answer 404; the card then simply offers copying, as before.
 */
import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import { PatientFollowUpParams } from '../../contract/followup.js';
import { PatientIdParams } from '../../contract/common.js';
import { EpjLaunchQuery, NoteSentToRecord, RecordConnection } from '../../contract/smart.js';
import { TREATING_GP } from '../access/rules.js';
import { authDeps } from '../auth/auth.commands.js';
import { OIDC_ATTEMPT_COOKIE } from '../auth/oidc.js';
import { CallbackQuery, clearAttemptCookie, setAttemptCookie } from '../auth/oidc-http.js';
import { cookieSameSite, SESSION_COOKIE } from '../auth/sessions.js';
import { HttpProblem } from '../problem.js';
import { commonErrors } from '../schemas.js';
import { finishEpjLaunch, startEpjLaunch, type SmartLaunchConfig } from './epj-launch.js';
import { recordConnection, sendNoteToRecord } from './record-writeback.js';

const smartRoutes: FastifyPluginAsyncTypebox<{ smart: SmartLaunchConfig | null }> = async (app, options) => {
  const config = options.smart;
  const notConfigured = () =>
    new HttpProblem(
      404,
      'Not Found',
      'Launching from a record system (SMART) is not configured on this server.'
    );

  app.get(
    '/api/smart/launch',
    { config: { access: { public: true } }, schema: { querystring: EpjLaunchQuery, response: commonErrors } },
    async (request, reply) => {
      if (!config) throw notConfigured();
      const start = await startEpjLaunch(authDeps(app), config, { ...request.query, requestId: request.id });
      if (start.kind === 'refused') return reply.redirect(`/login?epj=${start.reason}`, 302);
      setAttemptCookie(reply, start.cookie);
      return reply.redirect(start.url, 302);
    }
  );

  app.get(
    '/api/smart/callback',
    {
      config: { access: { public: true } },
      schema: { querystring: CallbackQuery, response: commonErrors },
    },
    async (request, reply) => {
      if (!config) throw notConfigured();
      const outcome = await finishEpjLaunch(authDeps(app), config, {
        cookie: request.cookies[OIDC_ATTEMPT_COOKIE],
        query: request.query,
        requestId: request.id,
        priorSessionTokenHash: request.session?.tokenHash ?? null,
      });
      clearAttemptCookie(reply);
      if (outcome.kind === 'refused') return reply.redirect(`/login?epj=${outcome.reason}`, 302);
      reply.setCookie(SESSION_COOKIE, outcome.token, {
        path: '/',
        httpOnly: true,
        secure: true,
        sameSite: cookieSameSite('gp'),
      });
      return reply.redirect(outcome.openAt, 302);
    }
  );

  app.get(
    '/api/patients/:patientId/record-connection',
    {
      config: { access: TREATING_GP },
      schema: { params: PatientIdParams, response: { 200: RecordConnection, ...commonErrors } },
    },
    async (request) => recordConnection(request.data, request.session!.tokenHash, request.params.patientId)
  );

  app.post(
    '/api/patients/:patientId/follow-ups/:followUpId/note/record',
    {
      config: { access: TREATING_GP },
      schema: {
        params: PatientFollowUpParams,
        response: { 201: NoteSentToRecord, 409: commonErrors[400], 502: commonErrors[400], ...commonErrors },
      },
    },
    async (request, reply) => {
      const sent = await sendNoteToRecord(
        request.data,
        { token: request.cookies[SESSION_COOKIE]!, tokenHash: request.session!.tokenHash },
        request.params.patientId,
        request.params.followUpId,
        { fetch: config?.fetch }
      );
      reply.code(201);
      return sent;
    }
  );
};

export default smartRoutes;

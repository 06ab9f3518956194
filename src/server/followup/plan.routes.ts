/**
 * The follow-up plan: list, add, move, cancel and hand a talk to a colleague, and the plan as
 * an iCalendar file. HTTP only: the reads are in plan.queries.ts, the changes in plan.commands.ts.
 */
import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import { PatientIdParams } from '../../contract/common.js';
import {
  FollowUpChangeBody,
  FollowUpList,
  LangQuery,
  NewFollowUpBody,
  PatientFollowUpParams,
} from '../../contract/followup.js';
import { PATIENT_OR_TREATING_GP, TREATING_GP } from '../access/rules.js';
import { commonErrors } from '../schemas.js';
import { addFollowUp, changeFollowUp } from './plan.commands.js';
import { followUpCalendar, listFollowUps } from './plan.queries.js';

const followUpPlanRoutes: FastifyPluginAsyncTypebox = async (app) => {
  app.get(
    '/api/patients/:patientId/follow-ups',
    {
      config: { access: PATIENT_OR_TREATING_GP },
      schema: { params: PatientIdParams, response: { 200: FollowUpList, ...commonErrors } },
    },
    async (request) => ({ items: await listFollowUps(request.data, request.params.patientId) })
  );

  app.post(
    '/api/patients/:patientId/follow-ups',
    {
      config: { access: TREATING_GP },
      schema: {
        params: PatientIdParams,
        body: NewFollowUpBody,
        response: { 201: FollowUpList, ...commonErrors },
      },
    },
    async (request, reply) => {
      const items = await addFollowUp(request.data, request.params.patientId, request.body);
      reply.code(201);
      return { items };
    }
  );

  app.patch(
    '/api/patients/:patientId/follow-ups/:followUpId',
    {
      config: { access: TREATING_GP },
      schema: {
        params: PatientFollowUpParams,
        body: FollowUpChangeBody,
        response: { 200: FollowUpList, ...commonErrors },
      },
    },
    async (request) => {
      const { patientId, followUpId } = request.params;
      return { items: await changeFollowUp(request.data, patientId, followUpId, request.body) };
    }
  );

  app.get(
    '/api/patients/:patientId/follow-ups.ics',
    {
      config: { access: PATIENT_OR_TREATING_GP },
      schema: { params: PatientIdParams, querystring: LangQuery },
    },
    async (request, reply) => {
      const ics = await followUpCalendar(request.data, request.params.patientId, request.query.lang ?? 'nb');
      return reply
        .type('text/calendar; charset=utf-8')
        .header('content-disposition', 'attachment; filename="oppfolging.ics"')
        .send(ics);
    }
  );
};

export default followUpPlanRoutes;

/**
 * The GP's absences, with a covering colleague (or the whole practice): while an absence lasts
 * the colleague has access to the absent GP's patients, and none after (absences.commands.ts).
 */
import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import { Type } from 'typebox';
import { Absence, AbsenceList, AbsenceParams, NewAbsenceBody } from '../../contract/gp.js';
import { commonErrors } from '../schemas.js';
import { endAbsence, planAbsence } from './absences.commands.js';
import { listAbsences } from './absences.queries.js';
import { GP_ONLY } from './responsible-patients.js';

const absenceRoutes: FastifyPluginAsyncTypebox = async (app) => {
  app.get(
    '/api/gp/absences',
    {
      config: { access: GP_ONLY },
      schema: { response: { 200: AbsenceList, ...commonErrors } },
    },
    async (request) => listAbsences(request.data)
  );

  app.post(
    '/api/gp/absences',
    {
      config: { access: GP_ONLY },
      schema: { body: NewAbsenceBody, response: { 201: Absence, ...commonErrors } },
    },
    async (request, reply) => {
      const created = await planAbsence(request.data, request.body);
      reply.code(201);
      return created;
    }
  );

  app.post(
    '/api/gp/absences/:absenceId/end',
    {
      config: { access: GP_ONLY },
      schema: { params: AbsenceParams, response: { 204: Type.Null(), ...commonErrors } },
    },
    async (request, reply) => {
      await endAbsence(request.data, request.params.absenceId);
      return reply.code(204).send(null);
    }
  );
};

export default absenceRoutes;

/**
 * Treat-to-target decisions at the weeks the plan asks for one. HTTP only: decisions.commands.ts
 * records them.
 */
import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import { PatientIdParams } from '../../contract/common.js';
import { DecisionBody, DecisionRecorded } from '../../contract/followup.js';
import { TREATING_GP } from '../access/rules.js';
import { commonErrors } from '../schemas.js';
import { recordDecision } from './decisions.commands.js';

const decisionRoutes: FastifyPluginAsyncTypebox = async (app) => {
  app.post(
    '/api/patients/:patientId/decisions',
    {
      config: { access: TREATING_GP },
      schema: {
        params: PatientIdParams,
        body: DecisionBody,
        response: { 201: DecisionRecorded, ...commonErrors },
      },
    },
    async (request, reply) => {
      const decision = await recordDecision(request.data, request.params.patientId, request.body);
      reply.code(201);
      return decision;
    }
  );
};

export default decisionRoutes;

/**
 * The one-screen card for a 20-minute follow-up: the agenda, alerts, the change since last time,
 * the module's digest and suggested questions, and the decisions due. HTTP only: card.queries.ts
 * puts it together.
 */
import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import { FollowUpCard, LangQuery, PatientFollowUpParams } from '../../contract/followup.js';
import { TREATING_GP } from '../access/rules.js';
import { commonErrors } from '../schemas.js';
import { loadCard } from './card.queries.js';

const cardRoutes: FastifyPluginAsyncTypebox = async (app) => {
  app.get(
    '/api/patients/:patientId/follow-ups/:followUpId/card',
    {
      config: { access: TREATING_GP },
      schema: {
        params: PatientFollowUpParams,
        querystring: LangQuery,
        response: { 200: FollowUpCard, ...commonErrors },
      },
    },
    async (request) =>
      loadCard(request.data, request.params.patientId, request.params.followUpId, request.query.lang ?? 'nb')
  );
};

export default cardRoutes;

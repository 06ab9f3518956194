/**
 * The patient's agenda before a talk: what they want to bring up, read by the GP on the card.
 * HTTP only: agenda.commands.ts saves it, agenda.queries.ts reads it.
 */
import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import { Agenda, AgendaBody, PatientFollowUpParams, SavedAgenda } from '../../contract/followup.js';
import { PATIENT_OR_TREATING_GP, PATIENT_SELF } from '../access/rules.js';
import { commonErrors } from '../schemas.js';
import { saveAgenda } from './agenda.commands.js';
import { readAgenda } from './agenda.queries.js';

const agendaRoutes: FastifyPluginAsyncTypebox = async (app) => {
  app.put(
    '/api/patients/:patientId/follow-ups/:followUpId/agenda',
    {
      config: { access: PATIENT_SELF },
      schema: {
        params: PatientFollowUpParams,
        body: AgendaBody,
        response: { 200: SavedAgenda, ...commonErrors },
      },
    },
    async (request) =>
      saveAgenda(request.data, request.params.patientId, request.params.followUpId, request.body)
  );

  app.get(
    '/api/patients/:patientId/follow-ups/:followUpId/agenda',
    {
      config: { access: PATIENT_OR_TREATING_GP },
      schema: { params: PatientFollowUpParams, response: { 200: Agenda, ...commonErrors } },
    },
    async (request) => readAgenda(request.data, request.params.patientId, request.params.followUpId)
  );
};

export default agendaRoutes;

/**
 * The patient's messages to the GP (the free-text note with a questionnaire), HTTP only: listed
 * for the treating GP with the unread ones first (patient-messages.queries.ts), and marked read
 * only by a GP's explicit act (patient-messages.commands.ts).
 */
import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import { PatientIdParams } from '../../contract/common.js';
import { PatientMessage, PatientMessageList, PatientMessageParams } from '../../contract/patients.js';
import { TREATING_GP } from '../access/rules.js';
import { commonErrors } from '../schemas.js';
import { markMessageRead } from './patient-messages.commands.js';
import { listPatientMessages } from './patient-messages.queries.js';

const patientMessageRoutes: FastifyPluginAsyncTypebox = async (app) => {
  app.get(
    '/api/patients/:patientId/patient-messages',
    {
      config: { access: TREATING_GP },
      schema: { params: PatientIdParams, response: { 200: PatientMessageList, ...commonErrors } },
    },
    async (request) => listPatientMessages(request.data, request.params.patientId)
  );

  app.post(
    '/api/patients/:patientId/patient-messages/:responseId/read',
    {
      config: { access: TREATING_GP },
      schema: { params: PatientMessageParams, response: { 200: PatientMessage, ...commonErrors } },
    },
    async (request) => markMessageRead(request.data, request.params.patientId, request.params.responseId)
  );
};

export default patientMessageRoutes;

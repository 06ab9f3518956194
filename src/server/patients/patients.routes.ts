/**
 * A patient's summary and the log of who has looked at their data, HTTP only (the reads are in
 * patients.queries.ts). (Questionnaires: questionnaires.routes.ts; the program: program.routes.ts;
 * urgent cases: server/urgent.) Access (self, or the GP with the patient on their list) is decided
 * by the access layer before these handlers run.
 */
import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import { AccessLog, PatientSummary } from '../../contract/patients.js';
import { PATIENT_OR_TREATING_GP, PATIENT_SELF } from '../access/rules.js';
import { commonErrors, PatientIdParams } from '../schemas.js';
import { accessLog, patientSummary } from './patients.queries.js';

const patientRoutes: FastifyPluginAsyncTypebox = async (app) => {
  app.get(
    '/api/patients/:patientId',
    {
      config: { access: PATIENT_OR_TREATING_GP },
      schema: { params: PatientIdParams, response: { 200: PatientSummary, ...commonErrors } },
    },
    async (request) => patientSummary(request.data, request.params.patientId)
  );

  app.get(
    '/api/patients/:patientId/access-log',
    {
      config: { access: PATIENT_SELF },
      schema: { params: PatientIdParams, response: { 200: AccessLog, ...commonErrors } },
    },
    async (request) => accessLog(request.data, request.params.patientId)
  );
};

export default patientRoutes;

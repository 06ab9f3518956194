/**
 * Urgent cases for the GP: the patient's open case (with every answer in it, its deadline, whether
 * it escalated, and whom the notifications reached), closing it with what was done, and the
 * practice's open cases with their age. Access: the treating GP (list, cover, or the practice once
 * the case is escalated to it), decided in the access layer. Reads in urgent.queries.ts, closing
 * in urgent.commands.ts.
 */
import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import { PatientIdParams } from '../../contract/common.js';
import {
  CloseUrgentCaseBody,
  PatientUrgentCases,
  PracticeUrgentCases,
  UrgentCase,
  UrgentCaseParams,
} from '../../contract/urgent.js';
import { loadPatientAccessFacts } from '../access/access.plugin.js';
import { TREATING_GP } from '../access/rules.js';
import { commonErrors } from '../schemas.js';
import { closeCaseWithRecord } from './urgent.commands.js';
import { patientUrgentCases, practiceUrgentCases } from './urgent.queries.js';

const urgentRoutes: FastifyPluginAsyncTypebox = async (app) => {
  app.get(
    '/api/patients/:patientId/urgent-cases',
    {
      config: { access: TREATING_GP },
      schema: { params: PatientIdParams, response: { 200: PatientUrgentCases, ...commonErrors } },
    },
    async (request) => patientUrgentCases(request.data, request.params.patientId)
  );

  app.post(
    '/api/patients/:patientId/urgent-cases/:caseId/close',
    {
      config: { access: TREATING_GP },
      schema: {
        params: UrgentCaseParams,
        body: CloseUrgentCaseBody,
        response: { 200: UrgentCase, 409: commonErrors[400], ...commonErrors },
      },
    },
    async (request) => closeCaseWithRecord(request.data, { ...request.params, body: request.body })
  );

  app.get(
    '/api/gp/urgent-cases',
    {
      config: { access: { roles: ['gp'] } },
      schema: { response: { 200: PracticeUrgentCases, ...commonErrors } },
    },
    // Whether this GP may see each case's patient is decided as the access layer decides it.
    async (request) =>
      practiceUrgentCases(request.data, (patientId) => loadPatientAccessFacts(app, patientId))
  );
};

export default urgentRoutes;

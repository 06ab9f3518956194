/**
 * Outcomes (issue 17), HTTP only: one patient's outcome (the patient themself and a treating GP),
 * the dashboards (a GP's own and the platform's, the practice's, the researcher's platform view;
 * who sees what: domain/access/outcome-dashboards.ts) and the patient's education answer (the
 * patient only). outcomes.queries.ts and education.commands.ts do the work.
 */
import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import { PatientIdParams } from '../../contract/common.js';
import {
  EducationAnswer,
  EducationStatus,
  GpOutcomes,
  PatientOutcome,
  PlatformOutcomes,
  PracticeOutcomes,
} from '../../contract/outcomes.js';
import { PATIENT_OR_TREATING_GP, PATIENT_SELF, RESEARCHER } from '../access/rules.js';
import { GP_ONLY } from '../gp/responsible-patients.js';
import { commonErrors } from '../schemas.js';
import { answerEducation, deleteEducation, loadEducation } from './education.commands.js';
import { gpOutcomes, loadPatientOutcome, platformOutcomes, practiceOutcomes } from './outcomes.queries.js';

const outcomesRoutes: FastifyPluginAsyncTypebox = async (app) => {
  app.get(
    '/api/patients/:patientId/outcome',
    {
      config: { access: PATIENT_OR_TREATING_GP },
      schema: { params: PatientIdParams, response: { 200: PatientOutcome, ...commonErrors } },
    },
    async (request) => loadPatientOutcome(request.data, request.params.patientId)
  );

  app.get(
    '/api/gp/outcomes',
    { config: { access: GP_ONLY }, schema: { response: { 200: GpOutcomes, ...commonErrors } } },
    async (request) => gpOutcomes(request.data)
  );

  app.get(
    '/api/gp/practice/outcomes',
    { config: { access: GP_ONLY }, schema: { response: { 200: PracticeOutcomes, ...commonErrors } } },
    async (request) => practiceOutcomes(request.data)
  );

  app.get(
    '/api/research/outcomes',
    { config: { access: RESEARCHER }, schema: { response: { 200: PlatformOutcomes, ...commonErrors } } },
    async (request) => platformOutcomes(request.data)
  );

  app.get(
    '/api/patients/:patientId/education',
    {
      config: { access: PATIENT_SELF },
      schema: { params: PatientIdParams, response: { 200: EducationStatus, ...commonErrors } },
    },
    async (request) => loadEducation(request.data, request.params.patientId)
  );

  app.put(
    '/api/patients/:patientId/education',
    {
      config: { access: PATIENT_SELF },
      schema: {
        params: PatientIdParams,
        body: EducationAnswer,
        response: { 200: EducationStatus, ...commonErrors },
      },
    },
    async (request) => answerEducation(request.data, request.params.patientId, request.body)
  );

  app.delete(
    '/api/patients/:patientId/education',
    {
      config: { access: PATIENT_SELF },
      schema: { params: PatientIdParams, response: { 200: EducationStatus, ...commonErrors } },
    },
    async (request) => deleteEducation(request.data, request.params.patientId)
  );
};

export default outcomesRoutes;

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
import { LangQuery } from '../../contract/followup.js';
import { patientEverythingHtml } from '../fhir/fhir.queries.js';
import { FHIR_PREFIX } from '../fhir/fhir.routes.js';
import { accessLog, patientSummary } from './patients.queries.js';

/**
 * The readable copy holds no script and loads nothing (default-src 'none'); it can be read, saved
 * and printed. (No `sandbox`: it would also stop the accessibility check that tests the page.)
 */
const SUMMARY_CSP =
  "default-src 'none'; style-src 'unsafe-inline'; frame-ancestors 'none'; base-uri 'none'; form-action 'none'";

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

  // Everything about the patient, readable (GDPR art. 15); the FHIR Bundle of the same is
  // `/fhir/R4/Patient/<id>/$everything`. The patient's own download only.
  app.get(
    '/api/patients/:patientId/export.html',
    {
      config: { access: PATIENT_SELF },
      schema: { params: PatientIdParams, querystring: LangQuery },
    },
    async (request, reply) => {
      const html = await patientEverythingHtml(
        request.data,
        request.params.patientId,
        `${request.protocol}://${request.host}${FHIR_PREFIX}`,
        request.query.lang ?? 'nb'
      );
      return reply
        .type('text/html; charset=utf-8')
        .header('content-security-policy', SUMMARY_CSP)
        .header('cache-control', 'no-store')
        .send(html);
    }
  );
};

export default patientRoutes;

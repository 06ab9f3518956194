/**
 * The FHIR R4 API at `/fhir/R4` (issue 16): `metadata`, read and search for the resources of the
 * capability table (domain/fhir/capability.ts), and `Patient/<id>/$everything`. HTTP only: the
 * reads and searches are in fhir.queries.ts. Answers are `application/fhir+json`; every error is an
 * OperationOutcome (problem.ts sendProblem answers so under /fhir), one issue per bad field.
 *
 * Login is the platform session for now; the access rules and the audit are those of the rest of
 * the API (fhir-access.ts). Read only: nothing here changes data, so no CSRF token is involved.
 */
import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import type { FastifyError, FastifyRequest } from 'fastify';
import { PatientIdParams } from '../../contract/common.js';
import { FHIR_SEARCH_QUERIES, FhirIdParams, FhirResource } from '../../contract/fhir.js';
import type { RouteAccess } from '../../domain/access/policy.js';
import {
  capabilityStatement,
  FHIR_RESOURCES,
  type ResourceCapability,
} from '../../domain/fhir/capability.js';
import { PATIENT_OR_TREATING_GP } from '../access/rules.js';
import type { DataContext } from '../access/data-context.js';
import { HttpProblem, sendProblem, toProblem } from '../problem.js';
import * as q from './fhir.queries.js';

export const FHIR_PREFIX = '/fhir/R4';
const FHIR_JSON = 'application/fhir+json; charset=utf-8';
const SERVER_STARTED = new Date().toISOString();

const responses = { 200: FhirResource, '4xx': FhirResource, '5xx': FhirResource };

function baseUrl(request: FastifyRequest): string {
  return `${request.protocol}://${request.host}${FHIR_PREFIX}`;
}

function searchRequest(request: FastifyRequest): q.SearchRequest {
  const url = new URL(request.url, 'http://local');
  return {
    baseUrl: baseUrl(request),
    query: [...url.searchParams.entries()],
    params: request.query as q.SearchRequest['params'],
  };
}

/** Any FHIR resource (the response schema asks for its resourceType). */
type Resource = { resourceType: string; id?: string };

type Reads = Record<
  ResourceCapability['type'],
  | {
      access: RouteAccess;
      read?: (ctx: DataContext, id: string) => Promise<Resource>;
      search: (ctx: DataContext, request: q.SearchRequest) => Promise<Resource>;
    }
  | { public: true; read: (id: string) => Resource; search: (request: q.SearchRequest) => Resource }
>;

const PATIENT_OR_GP = { roles: ['patient', 'gp'] } as const satisfies RouteAccess;

/** Who may use each resource's routes, and the query functions behind them. */
const READS: Reads = {
  // Patient's read is a `:patientId` route below: the access layer itself checks the relation.
  Patient: { access: PATIENT_OR_GP, search: q.searchPatients },
  Practitioner: { access: PATIENT_OR_GP, read: q.readPractitioner, search: q.searchPractitioners },
  Questionnaire: { public: true, read: q.readQuestionnaire, search: q.searchQuestionnaires },
  QuestionnaireResponse: {
    access: PATIENT_OR_GP,
    read: q.readQuestionnaireResponse,
    search: q.searchQuestionnaireResponses,
  },
  Observation: { access: PATIENT_OR_GP, read: q.readObservation, search: q.searchObservations },
  CarePlan: { access: PATIENT_OR_GP, read: q.readCarePlan, search: q.searchCarePlans },
  Appointment: { access: PATIENT_OR_GP, read: q.readAppointment, search: q.searchAppointments },
  DocumentReference: {
    access: PATIENT_OR_GP,
    read: q.readDocumentReference,
    search: q.searchDocumentReferences,
  },
  Flag: { access: PATIENT_OR_GP, read: q.readFlag, search: q.searchFlags },
  // The patient's own access log; a GP reads the patient's log nowhere.
  AuditEvent: { access: { roles: ['patient'] }, read: q.readAuditEvent, search: q.searchAuditEvents },
};

const fhirRoutes: FastifyPluginAsyncTypebox = async (app) => {
  app.setErrorHandler((error: FastifyError, request, reply) => {
    const problem = toProblem(error);
    if (problem.statusCode >= 500) {
      request.log.error(
        { err: { message: error.message, stack: error.stack, code: error.code } },
        'FHIR request failed'
      );
    }
    return sendProblem(reply, request, problem); // an OperationOutcome under /fhir (problem.ts)
  });
  app.setNotFoundHandler((request, reply) =>
    sendProblem(
      reply,
      request,
      new HttpProblem(404, 'Not Found', 'This server has no such FHIR resource type or operation.')
    )
  );
  app.addHook('onSend', async (_request, reply, payload) => {
    const type = reply.getHeader('content-type');
    if (typeof type === 'string' && type.startsWith('application/json')) reply.type(FHIR_JSON);
    return payload;
  });

  app.get(
    '/metadata',
    { config: { access: { public: true } }, schema: { response: responses } },
    async (request) =>
      capabilityStatement({ baseUrl: baseUrl(request), version: '0.1.0', date: SERVER_STARTED })
  );

  app.get(
    '/Patient/:patientId',
    { config: { access: PATIENT_OR_TREATING_GP }, schema: { params: PatientIdParams, response: responses } },
    async (request) => q.readPatient(request.data, request.params.patientId)
  );
  app.get(
    '/Patient/:patientId/$everything',
    { config: { access: PATIENT_OR_TREATING_GP }, schema: { params: PatientIdParams, response: responses } },
    async (request) => q.patientEverything(request.data, request.params.patientId, baseUrl(request))
  );

  for (const capability of FHIR_RESOURCES) {
    const reads = READS[capability.type];
    const querystring = FHIR_SEARCH_QUERIES[capability.type];
    if ('public' in reads) {
      app.get(
        `/${capability.type}`,
        { config: { access: { public: true } }, schema: { querystring, response: responses } },
        async (request) => reads.search(searchRequest(request))
      );
      app.get(
        `/${capability.type}/:id`,
        { config: { access: { public: true } }, schema: { params: FhirIdParams, response: responses } },
        async (request) => reads.read(request.params.id)
      );
      continue;
    }
    app.get(
      `/${capability.type}`,
      { config: { access: reads.access }, schema: { querystring, response: responses } },
      async (request) => reads.search(request.data, searchRequest(request))
    );
    const read = reads.read;
    if (read) {
      app.get(
        `/${capability.type}/:id`,
        { config: { access: reads.access }, schema: { params: FhirIdParams, response: responses } },
        async (request) => read(request.data, request.params.id)
      );
    }
  }
};

export default fhirRoutes;

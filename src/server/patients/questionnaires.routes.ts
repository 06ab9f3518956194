/**
 * Questionnaires, HTTP only: the patient answers PHQ-9, GAD-7 and WSAS (with work status); the
 * validation, scoring, storage with FHIR resources and any safety alert are in
 * questionnaires.commands.ts, the reads in questionnaires.queries.ts. The patient and their GP can
 * read them.
 */
import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import type { FastifyReply, FastifyRequest } from 'fastify';
import {
  Gad7Body,
  IdempotencyHeaders,
  MeasurementItem,
  MeasurementList,
  Phq9Body,
  Phq9List,
  Phq9Submitted,
  WsasBody,
} from '../../contract/measures.js';
import { PATIENT_OR_TREATING_GP, PATIENT_SELF } from '../access/rules.js';
import { commonErrors, PatientIdParams, ProblemSchema } from '../schemas.js';
import type { IdempotentRequest } from './questionnaire-store.js';
import {
  submitGad7,
  submitPhq9,
  submitterKey,
  submitWsas,
  type Submitted,
} from './questionnaires.commands.js';
import { listMeasurements, listPhq9Responses } from './questionnaires.queries.js';

/** The Idempotency-Key, bound to this route and body: the same key on /gad7, or with other answers, is a 422. */
function idempotencyOf(request: FastifyRequest): IdempotentRequest | null {
  const key = request.headers['idempotency-key'] as string | undefined;
  return key ? { key, route: `${request.method} ${request.routeOptions.url}`, body: request.body } : null;
}

const questionnaireRoutes: FastifyPluginAsyncTypebox<{ submitRateLimit: number }> = async (app, options) => {
  const submitConfig = {
    access: PATIENT_SELF,
    // Per user, not per IP: a family behind one router must not block each other (R-D9).
    rateLimit: { max: options.submitRateLimit, timeWindow: '1 minute', keyGenerator: submitterKey },
  };

  /** 201 with the stored answer; a replay says so, and a new answer's notifications go out now. */
  function created<T>(reply: FastifyReply, result: Submitted<T>): T {
    if (result.replayed) reply.header('idempotent-replayed', 'true');
    // Send what the answer queued (an urgent case's notifications) now, not at the next timer.
    else app.notifier.kick();
    reply.code(201);
    return result.body;
  }

  app.post(
    '/api/patients/:patientId/phq9',
    {
      config: submitConfig,
      schema: {
        params: PatientIdParams,
        headers: IdempotencyHeaders,
        body: Phq9Body,
        response: { 201: Phq9Submitted, ...commonErrors, 422: ProblemSchema },
      },
    },
    async (request, reply) =>
      created(
        reply,
        await submitPhq9(request.data, {
          patientId: request.params.patientId,
          body: request.body,
          idempotency: idempotencyOf(request),
        })
      )
  );

  app.post(
    '/api/patients/:patientId/gad7',
    {
      config: submitConfig,
      schema: {
        params: PatientIdParams,
        headers: IdempotencyHeaders,
        body: Gad7Body,
        response: { 201: MeasurementItem, ...commonErrors, 422: ProblemSchema },
      },
    },
    async (request, reply) =>
      created(
        reply,
        await submitGad7(request.data, {
          patientId: request.params.patientId,
          body: request.body,
          idempotency: idempotencyOf(request),
        })
      )
  );

  app.post(
    '/api/patients/:patientId/wsas',
    {
      config: submitConfig,
      schema: {
        params: PatientIdParams,
        headers: IdempotencyHeaders,
        body: WsasBody,
        response: { 201: MeasurementItem, ...commonErrors, 422: ProblemSchema },
      },
    },
    async (request, reply) =>
      created(
        reply,
        await submitWsas(request.data, {
          patientId: request.params.patientId,
          body: request.body,
          idempotency: idempotencyOf(request),
        })
      )
  );

  app.get(
    '/api/patients/:patientId/questionnaire-responses',
    {
      config: { access: PATIENT_OR_TREATING_GP },
      schema: { params: PatientIdParams, response: { 200: Phq9List, ...commonErrors } },
    },
    async (request) => listPhq9Responses(request.data, request.params.patientId)
  );

  app.get(
    '/api/patients/:patientId/measurements',
    {
      config: { access: PATIENT_OR_TREATING_GP },
      schema: { params: PatientIdParams, response: { 200: MeasurementList, ...commonErrors } },
    },
    async (request) => listMeasurements(request.data, request.params.patientId)
  );
};

export default questionnaireRoutes;

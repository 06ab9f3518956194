/**
 * Questionnaires: the patient answers PHQ-9, GAD-7 and WSAS (with work status); the server
 * validates, scores by the published rules and stores the FHIR resources. A positive PHQ-9 item 9
 * creates one safety alert in the same transaction. The patient and their GP can read them.
 */
import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import type { FastifyReply, FastifyRequest } from 'fastify';
import { Type } from 'typebox';
import { GAD7_VERSION, scoreGad7, validateGad7Items } from '../../domain/instruments/gad7.js';
import {
  PHQ9_VERSION,
  scorePhq9,
  validatePhq9Answers,
  type Phq9Answers,
} from '../../domain/instruments/phq9.js';
import {
  gad7QuestionnaireResponse,
  gad7TotalObservation,
  phq9QuestionnaireResponse,
  phq9TotalObservation,
  wsasQuestionnaireResponse,
  wsasTotalObservation,
} from '../../domain/instruments/phq9-fhir.js';
import {
  scoreWsas,
  validateWsasAnswers,
  WORK_STATUSES,
  WSAS_VERSION,
} from '../../domain/instruments/wsas.js';
import { PATIENT_OR_TREATING_GP, PATIENT_SELF } from '../access/rules.js';
import { openOrJoinUrgentCase } from '../urgent/urgent-cases.js';
import { auditedTransaction } from '../audit/audit-log.js';
import { badRequest, HttpProblem } from '../problem.js';
import { answerNotAllowedBefore } from '../program/program-state.js';
import { MEASURE_NOT_YET_PROBLEM, type Instrument } from '../../domain/program/progress.js';
import { commonErrors, Nullable, PatientIdParams, ProblemSchema, SeveritySchema, Uuid } from '../schemas.js';
import {
  RESPONSE_COLUMNS,
  saveQuestionnaireResponse,
  type ResponseToStore,
  type StoredResponseRow,
} from './questionnaire-store.js';

const Phq9Item = Type.Object({
  id: Uuid,
  instrument: Type.Literal('phq9'),
  answeredAt: Type.String(),
  totalScore: Type.Integer(),
  severity: SeveritySchema,
  item9Score: Type.Integer(),
  difficulty: Nullable(Type.Integer()),
  itemScores: Type.Array(Type.Integer()),
  note: Nullable(Type.String()),
});

const MeasurementItem = Type.Object({
  id: Uuid,
  instrument: Type.Union([Type.Literal('phq9'), Type.Literal('gad7'), Type.Literal('wsas')]),
  answeredAt: Type.String(),
  totalScore: Type.Integer(),
  /** PHQ-9 and GAD-7 severity band, or the WSAS band (subclinical, significant, severe). */
  band: Type.String(),
  item9Score: Nullable(Type.Integer()),
  itemScores: Type.Array(Nullable(Type.Integer())),
  workStatus: Nullable(Type.String()),
});

function toPhq9Item(row: StoredResponseRow) {
  return {
    id: row.id,
    instrument: 'phq9' as const,
    answeredAt: new Date(row.answered_at).toISOString(),
    totalScore: row.total_score,
    severity: row.severity as 'minimal',
    item9Score: row.item9_score ?? 0,
    difficulty: row.difficulty,
    itemScores: row.item_scores as number[],
    note: row.patient_note,
  };
}

function toMeasurement(row: StoredResponseRow) {
  return {
    id: row.id,
    instrument: row.instrument,
    answeredAt: new Date(row.answered_at).toISOString(),
    totalScore: row.total_score,
    band: row.severity,
    item9Score: row.item9_score,
    itemScores: row.item_scores,
    workStatus: row.work_status,
  };
}

function measureNotYet(instrument: Instrument, from: Date): HttpProblem {
  const name = { phq9: 'PHQ-9', gad7: 'GAD-7', wsas: 'WSAS' }[instrument];
  const problem = new HttpProblem(
    409,
    'Conflict',
    `${name} asks about the last two weeks and was answered less than two weeks ago; it can be answered again from ${from.toISOString()}.`
  );
  problem.type = MEASURE_NOT_YET_PROBLEM;
  return problem;
}

const IdempotencyHeaders = Type.Object({
  'idempotency-key': Type.Optional(
    Type.String({ minLength: 8, maxLength: 100, pattern: '^[A-Za-z0-9_-]+$' })
  ),
});

const questionnaireRoutes: FastifyPluginAsyncTypebox<{ submitRateLimit: number }> = async (app, options) => {
  const submitConfig = {
    access: PATIENT_SELF,
    // Per user, not per IP: a family behind one router must not block each other (R-D9).
    rateLimit: {
      max: options.submitRateLimit,
      timeWindow: '1 minute',
      keyGenerator: (request: FastifyRequest) => request.actor?.userId ?? request.ip,
    },
  };

  /** Stores one response with its audit event; a PHQ-9 with item 9 above 0 also gets its alert. */
  async function submit(
    request: FastifyRequest,
    reply: FastifyReply,
    dataCategory: string,
    build: (id: string) => ResponseToStore
  ) {
    const { patientId } = request.params as { patientId: string };
    const now = app.now();
    const key = request.headers['idempotency-key'] as string | undefined;
    // Bound to this route and body: the same key on /gad7, or with other answers, is a 422.
    const idempotency = key
      ? { key, route: `${request.method} ${request.routeOptions.url}`, body: request.body }
      : null;
    const result = await auditedTransaction(request, now, async (trx, audit) => {
      const saved = await saveQuestionnaireResponse(trx, {
        patientId,
        submittedBy: request.actor!.userId,
        now,
        idempotency,
        build,
      });
      if (saved.replayed) return saved;
      // Pacing (issue 11 §3): refused inside the transaction, so the insert above is rolled back.
      const from = await answerNotAllowedBefore(trx, patientId, saved.row.instrument, now, saved.row.id);
      if (from) throw measureNotYet(saved.row.instrument, from);
      if (saved.row.instrument === 'phq9' && (saved.row.item9_score ?? 0) > 0) {
        const alert = await trx
          .insertInto('safety_alerts')
          .values({
            patient_id: patientId,
            response_id: saved.row.id,
            item9_score: saved.row.item9_score!,
            created_at: now,
          })
          .returning('id')
          .executeTakeFirstOrThrow();
        // The urgent case and its notifications commit with the answer, or not at all.
        await openOrJoinUrgentCase(trx, { patientId, alertId: alert.id, now });
      }
      audit({ action: 'create', dataCategory, patientIds: [patientId] });
      return saved;
    });
    if (result.replayed) reply.header('idempotent-replayed', 'true');
    // Send what the answer queued (an urgent case's notifications) now, not at the next timer.
    if (!result.replayed) app.notifier.kick();
    reply.code(201);
    return result.row;
  }

  app.post(
    '/api/patients/:patientId/phq9',
    {
      config: submitConfig,
      schema: {
        params: PatientIdParams,
        headers: IdempotencyHeaders,
        body: Type.Object(
          {
            items: Type.Array(Type.Integer({ minimum: 0, maximum: 3 }), { minItems: 9, maxItems: 9 }),
            difficulty: Type.Union([Type.Integer({ minimum: 0, maximum: 3 }), Type.Null()]),
            note: Type.Optional(Type.String({ maxLength: 1000 })),
          },
          { additionalProperties: false }
        ),
        response: {
          201: Type.Object({ response: Phq9Item, item9Positive: Type.Boolean() }),
          ...commonErrors,
          422: ProblemSchema,
        },
      },
    },
    async (request, reply) => {
      const answers: Phq9Answers = {
        items: request.body.items as Phq9Answers['items'],
        difficulty: request.body.difficulty as Phq9Answers['difficulty'],
      };
      const problems = validatePhq9Answers(answers);
      if (problems.length > 0) throw badRequest(problems);
      const score = scorePhq9(answers);
      const { patientId } = request.params;
      const now = app.now();
      const row = await submit(request, reply, 'PHQ-9 response', (id) => ({
        instrument: 'phq9',
        version: PHQ9_VERSION,
        itemScores: answers.items,
        difficulty: answers.difficulty,
        total: score.total,
        severity: score.severity,
        item9Score: score.item9Score,
        workStatus: null,
        note: request.body.note?.trim() || null,
        fhirResponse: phq9QuestionnaireResponse({ id, patientId, authoredAt: now, answers, score }),
        fhirObservation: phq9TotalObservation({ responseId: id, patientId, effectiveAt: now, score }),
      }));
      return { response: toPhq9Item(row), item9Positive: (row.item9_score ?? 0) > 0 };
    }
  );

  app.post(
    '/api/patients/:patientId/gad7',
    {
      config: submitConfig,
      schema: {
        params: PatientIdParams,
        headers: IdempotencyHeaders,
        body: Type.Object(
          { items: Type.Array(Type.Integer({ minimum: 0, maximum: 3 }), { minItems: 7, maxItems: 7 }) },
          { additionalProperties: false }
        ),
        response: { 201: MeasurementItem, ...commonErrors, 422: ProblemSchema },
      },
    },
    async (request, reply) => {
      const problems = validateGad7Items(request.body.items);
      if (problems.length > 0) throw badRequest(problems);
      const { total, severity } = scoreGad7(request.body.items);
      const { patientId } = request.params;
      const now = app.now();
      const row = await submit(request, reply, 'GAD-7 response', (id) => ({
        instrument: 'gad7',
        version: GAD7_VERSION,
        itemScores: request.body.items,
        difficulty: null,
        total,
        severity,
        item9Score: null,
        workStatus: null,
        note: null,
        fhirResponse: gad7QuestionnaireResponse({
          id,
          patientId,
          authoredAt: now,
          items: request.body.items,
          total,
        }),
        fhirObservation: gad7TotalObservation({
          responseId: id,
          patientId,
          effectiveAt: now,
          total,
          severity,
        }),
      }));
      return toMeasurement(row);
    }
  );

  app.post(
    '/api/patients/:patientId/wsas',
    {
      config: submitConfig,
      schema: {
        params: PatientIdParams,
        headers: IdempotencyHeaders,
        body: Type.Object(
          {
            items: Type.Array(Type.Union([Type.Integer({ minimum: 0, maximum: 8 }), Type.Null()]), {
              minItems: 5,
              maxItems: 5,
            }),
            workStatus: Type.Enum(WORK_STATUSES),
          },
          { additionalProperties: false }
        ),
        response: { 201: MeasurementItem, ...commonErrors, 422: ProblemSchema },
      },
    },
    async (request, reply) => {
      const answers = request.body;
      const problems = validateWsasAnswers(answers);
      if (problems.length > 0) throw badRequest(problems);
      const { total, band } = scoreWsas(answers);
      const { patientId } = request.params;
      const now = app.now();
      const row = await submit(request, reply, 'WSAS response and work status', (id) => ({
        instrument: 'wsas',
        version: WSAS_VERSION,
        itemScores: answers.items,
        difficulty: null,
        total,
        severity: band,
        item9Score: null,
        workStatus: answers.workStatus,
        note: null,
        fhirResponse: wsasQuestionnaireResponse({ id, patientId, authoredAt: now, answers, total }),
        fhirObservation: wsasTotalObservation({ responseId: id, patientId, effectiveAt: now, total, band }),
      }));
      return toMeasurement(row);
    }
  );

  app.get(
    '/api/patients/:patientId/questionnaire-responses',
    {
      config: { access: PATIENT_OR_TREATING_GP },
      schema: {
        params: PatientIdParams,
        response: { 200: Type.Object({ items: Type.Array(Phq9Item) }), ...commonErrors },
      },
    },
    async (request) => {
      const { patientId } = request.params;
      return auditedTransaction(request, app.now(), async (trx, audit) => {
        const rows = await trx
          .selectFrom('questionnaire_responses')
          .select(RESPONSE_COLUMNS)
          .where('patient_id', '=', patientId)
          .where('instrument', '=', 'phq9')
          .orderBy('answered_at', 'desc')
          .execute();
        audit({
          action: 'read',
          dataCategory: 'PHQ-9 responses',
          patientIds: [patientId],
        });
        return { items: rows.map(toPhq9Item) };
      });
    }
  );

  app.get(
    '/api/patients/:patientId/measurements',
    {
      config: { access: PATIENT_OR_TREATING_GP },
      schema: {
        params: PatientIdParams,
        response: { 200: Type.Object({ items: Type.Array(MeasurementItem) }), ...commonErrors },
      },
    },
    async (request) => {
      const { patientId } = request.params;
      return auditedTransaction(request, app.now(), async (trx, audit) => {
        const rows = await trx
          .selectFrom('questionnaire_responses')
          .select(RESPONSE_COLUMNS)
          .where('patient_id', '=', patientId)
          .orderBy('answered_at', 'asc')
          .execute();
        audit({
          action: 'read',
          dataCategory: 'PHQ-9, GAD-7 and WSAS scores',
          patientIds: [patientId],
        });
        return { items: rows.map(toMeasurement) };
      });
    }
  );
};

export default questionnaireRoutes;

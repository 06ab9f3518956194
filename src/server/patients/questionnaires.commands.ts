/**
 * Answering a questionnaire (issue 12 §1): the answers are validated and scored by the published
 * rules, stored with their FHIR resources (questionnaire-store.ts), paced (a PHQ-9 or GAD-7 only
 * once per two-week recall), and a PHQ-9 with item 9 above 0 opens or joins an urgent case, all in
 * one audited transaction.
 */
import type { FastifyRequest } from 'fastify';
import type {
  Gad7Body,
  MeasurementItem,
  Phq9Body,
  Phq9Submitted,
  WsasBody,
} from '../../contract/measures.js';
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
import { scoreWsas, validateWsasAnswers, WSAS_VERSION } from '../../domain/instruments/wsas.js';
import { MEASURE_NOT_YET_PROBLEM, type Instrument } from '../../domain/program/progress.js';
import type { DataContext } from '../access/data-context.js';
import { badRequest, HttpProblem } from '../problem.js';
import { answerNotAllowedBefore } from '../program/program-state.js';
import { openOrJoinUrgentCase } from '../urgent/urgent-cases.js';
import {
  saveQuestionnaireResponse,
  type IdempotentRequest,
  type ResponseToStore,
  type StoredResponseRow,
} from './questionnaire-store.js';
import { toMeasurement, toPhq9Item } from './questionnaires.queries.js';

/** What a submission returns: the stored answer, and whether it is an idempotent replay. */
export interface Submitted<T> {
  body: T;
  replayed: boolean;
}

/** The rate-limit key of a submission: per user, not per IP (a family behind one router, R-D9). */
export function submitterKey(request: FastifyRequest): string {
  return request.actor?.userId ?? request.ip;
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

/** Stores one response with its audit event; a PHQ-9 with item 9 above 0 also gets its alert. */
async function submit(
  ctx: DataContext,
  args: {
    patientId: string;
    idempotency: IdempotentRequest | null;
    dataCategory: string;
    build: (id: string) => ResponseToStore;
  }
): Promise<{ row: StoredResponseRow; replayed: boolean }> {
  const { patientId, idempotency, dataCategory, build } = args;
  const { now } = ctx;
  return ctx.withAudit(async (trx, audit) => {
    const saved = await saveQuestionnaireResponse(trx, {
      patientId,
      submittedBy: ctx.actor.userId,
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
}

export async function submitPhq9(
  ctx: DataContext,
  args: { patientId: string; body: Phq9Body; idempotency: IdempotentRequest | null }
): Promise<Submitted<Phq9Submitted>> {
  const { patientId, body, idempotency } = args;
  const answers: Phq9Answers = {
    items: body.items as Phq9Answers['items'],
    difficulty: body.difficulty as Phq9Answers['difficulty'],
  };
  const problems = validatePhq9Answers(answers);
  if (problems.length > 0) throw badRequest(problems);
  const score = scorePhq9(answers);
  const { now } = ctx;
  const { row, replayed } = await submit(ctx, {
    patientId,
    idempotency,
    dataCategory: 'PHQ-9 response',
    build: (id) => ({
      instrument: 'phq9',
      version: PHQ9_VERSION,
      itemScores: answers.items,
      difficulty: answers.difficulty,
      total: score.total,
      severity: score.severity,
      item9Score: score.item9Score,
      workStatus: null,
      note: body.note?.trim() || null,
      fhirResponse: phq9QuestionnaireResponse({ id, patientId, authoredAt: now, answers, score }),
      fhirObservation: phq9TotalObservation({ responseId: id, patientId, effectiveAt: now, score }),
    }),
  });
  return { body: { response: toPhq9Item(row), item9Positive: (row.item9_score ?? 0) > 0 }, replayed };
}

export async function submitGad7(
  ctx: DataContext,
  args: { patientId: string; body: Gad7Body; idempotency: IdempotentRequest | null }
): Promise<Submitted<MeasurementItem>> {
  const { patientId, body, idempotency } = args;
  const problems = validateGad7Items(body.items);
  if (problems.length > 0) throw badRequest(problems);
  const { total, severity } = scoreGad7(body.items);
  const { now } = ctx;
  const { row, replayed } = await submit(ctx, {
    patientId,
    idempotency,
    dataCategory: 'GAD-7 response',
    build: (id) => ({
      instrument: 'gad7',
      version: GAD7_VERSION,
      itemScores: body.items,
      difficulty: null,
      total,
      severity,
      item9Score: null,
      workStatus: null,
      note: null,
      fhirResponse: gad7QuestionnaireResponse({ id, patientId, authoredAt: now, items: body.items, total }),
      fhirObservation: gad7TotalObservation({ responseId: id, patientId, effectiveAt: now, total, severity }),
    }),
  });
  return { body: toMeasurement(row), replayed };
}

export async function submitWsas(
  ctx: DataContext,
  args: { patientId: string; body: WsasBody; idempotency: IdempotentRequest | null }
): Promise<Submitted<MeasurementItem>> {
  const { patientId, body: answers, idempotency } = args;
  const problems = validateWsasAnswers(answers);
  if (problems.length > 0) throw badRequest(problems);
  const { total, band } = scoreWsas(answers);
  const { now } = ctx;
  const { row, replayed } = await submit(ctx, {
    patientId,
    idempotency,
    dataCategory: 'WSAS response and work status',
    build: (id) => ({
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
    }),
  });
  return { body: toMeasurement(row), replayed };
}

/**
 * A patient's own data: summary, PHQ-9 responses, submitting a PHQ-9, and the log of who has looked.
 * Access (self, or the GP with the patient on their list) is decided by the access layer before
 * these handlers run; each handler writes its audit events in the same transaction as its data.
 */
import { randomUUID } from 'node:crypto';
import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import { Type } from 'typebox';
import {
  PHQ9_VERSION,
  scorePhq9,
  validatePhq9Answers,
  type Phq9Answers,
} from '../../domain/instruments/phq9.js';
import { phq9QuestionnaireResponse } from '../../domain/instruments/phq9-fhir.js';
import { appendAuditEvents, eventsForRequest } from '../audit/audit-log.js';
import { badRequest, notFound } from '../problem.js';
import {
  commonErrors,
  Nullable,
  PatientIdParams,
  ProgramStatusSchema,
  SeveritySchema,
  Uuid,
} from '../schemas.js';

const ResponseItem = Type.Object({
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

interface ResponseRow {
  id: string;
  answered_at: Date | string;
  total_score: number;
  severity: string;
  item9_score: number;
  difficulty: number | null;
  item_scores: number[];
  patient_note: string | null;
}

const RESPONSE_COLUMNS = [
  'id',
  'answered_at',
  'total_score',
  'severity',
  'item9_score',
  'difficulty',
  'item_scores',
  'patient_note',
] as const;

function toResponseItem(row: ResponseRow) {
  return {
    id: row.id,
    instrument: 'phq9' as const,
    answeredAt: new Date(row.answered_at).toISOString(),
    totalScore: row.total_score,
    severity: row.severity as 'minimal',
    item9Score: row.item9_score,
    difficulty: row.difficulty,
    itemScores: row.item_scores,
    note: row.patient_note,
  };
}

const PATIENT_DATA = { roles: ['patient', 'gp'], patient: { relations: ['self', 'gp_list'] } } as const;
const PATIENT_SELF = { roles: ['patient'], patient: { relations: ['self'] } } as const;

const patientRoutes: FastifyPluginAsyncTypebox<{ submitRateLimit: number }> = async (app, options) => {
  app.get(
    '/api/patients/:patientId',
    {
      config: { access: PATIENT_DATA },
      schema: {
        params: PatientIdParams,
        response: {
          200: Type.Object({
            id: Uuid,
            displayName: Type.String(),
            birthYear: Type.Integer(),
            sex: Type.Union([Type.Literal('female'), Type.Literal('male')]),
            program: Type.Object({ status: ProgramStatusSchema, modulesCompleted: Type.Integer() }),
            gp: Nullable(Type.Object({ displayName: Type.String() })),
          }),
          ...commonErrors,
        },
      },
    },
    async (request) => {
      const { patientId } = request.params;
      return app.db.transaction().execute(async (trx) => {
        const row = await trx
          .selectFrom('patients as p')
          .leftJoin('program_enrolments as e', 'e.patient_id', 'p.id')
          .leftJoin('gp_list_entries as l', (join) =>
            join.onRef('l.patient_id', '=', 'p.id').on('l.valid_to', 'is', null)
          )
          .leftJoin('users as gp', 'gp.id', 'l.gp_user_id')
          .select([
            'p.id',
            'p.display_name',
            'p.birth_year',
            'p.sex',
            'e.status',
            'e.modules_completed',
            'gp.display_name as gp_name',
          ])
          .where('p.id', '=', patientId)
          .executeTakeFirstOrThrow();
        await appendAuditEvents(
          trx,
          app.secrets.auditKey,
          app.now(),
          eventsForRequest(request, {
            action: 'read',
            dataCategory: 'patient summary',
            patientIds: [patientId],
          })
        );
        return {
          id: row.id,
          displayName: row.display_name,
          birthYear: row.birth_year,
          sex: row.sex,
          program: { status: row.status ?? 'not_recommended', modulesCompleted: row.modules_completed ?? 0 },
          gp: row.gp_name ? { displayName: row.gp_name } : null,
        };
      });
    }
  );

  app.get(
    '/api/patients/:patientId/questionnaire-responses',
    {
      config: { access: PATIENT_DATA },
      schema: {
        params: PatientIdParams,
        response: { 200: Type.Object({ items: Type.Array(ResponseItem) }), ...commonErrors },
      },
    },
    async (request) => {
      const { patientId } = request.params;
      return app.db.transaction().execute(async (trx) => {
        const rows = await trx
          .selectFrom('questionnaire_responses')
          .select(RESPONSE_COLUMNS)
          .where('patient_id', '=', patientId)
          .orderBy('answered_at', 'desc')
          .execute();
        await appendAuditEvents(
          trx,
          app.secrets.auditKey,
          app.now(),
          eventsForRequest(request, {
            action: 'read',
            dataCategory: 'PHQ-9 responses',
            patientIds: [patientId],
          })
        );
        return { items: rows.map(toResponseItem) };
      });
    }
  );

  app.post(
    '/api/patients/:patientId/phq9',
    {
      config: {
        access: PATIENT_SELF,
        // Per user, not per IP: a family behind one router must not block each other (R-D9).
        rateLimit: {
          max: options.submitRateLimit,
          timeWindow: '1 minute',
          keyGenerator: (request) => request.actor?.userId ?? request.ip,
        },
      },
      schema: {
        params: PatientIdParams,
        headers: Type.Object({
          'idempotency-key': Type.Optional(
            Type.String({ minLength: 8, maxLength: 100, pattern: '^[A-Za-z0-9_-]+$' })
          ),
        }),
        body: Type.Object(
          {
            items: Type.Array(Type.Integer({ minimum: 0, maximum: 3 }), { minItems: 9, maxItems: 9 }),
            difficulty: Type.Union([Type.Integer({ minimum: 0, maximum: 3 }), Type.Null()]),
            note: Type.Optional(Type.String({ maxLength: 1000 })),
          },
          { additionalProperties: false }
        ),
        response: {
          201: Type.Object({ response: ResponseItem, item9Positive: Type.Boolean() }),
          ...commonErrors,
        },
      },
    },
    async (request, reply) => {
      const { patientId } = request.params;
      const answers: Phq9Answers = {
        items: request.body.items as Phq9Answers['items'],
        difficulty: request.body.difficulty as Phq9Answers['difficulty'],
      };
      const note = request.body.note?.trim() || null;
      const problems = validatePhq9Answers(answers);
      if (problems.length > 0) throw badRequest(problems);
      const score = scorePhq9(answers);
      const idempotencyKey = request.headers['idempotency-key'] ?? null;
      const now = app.now();

      const result = await app.db.transaction().execute(async (trx) => {
        if (idempotencyKey) {
          const existing = await trx
            .selectFrom('questionnaire_responses')
            .select(RESPONSE_COLUMNS)
            .where('patient_id', '=', patientId)
            .where('idempotency_key', '=', idempotencyKey)
            .executeTakeFirst();
          if (existing) return { row: existing, replayed: true };
        }
        const id = randomUUID();
        const fhir = phq9QuestionnaireResponse({ id, patientId, authoredAt: now, answers, score });
        const inserted = await trx
          .insertInto('questionnaire_responses')
          .values({
            id,
            patient_id: patientId,
            instrument: 'phq9',
            instrument_version: PHQ9_VERSION,
            answered_at: now,
            submitted_by: request.actor!.userId,
            item_scores: JSON.stringify(answers.items),
            difficulty: answers.difficulty,
            total_score: score.total,
            severity: score.severity,
            item9_score: score.item9Score,
            fhir_resource: JSON.stringify(fhir),
            patient_note: note,
            idempotency_key: idempotencyKey,
          })
          .onConflict((oc) => oc.columns(['patient_id', 'idempotency_key']).doNothing())
          .returning(RESPONSE_COLUMNS)
          .executeTakeFirst();
        if (!inserted) {
          // A concurrent retry with the same key won the race (PostgreSQL); answer with its row.
          const winner = await trx
            .selectFrom('questionnaire_responses')
            .select(RESPONSE_COLUMNS)
            .where('patient_id', '=', patientId)
            .where('idempotency_key', '=', idempotencyKey)
            .executeTakeFirstOrThrow();
          return { row: winner, replayed: true };
        }
        if (score.item9Positive) {
          await trx
            .insertInto('safety_alerts')
            .values({
              patient_id: patientId,
              response_id: id,
              item9_score: score.item9Score,
              created_at: now,
            })
            .execute();
        }
        await appendAuditEvents(
          trx,
          app.secrets.auditKey,
          now,
          eventsForRequest(request, {
            action: 'create',
            dataCategory: 'PHQ-9 response',
            patientIds: [patientId],
          })
        );
        return { row: inserted, replayed: false };
      });
      if (result.replayed) reply.header('idempotent-replayed', 'true');
      reply.code(201);
      return { response: toResponseItem(result.row), item9Positive: result.row.item9_score > 0 };
    }
  );

  app.get(
    '/api/patients/:patientId/access-log',
    {
      config: { access: PATIENT_SELF },
      schema: {
        params: PatientIdParams,
        response: {
          200: Type.Object({
            items: Type.Array(
              Type.Object({
                occurredAt: Type.String(),
                actorName: Type.String(),
                actorRole: Type.String(),
                practiceName: Nullable(Type.String()),
                action: Type.String(),
                dataCategory: Type.String(),
                accessBasis: Type.String(),
              })
            ),
          }),
          ...commonErrors,
        },
      },
    },
    async (request) => {
      const { patientId } = request.params;
      return app.db.transaction().execute(async (trx) => {
        const rows = await trx
          .selectFrom('audit_events as a')
          .leftJoin('practices as pr', 'pr.id', 'a.actor_practice_id')
          .select([
            'a.occurred_at',
            'a.actor_name',
            'a.actor_role',
            'pr.name as practice_name',
            'a.action',
            'a.data_category',
            'a.access_basis',
          ])
          .where('a.patient_id', '=', patientId)
          .where('a.outcome', '=', 'allowed')
          .where((eb) =>
            eb.or([eb('a.actor_user_id', 'is', null), eb('a.actor_user_id', '!=', request.actor!.userId)])
          )
          .orderBy('a.seq', 'desc')
          .limit(500)
          .execute();
        await appendAuditEvents(
          trx,
          app.secrets.auditKey,
          app.now(),
          eventsForRequest(request, { action: 'read', dataCategory: 'access log', patientIds: [patientId] })
        );
        return {
          items: rows.map((row) => ({
            occurredAt: new Date(row.occurred_at).toISOString(),
            actorName: row.actor_name,
            actorRole: row.actor_role,
            practiceName: row.practice_name,
            action: row.action,
            dataCategory: row.data_category,
            accessBasis: row.access_basis,
          })),
        };
      });
    }
  );

  app.post(
    '/api/patients/:patientId/safety-alerts/:alertId/acknowledge',
    {
      config: { access: { roles: ['gp'], patient: { relations: ['gp_list'] } } },
      schema: {
        params: Type.Object({ patientId: Uuid, alertId: Uuid }, { additionalProperties: false }),
        response: { 204: Type.Null(), ...commonErrors },
      },
    },
    async (request, reply) => {
      const { patientId, alertId } = request.params;
      const now = app.now();
      await app.db.transaction().execute(async (trx) => {
        const updated = await trx
          .updateTable('safety_alerts')
          .set({ acknowledged_at: now, acknowledged_by: request.actor!.userId })
          .where('id', '=', alertId)
          .where('patient_id', '=', patientId)
          .where('acknowledged_at', 'is', null)
          .returning('id')
          .executeTakeFirst();
        if (!updated) throw notFound();
        await appendAuditEvents(
          trx,
          app.secrets.auditKey,
          now,
          eventsForRequest(request, {
            action: 'update',
            dataCategory: 'safety alert',
            patientIds: [patientId],
          })
        );
      });
      return reply.code(204).send(null);
    }
  );
};

export default patientRoutes;

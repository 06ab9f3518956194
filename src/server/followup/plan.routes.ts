/**
 * The follow-up plan: list, add, move, cancel and hand a talk to a colleague, and the plan as
 * an iCalendar file.
 */
import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import { Type } from 'typebox';
import { toIcs } from '../../domain/followup/ics.js';
import { followUpOwner } from '../../domain/access/policy.js';
import { PATIENT_OR_TREATING_GP, TREATING_GP } from '../access/rules.js';
import { auditedTransaction } from '../audit/audit-log.js';
import { badRequest, HttpProblem } from '../problem.js';
import { commonErrors, Uuid } from '../schemas.js';
import {
  audit,
  findFollowUp,
  followUps,
  FollowUpSchema,
  LangQuery,
  PatientFollowUpParams,
} from './follow-up-shared.js';

const followUpPlanRoutes: FastifyPluginAsyncTypebox = async (app) => {
  app.get(
    '/api/patients/:patientId/follow-ups',
    {
      config: { access: PATIENT_OR_TREATING_GP },
      schema: {
        params: Type.Object({ patientId: Uuid }),
        response: { 200: Type.Object({ items: Type.Array(FollowUpSchema) }), ...commonErrors },
      },
    },
    async (request) => {
      const items = await followUps(app.db, request.params.patientId);
      await audit(request, 'read', 'follow-up plan', request.params.patientId);
      return { items };
    }
  );

  app.post(
    '/api/patients/:patientId/follow-ups',
    {
      config: { access: TREATING_GP },
      schema: {
        params: Type.Object({ patientId: Uuid }),
        body: Type.Object(
          {
            plannedAt: Type.String({ format: 'date-time' }),
            durationMinutes: Type.Integer({ minimum: 5, maximum: 120 }),
            moduleId: Type.Optional(Type.Enum(['m1', 'm2', 'm3', 'm4', 'm5'] as const)),
          },
          { additionalProperties: false }
        ),
        response: { 201: Type.Object({ items: Type.Array(FollowUpSchema) }), ...commonErrors },
      },
    },
    async (request, reply) => {
      const { patientId } = request.params;
      const now = app.now();
      await auditedTransaction(request, now, async (trx, audit) => {
        await trx
          .insertInto('follow_ups')
          .values({
            patient_id: patientId,
            gp_user_id: followUpOwner(request.actor!, request.patientAccess!.listGpUserIds),
            module_id: request.body.moduleId ?? null,
            planned_at: new Date(request.body.plannedAt),
            duration_minutes: request.body.durationMinutes,
            kind: 'extra',
            created_at: now,
          })
          .execute();
        audit({ action: 'create', dataCategory: 'follow-up', patientIds: [patientId] });
      });
      reply.code(201);
      return { items: await followUps(app.db, patientId) };
    }
  );

  app.patch(
    '/api/patients/:patientId/follow-ups/:followUpId',
    {
      config: { access: TREATING_GP },
      schema: {
        params: PatientFollowUpParams,
        body: Type.Object(
          {
            plannedAt: Type.Optional(Type.String({ format: 'date-time' })),
            durationMinutes: Type.Optional(Type.Integer({ minimum: 5, maximum: 120 })),
            status: Type.Optional(Type.Enum(['cancelled', 'missed'] as const)),
            /** Hand the follow-up to a colleague in the same practice (e.g. while away). */
            gpUserId: Type.Optional(Uuid),
          },
          { additionalProperties: false, minProperties: 1 }
        ),
        response: { 200: Type.Object({ items: Type.Array(FollowUpSchema) }), ...commonErrors },
      },
    },
    async (request) => {
      const { patientId, followUpId } = request.params;
      const existing = await findFollowUp(app.db, patientId, followUpId);
      if (existing.status !== 'planned')
        throw new HttpProblem(409, 'Conflict', `This follow-up is already ${existing.status}.`);
      if (request.body.gpUserId) {
        const colleague = await app.db
          .selectFrom('users')
          .select('id')
          .where('id', '=', request.body.gpUserId)
          .where('role', '=', 'gp')
          .where('practice_id', '=', request.actor!.practiceId)
          .where('disabled_at', 'is', null)
          .executeTakeFirst();
        if (!colleague) throw badRequest([{ field: 'gpUserId', reason: 'must be a GP in your practice' }]);
      }
      const now = app.now();
      await auditedTransaction(request, now, async (trx, audit) => {
        await trx
          .updateTable('follow_ups')
          .set({
            ...(request.body.plannedAt ? { planned_at: new Date(request.body.plannedAt) } : {}),
            ...(request.body.durationMinutes ? { duration_minutes: request.body.durationMinutes } : {}),
            ...(request.body.status ? { status: request.body.status } : {}),
            ...(request.body.gpUserId ? { gp_user_id: request.body.gpUserId } : {}),
          })
          .where('id', '=', followUpId)
          .execute();
        audit({ action: 'update', dataCategory: 'follow-up', patientIds: [patientId] });
      });
      return { items: await followUps(app.db, patientId) };
    }
  );

  app.get(
    '/api/patients/:patientId/follow-ups.ics',
    {
      config: { access: PATIENT_OR_TREATING_GP },
      schema: { params: Type.Object({ patientId: Uuid }), querystring: LangQuery },
    },
    async (request, reply) => {
      const items = (await followUps(app.db, request.params.patientId)).filter((f) => f.status === 'planned');
      const nb = (request.query.lang ?? 'nb') === 'nb';
      const ics = toIcs(
        items.map((f) => ({
          uid: f.id,
          start: new Date(f.plannedAt),
          durationMinutes: f.durationMinutes,
          // Nothing about health: calendars sync to other companies' servers.
          summary: nb
            ? `Time hos fastlegen (${f.gp.displayName})`
            : `Appointment with your GP (${f.gp.displayName})`,
        })),
        app.now(),
        nb ? 'Timer hos fastlegen' : 'GP appointments'
      );
      await audit(request, 'export', 'follow-up plan (calendar file)', request.params.patientId);
      return reply
        .type('text/calendar; charset=utf-8')
        .header('content-disposition', 'attachment; filename="oppfolging.ics"')
        .send(ics);
    }
  );
};

export default followUpPlanRoutes;

/**
 * Treat-to-target decisions at the weeks the plan asks for one.
 */
import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import { Type } from 'typebox';
import { followUpOwner } from '../../domain/access/policy.js';
import { TREATING_GP } from '../access/rules.js';
import { auditedTransaction } from '../audit/audit-log.js';
import { commonErrors, Uuid } from '../schemas.js';
import { DAY, DECISIONS } from './follow-up-shared.js';

const decisionRoutes: FastifyPluginAsyncTypebox = async (app) => {
  app.post(
    '/api/patients/:patientId/decisions',
    {
      config: { access: TREATING_GP },
      schema: {
        params: Type.Object({ patientId: Uuid }),
        body: Type.Object(
          {
            week: Type.Integer({ minimum: 0, maximum: 52 }),
            choice: Type.Enum(DECISIONS),
            note: Type.Optional(Type.String({ maxLength: 2000 })),
          },
          { additionalProperties: false }
        ),
        response: { 201: Type.Object({ choice: Type.String(), planChange: Type.String() }), ...commonErrors },
      },
    },
    async (request, reply) => {
      const { patientId } = request.params;
      const now = app.now();
      const planChange = await auditedTransaction(request, now, async (trx, audit) => {
        await trx
          .insertInto('treatment_decisions')
          .values({
            patient_id: patientId,
            decided_by: request.actor!.userId,
            decided_at: now,
            week: request.body.week,
            choice: request.body.choice,
            note: request.body.note?.trim() || null,
          })
          .execute();
        let change = 'none';
        if (request.body.choice === 'more_gp_talks') {
          // One extra talk within a week, before the next module follow-up.
          const at = new Date(now.getTime() + 7 * DAY);
          at.setUTCHours(8, 0, 0, 0);
          await trx
            .insertInto('follow_ups')
            .values({
              patient_id: patientId,
              gp_user_id: followUpOwner(request.actor!, request.patientAccess!.listGpUserIds),
              module_id: null,
              planned_at: at,
              duration_minutes: 20,
              kind: 'extra',
              created_at: now,
            })
            .execute();
          change = 'extra_follow_up_planned';
        }
        if (request.body.choice === 'refer_dps' || request.body.choice === 'low_threshold_service')
          change = 'program_continues_alongside_referral';
        if (request.body.choice === 'consider_medication') change = 'medication_talk_at_next_follow_up';
        audit({
          action: 'create',
          dataCategory: 'treatment decision',
          patientIds: [patientId],
        });
        return change;
      });
      reply.code(201);
      return { choice: request.body.choice, planChange };
    }
  );
};

export default decisionRoutes;

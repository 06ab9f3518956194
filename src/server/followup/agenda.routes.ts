/**
 * The patient's agenda before a talk: what they want to bring up, read by the GP on the card.
 */
import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import { Type } from 'typebox';
import { PATIENT_OR_TREATING_GP, PATIENT_SELF } from '../access/rules.js';
import { auditedTransaction } from '../audit/audit-log.js';
import { HttpProblem } from '../problem.js';
import { commonErrors, Nullable } from '../schemas.js';
import { audit, findFollowUp, PatientFollowUpParams } from './follow-up-shared.js';

const agendaRoutes: FastifyPluginAsyncTypebox = async (app) => {
  app.put(
    '/api/patients/:patientId/follow-ups/:followUpId/agenda',
    {
      config: { access: PATIENT_SELF },
      schema: {
        params: PatientFollowUpParams,
        body: Type.Object(
          { talkAbout: Type.String({ maxLength: 1000 }), tried: Type.String({ maxLength: 1000 }) },
          { additionalProperties: false }
        ),
        response: {
          200: Type.Object({ talkAbout: Type.String(), tried: Type.String(), updatedAt: Type.String() }),
          ...commonErrors,
        },
      },
    },
    async (request) => {
      const { patientId, followUpId } = request.params;
      const followUp = await findFollowUp(app.db, patientId, followUpId);
      if (followUp.status !== 'planned')
        throw new HttpProblem(409, 'Conflict', 'This follow-up is no longer planned.');
      const now = app.now();
      await auditedTransaction(request, now, async (trx, audit) => {
        await trx
          .insertInto('follow_up_agendas')
          .values({
            follow_up_id: followUpId,
            patient_id: patientId,
            talk_about: request.body.talkAbout,
            tried: request.body.tried,
            updated_at: now,
          })
          .onConflict((oc) =>
            oc
              .column('follow_up_id')
              .doUpdateSet({ talk_about: request.body.talkAbout, tried: request.body.tried, updated_at: now })
          )
          .execute();
        audit({
          action: 'update',
          dataCategory: 'agenda for follow-up',
          patientIds: [patientId],
        });
      });
      return { talkAbout: request.body.talkAbout, tried: request.body.tried, updatedAt: now.toISOString() };
    }
  );

  app.get(
    '/api/patients/:patientId/follow-ups/:followUpId/agenda',
    {
      config: { access: PATIENT_OR_TREATING_GP },
      schema: {
        params: PatientFollowUpParams,
        response: {
          200: Type.Object({
            talkAbout: Type.String(),
            tried: Type.String(),
            updatedAt: Nullable(Type.String()),
          }),
          ...commonErrors,
        },
      },
    },
    async (request) => {
      const { patientId, followUpId } = request.params;
      await findFollowUp(app.db, patientId, followUpId);
      const row = await app.db
        .selectFrom('follow_up_agendas')
        .selectAll()
        .where('follow_up_id', '=', followUpId)
        .executeTakeFirst();
      await audit(request, 'read', 'agenda for follow-up', patientId);
      return {
        talkAbout: row?.talk_about ?? '',
        tried: row?.tried ?? '',
        updatedAt: row ? new Date(row.updated_at).toISOString() : null,
      };
    }
  );
};

export default agendaRoutes;

/** The patient's in-app reminders (the specific text is built in the app, after login). */
import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import { Type } from 'typebox';
import { PATIENT_SELF } from '../access/rules.js';
import { auditedTransaction, recordAccess } from '../audit/audit-log.js';
import { notFound } from '../problem.js';
import { commonErrors, Uuid } from '../schemas.js';

const remindersRoutes: FastifyPluginAsyncTypebox = async (app) => {
  app.get(
    '/api/patients/:patientId/reminders',
    {
      config: { access: PATIENT_SELF },
      schema: {
        params: Type.Object({ patientId: Uuid }),
        response: {
          200: Type.Object({
            items: Type.Array(
              Type.Object({
                id: Uuid,
                kind: Type.Enum(['module_available', 'measure_due', 'followup_soon', 'inactive'] as const),
                reference: Type.String(),
                createdAt: Type.String(),
                read: Type.Boolean(),
              })
            ),
          }),
          ...commonErrors,
        },
      },
    },
    async (request) => {
      const rows = await app.db
        .selectFrom('reminders')
        .select(['id', 'kind', 'reference', 'created_at', 'read_at'])
        .where('patient_id', '=', request.params.patientId)
        .orderBy('created_at', 'desc')
        .limit(50)
        .execute();
      await recordAccess(request, {
        action: 'read',
        dataCategory: 'reminders',
        patientIds: [request.params.patientId],
      });
      return {
        items: rows.map((r) => ({
          id: r.id,
          kind: r.kind,
          reference: r.reference,
          createdAt: new Date(r.created_at).toISOString(),
          read: r.read_at !== null,
        })),
      };
    }
  );

  app.post(
    '/api/patients/:patientId/reminders/:reminderId/read',
    {
      config: { access: PATIENT_SELF },
      schema: {
        params: Type.Object({ patientId: Uuid, reminderId: Uuid }, { additionalProperties: false }),
        response: { 204: Type.Null(), ...commonErrors },
      },
    },
    async (request, reply) => {
      const now = app.now();
      await auditedTransaction(request, now, async (trx, audit) => {
        const updated = await trx
          .updateTable('reminders')
          .set({ read_at: now })
          .where('id', '=', request.params.reminderId)
          .where('patient_id', '=', request.params.patientId)
          .returning('id')
          .executeTakeFirst();
        if (!updated) throw notFound();
        audit({
          action: 'update',
          dataCategory: 'reminder read',
          patientIds: [request.params.patientId],
        });
      });
      return reply.code(204).send(null);
    }
  );
};

export default remindersRoutes;

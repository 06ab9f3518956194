/**
 * The patient's messages to the GP (the free-text note with a questionnaire): listed for the
 * treating GP with the unread ones first, and marked read only by a GP's explicit act, so a
 * message stays on the worklist, the patient page and the card until someone has read it.
 */
import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import { Type } from 'typebox';
import { TREATING_GP } from '../access/rules.js';
import { auditedTransaction, recordAccess } from '../audit/audit-log.js';
import { notFound } from '../problem.js';
import { commonErrors, Nullable, Uuid } from '../schemas.js';

const MessageSchema = Type.Object({
  responseId: Uuid,
  instrument: Type.Enum(['phq9', 'gad7', 'wsas'] as const),
  sentAt: Type.String(),
  text: Type.String(),
  readAt: Nullable(Type.String()),
  readByName: Nullable(Type.String()),
});

const patientMessageRoutes: FastifyPluginAsyncTypebox = async (app) => {
  async function messages(patientId: string) {
    const rows = await app.db
      .selectFrom('questionnaire_responses as q')
      .leftJoin('users as u', 'u.id', 'q.note_read_by')
      .select(['q.id', 'q.instrument', 'q.answered_at', 'q.patient_note', 'q.note_read_at', 'u.display_name'])
      .where('q.patient_id', '=', patientId)
      .where('q.patient_note', 'is not', null)
      .orderBy('q.answered_at', 'desc')
      .limit(20)
      .execute();
    return rows.map((r) => ({
      responseId: r.id,
      instrument: r.instrument,
      sentAt: new Date(r.answered_at).toISOString(),
      text: r.patient_note ?? '',
      readAt: r.note_read_at ? new Date(r.note_read_at).toISOString() : null,
      readByName: r.display_name,
    }));
  }

  app.get(
    '/api/patients/:patientId/patient-messages',
    {
      config: { access: TREATING_GP },
      schema: {
        params: Type.Object({ patientId: Uuid }),
        response: { 200: Type.Object({ items: Type.Array(MessageSchema) }), ...commonErrors },
      },
    },
    async (request) => {
      const items = await messages(request.params.patientId);
      await recordAccess(request, {
        action: 'read',
        dataCategory: 'patient messages',
        patientIds: [request.params.patientId],
      });
      // Unread first, newest first within each.
      return { items: [...items.filter((m) => !m.readAt), ...items.filter((m) => m.readAt)] };
    }
  );

  app.post(
    '/api/patients/:patientId/patient-messages/:responseId/read',
    {
      config: { access: TREATING_GP },
      schema: {
        params: Type.Object({ patientId: Uuid, responseId: Uuid }, { additionalProperties: false }),
        response: { 200: MessageSchema, ...commonErrors },
      },
    },
    async (request) => {
      const { patientId, responseId } = request.params;
      const now = app.now();
      await auditedTransaction(request, now, async (trx, audit) => {
        const marked = await trx
          .updateTable('questionnaire_responses')
          .set({ note_read_at: now, note_read_by: request.actor!.userId })
          .where('id', '=', responseId)
          .where('patient_id', '=', patientId)
          .where('patient_note', 'is not', null)
          .where('note_read_at', 'is', null)
          .returning('id')
          .executeTakeFirst();
        // Another patient's response, one without a message, or one already read: all the same 404.
        if (!marked) throw notFound();
        audit({
          action: 'update',
          dataCategory: 'patient message read',
          patientIds: [patientId],
        });
      });
      return (await messages(patientId)).find((m) => m.responseId === responseId)!;
    }
  );
};

export default patientMessageRoutes;

/**
 * Urgent cases for the GP: the patient's open case (with every answer in it, its deadline, whether
 * it escalated, and whom the notifications reached), closing it with what was done, and the
 * practice's open cases with their age. Access: the treating GP (list, cover, or the practice once
 * the case is escalated to it), decided in the access layer.
 */
import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import { Type } from 'typebox';
import { URGENT_CONTACTS, URGENT_TEXT_MAX, urgentRecordProblems } from '../../domain/safety/urgent-case.js';
import { decidePatientAccess } from '../../domain/access/policy.js';
import { loadPatientAccessFacts } from '../access/access.plugin.js';
import { TREATING_GP } from '../access/rules.js';
import { auditedTransaction, recordAccess } from '../audit/audit-log.js';
import { badRequest, notFound } from '../problem.js';
import { commonErrors, Nullable, Uuid } from '../schemas.js';
import { closeUrgentCase } from './urgent-cases.js';

const Iso = Type.String();

const DeliverySchema = Type.Object({
  channel: Type.Enum(['email', 'sms'] as const),
  purpose: Type.Enum(['urgent_new', 'urgent_escalation'] as const),
  recipientKind: Type.Enum(['gp', 'cover', 'practice_gp', 'practice_address'] as const),
  /** The person's name; the practice's shared address for practice_address. */
  recipientName: Nullable(Type.String()),
  state: Type.Enum(['sent', 'retrying', 'failed'] as const),
  at: Iso,
  attempts: Type.Integer(),
  error: Nullable(Type.String()),
});

const CaseSchema = Type.Object({
  id: Uuid,
  openedAt: Iso,
  dueAt: Iso,
  overdue: Type.Boolean(),
  escalatedAt: Nullable(Iso),
  escalatedTo: Nullable(Type.Enum(['cover', 'practice'] as const)),
  answers: Type.Array(Type.Object({ item9Score: Type.Integer(), answeredAt: Iso })),
  deliveries: Type.Array(DeliverySchema),
  closed: Nullable(
    Type.Object({
      at: Iso,
      byName: Type.String(),
      contact: Type.Enum(URGENT_CONTACTS),
      assessment: Type.String(),
      plan: Type.String(),
    })
  ),
});

const urgentRoutes: FastifyPluginAsyncTypebox = async (app) => {
  async function loadCase(caseId: string) {
    const c = await app.db
      .selectFrom('urgent_cases as c')
      .leftJoin('users as u', 'u.id', 'c.closed_by')
      .selectAll('c')
      .select('u.display_name as closed_by_name')
      .where('c.id', '=', caseId)
      .executeTakeFirstOrThrow();
    const [answers, deliveries] = await Promise.all([
      app.db
        .selectFrom('safety_alerts')
        .select(['item9_score', 'created_at'])
        .where('case_id', '=', caseId)
        .orderBy('created_at')
        .execute(),
      app.db
        .selectFrom('notifications as n')
        .leftJoin('users as u', 'u.id', 'n.recipient_user_id')
        .select([
          'n.channel',
          'n.purpose',
          'n.recipient_kind',
          'n.recipient',
          'n.sent_at',
          'n.gave_up_at',
          'n.created_at',
          'n.attempts',
          'n.last_error',
          'u.display_name',
        ])
        .where('n.case_id', '=', caseId)
        // A case's notifications are never tests (constraint notifications_case_unless_test).
        .$narrowType<{ purpose: 'urgent_new' | 'urgent_escalation' }>()
        .orderBy('n.created_at')
        .execute(),
    ]);
    const now = app.now();
    return {
      id: c.id,
      openedAt: new Date(c.opened_at).toISOString(),
      dueAt: new Date(c.due_at).toISOString(),
      overdue: !c.closed_at && new Date(c.due_at).getTime() <= now.getTime(),
      escalatedAt: c.escalated_at ? new Date(c.escalated_at).toISOString() : null,
      escalatedTo: c.escalated_to,
      answers: answers.map((a) => ({
        item9Score: a.item9_score,
        answeredAt: new Date(a.created_at).toISOString(),
      })),
      deliveries: deliveries.map((d) => ({
        channel: d.channel,
        purpose: d.purpose,
        recipientKind: d.recipient_kind,
        recipientName: d.recipient_kind === 'practice_address' ? d.recipient : d.display_name,
        state: d.sent_at ? ('sent' as const) : d.gave_up_at ? ('failed' as const) : ('retrying' as const),
        at: new Date(d.sent_at ?? d.gave_up_at ?? d.created_at).toISOString(),
        attempts: d.attempts,
        error: d.last_error,
      })),
      closed:
        c.closed_at && c.contact && c.assessment !== null && c.plan !== null
          ? {
              at: new Date(c.closed_at).toISOString(),
              byName: c.closed_by_name ?? '',
              contact: c.contact,
              assessment: c.assessment,
              plan: c.plan,
            }
          : null,
    };
  }

  app.get(
    '/api/patients/:patientId/urgent-cases',
    {
      config: { access: TREATING_GP },
      schema: {
        params: Type.Object({ patientId: Uuid }),
        response: {
          200: Type.Object({ open: Nullable(CaseSchema), recent: Type.Array(CaseSchema) }),
          ...commonErrors,
        },
      },
    },
    async (request) => {
      const { patientId } = request.params;
      const rows = await app.db
        .selectFrom('urgent_cases')
        .select(['id', 'closed_at'])
        .where('patient_id', '=', patientId)
        .orderBy('opened_at', 'desc')
        .limit(6)
        .execute();
      const cases = await Promise.all(rows.map((r) => loadCase(r.id)));
      await recordAccess(request, { action: 'read', dataCategory: 'urgent cases', patientIds: [patientId] });
      return {
        open: cases.find((c) => !c.closed) ?? null,
        recent: cases.filter((c) => c.closed).slice(0, 5),
      };
    }
  );

  app.post(
    '/api/patients/:patientId/urgent-cases/:caseId/close',
    {
      config: { access: TREATING_GP },
      schema: {
        params: Type.Object({ patientId: Uuid, caseId: Uuid }, { additionalProperties: false }),
        body: Type.Object(
          {
            contact: Type.Enum(URGENT_CONTACTS),
            assessment: Type.String({ maxLength: URGENT_TEXT_MAX }),
            plan: Type.String({ maxLength: URGENT_TEXT_MAX }),
          },
          { additionalProperties: false }
        ),
        response: { 200: CaseSchema, 409: commonErrors[400], ...commonErrors },
      },
    },
    async (request) => {
      const { patientId, caseId } = request.params;
      const problems = urgentRecordProblems(request.body);
      if (problems.length > 0) throw badRequest(problems);
      const now = app.now();
      await auditedTransaction(request, now, async (trx, audit) => {
        const closed = await closeUrgentCase(trx, {
          patientId,
          caseId,
          userId: request.actor!.userId,
          now,
          record: {
            contact: request.body.contact,
            assessment: request.body.assessment.trim(),
            plan: request.body.plan.trim(),
          },
        });
        // Someone else's case id, or a closed one, answers like a missing one.
        if (!closed) throw notFound();
        audit({
          action: 'update',
          dataCategory: 'urgent case closed',
          patientIds: [patientId],
        });
      });
      return loadCase(caseId);
    }
  );

  app.get(
    '/api/gp/urgent-cases',
    {
      config: { access: { roles: ['gp'] } },
      schema: {
        response: {
          200: Type.Object({
            items: Type.Array(
              Type.Object({
                caseId: Uuid,
                patientId: Uuid,
                patientName: Type.String(),
                gpName: Nullable(Type.String()),
                openedAt: Iso,
                dueAt: Iso,
                overdue: Type.Boolean(),
                escalatedTo: Nullable(Type.Enum(['cover', 'practice'] as const)),
                failedDeliveries: Type.Integer(),
              })
            ),
          }),
          ...commonErrors,
        },
      },
    },
    async (request) => {
      const actor = request.actor!;
      const now = app.now();
      if (!actor.practiceId) return { items: [] };
      // The practice's open cases. Names only where this GP has access; the rest are counted in
      // the practice overview, so nobody sees a patient they may not.
      const rows = await app.db
        .selectFrom('urgent_cases as c')
        .innerJoin('patients as p', 'p.id', 'c.patient_id')
        .leftJoin('gp_list_entries as l', (join) =>
          join.onRef('l.patient_id', '=', 'p.id').on('l.valid_to', 'is', null)
        )
        .leftJoin('users as g', 'g.id', 'l.gp_user_id')
        .select([
          'c.id',
          'c.patient_id',
          'p.display_name',
          'g.display_name as gp_name',
          'c.opened_at',
          'c.due_at',
          'c.escalated_to',
        ])
        .where('p.practice_id', '=', actor.practiceId)
        .where('c.closed_at', 'is', null)
        .orderBy('c.opened_at')
        .execute();
      const visible: ((typeof rows)[number] & { basis: string })[] = [];
      for (const row of rows) {
        const decision = decidePatientAccess(
          actor,
          TREATING_GP.patient.relations,
          await loadPatientAccessFacts(app, row.patient_id)
        );
        if (decision.allowed) visible.push({ ...row, basis: decision.basis });
      }
      const failed = visible.length
        ? await app.db
            .selectFrom('notifications')
            .select(['case_id', (eb) => eb.fn.countAll<number>().as('n')])
            .where(
              'case_id',
              'in',
              visible.map((v) => v.id)
            )
            .where('gave_up_at', 'is not', null)
            .groupBy('case_id')
            .execute()
        : [];
      await auditedTransaction(request, now, async (_trx, audit) => {
        for (const v of visible)
          audit({
            action: 'read',
            dataCategory: 'practice urgent cases',
            patientIds: [v.patient_id],
            basis: v.basis,
          });
      });
      return {
        items: visible.map((v) => ({
          caseId: v.id,
          patientId: v.patient_id,
          patientName: v.display_name,
          gpName: v.gp_name,
          openedAt: new Date(v.opened_at).toISOString(),
          dueAt: new Date(v.due_at).toISOString(),
          overdue: new Date(v.due_at).getTime() <= now.getTime(),
          escalatedTo: v.escalated_to,
          failedDeliveries: Number(failed.find((f) => f.case_id === v.id)?.n ?? 0),
        })),
      };
    }
  );
};

export default urgentRoutes;

/**
 * Reading urgent cases (issue 12 §1): one case with every answer in it, its deadline, whether it
 * escalated and whom the notifications reached; the patient's open and recent cases; and the
 * practice's open cases, named only where this GP has access to the patient. Every read is audited.
 */
import type { PatientAccessFacts } from '../../domain/access/policy.js';
import { decidePatientAccess } from '../../domain/access/policy.js';
import type { PatientUrgentCases, PracticeUrgentCases, UrgentCase } from '../../contract/urgent.js';
import type { DataContext } from '../access/data-context.js';
import { TREATING_GP } from '../access/rules.js';

/** One case as the GP sees it (the caller has established access to its patient). */
export async function loadCase(ctx: Pick<DataContext, 'db' | 'now'>, caseId: string): Promise<UrgentCase> {
  const { db, now } = ctx;
  const c = await db
    .selectFrom('urgent_cases as c')
    .leftJoin('users as u', 'u.id', 'c.closed_by')
    .selectAll('c')
    .select('u.display_name as closed_by_name')
    .where('c.id', '=', caseId)
    .executeTakeFirstOrThrow();
  const [answers, deliveries] = await Promise.all([
    db
      .selectFrom('safety_alerts')
      .select(['item9_score', 'created_at'])
      .where('case_id', '=', caseId)
      .orderBy('created_at')
      .execute(),
    db
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
      .$narrowType<{
        purpose: 'urgent_new' | 'urgent_escalation';
        recipient_kind: 'gp' | 'cover' | 'practice_gp' | 'practice_address';
      }>()
      .orderBy('n.created_at')
      .execute(),
  ]);
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

/** The patient's open case and up to five closed ones, newest first (access checked by the route). */
export async function patientUrgentCases(ctx: DataContext, patientId: string): Promise<PatientUrgentCases> {
  const rows = await ctx.db
    .selectFrom('urgent_cases')
    .select(['id', 'closed_at'])
    .where('patient_id', '=', patientId)
    .orderBy('opened_at', 'desc')
    .limit(6)
    .execute();
  const cases = await Promise.all(rows.map((r) => loadCase(ctx, r.id)));
  await ctx.recordRead({ action: 'read', dataCategory: 'urgent cases', patientIds: [patientId] });
  return {
    open: cases.find((c) => !c.closed) ?? null,
    recent: cases.filter((c) => c.closed).slice(0, 5),
  };
}

/**
 * The practice's open cases. Names only where this GP has access (decided per patient as the
 * access layer decides it, from `accessFacts`); the rest are counted in the practice overview, so
 * nobody sees a patient they may not. Each patient shown is one audit event, with its basis.
 */
export async function practiceUrgentCases(
  ctx: DataContext,
  accessFacts: (patientId: string) => Promise<PatientAccessFacts | undefined>
): Promise<PracticeUrgentCases> {
  const { db, actor, now } = ctx;
  if (!actor.practiceId) return { items: [] };
  const rows = await db
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
      await accessFacts(row.patient_id)
    );
    if (decision.allowed) visible.push({ ...row, basis: decision.basis });
  }
  const failed = visible.length
    ? await db
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
  await ctx.withAudit(async (_trx, audit) => {
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

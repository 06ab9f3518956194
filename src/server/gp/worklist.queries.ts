/**
 * The GP's worklist (issue 12 §1): follow-ups today and this week, then what needs attention,
 * most urgent first, each item saying why (domain/followup/worklist.ts decides). Covers the GP's
 * own list and the lists of absent colleagues they cover for; each patient shown is an audit event.
 */
import type { Worklist } from '../../contract/gp.js';
import { osloDayBounds } from '../../domain/followup/oslo-time.js';
import { sortWorklist, worklistItems, type PatientWorklistFacts } from '../../domain/followup/worklist.js';
import type { DataContext } from '../access/data-context.js';
import { auditShownIn, responsiblePatientsOf } from './responsible-patients.js';

export async function loadWorklist(ctx: DataContext): Promise<Worklist> {
  const { db, now } = ctx;
  const patients = await responsiblePatientsOf(ctx);
  const ids = patients.map((p) => p.id);
  const byId = new Map(patients.map((p) => [p.id, p]));
  if (ids.length === 0) return { followUps: [], attention: [] };
  // Days and weeks as the GP lives them: Norwegian time, Monday to Sunday.
  const { startOfToday, endOfToday, endOfWeek } = osloDayBounds(now);
  const [followUps, enrolments, phq9, alerts, activity, invitations, missed, agendas, unread, unanswered] =
    await Promise.all([
      db
        .selectFrom('follow_ups')
        .select(['id', 'patient_id', 'planned_at', 'duration_minutes', 'module_id'])
        .where('patient_id', 'in', ids)
        .where('status', '=', 'planned')
        .where('planned_at', '>=', startOfToday)
        .where('planned_at', '<=', endOfWeek)
        .orderBy('planned_at')
        .execute(),
      db
        .selectFrom('program_enrolments')
        .select(['patient_id', 'status', 'started_at', 'baseline_phq9'])
        .where('patient_id', 'in', ids)
        .execute(),
      db
        .selectFrom('questionnaire_responses')
        .select(['patient_id', 'answered_at', 'total_score'])
        .where('patient_id', 'in', ids)
        .where('instrument', '=', 'phq9')
        .orderBy('answered_at')
        .execute(),
      db
        .selectFrom('safety_alerts')
        .select(['id', 'patient_id', 'created_at', 'item9_score'])
        .where('patient_id', 'in', ids)
        .where('acknowledged_at', 'is', null)
        .execute(),
      db
        .selectFrom('audit_events')
        .select(['patient_id', (eb) => eb.fn.max('occurred_at').as('last')])
        .where('patient_id', 'in', ids)
        .where('actor_role', '=', 'patient')
        .groupBy('patient_id')
        .execute(),
      db
        .selectFrom('invitations')
        .select(['patient_id', 'created_at', 'used_at'])
        .where('patient_id', 'in', ids)
        .where('revoked_at', 'is', null)
        .execute(),
      db
        .selectFrom('follow_ups')
        .select(['id', 'patient_id', 'planned_at'])
        .where('patient_id', 'in', ids)
        .where('status', '=', 'planned')
        .where('planned_at', '<', startOfToday)
        .execute(),
      db.selectFrom('follow_up_agendas').select('follow_up_id').where('patient_id', 'in', ids).execute(),
      db
        .selectFrom('questionnaire_responses')
        .select(['id', 'patient_id', 'answered_at'])
        .where('patient_id', 'in', ids)
        .where('patient_note', 'is not', null)
        .where('note_read_at', 'is', null)
        .execute(),
      // Threads waiting for the care team: the last message is the patient's.
      db
        .selectFrom('message_threads')
        .select(['id', 'patient_id', 'last_message_at'])
        .where('patient_id', 'in', ids)
        .where('last_from_patient', '=', true)
        .execute(),
    ]);
  const agendaIds = new Set(agendas.map((a) => a.follow_up_id));
  // Each result grouped by patient once: with 1,500 listed patients, scanning every list per
  // patient was the worklist's largest cost.
  const enrolmentOf = new Map(enrolments.map((e) => [e.patient_id, e]));
  const lastActivityOf = new Map(activity.map((a) => [a.patient_id, a.last]));
  const phq9Of = groupByPatient(phq9);
  const unreadOf = groupByPatient(unread);
  const unansweredOf = groupByPatient(unanswered);
  const alertsOf = groupByPatient(alerts);
  const invitationsOf = groupByPatient(invitations);
  const missedOf = groupByPatient(missed);
  const items = sortWorklist(
    ids.flatMap((patientId) => {
      const enrolment = enrolmentOf.get(patientId);
      const lastActivity = lastActivityOf.get(patientId);
      const invitation = [...(invitationsOf.get(patientId) ?? [])].sort(
        (a, b) => +new Date(b.created_at) - +new Date(a.created_at)
      )[0];
      const facts: PatientWorklistFacts = {
        patientId,
        programStatus: enrolment?.status ?? 'not_recommended',
        startedAt: enrolment?.started_at ? new Date(enrolment.started_at) : null,
        phq9: (phq9Of.get(patientId) ?? []).map((r) => ({
          answeredAt: new Date(r.answered_at),
          total: r.total_score,
        })),
        recordedBaseline: enrolment?.baseline_phq9 ?? null,
        unreadMessages: (unreadOf.get(patientId) ?? []).map((u) => ({
          responseId: u.id,
          sentAt: new Date(u.answered_at),
        })),
        unansweredThreads: (unansweredOf.get(patientId) ?? []).map((u) => ({
          threadId: u.id,
          lastMessageAt: new Date(u.last_message_at),
        })),
        openItem9Alerts: (alertsOf.get(patientId) ?? []).map((a) => ({
          alertId: a.id,
          answeredAt: new Date(a.created_at),
          item9Score: a.item9_score,
        })),
        lastActivityAt: lastActivity
          ? new Date(lastActivity)
          : enrolment?.started_at
            ? new Date(enrolment.started_at)
            : null,
        invitation: invitation
          ? {
              createdAt: new Date(invitation.created_at),
              usedAt: invitation.used_at ? new Date(invitation.used_at) : null,
            }
          : null,
        missedFollowUps: (missedOf.get(patientId) ?? []).map((m) => ({
          id: m.id,
          plannedAt: new Date(m.planned_at),
        })),
      };
      return worklistItems(facts, now);
    })
  );
  const shown = new Set([...followUps.map((f) => f.patient_id), ...items.map((i) => i.patientId)]);
  await auditShownIn(
    ctx,
    'worklist',
    patients.filter((p) => shown.has(p.id))
  );
  return {
    followUps: followUps.map((f) => ({
      id: f.id,
      patientId: f.patient_id,
      patientName: byId.get(f.patient_id)!.displayName,
      plannedAt: new Date(f.planned_at).toISOString(),
      durationMinutes: f.duration_minutes,
      moduleId: f.module_id,
      when: new Date(f.planned_at) < endOfToday ? ('today' as const) : ('this_week' as const),
      agendaReady: agendaIds.has(f.id),
    })),
    attention: items.map((i) => ({
      patientId: i.patientId,
      patientName: byId.get(i.patientId)!.displayName,
      reason: i.reason,
      at: i.at.toISOString(),
      detail: i.detail,
      covering: byId.get(i.patientId)!.basis === 'absence_cover',
    })),
  };
}

/** Rows grouped by their patient, each group in the order the query returned it. */
function groupByPatient<T extends { patient_id: string }>(rows: readonly T[]): Map<string, T[]> {
  const groups = new Map<string, T[]>();
  for (const row of rows) {
    const group = groups.get(row.patient_id);
    if (group) group.push(row);
    else groups.set(row.patient_id, [row]);
  }
  return groups;
}

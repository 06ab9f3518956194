/**
 * The patient's timeline (issue 12 §1): recommendation, start, answers, modules, talks, decisions,
 * invitations and modules opened early, newest first. The read is recorded in the audit log.
 */
import type { TimelineItem } from '../../contract/followup.js';
import type { DataContext } from '../access/data-context.js';

export async function loadTimeline(ctx: DataContext, patientId: string): Promise<TimelineItem[]> {
  const [enrolment, responses, modules, notes, decisions, invitations, earlyOpenings] = await Promise.all([
    ctx.db
      .selectFrom('program_enrolments as e')
      .innerJoin('users as u', 'u.id', 'e.recommended_by')
      .select([
        'e.recommended_at',
        'e.guidance_level',
        'e.baseline_phq9',
        'e.started_at',
        'e.finished_at',
        'u.display_name',
      ])
      .where('e.patient_id', '=', patientId)
      .executeTakeFirst(),
    ctx.db
      .selectFrom('questionnaire_responses')
      .select(['instrument', 'answered_at', 'total_score'])
      .where('patient_id', '=', patientId)
      .execute(),
    ctx.db
      .selectFrom('module_progress')
      .select(['module_id', 'completed_at'])
      .where('patient_id', '=', patientId)
      .where('completed_at', 'is not', null)
      .execute(),
    ctx.db
      .selectFrom('follow_up_notes')
      .select(['created_at', 'duration_minutes'])
      .where('patient_id', '=', patientId)
      .execute(),
    ctx.db
      .selectFrom('treatment_decisions')
      .select(['decided_at', 'choice', 'week'])
      .where('patient_id', '=', patientId)
      .execute(),
    ctx.db
      .selectFrom('invitations')
      .select(['created_at', 'used_at'])
      .where('patient_id', '=', patientId)
      .execute(),
    ctx.db
      .selectFrom('module_early_openings as o')
      .innerJoin('users as u', 'u.id', 'o.opened_by')
      .select(['o.module_id', 'o.opened_at', 'o.reason', 'u.display_name'])
      .where('o.patient_id', '=', patientId)
      .execute(),
  ]);
  const items: TimelineItem[] = [];
  const iso = (d: Date | string) => new Date(d).toISOString();
  if (enrolment) {
    items.push({
      at: iso(enrolment.recommended_at),
      kind: 'recommended',
      detail: {
        by: enrolment.display_name,
        guidanceLevel: enrolment.guidance_level,
        baselinePhq9: enrolment.baseline_phq9,
      },
    });
    if (enrolment.started_at) items.push({ at: iso(enrolment.started_at), kind: 'started', detail: {} });
    if (enrolment.finished_at) items.push({ at: iso(enrolment.finished_at), kind: 'finished', detail: {} });
  }
  for (const r of responses)
    items.push({ at: iso(r.answered_at), kind: r.instrument, detail: { total: r.total_score } });
  for (const m of modules)
    items.push({ at: iso(m.completed_at!), kind: 'module_completed', detail: { moduleId: m.module_id } });
  for (const n of notes)
    items.push({
      at: iso(n.created_at),
      kind: 'follow_up_held',
      detail: { minutes: n.duration_minutes },
    });
  for (const d of decisions)
    items.push({ at: iso(d.decided_at), kind: 'decision', detail: { choice: d.choice, week: d.week } });
  for (const i of invitations) {
    items.push({ at: iso(i.created_at), kind: 'invitation_created', detail: {} });
    if (i.used_at) items.push({ at: iso(i.used_at), kind: 'invitation_used', detail: {} });
  }
  for (const o of earlyOpenings)
    items.push({
      at: iso(o.opened_at),
      kind: 'module_opened_early',
      detail: { moduleId: o.module_id, by: o.display_name, reason: o.reason },
    });
  items.sort((a, b) => b.at.localeCompare(a.at));
  await ctx.recordRead({ action: 'read', dataCategory: 'timeline', patientIds: [patientId] });
  return items;
}

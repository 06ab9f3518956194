/**
 * The practice overview (issue 12 §1): the practice's GPs with their active plans, overdue
 * follow-ups and absences (and who covers), and the absent colleagues' patients this GP covers
 * for with their next follow-up. Each covered patient shown is an audit event.
 */
import type { PracticeOverview } from '../../contract/gp.js';
import type { DataContext } from '../access/data-context.js';
import { auditShownIn, responsiblePatientsOf } from './responsible-patients.js';

export async function loadPracticeOverview(ctx: DataContext): Promise<PracticeOverview> {
  const { db, now, actor } = ctx;
  const gps = await db
    .selectFrom('users')
    .select(['id', 'display_name'])
    .where('role', '=', 'gp')
    .where('practice_id', '=', actor.practiceId)
    .orderBy('display_name')
    .execute();
  const gpIds = gps.map((g) => g.id);
  const [plans, overdue, absences] = await Promise.all([
    db
      .selectFrom('program_enrolments as e')
      .innerJoin('gp_list_entries as l', (j) =>
        j.onRef('l.patient_id', '=', 'e.patient_id').on('l.valid_to', 'is', null)
      )
      .select(['l.gp_user_id', (eb) => eb.fn.countAll<number>().as('n')])
      .where('l.gp_user_id', 'in', gpIds)
      .where('e.status', 'in', ['recommended', 'active'])
      .groupBy('l.gp_user_id')
      .execute(),
    db
      .selectFrom('follow_ups')
      .select(['gp_user_id', (eb) => eb.fn.countAll<number>().as('n')])
      .where('gp_user_id', 'in', gpIds)
      .where('status', '=', 'planned')
      .where('planned_at', '<', now)
      .groupBy('gp_user_id')
      .execute(),
    db
      .selectFrom('gp_absences as a')
      .leftJoin('users as d', 'd.id', 'a.delegate_user_id')
      .select(['a.gp_user_id', 'a.ends_at', 'a.delegate_user_id', 'd.display_name as delegate_name'])
      .where('a.gp_user_id', 'in', gpIds)
      .where('a.starts_at', '<=', now)
      .where('a.ends_at', '>', now)
      .execute(),
  ]);
  const coveringPatients = (await responsiblePatientsOf(ctx)).filter((p) => p.basis === 'absence_cover');
  const coverIds = coveringPatients.map((p) => p.id);
  const nextFollowUps = coverIds.length
    ? await db
        .selectFrom('follow_ups as f')
        .innerJoin('users as u', 'u.id', 'f.gp_user_id')
        .select(['f.id', 'f.patient_id', 'f.planned_at', 'u.display_name'])
        .where('f.patient_id', 'in', coverIds)
        .where('f.status', '=', 'planned')
        .orderBy('f.planned_at')
        .execute()
    : [];
  await auditShownIn(ctx, 'practice overview (covering)', coveringPatients);
  return {
    gps: gps.map((g) => {
      const absence = absences.find((a) => a.gp_user_id === g.id);
      return {
        id: g.id,
        displayName: g.display_name,
        activePlans: Number(plans.find((p) => p.gp_user_id === g.id)?.n ?? 0),
        overdueFollowUps: Number(overdue.find((o) => o.gp_user_id === g.id)?.n ?? 0),
        absentUntil: absence ? new Date(absence.ends_at).toISOString() : null,
        coveredBy: absence ? (absence.delegate_name ?? 'practice') : null,
      };
    }),
    covering: coveringPatients
      .map((p) => {
        const next = nextFollowUps.find((f) => f.patient_id === p.id);
        return {
          patientId: p.id,
          patientName: p.displayName,
          gpName: next?.display_name ?? '',
          nextFollowUpId: next?.id ?? null,
          nextFollowUpAt: next ? new Date(next.planned_at).toISOString() : null,
          overdue: next ? new Date(next.planned_at) < now : false,
        };
      })
      .filter((c) => c.nextFollowUpId !== null),
  };
}

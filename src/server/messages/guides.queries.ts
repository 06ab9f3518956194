/**
 * Guides (issue 17): who is assigned to a patient (and was), the guides of the patient's practice a
 * GP can assign, and a guide's own list of the patients they are assigned to now.
 */
import type { GuidePatients, PatientGuides } from '../../contract/messages.js';
import type { DataContext } from '../access/data-context.js';
import { openGuideAssignments } from './care-team.js';

export async function listGuides(ctx: DataContext, patientId: string): Promise<PatientGuides> {
  const patient = await ctx.db
    .selectFrom('patients')
    .select('practice_id')
    .where('id', '=', patientId)
    .executeTakeFirstOrThrow();
  const [assignments, available] = await Promise.all([
    ctx.db
      .selectFrom('guide_assignments as g')
      .innerJoin('users as u', 'u.id', 'g.guide_user_id')
      .innerJoin('users as b', 'b.id', 'g.assigned_by')
      .select([
        'g.id',
        'g.guide_user_id',
        'g.starts_at',
        'g.ends_at',
        'u.display_name as guide_name',
        'b.display_name as assigned_by_name',
      ])
      .where('g.patient_id', '=', patientId)
      .orderBy('g.starts_at', 'desc')
      .execute(),
    ctx.db
      .selectFrom('users')
      .select(['id', 'display_name'])
      .where('role', '=', 'guide')
      .where('practice_id', '=', patient.practice_id)
      .where('disabled_at', 'is', null)
      .orderBy('display_name')
      .execute(),
  ]);
  await ctx.recordRead({ action: 'read', dataCategory: 'guide assignments', patientIds: [patientId] });
  return {
    assignments: assignments.map((a) => ({
      id: a.id,
      guideUserId: a.guide_user_id,
      guideName: a.guide_name,
      assignedByName: a.assigned_by_name,
      startsAt: new Date(a.starts_at).toISOString(),
      endsAt: a.ends_at ? new Date(a.ends_at).toISOString() : null,
    })),
    available: available.map((u) => ({ userId: u.id, name: u.display_name })),
  };
}

/** The patients this guide is assigned to now; each shown is an audit event (basis assigned_guide). */
export async function guidePatients(ctx: DataContext): Promise<GuidePatients> {
  const rows = await openGuideAssignments(ctx.db, ctx.now)
    .where('g.guide_user_id', '=', ctx.actor.userId)
    .select(['p.id', 'p.display_name', 'g.starts_at'])
    .orderBy('p.display_name')
    .execute();
  const ids = rows.map((r) => r.id);
  const waiting = ids.length
    ? await ctx.db
        .selectFrom('message_threads')
        .select(['patient_id', (eb) => eb.fn.countAll<number>().as('n')])
        .where('patient_id', 'in', ids)
        .where('last_from_patient', '=', true)
        .groupBy('patient_id')
        .execute()
    : [];
  if (ids.length) {
    await ctx.recordRead({
      action: 'read',
      dataCategory: 'guide patient list',
      patientIds: ids,
      basis: 'assigned_guide',
    });
  }
  return {
    items: rows.map((r) => ({
      patientId: r.id,
      patientName: r.display_name,
      unansweredThreads: Number(waiting.find((w) => w.patient_id === r.id)?.n ?? 0),
      since: new Date(r.starts_at).toISOString(),
    })),
  };
}

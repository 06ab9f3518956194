/**
 * The GP's caseload (issue 12 §1): their own patients in the program and their own figures
 * (status counts, follow-ups, share finishing, mean PHQ-9 change). Each patient counted is an
 * audit event.
 */
import type { Caseload } from '../../contract/gp.js';
import { baselinePhq9 } from '../../domain/followup/treat-to-target.js';
import type { DataContext } from '../access/data-context.js';
import { auditShownIn, responsiblePatientsOf } from './responsible-patients.js';

const EMPTY_CASELOAD: Caseload = {
  byStatus: {},
  recommendations: 0,
  followUpsPlanned: 0,
  followUpsHeld: 0,
  followUpsDue: 0,
  shareFinishing: null,
  meanPhq9Change: null,
  patients: [],
};

export async function loadCaseload(ctx: DataContext): Promise<Caseload> {
  const { db, now, actor } = ctx;
  const own = (await responsiblePatientsOf(ctx)).filter((p) => p.basis === 'gp_list');
  const ids = own.map((p) => p.id);
  if (ids.length === 0) return { ...EMPTY_CASELOAD, byStatus: {}, patients: [] };
  const [enrolments, followUps, phq9] = await Promise.all([
    db
      .selectFrom('program_enrolments')
      .select(['patient_id', 'status', 'recommended_by', 'modules_completed', 'baseline_phq9', 'started_at'])
      .where('patient_id', 'in', ids)
      .execute(),
    db
      .selectFrom('follow_ups')
      .select(['status', 'planned_at'])
      .where('patient_id', 'in', ids)
      .where('status', '!=', 'cancelled')
      .execute(),
    db
      .selectFrom('questionnaire_responses')
      .select(['patient_id', 'total_score', 'answered_at'])
      .where('patient_id', 'in', ids)
      .where('instrument', '=', 'phq9')
      .orderBy('answered_at')
      .execute(),
  ]);
  const byStatus: Record<string, number> = { invited: 0, active: 0, finished: 0, stopped: 0 };
  for (const e of enrolments) {
    const key = e.status === 'recommended' ? 'invited' : e.status;
    byStatus[key] = (byStatus[key] ?? 0) + 1;
  }
  const ended = enrolments.filter((e) => e.status === 'finished' || e.status === 'stopped');
  const changes = enrolments
    .map((e) => {
      const scores = phq9.filter((p) => p.patient_id === e.patient_id);
      // The one baseline (domain/followup/treat-to-target.ts), as on the card and worklist.
      const baseline = baselinePhq9(
        scores.map((p) => ({ answeredAt: new Date(p.answered_at), total: p.total_score })),
        e.started_at ? new Date(e.started_at) : null,
        e.baseline_phq9
      );
      const latest = scores.at(-1)?.total_score;
      return baseline && latest !== undefined && scores.length > 1 ? latest - baseline.total : null;
    })
    .filter((c): c is number => c !== null);
  await auditShownIn(
    ctx,
    'caseload',
    own.filter((p) => enrolments.some((e) => e.patient_id === p.id))
  );
  return {
    byStatus,
    recommendations: enrolments.filter((e) => e.recommended_by === actor.userId).length,
    followUpsPlanned: followUps.length,
    followUpsHeld: followUps.filter((f) => f.status === 'done').length,
    followUpsDue: followUps.filter((f) => f.status === 'done' || new Date(f.planned_at) <= now).length,
    shareFinishing: ended.length ? ended.filter((e) => e.status === 'finished').length / ended.length : null,
    meanPhq9Change: changes.length
      ? Math.round((changes.reduce((a, b) => a + b, 0) / changes.length) * 10) / 10
      : null,
    patients: enrolments.map((e) => ({
      id: e.patient_id,
      displayName: own.find((p) => p.id === e.patient_id)!.displayName,
      status: e.status === 'recommended' ? 'invited' : e.status,
      modulesCompleted: e.modules_completed,
    })),
  };
}

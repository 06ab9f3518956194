/**
 * The GP's patient list (issue 12 §1): only patients on the GP's own list today, with program
 * status, the latest PHQ-9 and any open item-9 alert (urgent first). Read in one audited
 * transaction: each patient shown is one audit event.
 */
import { sql } from 'kysely';
import type { GpPatientList } from '../../contract/gp.js';
import type { DataContext } from '../access/data-context.js';

export async function listGpPatients(ctx: DataContext): Promise<GpPatientList> {
  const gpUserId = ctx.actor.userId;
  const today = ctx.now.toISOString().slice(0, 10);
  return ctx.withAudit(async (trx, audit) => {
    const rows = await trx
      .selectFrom('gp_list_entries as l')
      .innerJoin('patients as p', 'p.id', 'l.patient_id')
      .leftJoin('program_enrolments as e', 'e.patient_id', 'p.id')
      .leftJoinLateral(
        (eb) =>
          eb
            .selectFrom('questionnaire_responses as q')
            .select(['q.total_score', 'q.severity', 'q.answered_at', 'q.item9_score', 'q.patient_note'])
            .whereRef('q.patient_id', '=', 'p.id')
            // The latest PHQ-9, not the latest answer of any kind (GAD-7 and WSAS have no item 9).
            .where('q.instrument', '=', 'phq9')
            .orderBy('q.answered_at', 'desc')
            .limit(1)
            .as('latest'),
        (join) => join.onTrue()
      )
      .leftJoinLateral(
        (eb) =>
          eb
            .selectFrom('safety_alerts as a')
            .select(['a.id as alert_id', 'a.created_at as alert_at', 'a.item9_score as alert_item9'])
            .whereRef('a.patient_id', '=', 'p.id')
            .where('a.acknowledged_at', 'is', null)
            .orderBy('a.created_at', 'desc')
            .limit(1)
            .as('alert'),
        (join) => join.onTrue()
      )
      .select([
        'p.id',
        'p.display_name',
        'p.birth_year',
        'p.sex',
        'e.status',
        'e.modules_completed',
        'latest.total_score',
        'latest.severity',
        'latest.answered_at',
        'latest.item9_score',
        'latest.patient_note',
        'alert.alert_id',
        'alert.alert_at',
        'alert.alert_item9',
      ])
      .where('l.gp_user_id', '=', gpUserId)
      .where('l.valid_from', '<=', sql<Date>`${today}::date`)
      .where((eb) => eb.or([eb('l.valid_to', 'is', null), eb('l.valid_to', '>=', sql<Date>`${today}::date`)]))
      .orderBy(sql`alert.alert_at is null`)
      .orderBy('alert.alert_at', 'desc')
      .orderBy('p.display_name')
      .execute();
    audit({
      action: 'read',
      dataCategory: 'patient list: status and latest PHQ-9',
      patientIds: rows.map((r) => r.id),
      basis: 'gp_list',
    });
    return {
      items: rows.map((r) => ({
        id: r.id,
        displayName: r.display_name,
        birthYear: r.birth_year,
        sex: r.sex,
        programStatus: r.status ?? 'not_recommended',
        modulesCompleted: r.modules_completed ?? 0,
        latestPhq9:
          r.total_score === null || r.total_score === undefined
            ? null
            : {
                totalScore: r.total_score,
                severity: r.severity as 'minimal',
                answeredAt: new Date(r.answered_at as Date).toISOString(),
                item9Score: r.item9_score as number,
                note: r.patient_note ?? null,
              },
        urgent: r.alert_id
          ? {
              alertId: r.alert_id,
              answeredAt: new Date(r.alert_at as Date).toISOString(),
              item9Score: r.alert_item9 as number,
            }
          : null,
      })),
    };
  });
}

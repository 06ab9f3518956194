/**
 * A patient's summary and the log of who has looked at their data (issue 12 §1), each read audited
 * in its own transaction.
 */
import type { AccessLog, PatientSummary } from '../../contract/patients.js';
import { accessLogRows } from './access-log-rows.js';
import type { DataContext } from '../access/data-context.js';
import { loadPatientAccountState } from '../followup/invitation-codes.js';

/** How long the patient's home shows that a GP reset their access. */
const RECOVERY_SHOWN_DAYS = 90;

export function patientSummary(ctx: DataContext, patientId: string): Promise<PatientSummary> {
  return ctx.withAudit(async (trx, audit) => {
    const row = await trx
      .selectFrom('patients as p')
      .leftJoin('program_enrolments as e', 'e.patient_id', 'p.id')
      .leftJoin('gp_list_entries as l', (join) =>
        join.onRef('l.patient_id', '=', 'p.id').on('l.valid_to', 'is', null)
      )
      .leftJoin('users as gp', 'gp.id', 'l.gp_user_id')
      .select([
        'p.id',
        'p.display_name',
        'p.birth_year',
        'p.sex',
        'e.status',
        'e.modules_completed',
        'gp.display_name as gp_name',
      ])
      .where('p.id', '=', patientId)
      .executeTakeFirstOrThrow();
    const account = await loadPatientAccountState(trx, patientId);
    const recovery = await trx
      .selectFrom('invitations as i')
      .innerJoin('users as u', 'u.id', 'i.created_by')
      .select(['i.created_at', 'u.display_name'])
      .where('i.patient_id', '=', patientId)
      .where('i.purpose', '=', 'recovery')
      .where('i.created_at', '>', new Date(ctx.now.getTime() - RECOVERY_SHOWN_DAYS * 86_400_000))
      .orderBy('i.created_at', 'desc')
      .limit(1)
      .executeTakeFirst();
    audit({ action: 'read', dataCategory: 'patient summary', patientIds: [patientId] });
    return {
      id: row.id,
      displayName: row.display_name,
      birthYear: row.birth_year,
      sex: row.sex,
      program: { status: row.status ?? 'not_recommended', modulesCompleted: row.modules_completed ?? 0 },
      gp: row.gp_name ? { displayName: row.gp_name } : null,
      account: {
        state: account.state,
        lastRecovery: recovery
          ? { at: new Date(recovery.created_at).toISOString(), byName: recovery.display_name }
          : null,
      },
    };
  });
}

/** Who has read or changed this patient's data, newest first; the patient's own acts left out. */
export function accessLog(ctx: DataContext, patientId: string): Promise<AccessLog> {
  return ctx.withAudit(async (trx, audit) => {
    const rows = await accessLogRows(trx, patientId, ctx.actor.userId, { limit: 500 });
    audit({ action: 'read', dataCategory: 'access log', patientIds: [patientId] });
    return {
      items: rows.map((row) => ({
        occurredAt: new Date(row.occurred_at).toISOString(),
        actorName: row.actor_name,
        actorRole: row.actor_role,
        practiceName: row.practice_name,
        action: row.action,
        dataCategory: row.data_category,
        accessBasis: row.access_basis,
      })),
    };
  });
}

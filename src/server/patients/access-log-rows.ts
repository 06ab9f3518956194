/**
 * The patient's own access log, defined once for the web page (patients.queries.ts) and the FHIR
 * API's AuditEvents (fhir.queries.ts): allowed accesses to the patient's data by anyone but the
 * patient themself, newest first. Refused attempts stay in the log for the practice's control
 * (loggkontroll) but are not shown to the patient.
 */
import type { Kysely } from 'kysely';
import type { Database } from '../../db/schema.js';

export async function accessLogRows(
  db: Kysely<Database>,
  patientId: string,
  viewerUserId: string,
  options: { limit: number; seq?: number }
) {
  let query = db
    .selectFrom('audit_events as a')
    .leftJoin('practices as pr', 'pr.id', 'a.actor_practice_id')
    .select([
      'a.seq',
      'a.occurred_at',
      'a.actor_name',
      'a.actor_role',
      'pr.name as practice_name',
      'a.action',
      'a.data_category',
      'a.access_basis',
    ])
    .where('a.patient_id', '=', patientId)
    .where('a.outcome', '=', 'allowed')
    .where((eb) => eb.or([eb('a.actor_user_id', 'is', null), eb('a.actor_user_id', '!=', viewerUserId)]));
  if (options.seq !== undefined) query = query.where('a.seq', '=', options.seq);
  return query.orderBy('a.seq', 'desc').limit(options.limit).execute();
}

/**
 * What the database says about patients, as far as access is concerned (domain/access/policy.ts
 * PatientAccessFacts): the patient's account, the GPs with them on their list today, the GPs
 * covering for an absent list GP now, the practice's GPs while an escalated urgent case is
 * open, a GP who broke the glass while that lasts, and a guide assigned to the patient now.
 *
 * One statement for any number of patients: every patient-scoped request runs it before anything
 * else, so it costs one round trip rather than six (issue 18's load test), and a search can still
 * apply the one access rule (decidePatientAccess) to every patient it might show.
 */
import { sql, type Kysely } from 'kysely';
import type { PatientAccessFacts } from '../../domain/access/policy.js';
import type { Database } from '../../db/schema.js';

interface FactsRow {
  id: string;
  user_id: string | null;
  active_gp_user_ids: string[];
  covering_gp_user_ids: string[];
  urgent_escalation_gp_user_ids: string[];
  emergency_access_gp_user_ids: string[];
  assigned_guide_user_ids: string[];
}

export async function loadPatientAccessFactsMany(
  db: Kysely<Database>,
  now: Date,
  patientIds: readonly string[]
): Promise<Map<string, PatientAccessFacts>> {
  const facts = new Map<string, PatientAccessFacts>();
  if (patientIds.length === 0) return facts;
  const today = now.toISOString().slice(0, 10);
  const ids = [...new Set(patientIds)];
  // The patient's list entries in force today (the list GPs), used by the cover rules as well.
  const listedToday = sql`l.patient_id = p.id
      and l.valid_from <= ${today}::date
      and (l.valid_to is null or l.valid_to >= ${today}::date)`;
  const { rows } = await sql<FactsRow>`
    select
      p.id,
      p.user_id,
      array(select l.gp_user_id from gp_list_entries l where ${listedToday})::text[] as active_gp_user_ids,
      -- Cover while a list GP is away: the named colleague, or every other active GP in the practice.
      array(
        select a.delegate_user_id
          from gp_list_entries l
          join gp_absences a on a.gp_user_id = l.gp_user_id
         where ${listedToday} and a.delegate_user_id is not null
           and a.starts_at <= ${now} and a.ends_at > ${now}
        union all
        select colleague.id
          from gp_list_entries l
          join gp_absences a on a.gp_user_id = l.gp_user_id
          join users away on away.id = l.gp_user_id
          join users colleague on colleague.practice_id = away.practice_id
               and colleague.role = 'gp' and colleague.disabled_at is null and colleague.id <> a.gp_user_id
         where ${listedToday} and a.delegate_user_id is null
           and a.starts_at <= ${now} and a.ends_at > ${now}
      )::text[] as covering_gp_user_ids,
      -- An overdue urgent case escalated to the practice opens the patient to its GPs until it closes.
      array(
        select u.id
          from urgent_cases c
          join users u on u.practice_id = p.practice_id and u.role = 'gp' and u.disabled_at is null
         where c.patient_id = p.id and c.closed_at is null and c.escalated_to = 'practice'
      )::text[] as urgent_escalation_gp_user_ids,
      -- A GP who broke the glass, for as long as it lasts.
      array(
        select e.gp_user_id
          from emergency_accesses e
         where e.patient_id = p.id and e.started_at <= ${now} and e.ends_at > ${now}
      )::text[] as emergency_access_gp_user_ids,
      -- A guide a GP of the patient assigned, at the patient's practice, while the assignment lasts.
      array(
        select g.guide_user_id
          from guide_assignments g
          join users u on u.id = g.guide_user_id and u.practice_id = p.practice_id
               and u.role = 'guide' and u.disabled_at is null
         where g.patient_id = p.id and g.starts_at <= ${now} and (g.ends_at is null or g.ends_at > ${now})
      )::text[] as assigned_guide_user_ids
    from patients p
    where p.id in (${sql.join(ids)})
  `.execute(db);
  for (const row of rows) {
    facts.set(row.id, {
      patientId: row.id,
      userId: row.user_id,
      activeGpUserIds: row.active_gp_user_ids,
      coveringGpUserIds: row.covering_gp_user_ids,
      urgentEscalationGpUserIds: row.urgent_escalation_gp_user_ids,
      emergencyAccessGpUserIds: row.emergency_access_gp_user_ids,
      assignedGuideUserIds: row.assigned_guide_user_ids,
    });
  }
  return facts;
}

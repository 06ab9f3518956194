/**
 * What the database says about patients, as far as access is concerned (domain/access/policy.ts
 * PatientAccessFacts): the patient's account, the GPs with them on their list today, the GPs
 * covering for an absent list GP now, the practice's GPs while an escalated urgent case is
 * open, a GP who broke the glass while that lasts, and a guide assigned to the patient now. Loaded for many patients in a fixed number of queries, so a search can apply the one
 * access rule (decidePatientAccess) to every patient it might show.
 */
import { sql, type Kysely } from 'kysely';
import type { PatientAccessFacts } from '../../domain/access/policy.js';
import type { Database } from '../../db/schema.js';

export async function loadPatientAccessFactsMany(
  db: Kysely<Database>,
  now: Date,
  patientIds: readonly string[]
): Promise<Map<string, PatientAccessFacts>> {
  const facts = new Map<string, PatientAccessFacts>();
  if (patientIds.length === 0) return facts;
  const today = now.toISOString().slice(0, 10);
  const ids = [...new Set(patientIds)];
  const patients = await db.selectFrom('patients').select(['id', 'user_id']).where('id', 'in', ids).execute();
  if (patients.length === 0) return facts;
  const found = patients.map((p) => p.id);
  const lists = await db
    .selectFrom('gp_list_entries as l')
    .innerJoin('users as u', 'u.id', 'l.gp_user_id')
    .select(['l.patient_id', 'l.gp_user_id', 'u.practice_id'])
    .where('l.patient_id', 'in', found)
    .where('l.valid_from', '<=', sql<Date>`${today}::date`)
    .where((eb) => eb.or([eb('l.valid_to', 'is', null), eb('l.valid_to', '>=', sql<Date>`${today}::date`)]))
    .execute();
  const listGpIds = [...new Set(lists.map((l) => l.gp_user_id))];
  // Cover while a list GP is away: the named colleague, or every other active GP in the practice.
  const absences = listGpIds.length
    ? await db
        .selectFrom('gp_absences')
        .select(['gp_user_id', 'delegate_user_id'])
        .where('gp_user_id', 'in', listGpIds)
        .where('starts_at', '<=', now)
        .where('ends_at', '>', now)
        .execute()
    : [];
  const practiceCover = [
    ...new Set(
      absences
        .filter((a) => !a.delegate_user_id)
        .map((a) => lists.find((l) => l.gp_user_id === a.gp_user_id)?.practice_id)
        .filter((p): p is string => Boolean(p))
    ),
  ];
  const practiceGps = practiceCover.length
    ? await db
        .selectFrom('users')
        .select(['id', 'practice_id'])
        .where('role', '=', 'gp')
        .where('practice_id', 'in', practiceCover)
        .where('disabled_at', 'is', null)
        .execute()
    : [];
  // An overdue urgent case escalated to the practice opens the patient to its GPs until it closes.
  const escalated = await db
    .selectFrom('urgent_cases as c')
    .innerJoin('patients as p', 'p.id', 'c.patient_id')
    .innerJoin('users as u', (join) =>
      join
        .onRef('u.practice_id', '=', 'p.practice_id')
        .on('u.role', '=', 'gp')
        .on('u.disabled_at', 'is', null)
    )
    .select(['c.patient_id', 'u.id'])
    .where('c.patient_id', 'in', found)
    .where('c.closed_at', 'is', null)
    .where('c.escalated_to', '=', 'practice')
    .execute();

  // A GP who broke the glass, for as long as it lasts.
  const emergencies = await db
    .selectFrom('emergency_accesses')
    .select(['patient_id', 'gp_user_id'])
    .where('patient_id', 'in', found)
    .where('started_at', '<=', now)
    .where('ends_at', '>', now)
    .execute();

  // A guide a GP of the patient assigned, at the patient's practice, while the assignment lasts.
  const guides = await db
    .selectFrom('guide_assignments as g')
    .innerJoin('patients as p', 'p.id', 'g.patient_id')
    .innerJoin('users as u', (join) =>
      join
        .onRef('u.id', '=', 'g.guide_user_id')
        .onRef('u.practice_id', '=', 'p.practice_id')
        .on('u.role', '=', 'guide')
        .on('u.disabled_at', 'is', null)
    )
    .select(['g.patient_id', 'g.guide_user_id'])
    .where('g.patient_id', 'in', found)
    .where('g.starts_at', '<=', now)
    .where((eb) => eb.or([eb('g.ends_at', 'is', null), eb('g.ends_at', '>', now)]))
    .execute();

  for (const patient of patients) {
    const gps = lists.filter((l) => l.patient_id === patient.id);
    const activeGpUserIds = gps.map((g) => g.gp_user_id);
    const coveringGpUserIds: string[] = [];
    for (const absence of absences.filter((a) => activeGpUserIds.includes(a.gp_user_id))) {
      if (absence.delegate_user_id) {
        coveringGpUserIds.push(absence.delegate_user_id);
        continue;
      }
      const practiceId = gps.find((g) => g.gp_user_id === absence.gp_user_id)?.practice_id;
      if (!practiceId) continue;
      coveringGpUserIds.push(
        ...practiceGps
          .filter((u) => u.practice_id === practiceId && u.id !== absence.gp_user_id)
          .map((u) => u.id)
      );
    }
    facts.set(patient.id, {
      patientId: patient.id,
      userId: patient.user_id,
      activeGpUserIds,
      coveringGpUserIds,
      urgentEscalationGpUserIds: escalated.filter((e) => e.patient_id === patient.id).map((e) => e.id),
      emergencyAccessGpUserIds: emergencies
        .filter((e) => e.patient_id === patient.id)
        .map((e) => e.gp_user_id),
      assignedGuideUserIds: guides.filter((g) => g.patient_id === patient.id).map((g) => g.guide_user_id),
    });
  }
  return facts;
}

/**
 * The FHIR API's access to patients, through the same rule as every other route
 * (domain/access/policy.ts decidePatientAccess, with the relations of PATIENT_OR_TREATING_GP):
 * a patient sees their own; a GP the patients on their list, those they cover for while the
 * absence lasts, and those of an escalated open urgent case in their practice. A resource whose
 * patient the actor may not see does not exist for them (404), and a search never returns one.
 * Refused attempts on an existing patient are logged, as on the rest of the API.
 */
import { sql } from 'kysely';
import { decidePatientAccess, type AccessBasis } from '../../domain/access/policy.js';
import type { FhirAuditCategory } from '../../domain/fhir/capability.js';
import type { DataContext } from '../access/data-context.js';
import { loadPatientAccessFactsMany } from '../access/patient-facts.js';
import { PATIENT_OR_TREATING_GP } from '../access/rules.js';
import { responsiblePatientsOf } from '../gp/responsible-patients.js';
import { notFound } from '../problem.js';

const RELATIONS = PATIENT_OR_TREATING_GP.patient.relations;
const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

/**
 * The patients among `patientIds` the actor may see now, with the basis for each, and those that
 * exist but the actor may not see (for the refusal log; the facts already say which exist).
 */
async function decideForPatients(
  ctx: DataContext,
  patientIds: readonly string[]
): Promise<{ allowed: Map<string, AccessBasis>; refused: string[] }> {
  // Patient ids are UUIDs; anything else names no patient (and must not reach a uuid column).
  const ids = patientIds.filter((id) => UUID.test(id));
  const facts = await loadPatientAccessFactsMany(ctx.db, ctx.now, ids);
  const allowed = new Map<string, AccessBasis>();
  const refused: string[] = [];
  for (const id of ids) {
    const decision = decidePatientAccess(ctx.actor, RELATIONS, facts.get(id));
    if (decision.allowed) allowed.set(id, decision.basis);
    else if (facts.has(id)) refused.push(id);
  }
  return { allowed, refused };
}

/** Logs a refused attempt on existing patients (the answer stays 404 or an empty search). */
async function recordDenied(
  ctx: DataContext,
  patientIds: readonly string[],
  category: FhirAuditCategory
): Promise<void> {
  if (patientIds.length === 0) return;
  await ctx.withAudit(async (_trx, audit) => {
    for (const id of patientIds) {
      audit({ action: 'access', dataCategory: category, patientIds: [id], outcome: 'denied', basis: 'none' });
    }
  });
}

/** The basis for one patient, or 404 (and a logged refusal when the patient exists). */
export async function requirePatient(
  ctx: DataContext,
  patientId: string,
  category: FhirAuditCategory
): Promise<AccessBasis> {
  const { allowed, refused } = await decideForPatients(ctx, [patientId]);
  const basis = allowed.get(patientId);
  if (!basis) {
    await recordDenied(ctx, refused, category);
    throw notFound();
  }
  return basis;
}

/**
 * The patients a search covers: the one named by `patient`/`subject` (if the actor may see them;
 * none otherwise, and the attempt is logged), or else every patient the actor may see now.
 */
export async function searchScope(
  ctx: DataContext,
  namedPatientId: string | undefined,
  category: FhirAuditCategory
): Promise<Map<string, AccessBasis>> {
  if (namedPatientId !== undefined) {
    const { allowed, refused } = await decideForPatients(ctx, [namedPatientId]);
    await recordDenied(ctx, refused, category);
    return allowed;
  }
  return (await decideForPatients(ctx, await candidatePatients(ctx))).allowed;
}

/**
 * Everyone the actor could possibly have a relation to (a superset; the rule above decides): the
 * patient's own record, or a GP's list and covered lists and the patients of escalated urgent
 * cases in their practice.
 */
async function candidatePatients(ctx: DataContext): Promise<string[]> {
  if (ctx.actor.role === 'patient') {
    const own = await ctx.db
      .selectFrom('patients')
      .select('id')
      .where('user_id', '=', ctx.actor.userId)
      .execute();
    return own.map((p) => p.id);
  }
  if (ctx.actor.role !== 'gp') return [];
  const listed = (await responsiblePatientsOf(ctx)).map((p) => p.id);
  const escalated = ctx.actor.practiceId
    ? await ctx.db
        .selectFrom('urgent_cases as c')
        .innerJoin('patients as p', 'p.id', 'c.patient_id')
        .select(sql<string>`distinct c.patient_id`.as('id'))
        .where('p.practice_id', '=', ctx.actor.practiceId)
        .where('c.closed_at', 'is', null)
        .where('c.escalated_to', '=', 'practice')
        .execute()
    : [];
  return [...new Set([...listed, ...escalated.map((e) => e.id)])];
}

/** One audit line per patient whose data a response carried, with the basis that allowed it. */
export async function recordShown(
  ctx: DataContext,
  shown: ReadonlyMap<string, AccessBasis>,
  category: FhirAuditCategory,
  action: 'read' | 'export' = 'read'
): Promise<void> {
  if (shown.size === 0) return;
  await ctx.withAudit(async (_trx, audit) => {
    for (const [patientId, basis] of shown) {
      audit({ action, dataCategory: category, patientIds: [patientId], basis });
    }
  });
}

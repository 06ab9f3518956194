/**
 * The suitability check before a recommendation (issue 12 §1): the latest PHQ-9, what it says
 * (domain/followup/plan.ts), the contraindication checklist and what the birth year already shows.
 * The read is recorded in the audit log.
 */
import type { Kysely } from 'kysely';
import type { Phq9Severity, Suitability } from '../../contract/followup.js';
import type { Database } from '../../db/schema.js';
import { CONTRAINDICATIONS, mayBeUnder18, suitability } from '../../domain/followup/plan.js';
import type { DataContext } from '../access/data-context.js';

/** The patient's latest PHQ-9 as the check and the recommendation see it, if any. */
export async function latestPhq9(db: Kysely<Database>, patientId: string) {
  const row = await db
    .selectFrom('questionnaire_responses')
    .select(['total_score', 'severity', 'item9_score', 'answered_at'])
    .where('patient_id', '=', patientId)
    .where('instrument', '=', 'phq9')
    .orderBy('answered_at', 'desc')
    .limit(1)
    .executeTakeFirst();
  return row
    ? {
        total: row.total_score,
        severity: row.severity as Phq9Severity,
        item9: row.item9_score ?? 0,
        answeredAt: new Date(row.answered_at).toISOString(),
      }
    : null;
}

export async function suitabilityCheck(ctx: DataContext, patientId: string): Promise<Suitability> {
  const latest = await latestPhq9(ctx.db, patientId);
  const check = suitability(latest ? { total: latest.total, item9: latest.item9 } : null);
  const { birth_year: birthYear } = await ctx.db
    .selectFrom('patients')
    .select('birth_year')
    .where('id', '=', patientId)
    .executeTakeFirstOrThrow();
  await ctx.recordRead({
    action: 'read',
    dataCategory: 'suitability check (latest PHQ-9)',
    patientIds: [patientId],
  });
  return {
    level: check.level,
    reasons: check.level === 'needs_decision' ? check.reasons : [],
    advice: check.advice,
    checklist: [...CONTRAINDICATIONS],
    knownPresent: mayBeUnder18(birthYear, ctx.now) ? ['under_18' as const] : [],
    latestPhq9: latest,
  };
}

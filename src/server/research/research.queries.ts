/**
 * The researcher's overview of the platform (issue 12 §1): counts only, with small cells (1-4)
 * suppressed, read and audited in one transaction.
 */
import { sql } from 'kysely';
import type { ResearchOverview } from '../../contract/research.js';
import {
  SMALL_CELL_THRESHOLD,
  suppressSmallCells,
  suppressTotal,
} from '../../domain/disclosure/small-cells.js';
import type { DataContext } from '../access/data-context.js';

const PROGRAM_STATUSES = ['not_recommended', 'recommended', 'active', 'finished', 'stopped'] as const;
const SEVERITIES = ['minimal', 'mild', 'moderate', 'moderately_severe', 'severe'] as const;

export function platformOverview(ctx: DataContext): Promise<ResearchOverview> {
  return ctx.withAudit(async (trx, audit) => {
    const statusRows = await trx
      .selectFrom('patients as p')
      .leftJoin('program_enrolments as e', 'e.patient_id', 'p.id')
      .select([
        sql<string>`coalesce(e.status, 'not_recommended')`.as('status'),
        sql<number>`count(*)::int`.as('n'),
      ])
      .groupBy(sql`coalesce(e.status, 'not_recommended')`)
      .execute();
    const severityRows = await trx
      .selectFrom((eb) =>
        eb
          .selectFrom('questionnaire_responses')
          .distinctOn('patient_id')
          .select(['patient_id', 'severity'])
          // Severity bands are PHQ-9's; GAD-7 and WSAS rows have bands of their own.
          .where('instrument', '=', 'phq9')
          .orderBy('patient_id')
          .orderBy('answered_at', 'desc')
          .as('latest')
      )
      .select(['severity', sql<number>`count(*)::int`.as('n')])
      .groupBy('severity')
      .execute();
    const responses = await trx
      .selectFrom('questionnaire_responses')
      .select(sql<number>`count(*)::int`.as('n'))
      .where('instrument', '=', 'phq9')
      .executeTakeFirstOrThrow();
    audit({ action: 'read', dataCategory: 'aggregate: platform overview', patientIds: [null] });
    const byStatus = new Map(statusRows.map((r) => [r.status, r.n]));
    const bySeverity = new Map(severityRows.map((r) => [r.severity, r.n]));
    const patients = statusRows.reduce((sum, r) => sum + r.n, 0);
    return {
      generatedAt: ctx.now.toISOString(),
      suppressionThreshold: SMALL_CELL_THRESHOLD,
      totals: { patients: suppressTotal(patients), responses: suppressTotal(responses.n) },
      programStatus: suppressSmallCells(
        PROGRAM_STATUSES.map((status) => ({ key: status, count: byStatus.get(status) ?? 0 }))
      ).map((c) => ({ status: c.key, count: c.count })),
      latestPhq9Severity: suppressSmallCells(
        SEVERITIES.map((severity) => ({ key: severity, count: bySeverity.get(severity) ?? 0 }))
      ).map((c) => ({ severity: c.key, count: c.count })),
    };
  });
}

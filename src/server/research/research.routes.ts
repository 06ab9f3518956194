/**
 * The researcher's overview of the platform: counts only, with small cells (1-4) suppressed.
 * No route a researcher can reach returns person-level data.
 */
import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import { sql } from 'kysely';
import { Type } from 'typebox';
import {
  SMALL_CELL_THRESHOLD,
  suppressSmallCells,
  suppressTotal,
} from '../../domain/disclosure/small-cells.js';
import { auditedTransaction } from '../audit/audit-log.js';
import { commonErrors, Nullable, ProgramStatusSchema, SeveritySchema } from '../schemas.js';

const PROGRAM_STATUSES = ['not_recommended', 'recommended', 'active', 'finished', 'stopped'] as const;
const SEVERITIES = ['minimal', 'mild', 'moderate', 'moderately_severe', 'severe'] as const;

const researchRoutes: FastifyPluginAsyncTypebox = async (app) => {
  app.get(
    '/api/research/overview',
    {
      config: { access: { roles: ['researcher'] } },
      schema: {
        response: {
          200: Type.Object({
            generatedAt: Type.String(),
            suppressionThreshold: Type.Integer(),
            totals: Type.Object({ patients: Nullable(Type.Integer()), responses: Nullable(Type.Integer()) }),
            programStatus: Type.Array(
              Type.Object({ status: ProgramStatusSchema, count: Nullable(Type.Integer()) })
            ),
            latestPhq9Severity: Type.Array(
              Type.Object({ severity: SeveritySchema, count: Nullable(Type.Integer()) })
            ),
          }),
          ...commonErrors,
        },
      },
    },
    async (request) => {
      return auditedTransaction(request, app.now(), async (trx, audit) => {
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
        audit({
          action: 'read',
          dataCategory: 'aggregate: platform overview',
          patientIds: [null],
        });
        const byStatus = new Map(statusRows.map((r) => [r.status, r.n]));
        const bySeverity = new Map(severityRows.map((r) => [r.severity, r.n]));
        const patients = statusRows.reduce((sum, r) => sum + r.n, 0);
        return {
          generatedAt: app.now().toISOString(),
          suppressionThreshold: SMALL_CELL_THRESHOLD,
          totals: { patients: suppressTotal(patients), responses: suppressTotal(responses.n) },
          programStatus: suppressSmallCells(
            PROGRAM_STATUSES.map((status) => ({
              key: status,
              count: byStatus.get(status) ?? 0,
            }))
          ).map((c) => ({ status: c.key, count: c.count })),
          latestPhq9Severity: suppressSmallCells(
            SEVERITIES.map((severity) => ({
              key: severity,
              count: bySeverity.get(severity) ?? 0,
            }))
          ).map((c) => ({ severity: c.key, count: c.count })),
        };
      });
    }
  );
};

export default researchRoutes;

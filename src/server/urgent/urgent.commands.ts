/**
 * Closing an urgent case with what was done (issue 12 §1): the record is checked by the domain
 * rule, the case and every alert in it are closed in one audited transaction (urgent-cases.ts),
 * and the closed case is returned as the GP sees it.
 */
import type { CloseUrgentCaseBody, UrgentCase } from '../../contract/urgent.js';
import { urgentRecordProblems } from '../../domain/safety/urgent-case.js';
import type { DataContext } from '../access/data-context.js';
import { badRequest, notFound } from '../problem.js';
import { closeUrgentCase } from './urgent-cases.js';
import { loadCase } from './urgent.queries.js';

export async function closeCaseWithRecord(
  ctx: DataContext,
  args: { patientId: string; caseId: string; body: CloseUrgentCaseBody }
): Promise<UrgentCase> {
  const { patientId, caseId, body } = args;
  const problems = urgentRecordProblems(body);
  if (problems.length > 0) throw badRequest(problems);
  await ctx.withAudit(async (trx, audit) => {
    const closed = await closeUrgentCase(trx, {
      patientId,
      caseId,
      userId: ctx.actor.userId,
      now: ctx.now,
      record: { contact: body.contact, assessment: body.assessment.trim(), plan: body.plan.trim() },
    });
    // Someone else's case id, or a closed one, answers like a missing one.
    if (!closed) throw notFound();
    audit({ action: 'update', dataCategory: 'urgent case closed', patientIds: [patientId] });
  });
  return loadCase(ctx, caseId);
}

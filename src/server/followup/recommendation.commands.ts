/**
 * Recommending the program in one recorded step (issue 12 §1): the suitability check and the
 * checklist must be answered, then the enrolment, the follow-up plan for the guidance level and,
 * for a patient who cannot log in yet, an invitation code are written with the audit event in one
 * transaction. A stopped program may be recommended again; the old planned talks are cancelled.
 */
import type { FollowUpModuleId, Recommendation, RecommendationBody } from '../../contract/followup.js';
import { mayIssueFirstLoginCode } from '../../domain/access/patient-account.js';
import { checklistProblems, planFollowUps, suitability } from '../../domain/followup/plan.js';
import type { DataContext } from '../access/data-context.js';
import { badRequest, HttpProblem } from '../problem.js';
import { loadPatientAccountState, replaceInvitation } from './invitation-codes.js';
import { latestPhq9 } from './recommendation.queries.js';

/** `invitationKey`: the server secret the invitation code's HMAC is keyed with. */
export async function recommendProgram(
  ctx: DataContext,
  patientId: string,
  body: RecommendationBody,
  invitationKey: Buffer
): Promise<Recommendation> {
  const { guidanceLevel } = body;
  const decisionNote = body.decisionNote?.trim() || null;
  const now = ctx.now;
  const latest = await latestPhq9(ctx.db, patientId);
  const check = suitability(latest ? { total: latest.total, item9: latest.item9 } : null);
  const { birth_year: birthYear } = await ctx.db
    .selectFrom('patients')
    .select('birth_year')
    .where('id', '=', patientId)
    .executeTakeFirstOrThrow();
  const problems = checklistProblems(body.contraindications, { birthYear, now });
  if (check.level === 'needs_decision' && !decisionNote) {
    problems.unshift({
      field: 'decisionNote',
      reason: `is required: the latest PHQ-9 shows ${check.reasons.join(' and ')}; record why the program is still the right step`,
    });
  }
  if (problems.length > 0) throw badRequest(problems);
  const result = await ctx.withAudit(async (trx, audit) => {
    const existing = await trx
      .selectFrom('program_enrolments')
      .select(['status'])
      .where('patient_id', '=', patientId)
      .executeTakeFirst();
    if (existing && existing.status !== 'stopped') {
      throw new HttpProblem(409, 'Conflict', `The program is already ${existing.status} for this patient.`);
    }
    const values = {
      status: 'recommended' as const,
      recommended_by: ctx.actor.userId,
      recommended_at: now,
      modules_completed: 0,
      finished_at: null,
      started_at: null,
      guidance_level: guidanceLevel,
      baseline_phq9: latest?.total ?? null,
      baseline_item9: latest?.item9 ?? null,
      suitability_reasons: JSON.stringify(check.level === 'needs_decision' ? check.reasons : []),
      suitability_decision: decisionNote,
      contraindications: JSON.stringify(
        body.contraindications.map((c) => ({
          item: c.item,
          reasonToProceed: c.reasonToProceed.trim(),
        }))
      ),
    };
    if (existing)
      await trx.updateTable('program_enrolments').set(values).where('patient_id', '=', patientId).execute();
    else
      await trx
        .insertInto('program_enrolments')
        .values({ patient_id: patientId, ...values })
        .execute();
    await trx
      .updateTable('follow_ups')
      .set({ status: 'cancelled' })
      .where('patient_id', '=', patientId)
      .where('status', '=', 'planned')
      .execute();
    const plan = planFollowUps(guidanceLevel, now);
    const followUps = await trx
      .insertInto('follow_ups')
      .values(
        plan.map((p) => ({
          patient_id: patientId,
          gp_user_id: ctx.actor.userId,
          module_id: p.moduleId,
          planned_at: p.plannedAt,
          duration_minutes: p.durationMinutes,
          kind: p.kind,
          created_at: now,
        }))
      )
      .returning(['id', 'planned_at', 'duration_minutes', 'module_id'])
      .execute();
    const account = await loadPatientAccountState(trx, patientId);
    const invitation = mayIssueFirstLoginCode(account.state)
      ? await replaceInvitation(trx, invitationKey, patientId, ctx.actor.userId, now)
      : null;
    audit({
      action: 'create',
      dataCategory: 'program recommendation and follow-up plan',
      patientIds: [patientId],
    });
    return { followUps, invitation };
  });
  return {
    recommendedAt: now.toISOString(),
    guidanceLevel,
    followUps: result.followUps.map((f) => ({
      id: f.id,
      plannedAt: new Date(f.planned_at).toISOString(),
      durationMinutes: f.duration_minutes,
      moduleId: f.module_id as FollowUpModuleId | null,
    })),
    invitation: result.invitation
      ? {
          code: result.invitation.code,
          expiresAt: result.invitation.expiresAt.toISOString(),
          path: '/invitasjon',
        }
      : null,
  };
}

/**
 * A treat-to-target decision (issue 12 §1): recorded with its audit event in one transaction, with
 * what it changes in the plan (more GP talks plans one extra talk within a week).
 */
import type { DecisionBody, DecisionRecorded } from '../../contract/followup.js';
import { followUpOwner } from '../../domain/access/policy.js';
import type { DataContext } from '../access/data-context.js';
import { DAY } from './follow-up-shared.js';

export async function recordDecision(
  ctx: DataContext,
  patientId: string,
  body: DecisionBody
): Promise<DecisionRecorded> {
  const now = ctx.now;
  const planChange = await ctx.withAudit(async (trx, audit) => {
    await trx
      .insertInto('treatment_decisions')
      .values({
        patient_id: patientId,
        decided_by: ctx.actor.userId,
        decided_at: now,
        week: body.week,
        choice: body.choice,
        note: body.note?.trim() || null,
      })
      .execute();
    let change = 'none';
    if (body.choice === 'more_gp_talks') {
      // One extra talk within a week, before the next module follow-up.
      const at = new Date(now.getTime() + 7 * DAY);
      at.setUTCHours(8, 0, 0, 0);
      await trx
        .insertInto('follow_ups')
        .values({
          patient_id: patientId,
          gp_user_id: followUpOwner(ctx.actor, ctx.patientAccess!.listGpUserIds),
          module_id: null,
          planned_at: at,
          duration_minutes: 20,
          kind: 'extra',
          created_at: now,
        })
        .execute();
      change = 'extra_follow_up_planned';
    }
    if (body.choice === 'refer_dps' || body.choice === 'low_threshold_service')
      change = 'program_continues_alongside_referral';
    if (body.choice === 'consider_medication') change = 'medication_talk_at_next_follow_up';
    audit({ action: 'create', dataCategory: 'treatment decision', patientIds: [patientId] });
    return change;
  });
  return { choice: body.choice, planChange };
}

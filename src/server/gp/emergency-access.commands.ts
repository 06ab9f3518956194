/**
 * Breaking the glass (issue 16): a GP opens a patient of their practice outside the care relation
 * for two hours (the rule: domain/access/emergency-access.ts). The patient is found by person
 * number within the GP's own practice only, so the answer for a patient elsewhere (or nowhere) is
 * the same 404. The step-up (a fresh re-authentication) is the access layer's, declared on the
 * route; the row and its audit line commit together.
 */
import type { EmergencyAccessBody, EmergencyAccessGranted } from '../../contract/gp.js';
import { decideEmergencyAccess } from '../../domain/access/emergency-access.js';
import { personNumberProblem } from '../../domain/identifiers/norwegian-ids.js';
import type { DataContext } from '../access/data-context.js';
import { badRequest, notFound } from '../problem.js';

export async function breakTheGlass(
  ctx: DataContext,
  body: EmergencyAccessBody
): Promise<EmergencyAccessGranted> {
  const problem = personNumberProblem(body.personNumber);
  if (problem) throw badRequest([{ field: 'personNumber', reason: problem }]);
  const patient = await ctx.db
    .selectFrom('patients')
    .select(['id', 'display_name', 'practice_id'])
    .where('national_id', '=', body.personNumber)
    .where('practice_id', '=', ctx.actor.practiceId ?? '00000000-0000-0000-0000-000000000000')
    .executeTakeFirst();
  if (!patient) throw notFound();
  const decision = decideEmergencyAccess({
    actor: ctx.actor,
    patientPracticeId: patient.practice_id,
    note: body.note,
    now: ctx.now,
  });
  if (!decision.allowed) {
    if (decision.reason === 'note_too_short')
      throw badRequest([{ field: 'note', reason: 'must say what happened (at least 10 characters)' }]);
    throw notFound();
  }
  await ctx.withAudit(async (trx, audit) => {
    await trx
      .insertInto('emergency_accesses')
      .values({
        gp_user_id: ctx.actor.userId,
        patient_id: patient.id,
        reason: body.reason,
        note: body.note.trim(),
        started_at: ctx.now,
        ends_at: decision.endsAt,
      })
      .execute();
    audit({
      action: 'access',
      dataCategory: `emergency access: ${body.reason}`,
      patientIds: [patient.id],
      basis: 'emergency_access',
    });
  });
  return { patientId: patient.id, patientName: patient.display_name, endsAt: decision.endsAt.toISOString() };
}

/**
 * The GP's structured note of a follow-up (issue 12 §1): stored with "follow-up done" and its audit
 * event in one transaction, then turned into the text for the record (domain/followup/note.ts)
 * with the PHQ-9, the baseline, the patient's agenda, urgent cases closed since the last note and
 * the next planned talk, and fee-code suggestions.
 */
import { MODULE_CONTENT } from '../../content/modules.js';
import type { NoteBody, NoteWritten } from '../../contract/followup.js';
import { consultationNoteText, suggestFeeCodes, type StructuredNote } from '../../domain/followup/note.js';
import { moduleOfTalk } from '../../domain/followup/plan.js';
import { baselinePhq9 } from '../../domain/followup/treat-to-target.js';
import { MODULE_IDS, type ModuleId } from '../../domain/program/progress.js';
import type { DataContext } from '../access/data-context.js';
import { badRequest, HttpProblem } from '../problem.js';
import { DAY, findFollowUp } from './follow-up-shared.js';

export async function writeNote(
  ctx: DataContext,
  patientId: string,
  followUpId: string,
  body: NoteBody
): Promise<NoteWritten> {
  const problems = [];
  if (body.sickLeave.status === 'graded' && body.sickLeave.percent === null)
    problems.push({ field: 'sickLeave.percent', reason: 'is required for graded sick leave' });
  if (body.sickLeave.status !== 'none' && !body.sickLeave.from)
    problems.push({ field: 'sickLeave.from', reason: 'is required when on sick leave' });
  if (body.sickLeave.from && body.sickLeave.to && body.sickLeave.to < body.sickLeave.from)
    problems.push({ field: 'sickLeave.to', reason: 'must not be before the start date' });
  if (problems.length > 0) throw badRequest(problems);
  const followUp = await findFollowUp(ctx.db, patientId, followUpId);
  if (followUp.status !== 'planned')
    throw new HttpProblem(409, 'Conflict', `This follow-up is already ${followUp.status}.`);
  const now = ctx.now;
  const lang = body.language;
  const note: StructuredNote = {
    discussed: body.discussed,
    plan: body.plan,
    nextStep: body.nextStep,
    mode: body.mode,
    durationMinutes: body.durationMinutes,
    sickLeave: body.sickLeave,
  };
  const result = await ctx.withAudit(async (trx, audit) => {
    await trx
      .insertInto('follow_up_notes')
      .values({
        follow_up_id: followUpId,
        patient_id: patientId,
        gp_user_id: ctx.actor.userId,
        discussed: body.discussed,
        plan: body.plan,
        next_step: body.nextStep,
        mode: body.mode,
        duration_minutes: body.durationMinutes,
        sick_leave_status: body.sickLeave.status,
        sick_leave_percent: body.sickLeave.status === 'graded' ? body.sickLeave.percent : null,
        sick_leave_from: body.sickLeave.status === 'none' ? null : body.sickLeave.from,
        sick_leave_to: body.sickLeave.status === 'none' ? null : body.sickLeave.to,
        fee_codes: JSON.stringify(body.feeCodes),
        created_at: now,
      })
      .execute();
    // "Follow-up done": mark it held and move on to the next planned one.
    await trx
      .updateTable('follow_ups')
      .set({ status: 'done', held_at: now })
      .where('id', '=', followUpId)
      .execute();
    const next = await trx
      .selectFrom('follow_ups')
      .select(['id', 'planned_at'])
      .where('patient_id', '=', patientId)
      .where('status', '=', 'planned')
      .orderBy('planned_at')
      .limit(1)
      .executeTakeFirst();
    const latest = await trx
      .selectFrom('questionnaire_responses')
      .select(['total_score', 'severity', 'item9_score', 'answered_at'])
      .where('patient_id', '=', patientId)
      .where('instrument', '=', 'phq9')
      .orderBy('answered_at', 'desc')
      .limit(1)
      .executeTakeFirst();
    const enrolment = await trx
      .selectFrom('program_enrolments')
      .select(['baseline_phq9', 'started_at'])
      .where('patient_id', '=', patientId)
      .executeTakeFirst();
    const agenda = await trx
      .selectFrom('follow_up_agendas')
      .select('talk_about')
      .where('follow_up_id', '=', followUpId)
      .executeTakeFirst();
    audit({
      action: 'create',
      dataCategory: 'follow-up note',
      patientIds: [patientId],
    });
    // Baseline as on the card and the worklist (domain/followup/treat-to-target.ts).
    const phq9 = await trx
      .selectFrom('questionnaire_responses')
      .select(['total_score', 'answered_at'])
      .where('patient_id', '=', patientId)
      .where('instrument', '=', 'phq9')
      .execute();
    const baseline = baselinePhq9(
      phq9.map((p) => ({ answeredAt: new Date(p.answered_at), total: p.total_score })),
      enrolment?.started_at ? new Date(enrolment.started_at) : null,
      enrolment?.baseline_phq9 ?? null
    );
    // Urgent cases closed since the previous note: what was done goes into the record.
    const previousNote = await trx
      .selectFrom('follow_up_notes')
      .select('created_at')
      .where('patient_id', '=', patientId)
      .where('created_at', '<', now)
      .orderBy('created_at', 'desc')
      .limit(1)
      .executeTakeFirst();
    const urgentCases = await trx
      .selectFrom('urgent_cases as c')
      .innerJoin('safety_alerts as a', 'a.case_id', 'c.id')
      .select([
        'c.opened_at',
        'c.contact',
        'c.assessment',
        'c.plan',
        (eb) => eb.fn.max('a.item9_score').as('item9_max'),
      ])
      .where('c.patient_id', '=', patientId)
      .where('c.closed_at', 'is not', null)
      .where('c.closed_at', '>', previousNote ? new Date(previousNote.created_at) : new Date(0))
      .groupBy(['c.id', 'c.opened_at', 'c.contact', 'c.assessment', 'c.plan'])
      .orderBy('c.opened_at')
      .execute();
    return {
      next,
      latest,
      baseline: baseline?.total ?? null,
      agenda: agenda?.talk_about ?? null,
      urgentCases: urgentCases.map((c) => ({
        openedAt: new Date(c.opened_at),
        item9Max: Number(c.item9_max),
        contact: c.contact!,
        assessment: c.assessment ?? '',
        plan: c.plan ?? '',
      })),
    };
  });
  // As on the card: the note names the module the patient has done, never one ahead of them.
  const completedModules = await ctx.db
    .selectFrom('module_progress')
    .select('module_id')
    .where('patient_id', '=', patientId)
    .where('completed_at', 'is not', null)
    .execute();
  const moduleId = moduleOfTalk(
    followUp.module_id as ModuleId | null,
    completedModules.map((m) => m.module_id as ModuleId),
    MODULE_IDS
  );
  const noteText = consultationNoteText(
    note,
    {
      moduleNumber: moduleId ? MODULE_CONTENT[moduleId][lang].number : null,
      moduleTitle: moduleId ? MODULE_CONTENT[moduleId][lang].title : null,
      phq9: result.latest
        ? {
            total: result.latest.total_score,
            severity: result.latest.severity,
            item9: result.latest.item9_score ?? 0,
          }
        : null,
      baselinePhq9: result.baseline,
      patientAgenda: result.agenda?.trim() || null,
      nextFollowUpAt: result.next ? new Date(result.next.planned_at) : null,
      urgentCases: result.urgentCases,
      feeCodes: body.feeCodes,
    },
    lang
  );
  // Kept as shown, so the record's DocumentReference (FHIR API) carries the very text the GP
  // copied. Written after the text is built from what the transaction read; a note without it is
  // rebuilt from its structured fields.
  await ctx.db
    .updateTable('follow_up_notes')
    .set({ note_text: noteText, note_language: lang })
    .where('follow_up_id', '=', followUpId)
    .where('patient_id', '=', patientId)
    .execute();
  const reviewed = Boolean(
    result.latest && now.getTime() - new Date(result.latest.answered_at).getTime() < 7 * DAY
  );
  return {
    noteText,
    feeCodeSuggestions: suggestFeeCodes(note, reviewed).map((c) => ({ code: c.code, why: c.why[lang] })),
    nextFollowUp: result.next
      ? { id: result.next.id, plannedAt: new Date(result.next.planned_at).toISOString() }
      : null,
  };
}

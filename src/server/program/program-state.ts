/**
 * Loads what the domain rules need to know about one patient's program (enrolment, module
 * progress, measurements, the next follow-up) in a few queries, and evaluates the rules.
 */
import type { Kysely } from 'kysely';
import { MODULE_OUTLINES } from '../../content/modules.js';
import {
  answerBlockedUntil,
  isModuleComplete,
  measuresDue,
  measuresUpcoming,
  moduleOpensAt,
  moduleStates,
  MODULE_IDS,
  type Instrument,
  type ModuleId,
  type ModuleProgressRecord,
  type ProgramFacts,
} from '../../domain/program/progress.js';
import type { ProgramView } from '../../contract/program.js';
import type { Database } from '../../db/schema.js';

/** What the program routes return: the API contract's shape (src/contract/program.ts). */
export type { ProgramView } from '../../contract/program.js';

export async function loadProgram(
  db: Kysely<Database>,
  patientId: string,
  now: Date
): Promise<ProgramView & { facts: ProgramFacts; responseIds: string[] }> {
  const [enrolment, progress, quiz, measurements, followUp, openings] = await Promise.all([
    db
      .selectFrom('program_enrolments')
      .select(['status', 'recommended_at', 'started_at'])
      .where('patient_id', '=', patientId)
      .executeTakeFirst(),
    db.selectFrom('module_progress').selectAll().where('patient_id', '=', patientId).execute(),
    db
      .selectFrom('quiz_answers')
      .select(['module_id', 'question_id', 'option_id', 'correct'])
      .where('patient_id', '=', patientId)
      .execute(),
    db
      .selectFrom('questionnaire_responses')
      .select(['id', 'instrument', 'answered_at', 'item9_score'])
      .where('patient_id', '=', patientId)
      .execute(),
    db
      .selectFrom('follow_ups')
      .select(['id', 'planned_at', 'module_id', 'duration_minutes'])
      .where('patient_id', '=', patientId)
      .where('status', '=', 'planned')
      .where('planned_at', '>=', new Date(now.getTime() - 60 * 60 * 1000))
      .orderBy('planned_at')
      .limit(1)
      .executeTakeFirst(),
    db
      .selectFrom('module_early_openings as o')
      .innerJoin('users as u', 'u.id', 'o.opened_by')
      .select(['o.module_id', 'o.opened_at', 'o.reason', 'u.display_name'])
      .where('o.patient_id', '=', patientId)
      .execute(),
  ]);
  const records: ModuleProgressRecord[] = progress.map((p) => ({
    moduleId: p.module_id as ModuleId,
    lessonsViewed: p.lessons_viewed,
    quizAnswered: quiz.filter((q) => q.module_id === p.module_id).map((q) => q.question_id),
    completedAt: p.completed_at ? new Date(p.completed_at) : null,
  }));
  const facts: ProgramFacts = {
    startedAt: enrolment?.started_at ? new Date(enrolment.started_at) : null,
    modules: records,
    measurements: measurements.map((m) => ({
      instrument: m.instrument,
      answeredAt: new Date(m.answered_at),
      item9Score: m.item9_score,
    })),
    openedEarly: openings.map((o) => o.module_id as ModuleId),
    now,
  };
  const states = moduleStates(facts);
  const running = enrolment?.status === 'active' || enrolment?.status === 'finished';
  return {
    facts,
    responseIds: measurements.map((m) => m.id),
    status: enrolment?.status ?? 'not_recommended',
    recommendedAt: enrolment ? new Date(enrolment.recommended_at).toISOString() : null,
    startedAt: facts.startedAt?.toISOString() ?? null,
    modules: MODULE_IDS.map((id) => {
      const row = progress.find((p) => p.module_id === id);
      const opening = openings.find((o) => o.module_id === id);
      return {
        id,
        state: states[id],
        lessonsViewed: row?.lessons_viewed ?? [],
        quizAnswered: quiz
          .filter((q) => q.module_id === id)
          .map((q) => ({ questionId: q.question_id, optionId: q.option_id, correct: q.correct })),
        secondsSpent: row?.seconds_spent ?? 0,
        completedAt: row?.completed_at ? new Date(row.completed_at).toISOString() : null,
        opensAt: states[id] === 'waiting' ? (moduleOpensAt(facts, id)?.toISOString() ?? null) : null,
        openedEarly: opening
          ? {
              at: new Date(opening.opened_at).toISOString(),
              by: opening.display_name,
              reason: opening.reason,
            }
          : null,
      };
    }),
    measuresDue: running ? measuresDue(facts) : [],
    measuresUpcoming: running
      ? measuresUpcoming(facts).map((u) => ({ ...u, from: u.from.toISOString() }))
      : [],
    answerFrom: {
      phq9: answerBlockedUntil(facts, 'phq9')?.toISOString() ?? null,
      gad7: answerBlockedUntil(facts, 'gad7')?.toISOString() ?? null,
      wsas: answerBlockedUntil(facts, 'wsas')?.toISOString() ?? null,
    },
    nextFollowUp: followUp
      ? {
          id: followUp.id,
          plannedAt: new Date(followUp.planned_at).toISOString(),
          moduleId: followUp.module_id as ModuleId | null,
          durationMinutes: followUp.duration_minutes,
        }
      : null,
  };
}

/** What the program routes return: the view without the facts behind it. */
export async function loadProgramView(
  db: Kysely<Database>,
  patientId: string,
  now: Date
): Promise<ProgramView> {
  const { facts: _facts, responseIds: _responseIds, ...view } = await loadProgram(db, patientId, now);
  return view;
}

/** After a lesson view or a quiz answer: mark the module complete when it is, and move the enrolment on. */
export async function completeModuleIfDone(
  db: Kysely<Database>,
  patientId: string,
  moduleId: ModuleId,
  now: Date
): Promise<boolean> {
  const outline = MODULE_OUTLINES.find((o) => o.id === moduleId)!;
  const row = await db
    .selectFrom('module_progress')
    .select(['lessons_viewed', 'completed_at'])
    .where('patient_id', '=', patientId)
    .where('module_id', '=', moduleId)
    .executeTakeFirst();
  if (!row || row.completed_at) return false;
  const answered = await db
    .selectFrom('quiz_answers')
    .select('question_id')
    .where('patient_id', '=', patientId)
    .where('module_id', '=', moduleId)
    .execute();
  const record = {
    moduleId,
    lessonsViewed: row.lessons_viewed,
    quizAnswered: answered.map((a) => a.question_id),
    completedAt: null,
  };
  if (!isModuleComplete(outline, record)) return false;
  await db
    .updateTable('module_progress')
    .set({ completed_at: now })
    .where('patient_id', '=', patientId)
    .where('module_id', '=', moduleId)
    .execute();
  const completed = await db
    .selectFrom('module_progress')
    .select((eb) => eb.fn.countAll<number>().as('n'))
    .where('patient_id', '=', patientId)
    .where('completed_at', 'is not', null)
    .executeTakeFirstOrThrow();
  const count = Number(completed.n);
  await db
    .updateTable('program_enrolments')
    .set({
      modules_completed: count,
      ...(count === MODULE_IDS.length ? { status: 'finished', finished_at: now } : {}),
    })
    .where('patient_id', '=', patientId)
    .execute();
  return true;
}

/**
 * The pacing rule for a new answer (issue 11 §3, domain answerBlockedUntil): the date it may be
 * answered from, or null when it may be answered now. Call inside the transaction that stores the
 * answer, after the insert: it locks the patient's row first, so of two answers sent at once the
 * second sees the first, and it leaves the new answer itself out of the count. FOR NO KEY UPDATE,
 * not FOR UPDATE: the insert already holds the row's KEY SHARE lock (the foreign key), and two
 * answers each holding that and asking FOR UPDATE would deadlock.
 */
export async function answerNotAllowedBefore(
  db: Kysely<Database>,
  patientId: string,
  instrument: Instrument,
  now: Date,
  newResponseId: string
): Promise<Date | null> {
  await db.selectFrom('patients').select('id').where('id', '=', patientId).forNoKeyUpdate().execute();
  const program = await loadProgram(db, patientId, now);
  const measurements = program.facts.measurements.filter((_, i) => program.responseIds[i] !== newResponseId);
  return answerBlockedUntil({ ...program.facts, measurements }, instrument);
}

/**
 * The program's use cases (issue 12 §1): what starting, opening early, viewing a lesson,
 * answering a quiz and saving the workbook do to the database. The routes above them are HTTP only
 * (schema, access, call, reply) and call the request-level commands at the end of this file, which
 * take the request's data context; each step below runs inside that audited transaction and
 * declares its audit event, so data access and audit are one unit.
 */
import { isDeepStrictEqual } from 'node:util';
import type { Kysely, Transaction } from 'kysely';
import { sql } from 'kysely';
import { MODULE_CONTENT, moduleContent } from '../../content/modules.js';
import type {
  LessonViewResult,
  ProgramView,
  QuizResult,
  WorkbookEntry,
  WorkbookEntryBody,
} from '../../contract/program.js';
import type { Database } from '../../db/schema.js';
import type { Locale } from '../../domain/instruments/phq9.js';
import type { ModuleId } from '../../domain/program/progress.js';
import { validateWorkbookAnswers } from '../../domain/program/workbook.js';
import type { DataContext } from '../access/data-context.js';
import type { AuditWhat } from '../audit/audit-log.js';
import { badRequest, HttpProblem, notFound } from '../problem.js';
import { completeModuleIfDone, loadProgram, loadProgramView } from './program-state.js';
import { toWorkbookEntry } from './program.queries.js';

type Audit = (what: AuditWhat) => void;

/** Refuses work on a module the patient cannot open yet (409 names the reason). */
export async function assertModuleOpen(
  db: Kysely<Database>,
  patientId: string,
  moduleId: ModuleId,
  now: Date
): Promise<void> {
  const program = await loadProgram(db, patientId, now);
  if (program.status !== 'active' && program.status !== 'finished') {
    throw new HttpProblem(409, 'Conflict', 'The program has not been started.');
  }
  const module = program.modules.find((m) => m.id === moduleId)!;
  if (module.state === 'locked')
    throw new HttpProblem(409, 'Conflict', `Module ${moduleId} opens when the previous module is finished.`);
  if (module.state === 'waiting')
    throw new HttpProblem(
      409,
      'Conflict',
      `Module ${moduleId} opens on ${module.opensAt}, a week after the previous one; your GP can open it earlier.`
    );
  if (module.state === 'measure_first')
    throw new HttpProblem(409, 'Conflict', `Answer the PHQ-9 before starting module ${moduleId}.`);
}

/** The patient accepts the recommendation: recommended → active (again: nothing changes). */
export async function startProgram(
  trx: Transaction<Database>,
  audit: Audit,
  args: { patientId: string; now: Date }
): Promise<void> {
  const { patientId, now } = args;
  const enrolment = await trx
    .selectFrom('program_enrolments')
    .select(['status'])
    .where('patient_id', '=', patientId)
    .executeTakeFirst();
  if (!enrolment) throw new HttpProblem(409, 'Conflict', 'Your GP has not recommended the program yet.');
  if (enrolment.status === 'stopped')
    throw new HttpProblem(409, 'Conflict', 'The program has been stopped. Talk to your GP.');
  if (enrolment.status === 'recommended') {
    await trx
      .updateTable('program_enrolments')
      .set({ status: 'active', started_at: now })
      .where('patient_id', '=', patientId)
      .execute();
    audit({ action: 'update', dataCategory: 'program start', patientIds: [patientId] });
  }
}

/**
 * The GP opens a waiting module before its week has passed (issue 11 §3); who, when and why are
 * kept. The patient row is locked first, so two openings at once cannot both pass the check.
 */
export async function openModuleEarly(
  trx: Transaction<Database>,
  audit: Audit,
  args: { patientId: string; moduleId: ModuleId; openedBy: string; reason: string; now: Date }
): Promise<void> {
  const { patientId, moduleId, now } = args;
  await trx.selectFrom('patients').select('id').where('id', '=', patientId).forNoKeyUpdate().execute();
  const program = await loadProgram(trx, patientId, now);
  const state = program.modules.find((m) => m.id === moduleId)!.state;
  if (state !== 'waiting')
    throw new HttpProblem(
      409,
      'Conflict',
      state === 'locked'
        ? `Module ${moduleId} cannot be opened before the module before it is finished.`
        : `Module ${moduleId} is not waiting for its date: it is ${state.replace('_', ' ')}.`
    );
  await trx
    .insertInto('module_early_openings')
    .values({
      patient_id: patientId,
      module_id: moduleId,
      opened_at: now,
      opened_by: args.openedBy,
      reason: args.reason.trim(),
    })
    .execute();
  audit({ action: 'update', dataCategory: 'module opened early', patientIds: [patientId] });
}

/** A lesson page seen (once, however often), with its time; returns whether the module completed. */
export async function recordLessonView(
  trx: Transaction<Database>,
  audit: Audit,
  args: { patientId: string; moduleId: ModuleId; lessonId: string; seconds: number; now: Date }
): Promise<boolean> {
  const { patientId, moduleId, lessonId, seconds, now } = args;
  await trx
    .insertInto('module_progress')
    .values({
      patient_id: patientId,
      module_id: moduleId,
      started_at: now,
      lessons_viewed: JSON.stringify([lessonId]),
      seconds_spent: seconds,
    })
    .onConflict((oc) =>
      oc.columns(['patient_id', 'module_id']).doUpdateSet({
        // Set union: viewing a page twice (or a retried request) records it once.
        lessons_viewed: sql`case when module_progress.lessons_viewed ? ${lessonId} then module_progress.lessons_viewed else module_progress.lessons_viewed || ${JSON.stringify([lessonId])}::jsonb end`,
        seconds_spent: sql`module_progress.seconds_spent + ${seconds}`,
      })
    )
    .execute();
  const done = await completeModuleIfDone(trx, patientId, moduleId, now);
  audit({ action: 'update', dataCategory: 'module progress', patientIds: [patientId] });
  return done;
}

/** A quiz answer (the latest counts); returns whether the module completed. */
export async function recordQuizAnswer(
  trx: Transaction<Database>,
  audit: Audit,
  args: {
    patientId: string;
    moduleId: ModuleId;
    questionId: string;
    optionId: string;
    correct: boolean;
    now: Date;
  }
): Promise<boolean> {
  const { patientId, moduleId, questionId, optionId, correct, now } = args;
  await trx
    .insertInto('module_progress')
    .values({ patient_id: patientId, module_id: moduleId, started_at: now })
    .onConflict((oc) => oc.columns(['patient_id', 'module_id']).doNothing())
    .execute();
  await trx
    .insertInto('quiz_answers')
    .values({
      patient_id: patientId,
      module_id: moduleId,
      question_id: questionId,
      option_id: optionId,
      correct,
      answered_at: now,
    })
    .onConflict((oc) =>
      oc
        .columns(['patient_id', 'module_id', 'question_id'])
        .doUpdateSet({ option_id: optionId, correct, answered_at: now })
    )
    .execute();
  const done = await completeModuleIfDone(trx, patientId, moduleId, now);
  audit({ action: 'update', dataCategory: 'quiz answer', patientIds: [patientId] });
  return done;
}

/** The answers stored for a workbook entry of this patient, if any (to tell a sharing-only change). */
export async function storedWorkbookAnswers(
  db: Kysely<Database>,
  patientId: string,
  entryId: string
): Promise<unknown> {
  const stored = await db
    .selectFrom('workbook_entries')
    .select(['answers'])
    .where('patient_id', '=', patientId)
    .where('id', '=', entryId)
    .executeTakeFirst();
  return stored?.answers;
}

/**
 * Saves a workbook entry at a revision. A late retry of an older save (or a repeat of this one)
 * keeps what is stored and says so (`stale`), so nothing newer is ever overwritten.
 */
export async function saveWorkbookEntry(
  trx: Transaction<Database>,
  audit: Audit,
  args: {
    patientId: string;
    entryId: string;
    moduleId: ModuleId;
    exerciseId: string;
    answers: Record<string, unknown>;
    revision: number;
    sharedWithGp: boolean;
    now: Date;
  }
) {
  const { patientId, entryId, moduleId, exerciseId, answers, revision, sharedWithGp, now } = args;
  const existing = await trx
    .selectFrom('workbook_entries')
    .selectAll()
    // Entry ids are scoped to their patient (the key is patient + id): another patient's id
    // is a new entry here, so the answer never says whether it exists elsewhere.
    .where('patient_id', '=', patientId)
    .where('id', '=', entryId)
    .forUpdate()
    .executeTakeFirst();
  if (existing && (existing.module_id !== moduleId || existing.exercise_id !== exerciseId)) {
    throw new HttpProblem(409, 'Conflict', 'This entry id belongs to another exercise.');
  }
  if (existing && existing.revision >= revision) return { row: existing, stale: true };
  const values = {
    answers: JSON.stringify(answers),
    revision,
    shared_with_gp: sharedWithGp,
    updated_at: now,
  };
  const saved = existing
    ? await trx
        .updateTable('workbook_entries')
        .set(values)
        .where('patient_id', '=', patientId)
        .where('id', '=', entryId)
        .returningAll()
        .executeTakeFirstOrThrow()
    : await trx
        .insertInto('workbook_entries')
        .values({
          id: entryId,
          patient_id: patientId,
          module_id: moduleId,
          exercise_id: exerciseId,
          created_at: now,
          ...values,
        })
        // Two first saves racing (PostgreSQL): the loser is told to resend, not a 500.
        .onConflict((oc) => oc.columns(['patient_id', 'id']).doNothing())
        .returningAll()
        .executeTakeFirst();
  if (!saved) {
    throw new HttpProblem(409, 'Conflict', 'This entry was saved at the same moment; send it again.');
  }
  audit({ action: existing ? 'update' : 'create', dataCategory: 'workbook entry', patientIds: [patientId] });
  return { row: saved, stale: false };
}

// --- Request-level commands: what the routes call, with the request's data context ------------

/** A lesson view counts at most this long, so a tab left open overnight does not count as work. */
const MAX_SECONDS_PER_VIEW = 30 * 60;

/** The patient starts the program; answers with the program as it now is. */
export async function startProgramFor(ctx: DataContext, patientId: string): Promise<ProgramView> {
  const { now } = ctx;
  await ctx.withAudit((trx, audit) => startProgram(trx, audit, { patientId, now }));
  return loadProgramView(ctx.db, patientId, now);
}

/** The GP opens a waiting module early, with a reason; answers with the program as it now is. */
export async function openModuleEarlyFor(
  ctx: DataContext,
  args: { patientId: string; moduleId: ModuleId; reason: string }
): Promise<ProgramView> {
  const { now } = ctx;
  await ctx.withAudit((trx, audit) =>
    openModuleEarly(trx, audit, { ...args, openedBy: ctx.actor.userId, now })
  );
  return loadProgramView(ctx.db, args.patientId, now);
}

/** A lesson seen for `secondsSpent` (capped); 404 for a lesson the module does not have. */
export async function viewLesson(
  ctx: DataContext,
  args: { patientId: string; moduleId: ModuleId; lessonId: string; secondsSpent: number }
): Promise<LessonViewResult> {
  const { patientId, moduleId, lessonId } = args;
  if (!MODULE_CONTENT[moduleId].nb.lessons.some((l) => l.id === lessonId)) throw notFound();
  await assertModuleOpen(ctx.db, patientId, moduleId, ctx.now);
  const { now } = ctx;
  const seconds = Math.min(args.secondsSpent, MAX_SECONDS_PER_VIEW);
  const completed = await ctx.withAudit((trx, audit) =>
    recordLessonView(trx, audit, { patientId, moduleId, lessonId, seconds, now })
  );
  return { moduleCompleted: completed };
}

/** A quiz answer, with the right answer and its explanation in the patient's language. */
export async function answerQuiz(
  ctx: DataContext,
  args: { patientId: string; moduleId: ModuleId; questionId: string; optionId: string; lang: Locale }
): Promise<QuizResult> {
  const { patientId, moduleId, questionId, optionId } = args;
  const question = moduleContent(moduleId, args.lang).quiz.find((q) => q.id === questionId);
  if (!question) throw notFound();
  if (!question.options.some((o) => o.id === optionId)) {
    throw badRequest([
      { field: 'optionId', reason: `must be one of ${question.options.map((o) => o.id).join(', ')}` },
    ]);
  }
  await assertModuleOpen(ctx.db, patientId, moduleId, ctx.now);
  const { now } = ctx;
  const correct = optionId === question.correctOptionId;
  const moduleCompleted = await ctx.withAudit((trx, audit) =>
    recordQuizAnswer(trx, audit, { patientId, moduleId, questionId, optionId, correct, now })
  );
  return {
    correct,
    correctOptionId: question.correctOptionId,
    explanation: question.explanation,
    moduleCompleted,
  };
}

/**
 * Saves a workbook entry as it is typed. `stale`: a late retry of an older save (or a repeat of
 * this one), answered with what is stored.
 */
export async function saveWorkbook(
  ctx: DataContext,
  args: { patientId: string; entryId: string; body: WorkbookEntryBody }
): Promise<{ entry: WorkbookEntry; stale: boolean }> {
  const { patientId, entryId } = args;
  const { moduleId, exerciseId, answers, revision, sharedWithGp } = args.body;
  const exercise = MODULE_CONTENT[moduleId].nb.exercises.find((e) => e.id === exerciseId);
  if (!exercise)
    throw badRequest([{ field: 'exerciseId', reason: `is not an exercise of module ${moduleId}` }]);
  const problems = validateWorkbookAnswers(exercise, answers);
  if (problems.length > 0) throw badRequest(problems);
  // Changing only the sharing choice of an existing entry is always allowed (also after the
  // program has stopped): a patient can always withdraw what they shared.
  const stored = await storedWorkbookAnswers(ctx.db, patientId, entryId);
  const sharingOnly = stored !== undefined && isDeepStrictEqual(stored, answers);
  if (!sharingOnly) await assertModuleOpen(ctx.db, patientId, moduleId, ctx.now);
  const { now } = ctx;
  const { row, stale } = await ctx.withAudit((trx, audit) =>
    saveWorkbookEntry(trx, audit, {
      patientId,
      entryId,
      moduleId,
      exerciseId,
      answers,
      revision,
      sharedWithGp,
      now,
    })
  );
  return { entry: toWorkbookEntry(row), stale };
}

/**
 * The patient's program: module content (the GP also gets the GP digest and manual), progress
 * through lessons and quizzes, and the workbook. Modules open in order; a PHQ-9 comes before each
 * module. Workbook answers are saved as they are typed: the entry id comes from the browser (unique
 * per patient) and the revision only moves forward, so retries after a lost connection store
 * nothing twice and lose nothing. The GP sees only the entries the patient chose to share.
 */
import { isDeepStrictEqual } from 'node:util';
import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import { Type, type TSchema } from 'typebox';
import { Value } from 'typebox/value';
import { MODULE_CONTENT, moduleContent } from '../../content/modules.js';
import { GpMaterial, ModuleContent } from '../../domain/program/content-schema.js';
import type { Locale } from '../../domain/instruments/phq9.js';
import { MODULE_IDS, type ModuleId } from '../../domain/program/progress.js';
import { validateWorkbookAnswers } from '../../domain/program/workbook.js';
import { PATIENT_OR_TREATING_GP, PATIENT_SELF, TREATING_GP } from '../access/rules.js';
import { auditedTransaction, recordAccess } from '../audit/audit-log.js';
import { badRequest, notFound } from '../problem.js';
import { commonErrors, Uuid } from '../schemas.js';
import { ModuleIdSchema, ProgramView } from '../../contract/program.js';
import {
  assertModuleOpen as assertModuleOpenIn,
  listWorkbook,
  openModuleEarly,
  recordLessonView,
  recordQuizAnswer,
  saveWorkbookEntry,
  startProgram,
  storedWorkbookAnswers,
} from './program.commands.js';
import { loadProgramView } from './program-state.js';

const LangQuery = Type.Object(
  { lang: Type.Optional(Type.Union([Type.Literal('nb'), Type.Literal('en')])) },
  { additionalProperties: false }
);
const ProgramResponse = ProgramView;

const WorkbookEntry = Type.Object({
  id: Uuid,
  moduleId: ModuleIdSchema,
  exerciseId: Type.String(),
  answers: Type.Record(
    Type.String(),
    Type.Union([Type.String(), Type.Number(), Type.Array(Type.String()), Type.Null()])
  ),
  revision: Type.Integer(),
  sharedWithGp: Type.Boolean(),
  createdAt: Type.String(),
  updatedAt: Type.String(),
});

interface WorkbookRow {
  id: string;
  module_id: string;
  exercise_id: string;
  answers: Record<string, unknown>;
  revision: number;
  shared_with_gp: boolean;
  created_at: Date | string;
  updated_at: Date | string;
}

function toWorkbookEntry(row: WorkbookRow) {
  return {
    id: row.id,
    moduleId: row.module_id as ModuleId,
    exerciseId: row.exercise_id,
    answers: row.answers as Record<string, string | number | string[] | null>,
    revision: row.revision,
    sharedWithGp: row.shared_with_gp,
    createdAt: new Date(row.created_at).toISOString(),
    updatedAt: new Date(row.updated_at).toISOString(),
  };
}

/** A lesson view counts at most this long, so a tab left open overnight does not count as work. */
const MAX_SECONDS_PER_VIEW = 30 * 60;

/** A module as the route returns it: the GP material only for GPs. */
const ModuleContentResponse = Type.Object(
  { ...ModuleContent.properties, gp: Type.Optional(GpMaterial) },
  { additionalProperties: false }
);

/**
 * fast-json-stringify drops optional properties of objects inside anyOf (lesson blocks and exercise
 * fields are unions of such objects), so the module route checks its output against the schema with
 * TypeBox and writes it with JSON.stringify: the output is still validated and nothing is lost.
 */
function checkedJsonSerializer({ schema }: { schema: unknown }): (data: unknown) => string {
  const typed = schema as TSchema;
  return (data) => {
    if (!Value.Check(typed, data)) {
      const first = [...Value.Errors(typed, data)][0];
      throw new Error(
        `Response does not match its schema at ${first?.instancePath || '/'}: ${first?.message ?? 'invalid'}`
      );
    }
    return JSON.stringify(data);
  };
}

const programRoutes: FastifyPluginAsyncTypebox = async (app) => {
  const assertModuleOpen = (patientId: string, moduleId: ModuleId) =>
    assertModuleOpenIn(app.db, patientId, moduleId, app.now());

  app.get(
    '/api/program/modules',
    {
      config: { access: { roles: ['patient', 'gp'] } },
      schema: {
        querystring: LangQuery,
        response: {
          200: Type.Object({
            items: Type.Array(
              Type.Object({
                id: ModuleIdSchema,
                number: Type.Integer(),
                title: Type.String(),
                subtitle: Type.String(),
                estimatedMinutes: Type.Integer(),
              })
            ),
          }),
          ...commonErrors,
        },
      },
    },
    async (request) => {
      const lang: Locale = request.query.lang ?? 'nb';
      return {
        items: MODULE_IDS.map((id) => {
          const m = MODULE_CONTENT[id][lang];
          return {
            id,
            number: m.number,
            title: m.title,
            subtitle: m.subtitle,
            estimatedMinutes: m.estimatedMinutes,
          };
        }),
      };
    }
  );

  app.get(
    '/api/program/modules/:moduleId',
    {
      config: { access: { roles: ['patient', 'gp'] } },
      schema: {
        params: Type.Object({ moduleId: ModuleIdSchema }, { additionalProperties: false }),
        querystring: LangQuery,
        response: { 200: ModuleContentResponse, ...commonErrors },
      },
      serializerCompiler: checkedJsonSerializer,
    },
    async (request) => {
      const content = moduleContent(request.params.moduleId, request.query.lang ?? 'nb');
      if (request.actor!.role === 'gp') return content;
      // The patient sees the module, not the GP's notes about it.
      const { gp: _gp, ...forPatient } = content;
      return forPatient;
    }
  );

  app.get(
    '/api/patients/:patientId/program',
    {
      config: { access: PATIENT_OR_TREATING_GP },
      schema: {
        params: Type.Object({ patientId: Uuid }),
        response: { 200: ProgramResponse, ...commonErrors },
      },
    },
    async (request) => {
      const { patientId } = request.params;
      const view = await loadProgramView(app.db, patientId, app.now());
      await recordAccess(request, {
        action: 'read',
        dataCategory: 'program progress',
        patientIds: [patientId],
      });
      return view;
    }
  );

  app.post(
    '/api/patients/:patientId/program/start',
    {
      config: { access: PATIENT_SELF },
      schema: {
        params: Type.Object({ patientId: Uuid }),
        response: { 200: ProgramResponse, ...commonErrors },
      },
    },
    async (request) => {
      const { patientId } = request.params;
      const now = app.now();
      await auditedTransaction(request, now, (trx, audit) => startProgram(trx, audit, { patientId, now }));
      return loadProgramView(app.db, patientId, now);
    }
  );

  /**
   * The GP opens a waiting module before its week has passed (issue 11 §3), for example when the
   * patient has time now and will be away next week. The reason is kept with the opening and shown
   * on the patient's timeline; the pacing of the modules after it is unchanged.
   */
  app.post(
    '/api/patients/:patientId/program/modules/:moduleId/open-early',
    {
      config: { access: TREATING_GP },
      schema: {
        params: Type.Object({ patientId: Uuid, moduleId: ModuleIdSchema }, { additionalProperties: false }),
        body: Type.Object(
          { reason: Type.String({ minLength: 1, maxLength: 500, pattern: '\\S' }) },
          { additionalProperties: false }
        ),
        response: { 200: ProgramResponse, ...commonErrors },
      },
    },
    async (request) => {
      const { patientId, moduleId } = request.params;
      const now = app.now();
      await auditedTransaction(request, now, (trx, audit) =>
        openModuleEarly(trx, audit, {
          patientId,
          moduleId,
          openedBy: request.actor!.userId,
          reason: request.body.reason,
          now,
        })
      );
      return loadProgramView(app.db, patientId, now);
    }
  );

  app.post(
    '/api/patients/:patientId/program/modules/:moduleId/lessons/:lessonId/view',
    {
      config: { access: PATIENT_SELF },
      schema: {
        params: Type.Object(
          { patientId: Uuid, moduleId: ModuleIdSchema, lessonId: Type.String({ maxLength: 60 }) },
          { additionalProperties: false }
        ),
        body: Type.Object(
          { secondsSpent: Type.Integer({ minimum: 0, maximum: 86_400 }) },
          { additionalProperties: false }
        ),
        response: { 200: Type.Object({ moduleCompleted: Type.Boolean() }), ...commonErrors },
      },
    },
    async (request) => {
      const { patientId, moduleId, lessonId } = request.params;
      if (!MODULE_CONTENT[moduleId].nb.lessons.some((l) => l.id === lessonId)) throw notFound();
      await assertModuleOpen(patientId, moduleId);
      const now = app.now();
      const seconds = Math.min(request.body.secondsSpent, MAX_SECONDS_PER_VIEW);
      const completed = await auditedTransaction(request, now, (trx, audit) =>
        recordLessonView(trx, audit, { patientId, moduleId, lessonId, seconds, now })
      );
      return { moduleCompleted: completed };
    }
  );

  app.post(
    '/api/patients/:patientId/program/modules/:moduleId/quiz/:questionId',
    {
      config: { access: PATIENT_SELF },
      schema: {
        params: Type.Object(
          { patientId: Uuid, moduleId: ModuleIdSchema, questionId: Type.String({ maxLength: 60 }) },
          { additionalProperties: false }
        ),
        querystring: LangQuery,
        body: Type.Object(
          { optionId: Type.String({ minLength: 1, maxLength: 60 }) },
          { additionalProperties: false }
        ),
        response: {
          200: Type.Object({
            correct: Type.Boolean(),
            correctOptionId: Type.String(),
            explanation: Type.String(),
            moduleCompleted: Type.Boolean(),
          }),
          ...commonErrors,
        },
      },
    },
    async (request) => {
      const { patientId, moduleId, questionId } = request.params;
      const question = moduleContent(moduleId, request.query.lang ?? 'nb').quiz.find(
        (q) => q.id === questionId
      );
      if (!question) throw notFound();
      if (!question.options.some((o) => o.id === request.body.optionId)) {
        throw badRequest([
          { field: 'optionId', reason: `must be one of ${question.options.map((o) => o.id).join(', ')}` },
        ]);
      }
      await assertModuleOpen(patientId, moduleId);
      const now = app.now();
      const correct = request.body.optionId === question.correctOptionId;
      const moduleCompleted = await auditedTransaction(request, now, (trx, audit) =>
        recordQuizAnswer(trx, audit, {
          patientId,
          moduleId,
          questionId,
          optionId: request.body.optionId,
          correct,
          now,
        })
      );
      return {
        correct,
        correctOptionId: question.correctOptionId,
        explanation: question.explanation,
        moduleCompleted,
      };
    }
  );

  app.put(
    '/api/patients/:patientId/workbook/:entryId',
    {
      config: { access: PATIENT_SELF },
      schema: {
        params: Type.Object({ patientId: Uuid, entryId: Uuid }, { additionalProperties: false }),
        body: Type.Object(
          {
            moduleId: ModuleIdSchema,
            exerciseId: Type.String({ minLength: 1, maxLength: 60 }),
            answers: Type.Record(Type.String({ maxLength: 60 }), Type.Unknown(), { maxProperties: 20 }),
            revision: Type.Integer({ minimum: 1, maximum: 1_000_000 }),
            sharedWithGp: Type.Boolean(),
          },
          { additionalProperties: false }
        ),
        response: { 200: WorkbookEntry, ...commonErrors, 409: commonErrors[400] },
      },
    },
    async (request, reply) => {
      const { patientId, entryId } = request.params;
      const { moduleId, exerciseId, answers, revision, sharedWithGp } = request.body;
      const exercise = MODULE_CONTENT[moduleId].nb.exercises.find((e) => e.id === exerciseId);
      if (!exercise)
        throw badRequest([{ field: 'exerciseId', reason: `is not an exercise of module ${moduleId}` }]);
      const problems = validateWorkbookAnswers(exercise, answers);
      if (problems.length > 0) throw badRequest(problems);
      // Changing only the sharing choice of an existing entry is always allowed (also after the
      // program has stopped): a patient can always withdraw what they shared.
      const stored = await storedWorkbookAnswers(app.db, patientId, entryId);
      const sharingOnly = stored !== undefined && isDeepStrictEqual(stored, answers);
      if (!sharingOnly) await assertModuleOpen(patientId, moduleId);
      const now = app.now();
      const { row, stale } = await auditedTransaction(request, now, (trx, audit) =>
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
      // A late retry of an older save (or a repeat of this one): what is stored is kept.
      if (stale) reply.header('x-stale-revision', 'true');
      return toWorkbookEntry(row);
    }
  );

  app.get(
    '/api/patients/:patientId/workbook',
    {
      config: { access: PATIENT_OR_TREATING_GP },
      schema: {
        params: Type.Object({ patientId: Uuid }),
        response: { 200: Type.Object({ items: Type.Array(WorkbookEntry) }), ...commonErrors },
      },
    },
    async (request) => {
      const { patientId } = request.params;
      const isGp = request.actor!.role === 'gp';
      const rows = await auditedTransaction(request, app.now(), (trx, audit) =>
        listWorkbook(trx, audit, { patientId, sharedOnly: isGp })
      );
      return { items: rows.map(toWorkbookEntry) };
    }
  );
};

export default programRoutes;

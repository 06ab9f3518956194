/**
 * The patient's program, HTTP only: module content (the GP also gets the GP digest and manual),
 * progress through lessons and quizzes, and the workbook. Modules open in order; a PHQ-9 comes
 * before each module. Workbook answers are saved as they are typed: the entry id comes from the
 * browser (unique per patient) and the revision only moves forward, so retries after a lost
 * connection store nothing twice and lose nothing. The GP sees only the entries the patient chose
 * to share. Reads in program.queries.ts, changes in program.commands.ts.
 */
import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import type { TSchema } from 'typebox';
import { Value } from 'typebox/value';
import { PatientIdParams } from '../../contract/common.js';
import {
  LangQuery,
  LessonViewBody,
  LessonViewParams,
  LessonViewResult,
  ModuleContentResponse,
  ModuleList,
  ModuleParams,
  OpenEarlyBody,
  OpenEarlyParams,
  ProgramView,
  QuizBody,
  QuizParams,
  QuizResult,
  WorkbookEntry,
  WorkbookEntryBody,
  WorkbookEntryParams,
  WorkbookList,
} from '../../contract/program.js';
import { PATIENT_OR_TREATING_GP, PATIENT_SELF, TREATING_GP } from '../access/rules.js';
import { commonErrors } from '../schemas.js';
import {
  answerQuiz,
  openModuleEarlyFor,
  saveWorkbook,
  startProgramFor,
  viewLesson,
} from './program.commands.js';
import { moduleForActor, moduleList, programView, workbook } from './program.queries.js';

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
  app.get(
    '/api/program/modules',
    {
      config: { access: { roles: ['patient', 'gp'] } },
      schema: { querystring: LangQuery, response: { 200: ModuleList, ...commonErrors } },
    },
    async (request) => moduleList(request.query.lang ?? 'nb')
  );

  app.get(
    '/api/program/modules/:moduleId',
    {
      config: { access: { roles: ['patient', 'gp'] } },
      schema: {
        params: ModuleParams,
        querystring: LangQuery,
        response: { 200: ModuleContentResponse, ...commonErrors },
      },
      serializerCompiler: checkedJsonSerializer,
    },
    async (request) => moduleForActor(request.data, request.params.moduleId, request.query.lang ?? 'nb')
  );

  app.get(
    '/api/patients/:patientId/program',
    {
      config: { access: PATIENT_OR_TREATING_GP },
      schema: { params: PatientIdParams, response: { 200: ProgramView, ...commonErrors } },
    },
    async (request) => programView(request.data, request.params.patientId)
  );

  app.post(
    '/api/patients/:patientId/program/start',
    {
      config: { access: PATIENT_SELF },
      schema: { params: PatientIdParams, response: { 200: ProgramView, ...commonErrors } },
    },
    async (request) => startProgramFor(request.data, request.params.patientId)
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
        params: OpenEarlyParams,
        body: OpenEarlyBody,
        response: { 200: ProgramView, ...commonErrors },
      },
    },
    async (request) =>
      openModuleEarlyFor(request.data, {
        patientId: request.params.patientId,
        moduleId: request.params.moduleId,
        reason: request.body.reason,
      })
  );

  app.post(
    '/api/patients/:patientId/program/modules/:moduleId/lessons/:lessonId/view',
    {
      config: { access: PATIENT_SELF },
      schema: {
        params: LessonViewParams,
        body: LessonViewBody,
        response: { 200: LessonViewResult, ...commonErrors },
      },
    },
    async (request) =>
      viewLesson(request.data, { ...request.params, secondsSpent: request.body.secondsSpent })
  );

  app.post(
    '/api/patients/:patientId/program/modules/:moduleId/quiz/:questionId',
    {
      config: { access: PATIENT_SELF },
      schema: {
        params: QuizParams,
        querystring: LangQuery,
        body: QuizBody,
        response: { 200: QuizResult, ...commonErrors },
      },
    },
    async (request) =>
      answerQuiz(request.data, {
        ...request.params,
        optionId: request.body.optionId,
        lang: request.query.lang ?? 'nb',
      })
  );

  app.put(
    '/api/patients/:patientId/workbook/:entryId',
    {
      config: { access: PATIENT_SELF },
      schema: {
        params: WorkbookEntryParams,
        body: WorkbookEntryBody,
        response: { 200: WorkbookEntry, ...commonErrors, 409: commonErrors[400] },
      },
    },
    async (request, reply) => {
      const { entry, stale } = await saveWorkbook(request.data, { ...request.params, body: request.body });
      // A late retry of an older save (or a repeat of this one): what is stored is kept.
      if (stale) reply.header('x-stale-revision', 'true');
      return entry;
    }
  );

  app.get(
    '/api/patients/:patientId/workbook',
    {
      config: { access: PATIENT_OR_TREATING_GP },
      schema: { params: PatientIdParams, response: { 200: WorkbookList, ...commonErrors } },
    },
    async (request) => workbook(request.data, request.params.patientId)
  );
};

export default programRoutes;

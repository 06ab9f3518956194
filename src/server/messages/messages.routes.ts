/**
 * Guidance between visits (issue 17), HTTP only: message threads between a patient and their care
 * team, feedback on shared exercises, guide assignments and a guide's patient list. Access rules:
 * the patient and the care team (PATIENT_OR_CARE_TEAM: a treating GP or an assigned guide) on
 * threads and shared entries; the care team writes feedback; the patient's own GP assigns guides.
 */
import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import { PatientIdParams } from '../../contract/common.js';
import {
  AssignGuideBody,
  ExerciseFeedback,
  FeedbackBody,
  FeedbackEntryParams,
  FeedbackParams,
  FeedbackQuery,
  GuideAssignment,
  GuideAssignmentParams,
  GuidePatients,
  MessageThread,
  MessageThreadList,
  PatientGuides,
  ReplyBody,
  SharedEntryList,
  StartThreadBody,
  ThreadParams,
} from '../../contract/messages.js';
import { CARE_TEAM, LISTED_GP, PATIENT_OR_CARE_TEAM, PATIENT_SELF } from '../access/rules.js';
import { commonErrors, ProblemSchema } from '../schemas.js';
import { addFeedback, openFeedback } from './feedback.commands.js';
import { listSharedEntries } from './feedback.queries.js';
import { assignGuide, endGuideAssignment } from './guides.commands.js';
import { guidePatients, listGuides } from './guides.queries.js';
import { markThreadRead, replyInThread, startThread } from './threads.commands.js';
import { listThreads } from './threads.queries.js';

const GUIDE_ONLY = { roles: ['guide'] } as const;
const withConflict = { ...commonErrors, 409: ProblemSchema };

const messageRoutes: FastifyPluginAsyncTypebox = async (app) => {
  app.get(
    '/api/patients/:patientId/threads',
    {
      config: { access: PATIENT_OR_CARE_TEAM },
      schema: { params: PatientIdParams, response: { 200: MessageThreadList, ...commonErrors } },
    },
    async (request) => listThreads(request.data, request.params.patientId)
  );

  app.post(
    '/api/patients/:patientId/threads',
    {
      config: { access: PATIENT_OR_CARE_TEAM },
      schema: {
        params: PatientIdParams,
        body: StartThreadBody,
        response: { 201: MessageThread, ...commonErrors },
      },
    },
    async (request, reply) => {
      const { thread, notified } = await startThread(request.data, request.params.patientId, request.body);
      if (notified > 0) app.notifier.kick();
      reply.code(201);
      return thread;
    }
  );

  app.post(
    '/api/patients/:patientId/threads/:threadId/messages',
    {
      config: { access: PATIENT_OR_CARE_TEAM },
      schema: { params: ThreadParams, body: ReplyBody, response: { 201: MessageThread, ...commonErrors } },
    },
    async (request, reply) => {
      const { patientId, threadId } = request.params;
      const { thread, notified } = await replyInThread(request.data, patientId, threadId, request.body);
      if (notified > 0) app.notifier.kick();
      reply.code(201);
      return thread;
    }
  );

  app.post(
    '/api/patients/:patientId/threads/:threadId/read',
    {
      config: { access: PATIENT_OR_CARE_TEAM },
      schema: { params: ThreadParams, response: { 200: MessageThread, ...commonErrors } },
    },
    async (request) => markThreadRead(request.data, request.params.patientId, request.params.threadId)
  );

  app.get(
    '/api/patients/:patientId/exercise-feedback',
    {
      config: { access: PATIENT_OR_CARE_TEAM },
      schema: {
        params: PatientIdParams,
        querystring: FeedbackQuery,
        response: { 200: SharedEntryList, ...commonErrors },
      },
    },
    async (request) => listSharedEntries(request.data, request.params.patientId, request.query.lang ?? 'nb')
  );

  app.post(
    '/api/patients/:patientId/workbook/:entryId/feedback',
    {
      config: { access: CARE_TEAM },
      schema: {
        params: FeedbackEntryParams,
        body: FeedbackBody,
        response: { 201: ExerciseFeedback, ...commonErrors },
      },
    },
    async (request, reply) => {
      const { patientId, entryId } = request.params;
      const { feedback, notified } = await addFeedback(request.data, patientId, entryId, request.body);
      if (notified > 0) app.notifier.kick();
      reply.code(201);
      return feedback;
    }
  );

  app.post(
    '/api/patients/:patientId/exercise-feedback/:feedbackId/opened',
    {
      config: { access: PATIENT_SELF },
      schema: { params: FeedbackParams, response: { 200: ExerciseFeedback, ...commonErrors } },
    },
    async (request) => openFeedback(request.data, request.params.patientId, request.params.feedbackId)
  );

  app.get(
    '/api/patients/:patientId/guides',
    {
      config: { access: CARE_TEAM },
      schema: { params: PatientIdParams, response: { 200: PatientGuides, ...commonErrors } },
    },
    async (request) => listGuides(request.data, request.params.patientId)
  );

  app.post(
    '/api/patients/:patientId/guides',
    {
      config: { access: LISTED_GP },
      schema: {
        params: PatientIdParams,
        body: AssignGuideBody,
        response: { 201: GuideAssignment, ...withConflict },
      },
    },
    async (request, reply) => {
      const assignment = await assignGuide(request.data, request.params.patientId, request.body);
      reply.code(201);
      return assignment;
    }
  );

  app.post(
    '/api/patients/:patientId/guides/:assignmentId/end',
    {
      config: { access: LISTED_GP },
      schema: { params: GuideAssignmentParams, response: { 200: GuideAssignment, ...commonErrors } },
    },
    async (request) => endGuideAssignment(request.data, request.params.patientId, request.params.assignmentId)
  );

  app.get(
    '/api/guide/patients',
    { config: { access: GUIDE_ONLY }, schema: { response: { 200: GuidePatients, ...commonErrors } } },
    async (request) => guidePatients(request.data)
  );
};

export default messageRoutes;

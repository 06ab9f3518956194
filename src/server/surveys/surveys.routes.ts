/**
 * The researcher's survey routes (issue 14), HTTP only: schema from contract/surveys.ts, the
 * researcher role, one call into the feature module with `request.data`, the reply. Reads and
 * writes are audited there. No route here returns a frame member, an e-mail address, a token or
 * an answer: fielding is watched through counts (monitoring.queries.ts).
 */
import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import {
  BouncesBody,
  BouncesRecorded,
  CreateSurveyBody,
  FrameImportBody,
  FrameImportReport,
  InvitationsBody,
  InvitationsCreated,
  MonitoringQuery,
  PracticeLink,
  PracticeLinkBody,
  QuestionnaireBody,
  ResearchPracticeList,
  SurveyDetail,
  SurveyList,
  SurveyMonitoring,
  SurveyParams,
  SurveySummary,
  SurveyVersionDetail,
  SurveyVersionParams,
  SurveyVersionResult,
} from '../../contract/surveys.js';
import { RESEARCHER } from '../access/rules.js';
import { commonErrors } from '../schemas.js';
import { importFrame } from './frame.commands.js';
import { createInvitations, createPracticeLink, recordBounces } from './invitations.commands.js';
import { surveyMonitoring } from './monitoring.queries.js';
import { closeSurvey, createSurvey, openSurvey, putQuestionnaire } from './surveys.commands.js';
import { getSurvey, getSurveyVersion, listPracticesForLinks, listSurveys } from './surveys.queries.js';

const errors = { ...commonErrors, 409: commonErrors[400], 413: commonErrors[400] };

const surveyRoutes: FastifyPluginAsyncTypebox<{ publicUrl: string; kickMailer: () => void }> = async (
  app,
  options
) => {
  app.get(
    '/api/research/surveys',
    { config: { access: RESEARCHER }, schema: { response: { 200: SurveyList, ...errors } } },
    async (request) => listSurveys(request.data)
  );

  app.get(
    '/api/research/practices',
    { config: { access: RESEARCHER }, schema: { response: { 200: ResearchPracticeList, ...errors } } },
    async (request) => listPracticesForLinks(request.data)
  );

  app.post(
    '/api/research/surveys',
    {
      // A questionnaire with many items and both languages is larger than the default 64 KB.
      bodyLimit: 1024 * 1024,
      config: { access: RESEARCHER },
      schema: { body: CreateSurveyBody, response: { 201: SurveySummary, ...errors } },
    },
    async (request, reply) => {
      const survey = await createSurvey(request.data, request.body);
      return reply.code(201).send(survey);
    }
  );

  app.get(
    '/api/research/surveys/:surveyId',
    {
      config: { access: RESEARCHER },
      schema: { params: SurveyParams, response: { 200: SurveyDetail, ...errors } },
    },
    async (request) => getSurvey(request.data, request.params.surveyId, options.publicUrl)
  );

  app.get(
    '/api/research/surveys/:surveyId/versions/:version',
    {
      config: { access: RESEARCHER },
      schema: { params: SurveyVersionParams, response: { 200: SurveyVersionDetail, ...errors } },
    },
    async (request) => getSurveyVersion(request.data, request.params.surveyId, request.params.version)
  );

  app.put(
    '/api/research/surveys/:surveyId/questionnaire',
    {
      bodyLimit: 1024 * 1024,
      config: { access: RESEARCHER },
      schema: {
        params: SurveyParams,
        body: QuestionnaireBody,
        response: { 200: SurveyVersionResult, ...errors },
      },
    },
    async (request) => putQuestionnaire(request.data, request.params.surveyId, request.body.questionnaire)
  );

  app.post(
    '/api/research/surveys/:surveyId/open',
    {
      config: { access: RESEARCHER },
      schema: { params: SurveyParams, response: { 200: SurveySummary, ...errors } },
    },
    async (request) => {
      const survey = await openSurvey(request.data, request.params.surveyId);
      options.kickMailer();
      return survey;
    }
  );

  app.post(
    '/api/research/surveys/:surveyId/close',
    {
      config: { access: RESEARCHER },
      schema: { params: SurveyParams, response: { 200: SurveySummary, ...errors } },
    },
    async (request) => closeSurvey(request.data, request.params.surveyId)
  );

  app.post(
    '/api/research/surveys/:surveyId/frame',
    {
      // A national GP frame (about 4,800 rows) is a few hundred kilobytes of CSV.
      bodyLimit: 6 * 1024 * 1024,
      config: { access: RESEARCHER },
      schema: {
        params: SurveyParams,
        body: FrameImportBody,
        response: { 200: FrameImportReport, ...errors },
      },
    },
    async (request) => importFrame(request.data, request.params.surveyId, request.body)
  );

  app.post(
    '/api/research/surveys/:surveyId/invitations',
    {
      config: { access: RESEARCHER },
      schema: {
        params: SurveyParams,
        body: InvitationsBody,
        response: { 201: InvitationsCreated, ...errors },
      },
    },
    async (request, reply) => {
      const created = await createInvitations(
        request.data,
        request.params.surveyId,
        request.body,
        app.secrets.csrfKey
      );
      options.kickMailer();
      return reply.code(201).send(created);
    }
  );

  app.post(
    '/api/research/surveys/:surveyId/bounces',
    {
      bodyLimit: 1024 * 1024,
      config: { access: RESEARCHER },
      schema: { params: SurveyParams, body: BouncesBody, response: { 200: BouncesRecorded, ...errors } },
    },
    async (request) => recordBounces(request.data, request.params.surveyId, request.body.emails)
  );

  app.post(
    '/api/research/surveys/:surveyId/practice-links',
    {
      config: { access: RESEARCHER },
      schema: { params: SurveyParams, body: PracticeLinkBody, response: { 201: PracticeLink, ...errors } },
    },
    async (request, reply) => {
      const link = await createPracticeLink(
        request.data,
        request.params.surveyId,
        request.body,
        options.publicUrl
      );
      return reply.code(201).send(link);
    }
  );

  app.get(
    '/api/research/surveys/:surveyId/monitoring',
    {
      config: { access: RESEARCHER },
      schema: {
        params: SurveyParams,
        querystring: MonitoringQuery,
        response: { 200: SurveyMonitoring, ...errors },
      },
    },
    async (request) => surveyMonitoring(request.data, request.params.surveyId, request.query.wave ?? null)
  );
};

export default surveyRoutes;

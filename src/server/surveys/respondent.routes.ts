/**
 * The respondent's survey routes (issue 14), public (no login), HTTP only over
 * respondent.commands.ts. The invitation token travels in the request body, never in a URL, and
 * these routes log nothing below a warning, so no request line with an address or a path reaches
 * the server log from a respondent. Rate-limited per client like the login.
 */
import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import {
  AnonymousQuestionnaire,
  AnonymousReceived,
  AnonymousSubmitBody,
  AnswersSaved,
  OptedOut,
  PracticeLinkParams,
  RespondentQuestionnaire,
  SaveAnswersBody,
  TokenBody,
} from '../../contract/surveys.js';
import { commonErrors } from '../schemas.js';
import {
  anonymousQuestionnaire,
  openInvitation,
  optOut,
  respondentDeps,
  saveAnswers,
  submitAnonymous,
  submitAnswers,
} from './respondent.commands.js';

const PUBLIC = { public: true } as const;
const errors = { ...commonErrors, 409: commonErrors[400], 410: commonErrors[400] };

const respondentRoutes: FastifyPluginAsyncTypebox<{ rateLimit: number }> = async (app, options) => {
  const config = { access: PUBLIC, rateLimit: { max: options.rateLimit, timeWindow: '1 minute' } };
  // A long questionnaire with free-text answers can pass the default 64 KB.
  const bodyLimit = 512 * 1024;

  app.post(
    '/api/survey-invitations/open',
    {
      config,
      logLevel: 'warn',
      schema: { body: TokenBody, response: { 200: RespondentQuestionnaire, ...errors } },
    },
    async (request) => openInvitation(respondentDeps(app, request.id), request.body.token)
  );

  app.put(
    '/api/survey-invitations/answers',
    {
      config,
      bodyLimit,
      logLevel: 'warn',
      schema: { body: SaveAnswersBody, response: { 200: AnswersSaved, ...errors } },
    },
    async (request) => {
      const { created: _created, ...saved } = await saveAnswers(
        respondentDeps(app, request.id),
        request.body.token,
        request.body.answers
      );
      return saved;
    }
  );

  app.post(
    '/api/survey-invitations/submit',
    {
      config,
      bodyLimit,
      logLevel: 'warn',
      schema: { body: SaveAnswersBody, response: { 200: AnswersSaved, 201: AnswersSaved, ...errors } },
    },
    async (request, reply) => {
      const { created, ...saved } = await submitAnswers(
        respondentDeps(app, request.id),
        request.body.token,
        request.body.answers
      );
      if (created) app.surveyMailer.kick();
      return reply.code(created ? 201 : 200).send(saved);
    }
  );

  app.post(
    '/api/survey-invitations/opt-out',
    {
      config,
      logLevel: 'warn',
      schema: { body: TokenBody, response: { 200: OptedOut, ...errors } },
    },
    async (request) => optOut(respondentDeps(app, request.id), request.body.token)
  );

  app.get(
    '/api/survey-links/:slug',
    {
      config,
      logLevel: 'warn',
      schema: { params: PracticeLinkParams, response: { 200: AnonymousQuestionnaire, ...errors } },
    },
    async (request) => anonymousQuestionnaire(respondentDeps(app, request.id), request.params.slug)
  );

  app.post(
    '/api/survey-links/:slug/responses',
    {
      config,
      bodyLimit,
      logLevel: 'warn',
      schema: {
        params: PracticeLinkParams,
        body: AnonymousSubmitBody,
        response: { 200: AnonymousReceived, 201: AnonymousReceived, ...errors },
      },
    },
    async (request, reply) => {
      const { created, ...received } = await submitAnonymous(
        respondentDeps(app, request.id),
        request.params.slug,
        request.body
      );
      return reply.code(created ? 201 : 200).send(received);
    }
  );
};

export default respondentRoutes;

/**
 * Where urgent-case notifications go (issue 11 §1): the GP's own e-mail and mobile number, the
 * practice's shared e-mail and its response standard, and a test message to check that mail
 * arrives. Any GP of the practice may change the practice's settings (they share the duty to act
 * on an urgent case); a GP of another practice may not (403). An admin manages accounts and has no
 * practice, so these stay with the practice's GPs.
 *
 * Reading and writing are in notification-settings.queries.ts and .commands.ts (audited there,
 * without copying the addresses into the log); the test message goes through the same outbox and
 * channel as an urgent notice, so the route wakes the dispatcher once it is queued.
 */
import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import type { FastifyError, FastifyRequest } from 'fastify';
import {
  OwnNotificationSettings,
  OwnNotificationSettingsBody,
  PracticeNotificationSettings,
  PracticeNotificationSettingsBody,
  PracticeParams,
  TestEmailAccepted,
  TestEmailBody,
} from '../../contract/gp.js';
import { EMAIL_REASON, PHONE_REASON } from '../../domain/safety/notification-settings.js';
import type { DataContext } from '../access/data-context.js';
import { badRequest, forbidden, validationProblem } from '../problem.js';
import { commonErrors } from '../schemas.js';
import {
  queueTestEmail,
  updateOwnSettings,
  updatePracticeSettings,
} from './notification-settings.commands.js';
import { ownSettings, practiceSettings } from './notification-settings.queries.js';
import { GP_ONLY } from './responsible-patients.js';

/** What a field's pattern means, in words: "has an invalid format" says too little here. */
const PATTERN_REASONS: Record<string, string> = {
  email: EMAIL_REASON,
  urgentEmail: EMAIL_REASON,
  phone: PHONE_REASON,
  'responseStandard.sameDayCutoff': 'must be a time of day as HH:MM (24-hour)',
  'responseStandard.sameDayBy': 'must be a time of day as HH:MM (24-hour)',
  'responseStandard.nextDayBy': 'must be a time of day as HH:MM (24-hour)',
};

/**
 * The routes below validate with `attachValidation`, so a refused body is answered here: the same
 * problem document as everywhere, with each pattern's meaning spelled out for its field.
 */
function refuseInvalid(request: FastifyRequest): void {
  if (!request.validationError) return;
  const problem = validationProblem(request.validationError as unknown as FastifyError);
  throw badRequest(
    (problem.errors ?? []).map((e) =>
      e.reason === 'has an invalid format' && PATTERN_REASONS[e.field]
        ? { field: e.field, reason: PATTERN_REASONS[e.field]! }
        : e
    )
  );
}

/** The actor's own practice, or 403: a GP of another practice may neither read nor change it. */
function assertOwnPractice(ctx: DataContext, practiceId: string): void {
  if (ctx.actor.practiceId !== practiceId) {
    throw forbidden('You can see and change the notification settings of your own practice only.');
  }
}

const notificationSettingsRoutes: FastifyPluginAsyncTypebox = async (app) => {
  app.get(
    '/api/gp/notification-settings',
    {
      config: { access: GP_ONLY },
      schema: { response: { 200: OwnNotificationSettings, ...commonErrors } },
    },
    async (request) => ownSettings(request.data)
  );

  app.put(
    '/api/gp/notification-settings',
    {
      config: { access: GP_ONLY },
      attachValidation: true,
      schema: {
        body: OwnNotificationSettingsBody,
        response: { 200: OwnNotificationSettings, ...commonErrors },
      },
    },
    async (request) => {
      refuseInvalid(request);
      await updateOwnSettings(request.data, request.body);
      return ownSettings(request.data);
    }
  );

  app.get(
    '/api/gp/practices/:practiceId/notification-settings',
    {
      config: { access: GP_ONLY },
      schema: { params: PracticeParams, response: { 200: PracticeNotificationSettings, ...commonErrors } },
    },
    async (request) => {
      assertOwnPractice(request.data, request.params.practiceId);
      return practiceSettings(request.data, request.params.practiceId);
    }
  );

  app.put(
    '/api/gp/practices/:practiceId/notification-settings',
    {
      config: { access: GP_ONLY },
      attachValidation: true,
      schema: {
        params: PracticeParams,
        body: PracticeNotificationSettingsBody,
        response: { 200: PracticeNotificationSettings, ...commonErrors },
      },
    },
    async (request) => {
      refuseInvalid(request);
      const { practiceId } = request.params;
      assertOwnPractice(request.data, practiceId);
      await updatePracticeSettings(request.data, practiceId, request.body);
      return practiceSettings(request.data, practiceId);
    }
  );

  app.post(
    '/api/gp/notification-settings/test-email',
    {
      config: { access: GP_ONLY },
      attachValidation: true,
      schema: { body: TestEmailBody, response: { 202: TestEmailAccepted, ...commonErrors } },
    },
    async (request, reply) => {
      refuseInvalid(request);
      const id = await queueTestEmail(request.data, request.body);
      app.notifier.kick();
      reply.code(202);
      return { id };
    }
  );
};

export default notificationSettingsRoutes;

/**
 * The study's surveys as one plugin (issue 14): the survey e-mail outbox and its timer, the
 * researcher's routes and the respondent's public routes. Registered by app.ts after the access
 * layer and the text-safety plugin, so every route here is checked like any other.
 */
import type { FastifyInstance } from 'fastify';
import fp from 'fastify-plugin';
import type { NotificationChannel } from '../notify/channels.js';
import respondentRoutes from './respondent.routes.js';
import { scheduleSurveyMailer, SurveyMailer } from './survey-mailer.js';
import surveyRoutes from './surveys.routes.js';

export interface SurveysPluginOptions {
  /** The e-mail channel among these sends survey e-mail (none: invitations wait in the outbox). */
  channels: readonly NotificationChannel[];
  /** The address respondents open links at. */
  publicUrl: string;
  /**
   * Requests per client per minute on each public survey route (at least 120: a page saves as the
   * respondent answers, and a practice's tablets share one address; a token cannot be guessed, so
   * the limit only stops floods).
   */
  rateLimit: number;
}

async function surveysPlugin(app: FastifyInstance, options: SurveysPluginOptions): Promise<void> {
  app.decorate(
    'surveyMailer',
    new SurveyMailer(
      app.db,
      options.channels.find((c) => c.kind === 'email') ?? null,
      options.publicUrl,
      app.secrets.csrfKey,
      () => app.now(),
      (error) => app.log.error({ err: { message: (error as Error).message } }, 'survey mailer failed')
    )
  );
  scheduleSurveyMailer(app);
  await app.register(surveyRoutes, {
    publicUrl: options.publicUrl,
    kickMailer: () => app.surveyMailer.kick(),
  });
  await app.register(respondentRoutes, { rateLimit: Math.max(options.rateLimit, 120) });
}

export default fp(surveysPlugin, { name: 'surveys', dependencies: ['access', 'text-safety'] });

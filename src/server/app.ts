/**
 * Builds the Fastify application: security headers, cookies, rate limits, the access layer, and
 * one plugin per area (auth, patients, gp, research, admin), then the web app. I/O comes in
 * through options (database, secrets, clock), so tests build the same app on any database.
 */
import cookie from '@fastify/cookie';
import rateLimit from '@fastify/rate-limit';
import fastifyStatic from '@fastify/static';
import type { TypeBoxTypeProvider } from '@fastify/type-provider-typebox';
import Fastify, { type FastifyError, type FastifyInstance, type FastifyServerOptions } from 'fastify';
import type { Kysely } from 'kysely';
import { Type } from 'typebox';
import type { Database } from '../db/schema.js';
import accessPlugin from './access/access.plugin.js';
import adminRoutes from './admin/admin.routes.js';
import authRoutes from './auth/auth.routes.js';
import type { PasswordLoginPolicy } from '../domain/access/password-login.js';
import type { IdPortenConfig } from './auth/id-porten.js';
import idPortenRoutes from './auth/id-porten.routes.js';
import smartRoutes from './smart/smart.routes.js';
import type { SmartLaunchConfig } from './smart/epj-launch.js';
import { secondFactorConfigFor } from './auth/second-factor.js';
import secondFactorRoutes from './auth/second-factor.routes.js';
import type { SecondFactorPolicy } from '../domain/access/second-factor.js';
import type { HelseIdConfig } from './auth/helseid.js';
import helseIdRoutes from './auth/helseid.routes.js';
import type { AuditAnchorStore } from './audit/anchor-store.js';
import type { ServerSecrets } from './context.js';
import type { NotificationChannel } from './notify/channels.js';
import { NotificationDispatcher } from './notify/dispatcher.js';
import agendaRoutes from './followup/agenda.routes.js';
import cardRoutes from './followup/card.routes.js';
import decisionRoutes from './followup/decisions.routes.js';
import noteRoutes from './followup/note.routes.js';
import followUpPlanRoutes from './followup/plan.routes.js';
import timelineRoutes from './followup/timeline.routes.js';
import recommendationRoutes from './followup/recommendation.routes.js';
import fhirRoutes, { FHIR_PREFIX } from './fhir/fhir.routes.js';
import gpRoutes from './gp/gp.routes.js';
import emergencyAccessRoutes from './gp/emergency-access.routes.js';
import absenceRoutes from './gp/absences.routes.js';
import caseloadRoutes from './gp/caseload.routes.js';
import practiceRoutes from './gp/practice.routes.js';
import worklistRoutes from './gp/worklist.routes.js';
import patientRoutes from './patients/patients.routes.js';
import programRoutes from './program/program.routes.js';
import remindersRoutes from './reminders/reminders.routes.js';
import questionnaireRoutes from './patients/questionnaires.routes.js';
import { badRequest, HttpProblem, sendProblem, toProblem } from './problem.js';
import registryRoutes, { type RegistryConfig } from './research/registry.routes.js';
import researchRoutes from './research/research.routes.js';
import outcomesRoutes from './outcomes/outcomes.routes.js';
import { strictDateTime } from './schemas.js';
import surveyResultsRoutes from './surveys/results.routes.js';
import surveysPlugin from './surveys/surveys.plugin.js';
import qualitativePlugin from './qualitative/qualitative.plugin.js';
import securityHeaders from './security-headers.js';
import textSafety from './text-safety.plugin.js';
import urgentRoutes from './urgent/urgent.routes.js';
import notificationSettingsRoutes from './gp/notification-settings.routes.js';
import patientMessageRoutes from './patients/patient-messages.routes.js';
import messageRoutes from './messages/messages.routes.js';
import { spaRoutes } from './web/spa.routes.js';
import { requestIdFor, RequestLogController } from './observability/logging.js';
import { instrumentApp, type Observability } from './observability/observability.js';
import jobsRoutes from './jobs/jobs.routes.js';
import './context.js';
// --- issue 18: several instances (health, readiness, shared rate limits) ---
import healthRoutes from './health/health.routes.js';
import { Readiness } from './health/readiness.js';
import { databaseRateLimitStore } from './cluster/rate-limit-store.js';

export interface AppOptions {
  db: Kysely<Database>;
  secrets: ServerSecrets;
  /** The clock; tests move it to check session expiry. */
  now?: () => Date;
  /** pino options, or false for none. Health data never goes in: request bodies are not logged. */
  logger?: FastifyServerOptions['logger'];
  /** Folder with the built web app (dist/web); null serves no web app. */
  webRoot?: string | null;
  /** Per-IP login attempts per minute (tests raise it). */
  loginRateLimit?: number;
  /** The registry data folder for the researcher page's analysis; without it the page has none. */
  registry?: RegistryConfig;
  /** Questionnaire submissions per user per minute (tests raise it). */
  submitRateLimit?: number;
  /** Outbound channels for urgent-case notifications (e-mail over SMTP, SMS); none by default. */
  notificationChannels?: NotificationChannel[];
  /** The address people log in at, for links in notifications. */
  publicUrl?: string;
  /** Where audit checkpoints are appended and read back for verification (outside the database). */
  auditAnchors?: AuditAnchorStore | null;
  /** Patient login with ID-porten; without it only password login is offered. */
  idPorten?: IdPortenConfig | null;
  /** GP login with HelseID; without it GPs log in with a password only. */
  helseId?: HelseIdConfig | null;
  /** Who may log in with a password (PASSWORD_LOGIN; default everyone, as in the demo). */
  passwordLogin?: PasswordLoginPolicy;
  /** Record systems (EPJs) that may launch the app (SMART); without it the card offers copying only. */
  smart?: SmartLaunchConfig | null;
  /**
   * Second factors for staff: whether they must enrol one (STAFF_SECOND_FACTOR, default optional)
   * and the WebAuthn relying party id (WEBAUTHN_RP_ID, default the host of publicUrl).
   */
  secondFactor?: { policy?: SecondFactorPolicy; rpId?: string | undefined };
  /** Prometheus metrics and OpenTelemetry traces (observability/observability.ts); off without. */
  observability?: Pick<Observability, 'metrics' | 'tracing'>;
  /** Readiness for the balancer (issue 18); by default one over this app's database. */
  readiness?: Readiness;
}

declare module 'fastify' {
  interface FastifyInstance {
    /** What GET /api/health/ready reports; serve.ts calls startDraining() on SIGTERM. */
    readiness: Readiness;
  }
}

export async function buildApp(options: AppOptions): Promise<FastifyInstance> {
  const app = Fastify({
    logger: options.logger ?? false,
    trustProxy: false,
    bodyLimit: 64 * 1024,
    onProtoPoisoning: 'error',
    onConstructorPoisoning: 'error',
    // Strict validation: no coercing "2" into 2, no silently dropping unknown fields, all errors at once.
    ajv: {
      customOptions: { coerceTypes: false, removeAdditional: false, allErrors: true },
      onCreate: strictDateTime,
    },
    // A path that is not valid percent-encoded UTF-8 is a problem document like any other 400.
    frameworkErrors: (error, request, reply) =>
      sendProblem(
        reply,
        request,
        error.code === 'FST_ERR_BAD_URL'
          ? badRequest([{ field: 'url', reason: 'is not valid percent-encoded UTF-8' }])
          : toProblem(error)
      ),
    // A UUID, or the balancer's id when it is one (observability/logging.ts).
    genReqId: requestIdFor,
    // One line per request, without query strings (observability/logging.ts).
    logController: new RequestLogController(),
  }).withTypeProvider<TypeBoxTypeProvider>();
  // Before any route: the request id header, request metrics and spans see every route.
  await instrumentApp(app, options.observability);

  app.decorate('db', options.db);
  app.decorate('secrets', options.secrets);
  app.decorate('now', options.now ?? (() => new Date()));
  app.decorate('auditAnchors', options.auditAnchors ?? null);
  app.decorate(
    'notifier',
    new NotificationDispatcher(
      options.db,
      options.notificationChannels ?? [],
      `${(options.publicUrl ?? 'http://localhost:3000').replace(/\/$/, '')}/gp`,
      () => app.now(),
      (error) => app.log.error({ err: { message: (error as Error).message } }, 'notification dispatch failed')
    )
  );
  // A clean shutdown waits for messages already on their way.
  app.addHook('onClose', async () => {
    await app.notifier.drain();
  });

  app.setErrorHandler((error: FastifyError, request, reply) => {
    const problem = toProblem(error);
    if (problem.statusCode >= 500) {
      // Message and stack only: never the request body, which may hold health data.
      request.log.error(
        { err: { message: error.message, stack: error.stack, code: error.code } },
        'request failed'
      );
    }
    return sendProblem(reply, request, problem);
  });
  app.setNotFoundHandler((request, reply) =>
    sendProblem(reply, request, new HttpProblem(404, 'Not Found', 'No such resource.'))
  );

  await app.register(securityHeaders);
  await app.register(cookie);
  await app.register(rateLimit, {
    global: false,
    // Counted in the database, so every instance behind the balancer shares one count (issue 18).
    store: databaseRateLimitStore(options.db, (error) =>
      app.log.warn({ err: { message: error.message } }, 'rate-limit pruning failed')
    ),
    errorResponseBuilder: (_request, context) =>
      new HttpProblem(
        429,
        'Too Many Requests',
        `Too many requests. Try again in ${Math.ceil(context.ttl / 1000)} seconds.`
      ),
  });
  await app.register(accessPlugin);
  await app.register(textSafety);

  app.get(
    '/api/health',
    {
      config: { access: { public: true } },
      schema: { response: { 200: Type.Object({ status: Type.Literal('ok') }) } },
    },
    async () => ({ status: 'ok' as const })
  );
  // --- issue 18: liveness and readiness for the balancer; serve.ts drains through app.readiness ---
  app.decorate('readiness', options.readiness ?? new Readiness(options.db));
  // While draining, each answer closes its connection: no keep-alive socket outlives the drain.
  app.addHook('onSend', async (_request, reply) => {
    if (app.readiness.draining) reply.header('connection', 'close');
  });
  await app.register(healthRoutes, { readiness: app.readiness });
  const secondFactor = secondFactorConfigFor(
    options.publicUrl ?? 'http://localhost:3000',
    options.secondFactor
  );
  await app.register(authRoutes, {
    loginRateLimit: options.loginRateLimit ?? 20,
    passwordLogin: options.passwordLogin ?? 'all',
    secondFactorPolicy: secondFactor.policy,
    providers: { idporten: options.idPorten ?? null, helseid: options.helseId ?? null },
  });
  await app.register(secondFactorRoutes, { secondFactor, loginRateLimit: options.loginRateLimit ?? 20 });
  await app.register(idPortenRoutes, {
    idPorten: options.idPorten ?? null,
    helseId: Boolean(options.helseId),
    passwordLogin: options.passwordLogin ?? 'all',
  });
  await app.register(smartRoutes, { smart: options.smart ?? null });
  await app.register(helseIdRoutes, { helseId: options.helseId ?? null });
  await app.register(patientRoutes);
  await app.register(questionnaireRoutes, { submitRateLimit: options.submitRateLimit ?? 30 });
  await app.register(programRoutes);
  await app.register(remindersRoutes);
  await app.register(recommendationRoutes, { loginRateLimit: options.loginRateLimit ?? 20 });
  await app.register(followUpPlanRoutes);
  await app.register(agendaRoutes);
  await app.register(cardRoutes);
  await app.register(noteRoutes);
  await app.register(decisionRoutes);
  await app.register(timelineRoutes);
  await app.register(urgentRoutes);
  await app.register(notificationSettingsRoutes);
  await app.register(patientMessageRoutes);
  await app.register(messageRoutes);
  await app.register(gpRoutes);
  await app.register(worklistRoutes);
  await app.register(absenceRoutes);
  await app.register(emergencyAccessRoutes);
  await app.register(caseloadRoutes);
  await app.register(outcomesRoutes);
  await app.register(practiceRoutes);
  await app.register(researchRoutes);
  if (options.registry) await app.register(registryRoutes, { registry: options.registry });
  await app.register(surveysPlugin, {
    channels: options.notificationChannels ?? [],
    publicUrl: options.publicUrl ?? 'http://localhost:3000',
    rateLimit: options.loginRateLimit ?? 20,
  });
  await app.register(surveyResultsRoutes, { exportRateLimit: options.loginRateLimit ?? 20 });
  await app.register(qualitativePlugin);
  await app.register(adminRoutes);
  await app.register(jobsRoutes); // issue 18: GET /api/admin/jobs
  await app.register(fhirRoutes, { prefix: FHIR_PREFIX });

  if (options.webRoot) {
    await app.register(fastifyStatic, { root: options.webRoot, serve: false });
    await app.register(spaRoutes(options.webRoot));
  }
  return app;
}

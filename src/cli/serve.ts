/**
 * Starts the whole system: opens the database (PGlite in DATA_DIR, or PostgreSQL at DATABASE_URL),
 * migrates, seeds the demo practice on first start, and serves the API and the web app.
 */
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { generateRegistry } from '../registry/generate/generate.js';
import { seedDemoSurveysForDemo } from '../server/demo/survey-seed.js';
import { openDatabase } from '../db/connection.js';
import { DEMO_PASSWORD, seedDemoData } from '../server/demo/demo-seed.js';
import { seedDemoQualitativeStudy } from '../server/demo/qualitative-seed.js';
import { buildApp } from '../server/app.js';
import { clockFromEnv } from '../server/test-clock.js';
import { loadSecrets, readConfig } from '../server/config.js';
import { FileAnchorStore } from '../server/audit/anchor-store.js';
import { startAuditChainer } from '../server/audit/audit-log.js';
import { channelsFromEnv } from '../server/notify/channels.js';
import { loggerOptions } from '../server/observability/logging.js';
import { observabilityFromEnv } from '../server/observability/observability.js';
import { JobQueue, jobSettingsFromEnv } from '../server/jobs/job-queue.js';
import { reminderSenderFor } from '../server/reminders/reminder-sender.js';

const config = readConfig();
const secrets = (() => {
  try {
    return loadSecrets(config);
  } catch (error) {
    console.error(`GP-DEP cannot start: ${(error as Error).message}`);
    process.exit(1);
  }
})();
// Audit checkpoints outside the database (docs/security.md, item 5).
const auditAnchors = new FileAnchorStore(config.auditAnchorDir);
// A second server on the same embedded folder, or unsafe PostgreSQL settings: say so and stop
// before anything is touched.
const database = await openDatabase({
  databaseUrl: config.databaseUrl,
  dataDir: join(config.dataDir, 'pglite'),
  allowUnsafeDurability: config.allowUnsafeDurability,
}).catch((error: unknown) => {
  // A clear sentence and a non-zero exit, not a stack trace: the folder is in use, or the database
  // would lose acknowledged writes.
  console.error(`GP-DEP cannot start: ${(error as Error).message}`);
  process.exit(1);
});

if (config.seedDemo) {
  const seeded = await seedDemoData(database.db, secrets.auditKey);
  if (seeded) console.log('Seeded the demo practice (synthetic data).');
  // The researcher page's registry analysis needs an extract: a small synthetic twin (a few
  // seconds). A real extract or a national-scale twin goes in REGISTRY_DATA_DIR instead.
  if (!existsSync(join(config.registryDataDir, 'persons'))) {
    await generateRegistry({
      persons: 50_000,
      firstYear: 2009,
      lastYear: 2016,
      seed: 1,
      out: config.registryDataDir,
      log: () => {},
    });
    console.log(`Generated a synthetic registry twin (50,000 persons) in ${config.registryDataDir}.`);
  }
  // The study's three surveys: the GP survey fielded to the twin's GPs with synthetic responses
  // (planted truth), the two patient surveys with waiting-room links. Idempotent.
  await seedDemoSurveysForDemo(database.db, {
    registryDataDir: config.registryDataDir,
    now: new Date(),
    auditKey: secrets.auditKey,
    // The key surveysPlugin derives tokens and respondent keys from.
    serverKey: secrets.csrfKey,
    log: (line) => console.log(line),
  });
  // The qualitative study: demo transcripts de-identified and open for coding, an STC analysis in
  // progress, a synthesis shared with the user group. Idempotent.
  await seedDemoQualitativeStudy(database.db, {
    now: new Date(),
    auditKey: secrets.auditKey,
    password: DEMO_PASSWORD,
    log: (line) => console.log(line),
  });
}

// Logs, metrics and traces (docs/observability.md): JSON lines, or pino-pretty on a terminal
// (LOG_FORMAT); metrics on METRICS_PORT and traces to OTEL_EXPORTER_OTLP_ENDPOINT, both off by default.
const observed = await (async () => {
  try {
    return { logger: loggerOptions(), observability: await observabilityFromEnv(process.env, database) };
  } catch (error) {
    console.error(`GP-DEP cannot start: ${(error as Error).message}`);
    await database.close();
    process.exit(1);
  }
})();

// Urgent-case notifications: e-mail over SMTP (SMTP_URL) and SMS (SMS_GATEWAY_URL) when set.
const notificationChannels = channelsFromEnv();
// The real time, except in the browser tests (TEST_CLOCK_FILE, NODE_ENV=test only).
const now = clockFromEnv();
const app = await buildApp({
  now,
  db: database.db,
  secrets,
  notificationChannels,
  auditAnchors,
  publicUrl: process.env.PUBLIC_URL ?? `http://localhost:${config.port}`,
  webRoot: config.webRoot,
  loginRateLimit: config.loginRateLimit,
  registry: { dataDir: config.registryDataDir, reportsDir: config.registryReportsDir },
  idPorten: config.idPorten,
  smart: config.smart,
  helseId: config.helseId,
  passwordLogin: config.passwordLogin,
  secondFactor: config.secondFactor,
  // Request lines carry method, path, route, status and time; never bodies, cookies or queries.
  logger: observed.logger,
  observability: observed.observability,
});

// The audit chain (issue 18): requests append events without a shared lock; this links them into
// the hash chain about every second (one server at a time, the others skip), with a signed
// checkpoint at start, every minute while the chain grows, and at shutdown (audit-chain.ts).
const auditChainer = startAuditChainer({
  db: database.db,
  key: secrets.auditKey,
  anchors: auditAnchors,
  now,
  log: app.log,
  intervalMs: 1000,
});
if (!config.production && !process.env.AUDIT_HMAC_KEY && !config.auditKeyFile) {
  console.warn(
    `Demo mode: the audit key is in ${join(config.dataDir, 'secrets.json')}, beside the data, and the ` +
      `checkpoints in ${config.auditAnchorDir}. Anyone with that folder could rewrite the log undetected; ` +
      'production takes the key from the environment and keeps checkpoints on other storage.'
  );
}
if (notificationChannels.length === 0) {
  console.warn(
    'No notification channel is configured (SMTP_URL, SMS_GATEWAY_URL): urgent cases are shown in the app, ' +
      'and every notification is recorded as not sent.'
  );
}

// --- issue 18: background jobs (begin) ---
// Reminders, urgent escalation and the notification and survey outboxes run as jobs in one
// PostgreSQL queue (src/server/jobs/job-queue.ts): each tick runs on one instance, each reminder is
// delivered by one job. Started once the server listens (creating the queue's tables takes seconds
// on the embedded database under load, and health must answer first); until then a kick runs its
// work in this process, as without a queue.
let jobQueue: JobQueue | null = null;
const startJobs = async () => {
  try {
    jobQueue = await JobQueue.start(
      database.kind === 'postgres' && config.databaseUrl
        ? { kind: 'postgres', ownerUrl: config.databaseUrl }
        : { kind: 'pglite', db: database.db },
      {
        db: database.db,
        now,
        log: app.log,
        notifier: app.notifier,
        surveyMailer: app.surveyMailer,
        reminderSenderFor: reminderSenderFor(notificationChannels, app.log),
      },
      jobSettingsFromEnv()
    );
    app.jobQueue = jobQueue;
    // Queue depth for the metrics endpoint (off unless METRICS_PORT/METRICS): one gauge row per
    // queue and state, read from the queue when Prometheus scrapes.
    const queue = jobQueue;
    observed.observability.metrics?.setJobQueueSource(async () =>
      (await queue.overview(0)).queues.flatMap((q) =>
        (['created', 'retry', 'active', 'completed', 'failed'] as const).map((state) => ({
          queue: q.queue,
          state,
          count: q[state],
        }))
      )
    );
  } catch (error) {
    console.error(`GP-DEP cannot start: the job queue failed: ${(error as Error).message}`);
    await app.close();
    await database.close();
    process.exit(1);
  }
};
/** Finishes the jobs in hand (SIGTERM); called after the server stops taking requests. */
const stopJobs = async () => {
  await jobQueue?.stop();
};
// --- issue 18: background jobs (end) ---

const shutdown = async () => {
  await app.close();
  await stopJobs();
  // After the last request: link everything appended, then the final checkpoint.
  await auditChainer
    .stop()
    .catch((error: unknown) =>
      app.log.error({ err: { message: (error as Error).message } }, 'audit chainer failed at shutdown')
    );
  await observed.observability.close();
  await database.close();
  process.exit(0);
};
process.on('SIGINT', () => void shutdown());

// --- issue 18: graceful drain on SIGTERM (several instances behind a balancer) ---
// Readiness turns 503 at once and responses ask for the connection to close, so the balancer's
// next health check takes this instance out; after DRAIN_SECONDS (default 5: more than its
// fall × inter) app.close() lets in-flight requests finish and closes idle keep-alive sockets,
// then the usual shutdown runs. A second SIGTERM changes nothing; SIGINT stops at once.
const drainSeconds = Number(process.env.DRAIN_SECONDS ?? 5);
if (!Number.isFinite(drainSeconds) || drainSeconds < 0) {
  console.error(
    `GP-DEP cannot start: DRAIN_SECONDS must be a number of seconds ≥ 0, got ${process.env.DRAIN_SECONDS}`
  );
  process.exit(1);
}
let draining = false;
process.on('SIGTERM', () => {
  if (draining) return;
  draining = true;
  app.readiness.startDraining();
  app.log.info({ drainSeconds }, 'draining: readiness is 503; stopping after the drain');
  setTimeout(() => void shutdown(), drainSeconds * 1000);
});

await app.listen({ port: config.port, host: config.host }).catch(async (error: unknown) => {
  // The port is taken, say: close the database cleanly (and free its folder) before leaving.
  console.error(`GP-DEP cannot start: ${(error as Error).message}`);
  await database.close();
  process.exit(1);
});
await startJobs(); // issue 18
const address = app.server.address();
const port = typeof address === 'object' && address ? address.port : config.port;
const where = config.databaseUrl
  ? 'PostgreSQL (DATABASE_URL)'
  : `embedded PGlite in ${join(config.dataDir, 'pglite')}`;
console.log(`\nGP-DEP is running at http://localhost:${port}  (database: ${where})`);
if (config.seedDemo) {
  console.log(`Demo logins (synthetic data), password for all: ${DEMO_PASSWORD}
  GP:         lege.berg, lege.haugen
  Patients:   pasient01 … pasient40 (01-20 on lege.berg's list, 21-40 on lege.haugen's)
  Researcher: forsker (and forsker.koder, a coder in the qualitative study)
  User group: brukergruppe (reads and comments on what the qualitative study shares)
  Admin:      admin`);
}

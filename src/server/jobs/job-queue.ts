/**
 * Background work through one PostgreSQL job queue (pg-boss, issue 18): the reminder scan and each
 * reminder's delivery, urgent-case escalation, the notification outbox and the survey outbox.
 *
 * What pg-boss gives: a job is held by one worker at a time (fetched with FOR UPDATE SKIP LOCKED),
 * retried with backoff when it fails (the reason is kept in the job's output), handed to another
 * instance when its holder dies (after `expireInSeconds`, by the maintenance of any instance), and
 * kept in tables, so queued work survives a restart. That is at-least-once with a single active
 * holder, not exactly-once: the work below makes it once.
 *
 * - Ticks (scan, escalation, outboxes) are queues with the `stately` policy: at most one queued and
 *   one running per queue across all instances. Every instance sends a tick on its own timer,
 *   throttled to one per interval slot (singletonSeconds), so N instances still make one tick per
 *   interval. A "kick" (an urgent case was just opened) sends one unthrottled; it collapses into a
 *   tick already queued.
 * - The work inside a tick was already safe to run on several servers (each outbox row is claimed
 *   with a lease, each escalation locks its case, each reminder is created once by its unique key).
 * - Each reminder is delivered by its own job whose id is the reminder's id: queueing it twice is a
 *   no-op while the job exists, and the handler checks reminder_deliveries before sending.
 *
 * The honest limit: a crash after the mail server accepted a message and before the job (or the
 * outbox row) is marked done sends that message once more. The record is written right after the
 * send to keep that window to one round trip.
 *
 * One module owns the queue; serve.ts starts it after the app is built and stops it (finishing the
 * jobs in hand) at shutdown. On PostgreSQL pg-boss has a small pool of its own with the owner's
 * connection string: it creates and migrates its schema `pgboss` itself, under its own advisory
 * lock, so several instances starting at once are safe. On the embedded database see pgliteSql.
 */
import { setTimeout as sleep } from 'node:timers/promises';
import type { FastifyBaseLogger } from 'fastify';
import { CompiledQuery, type Kysely } from 'kysely';
import PgBoss from 'pg-boss';
import pg from 'pg';
import { APP_DB_ROLE } from '../../db/connection.js';
import type { Database } from '../../db/schema.js';
import type { NotificationDispatcher } from '../notify/dispatcher.js';
import { deliverReminder, scanReminders, undeliveredReminderIds } from '../reminders/reminder-job.js';
import type { ReminderSender } from '../reminders/reminder-sender.js';
import type { SurveyMailer } from '../surveys/survey-mailer.js';
import { escalateOverdueCases } from '../urgent/urgent-cases.js';

export const TICK_QUEUES = [
  'reminder-scan',
  'urgent-escalation',
  'notification-outbox',
  'survey-outbox',
] as const;
export const DELIVERY_QUEUES = ['reminder-delivery'] as const;
export const JOB_QUEUES = [...TICK_QUEUES, ...DELIVERY_QUEUES] as const;
export type TickQueue = (typeof TICK_QUEUES)[number];
export type JobQueueName = (typeof JOB_QUEUES)[number];

/** pg-boss's schema (its default), created by pg-boss itself. */
export const JOB_SCHEMA = 'pgboss';

export interface JobQueueSettings {
  /** Seconds between ticks of each periodic queue. */
  tickSeconds: Record<TickQueue, number>;
  /** A running job not finished after this long is taken as lost (its holder died) and retried. */
  expireInSeconds: number;
  /** First retry delay; with backoff each retry waits about twice as long as the one before. */
  retryDelaySeconds: number;
  /** Retries after the first attempt, before the job is marked failed. */
  retryLimit: number;
  /** How often (any one instance) expires lost jobs and archives old ones. */
  maintenanceIntervalSeconds: number;
  /** How often an idle worker asks for work. */
  pollingIntervalSeconds: number;
  /** Test-only (NODE_ENV=test): a pause before each reminder delivery, to kill its holder mid-job. */
  testDeliveryDelayMs: number;
}

export const DEFAULT_JOB_SETTINGS: JobQueueSettings = {
  tickSeconds: {
    'reminder-scan': 300,
    'urgent-escalation': 30,
    'notification-outbox': 30,
    'survey-outbox': 30,
  },
  expireInSeconds: 5 * 60,
  retryDelaySeconds: 30,
  retryLimit: 5,
  maintenanceIntervalSeconds: 60,
  pollingIntervalSeconds: 2,
  testDeliveryDelayMs: 0,
};

/** Settings from the environment: JOBS_* (mainly for tests, which need seconds, not minutes). */
export function jobSettingsFromEnv(env: NodeJS.ProcessEnv = process.env): JobQueueSettings {
  const num = (name: string, fallback: number) => {
    const value = env[name];
    if (value === undefined || value === '') return fallback;
    const parsed = Number(value);
    if (!Number.isFinite(parsed) || parsed < 0) throw new Error(`${name} must be a non-negative number`);
    return parsed;
  };
  const d = DEFAULT_JOB_SETTINGS;
  const tick = env.JOBS_TICK_SECONDS;
  return {
    tickSeconds: tick
      ? {
          'reminder-scan': num('JOBS_TICK_SECONDS', 0),
          'urgent-escalation': num('JOBS_TICK_SECONDS', 0),
          'notification-outbox': num('JOBS_TICK_SECONDS', 0),
          'survey-outbox': num('JOBS_TICK_SECONDS', 0),
        }
      : d.tickSeconds,
    expireInSeconds: num('JOBS_EXPIRE_SECONDS', d.expireInSeconds),
    retryDelaySeconds: num('JOBS_RETRY_DELAY_SECONDS', d.retryDelaySeconds),
    retryLimit: num('JOBS_RETRY_LIMIT', d.retryLimit),
    maintenanceIntervalSeconds: num('JOBS_MAINTENANCE_SECONDS', d.maintenanceIntervalSeconds),
    pollingIntervalSeconds: num('JOBS_POLL_SECONDS', d.pollingIntervalSeconds),
    // Never honoured outside tests: a production server must not be slowed by an environment knob.
    testDeliveryDelayMs: env.NODE_ENV === 'test' ? num('JOBS_TEST_DELIVERY_DELAY_MS', 0) : 0,
  };
}

/** Where the queue's tables are: the owner's connection string on PostgreSQL, the app's PGlite. */
export type JobConnection = { kind: 'postgres'; ownerUrl: string } | { kind: 'pglite'; db: Kysely<Database> };

/** What the handlers call: the existing feature commands. */
export interface JobWork {
  db: Kysely<Database>;
  now: () => Date;
  log: FastifyBaseLogger;
  notifier: NotificationDispatcher;
  surveyMailer: SurveyMailer;
  reminderSenderFor: (notifyEmail: string | null) => ReminderSender;
}

export interface QueueCounts {
  queue: JobQueueName;
  created: number;
  retry: number;
  active: number;
  completed: number;
  failed: number;
}

export interface FailedJob {
  id: string;
  queue: string;
  state: 'failed' | 'retry';
  error: string;
  attempts: number;
  at: string | null;
}

interface SqlRunner {
  executeSql(text: string, values?: unknown[]): Promise<{ rows: Record<string, unknown>[] }>;
  close(): Promise<void>;
}

/**
 * pg-boss on PostgreSQL: its own small pool, as the owner (it creates its schema and, for each new
 * queue, a partition table; the app role gpdep_app has no rights there).
 */
function postgresSql(ownerUrl: string, log: FastifyBaseLogger): SqlRunner {
  const pool = new pg.Pool({ connectionString: ownerUrl, max: 3, application_name: 'gpdep-jobs' });
  pool.on('error', (error) => log.error({ err: { message: error.message } }, 'job queue connection lost'));
  return {
    executeSql: (text, values) => pool.query(text, values as unknown[]),
    close: () => pool.end(),
  };
}

/**
 * pg-boss on the embedded database: PGlite has one connection, handed out behind the mutex in
 * pglite-dialect.ts, so every pg-boss statement goes through the app's Kysely and that mutex: it
 * never interleaves with a Kysely transaction. Parameterless text (pg-boss's schema creation and
 * maintenance, several statements with their own BEGIN/COMMIT) runs through PGlite exec there.
 *
 * The role: after migrations the connection is `gpdep_app`, which may not create schemas, and
 * pg-boss creates a partition table per queue and attaches it to a table it owns. Rather than grant
 * the app role DDL rights, each pg-boss statement runs as the owner (RESET ROLE) and the app role is
 * set back before the mutex is released. That is the same split as on PostgreSQL, where pg-boss
 * connects as the owner: the queue's tables belong to the owner, and no app query reaches them.
 */
function pgliteSql(db: Kysely<Database>): SqlRunner {
  return {
    executeSql: (text, values) =>
      db.connection().execute(async (conn) => {
        await conn.executeQuery(CompiledQuery.raw('reset role'));
        try {
          const result = await conn.executeQuery(CompiledQuery.raw(text, values ?? []));
          return { rows: result.rows as Record<string, unknown>[] };
        } catch (error) {
          // A failed BEGIN…COMMIT text leaves its transaction open and aborted: end it here.
          await conn.executeQuery(CompiledQuery.raw('rollback')).catch(() => {});
          throw error;
        } finally {
          await conn.executeQuery(CompiledQuery.raw(`set role ${APP_DB_ROLE}`));
        }
      }),
    close: async () => {},
  };
}

const errorMessage = (error: unknown) =>
  (error instanceof Error ? error.message : String(error)).slice(0, 500);

export class JobQueue {
  private readonly boss: PgBoss;
  private readonly timers: NodeJS.Timeout[] = [];
  private readonly workerIds = new Map<JobQueueName, string>();
  /** Every statement pg-boss has in flight (it completes jobs without awaiting): awaited at stop. */
  private readonly inFlight = new Set<Promise<unknown>>();
  private stopping = false;

  private constructor(
    private readonly sql: SqlRunner,
    private readonly work: JobWork,
    readonly settings: JobQueueSettings
  ) {
    this.boss = new PgBoss({
      db: {
        executeSql: (text: string, values: unknown[]) => {
          const run = this.sql.executeSql(text, values);
          this.inFlight.add(run);
          void run.finally(() => this.inFlight.delete(run)).catch(() => {});
          return run;
        },
      },
      schema: JOB_SCHEMA,
      // Our own timers send the ticks (throttled singleton sends): pg-boss's cron has minute
      // resolution, and the urgent tick runs every 30 seconds.
      schedule: false,
      supervise: true,
      migrate: true,
      maintenanceIntervalSeconds: Math.max(1, settings.maintenanceIntervalSeconds),
    });
    this.boss.on('error', (error: Error) =>
      work.log.error({ err: { message: errorMessage(error) } }, 'job queue error')
    );
  }

  /** Creates the schema and queues if needed, starts the workers and the tick timers. */
  static async start(
    connection: JobConnection,
    work: JobWork,
    settings: JobQueueSettings = DEFAULT_JOB_SETTINGS
  ): Promise<JobQueue> {
    const sql =
      connection.kind === 'postgres' ? postgresSql(connection.ownerUrl, work.log) : pgliteSql(connection.db);
    const queue = new JobQueue(sql, work, settings);
    try {
      await queue.begin();
    } catch (error) {
      await sql.close();
      throw error;
    }
    return queue;
  }

  private async begin(): Promise<void> {
    const s = this.settings;
    await this.boss.start();
    for (const name of JOB_QUEUES) {
      const tick = (TICK_QUEUES as readonly string[]).includes(name);
      const options = {
        name,
        // Ticks: one queued and one running across all instances. Deliveries: one job per item.
        policy: tick ? ('stately' as const) : ('standard' as const),
        retryLimit: s.retryLimit,
        retryDelay: Math.max(1, Math.round(s.retryDelaySeconds)),
        retryBackoff: true,
        expireInSeconds: Math.max(1, Math.round(this.expirySeconds(name))),
      };
      await this.boss.createQueue(name, options);
      // A queue made by an earlier version keeps its old settings unless updated.
      await this.boss.updateQueue(name, options);
    }
    const poll = { pollingIntervalSeconds: Math.max(0.5, s.pollingIntervalSeconds) };
    for (const name of TICK_QUEUES) {
      const id = await this.boss.work(name, { ...poll, batchSize: 1 }, async () => this.runTick(name));
      this.workerIds.set(name, id);
    }
    // Deliveries in batches (a worker waits a polling interval between fetches), each job
    // completed or failed on its own.
    const id = await this.boss.work<{ reminderId: string }>(
      'reminder-delivery',
      { ...poll, batchSize: 25 },
      async (jobs) => {
        for (const job of jobs) await this.deliverOne(job.id, job.data.reminderId);
      }
    );
    this.workerIds.set('reminder-delivery', id);
    for (const name of TICK_QUEUES) {
      const seconds = s.tickSeconds[name];
      if (seconds <= 0) continue;
      const timer = setInterval(() => void this.tick(name), seconds * 1000);
      timer.unref();
      this.timers.push(timer);
      void this.tick(name);
    }
    this.work.notifier.routeKicks(() => void this.kick('notification-outbox'));
    this.work.surveyMailer.routeKicks(() => void this.kick('survey-outbox'));
  }

  /**
   * When a running job counts as lost. A frequent tick (urgent escalation, the outboxes) held by an
   * instance that died blocks the next one (stately) until then, so it gets at most two minutes;
   * a tick that overruns it is retried while the first run may still go on, which the tick's work
   * tolerates (see the file comment).
   */
  private expirySeconds(name: JobQueueName): number {
    const tick = (TICK_QUEUES as readonly string[]).includes(name);
    if (tick && this.settings.tickSeconds[name as TickQueue] < 300)
      return Math.min(this.settings.expireInSeconds, 120);
    return this.settings.expireInSeconds;
  }

  /** This instance's periodic tick: one per interval slot across all instances. */
  async tick(name: TickQueue): Promise<void> {
    await this.send(name, { singletonKey: 'tick', singletonSeconds: this.settings.tickSeconds[name] || 1 });
  }

  /** Run this tick soon (collapses into one already queued); wakes this instance's worker. */
  async kick(name: TickQueue): Promise<void> {
    await this.send(name, { singletonKey: 'tick' });
  }

  private async send(name: TickQueue, options: PgBoss.SendOptions): Promise<void> {
    if (this.stopping) return;
    try {
      await this.boss.send(name, {}, options);
      const worker = this.workerIds.get(name);
      if (worker) this.boss.notifyWorker(worker);
    } catch (error) {
      this.work.log.error({ err: { message: errorMessage(error) }, queue: name }, 'could not queue a job');
    }
  }

  /** One run of a tick's work, as its job does it (public for tests that run two at once). */
  async runTick(name: TickQueue): Promise<Record<string, number>> {
    const { db, now } = this.work;
    switch (name) {
      case 'reminder-scan': {
        const scan = await scanReminders(db, now());
        const queued = await this.queueReminderDeliveries();
        return { patients: scan.patients, created: scan.created, queued };
      }
      case 'urgent-escalation': {
        const escalated = await escalateOverdueCases(db, now());
        if (escalated > 0) await this.kick('notification-outbox');
        return { escalated };
      }
      case 'notification-outbox': {
        const result = await this.work.notifier.dispatchDue();
        return { ...result };
      }
      case 'survey-outbox': {
        await this.work.surveyMailer.tick();
        return {};
      }
    }
  }

  /**
   * One delivery job per reminder never attempted, its job id the reminder's id: a reminder already
   * queued (by an earlier scan, or one running at the same time) is not queued again.
   */
  async queueReminderDeliveries(): Promise<number> {
    const ids = await undeliveredReminderIds(this.work.db, this.work.now());
    for (let i = 0; i < ids.length; i += 500) {
      await this.boss.insert(
        ids.slice(i, i + 500).map((id) => ({ id, name: 'reminder-delivery', data: { reminderId: id } }))
      );
    }
    const worker = this.workerIds.get('reminder-delivery');
    if (ids.length > 0 && worker) this.boss.notifyWorker(worker);
    return ids.length;
  }

  private async deliverOne(jobId: string, reminderId: string): Promise<void> {
    try {
      if (this.settings.testDeliveryDelayMs > 0) await sleep(this.settings.testDeliveryDelayMs);
      await deliverReminder(this.work.db, reminderId, this.work.reminderSenderFor, this.work.now());
    } catch (error) {
      // This job alone goes to retry (or failed) with its reason; the rest of the batch completes.
      // pg-boss completes the batch afterwards, which touches only jobs still active.
      await this.boss.fail('reminder-delivery', jobId, { message: errorMessage(error) });
    }
  }

  /** Per-queue counts and the latest failures (ids and reasons only: payloads hold no health data). */
  async overview(limit = 20): Promise<{ queues: QueueCounts[]; failures: FailedJob[] }> {
    const counts = await this.sql.executeSql(
      `select name, state::text as state, count(*)::int as n from ${JOB_SCHEMA}.job
        where name = any($1::text[]) group by name, state`,
      [[...JOB_QUEUES]]
    );
    const queues: QueueCounts[] = JOB_QUEUES.map((queue) => ({
      queue,
      created: 0,
      retry: 0,
      active: 0,
      completed: 0,
      failed: 0,
    }));
    for (const row of counts.rows) {
      const entry = queues.find((q) => q.queue === row.name);
      const state = String(row.state) as keyof Omit<QueueCounts, 'queue'>;
      if (entry && state in entry) entry[state] = Number(row.n);
    }
    const failed = await this.sql.executeSql(
      `select id::text as id, name, state::text as state, output->>'message' as message, retry_count,
              coalesce(completed_on, started_on) as at
         from ${JOB_SCHEMA}.job
        where name = any($1::text[]) and state in ('failed', 'retry') and output is not null
        order by coalesce(completed_on, started_on) desc nulls last limit $2`,
      [[...JOB_QUEUES], limit]
    );
    const failures = failed.rows.map((r) => ({
      id: String(r.id),
      queue: String(r.name),
      state: r.state === 'retry' ? ('retry' as const) : ('failed' as const),
      error: String(r.message ?? 'unknown error').slice(0, 500),
      attempts: Number(r.retry_count) + 1,
      at: r.at ? new Date(r.at as string).toISOString() : null,
    }));
    return { queues, failures };
  }

  /** The pg-boss instance, for tests (send a failing job, read a job's state). */
  get pgBoss(): PgBoss {
    return this.boss;
  }

  /**
   * Graceful stop (SIGTERM): no new ticks, workers take no new jobs, the jobs in hand finish (up to
   * `timeoutMs`; any still running then are failed and retried elsewhere), then the pool closes.
   */
  async stop(timeoutMs = 20_000): Promise<void> {
    if (this.stopping) return;
    this.stopping = true;
    for (const timer of this.timers) clearInterval(timer);
    this.work.notifier.routeKicks(null);
    this.work.surveyMailer.routeKicks(null);
    await this.boss.stop({ graceful: true, timeout: timeoutMs, close: false });
    while (this.inFlight.size > 0) await Promise.allSettled([...this.inFlight]);
    await this.sql.close();
  }
}

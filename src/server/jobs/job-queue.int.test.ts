/**
 * The job queue on the test database (PGlite by default, PostgreSQL with DATABASE_URL): a failing
 * job is retried with backoff and then marked failed with its reason, shown to the admin; a queued
 * job survives a restart of the queue; a tick run twice at once sends each reminder once.
 */
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { enrolPatient, startProgram } from '../../../test/support/factories.js';
import { createTestApp, type TestApp } from '../../../test/support/test-app.js';
import type { OutboundMessage, ReminderSender } from '../reminders/reminder-sender.js';
import {
  DEFAULT_JOB_SETTINGS,
  JobQueue,
  type JobConnection,
  type JobQueueSettings,
  type TickQueue,
} from './job-queue.js';

class RecordingSender implements ReminderSender {
  readonly channel = 'test';
  readonly sent: OutboundMessage[] = [];
  /** When each attempt was made, per user (for the backoff). */
  readonly attempts: number[] = [];
  failWith: string | null = null;
  async send(message: OutboundMessage) {
    this.attempts.push(Date.now());
    if (this.failWith) throw new Error(this.failWith);
    this.sent.push(message);
  }
}

/** Fast settings for tests: no timers (ticks are kicked), short retries, frequent polling. */
const SETTINGS: JobQueueSettings = {
  ...DEFAULT_JOB_SETTINGS,
  tickSeconds: { 'reminder-scan': 0, 'urgent-escalation': 0, 'notification-outbox': 0, 'survey-outbox': 0 },
  retryDelaySeconds: 1,
  retryLimit: 2,
  pollingIntervalSeconds: 0.5,
  maintenanceIntervalSeconds: 1,
};

let t: TestApp;
let sender: RecordingSender;
const queues: JobQueue[] = [];

function connection(): JobConnection {
  return t.database.kind === 'postgres'
    ? { kind: 'postgres', ownerUrl: t.database.ownerUrl! }
    : { kind: 'pglite', db: t.db };
}

async function startQueue(settings: JobQueueSettings = SETTINGS): Promise<JobQueue> {
  const queue = await JobQueue.start(
    connection(),
    {
      db: t.db,
      now: () => t.clock.now,
      log: t.app.log,
      notifier: t.app.notifier,
      surveyMailer: t.app.surveyMailer,
      reminderSenderFor: () => sender,
    },
    settings
  );
  queues.push(queue);
  t.app.jobQueue = queue; // as serve.ts does: the admin view reads it
  return queue;
}

async function waitFor(what: string, check: () => Promise<boolean>, timeoutMs = 30_000): Promise<void> {
  const until = Date.now() + timeoutMs;
  while (!(await check())) {
    if (Date.now() > until) throw new Error(`timed out waiting for ${what}`);
    await new Promise((resolve) => setTimeout(resolve, 200));
  }
}

const deliveries = (status: 'sent' | 'failed') =>
  t.db.selectFrom('reminder_deliveries').selectAll().where('status', '=', status).execute();

beforeEach(async () => {
  sender = new RecordingSender();
  t = await createTestApp();
  // A started program: the reminder scan wants three baseline reminders (PHQ-9, GAD-7, WSAS).
  await enrolPatient(t, 'pA1', { status: 'recommended', recommendedBy: 'gp1' });
  await startProgram(t, await t.login('pA1'), 'pA1');
});

afterEach(async () => {
  for (const queue of queues.splice(0)) await queue.stop();
  await t?.close();
});

describe('job queue', () => {
  it('retries a failing job with backoff, then marks it failed with its reason for the admin', async () => {
    sender.failWith = 'gateway down';
    const queue = await startQueue();
    await queue.kick('reminder-scan');
    // Three reminders, each tried 1 + retryLimit (2) times.
    await waitFor('three failed deliveries', async () => (await deliveries('failed')).length === 9);
    const admin = await t.login('admin');
    let view: {
      running: boolean;
      queues: { queue: string; failed: number }[];
      failures: { queue: string; state: string; error: string; attempts: number }[];
    } = { running: false, queues: [], failures: [] };
    await waitFor('the jobs marked failed', async () => {
      view = (await t.call(admin, 'GET', '/api/admin/jobs')).json();
      return view.queues.find((q) => q.queue === 'reminder-delivery')?.failed === 3;
    });
    expect(view.running).toBe(true);
    const failed = view.failures.filter((f) => f.queue === 'reminder-delivery' && f.state === 'failed');
    expect(failed).toHaveLength(3);
    for (const f of failed) {
      expect(f.error).toBe('gateway down');
      expect(f.attempts).toBe(3);
    }
    expect(sender.sent).toHaveLength(0);
    // Backoff: about 1-2 s before the second try, 2-4 s before the third (retry delay 1 s, doubled).
    const sorted = [...sender.attempts].sort((a, b) => a - b);
    const firstRound = sorted.slice(0, 3);
    const lastRound = sorted.slice(6);
    expect(Math.min(...lastRound) - Math.max(...firstRound)).toBeGreaterThanOrEqual(2_900);
    // Not visible to anyone else.
    const gp = await t.login('gp1');
    expect((await t.call(gp, 'GET', '/api/admin/jobs')).statusCode).toBe(403);
  });

  it('runs a job that was queued when the queue stopped once it starts again', async () => {
    const first = await startQueue({ ...SETTINGS, pollingIntervalSeconds: 600 });
    const reminder = await t.db
      .insertInto('reminders')
      .values({
        patient_id: t.fixture.patientIds.pA1,
        kind: 'inactive',
        reference: 'restart-test',
        created_at: t.clock.now,
      })
      .returning('id')
      .executeTakeFirstOrThrow();
    // Queued without waking a worker (its next poll is ten minutes away), then the queue stops.
    await first.pgBoss.send('reminder-delivery', { reminderId: reminder.id }, { id: reminder.id });
    await first.stop();
    queues.splice(queues.indexOf(first), 1);
    expect(sender.sent).toHaveLength(0);
    await startQueue();
    await waitFor('the queued delivery', async () => (await deliveries('sent')).length === 1);
    expect(sender.sent).toHaveLength(1);
    const [row] = await deliveries('sent');
    expect(row!.reminder_id).toBe(reminder.id);
  });

  it('sends each reminder once when the scan tick runs twice at the same time', async () => {
    const one = await startQueue();
    const two = await startQueue();
    const scan: TickQueue = 'reminder-scan';
    await Promise.all([one.runTick(scan), two.runTick(scan), one.runTick(scan)]);
    await waitFor('three deliveries', async () => (await deliveries('sent')).length >= 3);
    // Give any duplicate time to show itself.
    await new Promise((resolve) => setTimeout(resolve, 2_000));
    await Promise.all([one.runTick(scan), two.runTick(scan)]);
    await new Promise((resolve) => setTimeout(resolve, 1_500));
    expect(sender.sent).toHaveLength(3);
    expect(await deliveries('sent')).toHaveLength(3);
    expect(await t.db.selectFrom('reminders').selectAll().execute()).toHaveLength(3);
  });
});

/**
 * Issue 18's acceptance for background work: three server processes on one real PostgreSQL; 500
 * reminders and 50 urgent-case escalations due at once are each delivered exactly once (counted in
 * a local SMTP server); and killing the instance that holds a job lets another finish it.
 *
 * PostgreSQL only (several processes cannot share the embedded database): CI's PostgreSQL pass
 * runs it with DATABASE_URL set.
 */
import { randomBytes } from 'node:crypto';
import pg from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startMailSink, type MailSink } from '../../../test/support/mail-sink.js';
import { startServer, testSecretsEnv, type ServerProcess } from '../../../test/support/server-process.js';

const serverUrl = process.env.DATABASE_URL;
const REMINDERS = 500;
const ESCALATIONS = 50;

let databaseName = '';
let ownerUrl = '';
let owner: pg.Client;
let sink: MailSink;
const servers: ServerProcess[] = [];
const secrets = testSecretsEnv();

async function waitFor(what: string, check: () => Promise<boolean> | boolean, timeoutMs = 60_000) {
  const until = Date.now() + timeoutMs;
  while (!(await check())) {
    if (Date.now() > until) throw new Error(`timed out waiting for ${what}`);
    await new Promise((resolve) => setTimeout(resolve, 250));
  }
}

function instanceEnv(extra: Record<string, string> = {}): Record<string, string> {
  return {
    ...secrets,
    DATABASE_URL: ownerUrl,
    GPDEP_ALLOW_UNSAFE_DURABILITY: '1',
    SEED_DEMO: '0',
    SMTP_URL: `smtp://127.0.0.1:${sink.port}`,
    NODE_ENV: 'test',
    // Seconds instead of minutes, so the test runs in about a minute.
    JOBS_TICK_SECONDS: '2',
    JOBS_POLL_SECONDS: '0.5',
    JOBS_MAINTENANCE_SECONDS: '1',
    JOBS_EXPIRE_SECONDS: '30',
    JOBS_RETRY_DELAY_SECONDS: '1',
    ...extra,
  };
}

async function start(extra: Record<string, string> = {}): Promise<ServerProcess> {
  const server = await startServer(instanceEnv(extra));
  servers.push(server);
  return server;
}

async function stopGracefully(server: ServerProcess): Promise<void> {
  server.child.kill('SIGTERM');
  expect(await server.exited).toBe(0);
}

/** How many messages each address received. */
function received(): Map<string, number> {
  const counts = new Map<string, number>();
  for (const mail of sink.mails) for (const to of mail.to) counts.set(to, (counts.get(to) ?? 0) + 1);
  return counts;
}

/** A patient with an account and a notify address, in the given practice. */
async function patientWithAddress(practiceId: string, name: string, email: string): Promise<string> {
  const user = await owner.query<{ id: string }>(
    `insert into users (username, display_name, role, notify_email) values ($1, $1, 'patient', $2) returning id`,
    [name, email]
  );
  const patient = await owner.query<{ id: string }>(
    `insert into patients (user_id, display_name, birth_year, sex, practice_id)
     values ($1, $2, 1980, 'female', $3) returning id`,
    [user.rows[0]!.id, name, practiceId]
  );
  return patient.rows[0]!.id;
}

describe.skipIf(!serverUrl)('jobs across three instances on one PostgreSQL', () => {
  beforeAll(async () => {
    databaseName = `gpdep_jobs_${randomBytes(6).toString('hex')}`;
    const admin = new pg.Client({ connectionString: serverUrl });
    await admin.connect();
    await admin.query(`create database ${databaseName}`);
    await admin.end();
    const url = new URL(serverUrl!);
    url.pathname = `/${databaseName}`;
    ownerUrl = url.toString();
    sink = await startMailSink();
    // The first instance migrates; the other two start together on a migrated database.
    await start();
    await Promise.all([start(), start()]);
    owner = new pg.Client({ connectionString: ownerUrl });
    await owner.connect();
  }, 180_000);

  afterAll(async () => {
    for (const server of servers) if (server.child.exitCode === null) server.child.kill('SIGKILL');
    await owner?.end();
    await sink?.close();
    if (databaseName) {
      const dropper = new pg.Client({ connectionString: serverUrl });
      await dropper.connect();
      await dropper.query(`drop database if exists ${databaseName} with (force)`);
      await dropper.end();
    }
  });

  it('delivers 500 reminders and 50 escalations due at once exactly once each', async () => {
    const practice = await owner.query<{ id: string }>(
      `insert into practices (name) values ('Reminder practice') returning id`
    );
    // 500 patients, one reminder each (no delivery yet): the next reminder scan queues them all.
    const patients: string[] = [];
    for (let i = 0; i < REMINDERS; i++)
      patients.push(await patientWithAddress(practice.rows[0]!.id, `jobs.patient.${i}`, `r${i}@jobs.test`));
    // 50 practices, each with one GP (with an address) and one patient whose urgent case is overdue:
    // escalation goes to the practice's GPs, so each GP gets exactly one message.
    const cases: string[] = [];
    for (let i = 0; i < ESCALATIONS; i++) {
      const p = await owner.query<{ id: string }>(`insert into practices (name) values ($1) returning id`, [
        `Escalation practice ${i}`,
      ]);
      const gp = await owner.query<{ id: string }>(
        `insert into users (username, display_name, role, practice_id, notify_email)
         values ($1, $1, 'gp', $2, $3) returning id`,
        [`jobs.gp.${i}`, p.rows[0]!.id, `gp${i}@jobs.test`]
      );
      const patient = await owner.query<{ id: string }>(
        `insert into patients (display_name, birth_year, sex, practice_id)
         values ($1, 1975, 'male', $2) returning id`,
        [`jobs.case.${i}`, p.rows[0]!.id]
      );
      await owner.query(
        `insert into gp_list_entries (gp_user_id, patient_id, valid_from) values ($1, $2, '2020-01-01')`,
        [gp.rows[0]!.id, patient.rows[0]!.id]
      );
      cases.push(patient.rows[0]!.id);
    }
    // All due at once: one statement makes every reminder and every overdue case appear together.
    await owner.query('begin');
    await owner.query(
      `insert into reminders (patient_id, kind, reference, created_at)
       select unnest($1::uuid[]), 'inactive', 'jobs-acceptance', now()`,
      [patients]
    );
    await owner.query(
      `insert into urgent_cases (patient_id, opened_at, due_at)
       select unnest($1::uuid[]), now() - interval '2 hours', now() - interval '1 minute'`,
      [cases]
    );
    await owner.query('commit');

    await waitFor('every message', () => sink.mails.length >= REMINDERS + ESCALATIONS, 90_000);
    // Time for any duplicate to arrive: several more ticks on every instance.
    await new Promise((resolve) => setTimeout(resolve, 6_000));
    const counts = received();
    const duplicates = [...counts].filter(([, n]) => n > 1);
    expect(duplicates).toEqual([]);
    for (let i = 0; i < REMINDERS; i++) expect(counts.get(`r${i}@jobs.test`), `r${i}`).toBe(1);
    for (let i = 0; i < ESCALATIONS; i++) expect(counts.get(`gp${i}@jobs.test`), `gp${i}`).toBe(1);
    expect(sink.mails).toHaveLength(REMINDERS + ESCALATIONS);
    // No health content leaves: the reminder is the fixed "log in" text.
    expect(sink.mails.find((m) => m.to[0] === 'r0@jobs.test')!.text).toMatch(/Logg inn/);
    const sent = await owner.query(
      `select count(*)::int as n from reminder_deliveries where status = 'sent'`
    );
    expect(sent.rows[0].n).toBe(REMINDERS);
    // Work was shared: more than one instance ran delivery jobs is likely but not guaranteed, so
    // only the outcome is asserted.
  }, 150_000);

  it('lets another instance finish a job whose holder was killed', async () => {
    // The three instances stop cleanly (SIGTERM finishes the jobs in hand and exits 0)…
    await Promise.all(servers.filter((s) => s.child.exitCode === null).map(stopGracefully));
    // …and one instance that holds each delivery for two minutes takes the next one.
    const slow = await start({ JOBS_TEST_DELIVERY_DELAY_MS: '120000' });
    const practice = await owner.query<{ id: string }>(
      `insert into practices (name) values ('Kill') returning id`
    );
    const patient = await patientWithAddress(practice.rows[0]!.id, 'jobs.kill', 'kill@jobs.test');
    const reminder = await owner.query<{ id: string }>(
      `insert into reminders (patient_id, kind, reference, created_at)
       values ($1, 'inactive', 'jobs-kill', now()) returning id`,
      [patient]
    );
    const jobState = async () =>
      (
        await owner.query<{ state: string; retry_count: number }>(
          `select state::text as state, retry_count from pgboss.job where name = 'reminder-delivery' and id = $1`,
          [reminder.rows[0]!.id]
        )
      ).rows[0];
    await waitFor('the slow instance to hold the job', async () => (await jobState())?.state === 'active');
    // Another instance is up while the first holds the job; then the holder is killed.
    await start();
    slow.child.kill('SIGKILL');
    await slow.exited;
    // The job expires (30 s here), goes back to the queue and the survivor sends it.
    await waitFor(
      'the survivor to finish the job',
      async () => (await jobState())?.state === 'completed',
      60_000
    );
    expect(received().get('kill@jobs.test')).toBe(1);
    expect((await jobState())!.retry_count).toBeGreaterThanOrEqual(1);
  }, 150_000);
});

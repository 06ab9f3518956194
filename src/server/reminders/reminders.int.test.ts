import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { enrolPatient, startProgram } from '../../../test/support/factories.js';
import { createTestApp, phq9Body, type LoggedIn, type TestApp } from '../../../test/support/test-app.js';
import { runReminderJob } from './reminder-job.js';
import type { OutboundMessage, ReminderSender } from './reminder-sender.js';

class RecordingSender implements ReminderSender {
  readonly channel = 'test';
  readonly sent: OutboundMessage[] = [];
  failNext = false;
  async send(message: OutboundMessage) {
    if (this.failNext) {
      this.failNext = false;
      throw new Error('gateway down');
    }
    this.sent.push(message);
  }
}

let t: TestApp;
let patient: LoggedIn;
let sender: RecordingSender;

// A fresh app, sender and started program per test; each test runs the job as far as it needs
// (issue 12 §5: no test relies on an earlier one's reminders or messages).
beforeEach(async () => {
  sender = new RecordingSender();
  t = await createTestApp();
  await enrolPatient(t, 'pA1', { status: 'recommended', recommendedBy: 'gp1' });
  patient = await t.login('pA1');
  await startProgram(t, patient, 'pA1');
});
afterEach(async () => t?.close());

/** The job's first run: the three baseline reminders (PHQ-9, GAD-7, WSAS), created and sent. */
const baselineReminders = () => runReminderJob(t.db, sender, t.clock.now);

describe('reminders', () => {
  it('creates each due reminder once, however often the job runs, and records each delivery', async () => {
    const first = await runReminderJob(t.db, sender, t.clock.now);
    expect(first.created).toBe(3); // baseline PHQ-9, GAD-7, WSAS
    const again = await runReminderJob(t.db, sender, t.clock.now);
    expect(again.created).toBe(0);
    expect(sender.sent).toHaveLength(3);
    const deliveries = await t.db.selectFrom('reminder_deliveries').selectAll().execute();
    expect(deliveries.map((d) => d.status)).toEqual(['sent', 'sent', 'sent']);
  });

  it('never puts health information in what leaves the platform', async () => {
    await baselineReminders();
    for (const message of sender.sent) {
      expect(`${message.subject} ${message.body}`).not.toMatch(/PHQ|GAD|WSAS|depres|modul|\d/i);
    }
  });

  it('tells the patient in the app when a module opens and a follow-up is near', async () => {
    await baselineReminders();
    t.clock.now = new Date(t.clock.now.getTime() + 60_000);
    await t.call(patient, 'POST', `/api/patients/${t.fixture.patientIds.pA1}/phq9`, {
      body: phq9Body([1, 1, 1, 1, 1, 1, 1, 1, 0], 1),
    });
    await t.db
      .insertInto('follow_ups')
      .values({
        patient_id: t.fixture.patientIds.pA1,
        gp_user_id: t.fixture.userIds.gp1,
        module_id: 'm1',
        planned_at: new Date(t.clock.now.getTime() + 36 * 3600_000),
        created_at: t.clock.now,
      })
      .execute();
    sender.failNext = true;
    const run = await runReminderJob(t.db, sender, t.clock.now);
    expect(run.created).toBe(2);
    expect(run.failed).toBe(1);
    const res = await t.call(patient, 'GET', `/api/patients/${t.fixture.patientIds.pA1}/reminders`);
    const kinds = res
      .json()
      .items.map((r: { kind: string; reference: string }) => `${r.kind}:${r.reference}`);
    expect(kinds).toContain('module_available:m1');
    expect(kinds.some((k: string) => k.startsWith('followup_soon:'))).toBe(true);
    const failed = await t.db
      .selectFrom('reminder_deliveries')
      .selectAll()
      .where('status', '=', 'failed')
      .execute();
    expect(failed).toHaveLength(1);
    expect(failed[0]!.error).toBe('gateway down');
  });

  it('lets the patient mark a reminder as read, and nobody else', async () => {
    await baselineReminders();
    const items = (await t.call(patient, 'GET', `/api/patients/${t.fixture.patientIds.pA1}/reminders`)).json()
      .items;
    const id = items[0].id;
    expect(
      (await t.call(patient, 'POST', `/api/patients/${t.fixture.patientIds.pA1}/reminders/${id}/read`))
        .statusCode
    ).toBe(204);
    const after = (await t.call(patient, 'GET', `/api/patients/${t.fixture.patientIds.pA1}/reminders`)).json()
      .items;
    expect(after.find((r: { id: string }) => r.id === id).read).toBe(true);
    const gp = await t.login('gp1');
    expect((await t.call(gp, 'GET', `/api/patients/${t.fixture.patientIds.pA1}/reminders`)).statusCode).toBe(
      404
    );
  });
});

describe('reminders close by themselves', () => {
  it('closes a reminder once its reason has gone', async () => {
    await baselineReminders();
    const base = `/api/patients/${t.fixture.patientIds.pA1}`;
    t.clock.now = new Date(t.clock.now.getTime() + 60_000);
    await t.call(patient, 'POST', `${base}/gad7`, { body: { items: [1, 1, 1, 1, 1, 1, 1] } });
    await runReminderJob(t.db, sender, t.clock.now);
    const items = (await t.call(patient, 'GET', `${base}/reminders`)).json().items as {
      reference: string;
      read: boolean;
    }[];
    expect(items.find((r) => r.reference.startsWith('gad7:'))!.read).toBe(true);
  });
});

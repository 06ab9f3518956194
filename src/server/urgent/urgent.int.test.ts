/**
 * An urgent answer reaches a person (issue 11 §1), through a real SMTP server in this process
 * (smtp-server) and a real HTTP SMS gateway on loopback: an item-9 answer above 0 opens a case and
 * e-mails the patient's GP and the practice's shared address at once, with no health information;
 * a second answer joins the case; past the deadline the case escalates to the practice (whose GPs
 * then have access until it closes); closing needs a record of what was done, which goes into the
 * next consultation note; every delivery and failure is recorded.
 */
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { startMailSink, type MailSink, type ReceivedMail } from '../../../test/support/mail-sink.js';
import { createTestApp, phq9Body, type TestApp } from '../../../test/support/test-app.js';
import { HttpSmsChannel, SmtpEmailChannel } from '../notify/channels.js';
import { RETRY_MINUTES } from '../notify/dispatcher.js';
import { escalateOverdueCases } from './urgent-cases.js';

let t: TestApp;
let smtp: MailSink;
let sms: Server;
let smsPort: number;
let mails: ReceivedMail[] = [];
const texts: { to: string; message: string; auth: string | undefined }[] = [];
const REFUSED = 'refused@practice-a.test';

beforeAll(async () => {
  smtp = await startMailSink({ refuse: REFUSED });
  mails = smtp.mails;

  sms = createServer((req, res) => {
    let body = '';
    req.on('data', (chunk: Buffer) => (body += chunk.toString()));
    req.on('end', () => {
      const parsed = JSON.parse(body) as { to: string; message: string };
      texts.push({ ...parsed, auth: req.headers.authorization });
      res
        .writeHead(202, { 'content-type': 'application/json' })
        .end(JSON.stringify({ id: `sms-${texts.length}` }));
    });
  });
  await new Promise<void>((resolve) => sms.listen(0, '127.0.0.1', resolve));
  smsPort = (sms.address() as AddressInfo).port;
});

// The mail and SMS servers live for the file; the application, its database and what the servers
// received are new for every test, which builds its own case below (issue 12 §5).
beforeEach(async () => {
  mails.length = 0;
  texts.length = 0;
  t = await createTestApp({
    notificationChannels: [
      new SmtpEmailChannel(`smtp://127.0.0.1:${smtp.port}`, 'GP-DEP <no-reply@gpdep.test>'),
      new HttpSmsChannel(`http://127.0.0.1:${smsPort}/send`, 'sms-token'),
    ],
    publicUrl: 'https://gpdep.test',
  });
  const { gp1, gp2 } = t.fixture.userIds;
  await t.db
    .updateTable('users')
    .set({ notify_email: 'gp1@practice-a.test', notify_phone: '+4790000001' })
    .where('id', '=', gp1)
    .execute();
  await t.db
    .updateTable('users')
    .set({ notify_email: 'gp2@practice-a.test' })
    .where('id', '=', gp2)
    .execute();
  await t.db
    .updateTable('practices')
    .set({ urgent_email: 'post@practice-a.test' })
    .where('id', '=', t.fixture.practiceIds.a)
    .execute();
});
afterEach(async () => t?.close());
afterAll(async () => {
  await smtp?.close();
  await new Promise<void>((resolve) => sms?.close(() => resolve()));
});

const patientId = () => t.fixture.patientIds.pA1;

/** pA1 answers a PHQ-9 with item 9 at `item9`, a minute after the last; messages are sent. */
async function urgentAnswer(item9: number) {
  const patient = await t.login('pA1');
  t.clock.now = new Date(t.clock.now.getTime() + 60_000);
  const res = await t.call(patient, 'POST', `/api/patients/${patientId()}/phq9`, {
    body: phq9Body([2, 2, 1, 1, 1, 1, 1, 1, item9], 1),
  });
  if (res.statusCode !== 201) throw new Error(`PHQ-9: ${res.statusCode} ${res.body}`);
  await t.app.notifier.drain();
}

/** An open case with two answers (item 9 at 2, then 3), as the first two tests leave it. */
async function openCaseWithTwoAnswers() {
  await urgentAnswer(2);
  await urgentAnswer(3);
}

/** The open case past its deadline, escalated to the practice, its messages sent. */
async function escalatedCase() {
  await openCaseWithTwoAnswers();
  const open = await t.db.selectFrom('urgent_cases').selectAll().executeTakeFirstOrThrow();
  t.clock.now = new Date(new Date(open.due_at).getTime() + 60_000);
  if ((await escalateOverdueCases(t.db, t.clock.now)) !== 1) throw new Error('no case escalated');
  t.app.notifier.kick();
  await t.app.notifier.drain();
}

describe('an urgent answer reaches a person, the same day', () => {
  it('e-mails and texts the GP and e-mails the practice at once, saying nothing about health', async () => {
    const patient = await t.login('pA1');
    const res = await t.call(patient, 'POST', `/api/patients/${patientId()}/phq9`, {
      body: phq9Body([2, 2, 1, 1, 1, 1, 1, 1, 2], 1),
    });
    expect(res.statusCode).toBe(201);
    await t.app.notifier.drain();

    expect(
      mails
        .map((m) => m.to)
        .flat()
        .sort()
    ).toEqual(['gp1@practice-a.test', 'post@practice-a.test']);
    expect(texts.map((s) => s.to)).toEqual(['+4790000001']);
    expect(texts[0]!.auth).toBe('Bearer sms-token');
    for (const mail of mails) {
      expect(mail.subject).toBe('Du har en hastesak i GP-DEP');
      expect(mail.text).toContain('https://gpdep.test/gp');
    }
    // Nothing that identifies the patient or says what they answered, in any message.
    const everything = JSON.stringify([mails, texts]);
    expect(everything).not.toContain(t.fixture.patientNames.pA1);
    expect(everything).not.toMatch(/PHQ|spørsmål 9|selvmord|suicid|depres|\b2 av 3\b/i);

    const deliveries = await t.db.selectFrom('notifications').selectAll().execute();
    expect(deliveries).toHaveLength(3);
    expect(deliveries.every((d) => d.sent_at !== null && d.attempts === 1)).toBe(true);
    const attempts = await t.db.selectFrom('notification_attempts').select('outcome').execute();
    expect(attempts.map((a) => a.outcome)).toEqual(['sent', 'sent', 'sent']);
  });

  it('groups a second answer into the open case, without a second round of messages', async () => {
    await urgentAnswer(2);
    const patient = await t.login('pA1');
    t.clock.now = new Date(t.clock.now.getTime() + 60_000);
    await t.call(patient, 'POST', `/api/patients/${patientId()}/phq9`, {
      body: phq9Body([2, 2, 1, 1, 1, 1, 1, 1, 3], 1),
    });
    await t.app.notifier.drain();
    expect(mails).toHaveLength(2);
    const gp = await t.login('gp1');
    const cases = (await t.call(gp, 'GET', `/api/patients/${patientId()}/urgent-cases`)).json();
    expect(cases.open.answers.map((a: { item9Score: number }) => a.item9Score)).toEqual([2, 3]);
    expect(cases.open.deliveries.map((d: { state: string }) => d.state)).toEqual(['sent', 'sent', 'sent']);
    // Opening pages changes nothing: the case is open until someone records what was done.
    expect(cases.open.closed).toBeNull();
  });

  it('escalates to the whole practice when the deadline passes, and opens the patient to its GPs until it closes', async () => {
    await openCaseWithTwoAnswers();
    const before = await t.login('gp2');
    expect((await t.call(before, 'GET', `/api/patients/${patientId()}`)).statusCode).toBe(404);
    const open = await t.db.selectFrom('urgent_cases').selectAll().executeTakeFirstOrThrow();
    // Not yet due: nothing happens.
    expect(await escalateOverdueCases(t.db, new Date(new Date(open.due_at).getTime() - 1000))).toBe(0);
    t.clock.now = new Date(new Date(open.due_at).getTime() + 60_000);
    expect(await escalateOverdueCases(t.db, t.clock.now)).toBe(1);
    expect(await escalateOverdueCases(t.db, t.clock.now)).toBe(0); // exactly once
    t.app.notifier.kick();
    await t.app.notifier.drain();
    // (Hours later: new sessions.)
    const gp2 = await t.login('gp2');
    const gp3 = await t.login('gp3');
    const escalation = mails.filter((m) => m.subject.startsWith('Hastesak i GP-DEP ikke fulgt opp'));
    expect(
      escalation
        .map((m) => m.to)
        .flat()
        .sort()
    ).toEqual(['gp1@practice-a.test', 'gp2@practice-a.test', 'post@practice-a.test']);
    // The colleague may now open the patient (audited as urgent_escalation); another practice may not.
    expect((await t.call(gp2, 'GET', `/api/patients/${patientId()}`)).statusCode).toBe(200);
    expect((await t.call(gp3, 'GET', `/api/patients/${patientId()}`)).statusCode).toBe(404);
    const practiceCases = (await t.call(gp2, 'GET', '/api/gp/urgent-cases')).json().items;
    expect(practiceCases).toMatchObject([{ patientId: patientId(), overdue: true, escalatedTo: 'practice' }]);
    const basis = await t.db
      .selectFrom('audit_events')
      .select('access_basis')
      .where('actor_user_id', '=', t.fixture.userIds.gp2)
      .where('patient_id', '=', patientId())
      .where('outcome', '=', 'allowed')
      .execute();
    expect(basis.map((b) => b.access_basis)).toContain('urgent_escalation');
  });

  it('closes only with a record of what was done, which goes into the next consultation note', async () => {
    await escalatedCase();
    const gp2 = await t.login('gp2');
    const open = (await t.call(gp2, 'GET', `/api/patients/${patientId()}/urgent-cases`)).json().open;
    const empty = await t.call(gp2, 'POST', `/api/patients/${patientId()}/urgent-cases/${open.id}/close`, {
      body: { contact: 'reached_phone', assessment: ' ', plan: '' },
    });
    expect(empty.statusCode).toBe(400);
    expect(empty.json().errors.map((e: { field: string }) => e.field)).toEqual(['assessment', 'plan']);
    const closed = await t.call(gp2, 'POST', `/api/patients/${patientId()}/urgent-cases/${open.id}/close`, {
      body: {
        contact: 'reached_phone',
        assessment: 'Passive thoughts, no plan; partner at home.',
        plan: 'Seen by own GP tomorrow 09:00; crisis numbers given.',
      },
    });
    expect(closed.statusCode).toBe(200);
    expect(closed.json().closed).toMatchObject({ contact: 'reached_phone' });
    const alerts = await t.db.selectFrom('safety_alerts').select('acknowledged_by').execute();
    expect(alerts.every((a) => a.acknowledged_by === t.fixture.userIds.gp2)).toBe(true);
    // The escalation's access ended with the case.
    expect((await t.call(gp2, 'GET', `/api/patients/${patientId()}`)).statusCode).toBe(404);
    const again = await t.call(gp2, 'POST', `/api/patients/${patientId()}/urgent-cases/${open.id}/close`, {
      body: { contact: 'reached_phone', assessment: 'x', plan: 'y' },
    });
    expect(again.statusCode).toBe(404);

    // The patient's own GP writes the next note: the case and what was done are in it.
    const gp1 = await t.login('gp1');
    const followUp = await t.db
      .insertInto('follow_ups')
      .values({
        patient_id: patientId(),
        gp_user_id: t.fixture.userIds.gp1,
        module_id: 'm1',
        planned_at: t.clock.now,
        created_at: t.clock.now,
      })
      .returning('id')
      .executeTakeFirstOrThrow();
    const note = await t.call(gp1, 'POST', `/api/patients/${patientId()}/follow-ups/${followUp.id}/note`, {
      body: {
        discussed: 'Mornings',
        plan: 'Module 2',
        nextStep: 'Thought record',
        mode: 'in_person',
        durationMinutes: 20,
        sickLeave: { status: 'none', percent: null, from: null, to: null },
        feeCodes: [],
        language: 'nb',
      },
    });
    expect(note.statusCode).toBe(201);
    expect(note.json().noteText).toMatch(
      /Hastesak .* \(PHQ-9 spørsmål 9: 3\): snakket med pasienten på telefon\. Vurdering: Passive thoughts, no plan; partner at home\. Plan: Seen by own GP tomorrow/
    );
  });

  it('records a refused delivery, retries it with backoff, and gives up visibly after the last try', async () => {
    await t.db
      .updateTable('users')
      .set({ notify_email: REFUSED, notify_phone: null })
      .where('id', '=', t.fixture.userIds.gp1)
      .execute();
    const patient = await t.login('pA1');
    t.clock.now = new Date(t.clock.now.getTime() + 60_000);
    await t.call(patient, 'POST', `/api/patients/${patientId()}/phq9`, {
      body: phq9Body([1, 1, 1, 1, 1, 1, 1, 1, 1], 1),
    });
    await t.app.notifier.drain();
    const refused = () =>
      t.db.selectFrom('notifications').selectAll().where('recipient', '=', REFUSED).executeTakeFirstOrThrow();
    expect(await refused()).toMatchObject({ sent_at: null, gave_up_at: null, attempts: 1 });
    expect((await refused()).last_error).toMatch(/550|refused|mailbox/i);
    for (const minutes of RETRY_MINUTES) {
      t.clock.now = new Date(t.clock.now.getTime() + minutes * 60_000 + 1000);
      await t.app.notifier.dispatchDue();
    }
    const final = await refused();
    expect(final.gave_up_at).not.toBeNull();
    expect(final.attempts).toBe(RETRY_MINUTES.length);
    const attempts = await t.db
      .selectFrom('notification_attempts')
      .select('outcome')
      .where('notification_id', '=', final.id)
      .execute();
    expect(attempts.map((a) => a.outcome)).toEqual(RETRY_MINUTES.map(() => 'failed'));
    const gp1 = await t.login('gp1');
    const cases = (await t.call(gp1, 'GET', '/api/gp/urgent-cases')).json().items;
    expect(cases[0].failedDeliveries).toBe(1);
  });
});

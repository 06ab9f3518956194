/**
 * The settings screen for urgent-case notifications (issue 11 §1), through a real SMTP server in
 * this process (smtp-server): a GP changes their own address and the next urgent case mails the
 * new one; the practice's shared address and response standard are the practice's GPs' to change
 * (another practice's GP, a patient, a researcher and an admin are refused); bad input is a 400
 * naming the field and changes nothing; every change is in the audit log without the addresses;
 * a test message arrives through the outbox and says nothing about health.
 */
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { startMailSink, type MailSink, type ReceivedMail } from '../../../test/support/mail-sink.js';
import { createTestApp, phq9Body, type TestApp } from '../../../test/support/test-app.js';
import { SmtpEmailChannel } from '../notify/channels.js';
import { EMAIL_REASON, PHONE_REASON } from '../../domain/safety/notification-settings.js';
import { TEST_MAX } from './notification-settings.commands.js';

let t: TestApp;
let smtp: MailSink;
let mails: ReceivedMail[] = [];

const own = '/api/gp/notification-settings';
const practiceUrl = (id: string) => `/api/gp/practices/${id}/notification-settings`;
const DEFAULT_STANDARD = { sameDayCutoff: '16:00', sameDayBy: '16:00', nextDayBy: '10:00' };

// The mail server lives for the file; the application, its database and the mail received are new
// for every test, which sets up what it reads (issue 12 §5).
beforeAll(async () => {
  smtp = await startMailSink();
  mails = smtp.mails;
});
beforeEach(async () => {
  mails.length = 0;
  t = await createTestApp({
    notificationChannels: [
      new SmtpEmailChannel(`smtp://127.0.0.1:${smtp.port}`, 'GP-DEP <no-reply@gpdep.test>'),
    ],
    publicUrl: 'https://gpdep.test',
  });
  await t.db
    .updateTable('users')
    .set({ notify_email: 'old.gp1@practice-a.test' })
    .where('id', '=', t.fixture.userIds.gp1)
    .execute();
});
afterEach(async () => t?.close());
afterAll(async () => smtp?.close());

/** Everything the settings live in, to prove a refused request changed nothing. */
async function storedSettings() {
  const users = await t.db
    .selectFrom('users')
    .select(['id', 'notify_email', 'notify_phone'])
    .orderBy('id')
    .execute();
  const practices = await t.db
    .selectFrom('practices')
    .select(['id', 'urgent_email', 'response_standard'])
    .orderBy('id')
    .execute();
  return JSON.stringify({ users, practices });
}

describe('a GP sets where their urgent-case notifications go', () => {
  it('reads, changes and clears their own e-mail and phone; the next urgent case mails the new address', async () => {
    const gp1 = await t.login('gp1');
    const before = await t.call(gp1, 'GET', own);
    expect(before.statusCode).toBe(200);
    expect(before.json()).toMatchObject({
      email: 'old.gp1@practice-a.test',
      phone: '',
      practiceId: t.fixture.practiceIds.a,
    });

    const changed = await t.call(gp1, 'PUT', own, {
      body: { email: 'new.gp1@practice-a.test', phone: '+4791234567' },
    });
    expect(changed.statusCode, changed.body).toBe(200);
    expect(changed.json()).toMatchObject({ email: 'new.gp1@practice-a.test', phone: '+4791234567' });

    // The next urgent case: the mail goes to the new address, not the old one.
    const patient = await t.login('pA1');
    const answer = await t.call(patient, 'POST', `/api/patients/${t.fixture.patientIds.pA1}/phq9`, {
      body: phq9Body([1, 1, 1, 1, 1, 1, 1, 1, 1], 1),
    });
    expect(answer.statusCode).toBe(201);
    await t.app.notifier.drain();
    const recipients = mails.flatMap((m) => m.to);
    expect(recipients).toContain('new.gp1@practice-a.test');
    expect(recipients).not.toContain('old.gp1@practice-a.test');

    // An empty value clears the address.
    const cleared = await t.call(gp1, 'PUT', own, { body: { email: 'new.gp1@practice-a.test', phone: '' } });
    expect(cleared.statusCode).toBe(200);
    const row = await t.db
      .selectFrom('users')
      .select(['notify_email', 'notify_phone'])
      .where('id', '=', t.fixture.userIds.gp1)
      .executeTakeFirstOrThrow();
    expect(row).toEqual({ notify_email: 'new.gp1@practice-a.test', notify_phone: null });

    // The audit log says who changed what, and never copies the addresses.
    const events = await t.db
      .selectFrom('audit_events')
      .select(['actor_user_id', 'action', 'data_category', 'patient_id'])
      .where('data_category', 'like', 'urgent-case notification settings%')
      .orderBy('seq')
      .execute();
    expect(events).toEqual([
      {
        actor_user_id: t.fixture.userIds.gp1,
        action: 'update',
        data_category: 'urgent-case notification settings (own): e-mail changed, phone set',
        patient_id: null,
      },
      {
        actor_user_id: t.fixture.userIds.gp1,
        action: 'update',
        data_category: 'urgent-case notification settings (own): phone cleared',
        patient_id: null,
      },
    ]);
    expect(JSON.stringify(events)).not.toMatch(/practice-a\.test|\+47/);
  });

  it('lets any GP of the practice set its shared address and response standard', async () => {
    const gp2 = await t.login('gp2');
    const url = practiceUrl(t.fixture.practiceIds.a);
    const before = await t.call(gp2, 'GET', url);
    expect(before.statusCode).toBe(200);
    expect(before.json()).toMatchObject({
      practiceId: t.fixture.practiceIds.a,
      practiceName: 'Practice A (test)',
      urgentEmail: '',
      responseStandard: DEFAULT_STANDARD,
    });
    // gp2 has no address at all: the screen names them.
    expect(before.json().gpsWithoutAddress).toEqual(['Test gp2']);

    const standard = { sameDayCutoff: '15:00', sameDayBy: '15:30', nextDayBy: '09:00' };
    const res = await t.call(gp2, 'PUT', url, {
      body: { urgentEmail: 'post@practice-a.test', responseStandard: standard },
    });
    expect(res.statusCode, res.body).toBe(200);
    expect(res.json()).toMatchObject({ urgentEmail: 'post@practice-a.test', responseStandard: standard });
    const stored = await t.db
      .selectFrom('practices')
      .select(['urgent_email', 'response_standard'])
      .where('id', '=', t.fixture.practiceIds.a)
      .executeTakeFirstOrThrow();
    expect(stored).toEqual({ urgent_email: 'post@practice-a.test', response_standard: standard });

    // The next case is due by the new standard: on a Monday at 15:10 Oslo time, past the 15:00
    // cutoff, by 09:00 on Tuesday.
    t.clock.now = new Date('2026-12-07T14:10:00Z');
    const pA2 = await t.login('pA2');
    const answer = await t.call(pA2, 'POST', `/api/patients/${t.fixture.patientIds.pA2}/phq9`, {
      body: phq9Body([1, 1, 1, 1, 1, 1, 1, 1, 1], 1),
    });
    expect(answer.statusCode).toBe(201);
    await t.app.notifier.drain();
    const opened = await t.db
      .selectFrom('urgent_cases')
      .select('due_at')
      .where('patient_id', '=', t.fixture.patientIds.pA2)
      .executeTakeFirstOrThrow();
    expect(new Date(opened.due_at).toISOString()).toBe('2026-12-08T08:00:00.000Z');
    expect(mails.at(-1)?.to).toContain('post@practice-a.test');

    const event = await t.db
      .selectFrom('audit_events')
      .select(['actor_user_id', 'data_category'])
      .where('data_category', 'like', 'urgent-case notification settings (practice)%')
      .executeTakeFirstOrThrow();
    expect(event).toEqual({
      actor_user_id: t.fixture.userIds.gp2,
      data_category:
        'urgent-case notification settings (practice): shared e-mail set, response standard now 15:00/15:30/09:00 (cutoff/same day by/next day by)',
    });

    // And back to the default standard (a new session: the clock moved on).
    const reset = await t.call(await t.login('gp2'), 'PUT', url, {
      body: { urgentEmail: 'post@practice-a.test', responseStandard: DEFAULT_STANDARD },
    });
    expect(reset.statusCode).toBe(200);
  });

  it('refuses another practice’s GP (403), and a patient, a researcher and an admin, changing nothing', async () => {
    const before = await storedSettings();
    const url = practiceUrl(t.fixture.practiceIds.a);
    const body = { urgentEmail: 'attacker@elsewhere.test', responseStandard: DEFAULT_STANDARD };
    const gp3 = await t.login('gp3');
    for (const method of ['GET', 'PUT'] as const) {
      const res = await t.call(gp3, method, url, method === 'PUT' ? { body } : {});
      expect(res.statusCode, `gp3 ${method}`).toBe(403);
      expect(res.headers['content-type']).toMatch(/^application\/problem\+json/);
    }
    for (const who of ['pA1', 'researcher', 'admin'] as const) {
      const session = await t.login(who);
      for (const [method, path, payload] of [
        ['PUT', url, body],
        ['PUT', own, { email: 'x@elsewhere.test', phone: '' }],
        ['POST', `${own}/test-email`, { email: 'x@elsewhere.test', target: 'own' }],
      ] as const) {
        const res = await t.call(session, method, path, { body: payload });
        expect(res.statusCode, `${who} ${method} ${path}`).toBe(403);
      }
    }
    // Without the CSRF token, even the practice's own GP changes nothing.
    const gp1 = await t.login('gp1');
    const noCsrf = await t.call(gp1, 'PUT', url, { body, csrf: false });
    expect(noCsrf.statusCode).toBe(403);
    expect(await storedSettings()).toBe(before);
  });

  it('answers bad input with a 400 naming the field, and saves nothing', async () => {
    const gp1 = await t.login('gp1');
    const before = await storedSettings();
    const url = practiceUrl(t.fixture.practiceIds.a);
    const cases: { path: string; body: unknown; fields: string[] }[] = [
      { path: own, body: { email: 'not an e-mail', phone: '' }, fields: ['email'] },
      { path: own, body: { email: 'gp1@practice-a.test', phone: '91234567' }, fields: ['phone'] },
      { path: own, body: { email: 'gp1@practice-a.test', phone: '+47 912 34 567' }, fields: ['phone'] },
      { path: own, body: { email: 'a@b.test\r\nBcc: x@y.test', phone: '' }, fields: ['email'] },
      { path: own, body: { email: 'gp1@practice-a.test\u0000', phone: '' }, fields: ['email'] },
      { path: own, body: { email: 'gp1@practice-a.test' }, fields: ['phone'] },
      {
        path: url,
        body: { urgentEmail: '', responseStandard: { ...DEFAULT_STANDARD, sameDayCutoff: '25:00' } },
        fields: ['responseStandard.sameDayCutoff'],
      },
      {
        path: url,
        body: { urgentEmail: '', responseStandard: { ...DEFAULT_STANDARD, sameDayBy: '15:00' } },
        fields: ['responseStandard.sameDayBy'],
      },
      {
        path: url,
        body: { urgentEmail: '', responseStandard: { ...DEFAULT_STANDARD, nextDayBy: '16:00' } },
        fields: ['responseStandard.nextDayBy'],
      },
      {
        path: url,
        body: { urgentEmail: 'post@', responseStandard: DEFAULT_STANDARD },
        fields: ['urgentEmail'],
      },
      {
        path: url,
        body: { urgentEmail: 'post\u0000@practice-a.test', responseStandard: DEFAULT_STANDARD },
        fields: ['urgentEmail'],
      },
    ];
    for (const c of cases) {
      const res = await t.call(gp1, 'PUT', c.path, { body: c.body });
      const where = `${c.path} ${JSON.stringify(c.body)}`;
      expect(res.statusCode, where).toBe(400);
      expect(res.headers['content-type'], where).toMatch(/^application\/problem\+json/);
      expect(
        (res.json().errors as { field: string }[]).map((e) => e.field),
        where
      ).toEqual(c.fields);
    }
    // The reasons say what the field wants, not only that it is wrong.
    const reasons = async (path: string, body: unknown) =>
      (await t.call(gp1, 'PUT', path, { body })).json().errors as { field: string; reason: string }[];
    expect(await reasons(own, { email: 'x', phone: '91234567' })).toEqual([
      { field: 'email', reason: EMAIL_REASON },
      { field: 'phone', reason: PHONE_REASON },
    ]);
    expect(
      await reasons(url, { urgentEmail: '', responseStandard: { ...DEFAULT_STANDARD, nextDayBy: '25:00' } })
    ).toEqual([{ field: 'responseStandard.nextDayBy', reason: 'must be a time of day as HH:MM (24-hour)' }]);
    expect(
      await reasons(url, { urgentEmail: '', responseStandard: { ...DEFAULT_STANDARD, nextDayBy: '14:00' } })
    ).toEqual([
      { field: 'responseStandard.nextDayBy', reason: 'must be a morning time, from 06:00 to 12:00' },
    ]);
    const test = await t.call(gp1, 'POST', `${own}/test-email`, { body: { email: '', target: 'own' } });
    expect(test.statusCode).toBe(400);
    expect(test.json().errors[0].field).toBe('email');
    expect(await storedSettings()).toBe(before);
  });
});

describe('a test message', () => {
  it('arrives at the address through the outbox, is recorded, and says nothing about health', async () => {
    const gp2 = await t.login('gp2');
    const before = mails.length;
    const res = await t.call(gp2, 'POST', `${own}/test-email`, {
      body: { email: 'check@practice-a.test', target: 'practice' },
    });
    expect(res.statusCode, res.body).toBe(202);
    await t.app.notifier.drain();
    const arrived = mails.slice(before);
    expect(arrived.map((m) => m.to)).toEqual([['check@practice-a.test']]);
    expect(arrived[0]!.subject).toBe('Testmelding fra GP-DEP');
    expect(arrived[0]!.text).toContain('https://gpdep.test/gp');
    expect(JSON.stringify(arrived)).not.toMatch(
      /pasient|patient|PHQ|spørsmål 9|selvmord|suicid|depres|svar|hastesak i GP-DEP|Fixturesen/i
    );

    const row = await t.db
      .selectFrom('notifications')
      .selectAll()
      .where('id', '=', res.json().id)
      .executeTakeFirstOrThrow();
    expect(row).toMatchObject({
      purpose: 'test',
      case_id: null,
      recipient: 'check@practice-a.test',
      recipient_kind: 'practice_address',
      recipient_user_id: t.fixture.userIds.gp2,
      attempts: 1,
    });
    expect(row.sent_at).not.toBeNull();
    const mine = (await t.call(gp2, 'GET', own)).json();
    expect(mine.recentTests[0]).toMatchObject({
      to: 'check@practice-a.test',
      target: 'practice',
      state: 'sent',
    });
    const logged = await t.db
      .selectFrom('audit_events')
      .select('data_category')
      .where('actor_user_id', '=', t.fixture.userIds.gp2)
      .where('action', '=', 'create')
      .execute();
    expect(logged.map((e) => e.data_category)).toEqual([
      'urgent-case notification test message (practice address)',
    ]);
    // A test belongs to no case: the practice's urgent-case list does not count it.
    const cases = (await t.call(gp2, 'GET', '/api/gp/urgent-cases')).json();
    expect(cases.items.every((c: { failedDeliveries: number }) => c.failedDeliveries === 0)).toBe(true);
  });

  it(`allows ${TEST_MAX} test messages in ten minutes per GP, then answers 429`, async () => {
    const gp3 = await t.login('gp3');
    const send = () =>
      t.call(gp3, 'POST', `${own}/test-email`, { body: { email: 'gp3@practice-b.test', target: 'own' } });
    for (let i = 0; i < TEST_MAX; i += 1) expect((await send()).statusCode).toBe(202);
    const refused = await send();
    expect(refused.statusCode).toBe(429);
    expect(refused.headers['content-type']).toMatch(/^application\/problem\+json/);
    t.clock.now = new Date(t.clock.now.getTime() + 10 * 60_000 + 1000);
    expect((await send()).statusCode).toBe(202);
    await t.app.notifier.drain();
  });
});

/**
 * Invitations and reminders over real SMTP (issue 14, "Invitations"): a local SMTP server in this
 * process (test/support/mail-sink.ts) receives what nodemailer sends, and the test clock moves the
 * days. The queue is a table, so it survives a restart; messages leave at the survey's rate;
 * reminders go after 7 and 14 days to those who have not submitted, never after an opt-out; a
 * refused address is recorded as bounced; no e-mail says anything about health.
 */
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { startMailSink, type MailSink, type ReceivedMail } from '../../../test/support/mail-sink.js';
import { createTestApp, type LoggedIn, type TestApp } from '../../../test/support/test-app.js';
import { buildApp } from '../app.js';
import { SmtpEmailChannel } from '../notify/channels.js';
import { createSurvey, fieldedSurvey, FIXTURE_GP_QUESTIONNAIRE, frameCsv, GP_ANSWERS } from './testing.js';

const DAY = 86_400_000;
const REFUSED = 'gp3@frame.test';

let smtp: MailSink;
let mails: ReceivedMail[];
let t: TestApp;
let researcher: LoggedIn;
const channel = () => new SmtpEmailChannel(`smtp://127.0.0.1:${smtp.port}`, 'GP-DEP <survey@gpdep.test>');

beforeAll(async () => {
  smtp = await startMailSink({ refuse: REFUSED });
  mails = smtp.mails;
});
afterAll(async () => smtp?.close());
beforeEach(async () => {
  mails.length = 0;
  t = await createTestApp({ notificationChannels: [channel()], publicUrl: 'https://gpdep.test' });
  researcher = await t.login('researcher');
});
afterEach(async () => t?.close());

const later = (ms: number) => {
  t.clock.now = new Date(t.clock.now.getTime() + ms);
};
/** The token in the answer link of a mail (after `#`). */
const tokenIn = (mail: ReceivedMail) => /\/undersokelse\/svar#([A-Za-z0-9_-]{43})/.exec(mail.text)![1]!;
const optOutLinkIn = (mail: ReceivedMail) =>
  /\/undersokelse\/avmeld#([A-Za-z0-9_-]{43})/.exec(mail.text)![1]!;
const to = (list: ReceivedMail[]) => list.map((m) => m.to.join(',')).sort();
async function tick() {
  await t.app.surveyMailer.drain();
  await t.app.surveyMailer.tick();
}

describe('invitations by e-mail', () => {
  it('sends one personal link per GP at the survey’s rate, and the link opens the survey', async () => {
    // Two e-mails a minute; five GPs.
    const { surveyId } = await fieldedSurvey(t, researcher, 5, { sendRatePerMinute: 2 });
    await t.app.surveyMailer.drain();
    expect(to(mails)).toEqual(['gp1@frame.test', 'gp2@frame.test']);
    await tick();
    expect(mails).toHaveLength(2); // the same minute: nothing more
    // The next minute: gp3 is refused by the mail server (a bounce, which counts as an attempt),
    // then gp4; the minute after, gp5. Five attempts, four delivered.
    later(61_000);
    await tick();
    expect(mails).toHaveLength(3);
    later(61_000);
    await tick();
    expect(to(mails)).toEqual(['gp1@frame.test', 'gp2@frame.test', 'gp4@frame.test', 'gp5@frame.test']);

    // Each link is the invitation's own, and opens the survey.
    const tokens = new Set(mails.map(tokenIn));
    expect(tokens.size).toBe(4);
    const opened = await t.call(null, 'POST', '/api/survey-invitations/open', {
      body: { token: tokenIn(mails[0]!) },
    });
    expect(opened.statusCode).toBe(200);
    // The token is nowhere in the database; only its hash is.
    const stored = JSON.stringify(await t.db.selectFrom('survey_invitations').selectAll().execute());
    for (const token of tokens) expect(stored).not.toContain(token);

    const invitations = await t.db
      .selectFrom('survey_invitations as i')
      .innerJoin('survey_frame_members as m', 'm.id', 'i.frame_member_id')
      .select(['m.email', 'i.status', 'm.bounced_at'])
      .where('i.survey_id', '=', surveyId)
      .orderBy('m.frame_id')
      .execute();
    expect(invitations.map((i) => `${i.email} ${i.status} ${i.bounced_at ? 'bounced' : ''}`.trim())).toEqual([
      'gp1@frame.test opened',
      'gp2@frame.test sent',
      'gp3@frame.test bounced bounced',
      'gp4@frame.test sent',
      'gp5@frame.test sent',
    ]);
    const monitoring = (
      await t.call(researcher, 'GET', `/api/research/surveys/${surveyId}/monitoring`)
    ).json();
    expect(monitoring.totals).toMatchObject({ invited: 5, sent: 4, opened: 1, bounced: 1 });
    expect(monitoring.emails).toEqual({ queued: 0, sent: 4, failedTemporarily: 0, gaveUp: 1 });
  });

  it('says nothing about health in any e-mail', async () => {
    const surveyId = await createSurvey(t, researcher, {
      title: 'Oppfølging av deprimerte pasienter: nasjonal undersøkelse blant fastleger',
    });
    await t.call(researcher, 'POST', `/api/research/surveys/${surveyId}/frame`, {
      body: { csv: frameCsv(2) },
    });
    await t.call(researcher, 'POST', `/api/research/surveys/${surveyId}/open`);
    await t.call(researcher, 'POST', `/api/research/surveys/${surveyId}/invitations`, { body: {} });
    await t.app.surveyMailer.drain();
    later(7 * DAY + 1);
    await tick();
    expect(mails.map((m) => m.subject)).toEqual([
      'Invitasjon til en spørreundersøkelse / Invitation to a questionnaire',
      'Invitasjon til en spørreundersøkelse / Invitation to a questionnaire',
      'Påminnelse: spørreundersøkelse / Reminder: questionnaire',
      'Påminnelse: spørreundersøkelse / Reminder: questionnaire',
    ]);
    // Not the title, not a question, not an answer option, no word about health or illness.
    // Every question and option text of the questionnaire long enough to mean something (short
    // labels such as "Ja" or "No" are ordinary words).
    const itemTexts = (
      JSON.stringify(FIXTURE_GP_QUESTIONNAIRE).match(/"(text|display|valueString)":"[^"]+"/g) ?? []
    )
      .map((m) => m.split('":"')[1]!.slice(0, -1))
      .filter((text) => text.length > 12);
    expect(itemTexts.length).toBeGreaterThan(15);
    for (const mail of mails) {
      const text = `${mail.subject}\n${mail.text}`.toLowerCase();
      for (const word of [
        'depres',
        'deprim',
        'phq',
        'psyk',
        'mental',
        'helse',
        'health',
        'pasient',
        'patient',
        'selvmord',
        'suicid',
        'angst',
        'anxiety',
        'terapi',
        'therapy',
      ]) {
        expect(text, word).not.toContain(word);
      }
      for (const item of itemTexts) expect(mail.text).not.toContain(item);
    }
  });

  it('keeps the queue across a restart: what was not sent goes when a server with e-mail starts', async () => {
    const quiet = await createTestApp({ publicUrl: 'https://gpdep.test' }); // no e-mail channel configured
    try {
      const r = await quiet.login('researcher');
      const { surveyId } = await fieldedSurvey(quiet, r, 3);
      await quiet.app.surveyMailer.drain();
      await quiet.app.surveyMailer.tick();
      expect(mails).toEqual([]);
      const monitoring = (await quiet.call(r, 'GET', `/api/research/surveys/${surveyId}/monitoring`)).json();
      expect(monitoring.emails).toEqual({ queued: 3, sent: 0, failedTemporarily: 0, gaveUp: 0 });
      await quiet.app.close();
      // A new server process on the same database, with SMTP configured.
      const restarted = await buildApp({
        db: quiet.db,
        secrets: quiet.app.secrets,
        now: () => quiet.clock.now,
        notificationChannels: [channel()],
        publicUrl: 'https://gpdep.test',
      });
      try {
        // Listening starts the outbox's timer (as `npm start` does), which sends at once.
        await restarted.listen({ port: 0, host: '127.0.0.1' });
        await restarted.surveyMailer.drain();
        expect(to(mails)).toEqual(
          ['gp1@frame.test', 'gp2@frame.test', 'gp3@frame.test'].filter((a) => a !== REFUSED)
        );
      } finally {
        await restarted.close();
      }
    } finally {
      await quiet.database.close();
    }
  });

  it('retries a temporary failure with backoff, and sends nothing while the survey is closed', async () => {
    const unreachable = await createTestApp({
      // Nothing listens on port 9 here: every connection is refused (a temporary failure).
      notificationChannels: [new SmtpEmailChannel('smtp://127.0.0.1:9', 'GP-DEP <survey@gpdep.test>')],
    });
    try {
      const r = await unreachable.login('researcher');
      const { surveyId } = await fieldedSurvey(unreachable, r, 1);
      await unreachable.app.surveyMailer.drain();
      const [row] = await unreachable.db.selectFrom('survey_emails').selectAll().execute();
      expect(row).toMatchObject({ attempts: 1, sent_at: null, gave_up_at: null });
      expect(row!.last_error).toBeTruthy();
      // First retry a minute later (SURVEY_RETRY_MINUTES[0]).
      expect(new Date(row!.next_attempt_at).getTime() - unreachable.clock.now.getTime()).toBe(60_000);
      const monitoring = (
        await unreachable.call(r, 'GET', `/api/research/surveys/${surveyId}/monitoring`)
      ).json();
      expect(monitoring.emails).toMatchObject({ queued: 1, failedTemporarily: 1 });
    } finally {
      await unreachable.close();
    }

    const { surveyId } = await fieldedSurvey(t, researcher, 2, { sendRatePerMinute: 1 });
    await t.app.surveyMailer.drain();
    expect(mails).toHaveLength(1);
    await t.call(researcher, 'POST', `/api/research/surveys/${surveyId}/close`);
    later(10 * 60_000);
    await tick();
    expect(mails).toHaveLength(1);
    await t.call(researcher, 'POST', `/api/research/surveys/${surveyId}/open`);
    await tick();
    expect(to(mails)).toEqual(['gp1@frame.test', 'gp2@frame.test']);
  });
});

describe('reminders and opting out', () => {
  it('reminds after 7 and 14 days those who have not submitted, and never after an opt-out', async () => {
    // gp1 submits, gp2 opts out on day 3, gp4 saves a part; gp5 does nothing (gp3 bounces).
    const { surveyId } = await fieldedSurvey(t, researcher, 5);
    await t.app.surveyMailer.drain();
    const byAddress = new Map(mails.map((m) => [m.to[0]!, m]));
    const submitted = await t.call(null, 'POST', '/api/survey-invitations/submit', {
      body: { token: tokenIn(byAddress.get('gp1@frame.test')!), answers: GP_ANSWERS },
    });
    expect(submitted.statusCode).toBe(201);
    await t.call(null, 'PUT', '/api/survey-invitations/answers', {
      body: {
        token: tokenIn(byAddress.get('gp4@frame.test')!),
        answers: { 'years-as-gp': [{ valueInteger: 4 }] },
      },
    });
    later(3 * DAY);
    const optOut = await t.call(null, 'POST', '/api/survey-invitations/opt-out', {
      body: { token: optOutLinkIn(byAddress.get('gp2@frame.test')!) },
    });
    expect(optOut.json()).toEqual({ optedOut: true });

    mails.length = 0;
    later(4 * DAY - 60_000); // day 7 less a minute: nothing yet
    await tick();
    expect(mails).toEqual([]);
    later(60_000); // day 7
    await tick();
    expect(to(mails)).toEqual(['gp4@frame.test', 'gp5@frame.test']);
    expect(mails.every((m) => m.subject.startsWith('Påminnelse'))).toBe(true);
    // The reminder carries the same personal link: gp4 continues where they left off.
    const gp4Reminder = mails.find((m) => m.to[0] === 'gp4@frame.test')!;
    const resumed = await t.call(null, 'POST', '/api/survey-invitations/open', {
      body: { token: tokenIn(gp4Reminder) },
    });
    expect(resumed.json()).toMatchObject({
      status: 'partial',
      answers: { 'years-as-gp': [{ valueInteger: 4 }] },
    });
    await tick();
    expect(mails).toHaveLength(2); // once each

    mails.length = 0;
    later(7 * DAY); // day 14
    await tick();
    expect(to(mails)).toEqual(['gp4@frame.test', 'gp5@frame.test']);
    mails.length = 0;
    later(30 * DAY); // no third reminder
    await tick();
    expect(mails).toEqual([]);

    const invitations = await t.db
      .selectFrom('survey_invitations as i')
      .innerJoin('survey_frame_members as m', 'm.id', 'i.frame_member_id')
      .select(['m.email', 'i.reminders_sent', 'm.opted_out_at'])
      .where('i.survey_id', '=', surveyId)
      .orderBy('m.frame_id')
      .execute();
    expect(
      invitations.map((i) => `${i.email}:${i.reminders_sent}${i.opted_out_at ? ':opted out' : ''}`)
    ).toEqual([
      'gp1@frame.test:0',
      'gp2@frame.test:0:opted out',
      'gp3@frame.test:0',
      'gp4@frame.test:2',
      'gp5@frame.test:2',
    ]);
  });

  it('honours an opt-out at once: a reminder already queued is not sent', async () => {
    await fieldedSurvey(t, researcher, 1);
    await t.app.surveyMailer.drain();
    const token = tokenIn(mails[0]!);
    later(7 * DAY);
    // The reminder is queued but not yet sent when the GP opts out.
    expect(await t.app.surveyMailer.queueReminders()).toBe(1);
    await t.call(null, 'POST', '/api/survey-invitations/opt-out', { body: { token } });
    mails.length = 0;
    await t.app.surveyMailer.dispatchDue();
    expect(mails).toEqual([]);
    const [reminder] = await t.db.selectFrom('survey_emails').selectAll().where('sequence', '=', 1).execute();
    expect(reminder!.cancelled_at).not.toBeNull();
  });

  it('sends only the latest reminder due when the job was not run for two weeks', async () => {
    await fieldedSurvey(t, researcher, 1);
    await t.app.surveyMailer.drain();
    mails.length = 0;
    later(15 * DAY);
    await tick();
    expect(mails).toHaveLength(1);
    const sequences = await t.db.selectFrom('survey_emails').select('sequence').orderBy('sequence').execute();
    expect(sequences.map((s) => s.sequence)).toEqual([0, 2]);
  });

  it('records bounces the mail system reports later, and sends them nothing more', async () => {
    const { surveyId } = await fieldedSurvey(t, researcher, 2);
    await t.app.surveyMailer.drain();
    const res = await t.call(researcher, 'POST', `/api/research/surveys/${surveyId}/bounces`, {
      body: { emails: ['GP2@frame.test', 'nobody@frame.test'] },
    });
    expect(res.json()).toEqual({ recorded: 1, unknown: 1 });
    mails.length = 0;
    later(8 * DAY);
    await tick();
    expect(to(mails)).toEqual(['gp1@frame.test']);
  });
});

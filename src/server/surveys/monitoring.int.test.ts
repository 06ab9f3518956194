/**
 * The researcher's monitoring of a survey in the field (issue 14, "Monitoring"), on a small frame
 * whose every figure is worked out by hand below: the funnel in total and by day, and respondents
 * against the frame per characteristic with the difference in percentage points.
 */
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { startMailSink, type MailSink } from '../../../test/support/mail-sink.js';
import { createTestApp, type LoggedIn, type TestApp } from '../../../test/support/test-app.js';
import { SmtpEmailChannel } from '../notify/channels.js';
import { createSurvey, GP_ANSWERS, PATIENT_QUESTIONNAIRE, phq9SurveyAnswers, tokensOf } from './testing.js';

let smtp: MailSink;
let t: TestApp;
let researcher: LoggedIn;

beforeAll(async () => {
  smtp = await startMailSink({ refuse: 'm10@frame.test' });
});
afterAll(async () => smtp?.close());
beforeEach(async () => {
  t = await createTestApp({
    notificationChannels: [
      new SmtpEmailChannel(`smtp://127.0.0.1:${smtp.port}`, 'GP-DEP <survey@gpdep.test>'),
    ],
  });
  t.clock.now = new Date('2026-12-01T09:00:00Z');
  researcher = await t.login('researcher');
});
afterEach(async () => t?.close());

/**
 * Ten GPs: F1-F6 women, M7-M10 men (60 % / 40 % of the frame); age groups and regions vary;
 * m10's address is refused by the mail server.
 */
const FRAME = [
  'frame_id,email,sex,age_group,region,rural,specialist',
  'F1,f1@frame.test,F,<40,vest,no,yes',
  'F2,f2@frame.test,F,40-49,vest,no,yes',
  'F3,f3@frame.test,F,40-49,nord,yes,no',
  'F4,f4@frame.test,F,50-59,midt,no,yes',
  'F5,f5@frame.test,F,60+,sor-ost,no,no',
  'F6,f6@frame.test,F,<40,sor-ost,no,yes',
  'M7,m7@frame.test,M,50-59,sor-ost,no,yes',
  'M8,m8@frame.test,M,60+,nord,yes,yes',
  'M9,m9@frame.test,M,40-49,vest,no,no',
  'M10,m10@frame.test,M,60+,midt,no,yes',
].join('\n');

describe('monitoring an identified survey', () => {
  it('counts the funnel, the days, and respondents against the frame', async () => {
    const surveyId = await createSurvey(t, researcher);
    await t.call(researcher, 'POST', `/api/research/surveys/${surveyId}/frame`, { body: { csv: FRAME } });
    await t.call(researcher, 'POST', `/api/research/surveys/${surveyId}/open`);
    await t.call(researcher, 'POST', `/api/research/surveys/${surveyId}/invitations`, { body: {} });
    await t.app.surveyMailer.drain();
    // tokensOf sorts by frame id: F1 … F6, M10, M7, M8, M9.
    const [f1, f2, f3, f4, f5, , , m7, m8] = await tokensOf(t, surveyId);

    // Day 2: F1, F2, F3 and M7 submit; F4 saves a part; M8 opts out.
    t.clock.now = new Date('2026-12-02T10:00:00Z');
    for (const token of [f1, f2, f3, m7]) {
      const res = await t.call(null, 'POST', '/api/survey-invitations/submit', {
        body: { token, answers: GP_ANSWERS },
      });
      expect(res.statusCode, res.body).toBe(201);
    }
    await t.call(null, 'PUT', '/api/survey-invitations/answers', {
      body: { token: f4, answers: { 'years-as-gp': [{ valueInteger: 2 }] } },
    });
    await t.call(null, 'POST', '/api/survey-invitations/opt-out', { body: { token: m8 } });
    // Day 3: F5 only opens.
    t.clock.now = new Date('2026-12-03T08:00:00Z');
    await t.call(null, 'POST', '/api/survey-invitations/open', { body: { token: f5 } });

    // The researcher logs in again after the days have passed (sessions expire as in production).
    researcher = await t.login('researcher');
    const res = await t.call(researcher, 'GET', `/api/research/surveys/${surveyId}/monitoring`);
    expect(res.statusCode).toBe(200);
    const m = res.json();
    // Invited 10; sent 9 (M10 refused); opened: F1-F4, M7 (a save or submit opens) and F5 = 6;
    // partial F4; complete F1-F3, M7; opted out M8; bounced M10.
    expect(m.totals).toEqual({
      invited: 10,
      sent: 9,
      opened: 6,
      partial: 1,
      complete: 4,
      optedOut: 1,
      bounced: 1,
    });
    expect(m.byDay).toEqual([
      { date: '2026-12-01', invited: 9, opened: 0, started: 0, complete: 0, optedOut: 0, bounced: 1 },
      { date: '2026-12-02', invited: 0, opened: 5, started: 5, complete: 4, optedOut: 1, bounced: 0 },
      { date: '2026-12-03', invited: 0, opened: 1, started: 0, complete: 0, optedOut: 0, bounced: 0 },
    ]);
    expect(m.byAttribute.map((a: { attribute: string }) => a.attribute)).toEqual([
      'sex',
      'age_group',
      'region',
      'rural',
      'specialist',
    ]);
    // Sex: the frame is 6/10 = 60 % women; the complete responses 3/4 = 75 % women, so women are
    // over-represented by 75 − 60 = +15.0 points and men under by 25 − 40 = −15.0. Response rate:
    // women 3/6 = 50 %, men 1/4 = 25 %.
    expect(m.byAttribute[0]).toEqual({
      attribute: 'sex',
      levels: [
        {
          level: 'F',
          frame: 6,
          invited: 6,
          opened: 5,
          partial: 1,
          complete: 3,
          optedOut: 0,
          bounced: 0,
          framePercent: 60,
          respondentPercent: 75,
          differencePp: 15,
          responseRate: 50,
        },
        {
          level: 'M',
          frame: 4,
          invited: 4,
          opened: 1,
          partial: 0,
          complete: 1,
          optedOut: 1,
          bounced: 1,
          framePercent: 40,
          respondentPercent: 25,
          differencePp: -15,
          responseRate: 25,
        },
      ],
    });
    // Age group 40-49: F2, F3, M9 = 3/10 = 30 % of the frame; F2 and F3 answered: 2/4 = 50 %, +20.0.
    const age = m.byAttribute[1].levels.find((l: { level: string }) => l.level === '40-49');
    expect(age).toMatchObject({
      frame: 3,
      complete: 2,
      framePercent: 30,
      respondentPercent: 50,
      differencePp: 20,
    });
    // Region: vest F1, F2, M9 = 30 % of the frame, F1, F2 = 50 % of responses: +20.0; nord F3, M8
    // = 20 %, F3 = 25 %: +5.0; sør-øst F5, F6, M7 = 30 %, M7 = 25 %: −5.0; midt F4, M10 = 20 %,
    // nobody: −20.0. The differences add up to 0.
    const region = Object.fromEntries(
      m.byAttribute[2].levels.map((l: { level: string; differencePp: number }) => [l.level, l.differencePp])
    );
    expect(region).toEqual({ midt: -20, nord: 5, 'sor-ost': -5, vest: 20 });
    expect(m.emails).toEqual({ queued: 0, sent: 9, failedTemporarily: 0, gaveUp: 1 });

    // The monitoring read is audited, and carries no address or frame id.
    expect(res.body).not.toMatch(/@frame\.test|"F1"|"M7"/);
    const audit = await t.db
      .selectFrom('audit_events')
      .select('data_category')
      .where('data_category', '=', 'survey monitoring')
      .execute();
    expect(audit).toHaveLength(1);
  });

  it('follows one wave at a time, and shows no respondent share before the first response', async () => {
    const surveyId = await createSurvey(t, researcher);
    await t.call(researcher, 'POST', `/api/research/surveys/${surveyId}/frame`, { body: { csv: FRAME } });
    await t.call(researcher, 'POST', `/api/research/surveys/${surveyId}/open`);
    await t.call(researcher, 'POST', `/api/research/surveys/${surveyId}/invitations`, { body: {} });
    await t.app.surveyMailer.drain();
    // M10 bounced at baseline, so the 6-month wave goes to the other nine.
    const sixMonths = await t.call(researcher, 'POST', `/api/research/surveys/${surveyId}/invitations`, {
      body: { wave: '6m' },
    });
    expect(sixMonths.json()).toEqual({ wave: '6m', created: 9, skipped: 1 });
    await t.app.surveyMailer.drain();
    const wave = (
      await t.call(researcher, 'GET', `/api/research/surveys/${surveyId}/monitoring?wave=6m`)
    ).json();
    expect(wave.wave).toBe('6m');
    expect(wave.totals).toMatchObject({ invited: 9, complete: 0 });
    expect(wave.byAttribute[0].levels[0]).toMatchObject({
      respondentPercent: null,
      differencePp: null,
      responseRate: 0,
    });
    const all = (await t.call(researcher, 'GET', `/api/research/surveys/${surveyId}/monitoring`)).json();
    expect(all.totals.invited).toBe(19);
  });
});

describe('monitoring an anonymous survey', () => {
  it('counts responses by practice and by day', async () => {
    const surveyId = await createSurvey(t, researcher, {
      kind: 'anonymous',
      questionnaire: PATIENT_QUESTIONNAIRE,
    });
    const slugs: string[] = [];
    for (const practiceId of [t.fixture.practiceIds.a, t.fixture.practiceIds.b]) {
      const link = await t.call(researcher, 'POST', `/api/research/surveys/${surveyId}/practice-links`, {
        body: { practiceId },
      });
      slugs.push(link.json().slug);
    }
    await t.call(researcher, 'POST', `/api/research/surveys/${surveyId}/open`);
    const answers = { preference: [{ valueCoding: { code: 'talk' } }], ...phq9SurveyAnswers(0) };
    // Practice A: two on day 1, one on day 2; practice B: one on day 2.
    for (const [slug, day, n] of [
      [slugs[0]!, '2026-12-01T11:00:00Z', 2],
      [slugs[0]!, '2026-12-02T15:00:00Z', 1],
      [slugs[1]!, '2026-12-02T09:30:00Z', 1],
    ] as const) {
      t.clock.now = new Date(day);
      for (let i = 0; i < n; i += 1) {
        const res = await t.call(null, 'POST', `/api/survey-links/${slug}/responses`, {
          body: { version: '1', nonce: `nonce-${day.replace(/\W/g, '')}-${i}`, consent: true, answers },
        });
        expect(res.statusCode, res.body).toBe(201);
      }
    }
    researcher = await t.login('researcher');
    const m = (await t.call(researcher, 'GET', `/api/research/surveys/${surveyId}/monitoring`)).json();
    expect(m.kind).toBe('anonymous');
    expect(m.totals).toMatchObject({ invited: 0, complete: 4 });
    expect(m.byPractice).toEqual([
      { practiceName: 'Practice A (test)', partial: 0, complete: 3 },
      { practiceName: 'Practice B (test)', partial: 0, complete: 1 },
    ]);
    expect(m.byDay.map((d: { date: string; complete: number }) => [d.date, d.complete])).toEqual([
      ['2026-12-01', 2],
      ['2026-12-02', 2],
    ]);
    expect(m.byAttribute).toEqual([]);
  });
});

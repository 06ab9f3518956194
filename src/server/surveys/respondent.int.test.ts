/**
 * The respondent's side through the real public routes (issue 14, "Fielding" and "Acceptance: bad
 * input"): an invited GP opens the link (the version is fixed then), saves, resumes, submits; a
 * double submit stores nothing twice and says so; a used or unknown token and a closed survey each
 * get a clear problem; wrong answers are refused by item and nothing is stored. A waiting-room
 * patient answers anonymously: consent first, one submit per page load, and the stored row holds
 * no invitation, token, IP address, user agent or nonce; PHQ-9 item 9 above 0 returns the flag
 * that shows the crisis numbers.
 */
import { sql } from 'kysely';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { createTestApp, type LoggedIn, type TestApp } from '../../../test/support/test-app.js';
import { SURVEY_PROBLEM } from './respondent.commands.js';
import {
  createSurvey,
  fieldedSurvey,
  FIXTURE_GP_QUESTIONNAIRE,
  GP_ANSWERS,
  PATIENT_QUESTIONNAIRE,
  phq9SurveyAnswers,
  tokensOf,
} from './testing.js';

let t: TestApp;
let researcher: LoggedIn;

beforeEach(async () => {
  t = await createTestApp();
  researcher = await t.login('researcher');
});
afterEach(async () => t?.close());

const open = (token: string) => t.call(null, 'POST', '/api/survey-invitations/open', { body: { token } });
const save = (token: string, answers: unknown) =>
  t.call(null, 'PUT', '/api/survey-invitations/answers', { body: { token, answers } });
const submit = (token: string, answers: unknown) =>
  t.call(null, 'POST', '/api/survey-invitations/submit', { body: { token, answers } });

const responses = (surveyId: string) =>
  t.db.selectFrom('survey_responses').selectAll().where('survey_id', '=', surveyId).execute();

describe('an invited respondent', () => {
  it('opens, saves, resumes on the version first opened, submits once', async () => {
    const { surveyId, tokens } = await fieldedSurvey(t, researcher, 3);
    const token = tokens[0]!;
    const first = await open(token);
    expect(first.statusCode, first.body).toBe(200);
    expect(first.json()).toMatchObject({
      kind: 'identified',
      version: '1',
      status: 'not_started',
      answers: {},
    });

    // Part of the answers, then the browser is closed.
    const partial = {
      'years-as-gp': [{ valueInteger: 12 }],
      'own-talk-therapy': [{ valueCoding: { code: 'never' } }],
    };
    const saved = await save(token, partial);
    expect(saved.statusCode, saved.body).toBe(200);
    expect(saved.json()).toEqual({
      status: 'partial',
      savedAt: t.clock.now.toISOString(),
      crisisResources: false,
      alreadySubmitted: false,
    });

    // Meanwhile the researcher publishes version 2; the respondent who started keeps version 1.
    const edited = structuredClone(FIXTURE_GP_QUESTIONNAIRE);
    edited.item![0]!.item![0]!.text = 'Antall år som fastlege?';
    const put = await t.call(researcher, 'PUT', `/api/research/surveys/${surveyId}/questionnaire`, {
      body: { questionnaire: edited },
    });
    expect(put.json()).toMatchObject({ version: '2', outcome: 'created' });
    t.clock.now = new Date(t.clock.now.getTime() + 3_600_000);
    const resumed = await open(token);
    expect(resumed.json()).toMatchObject({ version: '1', status: 'partial', answers: partial });
    expect(resumed.json().questionnaire.item[0].item[0].text).toBe('Hvor mange år har du vært fastlege?');
    // Someone opening for the first time now gets version 2.
    expect((await open(tokens[1]!)).json().version).toBe('2');

    // "Never" shows the barrier question; it is required, so the submit names it.
    const incomplete = await submit(token, {
      ...GP_ANSWERS,
      'own-talk-therapy': [{ valueCoding: { code: 'never' } }],
    });
    expect(incomplete.statusCode).toBe(400);
    expect(incomplete.json().errors).toEqual([
      { field: 'answers.talk-therapy-barrier', reason: 'is required' },
    ]);

    const answers = { ...GP_ANSWERS };
    const done = await submit(token, answers);
    expect(done.statusCode, done.body).toBe(201);
    expect(done.json()).toMatchObject({ status: 'complete', alreadySubmitted: false });
    const [row] = await responses(surveyId);
    expect(row).toMatchObject({ status: 'complete', wave: 'baseline', answers });
    expect(row!.respondent_key).toMatch(/^[0-9a-f]{64}$/);
    const fhir = row!.fhir_response as { questionnaire: string; identifier: { value: string } };
    expect(fhir.questionnaire).toBe(`${FIXTURE_GP_QUESTIONNAIRE.url}|1`);
    expect(fhir.identifier.value).toBe(row!.respondent_key);

    // A double submit (a retry after a lost reply) stores nothing and says it was already in.
    const again = await submit(token, { ...answers });
    expect(again.statusCode).toBe(200);
    expect(again.json()).toMatchObject({ status: 'complete', alreadySubmitted: true });
    expect(await responses(surveyId)).toHaveLength(1);
    // Other answers after submitting, a save or a new open: refused, clearly.
    for (const res of [
      await submit(token, { ...answers, 'years-as-gp': [{ valueInteger: 13 }] }),
      await save(token, partial),
      await open(token),
    ]) {
      expect(res.statusCode).toBe(409);
      expect(res.json().type).toBe(SURVEY_PROBLEM.alreadySubmitted);
      expect(res.json().detail).toMatch(/already been sent/);
    }
    expect((await responses(surveyId))[0]!.answers).toEqual(answers);
    const invitation = await t.db
      .selectFrom('survey_invitations')
      .select(['status', 'opened_at', 'completed_at'])
      .where('token_hash', 'is not', null)
      .where('survey_id', '=', surveyId)
      .orderBy('created_at')
      .execute();
    expect(invitation.filter((i) => i.status === 'complete')).toHaveLength(1);
  });

  it('refuses wrong answers by item and stores nothing', async () => {
    const { surveyId, tokens } = await fieldedSurvey(t, researcher, 1);
    const bad = await save(tokens[0]!, {
      'years-as-gp': [{ valueInteger: 99 }],
      'own-talk-therapy': [{ valueCoding: { code: 'daily' } }],
      'not-an-item': [{ valueString: 'x' }],
      comments: 'not a list',
    });
    expect(bad.statusCode).toBe(400);
    expect(bad.json().errors).toEqual([
      { field: 'answers.years-as-gp', reason: 'must be at most 45, got 99' },
      { field: 'answers.own-talk-therapy', reason: '"daily" is not one of the item\'s options' },
      { field: 'answers.comments', reason: 'must be a list of answers, got a string' },
      { field: 'answers.not-an-item', reason: 'is not an item of this questionnaire' },
    ]);
    expect(await responses(surveyId)).toEqual([]);
  });

  it('answers an unknown or mangled token with a clear problem naming the token', async () => {
    const { tokens } = await fieldedSurvey(t, researcher, 1);
    for (const token of ['A'.repeat(43), tokens[0]!.slice(0, 40), `${tokens[0]!}x`, 'not a token at all']) {
      const res = await open(token);
      expect(res.statusCode, token).toBe(404);
      expect(res.json().type).toBe(SURVEY_PROBLEM.unknownLink);
      expect(res.json().errors).toEqual([{ field: 'token', reason: 'is not a valid survey link' }]);
    }
  });

  it('says a closed survey is closed, and takes nothing', async () => {
    const { surveyId, tokens } = await fieldedSurvey(t, researcher, 1);
    expect((await save(tokens[0]!, { 'years-as-gp': [{ valueInteger: 3 }] })).statusCode).toBe(200);
    await t.call(researcher, 'POST', `/api/research/surveys/${surveyId}/close`);
    for (const res of [await open(tokens[0]!), await submit(tokens[0]!, GP_ANSWERS)]) {
      expect(res.statusCode).toBe(410);
      expect(res.json().type).toBe(SURVEY_PROBLEM.closed);
      expect(res.json().detail).toMatch(/closed/);
    }
    expect((await responses(surveyId))[0]!.status).toBe('partial');
  });

  it('returns the crisis flag when PHQ-9 item 9 is above 0, on a save already', async () => {
    const surveyId = await createSurvey(t, researcher, { questionnaire: PATIENT_QUESTIONNAIRE });
    await t.call(researcher, 'POST', `/api/research/surveys/${surveyId}/frame`, {
      body: {
        csv: 'frame_id,email,sex,age_group,region,rural,specialist\nP1,p1@frame.test,F,40-49,vest,no,no',
      },
    });
    await t.call(researcher, 'POST', `/api/research/surveys/${surveyId}/open`);
    await t.call(researcher, 'POST', `/api/research/surveys/${surveyId}/invitations`, { body: {} });
    const [token] = await tokensOf(t, surveyId);
    const calm = await save(token!, phq9SurveyAnswers(0));
    expect(calm.json().crisisResources).toBe(false);
    const atRisk = await save(token!, { 'phq9-9': phq9SurveyAnswers(2)['phq9-9'] });
    expect(atRisk.json().crisisResources).toBe(true);
    expect((await open(token!)).json().crisisResources).toBe(true);
  });
});

describe('an anonymous respondent (waiting-room link)', () => {
  async function anonymousSurvey(): Promise<{ surveyId: string; slug: string }> {
    const surveyId = await createSurvey(t, researcher, {
      kind: 'anonymous',
      questionnaire: PATIENT_QUESTIONNAIRE,
    });
    const link = await t.call(researcher, 'POST', `/api/research/surveys/${surveyId}/practice-links`, {
      body: { practiceId: t.fixture.practiceIds.a },
    });
    expect(link.statusCode, link.body).toBe(201);
    expect(link.json()).toMatchObject({
      practiceName: 'Practice A (test)',
      wave: 'baseline',
      path: `/undersokelse/${link.json().slug}`,
    });
    await t.call(researcher, 'POST', `/api/research/surveys/${surveyId}/open`);
    return { surveyId, slug: link.json().slug };
  }
  const answers = (item9: 0 | 1 | 2 | 3) => ({
    preference: [{ valueCoding: { system: 'urn:gpdep:test', code: 'icbt' } }],
    ...phq9SurveyAnswers(item9),
  });
  const send = (slug: string, body: Record<string, unknown>, headers: Record<string, string> = {}) =>
    t.call(null, 'POST', `/api/survey-links/${slug}/responses`, { body, headers });

  it('asks consent first, takes one submit per page load, and stores no trace of the respondent', async () => {
    const { surveyId, slug } = await anonymousSurvey();
    const page = await t.call(null, 'GET', `/api/survey-links/${slug}`);
    expect(page.statusCode).toBe(200);
    expect(page.json()).toMatchObject({ kind: 'anonymous', practiceName: 'Practice A (test)', version: '1' });

    const nonce = 'page-load-nonce-0123456789abcdef';
    const userAgent = 'Mozilla/5.0 (Linux; Android 14; Waiting-Room-Tablet-7)';
    const headers = { 'user-agent': userAgent, 'x-forwarded-for': '203.0.113.77' };
    const noConsent = await send(slug, { version: '1', nonce, consent: false, answers: answers(0) }, headers);
    expect(noConsent.statusCode).toBe(400);
    expect(noConsent.json().errors[0].field).toBe('consent');
    expect(await responses(surveyId)).toEqual([]);

    t.clock.now = new Date('2026-12-04T13:37:21.123Z');
    const first = await send(slug, { version: '1', nonce, consent: true, answers: answers(0) }, headers);
    expect(first.statusCode, first.body).toBe(201);
    expect(first.json()).toEqual({ received: true, crisisResources: false, alreadySubmitted: false });
    const again = await send(slug, { version: '1', nonce, consent: true, answers: answers(0) }, headers);
    expect(again.statusCode).toBe(200);
    expect(again.json().alreadySubmitted).toBe(true);

    const rows = await responses(surveyId);
    expect(rows).toHaveLength(1);
    const row = rows[0]!;
    // No frame link, no token, no respondent key; consent as a boolean; times to the day only.
    expect(row).toMatchObject({
      invitation_id: null,
      respondent_key: null,
      consent: true,
      status: 'complete',
      wave: 'baseline',
    });
    for (const time of [row.started_at, row.updated_at, row.submitted_at]) {
      expect(new Date(time!).toISOString()).toBe('2026-12-04T00:00:00.000Z');
    }
    // The table has no column that could hold an address, a browser or a token…
    const columns = await sql<{ column_name: string }>`
      select column_name from information_schema.columns where table_name = 'survey_responses'
    `.execute(t.db);
    const names = columns.rows.map((c) => c.column_name).sort();
    expect(names).toEqual(
      [
        'answers',
        'consent',
        'fhir_response',
        'id',
        'invitation_id',
        'practice_link_id',
        'respondent_key',
        'started_at',
        'status',
        'submitted_at',
        'survey_id',
        'updated_at',
        'version_id',
        'wave',
      ].sort()
    );
    // …and nothing stored anywhere holds the nonce, the user agent or the address.
    const everything = JSON.stringify(await t.db.selectFrom('survey_responses').selectAll().execute());
    const nonces = JSON.stringify(await t.db.selectFrom('survey_anonymous_nonces').selectAll().execute());
    for (const trace of [nonce, userAgent, '203.0.113.77', '13:37']) {
      expect(everything).not.toContain(trace);
      expect(nonces).not.toContain(trace);
    }
    // Nothing about it in the audit log either: a timed line would undo the day-only time.
    const audit = await t.db
      .selectFrom('audit_events')
      .select('data_category')
      .where('actor_role', '=', 'survey_respondent')
      .execute();
    expect(audit).toEqual([]);
  });

  it('flags PHQ-9 item 9 above 0, refuses bad answers by item, and a closed survey', async () => {
    const { surveyId, slug } = await anonymousSurvey();
    const crisis = await send(slug, {
      version: '1',
      nonce: 'n'.repeat(20),
      consent: true,
      answers: answers(1),
    });
    expect(crisis.statusCode).toBe(201);
    expect(crisis.json().crisisResources).toBe(true);
    const bad = await send(slug, {
      version: '1',
      nonce: 'm'.repeat(20),
      consent: true,
      answers: {
        ...answers(0),
        'phq9-9': [{ valueCoding: { system: 'http://loinc.org', code: 'LA-nope' } }],
      },
    });
    expect(bad.statusCode).toBe(400);
    expect(bad.json().errors).toEqual([
      { field: 'answers.phq9-9', reason: '"LA-nope" is not one of the item\'s options' },
    ]);
    const unknownVersion = await send(slug, {
      version: '7',
      nonce: 'k'.repeat(20),
      consent: true,
      answers: answers(0),
    });
    expect(unknownVersion.statusCode).toBe(400);
    expect(unknownVersion.json().errors[0].field).toBe('version');
    expect((await t.call(null, 'GET', '/api/survey-links/nosuchlink42')).statusCode).toBe(404);

    await t.call(researcher, 'POST', `/api/research/surveys/${surveyId}/close`);
    const closed = await send(slug, {
      version: '1',
      nonce: 'z'.repeat(20),
      consent: true,
      answers: answers(0),
    });
    expect(closed.statusCode).toBe(410);
    expect(closed.json().type).toBe(SURVEY_PROBLEM.closed);
    expect((await t.call(null, 'GET', `/api/survey-links/${slug}`)).statusCode).toBe(410);
    expect(await responses(surveyId)).toHaveLength(1);
  });
});

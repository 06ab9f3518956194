/**
 * The researcher's surveys through the real routes (issue 14, "Questionnaires as data:
 * versioned"): a survey is created from a FHIR Questionnaire that is validated first (an invalid
 * one names the item and stores nothing), read back, versioned (a fielded version never changes:
 * an edit becomes the next version; a draft is replaced; the same content changes nothing), opened
 * and closed; every read and write is audited; only researchers get in.
 */
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { createTestApp, type LoggedIn, type TestApp } from '../../../test/support/test-app.js';
import { createSurvey, FIXTURE_GP_QUESTIONNAIRE, PATIENT_QUESTIONNAIRE } from './testing.js';

let t: TestApp;
let researcher: LoggedIn;

beforeEach(async () => {
  t = await createTestApp();
  researcher = await t.login('researcher');
});
afterEach(async () => t?.close());

/** The questionnaire with the first group's first question reworded (a content change). */
function reworded(version = FIXTURE_GP_QUESTIONNAIRE.version!) {
  const copy = structuredClone(FIXTURE_GP_QUESTIONNAIRE);
  copy.version = version;
  copy.item![0]!.item![0]!.text = 'Hvor mange år har du arbeidet som fastlege?';
  return copy;
}

const surveyCount = async () =>
  Number(
    (
      await t.db
        .selectFrom('surveys')
        .select((eb) => eb.fn.countAll<number>().as('n'))
        .executeTakeFirstOrThrow()
    ).n
  );

describe('creating and reading a survey', () => {
  it('creates a survey from a Questionnaire and reads it back, audited', async () => {
    const id = await createSurvey(t, researcher, { title: 'Nasjonal fastlegeundersøkelse (test)' });
    const list = await t.call(researcher, 'GET', '/api/research/surveys');
    expect(list.statusCode).toBe(200);
    expect(list.json().items).toEqual([
      expect.objectContaining({
        id,
        kind: 'identified',
        title: 'Nasjonal fastlegeundersøkelse (test)',
        status: 'draft',
        reminderDays: [7, 14],
        sendRatePerMinute: 60,
        latestVersion: '1',
      }),
    ]);
    const detail = await t.call(researcher, 'GET', `/api/research/surveys/${id}`);
    expect(detail.statusCode).toBe(200);
    // Six questions in the GP fixture: years, own talk therapy, its barrier, guideline, iCBT, NAV, comments = 7.
    expect(detail.json().versions).toEqual([
      {
        sequence: 1,
        version: '1',
        fingerprint: expect.stringMatching(/^[0-9a-f]{64}$/),
        createdAt: t.clock.now.toISOString(),
        fieldedAt: null,
        questions: 7,
      },
    ]);
    expect(detail.json().frameSize).toBe(0);
    const version = await t.call(researcher, 'GET', `/api/research/surveys/${id}/versions/1`);
    expect(version.json().questionnaire.item[0].linkId).toBe('practice');
    const audit = await t.db
      .selectFrom('audit_events')
      .select(['action', 'data_category', 'patient_id'])
      .where('actor_user_id', '=', t.fixture.userIds.researcher)
      .where('data_category', 'like', 'survey%')
      .orderBy('seq')
      .execute();
    expect(audit).toEqual([
      { action: 'create', data_category: 'survey', patient_id: null },
      { action: 'read', data_category: 'surveys', patient_id: null },
      { action: 'read', data_category: 'survey', patient_id: null },
      { action: 'read', data_category: 'survey questionnaire version', patient_id: null },
    ]);
  });

  it('assembles an imported PHQ-9 into the instrument’s own items', async () => {
    const id = await createSurvey(t, researcher, { kind: 'anonymous', questionnaire: PATIENT_QUESTIONNAIRE });
    const version = (await t.call(researcher, 'GET', `/api/research/surveys/${id}/versions/1`)).json();
    const linkIds = (version.questionnaire.item as { linkId: string }[]).map((i) => i.linkId);
    // The display item is replaced by the instrument's introduction and its ten questions.
    expect(linkIds).toEqual([
      'preference',
      'phq9-intro',
      ...Array.from({ length: 10 }, (_, i) => `phq9-${i + 1}`),
    ]);
  });

  it('refuses an invalid questionnaire, naming the item and the problem, and stores nothing', async () => {
    const broken = structuredClone(FIXTURE_GP_QUESTIONNAIRE);
    // The branching question now refers to an item that does not exist, and one item has a type
    // the renderer does not take.
    broken.item![0]!.item![2]!.enableWhen![0]!.question = 'no-such-item';
    broken.item![0]!.item![6]!.type = 'attachment';
    const res = await t.call(researcher, 'POST', '/api/research/surveys', {
      body: { kind: 'identified', title: 'Broken', questionnaire: broken },
    });
    expect(res.statusCode).toBe(400);
    expect(res.headers['content-type']).toMatch(/^application\/problem\+json/);
    const errors = res.json().errors as { field: string; reason: string }[];
    expect(
      errors.some((e) => e.reason.includes('talk-therapy-barrier') && e.reason.includes('no-such-item'))
    ).toBe(true);
    expect(errors.some((e) => e.reason.includes('comments') && /attachment/.test(e.reason))).toBe(true);
    expect(errors.every((e) => e.field.startsWith('questionnaire'))).toBe(true);
    expect(await surveyCount()).toBe(0);
    // Not a Questionnaire at all: the envelope is refused by the schema.
    const other = await t.call(researcher, 'POST', '/api/research/surveys', {
      body: { kind: 'identified', title: 'x', questionnaire: { resourceType: 'Patient' } },
    });
    expect(other.statusCode).toBe(400);
    expect(other.json().errors).toContainEqual({
      field: 'questionnaire.resourceType',
      reason: 'must be Questionnaire',
    });
  });

  it('lets only researchers in', async () => {
    const id = await createSurvey(t, researcher);
    for (const who of ['gp1', 'admin', 'pA1'] as const) {
      const session = await t.login(who);
      expect((await t.call(session, 'GET', `/api/research/surveys/${id}`)).statusCode, who).toBe(403);
      expect(
        (await t.call(session, 'POST', '/api/research/surveys', { body: { kind: 'identified' } })).statusCode,
        who
      ).toBe(403);
    }
    expect((await t.call(null, 'GET', '/api/research/surveys')).statusCode).toBe(401);
  });
});

describe('versions', () => {
  it('replaces a draft in place, and changes nothing for the same content', async () => {
    const id = await createSurvey(t, researcher);
    const same = await t.call(researcher, 'PUT', `/api/research/surveys/${id}/questionnaire`, {
      body: { questionnaire: FIXTURE_GP_QUESTIONNAIRE },
    });
    expect(same.json()).toMatchObject({ version: '1', sequence: 1, outcome: 'unchanged', note: null });
    const replaced = await t.call(researcher, 'PUT', `/api/research/surveys/${id}/questionnaire`, {
      body: { questionnaire: reworded() },
    });
    expect(replaced.json()).toMatchObject({ version: '1', sequence: 1, outcome: 'replaced' });
    const detail = (await t.call(researcher, 'GET', `/api/research/surveys/${id}`)).json();
    expect(detail.versions).toHaveLength(1);
    expect(detail.versions[0].fingerprint).toBe(replaced.json().fingerprint);
  });

  it('never changes a fielded version: the edit becomes the next version, fielded at once while open', async () => {
    const id = await createSurvey(t, researcher);
    const opened = await t.call(researcher, 'POST', `/api/research/surveys/${id}/open`);
    expect(opened.json()).toMatchObject({ status: 'open', openedAt: t.clock.now.toISOString() });
    const before = (await t.call(researcher, 'GET', `/api/research/surveys/${id}/versions/1`)).json();
    expect(before.fieldedAt).toBe(t.clock.now.toISOString());

    t.clock.now = new Date(t.clock.now.getTime() + 60_000);
    // The same version string with new content: stored as "2", the version the rule suggests.
    const edit = await t.call(researcher, 'PUT', `/api/research/surveys/${id}/questionnaire`, {
      body: { questionnaire: reworded() },
    });
    expect(edit.statusCode).toBe(200);
    expect(edit.json()).toMatchObject({ version: '2', sequence: 2, outcome: 'created' });
    expect(edit.json().note).toMatch(/version "1" has been fielded/);
    const v1 = (await t.call(researcher, 'GET', `/api/research/surveys/${id}/versions/1`)).json();
    const v2 = (await t.call(researcher, 'GET', `/api/research/surveys/${id}/versions/2`)).json();
    expect(v1.fingerprint).toBe(before.fingerprint);
    expect(v1.questionnaire.item[0].item[0].text).toBe('Hvor mange år har du vært fastlege?');
    expect(v2.questionnaire.version).toBe('2');
    expect(v2.questionnaire.item[0].item[0].text).toBe('Hvor mange år har du arbeidet som fastlege?');
    expect(v2.fieldedAt).toBe(t.clock.now.toISOString());
    expect((await t.call(researcher, 'GET', `/api/research/surveys/${id}`)).json().survey.latestVersion).toBe(
      '2'
    );

    // A version string that comes before the stored ones is refused, naming the field.
    const older = await t.call(researcher, 'PUT', `/api/research/surveys/${id}/questionnaire`, {
      body: { questionnaire: reworded('0.9') },
    });
    expect(older.statusCode).toBe(400);
    expect(older.json().errors[0].field).toBe('questionnaire.version');
    // Another questionnaire (another url) is another survey.
    const other = await t.call(researcher, 'PUT', `/api/research/surveys/${id}/questionnaire`, {
      body: { questionnaire: { ...reworded('3'), url: 'urn:gpdep:questionnaire:something-else' } },
    });
    expect(other.statusCode).toBe(400);
    expect(other.json().errors[0].field).toBe('questionnaire.url');
  });

  it('opens and closes, and says why it cannot close a survey never opened', async () => {
    const id = await createSurvey(t, researcher);
    const early = await t.call(researcher, 'POST', `/api/research/surveys/${id}/close`);
    expect(early.statusCode).toBe(409);
    expect(early.json().detail).toMatch(/never opened/);
    expect((await t.call(researcher, 'POST', `/api/research/surveys/${id}/open`)).json().status).toBe('open');
    // Opening twice is harmless.
    expect((await t.call(researcher, 'POST', `/api/research/surveys/${id}/open`)).statusCode).toBe(200);
    const closed = await t.call(researcher, 'POST', `/api/research/surveys/${id}/close`);
    expect(closed.json()).toMatchObject({ status: 'closed', closedAt: t.clock.now.toISOString() });
    const missing = await t.call(
      researcher,
      'POST',
      '/api/research/surveys/00000000-0000-4000-8000-000000000000/open'
    );
    expect(missing.statusCode).toBe(404);
  });
});

describe('the practices a practice link can be made for', () => {
  it('lists every practice by name (id and name only) to a researcher, audited; not to a GP', async () => {
    const listed = await t.call(researcher, 'GET', '/api/research/practices');
    expect(listed.statusCode, listed.body).toBe(200);
    // The fixture has two practices, A and B, listed by name.
    expect(listed.json()).toEqual({
      items: [
        { id: t.fixture.practiceIds.a, name: 'Practice A (test)' },
        { id: t.fixture.practiceIds.b, name: 'Practice B (test)' },
      ],
    });
    const audited = await t.db
      .selectFrom('audit_events')
      .select(['action', 'data_category'])
      .where('data_category', '=', 'survey practices')
      .execute();
    expect(audited).toEqual([{ action: 'read', data_category: 'survey practices' }]);
    const gp = await t.login('gp1');
    expect((await t.call(gp, 'GET', '/api/research/practices')).statusCode).toBe(403);
  });
});

/**
 * The researcher's survey results, report and export over HTTP, on the real app with the test
 * fixture. Until app.ts registers results.routes.ts itself, the test wraps buildApp to register it
 * (before the app is ready, as app.ts will).
 *
 * The survey: a frame of 40 GPs whose attributes follow the bits of i mod 16 (sex bit 0, age group
 * bit 1, region bit 2, specialist bit 3); GPs 0-23 answered (complete), GPs 24 and 25 left a
 * partial response. "often" to own-talk-therapy for every third respondent (i mod 3 = 0).
 */
import { createHash } from 'node:crypto';
import { unzipSync, strFromU8 } from 'fflate';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import type { SurveyResultsResponse } from '../../contract/survey-results.js';
import { FIXTURE_GP_QUESTIONNAIRE } from '../../surveys/generate/fixture-questionnaire.js';
import {
  createTestApp,
  FIXTURE_PASSWORD,
  type LoggedIn,
  type TestApp,
} from '../../../test/support/test-app.js';

vi.mock('../app.js', async (importOriginal) => {
  const original = await importOriginal<typeof import('../app.js')>();
  const { default: routes } = await import('./results.routes.js');
  return {
    ...original,
    buildApp: async (options: Parameters<typeof original.buildApp>[0]) => {
      const app = await original.buildApp(options);
      if (!app.hasRoute({ method: 'GET', url: '/api/research/surveys/:surveyId/results' }))
        await app.register(routes);
      return app;
    },
  };
});

const hex = (s: string) => createHash('sha256').update(s).digest('hex');
const coded = (code: string) => [{ valueCoding: { code } }];

let t: TestApp;
let researcher: LoggedIn;
let surveyId: string;

beforeAll(async () => {
  t = await createTestApp();
  researcher = await t.login('researcher');
  const db = t.db;
  const now = new Date('2026-12-01T10:00:00Z');
  const createdBy = t.fixture.userIds.researcher;
  surveyId = (
    await db
      .insertInto('surveys')
      .values({
        kind: 'identified',
        title: 'GP survey (test)',
        status: 'open',
        created_by: createdBy,
        created_at: now,
      })
      .returning('id')
      .executeTakeFirstOrThrow()
  ).id;
  const version = await db
    .insertInto('survey_versions')
    .values({
      survey_id: surveyId,
      sequence: 1,
      version: '1.0.0',
      questionnaire: JSON.stringify({ ...FIXTURE_GP_QUESTIONNAIRE, version: '1.0.0' }),
      fingerprint: hex('v1'),
      created_by: createdBy,
      created_at: now,
      fielded_at: now,
    })
    .returning('id')
    .executeTakeFirstOrThrow();
  const members = await db
    .insertInto('survey_frame_members')
    .values(
      Array.from({ length: 40 }, (_, i) => {
        const b = i % 16;
        return {
          survey_id: surveyId,
          frame_id: `F${String(i).padStart(3, '0')}`,
          email: `gp-${i}@example.invalid`,
          attributes: JSON.stringify({
            sex: b & 1 ? 'M' : 'F',
            age_group: b & 2 ? '50-59' : '40-49',
            region: b & 4 ? 'nord' : 'vest',
            specialist: b & 8 ? 'yes' : 'no',
          }),
          imported_at: now,
        };
      })
    )
    .returning(['id', 'frame_id'])
    .execute();
  members.sort((a, b) => a.frame_id.localeCompare(b.frame_id));
  for (let i = 0; i < 26; i++) {
    const invitation = await db
      .insertInto('survey_invitations')
      .values({
        survey_id: surveyId,
        frame_member_id: members[i]!.id,
        token_hash: hex(`t${i}`),
        created_at: now,
      })
      .returning('id')
      .executeTakeFirstOrThrow();
    const complete = i < 24;
    const at = new Date(now.getTime() + (i + 1) * 3_600_000);
    await db
      .insertInto('survey_responses')
      .values({
        survey_id: surveyId,
        version_id: version.id,
        invitation_id: invitation.id,
        status: complete ? 'complete' : 'partial',
        answers: JSON.stringify({
          'own-talk-therapy': coded(i % 3 === 0 ? 'often' : 'sometimes'),
          'icbt-known': coded(i % 2 === 0 ? 'yes' : 'no'),
          // A text answer that would be a formula in a spreadsheet.
          ...(i === 1 ? { comments: [{ valueString: '=HYPERLINK("x")' }] } : {}),
        }),
        wave: 'baseline',
        respondent_key: hex(`k${i}`),
        started_at: now,
        updated_at: at,
        submitted_at: complete ? at : null,
      })
      .execute();
  }
});

afterAll(async () => {
  await t.close();
});

const url = (path: string) => `/api/research/surveys/${surveyId}/${path}`;

describe('GET …/results', () => {
  it('gives response, frame comparison, weighting and shares with CIs', async () => {
    const response = await t.call(researcher, 'GET', url('results'));
    expect(response.statusCode).toBe(200);
    const body = response.json<SurveyResultsResponse>();
    expect(body.response).toEqual({ invited: 40, complete: 24, partial: 2, responseRate: 0.6 });
    // Specialists: 16 of 40 in the frame (i mod 16 in 8-15: 8-15 and 24-31), 8 of the 24
    // respondents (8-15): 33.3 % against 40 %, -6.7 points; raked to the frame's 40 %.
    const specialist = body.frameComparison.find((c) => c.attribute === 'specialist')!;
    const yes = specialist.rows.find((r) => r.category === 'yes')!;
    expect(yes).toMatchObject({ frame: 16, respondents: 8 });
    expect(yes.framePercent).toBeCloseTo(40, 6);
    expect(yes.respondentPercent).toBeCloseTo(100 / 3, 6);
    expect(yes.differencePp).toBeCloseTo(100 / 3 - 40, 6);
    expect(yes.weightedPercent).toBeCloseTo(40, 4);
    expect(body.weighting).not.toBeNull();
    expect(body.weighting!.n).toBe(24);
    expect(body.weighting!.designEffect).toBeGreaterThanOrEqual(1);
    // "often": respondents 0, 3, …, 21 = 8 of 24 = 1/3; Wilson 95 %: centre (p + z²/2n)/(1 + z²/n)
    // = 0.3563, half-width 0.1766 → [0.180, 0.533].
    const talk = body.items.find((i) => i.linkId === 'own-talk-therapy')!;
    const often = talk.shares.find((s) => s.code === 'often')!;
    expect(often.n).toBe(8);
    expect(often.unweighted.estimate).toBeCloseTo(1 / 3, 9);
    expect(often.unweighted.lower).toBeCloseTo(0.1797, 3);
    expect(often.unweighted.upper).toBeCloseTo(0.5329, 3);
    const weightedSum = talk.shares.reduce((s, x) => s + (x.weighted.estimate ?? 0), 0);
    expect(weightedSum).toBeCloseTo(1, 9);
    expect(often.weighted.lower!).toBeLessThan(often.weighted.estimate!);
    expect(body.versions).toEqual(['1.0.0']);
    expect(body.suppressionThreshold).toBe(5);
  });

  it('is audited as a read of aggregates', async () => {
    const events = await t.db
      .selectFrom('audit_events')
      .select(['action', 'data_category', 'outcome'])
      .where('actor_user_id', '=', t.fixture.userIds.researcher)
      .where('data_category', 'like', 'survey results%')
      .execute();
    expect(events.length).toBeGreaterThan(0);
  });

  it('answers 404 for an unknown survey and refuses patients and GPs', async () => {
    const unknown = await t.call(
      researcher,
      'GET',
      '/api/research/surveys/00000000-0000-4000-8000-000000000000/results'
    );
    expect(unknown.statusCode).toBe(404);
    for (const who of ['pA1', 'gp1'] as const) {
      const as = await t.login(who);
      expect((await t.call(as, 'GET', url('results'))).statusCode).toBe(403);
      expect((await t.call(as, 'GET', url('report'))).statusCode).toBe(403);
    }
  });
});

describe('GET …/report', () => {
  it('serves the HTML report in the chosen language, sandboxed', async () => {
    const response = await t.call(researcher, 'GET', `${url('report')}?lang=nb`);
    expect(response.statusCode).toBe(200);
    expect(response.headers['content-type']).toMatch(/^text\/html/);
    expect(response.headers['content-security-policy']).toContain('sandbox');
    expect(response.body).toContain('lang="nb"');
    expect(response.body).not.toMatch(/<script/i);
  });
});

describe('POST …/export', () => {
  const body = { password: FIXTURE_PASSWORD, language: 'en', form: 'long' };

  it('refuses a wrong password with a 403 naming the field, exports nothing, and logs it', async () => {
    const response = await t.call(researcher, 'POST', url('export'), {
      body: { ...body, password: 'not-my-password-1' },
    });
    expect(response.statusCode).toBe(403);
    expect(response.headers['content-type']).toMatch(/problem\+json/);
    expect(response.json<{ errors: { field: string }[] }>().errors).toEqual([
      { field: 'password', reason: 'is not your password' },
    ]);
    const events = await t.db
      .selectFrom('audit_events')
      .select(['outcome', 'data_category'])
      .where('action', '=', 'export')
      .execute();
    expect(events).toEqual([{ outcome: 'denied', data_category: 'survey export: password check failed' }]);
  });

  it('refuses patients and GPs even with their own password', async () => {
    for (const who of ['pA1', 'gp1'] as const) {
      const as = await t.login(who);
      const response = await t.call(as, 'POST', url('export'), { body });
      expect(response.statusCode).toBe(403);
      expect(response.headers['content-type']).not.toMatch(/zip/);
    }
  });

  it('returns one zip of the bundle, audited as an export', async () => {
    const response = await t.call(researcher, 'POST', url('export'), { body });
    expect(response.statusCode).toBe(200);
    expect(response.headers['content-type']).toBe('application/zip');
    expect(response.headers['content-disposition']).toMatch(
      /^attachment; filename="survey-.*-v1\.0\.0-long-en\.zip"$/
    );
    const files = unzipSync(new Uint8Array(response.rawPayload));
    for (const name of [
      'data.csv',
      'codebook.csv',
      'codebook.xml',
      'load.R',
      'load.do',
      'load.sps',
      'README.txt',
    ])
      expect(Object.keys(files)).toContain(name);
    const csv = strFromU8(files['data.csv']!);
    const lines = csv.trimEnd().split('\r\n');
    // Long form: a header and one row per response, partial ones included (24 + 2).
    expect(lines).toHaveLength(27);
    expect(lines[0]).toContain('own-talk-therapy');
    // The formula is escaped with a leading apostrophe; no e-mail address or frame id leaves.
    expect(csv).toContain(`'=HYPERLINK`);
    expect(csv).not.toContain('example.invalid');
    expect(csv).not.toContain('F001');
    expect(strFromU8(files['codebook.xml']!)).toContain('<codeBook');
    const events = await t.db
      .selectFrom('audit_events')
      .select(['outcome', 'data_category'])
      .where('action', '=', 'export')
      .where('outcome', '=', 'allowed')
      .execute();
    expect(events).toHaveLength(1);
    expect(events[0]!.data_category).toBe('survey export: version 1.0.0, long form, en, 26 responses');
  });

  it('lays out the wide form as one row per respondent', async () => {
    const response = await t.call(researcher, 'POST', url('export'), {
      body: { ...body, form: 'wide', language: 'nb' },
    });
    expect(response.statusCode).toBe(200);
    const csv = strFromU8(unzipSync(new Uint8Array(response.rawPayload))['data.csv']!);
    expect(csv.trimEnd().split('\r\n')).toHaveLength(27);
    expect(csv.split('\r\n')[0]).toContain('_baseline');
  });

  it('refuses an unknown version with 404', async () => {
    const response = await t.call(researcher, 'POST', url('export'), { body: { ...body, version: '9.9' } });
    expect(response.statusCode).toBe(404);
  });
});

/**
 * loadSurveyDataset on a real (test) database: rows written as the server writes them come back as
 * the SurveyDataset the analysis and export read — frame attributes, complete and partial
 * responses with wave, respondent key and version, the frame id only through the invitation, and
 * an anonymous survey with an empty frame.
 */
import { createHash } from 'node:crypto';
import type { Kysely } from 'kysely';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Database } from '../../db/schema.js';
import { FIXTURE_GP_QUESTIONNAIRE } from '../../surveys/generate/fixture-questionnaire.js';
import { createTestDatabase, type TestDatabase } from '../../../test/support/test-database.js';
import { loadSurveyDataset, loadSurveyFacts } from './dataset.queries.js';

const hex = (s: string) => createHash('sha256').update(s).digest('hex');
const often = { 'own-talk-therapy': [{ valueCoding: { code: 'often' } }] };
const never = { 'own-talk-therapy': [{ valueCoding: { code: 'never' } }] };

let database: TestDatabase;
let db: Kysely<Database>;
let identified: string;
let anonymous: string;

beforeAll(async () => {
  database = await createTestDatabase();
  db = database.db;
  const user = await db
    .insertInto('users')
    .values({
      username: 'researcher.ds',
      display_name: 'R',
      role: 'researcher',
      password_hash: null,
      practice_id: null,
    })
    .returning('id')
    .executeTakeFirstOrThrow();
  const practice = await db
    .insertInto('practices')
    .values({ name: 'P' })
    .returning('id')
    .executeTakeFirstOrThrow();
  const now = new Date('2026-12-01T10:00:00Z');
  const survey = (kind: 'identified' | 'anonymous') =>
    db
      .insertInto('surveys')
      .values({ kind, title: kind, status: 'open', created_by: user.id, created_at: now, opened_at: now })
      .returning('id')
      .executeTakeFirstOrThrow();
  identified = (await survey('identified')).id;
  anonymous = (await survey('anonymous')).id;
  const version = async (surveyId: string, v: number, fielded: boolean) =>
    db
      .insertInto('survey_versions')
      .values({
        survey_id: surveyId,
        sequence: v,
        version: `q${v}`,
        questionnaire: JSON.stringify({ ...FIXTURE_GP_QUESTIONNAIRE, version: `q${v}` }),
        fingerprint: hex(`${surveyId}${v}`),
        created_by: user.id,
        created_at: now,
        fielded_at: fielded ? now : null,
      })
      .returning('id')
      .executeTakeFirstOrThrow();
  const v1 = await version(identified, 1, true);
  const v2 = await version(identified, 2, true);
  // A draft version 3 (never fielded): not the default questionnaire.
  await version(identified, 3, false);
  const members = await db
    .insertInto('survey_frame_members')
    .values(
      ['F1', 'F2', 'F3'].map((frameId, i) => ({
        survey_id: identified,
        frame_id: frameId,
        email: `gp-${i}@example.invalid`,
        attributes: JSON.stringify({ sex: i === 0 ? 'F' : 'M', age_group: '40-49' }),
        imported_at: now,
      }))
    )
    .returning(['id', 'frame_id'])
    .execute();
  const invite = (memberId: string, n: number) =>
    db
      .insertInto('survey_invitations')
      .values({ survey_id: identified, frame_member_id: memberId, token_hash: hex(`t${n}`), created_at: now })
      .returning('id')
      .executeTakeFirstOrThrow();
  const i1 = await invite(members[0]!.id, 1);
  const i2 = await invite(members[1]!.id, 2);
  await db
    .insertInto('survey_responses')
    .values([
      {
        survey_id: identified,
        version_id: v1.id,
        invitation_id: i1.id,
        status: 'complete',
        answers: JSON.stringify(often),
        wave: 'baseline',
        respondent_key: hex('k1'),
        started_at: now,
        updated_at: new Date('2026-12-02T09:00:00Z'),
        submitted_at: new Date('2026-12-02T09:00:00Z'),
      },
      {
        survey_id: identified,
        version_id: v2.id,
        invitation_id: i2.id,
        status: 'partial',
        answers: JSON.stringify(never),
        wave: 'baseline',
        respondent_key: hex('k2'),
        started_at: now,
        updated_at: new Date('2026-12-03T09:00:00Z'),
        submitted_at: null,
      },
    ])
    .execute();
  const av = await version(anonymous, 1, true);
  const link = await db
    .insertInto('survey_practice_links')
    .values({
      survey_id: anonymous,
      practice_id: practice.id,
      slug: 'abcdefgh2345',
      created_by: user.id,
      created_at: now,
    })
    .returning('id')
    .executeTakeFirstOrThrow();
  await db
    .insertInto('survey_responses')
    .values({
      survey_id: anonymous,
      version_id: av.id,
      practice_link_id: link.id,
      status: 'complete',
      answers: JSON.stringify(often),
      wave: 'baseline',
      consent: true,
      started_at: new Date('2026-12-02T00:00:00Z'),
      updated_at: new Date('2026-12-02T00:00:00Z'),
      submitted_at: new Date('2026-12-02T00:00:00Z'),
    })
    .execute();
});

afterAll(async () => {
  await database.close();
});

describe('loadSurveyDataset', () => {
  it('lays out frame and responses of an identified survey', async () => {
    const dataset = (await loadSurveyDataset(db, identified))!;
    expect(dataset.surveyId).toBe(identified);
    // The latest fielded version (2), not the draft 3.
    expect(dataset.questionnaire.version).toBe('q2');
    expect(dataset.frame).toEqual([
      { frameId: 'F1', attributes: { sex: 'F', age_group: '40-49' } },
      { frameId: 'F2', attributes: { sex: 'M', age_group: '40-49' } },
      { frameId: 'F3', attributes: { sex: 'M', age_group: '40-49' } },
    ]);
    expect(dataset.responses).toHaveLength(2);
    const [first, second] = dataset.responses;
    expect(first).toMatchObject({
      frameId: 'F1',
      respondentKey: hex('k1'),
      wave: 'baseline',
      status: 'complete',
      updatedAt: '2026-12-02T09:00:00.000Z',
      questionnaireVersion: 'q1',
      answers: often,
    });
    expect(second).toMatchObject({
      frameId: 'F2',
      status: 'partial',
      questionnaireVersion: 'q2',
      answers: never,
    });
    // Nothing identifying beyond the frame id and the pseudonymous key.
    expect(JSON.stringify(dataset)).not.toContain('example.invalid');
  });

  it('restricts to one version when asked', async () => {
    const v1 = (await loadSurveyDataset(db, identified, { version: 'q1' }))!;
    expect(v1.questionnaire.version).toBe('q1');
    expect(v1.responses.map((r) => r.frameId)).toEqual(['F1']);
    expect(await loadSurveyDataset(db, identified, { version: 'q9' })).toBeNull();
  });

  it('gives an anonymous survey an empty frame and no keys', async () => {
    const dataset = (await loadSurveyDataset(db, anonymous))!;
    expect(dataset.frame).toEqual([]);
    expect(dataset.responses).toHaveLength(1);
    expect(dataset.responses[0]!.frameId).toBeUndefined();
    expect(dataset.responses[0]!.respondentKey).toBeUndefined();
  });

  it('answers null for an unknown survey, and states the facts of a known one', async () => {
    expect(await loadSurveyDataset(db, '00000000-0000-4000-8000-000000000000')).toBeNull();
    expect(await loadSurveyFacts(db, '00000000-0000-4000-8000-000000000000')).toBeNull();
    expect(await loadSurveyFacts(db, identified)).toMatchObject({
      kind: 'identified',
      versions: ['q1', 'q2', 'q3'],
    });
  });
});

/**
 * seedDemoSurveys on a fresh test database and a small generated twin (20,000 persons): the three
 * surveys, the GP survey fielded to every twin GP exactly as the planted truth says, no e-mail
 * queued, the anonymous surveys at the demo practice with nothing that identifies anybody, and a
 * second call that adds nothing. Then `survey:analyze` (runSurveyAnalyze) on the seeded GP survey,
 * linked to the twin, writes its files.
 */
import { existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Kysely } from 'kysely';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { runSurveyAnalyze } from '../../cli/survey-analyze.js';
import type { Database } from '../../db/schema.js';
import { generateRegistry } from '../../registry/generate/generate.js';
import { generateTwinSurvey } from '../../surveys/generate/from-twin.js';
import { STUDY_QUESTIONNAIRES } from '../../content/surveys/index.js';
import { createTestDatabase, type TestDatabase } from '../../../test/support/test-database.js';
import {
  seedDemoSurveys,
  seedDemoSurveysForDemo,
  type SurveySeedOptions,
  type SurveySeedResult,
} from './survey-seed.js';

let database: TestDatabase;
let db: Kysely<Database>;
let dir: string;
let options: SurveySeedOptions;
let first: SurveySeedResult;
const lines: string[] = [];

const count = async (table: keyof Database, surveyId?: string) =>
  Number(
    (
      await db
        .selectFrom(table)
        .select((eb) => eb.fn.countAll<number>().as('n'))
        .$if(surveyId !== undefined, (q) => q.where('survey_id' as never, '=', surveyId as never))
        .executeTakeFirstOrThrow()
    ).n
  );

beforeAll(async () => {
  dir = mkdtempSync(join(tmpdir(), 'gpdep-survey-seed-'));
  await generateRegistry({
    persons: 20_000,
    firstYear: 2009,
    lastYear: 2016,
    seed: 3,
    out: join(dir, 'twin'),
    log: () => {},
  });
  database = await createTestDatabase();
  db = database.db;
  const researcher = await db
    .insertInto('users')
    .values({
      username: 'forsker.test',
      display_name: 'R',
      role: 'researcher',
      password_hash: null,
      practice_id: null,
    })
    .returning('id')
    .executeTakeFirstOrThrow();
  const practice = await db
    .insertInto('practices')
    .values({ name: 'Demo' })
    .returning('id')
    .executeTakeFirstOrThrow();
  options = {
    registryDataDir: join(dir, 'twin'),
    researcherId: researcher.id,
    practiceId: practice.id,
    now: new Date('2026-12-04T12:00:00Z'),
    auditKey: Buffer.alloc(32, 1),
    serverKey: Buffer.alloc(32, 2),
    log: (line) => lines.push(line),
  };
  first = await seedDemoSurveys(db, options);
}, 240_000);

afterAll(async () => {
  await database?.close();
  rmSync(dir, { recursive: true, force: true });
});

describe('seedDemoSurveys', () => {
  it('creates the three study surveys', () => {
    expect(first.skipped).toEqual([]);
    expect(first.created.map((c) => c.key)).toEqual([
      'gp-national',
      'patient-preferences',
      'patient-experience',
    ]);
    expect(lines).toHaveLength(3);
  });

  it('fields the GP survey to every twin GP as the planted truth says', async () => {
    const gp = first.created[0]!;
    // The same generator with the same seed: the frame and who answered are known in advance.
    const twin = await generateTwinSurvey({
      twinDir: options.registryDataDir,
      seed: 1,
      questionnaire: (
        await db
          .selectFrom('survey_versions')
          .select('questionnaire')
          .where('survey_id', '=', gp.surveyId)
          .executeTakeFirstOrThrow()
      ).questionnaire as never,
    });
    const frameSize = twin.truth.frameSize;
    expect(frameSize).toBeGreaterThan(10);
    expect(gp.invitations).toBe(frameSize);
    expect(await count('survey_frame_members', gp.surveyId)).toBe(frameSize);
    expect(await count('survey_linkage_keys', gp.surveyId)).toBe(frameSize);
    expect(await count('survey_invitations', gp.surveyId)).toBe(frameSize);
    const statuses = await db
      .selectFrom('survey_responses')
      .select(['status', (eb) => eb.fn.countAll<number>().as('n')])
      .where('survey_id', '=', gp.surveyId)
      .groupBy('status')
      .execute();
    const by = Object.fromEntries(statuses.map((s) => [s.status, Number(s.n)]));
    expect(by.complete ?? 0).toBe(twin.truth.complete);
    expect(by.partial ?? 0).toBe(twin.truth.partial);
    // Invitation states match the responses; nobody was e-mailed; addresses are reserved ones.
    const invitationComplete = await db
      .selectFrom('survey_invitations')
      .select((eb) => eb.fn.countAll<number>().as('n'))
      .where('survey_id', '=', gp.surveyId)
      .where('status', '=', 'complete')
      .executeTakeFirstOrThrow();
    expect(Number(invitationComplete.n)).toBe(twin.truth.complete);
    expect(await count('survey_emails')).toBe(0);
    const emails = await db
      .selectFrom('survey_frame_members')
      .select('email')
      .where('survey_id', '=', gp.surveyId)
      .execute();
    expect(emails.every((e) => /^gp-\d+@example\.invalid$/.test(e.email))).toBe(true);
    // Linkage keys point at the twin's GP ids, as the generator's linkage table says.
    const keys = await db
      .selectFrom('survey_linkage_keys')
      .select(['frame_id', 'registry_key'])
      .where('survey_id', '=', gp.surveyId)
      .execute();
    const expected = new Map(twin.linkage.entries.map((e) => [e.frameId, e.registryGpId]));
    expect(keys.every((k) => expected.get(k.frame_id) === k.registry_key)).toBe(true);
  });

  it('opens practice links for the anonymous surveys with a few dozen anonymous responses', async () => {
    for (const c of first.created.slice(1)) {
      const links = await db
        .selectFrom('survey_practice_links')
        .select(['practice_id', 'slug'])
        .where('survey_id', '=', c.surveyId)
        .execute();
      expect(links).toEqual([
        { practice_id: options.practiceId, slug: expect.stringMatching(/^[a-z0-9]{12}$/) },
      ]);
      const rows = await db
        .selectFrom('survey_responses')
        .select(['invitation_id', 'respondent_key', 'consent', 'submitted_at', 'answers'])
        .where('survey_id', '=', c.surveyId)
        .execute();
      expect(rows).toHaveLength(36);
      for (const r of rows) {
        expect(r.invitation_id).toBeNull();
        expect(r.respondent_key).toBeNull();
        expect(r.consent).toBe(true);
        // Kept to the day.
        expect(new Date(r.submitted_at!).toISOString()).toMatch(/T00:00:00\.000Z$/);
        expect(Object.keys(r.answers as object).length).toBeGreaterThan(3);
      }
    }
    // The patient-experience survey carries the platform's PHQ-9 (assembled) and answers to it.
    const experience = first.created[2]!;
    const q = STUDY_QUESTIONNAIRES['patient-experience'];
    expect(q).toBeDefined();
    const answered = await db
      .selectFrom('survey_responses')
      .select('answers')
      .where('survey_id', '=', experience.surveyId)
      .execute();
    expect(answered.some((r) => Object.keys(r.answers as object).some((k) => /phq/i.test(k)))).toBe(true);
  });

  it('adds nothing on a second start', async () => {
    const before = await count('survey_responses');
    const again = await seedDemoSurveys(db, options);
    expect(again.created).toEqual([]);
    expect(again.skipped.map((s) => s.reason)).toEqual([
      'already seeded',
      'already seeded',
      'already seeded',
    ]);
    expect(await count('surveys')).toBe(3);
    expect(await count('survey_responses')).toBe(before);
    // Without the demo's researcher (forsker) and practice, the start-up variant does nothing.
    expect(await seedDemoSurveysForDemo(db, options)).toBeNull();
  });

  it('feeds survey:analyze: report, results.json and the export, linked to the twin', async () => {
    const gp = first.created[0]!;
    const out = join(dir, 'analysis');
    const outcome = await runSurveyAnalyze(db, {
      survey: gp.surveyId,
      out,
      lang: 'en',
      form: 'long',
      registry: options.registryDataDir,
      collapse: true,
    });
    for (const name of [
      'report.html',
      'rapport.html',
      'results.json',
      'export/data.csv',
      'export/load.R',
      'export/codebook.xml',
    ])
      expect(existsSync(join(out, name))).toBe(true);
    expect(outcome.linked).toBe(true);
    const published = JSON.parse(readFileSync(join(out, 'results.json'), 'utf8')) as {
      results: { response: { invited: number }; weights: unknown[] };
      linked: { item: string } | null;
    };
    expect(published.results.response.invited).toBe(first.created[0]!.invitations);
    expect(published.linked?.item).toBe('own-talk-therapy');
    await expect(
      runSurveyAnalyze(db, {
        survey: '00000000-0000-4000-8000-000000000000',
        out,
        lang: 'nb',
        form: 'long',
        collapse: false,
      })
    ).rejects.toThrow('No survey with id 00000000-0000-4000-8000-000000000000 in this database');
  }, 120_000);
});

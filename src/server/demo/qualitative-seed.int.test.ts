/**
 * seedDemoQualitativeStudy on a fresh test app: the demo transcripts imported, de-identified and
 * open for coding (no original kept, no participant's first name left in any text), the STC
 * analysis with every meaning unit found and no broken link, the synthesis shared, and the demo
 * user-group account able to log in and read the share (but not a transcript); a second call
 * adds nothing.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestApp, type TestApp } from '../../../test/support/test-app.js';
import { DEMO_SOURCES } from '../../qualitative/demo/manifest.js';
import { DEMO_CODEBOOK, DEMO_CODINGS } from '../../qualitative/demo/codebook.js';
import { DEMO_STC_UNITS } from '../../qualitative/demo/stc-analysis.js';
import { hashPassword } from '../auth/passwords.js';
import { DEMO_PASSWORD } from './demo-seed.js';
import {
  DEMO_QUAL_STUDY_TITLE,
  seedDemoQualitativeStudy,
  type QualitativeSeedResult,
} from './qualitative-seed.js';

let t: TestApp;
let seeded: QualitativeSeedResult | null;
const auditKey = Buffer.alloc(32, 7);
const lines: string[] = [];
const BASE = '/api/research/qualitative/studies';

beforeAll(async () => {
  t = await createTestApp();
  await t.db
    .insertInto('users')
    .values({
      username: 'forsker',
      display_name: 'Sara Forsker (demo)',
      role: 'researcher',
      password_hash: await hashPassword(DEMO_PASSWORD),
    })
    .execute();
  seeded = await seedDemoQualitativeStudy(t.db, {
    now: t.clock.now,
    auditKey,
    password: DEMO_PASSWORD,
    log: (line) => lines.push(line),
  });
}, 120_000);
afterAll(async () => t?.close());

describe('the demo qualitative study', () => {
  it('imports every demo transcript, de-identified and open for coding, with no original kept', async () => {
    expect(seeded).not.toBeNull();
    const sources = await t.db
      .selectFrom('qual_sources')
      .select(['status', 'text', 'original_text', 'original_deleted_at'])
      .where('study_id', '=', seeded!.studyId)
      .execute();
    expect(sources).toHaveLength(DEMO_SOURCES.length);
    for (const s of sources) {
      expect(s.status).toBe('open_for_coding');
      expect(s.original_text).toBeNull();
      expect(s.original_deleted_at).not.toBeNull();
    }
    // every participant's first name was proposed and replaced everywhere it was said
    const names = DEMO_SOURCES.flatMap((m) => m.participants.map((p) => p.firstName));
    for (const s of sources)
      for (const name of names) expect(s.text).not.toMatch(new RegExp(`\\b${name}\\b`));
  });

  it('has the STC analysis with every meaning unit found and a synthesis shared with the user group', async () => {
    expect(lines.filter((l) => l.startsWith('Demo STC:'))).toEqual([]);
    expect(seeded!.meaningUnits).toBe(DEMO_STC_UNITS.length);
    const forsker = await t.login('forsker', DEMO_PASSWORD);
    const list = await t.call(forsker, 'GET', `${BASE}/${seeded!.studyId}/stc`);
    const [analysis] = list.json<{ analyses: Array<{ id: string; themesAtStep: number[] }> }>().analyses;
    // four themes: three through condensation (step 3), one on to a synthesis paragraph (step 4)
    expect(analysis!.themesAtStep).toEqual([0, 0, 3, 1]);
    const view = await t.call(forsker, 'GET', `${BASE}/${seeded!.studyId}/stc/${analysis!.id}`);
    expect(view.json().openPoints).toEqual([]);

    const member = await t.login('brukergruppe', DEMO_PASSWORD);
    const studies = await t.call(member, 'GET', '/api/user-group/studies');
    expect(studies.json().studies).toEqual([
      { id: seeded!.studyId, title: DEMO_QUAL_STUDY_TITLE, shares: 1 },
    ]);
    const shares = await t.call(member, 'GET', `${BASE}/${seeded!.studyId}/shares`);
    const share = await t.call(
      member,
      'GET',
      `${BASE}/${seeded!.studyId}/shares/${shares.json().shares[0].id}`
    );
    expect(share.json().paragraphs).toHaveLength(1);
    const source = await t.db.selectFrom('qual_sources').select('id').executeTakeFirstOrThrow();
    expect((await t.call(member, 'GET', `${BASE}/${seeded!.studyId}/sources/${source.id}`)).statusCode).toBe(
      403
    );
  });

  it('has a codebook in progress and two coders whose coding agrees in part', async () => {
    expect(seeded!.codes).toBe(DEMO_CODEBOOK.length);
    // the passages that name someone are left out once de-identified (and said so)
    const leftOut = lines.filter((l) => l.startsWith('Demo coding ')).length;
    const passages = Object.values(DEMO_CODINGS).flat().length;
    // said by the passage's place, never its words: the log holds no transcript text
    for (const passage of Object.values(DEMO_CODINGS).flat())
      expect(lines.join('\n')).not.toContain(passage.quote.slice(0, 30));
    expect(seeded!.codings).toBe(passages - leftOut);
    expect(seeded!.codings).toBeGreaterThanOrEqual(passages - 2);
    const forsker = await t.login('forsker', DEMO_PASSWORD);
    const coder = await t.db
      .selectFrom('users')
      .select('id')
      .where('username', '=', 'forsker.koder')
      .executeTakeFirstOrThrow();
    const lead = await t.db
      .selectFrom('users')
      .select('id')
      .where('username', '=', 'forsker')
      .executeTakeFirstOrThrow();
    const res = await t.call(
      forsker,
      'GET',
      `${BASE}/${seeded!.studyId}/agreement?coders=${lead.id},${coder.id}`
    );
    expect(res.statusCode, res.body).toBe(200);
    const alpha = res.json().overallAlpha.value as number;
    expect(alpha).toBeGreaterThan(0.2);
    expect(alpha).toBeLessThan(0.9);
  });

  it('adds nothing the second time', async () => {
    const again = await seedDemoQualitativeStudy(t.db, {
      now: t.clock.now,
      auditKey,
      password: DEMO_PASSWORD,
    });
    expect(again).toBeNull();
    expect(await t.db.selectFrom('qual_studies').select('id').execute()).toHaveLength(1);
  });
});

/**
 * The indicator SQL against answers worked out by hand on the tiny fixture
 * (src/registry/fixtures/tiny.ts): cohort, washout, age limits, censoring, each indicator,
 * new-user antidepressants, sick-leave days and return to work, pathways.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DuckDbWorkerEngine } from '../engine/engine.js';
import { makeParams, resolveParams, type AnalysisParams, type ResolvedParams } from '../engine/params.js';
import type { Row } from '../engine/protocol.js';
import { EXPECTED_EPISODES, EXPECTED_PATHWAYS, EXPECTED_WORK, TINY } from '../fixtures/tiny.js';
import { writeFixture } from '../fixtures/write.js';
import { sequenceCounts } from './pathways.js';

let dir: string;
let engine: DuckDbWorkerEngine;
const EXTENT = { firstDate: '2010-01-04', lastDate: '2013-12-30' };
const params = (o: Partial<AnalysisParams> = {}): ResolvedParams => resolveParams(makeParams(o), EXTENT);

beforeAll(async () => {
  dir = mkdtempSync(join(tmpdir(), 'gpdep-reg-tiny-'));
  await writeFixture(dir, TINY);
  engine = new DuckDbWorkerEngine({ dataDir: dir, memoryLimit: '512MB', threads: 1 });
}, 30_000);

afterAll(async () => {
  await engine?.close();
  if (dir) rmSync(dir, { recursive: true, force: true });
});

async function episodes(p: ResolvedParams): Promise<Row[]> {
  await engine.run('indicator_patterns', p);
  return engine.debugQuery(`
    SELECT c.person_id, CAST(c.index_date AS VARCHAR) AS index_date, CAST(c.fu_end AS VARCHAR) AS fu_end, c.censored,
      o.tt_n, o.long_n, o.ad_n, o.ad_prevalent, o.ref_n, o.sl_n, c.age_group, c.edu_group, c.immigrant, c.centrality_group,
      c.listed_gp_id
    FROM cohort c JOIN outcomes o ON o.episode_id = c.episode_id ORDER BY c.person_id, c.index_date`);
}

const sum = (rows: Row[], key: string) => rows.reduce((s, r) => s + Number(r[key] ?? 0), 0);
const ids = (rows: Row[]) => rows.map((r) => `${String(r.person_id)}@${String(r.index_date)}`);

describe('GP-DEP cohort and indicators on the hand-written fixture', () => {
  it('finds the data extent and the default index period (first bill + washout .. last bill - follow-up)', async () => {
    const [extent] = await engine.run('data_extent', params());
    expect(extent).toEqual({ first_date: EXTENT.firstDate, last_date: EXTENT.lastDate, employment_rows: 9 });
    expect(params().indexFrom).toBe('2011-01-04');
    expect(params().indexTo).toBe('2012-12-31');
  });

  it('every episode, follow-up end and indicator count matches the hand-computed answer', async () => {
    const rows = await episodes(params());
    expect(
      rows.map((r) => ({
        person: r.person_id,
        index: r.index_date,
        fuEnd: r.fu_end,
        censored: r.censored,
        tt: r.tt_n,
        long: r.long_n,
        ad: r.ad_n,
        adPrev: r.ad_prevalent,
        ref: r.ref_n,
        sl: r.sl_n,
        ageGroup: r.age_group,
        edu: r.edu_group,
        immigrant: r.immigrant,
        centrality: r.centrality_group,
        gp: r.listed_gp_id,
      }))
    ).toEqual(EXPECTED_EPISODES);
  });

  it('cohort flow: new episodes, alive/resident, age limit', async () => {
    const [flow] = await engine.run('cohort_flow', params());
    expect(flow).toEqual({
      new_episodes: 12,
      alive_resident: 11,
      age_eligible: 10,
      episode_eligible: 10,
      cohort: 10,
    });
  });

  it('indicator totals by pattern add up to the hand-computed any/count figures', async () => {
    const rows = await engine.run('indicator_patterns', params());
    expect(sum(rows, 'n')).toBe(10);
    expect([sum(rows, 'tt_events'), sum(rows, 'tt_count')]).toEqual([4, 7]);
    expect([sum(rows, 'long_events'), sum(rows, 'long_count')]).toEqual([2, 2]);
    // Antidepressants among new users (the default): p02, a prevalent user, leaves the denominator.
    expect([sum(rows, 'ad_denom'), sum(rows, 'ad_events'), sum(rows, 'ad_count')]).toEqual([9, 2, 3]);
    expect([sum(rows, 'ref_events'), sum(rows, 'ref_count')]).toEqual([2, 2]);
    // Sick leave: the six episodes employed at 20-66 (p07 never employed, p09's job ended the day before).
    expect([sum(rows, 'sl_denom'), sum(rows, 'sl_events'), sum(rows, 'sl_count')]).toEqual([6, 4, 6]);
    expect([sum(rows, 'none3_events'), sum(rows, 'none5_events')]).toEqual([2, 2]);
    expect(sum(rows, 'censored')).toBe(2);
  });

  it('rows are per GP cluster and pattern: the listed GP, else the GP of the index consultation', async () => {
    // Listed: p01, p03 and p08's second episode at g1, p08's first at g2, p02 at g3. Not listed: p07
    // (a list without a GP), p09, p11, p12, p13, whose index bills were all billed by g1 (tiny.ts's
    // default GP). So g1 carries 8 episodes, g2 and g3 one each; the cluster is a rank in GP-id order
    // (g1 = 1), never the id, and p08's two episodes sit in two clusters (clustered by GP, not person).
    const rows = await engine.run('indicator_patterns', params());
    const byCluster = new Map<unknown, number>();
    for (const r of rows) byCluster.set(r.gp_cluster, (byCluster.get(r.gp_cluster) ?? 0) + Number(r.n));
    expect(Object.fromEntries(byCluster)).toEqual({ 1: 8, 2: 1, 3: 1 });
    expect(rows.every((r) => typeof r.gp_cluster === 'number')).toBe(true);
    expect(JSON.stringify(rows)).not.toMatch(/"g\d"/);
    // Table 2 sums over the clusters: the same totals as before the split.
    expect(sum(rows, 'n')).toBe(10);
  });

  it('any antidepressant use when asked: the prevalent user comes back into the denominator', async () => {
    const rows = await engine.run('indicator_patterns', params({ adNewUser: false }));
    expect([sum(rows, 'ad_denom'), sum(rows, 'ad_events'), sum(rows, 'ad_count')]).toEqual([10, 3, 4]);
    // "None" still counts any dispensing.
    expect(sum(rows, 'none3_events')).toBe(2);
  });

  it('washout: a simple contact breaks it by default; only consultations when washoutAnyContact = false', async () => {
    expect(ids(await episodes(params()))).not.toContain('p05@2011-05-10');
    expect(ids(await episodes(params({ washoutAnyContact: false })))).toContain('p05@2011-05-10');
  });

  it('washout length: exactly 365 days is not new, 366 is; a shorter washout finds more episodes', async () => {
    const def = ids(await episodes(params()));
    expect(def).toContain('p09@2012-03-01');
    expect(def).not.toContain('p09@2011-03-01');
    const short = ids(await episodes(params({ washoutDays: 200, indexFrom: '2011-01-04' })));
    // Also p01 again: 2012-02-28 is 303 days after the P76 of 2011-05-01.
    expect(short).toHaveLength(13);
    expect(short).toEqual(
      expect.arrayContaining([
        'p01@2012-02-28',
        'p02@2011-02-01',
        'p02@2012-03-01',
        'p09@2011-03-01',
        'p09@2012-03-01',
      ])
    );
  });

  it('age limits', async () => {
    expect(ids(await episodes(params({ minAge: 16 })))).toContain('p04@2012-05-01');
    const capped = await episodes(params({ maxAge: 60 }));
    expect(capped.map((r) => r.person_id)).not.toEqual(expect.arrayContaining(['p03']));
    expect(capped).toHaveLength(7);
  });

  it('code set: ICD-10 F32/F33 adds the ICD-coded episode; main diagnosis only drops the secondary-coded one', async () => {
    expect(ids(await episodes(params({ icd10Codes: ['F32', 'F33'] })))).toContain('p06@2011-09-01');
    const main = ids(await episodes(params({ mainDiagnosisOnly: true })));
    expect(main).not.toContain('p11@2011-11-01');
    expect(main).toHaveLength(9);
  });

  it("first episode only: the person's second episode goes", async () => {
    const first = ids(await episodes(params({ episodes: 'first' })));
    expect(first).toHaveLength(9);
    expect(first).toContain('p08@2011-01-10');
    expect(first).not.toContain('p08@2012-02-01');
  });

  it('listed with a GP at index (a list without a GP does not count)', async () => {
    const listed = await episodes(params({ requireListedGp: true }));
    expect(ids(listed)).toEqual([
      'p01@2011-03-01',
      'p02@2012-03-01',
      'p03@2011-06-01',
      'p08@2011-01-10',
      'p08@2012-02-01',
    ]);
  });

  it('sick leave among everyone 20-66 when asked: the not employed come back with no sick leave', async () => {
    // p07 (no job) and p09 (job ended 2012-02-29, index 2012-03-01) rejoin the denominator with 0
    // certificates: 8 episodes, the same 4 with sick leave.
    const rows = await engine.run('indicator_patterns', params({ sickLeaveDenominator: 'all' }));
    expect([sum(rows, 'sl_denom'), sum(rows, 'sl_events')]).toEqual([8, 4]);
    const eps = await episodes(params({ sickLeaveDenominator: 'all' }));
    expect(eps.filter((r) => r.person_id === 'p07' || r.person_id === 'p09').map((r) => r.sl_n)).toEqual([
      0, 0,
    ]);
  });

  it('the employed at index: a job ending the day before index does not count, part time does', async () => {
    await engine.run('indicator_patterns', params());
    const rows = await engine.debugQuery(
      `SELECT person_id, employed FROM cohort WHERE person_id IN ('p07', 'p08', 'p09', 'p02') ORDER BY person_id, index_date`
    );
    expect(rows.map((r) => [r.person_id, r.employed])).toEqual([
      ['p02', 1],
      ['p07', 0],
      ['p08', 1],
      ['p08', 1],
      ['p09', 0],
    ]);
  });

  it('GP status is taken on the index date, not as the register stands at the end', async () => {
    // tiny.ts: g1 a specialist from 2011-06-01; g3 salaried until 2012-02-29, own practice from
    // 2012-03-01. p01 (g1, 2011-03-01): not yet a specialist; p03 (g1, 2011-06-01): a specialist on
    // the day; p08's second episode (g1, 2012-02-01): a specialist; p08's first (g2, 2011-01-10):
    // salaried; p02 (g3, 2012-03-01): self-employed on the day she took over.
    await engine.run('indicator_patterns', params());
    const rows = await engine.debugQuery(
      `SELECT person_id, CAST(index_date AS VARCHAR) AS d, listed_gp_id AS gp, gp_specialist, gp_employment
       FROM cohort WHERE listed_gp_id IS NOT NULL ORDER BY person_id, index_date`
    );
    expect(rows.map((r) => [r.person_id, r.d, r.gp, r.gp_specialist, r.gp_employment])).toEqual([
      ['p01', '2011-03-01', 'g1', false, 'self_employed'],
      ['p02', '2012-03-01', 'g3', false, 'self_employed'],
      ['p03', '2011-06-01', 'g1', true, 'self_employed'],
      ['p08', '2011-01-10', 'g2', false, 'salaried'],
      ['p08', '2012-02-01', 'g1', true, 'self_employed'],
    ]);
  });

  it('sick leave overlapping follow-up (not only starting in it) when asked', async () => {
    const rows = await episodes(params({ sickLeaveRule: 'overlaps' }));
    expect(rows.find((r) => r.person_id === 'p02')?.sl_n).toBe(1);
    expect(sum(rows, 'sl_n')).toBe(7);
  });

  it('sick-leave days (calendar and grade-weighted) and return to work at 6 and 12 months', async () => {
    await engine.run('work_patterns', params());
    const rows = await engine.debugQuery(`
      SELECT c.person_id, CAST(c.index_date AS VARCHAR) AS index_date, w.sl_days, w.sl_days_graded, w.rtw_base,
        w.rtw6_at_risk, w.rtw6, w.rtw12_at_risk, w.rtw12
      FROM cohort c JOIN work w ON w.episode_id = c.episode_id ORDER BY c.person_id, c.index_date`);
    expect(
      rows.map((r) => ({
        person: r.person_id,
        index: r.index_date,
        days: r.sl_days,
        graded: r.sl_days_graded,
        base: r.rtw_base,
        rtw6AtRisk: r.rtw6_at_risk,
        rtw6: r.rtw6,
        rtw12AtRisk: r.rtw12_at_risk,
        rtw12: r.rtw12,
      }))
    ).toEqual(EXPECTED_WORK);
  });

  it('pathways: ordered first treatments, same-day events as one step', async () => {
    const rows = await engine.run('pathway_ranks', params());
    expect(Object.fromEntries(sequenceCounts(rows))).toEqual(EXPECTED_PATHWAYS);
  });
});

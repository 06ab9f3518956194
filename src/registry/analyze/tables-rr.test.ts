/**
 * Issue 13, item 5: Tables 3.x give every RR a GP-cluster-robust (CR1) interval and say how many GPs
 * carry each level. Hand-made indicator_patterns rows: four GPs, residence central or rural, every
 * other characteristic the same, every indicator the same counts.
 *
 *   GP   central (n, with care)   rural (n, with care)
 *   1    10, 2                    5, 3
 *   2    10, 5                    5, 0
 *   3    20, 5                    -
 *   4    -                        10, 5
 *
 * Central 12 of 40 (0.3), rural 8 of 20 (0.4): RR 4/3, crude = adjusted (nothing else varies).
 * CR1 variance of log RR, worked out in stats/glm.test.ts (the same four GPs):
 *   Σ_g (r_g1/8 - r_g0/12)² · G/(G-1) · (N-1)/(N-p) = 138/576 · 4/3 · 59/58,
 * with r the GPs' excess events (central -1, 2, -1, 0; rural 1, -2, 0, 1), and the interval uses
 * t with G - 1 = 3 df (R: qt(0.975, 3) = 3.182446305283708).
 * GPs: rural at GPs 1, 2, 4 with 5, 5, 10 episodes, effectively 20²/150 = 2.7 → 3; central at GPs
 * 1-3 with 10, 10, 20, effectively 40²/600 = 2.7 → 3; all: 15, 15, 20, 10, 60²/950 = 3.8 → 4.
 */
import { describe, expect, it } from 'vitest';
import { makeParams, resolveParams } from '../engine/params.js';
import type { Row } from '../engine/protocol.js';
import { buildTables } from './tables.js';

const p = resolveParams(makeParams({}), { firstDate: '2010-01-04', lastDate: '2013-12-30' });

function row(gp: number | null, centrality: string, n: number, y: number): Row {
  return {
    gp_cluster: gp,
    sex: 'F',
    age_group: '30-39',
    edu_group: 'medium',
    immigrant: 'norway_or_other',
    centrality_group: centrality,
    index_year: 2011,
    n,
    age_sum: 35 * n,
    censored: 0,
    ...Object.fromEntries(
      ['tt', 'long', 'ad', 'ref', 'sl'].flatMap((k) => [
        [`${k}_events`, y],
        [`${k}_count`, 2 * y],
      ])
    ),
    ad_denom: n,
    sl_denom: n,
    none3_events: n - y,
    none5_events: n - y,
  };
}

const PATTERNS: Row[] = [
  row(1, 'central', 10, 2),
  row(1, 'rural', 5, 3),
  row(2, 'central', 10, 5),
  row(2, 'rural', 5, 0),
  row(3, 'central', 20, 5),
  row(4, 'rural', 10, 5),
];

const WORK: Row[] = ['central', 'rural'].map((centrality) => ({
  sex: 'F',
  age_group: '30-39',
  edu_group: 'medium',
  immigrant: 'norway_or_other',
  centrality_group: centrality,
  index_year: 2011,
  n: 20,
  with_days: 10,
  days_sum: 300,
  graded_sum: 250,
  rtw6_at_risk: 10,
  rtw6: 5,
  rtw12_at_risk: 10,
  rtw12: 5,
}));

describe('Tables 3.x: GP-cluster-robust relative risks', () => {
  const tables = buildTables(PATTERNS, WORK, p).tables;
  const table = tables.find((t) => t.id === 'table3_tt')!;
  const col = (key: string) => table.columns.findIndex((c) => c.key === key);
  const level = (label: string) => table.rows.find((r) => String(r[1]).startsWith(label))!;

  it('keeps the adjusted RR in column 9, where the forest plot (run.ts) reads it', () => {
    expect(col('adj_rr')).toBe(9);
    expect(table.columns.map((c) => c.key).slice(12)).toEqual(['gps', 'gps_effective', 'published_pct']);
  });

  it('gives the RR with the CR1 interval worked out by hand', () => {
    const rural = level('Rural');
    const se = Math.sqrt((138 / 576) * (4 / 3) * (59 / 58));
    const t3 = 3.182446305283708;
    for (const prefix of ['crude', 'adj']) {
      expect(rural[col(`${prefix}_rr`)]).toBeCloseTo(4 / 3, 10);
      expect(rural[col(`${prefix}_lo`)]).toBeCloseTo((4 / 3) * Math.exp(-t3 * se), 10);
      expect(rural[col(`${prefix}_hi`)]).toBeCloseTo((4 / 3) * Math.exp(t3 * se), 10);
    }
    // The HC0 interval would have been exp(±1.96·√(2/15)) around 4/3: 0.65-2.73; CR1 gives 0.45-3.94.
    expect(rural[col('adj_lo')] as number).toBeLessThan(0.46);
    expect(rural[col('adj_hi')] as number).toBeGreaterThan(3.9);
  });

  it('says how many GPs carry each level, and their effective number in whole GPs', () => {
    expect([level('Rural')[col('gps')], level('Rural')[col('gps_effective')]]).toEqual([3, 3]);
    expect([level('Central')[col('gps')], level('Central')[col('gps_effective')]]).toEqual([3, 3]);
    expect([table.rows[0]![col('gps')], table.rows[0]![col('gps_effective')]]).toEqual([4, 4]);
    // Sick leave has its own denominator, with the same GPs here.
    const sl = tables.find((t) => t.id === 'table3_sl')!;
    expect(sl.rows.find((r) => String(r[1]).startsWith('Rural'))![col('gps')]).toBe(3);
  });

  it('flags levels on fewer than 20 GPs in effect: the contrast and its reference, not a lone level', () => {
    const note = table.notes.find((n) => n.startsWith('Few GPs'))!;
    expect(note).toContain('Centrality (residence): Central (1-2) (3; 3 GPs)');
    expect(note).toContain('Centrality (residence): Rural (5-6) (3; 3 GPs)');
    // Sex has one level (women, the reference): no RR, so nothing to flag.
    expect(note).not.toContain('Women');
  });

  it('hides the GP counts with a suppressed level', () => {
    const small = [...PATTERNS, row(5, 'intermediate', 3, 1)];
    const t = buildTables(small, WORK, p).tables.find((x) => x.id === 'table3_tt')!;
    const mid = t.rows.find((r) => String(r[1]).startsWith('Intermediate'))!;
    expect(mid[2]).toBeNull(); // the denominator, 3
    expect([mid[col('gps')], mid[col('gps_effective')]]).toEqual([null, null]);
  });

  it('an episode without a GP is a cluster of its own and is not counted as a GP', () => {
    // Five more central episodes (one with care) without a GP: five clusters of one, G = 9, N = 65.
    // Central is now 13 of 45 (μ0 = 13/45), RR = 0.4/μ0 = 18/13. The GPs' excess central events are
    // r_g0 = 2 - 10μ0, 5 - 10μ0, 5 - 20μ0, 0 (rural as before); each episode without a GP adds
    // ((y - μ0)/13)²: one (1 - μ0)² and four μ0². CR1 factor 9/8 · 64/63, t(8) = 2.306004135204166.
    const withNone = [...PATTERNS, row(null, 'central', 5, 1)];
    const t = buildTables(withNone, WORK, p).tables.find((x) => x.id === 'table3_tt')!;
    const central = t.rows.find((r) => String(r[1]).startsWith('Central'))!;
    expect(central[col('gps')]).toBe(3);
    const m0 = 13 / 45;
    const r0 = [2 - 10 * m0, 5 - 10 * m0, 5 - 20 * m0, 0];
    const r1 = [1, -2, 0, 1];
    const meat =
      r0.reduce((s, r, g) => s + (r1[g]! / 8 - r / 13) ** 2, 0) + ((1 - m0) ** 2 + 4 * m0 ** 2) / 13 ** 2;
    const se = Math.sqrt(meat * (9 / 8) * (64 / 63));
    const rural = t.rows.find((r) => String(r[1]).startsWith('Rural'))!;
    expect(rural[col('adj_rr')]).toBeCloseTo(18 / 13, 10);
    expect(rural[col('adj_hi')]).toBeCloseTo((18 / 13) * Math.exp(2.306004135204166 * se), 10);
  });
});

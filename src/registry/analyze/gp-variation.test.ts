/**
 * Table 6 and the funnel plots are one method (issue 13, item 3): on made-up GPs with expected
 * counts (a case-mix model's), Table 6's φ, τ and number of GPs outside 99.8 % are the funnel
 * plot's, and that number is also what an independent count against the exact binomial limits of
 * each GP's standardised share gives.
 */
import { describe, expect, it } from 'vitest';
import type { GpModelResult } from '../engine/gp-model-types.js';
import { exactBinomialLimits } from '../stats/funnel.js';
import { gpVariationTable } from './gp-variation.js';
import { funnelPlots, indicatorFunnels } from './run.js';

/** A small deterministic generator (mulberry32), so the GPs are the same in every run. */
function random(seed: number): () => number {
  let a = seed;
  return () => {
    a = (a + 0x6d2b79f5) | 0;
    let t = Math.imul(a ^ (a >>> 15), 1 | a);
    t = (t + Math.imul(t ^ (t >>> 7), 61 | t)) ^ t;
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

/** GPs with 3-150 patients, case-mix expected shares around `share`, and a GP effect of spread `sd`. */
function gps(seed: number, count: number, share: number, sd: number) {
  const rnd = random(seed);
  return Array.from({ length: count }, () => {
    const n = 3 + Math.floor(rnd() * 148);
    const expectedShare = Math.min(0.95, Math.max(0.05, share + (rnd() - 0.5) * 0.2));
    const gpShare = Math.min(0.99, Math.max(0.01, expectedShare + (rnd() - 0.5) * 2 * sd));
    let observed = 0;
    for (let i = 0; i < n; i++) if (rnd() < gpShare) observed++;
    return { n, observed, expected: n * expectedShare };
  });
}

const result = (key: string, units: GpModelResult['funnelUnits']): GpModelResult => ({
  key,
  patients: 0,
  events: 0,
  gps: units.length,
  nullModel: null,
  adjusted: null,
  pcv: null,
  funnelUnits: units,
  error: null,
  ms: 0,
});

const INDICATORS = [
  { key: 'tt', label: 'Talking therapy' },
  { key: 'long', label: 'Long consultation' },
  { key: 'ad', label: 'Antidepressant' },
  { key: 'none3', label: 'None of three' },
];

describe('Table 6 uses the funnel plots’ method', () => {
  const results = [
    result('tt', gps(1, 80, 0.55, 0.25)),
    result('long', gps(2, 60, 0.66, 0.15)),
    result('ad', gps(3, 50, 0.33, 0.05)),
  ];
  const funnels = indicatorFunnels(results, INDICATORS);
  const table = gpVariationTable(funnels);
  const plots = funnelPlots(funnels);
  const col = (key: string) => table.columns.findIndex((c) => c.key === key);

  it('has one row per indicator with a funnel ("none" is not care a GP gives)', () => {
    expect(table.rows.map((r) => r[0])).toEqual(['Talking therapy', 'Long consultation', 'Antidepressant']);
    expect(plots.map((p) => p.key)).toEqual(['tt', 'long', 'ad']);
  });

  it('GPs outside 99.8 %, φ and τ in Table 6 are those of the funnel plot, for every indicator', () => {
    for (const plot of plots) {
      const row = table.rows.find((r) => r[0] === plot.label)!;
      const s = plot.data.summary;
      expect(row[col('outside_n')]).toBe(s.outside.exact998.above + s.outside.exact998.below);
      expect(row[col('gps')]).toBe(s.gps);
      expect(row[col('phi')]).toBe(s.phi);
      expect(row[col('tau')]).toBe(s.tau);
      expect(row[col('percent')]).toBeCloseTo(100 * s.p0, 12);
    }
  });

  it('and that count is the GPs whose standardised share lies outside the exact 99.8 % limits', () => {
    for (const r of results) {
      const units = r.funnelUnits;
      const p0 = units.reduce((s, u) => s + u.observed, 0) / units.reduce((s, u) => s + u.n, 0);
      // Worked out here without stats/funnel's analysis: value = p0·O/E against Bin(n, p0) limits.
      const outside = units.filter((u) => {
        const value = u.expected === 0 ? p0 : (p0 * u.observed) / u.expected;
        const { lower, upper } = exactBinomialLimits(u.n, p0, 0.998);
        return value < lower || value > upper;
      }).length;
      const row = table.rows.find((x) => x[0] === INDICATORS.find((i) => i.key === r.key)!.label)!;
      expect(row[col('outside_n')]).toBe(outside);
      expect(row[col('outside_pct')]).toBeCloseTo((100 * outside) / units.length, 12);
    }
    // The made-up GP effects are large for talking therapy: some GPs must be flagged.
    expect(table.rows[0]![col('outside_n')]).toBeGreaterThan(0);
  });

  it('leaves an indicator out of both when too few GPs or a small total', () => {
    const few = indicatorFunnels([result('tt', gps(4, 4, 0.5, 0.1))], INDICATORS.slice(0, 1));
    expect(few[0]!.analysis).toBeNull();
    expect(
      gpVariationTable(few)
        .rows[0]!.slice(1)
        .every((v) => v === null)
    ).toBe(true);
    expect(funnelPlots(few)).toEqual([]);
  });
});

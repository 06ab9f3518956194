/**
 * The per-indicator GP models as the worker runs them: on aggregated rows (GP × pattern counts),
 * on one thread or shared between threads with the same results, with summaries only (no GP
 * number in the funnel units), a numeric GP characteristic (list size) with its IOR-80, the
 * three-level model where a request names the municipality, and a clear reason when there are too
 * few GPs or municipalities.
 */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import type { Row } from './protocol.js';
import { categorical, numeric, simulateGlmmData } from '../stats/glmm/simulate.js';
import {
  MIN_GPS,
  MIN_MUNICIPALITIES,
  countedGroups,
  fitGpModels,
  fitGpModelsInParallel,
  poolSeparatedLevels,
  variesAmongCounted,
  type GpModelRequest,
  type ThreeLevelSummary,
} from './gp-models.js';

/** Two outcomes for the same patients, aggregated per GP, sex, rural flag and list size. */
function aggregatedRows(groups: number, municipalities = 12): Row[] {
  const spec = (seed: number, variance: number) => ({
    seed,
    groups,
    clusterSize: { min: 20, max: 60 },
    intercept: -0.7,
    variance,
    upper: { groups: municipalities, variance: 0.3, name: 'gp_municipality' },
    covariates: [
      numeric('gp_list500', 'group', { mean: 0, sd: 0.5, effect: -0.2, decimals: 1 }),
      categorical('sex', 'patient', [
        ['F', 0.6, 0],
        ['M', 0.4, -0.3],
      ]),
      categorical('gp_rural', 'group', [
        ['no', 0.7, 0],
        ['yes', 0.3, 0.4],
      ]),
    ],
  });
  const a = simulateGlmmData(spec(1, 0.5)).table.columns;
  const b = simulateGlmmData(spec(1, 0.5)).table.columns; // same persons: a second outcome below
  const cells = new Map<string, Row>();
  a.gp!.forEach((gp, i) => {
    const key = `${String(gp)}|${String(a.sex![i])}`;
    const row = cells.get(key) ?? {
      gp: String(gp),
      gp_municipality: String(a.gp_municipality![i]),
      gp_list500: Number(a.gp_list500![i]),
      sex: String(a.sex![i]),
      gp_rural: String(a.gp_rural![i]),
      n: 0,
      y1: 0,
      y2: 0,
    };
    row.n = Number(row.n) + 1;
    row.y1 = Number(row.y1) + Number(a.outcome![i]);
    row.y2 = Number(row.y2) + (Number(b.outcome![i]) === 1 && i % 2 === 0 ? 1 : 0);
    cells.set(key, row);
  });
  return [...cells.values()];
}

const requests: GpModelRequest[] = ['y1', 'y2'].map((events) => ({
  key: events,
  events,
  trials: 'n',
  patientCovariates: ['sex'],
  gpCovariates: ['gp_rural', 'gp_list500'],
  group: 'gp',
  ...(events === 'y1' ? { upperGroup: 'gp_municipality' } : {}),
}));

describe('GP models in the worker', () => {
  const rows = aggregatedRows(60);

  it('fits null and adjusted models with PCV, IOR and funnel units without GP numbers', () => {
    const [first] = fitGpModels(rows, requests);
    expect(first!.error).toBeNull();
    expect(first!.gps).toBe(60);
    const adjusted = first!.adjusted!;
    // Planted σ² = 0.5 (coverage over many data sets is glmm/recovery.test.ts's job).
    expect(adjusted.variance.estimate).toBeGreaterThan(0.2);
    expect(adjusted.variance.estimate).toBeLessThan(1);
    expect(adjusted.variance.lower).toBeLessThan(adjusted.variance.estimate);
    expect(adjusted.variance.upper).toBeGreaterThan(adjusted.variance.estimate);
    // Every GP characteristic has its IOR-80, the numeric one (per unit) too.
    expect(adjusted.ior80.map((i) => i.name)).toEqual(['gp_ruralyes', 'gp_list500']);
    const list = adjusted.fixedEffects.find((f) => f.name === 'gp_list500')!;
    expect(list.oddsRatio).toBeLessThan(1);
    // Fewer than WALD_FROM_GPS GPs: the interval for σ² is the profile-likelihood one.
    expect(adjusted.intervalMethod).toBe('profile likelihood');
    expect(first!.pcv).toBeCloseTo(
      (first!.nullModel!.variance.estimate - adjusted.variance.estimate) /
        first!.nullModel!.variance.estimate,
      10
    );
    expect(first!.funnelUnits).toHaveLength(60);
    expect(first!.funnelUnits.reduce((s, u) => s + u.n, 0)).toBe(first!.patients);
    expect(Object.keys(first!.funnelUnits[0]!).sort()).toEqual(['expected', 'n', 'observed']);
    // The case-mix model's expectations add up to the events (a logistic model with an intercept).
    const expected = first!.funnelUnits.reduce((s, u) => s + u.expected, 0);
    expect(expected).toBeCloseTo(first!.events, 6);
  });

  it('fits the three-level model where the request names the municipality', () => {
    const [first, second] = fitGpModels(rows, requests);
    expect(second!.threeLevel).toBeUndefined();
    const three = first!.threeLevel as ThreeLevelSummary;
    expect(three.municipalities).toBe(12);
    expect(three.method).toBe('Laplace');
    // Planted σ²_m = 0.3 over 12 municipalities: wide, but above zero and holding it.
    expect(three.municipalityVariance.lower).toBeLessThan(0.3);
    expect(three.municipalityVariance.upper).toBeGreaterThan(0.3);
    expect(three.municipalityVariance.method).toBe('profile likelihood');
    expect(three.share.estimate).toBeCloseTo(
      three.municipalityVariance.estimate / (three.municipalityVariance.estimate + three.gpVariance.estimate),
      10
    );
    // The GP variance of the two-level model is split between the levels.
    expect(three.gpVariance.estimate).toBeLessThan(first!.adjusted!.variance.estimate);
    expect(three.lrt.pValue).toBeLessThan(0.05);
    expect(three.fixedEffects.map((f) => f.name)).toEqual(first!.adjusted!.fixedEffects.map((f) => f.name));
    const [few] = fitGpModels(aggregatedRows(60, MIN_MUNICIPALITIES - 1), requests);
    expect(few!.threeLevel).toEqual({
      error: `${MIN_MUNICIPALITIES - 1} municipalities; a between-municipality variance needs at least ${MIN_MUNICIPALITIES}`,
    });
    expect(few!.adjusted).not.toBeNull();
  });

  it('gives the same results on two threads as on one', async () => {
    const one = fitGpModels(rows, requests);
    const two = await fitGpModelsInParallel(rows, requests, 2);
    expect(two.map((r) => r.key)).toEqual(['y1', 'y2']);
    two.forEach((r, i) => {
      expect(r.adjusted!.variance).toEqual(one[i]!.adjusted!.variance);
      expect(r.funnelUnits).toEqual(one[i]!.funnelUnits);
    });
  }, 30_000);

  it(`reports why when there are fewer than ${MIN_GPS} GPs`, () => {
    const [result] = fitGpModels(aggregatedRows(MIN_GPS - 1, 3), requests);
    expect(result!.adjusted).toBeNull();
    expect(result!.error).toBe(`${MIN_GPS - 1} GPs; a between-GP variance needs at least ${MIN_GPS}`);
  });
});

describe('the checks before each model', () => {
  // The plain definitions these one-pass versions replaced (nationally they cost a second of the
  // models' time): the same answers on any column, mixed types, rows without persons included.
  const counted = (values: readonly unknown[], trials: readonly unknown[]) =>
    values.filter((_, i) => Number(trials[i]) > 0);
  const cell = fc.oneof(fc.constantFrom('a', 'b', '1', 'missing'), fc.constantFrom(1, 2), fc.constant(null));
  const table = fc
    .integer({ min: 0, max: 40 })
    .chain((n) =>
      fc.record({
        x: fc.array(cell, { minLength: n, maxLength: n }),
        g: fc.array(fc.constantFrom('1', 1, 'g2', 3), { minLength: n, maxLength: n }),
        n: fc.array(fc.integer({ min: 0, max: 4 }), { minLength: n, maxLength: n }),
        k: fc.array(fc.integer({ min: 0, max: 4 }), { minLength: n, maxLength: n }),
      })
    )
    .map(({ x, g, n, k }) => ({ x, g, n, y: k.map((v, i) => Math.min(v, n[i]!)) }));

  it('a column varies when it has two values (as text) among rows with persons', () => {
    fc.assert(
      fc.property(table, ({ x, n }) => {
        expect(variesAmongCounted(x, n)).toBe(new Set(counted(x, n).map(String)).size > 1);
      })
    );
    // The design codes the text: 1 and '1' are one level; a row without persons does not count.
    expect(variesAmongCounted(['1', 1, 'x'], [1, 2, 0])).toBe(false);
    expect(variesAmongCounted(['1', 1, 'x'], [1, 2, 1])).toBe(true);
  });

  it('counts the groups with persons', () => {
    fc.assert(
      fc.property(table, ({ g, n }) => {
        expect(countedGroups(g, n)).toBe(new Set(counted(g, n).map(String)).size);
      })
    );
    expect(countedGroups(['1', 1, 'g2', 3], [1, 1, 1, 0])).toBe(2);
  });

  it('pools a level where all or none had the outcome into the largest level', () => {
    const naive = (x: readonly unknown[], n: readonly number[], y: readonly number[]) => {
      const byLevel = new Map<string, { n: number; y: number }>();
      x.forEach((v, i) => {
        if (!(n[i]! > 0)) return;
        const c = byLevel.get(String(v)) ?? { n: 0, y: 0 };
        c.n += n[i]!;
        c.y += y[i]!;
        byLevel.set(String(v), c);
      });
      const largest = [...byLevel.entries()].sort((a, b) => b[1].n - a[1].n)[0]?.[0];
      const pool = new Set(
        [...byLevel.entries()].filter(([l, c]) => l !== largest && (c.y === 0 || c.y === c.n)).map(([l]) => l)
      );
      return pool.size ? x.map((v) => (pool.has(String(v)) ? largest : v)) : x;
    };
    fc.assert(
      fc.property(table, ({ x, n, y }) => {
        const { table: pooled, notes } = poolSeparatedLevels(
          { columns: { x, n, y } },
          { events: 'y', trials: 'n' },
          ['x']
        );
        const expected = naive(x, n, y);
        expect(pooled.columns.x).toEqual(expected);
        expect(notes.length > 0).toBe(expected !== x);
      })
    );
    // A worked case: 'rare' (2 persons, none with the outcome) joins 'common'.
    const { table: t, notes } = poolSeparatedLevels(
      { columns: { x: ['common', 'rare', 'other'], n: [10, 2, 5], y: [4, 0, 2] } },
      { events: 'y', trials: 'n' },
      ['x']
    );
    expect(t.columns.x).toEqual(['common', 'common', 'other']);
    expect(notes).toEqual(['x rare (2 persons, none with the outcome) with common']);
  });
});

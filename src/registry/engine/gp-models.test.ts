/**
 * The per-indicator GP models as the worker runs them: on aggregated rows (GP × pattern counts),
 * on one thread or shared between threads with the same results, with summaries only (no GP
 * number in the funnel units), and a clear reason when there are too few GPs.
 */
import { describe, expect, it } from 'vitest';
import type { Row } from './protocol.js';
import { categorical, simulateGlmmData } from '../stats/glmm/simulate.js';
import { MIN_GPS, fitGpModels, fitGpModelsInParallel, type GpModelRequest } from './gp-models.js';

/** Two outcomes for the same patients, aggregated per GP, sex and rural flag. */
function aggregatedRows(groups: number): Row[] {
  const spec = (seed: number, variance: number) => ({
    seed,
    groups,
    clusterSize: { min: 20, max: 60 },
    intercept: -0.7,
    variance,
    covariates: [
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
  gpCovariates: ['gp_rural'],
  group: 'gp',
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
    expect(adjusted.ior80.map((i) => i.name)).toEqual(['gp_ruralyes']);
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
    const [result] = fitGpModels(aggregatedRows(MIN_GPS - 1), requests);
    expect(result!.adjusted).toBeNull();
    expect(result!.error).toBe(`${MIN_GPS - 1} GPs; a between-GP variance needs at least ${MIN_GPS}`);
  });
});

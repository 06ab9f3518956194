/**
 * Recovery: on data generated from the model, the 95 % intervals should hold the planted values
 * in about 95 % of repeated simulations. With R repetitions the coverage estimate has a binomial
 * standard error of √(0.95·0.05/R) (1.8 points at R = 150); the bounds below are about ±2.5 SE,
 * so a correct method fails this test by chance about once in a hundred seeds, and this seed is
 * fixed.
 */
import { describe, expect, it } from 'vitest';
import { buildDesign } from './design.js';
import { fitGlmm } from './fit.js';
import { categorical, numeric, simulateGlmmData, type SimulationSpec } from './simulate.js';

const REPETITIONS = 150;

const spec = (seed: number): SimulationSpec => ({
  seed,
  groups: 60,
  clusterSize: { min: 10, max: 40 },
  intercept: -0.8,
  variance: 0.5,
  covariates: [
    categorical('sex', 'patient', [
      ['F', 0.6, 0],
      ['M', 0.4, -0.4],
    ]),
    numeric('age10', 'patient', { mean: 0, sd: 1, effect: 0.25 }),
    categorical('centrality', 'group', [
      ['central', 0.6, 0],
      ['rural', 0.4, 0.5],
    ]),
  ],
});

describe('recovery of planted GP variance and effects', () => {
  it(`covers the planted values in about 95 % of ${REPETITIONS} simulations`, () => {
    const covered: Record<string, number> = {};
    let varianceCovered = 0;
    let modesCovered = 0;
    let modesTotal = 0;
    let varianceSum = 0;
    for (let rep = 0; rep < REPETITIONS; rep++) {
      const { table, truth } = simulateGlmmData(spec(1000 + rep));
      const design = buildDesign(table, {
        outcome: 'outcome',
        group: 'gp',
        fixed: ['sex', 'age10', 'centrality'],
      });
      const fit = fitGlmm(design, { nAGQ: 1 });
      for (const f of fit.fixedEffects) {
        const planted = truth.coefficients[f.name]!;
        const lo = Math.log(f.oddsRatioLower);
        const hi = Math.log(f.oddsRatioUpper);
        covered[f.name] = (covered[f.name] ?? 0) + (planted >= lo && planted <= hi ? 1 : 0);
      }
      if (truth.variance >= fit.gpVariance.lower && truth.variance <= fit.gpVariance.upper) varianceCovered++;
      varianceSum += fit.gpVariance.estimate;
      for (const m of fit.conditionalModes) {
        const u = truth.groupEffects[m.group]!;
        modesTotal++;
        if (u >= m.lower && u <= m.upper) modesCovered++;
      }
    }
    const share = (k: number) => k / REPETITIONS;
    expect(Object.keys(covered).sort()).toEqual(['(Intercept)', 'age10', 'centralityrural', 'sexM']);
    for (const [name, k] of Object.entries(covered)) {
      expect(share(k), name).toBeGreaterThanOrEqual(0.9);
      expect(share(k), name).toBeLessThanOrEqual(0.99);
    }
    expect(share(varianceCovered)).toBeGreaterThanOrEqual(0.9);
    expect(share(varianceCovered)).toBeLessThanOrEqual(0.99);
    // The variance estimate is close to unbiased here (ML underestimates slightly with 60 groups).
    expect(varianceSum / REPETITIONS).toBeGreaterThan(0.4);
    expect(varianceSum / REPETITIONS).toBeLessThan(0.55);
    // Conditional-mode intervals are Bayesian: they cover the planted effects on average over GPs,
    // a little below nominal because they take β and σ as known (93 % with this seed).
    expect(modesCovered / modesTotal).toBeGreaterThanOrEqual(0.92);
    expect(modesCovered / modesTotal).toBeLessThanOrEqual(0.97);
    console.log(
      `coverage: ${Object.entries(covered)
        .map(([k, v]) => `${k} ${(100 * share(v)).toFixed(1)} %`)
        .join(
          ', '
        )}, GP variance ${(100 * share(varianceCovered)).toFixed(1)} %, GP effects ${((100 * modesCovered) / modesTotal).toFixed(1)} %, mean σ² ${(varianceSum / REPETITIONS).toFixed(3)}`
    );
  }, 120_000);
});

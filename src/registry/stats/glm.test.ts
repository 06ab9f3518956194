import { describe, expect, it } from 'vitest';
import { Z95, fitCategorical, fitPoissonRR, type Pattern } from './glm.js';

describe('Poisson GLM with robust errors (relative risks)', () => {
  it('one binary covariate: RR is the ratio of proportions, the robust SE the closed form', () => {
    // Exposed: 30 of 120; unexposed: 45 of 300.
    const rows: Pattern[] = [
      { x: [1, 0], n: 300, y: 45 },
      { x: [1, 1], n: 120, y: 30 },
    ];
    const fit = fitPoissonRR(rows);
    const p1 = 30 / 120;
    const p0 = 45 / 300;
    expect(fit.converged).toBe(true);
    expect(Math.exp(fit.beta[1]!)).toBeCloseTo(p1 / p0, 10);
    expect(Math.exp(fit.beta[0]!)).toBeCloseTo(p0, 10);
    const se = Math.sqrt((1 - p1) / (120 * p1) + (1 - p0) / (300 * p0));
    expect(fit.se[1]).toBeCloseTo(se, 10);
    // The CI is exp(log RR ± 1.96 SE).
    expect(Math.exp(fit.beta[1]! - Z95 * fit.se[1]!)).toBeCloseTo((p1 / p0) * Math.exp(-Z95 * se), 10);
    // Model-based Poisson SE is larger than the robust one for a common binary outcome.
    expect(fit.seModel[1]!).toBeGreaterThan(fit.se[1]!);
    expect(fit.seModel[1]).toBeCloseTo(Math.sqrt(1 / 30 + 1 / 45), 10);
  });

  it('aggregated patterns give the same estimates and robust errors as the person-level fit', () => {
    const patterns: Pattern[] = [
      { x: [1, 0, 0], n: 7, y: 2 },
      { x: [1, 1, 0], n: 9, y: 5 },
      { x: [1, 0, 1], n: 6, y: 1 },
      { x: [1, 1, 1], n: 8, y: 6 },
    ];
    const persons: Pattern[] = patterns.flatMap((p) =>
      Array.from({ length: p.n }, (_, i) => ({ x: p.x, n: 1, y: i < p.y ? 1 : 0 }))
    );
    const a = fitPoissonRR(patterns);
    const b = fitPoissonRR(persons);
    a.beta.forEach((v, i) => expect(v).toBeCloseTo(b.beta[i]!, 9));
    a.se.forEach((v, i) => expect(v).toBeCloseTo(b.se[i]!, 9));
  });

  it('recovers multiplicative risks exactly when the data follow them', () => {
    // risk = 0.2 × 1.5 (b) × 0.5 (c), expected counts in large cells.
    const rows: Pattern[] = [];
    for (const b of [0, 1])
      for (const c of [0, 1]) {
        const risk = 0.2 * (b ? 1.5 : 1) * (c ? 0.5 : 1);
        rows.push({ x: [1, b, c], n: 10_000, y: risk * 10_000 });
      }
    const fit = fitPoissonRR(rows);
    expect(Math.exp(fit.beta[1]!)).toBeCloseTo(1.5, 10);
    expect(Math.exp(fit.beta[2]!)).toBeCloseTo(0.5, 10);
  });

  it('categorical covariates: one-way fit gives each level its proportion ratio; a level without events is not estimable', () => {
    const rows = [
      { values: { g: 'a' }, n: 100, y: 20 },
      { values: { g: 'b' }, n: 50, y: 15 },
      { values: { g: 'c' }, n: 40, y: 4 },
      { values: { g: 'd' }, n: 10, y: 0 },
    ];
    const est = fitCategorical(rows, ['g'], { g: 'a' });
    const by = Object.fromEntries(est.map((e) => [e.level, e]));
    expect(by.a!.reference).toBe(true);
    expect(by.b!.rr!.rr).toBeCloseTo(0.3 / 0.2, 9);
    expect(by.c!.rr!.rr).toBeCloseTo(0.1 / 0.2, 9);
    expect(by.d!.rr).toBeNull();
  });

  it('falls back to the largest level when the requested reference has no events', () => {
    const rows = [
      { values: { g: 'a' }, n: 10, y: 0 },
      { values: { g: 'b' }, n: 50, y: 15 },
      { values: { g: 'c' }, n: 40, y: 4 },
    ];
    const est = fitCategorical(rows, ['g'], { g: 'a' });
    expect(est.find((e) => e.reference)?.level).toBe('b');
  });
});

import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import {
  Z95,
  codeColumns,
  fitCategorical,
  fitCoded,
  fitPoissonRR,
  poolCoded,
  studentTQuantile,
  sumCells,
  type Pattern,
} from './glm.js';

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

/**
 * Four GPs (clusters), one binary covariate d (say, rural residence):
 *
 *   GP   d = 0 (n, y)   d = 1 (n, y)
 *   1    10, 2          5, 3
 *   2    10, 5          5, 0
 *   3    20, 5          -
 *   4    -              10, 5
 *
 * d = 0: N0 = 40, Y0 = 12, μ0 = 0.3; d = 1: N1 = 20, Y1 = 8, μ1 = 0.4; RR = 4/3.
 * The model is saturated, so A = [[Y0 + Y1, Y1], [Y1, Y1]] and A⁻¹ = [[1/Y0, -1/Y0], [-1/Y0, 1/Y0 + 1/Y1]].
 * A GP's score is u_g = (r_g0 + r_g1, r_g1) with r_gd = y_gd - n_gd μ_d, the GP's excess events:
 *   r_g0 = -1, 2, -1, 0 and r_g1 = 1, -2, 0, 1 (each sums to 0).
 * Row 2 of A⁻¹ times u_g is c_g = r_g1/Y1 - r_g0/Y0 = 5/24, -10/24, 2/24, 3/24, so
 *   CR0 Var(log RR) = Σ c_g² = (25 + 100 + 4 + 9)/576 = 138/576,
 *   CR0 Var(log μ0) = Σ (r_g0/Y0)² = (1 + 4 + 1 + 0)/144 = 6/144,
 * and CR1 multiplies by G/(G-1) · (N-1)/(N-p) = 4/3 · 59/58 = 118/87.
 * HC0 is the closed form (1-μ1)/(N1 μ1) + (1-μ0)/(N0 μ0) = 0.6/8 + 0.7/12 = 2/15.
 * The 95 % CI uses t with G - 1 = 3 df: 3.182446305283708.
 */
const FOUR_GPS: Pattern[] = [
  { x: [1, 0], n: 10, y: 2, cluster: 1 },
  { x: [1, 1], n: 5, y: 3, cluster: 1 },
  { x: [1, 0], n: 10, y: 5, cluster: 2 },
  { x: [1, 1], n: 5, y: 0, cluster: 2 },
  { x: [1, 0], n: 20, y: 5, cluster: 3 },
  { x: [1, 1], n: 10, y: 5, cluster: 4 },
];

describe('cluster-robust (CR1) errors, clustered by GP', () => {
  it('matches the variance worked out by hand for four GPs and one binary covariate', () => {
    const fit = fitPoissonRR(FOUR_GPS, { vce: 'CR1' });
    expect(fit.vce).toBe('CR1');
    expect(Math.exp(fit.beta[1]!)).toBeCloseTo(4 / 3, 10);
    expect(Math.exp(fit.beta[0]!)).toBeCloseTo(0.3, 10);
    expect(fit.clusters).toBe(4);
    expect(fit.persons).toBe(60);
    expect(fit.se[1]! ** 2).toBeCloseTo((138 / 576) * (118 / 87), 12);
    expect(fit.se[0]! ** 2).toBeCloseTo((6 / 144) * (118 / 87), 12);
    expect(fit.seHc0[1]! ** 2).toBeCloseTo(2 / 15, 12);
    // Patients of a GP are alike: the clustered SE is 1.56 times the HC0 one here.
    expect(fit.se[1]! / fit.seHc0[1]!).toBeCloseTo(Math.sqrt(((138 / 576) * (118 / 87)) / (2 / 15)), 12);
    expect(fit.df).toBe(3);
    expect(fit.crit95).toBeCloseTo(3.182446305283708, 12);
  });

  it('intercept only: Var(log risk) = G/(G-1) · Σ_g (y_g - n_g ȳ)² / Y², with three GPs', () => {
    // GPs: 3 of 4, 1 of 4, 1 of 2. N = 10, Y = 5, ȳ = 0.5; excess events 1, -1, 0; A = N ȳ = 5.
    // CR0 = (1 + 1 + 0)/25 = 0.08; p = 1 so (N-1)/(N-p) = 1 and CR1 = 0.08 · 3/2 = 0.12.
    // HC0 = Σ persons (y - ȳ)² / 25 = 10 · 0.25 / 25 = 0.1.
    const fit = fitPoissonRR(
      [
        { x: [1], n: 4, y: 3, cluster: 7 },
        { x: [1], n: 4, y: 1, cluster: 8 },
        { x: [1], n: 2, y: 1, cluster: 9 },
      ],
      { vce: 'CR1' }
    );
    expect(fit.se[0]! ** 2).toBeCloseTo(0.12, 12);
    expect(fit.seHc0[0]! ** 2).toBeCloseTo(0.1, 12);
    // t with 2 df has the closed form t = (2p - 1)/√(2p(1 - p)).
    expect(fit.crit95).toBeCloseTo(0.95 / Math.sqrt(2 * 0.975 * 0.025), 12);
  });

  it('one person per cluster: CR0 is HC0, so CR1 is HC0 · N/(N-p) (HC1)', () => {
    const patterns: Pattern[] = [
      { x: [1, 0, 0], n: 7, y: 2 },
      { x: [1, 1, 0], n: 9, y: 5 },
      { x: [1, 0, 1], n: 6, y: 1 },
      { x: [1, 1, 1], n: 8, y: 6 },
    ];
    let id = 0;
    const persons: Pattern[] = patterns.flatMap((p) =>
      Array.from({ length: p.n }, (_, i) => ({ x: p.x, n: 1, y: i < p.y ? 1 : 0, cluster: id++ }))
    );
    const hc0 = fitPoissonRR(patterns);
    const cr1 = fitPoissonRR(persons, { vce: 'CR1' });
    // Without cluster keys every person is a cluster of one: the same, from the patterns.
    const singles = fitPoissonRR(patterns, { vce: 'CR1' });
    const n = 30;
    const p = 3;
    expect(cr1.clusters).toBe(n);
    expect(singles.clusters).toBe(n);
    // G/(G-1) · (N-1)/(N-p) with G = N is N/(N-p).
    hc0.se.forEach((v, i) => {
      expect(cr1.se[i]).toBeCloseTo(v * Math.sqrt(n / (n - p)), 12);
      expect(singles.se[i]).toBeCloseTo(v * Math.sqrt(n / (n - p)), 12);
      expect(cr1.seHc0[i]).toBeCloseTo(v, 12);
    });
    expect(cr1.beta[1]).toBeCloseTo(hc0.beta[1]!, 10);
  });

  it('needs two clusters', () => {
    expect(() =>
      fitPoissonRR(
        [
          { x: [1, 0], n: 10, y: 2, cluster: 1 },
          { x: [1, 1], n: 10, y: 5, cluster: 1 },
        ],
        { vce: 'CR1' }
      )
    ).toThrow(/two clusters/);
  });

  it('the clustered SE does not depend on how a cluster’s patterns are split into rows (property)', () => {
    const cell = fc.record({
      cluster: fc.integer({ min: 0, max: 5 }),
      d: fc.integer({ min: 0, max: 1 }),
      e: fc.integer({ min: 0, max: 2 }),
      n: fc.integer({ min: 1, max: 30 }),
      events: fc.integer({ min: 0, max: 30 }),
      cut: fc.integer({ min: 0, max: 30 }),
    });
    fc.assert(
      fc.property(fc.array(cell, { minLength: 8, maxLength: 30 }), (cells) => {
        const rows: Pattern[] = cells.map((c) => ({
          x: [1, c.d, c.e === 1 ? 1 : 0, c.e === 2 ? 1 : 0],
          n: c.n,
          y: c.events % (c.n + 1),
          cluster: c.cluster,
        }));
        // Every pattern needs persons and the outcome must vary for a fit; skip degenerate draws.
        let whole;
        try {
          whole = fitPoissonRR(rows, { vce: 'CR1' });
        } catch {
          return true;
        }
        if (!whole.converged || whole.beta.some((b) => Math.abs(b) > 5)) return true;
        // Split each row in two (same cluster, same covariates) and shuffle the order.
        const split: Pattern[] = rows.flatMap((r, i) => {
          const n1 = cells[i]!.cut % (r.n + 1);
          const y1 = Math.round((r.y * n1) / r.n); // within [max(0, y - (n - n1)), min(y, n1)]
          return [
            { ...r, n: r.n - n1, y: r.y - y1 },
            { ...r, n: n1, y: y1 },
          ];
        });
        split.reverse();
        const parts = fitPoissonRR(split, { vce: 'CR1' });
        expect(parts.clusters).toBe(whole.clusters);
        // Compared as variances: where the clusters leave a coefficient no variance (two clusters
        // whose scores cancel), the SE is the square root of rounding noise, ~1e-7, either way.
        const close = (a: number, b: number) =>
          expect(Math.abs(a * a - b * b)).toBeLessThan(1e-10 * (1 + b * b));
        whole.se.forEach((v, j) => close(parts.se[j]!, v));
        // Relabelling the clusters changes nothing either.
        const relabelled = fitPoissonRR(
          rows.map((r) => ({ ...r, cluster: 100 - r.cluster! })),
          { vce: 'CR1' }
        );
        whole.se.forEach((v, j) => close(relabelled.se[j]!, v));
      }),
      { numRuns: 150 }
    );
  });

  it('fitCategorical: CR1 intervals with t(G-1), and the GPs that carry each level', () => {
    const rows = FOUR_GPS.map((r) => ({
      values: { rural: r.x[1] ? 'yes' : 'no' },
      n: r.n,
      y: r.y,
      cluster: r.cluster,
    }));
    const est = fitCategorical(rows, ['rural'], { rural: 'no' }, { vce: 'CR1' });
    const yes = est.find((e) => e.level === 'yes')!;
    const no = est.find((e) => e.level === 'no')!;
    const se = Math.sqrt((138 / 576) * (118 / 87));
    const t3 = 3.182446305283708;
    expect(yes.logSe).toBeCloseTo(se, 12);
    expect(yes.rr!.rr).toBeCloseTo(4 / 3, 10);
    expect(yes.rr!.lo).toBeCloseTo((4 / 3) * Math.exp(-t3 * se), 10);
    expect(yes.rr!.hi).toBeCloseTo((4 / 3) * Math.exp(t3 * se), 10);
    // Rural patients at GPs 1, 2 and 4 (5, 5 and 10 of them): 3 GPs, effectively 20²/150 = 2.67.
    expect(yes.clusters).toBe(3);
    expect(yes.effectiveClusters).toBeCloseTo(400 / 150, 12);
    // The rest at GPs 1-3 (10, 10, 20): 40²/600 = 2.67.
    expect(no.clusters).toBe(3);
    expect(no.effectiveClusters).toBeCloseTo(1600 / 600, 12);
    expect(no.logSe).toBe(0);
    // HC0 (the default) keeps the normal 1.96.
    const hc0 = fitCategorical(rows, ['rural'], { rural: 'no' }).find((e) => e.level === 'yes')!;
    expect(hc0.logSe).toBeCloseTo(Math.sqrt(2 / 15), 12);
    expect(hc0.rr!.hi).toBeCloseTo((4 / 3) * Math.exp(Z95 * Math.sqrt(2 / 15)), 10);
  });
});

describe('crude fits on rows pooled by cluster and level (poolCoded)', () => {
  it('give the same RRs, intervals and GP counts as on the (cluster, pattern) rows (property)', () => {
    // Rows as indicator_patterns has them: a cluster (or none), two covariates, persons and
    // events; some rows without persons (a denominator that leaves them out).
    const row = fc.record({
      cluster: fc.option(fc.integer({ min: 0, max: 6 }), { nil: null }),
      a: fc.constantFrom('F', 'M'),
      b: fc.constantFrom('low', 'medium', 'high', 'missing'),
      n: fc.integer({ min: 0, max: 25 }),
      events: fc.integer({ min: 0, max: 25 }),
    });
    let compared = 0;
    fc.assert(
      fc.property(fc.array(row, { minLength: 10, maxLength: 60 }), (rows) => {
        const coded = codeColumns(
          rows.length,
          [rows.map((r) => r.a), rows.map((r) => r.b)],
          ['a', 'b'],
          (i) => rows[i]!.cluster
        );
        const n = Float64Array.from(rows, (r) => r.n);
        const y = Float64Array.from(rows, (r) => r.events % (r.n + 1));
        const refs = { a: 'F', b: 'low' };
        for (const cov of ['a', 'b']) {
          const direct = fitCoded(coded, n, y, [cov], refs, { vce: 'CR1' });
          const { coded: cells, cellOf } = poolCoded(coded, cov);
          // At most one cell per cluster (or none) and level.
          expect(cells.rows).toBeLessThanOrEqual(8 * coded.levels[coded.covariates.indexOf(cov)]!.length);
          const pooled = fitCoded(
            cells,
            sumCells(cellOf, cells.rows, n),
            sumCells(cellOf, cells.rows, y),
            [cov],
            refs,
            {
              vce: 'CR1',
            }
          );
          expect(pooled.map((e) => [e.level, e.reference, e.clusters, e.rr === null])).toEqual(
            direct.map((e) => [e.level, e.reference, e.clusters, e.rr === null])
          );
          pooled.forEach((e, k) => {
            const d = direct[k]!;
            expect(e.effectiveClusters).toBeCloseTo(d.effectiveClusters, 12);
            if (e.rr && d.rr) {
              compared++;
              expect(Math.abs(e.rr.rr - d.rr.rr)).toBeLessThanOrEqual(1e-12 * d.rr.rr);
              // Errors compared as variances (as in the property above): where the clusters leave
              // a level no variance, the SE is the square root of rounding noise either way.
              expect(Math.abs(e.logSe! ** 2 - d.logSe! ** 2)).toBeLessThan(1e-12 * (1 + d.logSe! ** 2));
            }
          });
        }
        return true;
      }),
      { numRuns: 200 }
    );
    // Most draws give estimable RRs (the comparison is not vacuous).
    expect(compared).toBeGreaterThan(200);
  });
});

describe("Student's t quantile", () => {
  it.each([
    // R: sprintf("%.15f", qt(0.975, df))
    [1, 12.706204736174694],
    [2, 4.302652729749462],
    [3, 3.182446305283708],
    [4, 2.776445105197793],
    [10, 2.228138851986274],
    [50, 2.008559112100761],
    [1000, 1.962339080826408],
    [1001, 1.962336705280879],
    [4799, 1.960458433276116],
  ])('t(0.975, %i) = %f', (df, t) => {
    expect(studentTQuantile(0.975, df)).toBeCloseTo(t, 9);
  });

  it('is symmetric and tends to the normal', () => {
    expect(studentTQuantile(0.025, 7)).toBeCloseTo(-studentTQuantile(0.975, 7), 12);
    expect(studentTQuantile(0.975, 1_000_000)).toBeCloseTo(Z95, 5);
    // df = 1 is the Cauchy: tan(π (p - 1/2)).
    expect(studentTQuantile(0.9, 1)).toBeCloseTo(Math.tan(Math.PI * 0.4), 10);
  });
});

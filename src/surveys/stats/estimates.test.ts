import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import {
  crossTable,
  estimateShares,
  linearisedVariance,
  wilsonInterval,
  type Observation,
} from './estimates.js';

/**
 * Ten respondents, one of whom did not answer (the fifth). Reference values from R 4.2.2 with the
 * survey package 4.1-1 (Debian r-cran-survey):
 *
 *   d <- data.frame(w = c(1.5, 2.0, 0.5, 3.0, 1.0, 2.5, 1.0, 0.8, 1.2, 2.5),
 *     y = c("often","never","often","sometimes",NA,"often","never","sometimes","often","never"),
 *     h = c("a","a","a","a","a","b","b","b","b","b"), sex = c("F","M","F","F","M","M","F","M","F","M"))
 *   sub <- subset(svydesign(ids = ~1, weights = ~w, data = d), !is.na(y))
 *   svymean(~factor(y), sub)
 *     never 0.3666666667 (SE 0.1882805017), often 0.38 (0.1850398956), sometimes 0.2533333333 (0.1825793069)
 *   confint: often 0.017328468925-0.7426715311; never −0.002356335681-0.7356896690 (clipped here to 0)
 *   with strata = ~h: SEs never 0.1979069491, often 0.1937826962, sometimes 0.1848196452
 *   svyby(~factor(y), ~sex, sub, svymean):
 *     F: never 0.1388888889 (0.1457507514), often 0.4444444444 (0.2615375271), sometimes 0.4166666667 (0.2898657987)
 *     M: never 0.5769230769 (0.2745691935), often 0.3205128205 (0.2704272588), sometimes 0.1025641026 (0.1121760587)
 */
const w = [1.5, 2.0, 0.5, 3.0, 1.0, 2.5, 1.0, 0.8, 1.2, 2.5];
const y = ['often', 'never', 'often', 'sometimes', null, 'often', 'never', 'sometimes', 'often', 'never'];
const h = ['a', 'a', 'a', 'a', 'a', 'b', 'b', 'b', 'b', 'b'];
const sex = ['F', 'M', 'F', 'F', 'M', 'M', 'F', 'M', 'F', 'M'];
const obs: Observation[] = w.map((weight, i) => ({ weight, value: y[i]! }));
const categories = ['never', 'sometimes', 'often'];

describe('weighted shares by linearisation', () => {
  it('matches a hand computation and R survey::svymean', () => {
    const r = estimateShares(obs, categories);
    const often = r.shares.find((s) => s.code === 'often')!;
    // By hand: X̂ = Σw over the nine who answered = 15.0; Ŷ_often = 1.5 + 0.5 + 2.5 + 1.2 = 5.7;
    // R̂ = 0.38. z_i = w_i (y_i − 0.38 a_i) / 15: 0.062, −0.050667, 0.020667, −0.076, 0 (no
    // answer), 0.103333, −0.025333, −0.020267, 0.0496, −0.063333 (sum 0); Σz² = 0.030816;
    // V̂ = 10/9 · 0.030816 = 0.034240, SE = 0.18504.
    expect(r.answered).toBe(9);
    expect(r.weightedAnswered).toBeCloseTo(15, 12);
    expect(often.weighted.estimate).toBeCloseTo(0.38, 12);
    expect(often.weighted.se).toBeCloseTo(0.18504, 5);
    expect(often.weighted.se).toBeCloseTo(0.1850398956, 9);
    expect(often.weighted.lower).toBeCloseTo(0.017328468925, 9);
    expect(often.weighted.upper).toBeCloseTo(0.7426715311, 9);
    const never = r.shares.find((s) => s.code === 'never')!;
    expect(never.weighted.estimate).toBeCloseTo(0.3666666667, 9);
    expect(never.weighted.se).toBeCloseTo(0.1882805017, 9);
    expect(never.weighted.lower).toBe(0); // R: −0.0024, clipped
    expect(r.shares.find((s) => s.code === 'sometimes')!.weighted.se).toBeCloseTo(0.1825793069, 9);
    // Unweighted: 4 of 9 said often; Wilson (R prop.test(4, 9, correct = FALSE)): 0.1887785-0.7333487.
    expect(often.n).toBe(4);
    expect(often.unweighted.estimate).toBeCloseTo(4 / 9, 12);
    expect(often.unweighted.lower).toBeCloseTo(0.1887785211, 9);
    expect(often.unweighted.upper).toBeCloseTo(0.7333487065, 9);
  });

  it('stratified: matches svydesign(strata = ~h)', () => {
    const r = estimateShares(
      obs.map((o, i) => ({ ...o, stratum: h[i]! })),
      categories
    );
    const se = Object.fromEntries(r.shares.map((s) => [s.code, s.weighted.se]));
    expect(se.never).toBeCloseTo(0.1979069491, 9);
    expect(se.often).toBeCloseTo(0.1937826962, 9);
    expect(se.sometimes).toBeCloseTo(0.1848196452, 9);
  });

  it('cross-table by a frame attribute: domains match svyby', () => {
    const cells = crossTable(
      obs.map((o, i) => ({ ...o, byValue: sex[i]! })),
      categories,
      ['F', 'M']
    );
    const get = (level: string, code: string) =>
      cells.find((c) => c.level === level)!.shares.find((s) => s.code === code)!.weighted;
    expect(get('F', 'never').estimate).toBeCloseTo(0.1388888889, 9);
    expect(get('F', 'often').se).toBeCloseTo(0.2615375271, 9);
    expect(get('F', 'sometimes').se).toBeCloseTo(0.2898657987, 9);
    expect(get('M', 'never').estimate).toBeCloseTo(0.5769230769, 9);
    expect(get('M', 'never').se).toBeCloseTo(0.2745691935, 9);
    expect(get('M', 'sometimes').se).toBeCloseTo(0.1121760587, 9);
    // The man who did not answer is in neither cell's count.
    expect(cells.map((c) => c.answered)).toEqual([5, 4]);
  });

  it('a category nobody chose has share 0; unknown answers are refused', () => {
    const r = estimateShares(obs, [...categories, 'always']);
    const always = r.shares.find((s) => s.code === 'always')!;
    expect(always.weighted).toMatchObject({ estimate: 0, se: 0, lower: 0, upper: 0 });
    // Wilson for 0 of 9 keeps a positive upper bound.
    expect(always.unweighted.upper).toBeGreaterThan(0.25);
    expect(() => estimateShares(obs, ['never', 'often'])).toThrow(/"sometimes" is not one of never, often/);
  });

  it('Wilson interval: R prop.test(0, 7, correct = FALSE) gives 0-0.3543304', () => {
    const ci = wilsonInterval(0, 7);
    expect(ci.lower).toBe(0);
    expect(ci.upper).toBeCloseTo(0.3543304351, 9);
  });

  it('equal weights give the unweighted share and the with-replacement variance', () => {
    // All weights 2: R̂ = k/n and V̂ = p(1 − p)/(n − 1) (Σ(z − z̄)² = p(1 − p)/n with z = (y − p)/n).
    const r = estimateShares(
      ['a', 'a', 'b', 'a', 'b'].map((value) => ({ weight: 2, value })),
      ['a', 'b']
    );
    const a = r.shares[0]!;
    expect(a.weighted.estimate).toBeCloseTo(0.6, 12);
    expect(a.weighted.se).toBeCloseTo(Math.sqrt((0.6 * 0.4) / 4), 12);
  });
});

describe('properties', () => {
  const observation = fc.record({
    weight: fc.double({ min: 0.1, max: 10, noNaN: true }),
    value: fc.constantFrom<string | null>('a', 'b', 'c', null),
  });
  it('shares sum to one, intervals hold the estimate, scaling the weights changes nothing', () => {
    fc.assert(
      fc.property(
        fc.array(observation, { minLength: 2, maxLength: 60 }),
        fc.double({ min: 0.5, max: 20, noNaN: true }),
        (o, k) => {
          fc.pre(o.some((x) => x.value !== null));
          const r = estimateShares(o, ['a', 'b', 'c']);
          const sum = r.shares.reduce((s, x) => s + x.weighted.estimate, 0);
          expect(sum).toBeCloseTo(1, 9);
          for (const s of r.shares) {
            expect(s.weighted.lower).toBeLessThanOrEqual(s.weighted.estimate + 1e-12);
            expect(s.weighted.upper).toBeGreaterThanOrEqual(s.weighted.estimate - 1e-12);
            expect(s.unweighted.lower).toBeLessThanOrEqual(s.unweighted.estimate + 1e-12);
            expect(s.unweighted.upper).toBeGreaterThanOrEqual(s.unweighted.estimate - 1e-12);
          }
          const scaled = estimateShares(
            o.map((x) => ({ ...x, weight: x.weight * k })),
            ['a', 'b', 'c']
          );
          scaled.shares.forEach((s, i) => {
            expect(s.weighted.estimate).toBeCloseTo(r.shares[i]!.weighted.estimate, 9);
            expect(s.weighted.se).toBeCloseTo(r.shares[i]!.weighted.se, 9);
          });
        }
      ),
      { numRuns: 200 }
    );
  });

  it('the variance of influence values that are all equal is zero', () => {
    expect(linearisedVariance([0.1, 0.1, 0.1])).toBeCloseTo(0, 20);
    // Two strata of (1, 3): each n/(n − 1)·Σ(z − z̄)² = 2·2 = 4, total 8.
    expect(linearisedVariance([1, 3, 1, 3], ['a', 'a', 'b', 'b'])).toBeCloseTo(8, 12);
  });
});

/**
 * The mixed model against lme4::glmer (fixtures/fit-lme4.R, reference numbers in
 * fixtures/lme4-reference.json), plus the quadrature rule, the summary measures and the errors
 * for data that cannot be fitted.
 */
import { readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { beforeAll, describe, expect, it } from 'vitest';
import { readColumns } from '../../import/read-table.js';
import { buildDesign, DesignError, type ColumnTable } from './design.js';
import { fitGlmm, FitError } from './fit.js';
import { gaussHermite } from './gauss-hermite.js';
import { MarginalLikelihood } from './likelihood.js';
import { icc, intervalOddsRatio, medianOddsRatio, proportionalChangeInVariance } from './measures.js';
import { VALIDATION_DATASETS } from './fixtures/datasets.js';
import { simulateGlmmData } from './simulate.js';

const fixtures = join(dirname(fileURLToPath(import.meta.url)), 'fixtures');

interface Lme4Fit {
  names: string[];
  fixef: number[];
  se: number[];
  seDevfun: number[];
  theta: number;
  variance: number;
  logLik: number;
  modesGroups: string[];
  modes: number[];
  modesSd: number[];
}
const reference = JSON.parse(readFileSync(join(fixtures, 'lme4-reference.json'), 'utf8')) as Record<
  string,
  Record<'nAGQ1' | 'nAGQ25', Lme4Fit>
>;

describe('Gauss-Hermite rule', () => {
  it('reproduces lme4 GHrule(5)', () => {
    const { nodes, weights } = gaussHermite(5);
    expect(Array.from(nodes)).toEqual([
      expect.closeTo(-2.85697, 5),
      expect.closeTo(-1.355626, 6),
      0,
      expect.closeTo(1.355626, 6),
      expect.closeTo(2.85697, 5),
    ]);
    expect(weights[0]).toBeCloseTo(0.01125741, 8);
    expect(weights[1]).toBeCloseTo(0.22207592, 8);
    expect(weights[2]).toBeCloseTo(0.53333333, 8);
  });

  it.each([1, 2, 7, 25, 60])('integrates normal moments exactly with %i points', (k) => {
    const { nodes, weights } = gaussHermite(k);
    const moment = (power: number) => nodes.reduce((s, z, q) => s + weights[q]! * z ** power, 0);
    expect(moment(0)).toBeCloseTo(1, 12);
    // E z^(2j) = (2j − 1)!!, exact up to degree 2k − 1.
    const doubleFactorial = [1, 1, 3, 15, 105, 945];
    for (let j = 1; 2 * j <= 2 * k - 1 && j < doubleFactorial.length; j++)
      expect(moment(2 * j) / doubleFactorial[j]!).toBeCloseTo(1, 10);
    expect(moment(1)).toBeCloseTo(0, 12);
  });

  it('refuses an impossible number of points', () => {
    expect(() => gaussHermite(0)).toThrow(/from 1 to 100/);
    expect(() => gaussHermite(2.5)).toThrow(/integer/);
  });
});

describe.each(VALIDATION_DATASETS)('agreement with lme4::glmer: $id ($description)', (ds) => {
  let table: ColumnTable;
  beforeAll(async () => {
    table = await readColumns(join(fixtures, `${ds.id}.csv`), ['outcome', 'gp', ...ds.fixed]);
  });

  it.each([1, 25] as const)('nAGQ = %i', (nAGQ) => {
    const ref = reference[ds.id]![`nAGQ${nAGQ}`];
    const design = buildDesign(table, { outcome: 'outcome', group: 'gp', fixed: ds.fixed });
    const fit = fitGlmm(design, { nAGQ });
    expect(fit.converged).toBe(true);
    expect(fit.fixedEffects.map((f) => f.name)).toEqual(ref.names);
    fit.fixedEffects.forEach((f, m) => {
      // Acceptance: 1e-3 absolute for estimates, 1e-3 relative for standard errors.
      expect(Math.abs(f.estimate - ref.fixef[m]!), f.name).toBeLessThan(1e-5);
      expect(Math.abs(f.se / ref.se[m]! - 1), `${f.name} SE vs vcov()`).toBeLessThan(1e-3);
      // seDevfun is itself a finite difference (step 1e-3), good to about 1e-4.
      expect(Math.abs(f.se / ref.seDevfun[m]! - 1), `${f.name} SE vs deviance Hessian`).toBeLessThan(2e-4);
    });
    expect(Math.abs(fit.gpVariance.estimate - ref.variance)).toBeLessThan(1e-5);
    expect(Math.abs(fit.logLik - ref.logLik)).toBeLessThan(1e-5);
    ref.modesGroups.forEach((group, i) => {
      const mode = fit.conditionalModes.find((m) => m.group === group)!;
      expect(Math.abs(mode.mode - ref.modes[i]!), group).toBeLessThan(1e-4);
      expect(Math.abs(mode.se - ref.modesSd[i]!), group).toBeLessThan(1e-4);
    });
  });
});

describe('the likelihood', () => {
  const { table } = simulateGlmmData({
    seed: 5,
    groups: 12,
    clusterSize: { min: 3, max: 9 },
    intercept: -0.5,
    variance: 0.8,
    covariates: [{ name: 'x', level: 'patient', kind: 'numeric', mean: 0, sd: 1, effect: 0.5 }],
  });
  const design = buildDesign(table, { outcome: 'outcome', group: 'gp', fixed: ['x'] });

  it.each([1, 3, 10])('has an exact gradient (nAGQ = %i)', (k) => {
    const lik = new MarginalLikelihood(design, k);
    for (const params of [
      [-0.3, 0.4, 0.9],
      [0.2, -0.1, -1.3],
      [0, 0, 0.05],
    ]) {
      const { gradient } = lik.evaluate(params);
      params.forEach((_, i) => {
        const up = [...params];
        const down = [...params];
        up[i]! += 1e-6;
        down[i]! -= 1e-6;
        const numeric = (lik.evaluate(up).logLik - lik.evaluate(down).logLik) / 2e-6;
        expect(gradient[i]).toBeCloseTo(numeric, 5);
      });
    }
  });

  it('AGHQ converges to the exact integral as points are added', () => {
    const params = [-0.3, 0.4, 1.2];
    const ll = (k: number) => new MarginalLikelihood(design, k).evaluate(params).logLik;
    expect(Math.abs(ll(50) - ll(25))).toBeLessThan(1e-9);
    expect(Math.abs(ll(1) - ll(50))).toBeGreaterThan(1e-4); // Laplace is an approximation
  });

  it('is symmetric in θ and equals the logistic GLM at θ = 0', () => {
    const lik = new MarginalLikelihood(design, 5);
    expect(lik.evaluate([-0.3, 0.4, 0.7]).logLik).toBeCloseTo(lik.evaluate([-0.3, 0.4, -0.7]).logLik, 10);
    const glm = Array.from({ length: design.trials.length }, (_, r) => {
      const eta = -0.3 + 0.4 * design.x[r * 2 + 1]!;
      return design.events[r]! * eta - design.trials[r]! * Math.log1p(Math.exp(eta));
    }).reduce((a, b) => a + b, 0);
    expect(lik.evaluate([-0.3, 0.4, 0]).logLik).toBeCloseTo(glm, 10);
  });
});

const sexCovariate = {
  name: 'sex',
  level: 'patient' as const,
  kind: 'categorical' as const,
  levels: [
    { value: 'F', prob: 0.6, effect: 0 },
    { value: 'M', prob: 0.4, effect: 0.3 },
  ],
};

describe('design', () => {
  const base = {
    outcome: [1, 0, 0, 1, 0, 1, 0, 0],
    gp: ['b', 'a', 'a', 'b', 'c', 'c', 'a', 'b'],
    age_group: ['30-49', '18-29', '50+', '18-29', '30-49', '50+', '30-49', '18-29'],
    score: [1.5, 2, 3, 0.5, 1, 2, 2.5, 1],
  };
  it('codes categories as R does and pools identical rows', () => {
    const d = buildDesign(
      { columns: { ...base, age_group: ['x', 'x', 'y', 'x', 'y', 'y', 'x', 'x'] } },
      { outcome: 'outcome', group: 'gp', fixed: ['age_group'] }
    );
    expect(d.names).toEqual(['(Intercept)', 'age_groupy']);
    expect(d.groupLabels).toEqual(['a', 'b', 'c']);
    // a: x×2 (0,0), y×1; b: x×3 (1,0,1); c: y×2 → 4 pooled rows for 8 persons.
    expect(d.trials.length).toBe(4);
    expect(Array.from(d.trials)).toEqual([2, 1, 3, 2]);
    expect(Array.from(d.events)).toEqual([0, 0, 2, 1]);
  });

  it('names dummies column + level, first sorted level as reference', () => {
    const d = buildDesign(
      { columns: base },
      { outcome: 'outcome', group: 'gp', fixed: ['age_group', 'score'] }
    );
    expect(d.names).toEqual(['(Intercept)', 'age_group30-49', 'age_group50+', 'score']);
    expect(d.levels.age_group).toEqual(['18-29', '30-49', '50+']);
  });

  it('takes a chosen reference level first, as R relevel() does, and codes numbers as factors on request', () => {
    const columns = {
      ...base,
      age_group: ['18-29', '30-49', '50+', '18-29', '30-49', '50+', '30-49', '18-29'],
      grade: [2, 10, 1, 1, 2, 10, 10, 2],
    };
    const d = buildDesign(
      { columns },
      {
        outcome: 'outcome',
        group: 'gp',
        fixed: ['age_group', 'grade'],
        factors: ['grade'],
        reference: { age_group: '50+' },
      }
    );
    expect(d.levels.age_group).toEqual(['50+', '18-29', '30-49']);
    // Levels that are all numbers sort by value (1, 2, 10), not by code point (1, 10, 2).
    expect(d.levels.grade).toEqual(['1', '2', '10']);
    expect(d.names).toEqual(['(Intercept)', 'age_group18-29', 'age_group30-49', 'grade2', 'grade10']);
    // Another reference is the same model: same likelihood, the coefficients re-expressed.
    const usual = buildDesign(
      { columns },
      { outcome: 'outcome', group: 'gp', fixed: ['age_group', 'grade'], factors: ['grade'] }
    );
    // η = b0 + b1[30-49] + b2[50+] = (b0 + b2) − b2[18-29] + (b1 − b2)[30-49].
    const [b0, b1, b2, g2, g10, theta] = [-0.2, 0.3, -0.5, 0.1, 0.4, 0.7];
    const ll = (design: typeof d, params: number[]) =>
      new MarginalLikelihood(design, 1).evaluate(params).logLik;
    expect(ll(d, [b0 + b2, -b2, b1 - b2, g2, g10, theta])).toBeCloseTo(
      ll(usual, [b0, b1, b2, g2, g10, theta]),
      10
    );
  });

  it('refuses a reference level that does not exist, naming the factor and its levels', () => {
    const design = (reference: Record<string, string>, fixed = ['age_group', 'score']) =>
      buildDesign({ columns: base }, { outcome: 'outcome', group: 'gp', fixed, reference });
    expect(() => design({ age_group: '40-49' })).toThrow(
      new DesignError(
        'Reference level "40-49" of "age_group" does not occur in the data; its levels are "18-29", "30-49", "50+"',
        'age_group'
      )
    );
    expect(() => design({ score: '1' })).toThrow(
      /"score" is numeric and enters as it is, so it has no reference level/
    );
    expect(() => design({ sex: 'F' })).toThrow(
      /"sex" is named as a factor or given a reference level but is not a fixed effect/
    );
  });

  it('flags covariates that are constant within every group (GP-level)', () => {
    const d = buildDesign(
      { columns: { ...base, rural: base.gp.map((g) => (g === 'c' ? 'yes' : 'no')) } },
      { outcome: 'outcome', group: 'gp', fixed: ['score', 'rural'] }
    );
    expect(d.terms.map((t) => [t.name, t.groupLevel])).toEqual([
      ['(Intercept)', true],
      ['score', false],
      ['ruralyes', true],
    ]);
  });

  const refuse = (columns: ColumnTable['columns'], fixed: string[], pattern: RegExp) =>
    expect(() => buildDesign({ columns }, { outcome: 'outcome', group: 'gp', fixed })).toThrow(pattern);

  it('refuses data that cannot be fitted, naming the column and the cause', () => {
    refuse({ ...base, outcome: base.outcome.map(() => 0) }, [], /Outcome "outcome" is 0 for every person/);
    refuse({ ...base, gp: base.gp.map(() => 'a') }, [], /Group "gp" has a single value/);
    refuse(
      { ...base, score: [1, 2, null, 4, 5, 6, 7, 8] },
      ['score'],
      /"score" has missing values in 1 row \(first: row 3\)/
    );
    refuse({ ...base, outcome: [1, 0, 2, 1, 0, 1, 0, 0] }, [], /must be 0 or 1; 1 row \(first: row 3\)/);
    refuse({ ...base, dup: base.score.map((s) => 2 * s) }, ['score', 'dup'], /"dup" is a linear combination/);
    refuse({ ...base, k: base.score.map(() => 7) }, ['k'], /"k" has the same value \(7\) in every row/);
    refuse(base, ['nope'], /Column "nope" is not in the data/);
    expect(() =>
      buildDesign({ columns: base }, { outcome: 'outcome', group: 'gp', fixed: ['score'] })
    ).not.toThrow();
  });

  it('accepts aggregated rows (events of n persons) and fits them exactly as person rows', () => {
    const { table } = simulateGlmmData({
      seed: 9,
      groups: 15,
      clusterSize: { min: 4, max: 12 },
      intercept: -0.4,
      variance: 0.5,
      covariates: [sexCovariate],
    });
    const counts = new Map<string, { gp: string; sex: string; n: number; y: number }>();
    table.columns.gp!.forEach((gp, i) => {
      const key = `${String(gp)}|${String(table.columns.sex![i])}`;
      const c = counts.get(key) ?? { gp: String(gp), sex: String(table.columns.sex![i]), n: 0, y: 0 };
      c.n++;
      c.y += Number(table.columns.outcome![i]);
      counts.set(key, c);
    });
    const rows = [...counts.values()];
    const aggregated = buildDesign(
      {
        columns: {
          gp: [...rows.map((r) => r.gp), 'empty'],
          sex: [...rows.map((r) => r.sex), 'F'],
          n: [...rows.map((r) => r.n), 0],
          y: [...rows.map((r) => r.y), 0],
        },
      },
      { outcome: 'y', trials: 'n', group: 'gp', fixed: ['sex'] }
    );
    const persons = buildDesign(table, { outcome: 'outcome', group: 'gp', fixed: ['sex'] });
    expect(aggregated.persons).toBe(persons.persons);
    expect(aggregated.groupLabels).toEqual(persons.groupLabels); // the row of 0 persons is skipped
    const a = fitGlmm(aggregated);
    const b = fitGlmm(persons);
    expect(a.fixedEffects[1]!.estimate).toBeCloseTo(b.fixedEffects[1]!.estimate, 8);
    expect(a.logLik).toBeCloseTo(b.logLik, 8);
    expect(() =>
      buildDesign(
        { columns: { gp: ['a', 'b'], n: [3, 2], y: [4, 1] } },
        { outcome: 'y', trials: 'n', group: 'gp', fixed: [] }
      )
    ).toThrow(/must be a whole number from 0 to "n"; 1 row \(first: row 1\)/);
  });

  it('refuses perfect separation instead of returning infinite estimates', () => {
    const { table } = simulateGlmmData({
      seed: 3,
      groups: 20,
      clusterSize: { min: 5, max: 10 },
      intercept: -0.5,
      variance: 0.3,
      covariates: [],
    });
    const outcome = table.columns.outcome!;
    const flag = outcome.map((y, i) => (y === 1 && i % 3 === 0 ? 'yes' : 'no'));
    const design = buildDesign(
      { columns: { ...table.columns, flag } },
      { outcome: 'outcome', group: 'gp', fixed: ['flag'] }
    );
    expect(() => fitGlmm(design)).toThrow(FitError);
    expect(() => fitGlmm(design)).toThrow(/every person with flagyes = 1 has outcome 1/);
  });

  it('refuses separation by a continuous covariate, naming the diverging coefficient', () => {
    const columns = { outcome: [] as number[], gp: [] as string[], score: [] as number[] };
    for (let i = 0; i < 60; i++) {
      const score = (i % 20) - 9.5;
      columns.score.push(score);
      columns.outcome.push(score > 0 ? 1 : 0);
      columns.gp.push(`g${i % 6}`);
    }
    const design = buildDesign({ columns }, { outcome: 'outcome', group: 'gp', fixed: ['score'] });
    expect(() => fitGlmm(design)).toThrow(
      /quasi-complete separation: the fixed effects \(.*score.*\) grow without bound/
    );
  });

  it('uses DesignError with the field', () => {
    // Caught rather than toThrow, to read the field; fails if nothing is thrown.
    let caught: unknown = null;
    try {
      buildDesign({ columns: base }, { outcome: 'outcome', group: 'gp', fixed: ['missing_col'] });
    } catch (error) {
      caught = error;
    }
    expect(caught).toBeInstanceOf(DesignError);
    expect((caught as DesignError).field).toBe('missing_col');
  });
});

describe('summary measures', () => {
  // Conversions from ICC = σ²/(σ² + π²/3) and MOR = exp(√(2σ²)·Φ⁻¹(0.75)) (Larsen & Merlo 2005): ICC 5 % ↔ σ² 0.173 ↔ MOR 1.49, 10 % ↔ 0.366 ↔ 1.78.
  it.each([
    [0.067, 0.02, 1.28],
    [0.173, 0.05, 1.49],
    [0.366, 0.1, 1.78],
    [0.822, 0.2, 2.38],
    [1.41, 0.3, 3.1],
  ])('σ² %f ↔ ICC %f ↔ MOR %f', (variance, expectedIcc, expectedMor) => {
    expect(icc(variance)).toBeCloseTo(expectedIcc, 2);
    expect(medianOddsRatio(variance)).toBeCloseTo(expectedMor, 1);
  });

  it('gives the interval odds ratio and PCV from their definitions', () => {
    const ior = intervalOddsRatio(0.5, 0.2);
    expect(Math.log(ior.lower)).toBeCloseTo(0.5 - 1.2815516 * Math.sqrt(0.4), 6);
    expect(Math.log(ior.upper)).toBeCloseTo(0.5 + 1.2815516 * Math.sqrt(0.4), 6);
    expect(medianOddsRatio(0.2)).toBeCloseTo(Math.exp(Math.sqrt(0.4) * 0.6744898), 6);
    expect(proportionalChangeInVariance(0.4, 0.3)).toBeCloseTo(0.25, 12);
    expect(() => proportionalChangeInVariance(0, 0.1)).toThrow(/no GP variance/);
  });

  it('reports ICC, MOR, IOR and an interval for σ² that holds the estimate', () => {
    const { table } = simulateGlmmData(VALIDATION_DATASETS[2]!.spec);
    const fit = fitGlmm(
      buildDesign(table, { outcome: 'outcome', group: 'gp', fixed: VALIDATION_DATASETS[2]!.fixed })
    );
    const v = fit.gpVariance;
    expect(v.lower).toBeLessThan(v.estimate);
    expect(v.upper).toBeGreaterThan(v.estimate);
    expect(fit.icc.estimate).toBeCloseTo(icc(v.estimate), 12);
    expect(fit.mor.lower).toBeCloseTo(medianOddsRatio(v.lower), 12);
    expect(fit.ior80.map((i) => i.name)).toEqual(['list_size']);
    const wald = fitGlmm(
      buildDesign(table, { outcome: 'outcome', group: 'gp', fixed: VALIDATION_DATASETS[2]!.fixed }),
      {
        varianceInterval: 'wald',
      }
    );
    expect(wald.gpVariance.method).toBe('Wald on log σ');
    expect(wald.gpVariance.estimate).toBeCloseTo(v.estimate, 8);
  });

  it('reaches a GP variance of zero when the groups do not differ', () => {
    // Every GP has exactly the same share: the ML variance is on the boundary.
    const columns = { outcome: [] as number[], gp: [] as string[] };
    for (let g = 0; g < 30; g++)
      for (let i = 0; i < 10; i++) {
        columns.outcome.push(i < 3 ? 1 : 0);
        columns.gp.push(`g${g}`);
      }
    const fit = fitGlmm(buildDesign({ columns }, { outcome: 'outcome', group: 'gp', fixed: [] }));
    expect(fit.gpVariance.estimate).toBeLessThan(1e-4);
    expect(fit.gpVariance.lower).toBe(0);
    expect(fit.fixedEffects[0]!.estimate).toBeCloseTo(Math.log(0.3 / 0.7), 4);
    expect(Number.isFinite(fit.fixedEffects[0]!.se)).toBe(true);
  });
});

import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import {
  RakingError,
  compareCategory,
  frameTargets,
  rake,
  rakeToFrame,
  weightSummary,
  type RakingUnit,
} from './raking.js';

const unit = (sex: string, region: string, baseWeight?: number): RakingUnit => ({
  attributes: { sex, region },
  ...(baseWeight === undefined ? {} : { baseWeight }),
});

/** A frame with `n` members in each listed cell. */
function frameOf(cells: [sex: string, region: string, n: number][]) {
  return cells.flatMap(([sex, region, n]) =>
    Array.from({ length: n }, () => ({ attributes: { sex, region } }))
  );
}

describe('raking (iterative proportional fitting)', () => {
  it('reproduces a hand-worked 2×2 example', () => {
    // Respondents: M-A 2, M-B 1, F-A 1, F-B 2. Frame margins: sex M 60, F 40; region A 50, B 50.
    // Raking keeps the respondents' cross-product ratio, (t_MA·t_FB)/(t_MB·t_FA) = (2·2)/(1·1) = 4,
    // and meets the margins. With t_MA = x: t_MB = 60 − x, t_FA = 50 − x, t_FB = x − 10, so
    // x(x − 10) = 4(60 − x)(50 − x), i.e. 3x² − 430x + 12000 = 0, x = (430 − √40900)/6 = 37.96042
    // (the other root, 105.4, exceeds 60). Cell totals: MA 37.96042, MB 22.03958, FA 12.03958,
    // FB 27.96042; per respondent: MA 18.98021, MB 22.03958, FA 12.03958, FB 13.98021.
    const units = [
      unit('M', 'A'),
      unit('M', 'A'),
      unit('M', 'B'),
      unit('F', 'A'),
      unit('F', 'B'),
      unit('F', 'B'),
    ];
    const frame = frameOf([
      ['M', 'A', 40],
      ['M', 'B', 20],
      ['F', 'A', 10],
      ['F', 'B', 30],
    ]);
    const result = rakeToFrame(units, frame, { margins: [['sex'], ['region']] });
    const x = (430 - Math.sqrt(40900)) / 6;
    expect(x).toBeCloseTo(37.96042, 5);
    const expected = [x / 2, x / 2, 60 - x, 50 - x, (x - 10) / 2, (x - 10) / 2];
    result.weights.forEach((w, i) => expect(w).toBeCloseTo(expected[i]!, 8));
    expect(result.converged).toBe(true);
    expect(result.maxRelativeDeviation).toBeLessThanOrEqual(1e-10);
    expect(result.iterations).toBeGreaterThan(1);
    // Kish: Σw = 100, Σw² = 2·18.98021² + 22.03958² + 12.03958² + 2·13.98021²
    // = 720.497 + 485.743 + 144.952 + 390.892 = 1742.08; deff = 6 · 1742.08 / 100² = 1.0453,
    // effective n = 6 / 1.0453 = 5.740.
    const sq = expected.reduce((s, w) => s + w * w, 0);
    expect(result.summary.sum).toBeCloseTo(100, 8);
    expect(result.summary.designEffect).toBeCloseTo((6 * sq) / 100 ** 2, 10);
    expect(result.summary.designEffect).toBeCloseTo(1.0453, 4);
    expect(result.summary.effectiveN).toBeCloseTo(5.74, 2);
  });

  it('meets a crossed margin cell by cell and a single margin beside it', () => {
    const units = [
      { attributes: { sex: 'M', age: '<40', region: 'N' } },
      { attributes: { sex: 'M', age: '<40', region: 'S' } },
      { attributes: { sex: 'M', age: '40+', region: 'S' } },
      { attributes: { sex: 'F', age: '<40', region: 'N' } },
      { attributes: { sex: 'F', age: '40+', region: 'N' } },
      { attributes: { sex: 'F', age: '40+', region: 'S' } },
    ];
    const frame = [
      ...Array.from({ length: 30 }, (_, i) => ({
        attributes: { sex: 'M', age: '<40', region: i < 10 ? 'N' : 'S' },
      })),
      ...Array.from({ length: 20 }, () => ({ attributes: { sex: 'M', age: '40+', region: 'S' } })),
      ...Array.from({ length: 15 }, () => ({ attributes: { sex: 'F', age: '<40', region: 'N' } })),
      ...Array.from({ length: 35 }, (_, i) => ({
        attributes: { sex: 'F', age: '40+', region: i < 5 ? 'N' : 'S' },
      })),
    ];
    const margins = [['sex', 'age'], ['region']] as const;
    const result = rakeToFrame(units, frame, { margins });
    for (const target of frameTargets(frame, margins)) {
      for (const [cell, total] of target.totals) {
        const sum = units.reduce(
          (s, u, i) =>
            target.margin.map((a) => u.attributes[a as 'sex']).join('×') === cell
              ? s + result.weights[i]!
              : s,
          0
        );
        expect(sum).toBeCloseTo(total, 8);
      }
    }
  });

  it('names the margin and category of an empty cell, and collapses it when asked', () => {
    // The frame has F×50+; no respondent is a woman of 50+.
    const units = [
      { attributes: { sex: 'F', age: '<40' } },
      { attributes: { sex: 'F', age: '40-49' } },
      { attributes: { sex: 'M', age: '<40' } },
      { attributes: { sex: 'M', age: '50+' } },
    ];
    const frame = [
      ...Array.from({ length: 10 }, () => ({ attributes: { sex: 'F', age: '<40' } })),
      ...Array.from({ length: 20 }, () => ({ attributes: { sex: 'F', age: '40-49' } })),
      ...Array.from({ length: 30 }, () => ({ attributes: { sex: 'F', age: '50+' } })),
      ...Array.from({ length: 15 }, () => ({ attributes: { sex: 'M', age: '<40' } })),
      ...Array.from({ length: 25 }, () => ({ attributes: { sex: 'M', age: '50+' } })),
    ];
    let error: unknown;
    try {
      rakeToFrame(units, frame, { margins: [['sex', 'age']] });
    } catch (e) {
      error = e;
    }
    expect(error).toBeInstanceOf(RakingError);
    expect((error as RakingError).margin).toBe('sex×age');
    expect((error as RakingError).category).toBe('F×50+');
    expect((error as Error).message).toMatch(
      /Margin sex×age: no respondent in category F×50\+ \(the frame has 30\)/
    );
    // Collapsed: F×50+ joins its neighbour F×40-49 (same sex, next age group), so the woman of
    // 40-49 stands for 20 + 30 = 50.
    const result = rakeToFrame(units, frame, { margins: [['sex', 'age']], collapse: true });
    expect(result.collapses).toEqual([{ margin: 'sex×age', from: 'F×50+', into: 'F×40-49' }]);
    expect(result.weights).toEqual([10, 50, 15, 25]);
  });

  it('refuses respondents in a category the frame does not have, and a missing value', () => {
    const frame = frameOf([['M', 'A', 5]]);
    expect(() => rakeToFrame([unit('M', 'B')], frame, { margins: [['region']] })).toThrow(
      /Margin region: 1 respondent in category B, which the frame does not have/
    );
    expect(() => rakeToFrame([{ attributes: { sex: 'M' } }], frame, { margins: [['region']] })).toThrow(
      /Respondent 1 has no value for region/
    );
  });

  it('trims extreme weights, re-rakes, and reports what the margins do not allow', () => {
    // One margin: a single man stands for 50 of 100 (mean weight 100/10 = 10, bound 3 × 10 = 30).
    // Raking gives the weight back to 50 after every trim, so it stays outside and is reported.
    const units = [unit('M', 'A'), ...Array.from({ length: 9 }, () => unit('F', 'A'))];
    const frame = frameOf([
      ['M', 'A', 50],
      ['F', 'A', 50],
    ]);
    const forced = rakeToFrame(units, frame, {
      margins: [['sex']],
      trim: { lower: 0.3, upper: 3, maxRounds: 5 },
    });
    expect(forced.weights[0]).toBeCloseTo(50, 8);
    expect(forced.trim).toMatchObject({ rounds: 5, outside: 1 });
    expect(forced.trim!.maxRatio).toBeCloseTo(5, 8);
  });

  it('trimming brings weights within the bounds when two margins leave room', () => {
    // Frame: 25 in each of M-A, M-B, F-A, F-B. Respondents: M-A 3, M-B 1, F-A 3, F-B 5 (n = 12,
    // mean weight 100/12 = 8.33). Any weights meeting the margins are, for the lone man in B with
    // weight b: M-A (50 − b)/3, F-A b/3, F-B (50 − b)/5. Raking keeps the cross-product ratio
    // 3·5/(1·3) = 5, so (50 − b)²/b² = 5 and b = 50/(1 + √5) = 15.45 = 1.85 × mean. With bounds
    // 0.5-1.6 × mean (4.17-13.33), b must lie in [12.5, 13.33] (F-A = b/3 ≥ 4.17): trimming and
    // re-raking must move it there.
    const units = [
      ...Array.from({ length: 3 }, () => unit('M', 'A')),
      unit('M', 'B'),
      ...Array.from({ length: 3 }, () => unit('F', 'A')),
      ...Array.from({ length: 5 }, () => unit('F', 'B')),
    ];
    const frame = frameOf([
      ['M', 'A', 25],
      ['M', 'B', 25],
      ['F', 'A', 25],
      ['F', 'B', 25],
    ]);
    const margins = [['sex'], ['region']] as const;
    const mean = 100 / 12;
    const plain = rakeToFrame(units, frame, { margins });
    expect(plain.weights[3]).toBeCloseTo(50 / (1 + Math.sqrt(5)), 8);
    const trimmed = rakeToFrame(units, frame, { margins, trim: { lower: 0.5, upper: 1.6, slack: 0.001 } });
    expect(trimmed.trim!.outside).toBe(0);
    expect(trimmed.trim!.rounds).toBeGreaterThan(0);
    expect(trimmed.weights[3]).toBeGreaterThanOrEqual(12.5 * 0.999);
    expect(trimmed.weights[3]).toBeLessThanOrEqual(1.6 * mean * 1.001);
    expect(trimmed.summary.designEffect).toBeLessThan(plain.summary.designEffect);
    // The margins still hold exactly (the last step is a raking).
    const sumWhere = (f: (u: RakingUnit) => boolean) =>
      units.reduce((s, u, i) => (f(u) ? s + trimmed.weights[i]! : s), 0);
    expect(sumWhere((u) => u.attributes.sex === 'M')).toBeCloseTo(50, 8);
    expect(sumWhere((u) => u.attributes.region === 'B')).toBeCloseTo(50, 8);
  });

  it('refuses margins from different frames', () => {
    const targets = [
      { margin: ['sex'], totals: new Map([['M', 10]]) },
      { margin: ['region'], totals: new Map([['A', 12]]) },
    ];
    expect(() => rake([unit('M', 'A')], targets)).toThrow(/must come from one frame/);
  });

  it('Kish design effect: equal weights 1, and 1 + CV² otherwise', () => {
    expect(weightSummary([2, 2, 2, 2]).designEffect).toBe(1);
    // Weights 1, 3: mean 2, variance (1 + 1)/2 = 1, CV² = 1/4; deff = 2·10/16 = 1.25.
    const s = weightSummary([1, 3]);
    expect(s.designEffect).toBeCloseTo(1.25, 12);
    expect(s.cv2).toBeCloseTo(0.25, 12);
    expect(s.effectiveN).toBeCloseTo(1.6, 12);
  });

  it('orders categories naturally', () => {
    expect(['60+', '40-49', '<40', '50-59'].sort(compareCategory)).toEqual(['<40', '40-49', '50-59', '60+']);
  });
});

describe('raking properties', () => {
  const cell = fc.record({
    sex: fc.constantFrom('F', 'M'),
    age: fc.constantFrom('<40', '40-49', '50+'),
    region: fc.constantFrom('N', 'S', 'W'),
  });
  it('weights are positive, every margin is met, and they sum to the frame size', () => {
    fc.assert(
      fc.property(
        fc.array(cell, { minLength: 1, maxLength: 40 }),
        fc.array(fc.integer({ min: 0, max: 3 }), { minLength: 40, maxLength: 40 }),
        fc.array(fc.double({ min: 0.2, max: 5, noNaN: true }), { minLength: 40, maxLength: 40 }),
        (respondents, extra, base) => {
          // The frame holds every respondent's cell (so no cell is empty) plus some more people.
          const frame = respondents.flatMap((r, i) =>
            Array.from({ length: 1 + extra[i]! }, () => ({ attributes: { ...r } }))
          );
          const units = respondents.map((r, i) => ({ attributes: r, baseWeight: base[i]! }));
          const margins = [['sex', 'age'], ['region']] as const;
          const result = rakeToFrame(units, frame, { margins, maxIterations: 2000 });
          expect(result.converged).toBe(true);
          expect(result.weights.every((w) => w > 0)).toBe(true);
          expect(result.summary.sum).toBeCloseTo(frame.length, 6);
          for (const target of frameTargets(frame, margins)) {
            for (const [key, total] of target.totals) {
              const sum = units.reduce(
                (s, u, i) =>
                  target.margin.map((a) => u.attributes[a as 'sex']).join('×') === key
                    ? s + result.weights[i]!
                    : s,
                0
              );
              expect(Math.abs(sum - total) / total).toBeLessThanOrEqual(1e-8);
            }
          }
        }
      ),
      { numRuns: 150 }
    );
  });

  it('with collapsing, weights are finite and sum to the frame size; margins hold when it converges', () => {
    fc.assert(
      fc.property(
        fc.array(cell, { minLength: 1, maxLength: 15 }),
        fc.array(cell, { minLength: 0, maxLength: 30 }),
        (respondents, others) => {
          const frame = [...respondents, ...others].map((a) => ({ attributes: { ...a } }));
          const units = respondents.map((r) => ({ attributes: r }));
          const result = rakeToFrame(units, frame, {
            margins: [['sex', 'age'], ['region']],
            collapse: true,
            maxIterations: 5000,
          });
          // Margins can contradict each other once respondents are few (the only woman of 40-49
          // is in W, but W needs more than all women of 40-49): raking then does not converge,
          // and says so.
          expect(result.weights.every((w) => w >= 0 && Number.isFinite(w))).toBe(true);
          if (result.converged) {
            expect(result.weights.every((w) => w > 0)).toBe(true);
            expect(result.summary.sum).toBeCloseTo(frame.length, 5);
          } else expect(result.maxRelativeDeviation).toBeGreaterThan(result.tolerance);
        }
      ),
      { numRuns: 150 }
    );
  });
});

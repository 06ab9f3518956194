import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import {
  computeAgreement,
  computePooledAgreement,
  mergeIntervals,
  type CoderCoding,
  type Statistic,
} from './agreement.js';

const value = (s: Statistic): number | null => s.value;

describe('computeAgreement: hand-worked examples', () => {
  // A 20-character source, two coders, two codes.
  //   code X: coder A codes [2,10) (8 chars), coder B codes [4,12) (8 chars).
  //     runs: [0,2) neither 2 · [2,4) A only 2 · [4,10) both 6 · [10,12) B only 2 · [12,20) neither 8
  //     2×2 table: both 6, A only 2, B only 2, neither 10.
  //     p_o = (6 + 10)/20 = 0.8; p_A = p_B = 8/20 = 0.4; p_e = 0.4·0.4 + 0.6·0.6 = 0.52
  //     kappa = (0.8 − 0.52)/(1 − 0.52) = 0.28/0.48 = 0.583333…
  //     alpha: n = 2·20 = 40 values; n_1 = 8 + 8 = 16, n_0 = 24; units with one "present" (4 chars)
  //     each add 1·1/(2−1) = 1 to o_01 → o_01 = 4. alpha = 1 − 39·4/(16·24) = 1 − 156/384 = 0.59375
  //   code Y: both coders code [12,20): identical → kappa 1, alpha 1, agreement 1.
  //     Y's coincidences: n_1 = 16, n_0 = 24, o_01 = 0.
  //   overall alpha pools X and Y: n = 80, n_1 = 32, n_0 = 48, o_01 = 4
  //     alpha = 1 − 79·4/(32·48) = 1 − 316/1536 = 0.794270833…
  const coders: CoderCoding[] = [
    {
      coderId: 'A',
      segments: [
        { codeId: 'X', start: 2, end: 10 },
        { codeId: 'Y', start: 12, end: 20 },
      ],
    },
    {
      coderId: 'B',
      segments: [
        { codeId: 'X', start: 4, end: 12 },
        { codeId: 'Y', start: 12, end: 20 },
      ],
    },
  ];
  const result = computeAgreement({ sourceLength: 20, coders });
  const x = result.codes.find((c) => c.codeId === 'X')!;
  const y = result.codes.find((c) => c.codeId === 'Y')!;

  it('code X: kappa 0.5833, alpha 0.59375, agreement 0.8', () => {
    expect(value(x.kappa)).toBeCloseTo(0.28 / 0.48, 12);
    expect(value(x.alpha)).toBeCloseTo(0.59375, 12);
    expect(value(x.percentAgreement)).toBeCloseTo(0.8, 12);
    expect(x.coded).toEqual({ A: 8, B: 8 });
    expect(x.codedByAll).toBe(6);
    expect(x.codedByAny).toBe(10);
  });

  it('code Y (identical coding): kappa = alpha = agreement = 1', () => {
    expect(value(y.kappa)).toBe(1);
    expect(value(y.alpha)).toBe(1);
    expect(value(y.percentAgreement)).toBe(1);
  });

  it('overall alpha pools the codes: 1 − 316/1536', () => {
    expect(value(result.overallAlpha)).toBeCloseTo(1 - 316 / 1536, 12);
  });

  it('half overlap on 20 characters: kappa 0, alpha 0.025', () => {
    // A codes [0,10), B codes [5,15): both 5, A only 5, B only 5, neither 5.
    // p_o = 10/20 = 0.5; p_A = p_B = 0.5; p_e = 0.25 + 0.25 = 0.5 → kappa = 0.
    // alpha: n = 40, n_1 = 20, n_0 = 20, o_01 = 10 → 1 − 39·10/400 = 0.025
    // (alpha sits a little above kappa here: its (n−1) small-sample correction.)
    const r = computeAgreement({
      sourceLength: 20,
      coders: [
        { coderId: 'A', segments: [{ codeId: 'X', start: 0, end: 10 }] },
        { coderId: 'B', segments: [{ codeId: 'X', start: 5, end: 15 }] },
      ],
    });
    expect(value(r.codes[0]!.kappa)).toBeCloseTo(0, 12);
    expect(value(r.codes[0]!.alpha)).toBeCloseTo(0.025, 12);
  });

  it("NVivo's worked example: 1000 characters, 50 coded by both, 150 by one only → 85 %", () => {
    // NVivo Help, "Run a coding comparison query": agreement = (800 + 50)/1000 = 85 %.
    // Split the 150 as A only 100 ([50,150)), B only 50 ([150,200)); both [0,50).
    // Kappa as NVivo computes it: EF1 = 150·100/1000 = 15, EF2 = 850·900/1000 = 765, ΣEF = 780,
    // K = (850 − 780)/(1000 − 780) = 70/220 = 0.318181…
    const r = computeAgreement({
      sourceLength: 1000,
      coders: [
        { coderId: 'A', segments: [{ codeId: 'X', start: 0, end: 150 }] },
        {
          coderId: 'B',
          segments: [
            { codeId: 'X', start: 0, end: 50 },
            { codeId: 'X', start: 150, end: 200 },
          ],
        },
      ],
    });
    expect(value(r.codes[0]!.percentAgreement)).toBeCloseTo(0.85, 12);
    expect(value(r.codes[0]!.kappa)).toBeCloseTo(70 / 220, 12);
  });

  it('three coders on 10 characters: alpha 1 − 58/221, agreement 0.8667, no kappa', () => {
    // A [0,5), B [0,5), C [0,3). Units: [0,3) k=3 (3 chars), [3,5) k=2 (2), [5,10) k=0 (5).
    // n = 3·10 = 30; n_1 = 3·3 + 2·2 = 13; n_0 = 2·1 + 5·3 = 17.
    // o_01: each k=2 unit adds 2·1/(3−1) = 1 → o_01 = 2. alpha = 1 − 29·2/(13·17) = 1 − 58/221.
    // Pairwise agreement: k=3 and k=0 units agree on all 3 pairs; a k=2 unit on 1 pair of 3.
    //   (3 + 5 + 2·(1/3))/10 = 0.866666…
    const r = computeAgreement({
      sourceLength: 10,
      coders: [
        { coderId: 'A', segments: [{ codeId: 'X', start: 0, end: 5 }] },
        { coderId: 'B', segments: [{ codeId: 'X', start: 0, end: 5 }] },
        { coderId: 'C', segments: [{ codeId: 'X', start: 0, end: 3 }] },
      ],
    });
    const c = r.codes[0]!;
    expect(value(c.alpha)).toBeCloseTo(1 - 58 / 221, 12);
    expect(value(c.percentAgreement)).toBeCloseTo((8 + 2 / 3) / 10, 12);
    expect(c.kappa).toEqual({ value: null, reason: 'kappa-needs-exactly-two-coders' });
  });
});

describe('computeAgreement: edge cases', () => {
  it('no coding by anyone: kappa and alpha null with reason no-coding, agreement 1', () => {
    const r = computeAgreement({
      sourceLength: 20,
      coders: [
        { coderId: 'A', segments: [] },
        { coderId: 'B', segments: [] },
      ],
      codeIds: ['X'],
    });
    expect(r.codes[0]!.kappa).toEqual({ value: null, reason: 'no-coding' });
    expect(r.codes[0]!.alpha).toEqual({ value: null, reason: 'no-coding' });
    expect(value(r.codes[0]!.percentAgreement)).toBe(1);
    expect(r.overallAlpha).toEqual({ value: null, reason: 'no-coding' });
  });

  it('both coders code the whole source: agreement 1, kappa and alpha undefined (no variation)', () => {
    const whole = [{ codeId: 'X', start: 0, end: 20 }];
    const r = computeAgreement({
      sourceLength: 20,
      coders: [
        { coderId: 'A', segments: whole },
        { coderId: 'B', segments: whole },
      ],
    });
    expect(r.codes[0]!.kappa).toEqual({ value: null, reason: 'no-variation' });
    expect(r.codes[0]!.alpha).toEqual({ value: null, reason: 'no-variation' });
    expect(value(r.codes[0]!.percentAgreement)).toBe(1);
  });

  it('one coder only: every statistic needs two coders', () => {
    const r = computeAgreement({
      sourceLength: 20,
      coders: [{ coderId: 'A', segments: [{ codeId: 'X', start: 0, end: 5 }] }],
    });
    expect(r.codes[0]!.kappa).toEqual({ value: null, reason: 'needs-two-coders' });
    expect(r.codes[0]!.alpha).toEqual({ value: null, reason: 'needs-two-coders' });
    expect(r.overallAlpha).toEqual({ value: null, reason: 'needs-two-coders' });
    expect(r.codes[0]!.coded).toEqual({ A: 5 });
  });

  it('one coder codes, the other does not: kappa 0, alpha negative (systematic disagreement)', () => {
    // A codes [0,10) of 20, B nothing. p_o = 0.5, p_A = 0.5, p_B = 0 → p_e = 0·0.5 + 1·0.5 = 0.5, kappa 0.
    // alpha: n_1 = 10, n_0 = 30, o_01 = 10 → 1 − 39·10/300 = −0.3
    const r = computeAgreement({
      sourceLength: 20,
      coders: [
        { coderId: 'A', segments: [{ codeId: 'X', start: 0, end: 10 }] },
        { coderId: 'B', segments: [] },
      ],
    });
    expect(value(r.codes[0]!.kappa)).toBeCloseTo(0, 12);
    expect(value(r.codes[0]!.alpha)).toBeCloseTo(-0.3, 12);
  });

  it('overlapping segments of one coder count once', () => {
    const r = computeAgreement({
      sourceLength: 20,
      coders: [
        {
          coderId: 'A',
          segments: [
            { codeId: 'X', start: 0, end: 6 },
            { codeId: 'X', start: 4, end: 10 },
          ],
        },
        { coderId: 'B', segments: [{ codeId: 'X', start: 0, end: 10 }] },
      ],
    });
    expect(r.codes[0]!.coded).toEqual({ A: 10, B: 10 });
    expect(value(r.codes[0]!.kappa)).toBe(1);
  });

  it('refuses segments outside the source and duplicate coders', () => {
    expect(() =>
      computeAgreement({
        sourceLength: 5,
        coders: [{ coderId: 'A', segments: [{ codeId: 'X', start: 2, end: 6 }] }],
      })
    ).toThrow(RangeError);
    expect(() =>
      computeAgreement({
        sourceLength: 5,
        coders: [{ coderId: 'A', segments: [{ codeId: 'X', start: 3, end: 2 }] }],
      })
    ).toThrow(RangeError);
    expect(() =>
      computeAgreement({
        sourceLength: 5,
        coders: [
          { coderId: 'A', segments: [] },
          { coderId: 'A', segments: [] },
        ],
      })
    ).toThrow(RangeError);
  });

  it('a 20,000-word transcript (120,000 characters) with 3 coders × 40 codes runs by run lengths', () => {
    const sourceLength = 120_000;
    const coders: CoderCoding[] = ['A', 'B', 'C'].map((coderId, c) => ({
      coderId,
      segments: Array.from({ length: 2_000 }, (_, i) => ({
        codeId: `code-${String(i % 40)}`,
        start: (i * 60 + c * 7) % 119_000,
        end: ((i * 60 + c * 7) % 119_000) + 200,
      })),
    }));
    const t0 = performance.now();
    const r = computeAgreement({ sourceLength, coders });
    const ms = performance.now() - t0;
    expect(r.codes).toHaveLength(40);
    expect(ms).toBeLessThan(1_000);
  });
});

/** Per-character reference implementation, straight from the textbook definitions. */
function naive(sourceLength: number, coders: CoderCoding[], codeId: string) {
  const n = coders.length;
  const grid = coders.map((c) => {
    const row = new Array<boolean>(sourceLength).fill(false);
    for (const s of c.segments) if (s.codeId === codeId) for (let i = s.start; i < s.end; i++) row[i] = true;
    return row;
  });
  let disagree = 0;
  let present = 0;
  let agreePairs = 0;
  for (let u = 0; u < sourceLength; u++) {
    const k = grid.filter((row) => row[u]).length;
    present += k;
    disagree += (k * (n - k)) / (n - 1);
    agreePairs += ((k * (k - 1)) / 2 + ((n - k) * (n - k - 1)) / 2) / ((n * (n - 1)) / 2);
  }
  const absent = n * sourceLength - present;
  const alpha =
    present === 0 || absent === 0 ? null : 1 - ((n * sourceLength - 1) * disagree) / (present * absent);
  let kappa: number | null = null;
  if (n === 2) {
    let agree = 0;
    let a1 = 0;
    let b1 = 0;
    for (let u = 0; u < sourceLength; u++) {
      if (grid[0]![u] === grid[1]![u]) agree++;
      if (grid[0]![u]) a1++;
      if (grid[1]![u]) b1++;
    }
    const po = agree / sourceLength;
    const pa = a1 / sourceLength;
    const pb = b1 / sourceLength;
    const pe = pa * pb + (1 - pa) * (1 - pb);
    kappa = a1 + b1 === 0 || pe >= 1 ? null : (po - pe) / (1 - pe);
  }
  return { alpha, kappa, percent: agreePairs / sourceLength };
}

const segmentArb = (length: number) =>
  fc
    .tuple(fc.constantFrom('X', 'Y'), fc.nat({ max: length }), fc.nat({ max: length }))
    .map(([codeId, a, b]) => ({ codeId, start: Math.min(a, b), end: Math.max(a, b) }));

const codingArb = (length: number, minCoders: number, maxCoders: number) =>
  fc
    .array(fc.array(segmentArb(length), { maxLength: 6 }), { minLength: minCoders, maxLength: maxCoders })
    .map((lists) => lists.map((segments, i): CoderCoding => ({ coderId: `c${String(i)}`, segments })));

describe('computeAgreement: properties', () => {
  it('matches the per-character reference implementation', () => {
    fc.assert(
      fc.property(
        fc.integer({ min: 1, max: 60 }).chain((L) => fc.tuple(fc.constant(L), codingArb(L, 2, 4))),
        ([L, coders]) => {
          const r = computeAgreement({ sourceLength: L, coders, codeIds: ['X', 'Y'] });
          for (const c of r.codes) {
            const ref = naive(L, coders, c.codeId);
            if (ref.alpha === null) expect(c.alpha.value).toBeNull();
            else expect(c.alpha.value).toBeCloseTo(ref.alpha, 9);
            if (coders.length === 2) {
              if (ref.kappa === null) expect(c.kappa.value).toBeNull();
              else expect(c.kappa.value).toBeCloseTo(ref.kappa, 9);
            }
            expect(c.percentAgreement.value).toBeCloseTo(ref.percent, 9);
          }
        }
      )
    );
  });

  it('is symmetric in the coders (any order gives the same statistics)', () => {
    fc.assert(
      fc.property(
        fc.integer({ min: 1, max: 200 }).chain((L) => fc.tuple(fc.constant(L), codingArb(L, 2, 4))),
        ([L, coders]) => {
          const a = computeAgreement({ sourceLength: L, coders, codeIds: ['X', 'Y'] });
          const b = computeAgreement({ sourceLength: L, coders: [...coders].reverse(), codeIds: ['X', 'Y'] });
          a.codes.forEach((c, i) => {
            const d = b.codes[i]!;
            for (const key of ['kappa', 'alpha', 'percentAgreement'] as const) {
              if (c[key].value === null) expect(d[key]).toEqual(c[key]);
              else expect(d[key].value).toBeCloseTo(c[key].value, 12);
            }
          });
        }
      )
    );
  });

  it('is invariant to splitting a segment into adjacent pieces', () => {
    fc.assert(
      fc.property(
        fc
          .integer({ min: 2, max: 200 })
          .chain((L) =>
            fc.tuple(fc.constant(L), codingArb(L, 2, 3), fc.nat(), fc.double({ min: 0, max: 1, noNaN: true }))
          ),
        ([L, coders, which, at]) => {
          const segments = coders[0]!.segments;
          if (segments.length === 0) return;
          const s = segments[which % segments.length]!;
          const cut = s.start + Math.floor((s.end - s.start) * at);
          const split = [...segments.filter((x) => x !== s), { ...s, end: cut }, { ...s, start: cut }];
          const other = [{ ...coders[0]!, segments: split }, ...coders.slice(1)];
          const a = computeAgreement({ sourceLength: L, coders, codeIds: ['X', 'Y'] });
          const b = computeAgreement({ sourceLength: L, coders: other, codeIds: ['X', 'Y'] });
          expect(b).toEqual(a);
        }
      )
    );
  });

  it('alpha (and kappa) = 1 when every coder codes identically and the code varies', () => {
    fc.assert(
      fc.property(
        fc
          .integer({ min: 2, max: 200 })
          .chain((L) =>
            fc.tuple(
              fc.constant(L),
              fc.array(segmentArb(L), { maxLength: 6 }),
              fc.integer({ min: 2, max: 5 })
            )
          ),
        ([L, segments, n]) => {
          const coders = Array.from({ length: n }, (_, i) => ({ coderId: `c${String(i)}`, segments }));
          const r = computeAgreement({ sourceLength: L, coders });
          for (const c of r.codes) {
            if (c.codedByAny > 0 && c.codedByAny < L) {
              expect(c.alpha.value).toBe(1);
              if (n === 2) expect(c.kappa.value).toBe(1);
            }
            expect(c.percentAgreement.value).toBe(1);
          }
        }
      )
    );
  });

  it('alpha with two coders is close to kappa on large samples with similar marginals', () => {
    // Two coders coding ~40 % of a 100,000-character source at random-ish places; alpha differs
    // from kappa by the (n−1)/n correction and the marginal difference, both tiny here.
    fc.assert(
      fc.property(
        fc.array(
          fc.tuple(fc.nat({ max: 98_000 }), fc.integer({ min: 50, max: 1_000 }), fc.boolean(), fc.boolean()),
          { minLength: 100, maxLength: 200 }
        ),
        (spans) => {
          const a = spans
            .filter((s) => s[2])
            .map(([start, len]) => ({ codeId: 'X', start, end: start + len }));
          const b = spans
            .filter((s) => s[3])
            .map(([start, len]) => ({ codeId: 'X', start: start + 10, end: start + len + 10 }));
          const r = computeAgreement({
            sourceLength: 100_000,
            coders: [
              { coderId: 'A', segments: a },
              { coderId: 'B', segments: b },
            ],
          });
          const c = r.codes[0];
          if (!c || c.kappa.value === null || c.alpha.value === null) return;
          const pa = c.coded.A! / 100_000;
          const pb = c.coded.B! / 100_000;
          if (Math.abs(pa - pb) > 0.05) return; // only similar marginals
          expect(Math.abs(c.alpha.value - c.kappa.value)).toBeLessThan(0.01);
        }
      ),
      { numRuns: 50 }
    );
  });
});

describe('computePooledAgreement', () => {
  it('equals the agreement on the sources put end to end (property)', () => {
    fc.assert(
      fc.property(
        fc.array(
          fc.integer({ min: 1, max: 60 }).chain((L) => fc.tuple(fc.constant(L), codingArb(L, 2, 2))),
          { minLength: 1, maxLength: 4 }
        ),
        fc.boolean(),
        (parts, shuffle) => {
          const sources = parts.map(([L, coders]) => ({
            sourceLength: L,
            // Coders listed in a different order in some sources must not matter.
            coders: shuffle ? [...coders].reverse() : coders,
          }));
          const pooled = computePooledAgreement(sources, ['X', 'Y']);
          let offset = 0;
          const joined: CoderCoding[] = [
            { coderId: 'c0', segments: [] },
            { coderId: 'c1', segments: [] },
          ];
          for (const [L, coders] of parts) {
            coders.forEach((coder, i) => {
              for (const s of coder.segments) {
                (joined[i]!.segments as { codeId: string; start: number; end: number }[]).push({
                  codeId: s.codeId,
                  start: s.start + offset,
                  end: s.end + offset,
                });
              }
            });
            offset += L;
          }
          const whole = computeAgreement({ sourceLength: offset, coders: joined, codeIds: ['X', 'Y'] });
          expect(pooled.sourceLength).toBe(whole.sourceLength);
          pooled.codes.forEach((c, i) => {
            const w = whole.codes[i]!;
            expect(c.coded).toEqual(w.coded);
            for (const key of ['kappa', 'alpha', 'percentAgreement'] as const) {
              if (w[key].value === null) expect(c[key]).toEqual(w[key]);
              else expect(c[key].value).toBeCloseTo(w[key].value, 12);
            }
          });
        }
      )
    );
  });

  it('refuses sources with different coders', () => {
    expect(() =>
      computePooledAgreement([
        {
          sourceLength: 5,
          coders: [
            { coderId: 'A', segments: [] },
            { coderId: 'B', segments: [] },
          ],
        },
        {
          sourceLength: 5,
          coders: [
            { coderId: 'A', segments: [] },
            { coderId: 'C', segments: [] },
          ],
        },
      ])
    ).toThrow(/same coders/);
  });
});

describe('mergeIntervals', () => {
  it('merges overlapping and adjacent intervals and drops empty ones', () => {
    expect(
      mergeIntervals([
        { start: 5, end: 8 },
        { start: 0, end: 2 },
        { start: 2, end: 3 },
        { start: 7, end: 9 },
        { start: 4, end: 4 },
      ])
    ).toEqual([
      { start: 0, end: 3 },
      { start: 5, end: 9 },
    ]);
  });
});

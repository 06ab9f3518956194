// Long (over 400 lines): the tests of the distribution functions, exact limits, overdispersion and plot data of the funnel plots.
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import {
  LIMIT_KEYS,
  Z95,
  Z998,
  additiveLimits,
  analyseFunnel,
  binomialCdf,
  binomialPmf,
  binomialQuantile,
  binomialSurvival,
  chiSquareSurvival,
  curveGrid,
  estimateOverdispersion,
  exactBinomialLimit,
  exactBinomialLimits,
  logGamma,
  multiplicativeLimits,
  niceCeil,
  prepareFunnelPlot,
  type FunnelUnit,
} from './funnel.js';

// ---- independent references -------------------------------------------------------------------

/** num/den as a double, for huge BigInts (keeps 62 significant bits before converting). */
function ratio(num: bigint, den: bigint): number {
  if (num === 0n) return 0;
  const shift = den.toString(2).length - num.toString(2).length + 62;
  const q = shift >= 0 ? (num << BigInt(shift)) / den : num / (den << BigInt(-shift));
  return Number(q) * 2 ** -shift;
}

/**
 * Exact Bin(n, a/b) by integer arithmetic: T_k = C(n,k) a^k (b-a)^(n-k), P(X = k) = T_k / b^n.
 * T_{k+1} = T_k (n-k) a / ((k+1)(b-a)) divides exactly because T_{k+1} is an integer.
 */
function exactBinomial(n: number, a: number, b: number, upTo: number) {
  const N = BigInt(n);
  const A = BigInt(a);
  const B = BigInt(b - a);
  const den = BigInt(b) ** N;
  const terms: bigint[] = [];
  let t = B ** N;
  for (let k = 0; k <= upTo; k++) {
    terms.push(t);
    t = (t * (N - BigInt(k)) * A) / (BigInt(k + 1) * B);
  }
  let cum = 0n;
  const cdf = terms.map((x) => (cum += x));
  return {
    pmf: (k: number) => ratio(terms[k]!, den),
    cdf: (k: number) => ratio(cdf[k]!, den),
    /** F(k) - prob, exactly, prob given as num/den. */
    cdfBig: (k: number) => cdf[k]!,
    den,
  };
}

/** Spiegelhalter's interpolated limit by brute-force exact summation (prob = pn/pd). */
function bruteLimit(n: number, a: number, b: number, pn: bigint, pd: bigint): number {
  const ex = exactBinomial(n, a, b, n);
  let r = 0;
  // F(r) ≥ pn/pd  ⇔  cdfBig(r)·pd ≥ pn·den
  while (ex.cdfBig(r) * pd < pn * ex.den) r++;
  const excess = ratio(ex.cdfBig(r) * pd - pn * ex.den, ex.den * pd);
  return Math.max(0, Math.min(1, (r - excess / ex.pmf(r)) / n));
}

/** mulberry32: small, seeded, good enough for simulation tests. */
function rng(seed: number) {
  let s = seed >>> 0;
  return () => {
    s = (s + 0x6d2b79f5) >>> 0;
    let t = s;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

function normal(u: () => number): number {
  return Math.sqrt(-2 * Math.log(1 - u())) * Math.cos(2 * Math.PI * u());
}

function binomialDraw(u: () => number, n: number, p: number): number {
  let k = 0;
  for (let i = 0; i < n; i++) if (u() < p) k++;
  return k;
}

const rel = (a: number, b: number) => Math.abs(a - b) / Math.max(Math.abs(b), 1e-300);

// ---- special functions ------------------------------------------------------------------------

describe('special functions', () => {
  it('logGamma matches ln √π and ln n! summed term by term', () => {
    expect(logGamma(0.5)).toBeCloseTo(0.5 * Math.log(Math.PI), 14);
    expect(logGamma(1)).toBeCloseTo(0, 14);
    expect(logGamma(2)).toBeCloseTo(0, 14);
    let lnFact = 0;
    for (let n = 1; n <= 5000; n++) {
      lnFact += Math.log(n);
      if ([1, 5, 9, 10, 11, 50, 170, 1000, 5000].includes(n))
        expect(Math.abs(logGamma(n + 1) - lnFact)).toBeLessThan(1e-13 * Math.max(1, lnFact));
    }
    expect(() => logGamma(0)).toThrow(/x > 0/);
  });

  it('binomial pmf and cdf equal exact rational sums (BigInt), up to n = 20,000', () => {
    const cases: Array<[n: number, a: number, b: number, ks: number[]]> = [
      [10, 3, 10, [0, 1, 3, 7, 9]],
      [137, 1, 20, [0, 2, 6, 15, 30]],
      [2000, 3, 10, [520, 560, 600, 640, 700]],
      [20000, 3, 10, [5700, 5900, 6000, 6100, 6300]],
    ];
    for (const [n, a, b, ks] of cases) {
      const ex = exactBinomial(n, a, b, Math.max(...ks));
      for (const k of ks) {
        expect(rel(binomialPmf(k, n, a / b), ex.pmf(k))).toBeLessThan(1e-11);
        expect(rel(binomialCdf(k, n, a / b), ex.cdf(k))).toBeLessThan(1e-11);
        expect(Math.abs(binomialSurvival(k, n, a / b) - (1 - ex.cdf(k)))).toBeLessThan(1e-12);
      }
    }
  });

  it('binomial tails stay accurate far out (relative error) and sum to 1', () => {
    // P(X ≤ 5400) for Bin(20000, 0.3) is about 1e-17: a complement would have lost it entirely.
    const ex = exactBinomial(20000, 3, 10, 5400);
    expect(rel(binomialCdf(5400, 20000, 0.3), ex.cdf(5400))).toBeLessThan(1e-10);
    for (const k of [0, 10, 5999, 6000, 19999])
      expect(binomialCdf(k, 20000, 0.3) + binomialSurvival(k, 20000, 0.3)).toBeCloseTo(1, 14);
    expect(binomialCdf(-1, 5, 0.5)).toBe(0);
    expect(binomialCdf(5, 5, 0.5)).toBe(1);
    expect(binomialPmf(3, 5, 0)).toBe(0);
    expect(binomialPmf(0, 5, 0)).toBe(1);
  });

  it('binomial quantile is the smallest r with F(r) ≥ prob', () => {
    for (const [n, p] of [
      [25, 0.3],
      [400, 0.12],
      [5000, 0.55],
    ] as const)
      for (const prob of [0.001, 0.025, 0.5, 0.975, 0.999]) {
        const r = binomialQuantile(prob, n, p);
        expect(binomialCdf(r, n, p)).toBeGreaterThanOrEqual(prob);
        if (r > 0) expect(binomialCdf(r - 1, n, p)).toBeLessThan(prob);
      }
  });

  it('χ² upper tail matches reference values and closed forms', () => {
    // References from scipy.stats.chi2.sf.
    expect(rel(chiSquareSurvival(150, 100), 0.0009039320423540184)).toBeLessThan(1e-10);
    expect(rel(chiSquareSurvival(2.5, 1), 0.11384629800665763)).toBeLessThan(1e-10);
    expect(rel(chiSquareSurvival(5500, 5000), 6.203019945328604e-7)).toBeLessThan(1e-9);
    for (const x of [0.1, 1, 7.3, 40])
      expect(rel(chiSquareSurvival(x, 2), Math.exp(-x / 2))).toBeLessThan(1e-13);
    expect(chiSquareSurvival(0, 3)).toBe(1);
  });
});

// ---- control limits ---------------------------------------------------------------------------

describe('exact binomial limits (Spiegelhalter 2005 appendix)', () => {
  it('match hard-coded values computed independently (mpmath, 40 digits)', () => {
    const refs: Array<[number, number, [number, number, number, number]]> = [
      [25, 0.3, [0.024105162613792797, 0.1064241838187152, 0.4687510507536901, 0.583500834286616]],
      [100, 0.3, [0.16026074689111866, 0.20690238579107292, 0.386912014163788, 0.44156262386084943]],
      [400, 0.12, [0.07130355768377186, 0.08781517948580832, 0.15153038389503024, 0.17161239809596152]],
      [1000, 0.55, [0.5007590281259043, 0.5186109408072319, 0.5802923853565651, 0.5979438100693968]],
      // The lower interpolated limits are negative here and clamp to 0.
      [60, 0.05, [0, 0, 0.10393043036166234, 0.14793130057445533]],
    ];
    for (const [n, p0, [l998, l95, u95, u998]] of refs) {
      expect(exactBinomialLimit(n, p0, 0.001)).toBeCloseTo(l998, 12);
      expect(exactBinomialLimit(n, p0, 0.025)).toBeCloseTo(l95, 12);
      expect(exactBinomialLimit(n, p0, 0.975)).toBeCloseTo(u95, 12);
      expect(exactBinomialLimit(n, p0, 0.999)).toBeCloseTo(u998, 12);
    }
  });

  it('match brute-force exact sums over many n', () => {
    for (const n of [1, 2, 7, 10, 33, 80, 151, 300]) {
      // p0 = 7/25 = 0.28 exactly representable as a ratio for the BigInt sums.
      expect(exactBinomialLimit(n, 0.28, 0.025)).toBeCloseTo(bruteLimit(n, 7, 25, 25n, 1000n), 11);
      expect(exactBinomialLimit(n, 0.28, 0.975)).toBeCloseTo(bruteLimit(n, 7, 25, 975n, 1000n), 11);
      expect(exactBinomialLimit(n, 0.28, 0.001)).toBeCloseTo(bruteLimit(n, 7, 25, 1n, 1000n), 11);
      expect(exactBinomialLimit(n, 0.28, 0.999)).toBeCloseTo(bruteLimit(n, 7, 25, 999n, 1000n), 11);
    }
  });

  it('approach the normal approximation for large n', () => {
    for (const p0 of [0.1, 0.3, 0.5]) {
      const n = 20000;
      const sd = Math.sqrt((p0 * (1 - p0)) / n);
      const l95 = exactBinomialLimits(n, p0, 0.95);
      const l998 = exactBinomialLimits(n, p0, 0.998);
      // Discreteness and skew move the exact limits by O(1/n); the half-width is O(1/√n).
      expect(Math.abs(l95.upper - (p0 + Z95 * sd))).toBeLessThan(2 / n);
      expect(Math.abs(l95.lower - (p0 - Z95 * sd))).toBeLessThan(2 / n);
      expect(Math.abs(l998.upper - (p0 + Z998 * sd))).toBeLessThan(3 / n);
      expect(Math.abs(l998.lower - (p0 - Z998 * sd))).toBeLessThan(3 / n);
    }
  });

  it('move towards p0 as n grows (lower exactly; upper up to interpolation ripples < 0.06/n)', () => {
    for (const p0 of [0.05, 0.2, 0.5, 0.8])
      for (const coverage of [0.95, 0.998]) {
        let prev = exactBinomialLimits(10, p0, coverage);
        for (let n = 11; n <= 1500; n++) {
          const l = exactBinomialLimits(n, p0, coverage);
          expect(l.lower).toBeGreaterThanOrEqual(prev.lower - 1e-12);
          // Measured worst ripple: 0.051/n (p0 = 0.05, 99.8 %, n = 11), i.e. 5 % of one patient.
          expect(l.upper).toBeLessThanOrEqual(prev.upper + 0.06 / n);
          prev = l;
        }
        // Over a factor of 2 in n the funnel always narrows.
        for (const n of [10, 40, 150, 600, 2500]) {
          const a = exactBinomialLimits(n, p0, coverage);
          const b = exactBinomialLimits(2 * n, p0, coverage);
          expect(b.upper - b.lower).toBeLessThan(a.upper - a.lower);
          expect(b.upper).toBeLessThanOrEqual(a.upper);
          expect(b.lower).toBeGreaterThanOrEqual(a.lower);
        }
      }
  });

  it('property: 0 ≤ lower ≤ p0 ≤ upper ≤ 1, 99.8 % outside 95 %, for every kind of limit', () => {
    fc.assert(
      fc.property(
        fc.integer({ min: 1, max: 5000 }),
        fc.double({ min: 0, max: 1, noNaN: true }),
        fc.double({ min: 0, max: 5, noNaN: true }),
        fc.double({ min: 0, max: 0.05, noNaN: true }),
        (n, p0, phi, tau2) => {
          const pairs = [
            [exactBinomialLimits(n, p0, 0.95), exactBinomialLimits(n, p0, 0.998)],
            [multiplicativeLimits(n, p0, Z95, phi), multiplicativeLimits(n, p0, Z998, phi)],
            [additiveLimits(n, p0, Z95, tau2), additiveLimits(n, p0, Z998, tau2)],
          ] as const;
          for (const [inner, outer] of pairs) {
            for (const l of [inner, outer]) {
              expect(l.lower).toBeGreaterThanOrEqual(0);
              expect(l.upper).toBeLessThanOrEqual(1);
              expect(l.lower).toBeLessThanOrEqual(p0);
              expect(l.upper).toBeGreaterThanOrEqual(p0);
            }
            expect(outer.lower).toBeLessThanOrEqual(inner.lower);
            expect(outer.upper).toBeGreaterThanOrEqual(inner.upper);
          }
        }
      ),
      { numRuns: 300, seed: 20250101 }
    );
  });

  it('are degenerate at p0 = 0 and p0 = 1', () => {
    expect(exactBinomialLimits(50, 0, 0.998)).toEqual({ lower: 0, upper: 0 });
    expect(exactBinomialLimits(50, 1, 0.998)).toEqual({ lower: 1, upper: 1 });
  });
});

// ---- analysis ---------------------------------------------------------------------------------

function simulate(seed: number, gps: number, opts: { p0: number; tau: number; nMin: number; nMax: number }) {
  const u = rng(seed);
  const theta0 = Math.asin(Math.sqrt(opts.p0));
  const units: FunnelUnit[] = [];
  for (let i = 0; i < gps; i++) {
    const n = opts.nMin + Math.floor(u() * (opts.nMax - opts.nMin + 1));
    const theta = Math.min(Math.PI / 2, Math.max(0, theta0 + opts.tau * normal(u)));
    units.push({ n, observed: binomialDraw(u, n, Math.sin(theta) ** 2) });
  }
  return units;
}

describe('analyseFunnel', () => {
  it('without true variation: ~5 % outside the 95 % limits, φ (raw) ≈ 1, τ² = 0', () => {
    const units = simulate(7, 3000, { p0: 0.3, tau: 0, nMin: 10, nMax: 400 });
    const { summary } = analyseFunnel(units);
    const out95 = (summary.outside.exact95.above + summary.outside.exact95.below) / summary.gps;
    const out998 = (summary.outside.exact998.above + summary.outside.exact998.below) / summary.gps;
    expect(out95).toBeGreaterThan(0.035);
    expect(out95).toBeLessThan(0.065);
    expect(out998).toBeLessThan(0.006);
    expect(summary.phiUnwinsorised).toBeGreaterThan(0.93);
    expect(summary.phiUnwinsorised).toBeLessThan(1.07);
    // 10 % winsorising of normal z: E[φ̂] = 0.8 - 2cφ(c) + 0.2c² ≈ 0.679 with c = 1.2816.
    expect(summary.phi).toBeGreaterThan(0.62);
    expect(summary.phi).toBeLessThan(0.74);
    expect(summary.tau2).toBe(0);
    expect(summary.pValue).toBeGreaterThan(0.01);
  });

  it('with a planted between-GP SD on the arcsine scale: τ̂ recovers it roughly, the test rejects', () => {
    const tau = 0.08;
    const units = simulate(11, 2000, { p0: 0.3, tau, nMin: 50, nMax: 400 });
    const { summary } = analyseFunnel(units);
    // Winsorising shrinks φ̂ (see estimateOverdispersion), so τ̂ runs somewhat low.
    expect(summary.tau).toBeGreaterThan(0.65 * tau);
    expect(summary.tau).toBeLessThan(1.1 * tau);
    expect(summary.pValue).toBeLessThan(1e-10);
    // Without winsorising, the DerSimonian-Laird estimate is close (measured 0.0805 for 0.08).
    const raw = analyseFunnel(units, { winsorise: 0 }).summary;
    expect(raw.winsorise).toBe(0);
    expect(raw.phi).toBeCloseTo(raw.phiUnwinsorised, 12);
    expect(raw.tau).toBeGreaterThan(0.9 * tau);
    expect(raw.tau).toBeLessThan(1.1 * tau);
    const out = (k: (typeof LIMIT_KEYS)[number]) =>
      (summary.outside[k].above + summary.outside[k].below) / summary.gps;
    expect(out('exact998')).toBeGreaterThan(0.2);
    expect(out('additive998')).toBeLessThan(0.03);
  });

  it('risk adjustment: p0·O/E; E = n·p0 for everyone reproduces the unadjusted analysis', () => {
    const units = simulate(3, 200, { p0: 0.25, tau: 0.05, nMin: 20, nMax: 200 });
    const plain = analyseFunnel(units);
    const p0 = plain.summary.p0;
    const adjusted = analyseFunnel(units.map((u) => ({ ...u, expected: u.n * p0 })));
    expect(adjusted.summary.riskAdjusted).toBe(true);
    adjusted.units.forEach((r, i) => expect(r.value).toBeCloseTo(plain.units[i]!.value, 12));
    expect(adjusted.summary.phi).toBeCloseTo(plain.summary.phi, 10);
    const one = analyseFunnel([
      { n: 100, observed: 30, expected: 20 },
      { n: 100, observed: 10, expected: 20 },
    ]);
    expect(one.units[0]!.value).toBeCloseTo(0.2 * (30 / 20), 14);
    // E = 0 with O = 0: no information, drawn on the target.
    const zero = analyseFunnel([
      { n: 10, observed: 0, expected: 0 },
      { n: 100, observed: 10, expected: 10 },
    ]);
    expect(zero.units[0]!.value).toBeCloseTo(zero.summary.p0, 14);
  });

  it('flags compare the exact value with the limits at the GP’s own n', () => {
    const units: FunnelUnit[] = [
      ...Array.from({ length: 30 }, () => ({ n: 100, observed: 30 })),
      { n: 100, observed: 60 },
      { n: 100, observed: 5 },
    ];
    const a = analyseFunnel(units);
    expect(a.units[30]!.flags.exact998).toBe('above');
    expect(a.units[31]!.flags.exact998).toBe('below');
    expect(a.units[0]!.flags.exact95).toBe('inside');
    expect(a.summary.outside.exact998).toEqual({ above: 1, below: 1 });
  });

  it('handles p0 = 0 and p0 = 1 without NaN', () => {
    for (const obs of [0, 1]) {
      const a = analyseFunnel([
        { n: 10, observed: 10 * obs },
        { n: 40, observed: 40 * obs },
        { n: 25, observed: 25 * obs },
      ]);
      expect(a.summary.p0).toBe(obs);
      expect(JSON.stringify(a)).not.toMatch(/null|NaN/);
      for (const r of a.units) for (const k of LIMIT_KEYS) expect(r.flags[k]).toBe('inside');
    }
  });

  it('rejects bad input with errors that name the cause', () => {
    expect(() => analyseFunnel([])).toThrow(/empty/);
    expect(() => analyseFunnel([{ n: 10, observed: 2 }])).toThrow(/at least 2/);
    expect(() =>
      analyseFunnel([
        { n: 0, observed: 0 },
        { n: 5, observed: 1 },
      ])
    ).toThrow(/GP #1: n/);
    expect(() =>
      analyseFunnel([
        { n: 5, observed: 1 },
        { n: -3, observed: 0 },
      ])
    ).toThrow(/GP #2: n/);
    expect(() =>
      analyseFunnel([
        { n: 5, observed: 6 },
        { n: 5, observed: 1 },
      ])
    ).toThrow(/exceeds n/);
    expect(() =>
      analyseFunnel([
        { n: 5, observed: -1 },
        { n: 5, observed: 1 },
      ])
    ).toThrow(/observed/);
    expect(() =>
      analyseFunnel([
        { n: 5.5, observed: 1 },
        { n: 5, observed: 1 },
      ])
    ).toThrow(/integer/);
    expect(() =>
      analyseFunnel([
        { n: NaN, observed: 1 },
        { n: 5, observed: 1 },
      ])
    ).toThrow(/n \(patients\)/);
    expect(() =>
      analyseFunnel([
        { n: 5, observed: 1, expected: 0 },
        { n: 5, observed: 1, expected: 1 },
      ])
    ).toThrow(/expected is 0/);
    expect(() =>
      analyseFunnel([
        { n: 5, observed: 1, expected: -1 },
        { n: 5, observed: 1, expected: 1 },
      ])
    ).toThrow(/expected/);
    expect(() =>
      analyseFunnel([
        { n: 5, observed: 1, expected: 6 },
        { n: 5, observed: 1, expected: 1 },
      ])
    ).toThrow(/exceeds n/);
    expect(() =>
      analyseFunnel([
        { n: 5, observed: 1, expected: 1 },
        { n: 5, observed: 1 },
      ])
    ).toThrow(/all GPs or none/);
    expect(() => estimateOverdispersion([{ n: 5, value: 0.2 }], 0.2)).toThrow(/at least 2/);
    expect(() => exactBinomialLimit(0, 0.2, 0.5)).toThrow(/positive integer/);
  });
});

// ---- plot data and disclosure control ---------------------------------------------------------

describe('prepareFunnelPlot', () => {
  const base = simulate(5, 400, { p0: 0.35, tau: 0.04, nMin: 1, nMax: 300 });
  const withIds = base.map((u, i) => ({ ...u, id: `GP-SECRET-${i}` }));

  it('drops small GPs, coarsens points, never returns ids, sorts', () => {
    const plot = prepareFunnelPlot(withIds, { minPatients: 12 });
    const small = base.filter((u) => u.n < 12).length;
    expect(small).toBeGreaterThan(0);
    expect(plot.omitted).toBe(small);
    expect(plot.points).toHaveLength(base.length - small);
    expect(JSON.stringify(plot)).not.toContain('GP-SECRET');
    for (const p of plot.points) {
      expect(Object.keys(p).sort()).toEqual(['x', 'y']);
      expect(p.x % 5).toBe(0);
      expect(p.x).toBeGreaterThanOrEqual(12);
      expect(Number.isInteger(p.y * 2)).toBe(true);
    }
    for (let i = 1; i < plot.points.length; i++) {
      const a = plot.points[i - 1]!;
      const b = plot.points[i]!;
      expect(a.x < b.x || (a.x === b.x && a.y <= b.y)).toBe(true);
    }
  });

  it('output does not depend on the input order', () => {
    const u = rng(99);
    const shuffled = [...base].map((x) => ({ x, k: u() }));
    shuffled.sort((a, b) => a.k - b.k);
    expect(prepareFunnelPlot(shuffled.map((s) => s.x)).points).toEqual(prepareFunnelPlot(base).points);
  });

  it('summary uses exact values of all GPs; curves span minPatients..xMax', () => {
    const plot = prepareFunnelPlot(base);
    const N = base.reduce((s, x) => s + x.n, 0);
    const O = base.reduce((s, x) => s + x.observed, 0);
    expect(plot.summary.p0).toBe(O / N);
    expect(plot.summary.gps).toBe(base.length);
    expect(plot.curves[0]!.n).toBe(10);
    expect(plot.curves.at(-1)!.n).toBe(plot.xMax);
    expect(plot.xMax).toBeGreaterThanOrEqual(Math.max(...plot.points.map((p) => p.x)));
    expect(JSON.stringify(plot)).not.toMatch(/null|NaN/);
    for (const c of plot.curves)
      for (const k of LIMIT_KEYS) {
        expect(c[k].lower).toBeLessThanOrEqual(plot.p0);
        expect(c[k].upper).toBeGreaterThanOrEqual(plot.p0);
      }
  });

  it('reuses a given analysis and refuses one for other units', () => {
    const analysis = analyseFunnel(base);
    expect(prepareFunnelPlot(base, { analysis }).summary).toBe(analysis.summary);
    expect(() => prepareFunnelPlot(base.slice(1), { analysis })).toThrow(/analysis has/);
    expect(() => prepareFunnelPlot(base, { minPatients: 0 })).toThrow(/minPatients/);
  });

  it('helpers: nice axis ends and curve grids', () => {
    expect(niceCeil(437)).toBe(500);
    expect(niceCeil(1230)).toBe(1400);
    expect(niceCeil(20)).toBe(20);
    const g = curveGrid(10, 500, 120);
    expect(g[0]).toBe(10);
    expect(g.at(-1)).toBe(500);
    expect(new Set(g).size).toBe(g.length);
    expect(g.every((n, i) => i === 0 || n > g[i - 1]!)).toBe(true);
  });
});

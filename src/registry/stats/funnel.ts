// Long (over 400 lines) because the control limits rest on exact binomial, beta and gamma tails written here in log space; they are validated together.
/**
 * Funnel plots of GP-level proportions (Spiegelhalter 2005, Stat Med 24:1185-1202; overdispersion as in FunnelPlotR):
 * one point per GP (x = patients, y = share with the outcome, or the indirectly standardised share
 * p0·O/E when a risk model gave expected counts), exact binomial control limits around the target p0
 * at 95 % and 99.8 %, and limits widened for overdispersion (between-GP variation that chance does
 * not explain) on the arcsine-square-root scale, multiplicative (φ) and additive (DerSimonian-Laird τ²).
 *
 * The distribution functions are written here for the sizes this needs (n up to tens of thousands of
 * patients per GP, a few thousand GPs): binomial probabilities by Loader's saddle-point form (2000,
 * "Fast and accurate computation of binomial probabilities"), tails by the continued fraction of the
 * regularized incomplete beta, χ² tails by the regularized gamma. Everything is in log space, so
 * nothing overflows.
 *
 * Disclosure: GP ids never enter or leave these functions. `analyseFunnel` returns results in input
 * order for the caller's own bookkeeping; `prepareFunnelPlot`, the only output meant for publication,
 * drops small GPs, coarsens every point and sorts them.
 */
import { Z95 } from './glm.js';

export { Z95 };

// ------------------------------------------------------------------------------------------------
// Special functions
// ------------------------------------------------------------------------------------------------

const LN_SQRT_2PI = 0.5 * Math.log(2 * Math.PI);
const TINY = 1e-300;
const EPS = 1e-15;
const MAX_ITER = 100_000;

/** Stirling-series remainder of ln x! (Bernoulli terms up to x⁻¹³): error < 1e-17 for x ≥ 10. */
function stirlingTail(x: number): number {
  const r = 1 / x;
  const r2 = r * r;
  return (
    r *
    (1 / 12 +
      r2 *
        (-1 / 360 + r2 * (1 / 1260 + r2 * (-1 / 1680 + r2 * (1 / 1188 + r2 * (-691 / 360360 + r2 / 156))))))
  );
}

/** ln Γ(x) for finite x > 0. Shifts x up to ≥ 10 with Γ(x) = Γ(x+k)/(x(x+1)…(x+k-1)) so Stirling's series is exact to rounding. */
export function logGamma(x: number): number {
  if (!Number.isFinite(x) || x <= 0) throw new RangeError(`logGamma needs a finite x > 0, got ${x}`);
  let y = x;
  let product = 1;
  while (y < 10) {
    product *= y;
    y += 1;
  }
  // ln Γ(y) = ln (y-1)! = (y - ½) ln y - y + ln √(2π) + tail(y) (Stirling for Γ, not for the factorial)
  return (y - 0.5) * Math.log(y) - y + LN_SQRT_2PI + stirlingTail(y) - Math.log(product);
}

/** δ(x) = ln x! - [(x + ½) ln x - x + ln √(2π)], Loader's "stirlerr", accurate also for small x. */
function stirlingError(x: number): number {
  if (x >= 10) return stirlingTail(x);
  return logGamma(x + 1) - (x + 0.5) * Math.log(x) + x - LN_SQRT_2PI;
}

/** x ln(x/m) + m - x without the cancellation of the naive form when x ≈ m (Loader 2000, "bd0"). */
function devianceTerm(x: number, m: number): number {
  if (x === 0) return m;
  if (Math.abs(x - m) < 0.1 * (x + m)) {
    // x ln(x/m) + m - x = (x-m)v + 2x Σ_{j≥1} v^(2j+1)/(2j+1), v = (x-m)/(x+m)
    const v = (x - m) / (x + m);
    const v2 = v * v;
    let sum = (x - m) * v;
    let power = 2 * x * v;
    for (let j = 1; j < 1000; j++) {
      power *= v2;
      const next = sum + power / (2 * j + 1);
      if (next === sum) return next;
      sum = next;
    }
    return sum;
  }
  return x * Math.log(x / m) + m - x;
}

function checkCount(name: string, v: number): void {
  if (!Number.isInteger(v) || v < 0) throw new RangeError(`${name} must be a non-negative integer, got ${v}`);
}

function checkProbability(name: string, p: number): void {
  if (!(p >= 0 && p <= 1)) throw new RangeError(`${name} must be a probability in [0, 1], got ${p}`);
}

/** P(X = k) for X ~ Bin(n, p), to about 1e-14 relative accuracy (Loader's saddle-point expansion). */
export function binomialPmf(k: number, n: number, p: number): number {
  checkCount('n', n);
  checkProbability('p', p);
  if (!Number.isInteger(k)) throw new RangeError(`k must be an integer, got ${k}`);
  if (k < 0 || k > n) return 0;
  if (p === 0) return k === 0 ? 1 : 0;
  if (p === 1) return k === n ? 1 : 0;
  if (k === 0) return Math.exp(n * Math.log1p(-p));
  if (k === n) return Math.exp(n * Math.log(p));
  const q = 1 - p;
  const logTerm =
    stirlingError(n) -
    stirlingError(k) -
    stirlingError(n - k) -
    devianceTerm(k, n * p) -
    devianceTerm(n - k, n * q);
  return Math.exp(logTerm) * Math.sqrt(n / (2 * Math.PI * k * (n - k)));
}

/**
 * The continued fraction h with I_x(a, b) = x^a (1-x)^b / (a B(a, b)) · h (modified Lentz). Converges
 * quickly for x < (a+1)/(a+b+2); callers use the symmetry I_x(a,b) = 1 - I_{1-x}(b,a) otherwise.
 */
function betaFraction(a: number, b: number, x: number): number {
  const guard = (v: number) => (Math.abs(v) < TINY ? TINY : v);
  let c = 1;
  let d = 1 / guard(1 - ((a + b) * x) / (a + 1));
  let h = d;
  for (let m = 1; m <= MAX_ITER; m++) {
    const m2 = 2 * m;
    const even = (m * (b - m) * x) / ((a + m2 - 1) * (a + m2));
    d = 1 / guard(1 + even * d);
    c = guard(1 + even / c);
    h *= d * c;
    const odd = (-(a + m) * (a + b + m) * x) / ((a + m2) * (a + m2 + 1));
    d = 1 / guard(1 + odd * d);
    c = guard(1 + odd / c);
    const step = d * c;
    h *= step;
    if (Math.abs(step - 1) < EPS) return h;
  }
  throw new Error(`Incomplete beta continued fraction did not converge (a=${a}, b=${b}, x=${x})`);
}

/** P(X ≤ k) and P(X > k) for X ~ Bin(n, p), each computed directly (not as 1 minus the other) when it is the smaller. */
function binomialTails(k: number, n: number, p: number): { lower: number; upper: number } {
  if (k < 0) return { lower: 0, upper: 1 };
  if (k >= n) return { lower: 1, upper: 0 };
  if (p === 0) return { lower: 1, upper: 0 };
  if (p === 1) return { lower: 0, upper: 1 };
  const q = 1 - p;
  // P(X ≤ k) = I_q(n-k, k+1), prefactor q^(n-k) p^(k+1) / ((n-k) B(n-k, k+1)) = P(X = k)·p;
  // P(X > k) = I_p(k+1, n-k), prefactor P(X = k+1)·q. Use whichever fraction converges fast.
  if (q < (n - k + 1) / (n + 3)) {
    const lower = Math.min(1, binomialPmf(k, n, p) * p * betaFraction(n - k, k + 1, q));
    return { lower, upper: 1 - lower };
  }
  const upper = Math.min(1, binomialPmf(k + 1, n, p) * q * betaFraction(k + 1, n - k, p));
  return { lower: 1 - upper, upper };
}

/** P(X ≤ k) for X ~ Bin(n, p). */
export function binomialCdf(k: number, n: number, p: number): number {
  checkCount('n', n);
  checkProbability('p', p);
  if (Number.isNaN(k)) throw new RangeError('k must be a number, got NaN');
  return binomialTails(Math.floor(k), n, p).lower;
}

/** P(X > k) for X ~ Bin(n, p), accurate in the far upper tail. */
export function binomialSurvival(k: number, n: number, p: number): number {
  checkCount('n', n);
  checkProbability('p', p);
  if (Number.isNaN(k)) throw new RangeError('k must be a number, got NaN');
  return binomialTails(Math.floor(k), n, p).upper;
}

/** Smallest r in 0..n with P(X ≤ r) ≥ prob, X ~ Bin(n, p) (bisection: ~log₂ n CDF evaluations). */
export function binomialQuantile(prob: number, n: number, p: number): number {
  checkCount('n', n);
  checkProbability('p', p);
  if (!(prob > 0 && prob < 1)) throw new RangeError(`prob must be in (0, 1), got ${prob}`);
  // Invariant: F(lo) < prob ≤ F(hi), with F(-1) = 0 and F(n) = 1.
  let lo = -1;
  let hi = n;
  // Comparing in the smaller tail keeps the comparison exact to rounding near 0 and near 1.
  const reaches = (r: number) => {
    const t = binomialTails(r, n, p);
    return prob <= 0.5 ? t.lower >= prob : t.upper <= 1 - prob;
  };
  while (hi - lo > 1) {
    const mid = Math.floor((lo + hi) / 2);
    if (reaches(mid)) hi = mid;
    else lo = mid;
  }
  return hi;
}

/** Q(a, x) = Γ(a, x)/Γ(a), the upper regularized incomplete gamma function, for a > 0, x ≥ 0. */
export function regularizedGammaQ(a: number, x: number): number {
  if (!Number.isFinite(a) || a <= 0) throw new RangeError(`a must be a finite number > 0, got ${a}`);
  if (Number.isNaN(x) || x < 0) throw new RangeError(`x must be ≥ 0, got ${x}`);
  if (x === 0) return 1;
  if (x === Infinity) return 0;
  const logFront = -x + a * Math.log(x) - logGamma(a);
  if (x < a + 1) {
    // Series for P(a, x) = e^-x x^a / Γ(a+1) · Σ x^j / ((a+1)…(a+j)); Q = 1 - P.
    let term = 1 / a;
    let sum = term;
    for (let j = 1; j <= MAX_ITER; j++) {
      term *= x / (a + j);
      sum += term;
      if (term < sum * EPS) return Math.max(0, 1 - sum * Math.exp(logFront));
    }
    throw new Error(`Incomplete gamma series did not converge (a=${a}, x=${x})`);
  }
  // Legendre's continued fraction for Q(a, x) (modified Lentz).
  const guard = (v: number) => (Math.abs(v) < TINY ? TINY : v);
  let b = x + 1 - a;
  let c = 1 / TINY;
  let d = 1 / guard(b);
  let h = d;
  for (let i = 1; i <= MAX_ITER; i++) {
    const an = -i * (i - a);
    b += 2;
    d = 1 / guard(an * d + b);
    c = guard(b + an / c);
    const step = d * c;
    h *= step;
    if (Math.abs(step - 1) < EPS) return Math.min(1, Math.exp(logFront) * h);
  }
  throw new Error(`Incomplete gamma continued fraction did not converge (a=${a}, x=${x})`);
}

/** P(χ²_df > x): the upper tail, accurate for small p-values. */
export function chiSquareSurvival(x: number, df: number): number {
  if (!Number.isFinite(df) || df <= 0) throw new RangeError(`df must be > 0, got ${df}`);
  if (Number.isNaN(x)) throw new RangeError('x must be a number, got NaN');
  if (x <= 0) return 1;
  return regularizedGammaQ(df / 2, x / 2);
}

// ------------------------------------------------------------------------------------------------
// Control limits
// ------------------------------------------------------------------------------------------------

/** Two-sided normal quantiles for 95 % and 99.8 % limits (Φ⁻¹(0.975), Φ⁻¹(0.999)). */
export const Z998 = 3.090232306167813;

export interface LimitPair {
  lower: number;
  upper: number;
}

const clamp01 = (v: number) => Math.min(1, Math.max(0, v));

/**
 * The exact binomial limit of a proportion with tail probability `prob`, made continuous in n by
 * Spiegelhalter's interpolation (2005, appendix): r = smallest count with F(r) ≥ prob under
 * Bin(n, p0); α = (F(r) - prob)/(F(r) - F(r-1)); limit = (r - α)/n, clamped to [0, 1].
 */
export function exactBinomialLimit(n: number, p0: number, prob: number): number {
  if (!Number.isInteger(n) || n < 1) throw new RangeError(`n must be a positive integer, got ${n}`);
  checkProbability('p0', p0);
  if (!(prob > 0 && prob < 1)) throw new RangeError(`prob must be in (0, 1), got ${prob}`);
  if (p0 === 0 || p0 === 1) return p0;
  const r = binomialQuantile(prob, n, p0);
  const tails = binomialTails(r, n, p0);
  const mass = binomialPmf(r, n, p0);
  // F(r) - prob, from the smaller tail so the difference keeps its digits near 0 and 1.
  const excess = prob <= 0.5 ? tails.lower - prob : 1 - prob - tails.upper;
  const alpha = mass > 0 ? Math.min(1, Math.max(0, excess / mass)) : 0;
  return clamp01((r - alpha) / n);
}

/**
 * Exact limits for a central coverage (0.95 → tails 0.025/0.975). When n·p0(1-p0) is tiny the
 * interpolated upper limit can fall below p0 (all mass at 0); a limit on the wrong side of the target
 * is meaningless, so each side is held at p0 at worst. This changes no flag: a count at or below
 * n·p0 is never "above".
 */
export function exactBinomialLimits(n: number, p0: number, coverage: number): LimitPair {
  if (!(coverage > 0 && coverage < 1)) throw new RangeError(`coverage must be in (0, 1), got ${coverage}`);
  const tail = (1 - coverage) / 2;
  return {
    lower: Math.min(p0, exactBinomialLimit(n, p0, tail)),
    upper: Math.max(p0, exactBinomialLimit(n, p0, 1 - tail)),
  };
}

/** sin² of an angle held in [0, π/2], where sin² is increasing: the back-transform of the arcsine scale. */
function fromArcsine(theta: number): number {
  const t = Math.min(Math.PI / 2, Math.max(0, theta));
  return clamp01(Math.sin(t) ** 2);
}

function checkN(n: number): void {
  if (!Number.isFinite(n) || n <= 0) throw new RangeError(`n must be a finite number > 0, got ${n}`);
}

/**
 * Multiplicative overdispersion limits θ0 ± z√φ·s, s = 1/(2√n), back-transformed. φ below 1
 * (underdispersion) would narrow the limits below chance; Spiegelhalter adjusts only for φ > 1.
 */
export function multiplicativeLimits(n: number, p0: number, z: number, phi: number): LimitPair {
  checkN(n);
  checkProbability('p0', p0);
  if (!(phi >= 0) || !Number.isFinite(phi))
    throw new RangeError(`phi must be a finite number ≥ 0, got ${phi}`);
  const theta0 = Math.asin(Math.sqrt(p0));
  const half = z * Math.sqrt(Math.max(1, phi)) * (0.5 / Math.sqrt(n));
  return { lower: fromArcsine(theta0 - half), upper: fromArcsine(theta0 + half) };
}

/** Additive (random-effects) limits θ0 ± z√(s² + τ²), back-transformed (Spiegelhalter 2005 §6). */
export function additiveLimits(n: number, p0: number, z: number, tau2: number): LimitPair {
  checkN(n);
  checkProbability('p0', p0);
  if (!(tau2 >= 0) || !Number.isFinite(tau2))
    throw new RangeError(`tau2 must be a finite number ≥ 0, got ${tau2}`);
  const theta0 = Math.asin(Math.sqrt(p0));
  const half = z * Math.sqrt(1 / (4 * n) + tau2);
  return { lower: fromArcsine(theta0 - half), upper: fromArcsine(theta0 + half) };
}

export const LIMIT_KEYS = [
  'exact95',
  'exact998',
  'multiplicative95',
  'multiplicative998',
  'additive95',
  'additive998',
] as const;
export type LimitKey = (typeof LIMIT_KEYS)[number];
export type FunnelLimits = Record<LimitKey, LimitPair>;

/** All six limits at n (exact ones need an integer n). */
export function funnelLimits(n: number, p0: number, phi: number, tau2: number): FunnelLimits {
  return {
    exact95: exactBinomialLimits(n, p0, 0.95),
    exact998: exactBinomialLimits(n, p0, 0.998),
    multiplicative95: multiplicativeLimits(n, p0, Z95, phi),
    multiplicative998: multiplicativeLimits(n, p0, Z998, phi),
    additive95: additiveLimits(n, p0, Z95, tau2),
    additive998: additiveLimits(n, p0, Z998, tau2),
  };
}

// ------------------------------------------------------------------------------------------------
// Overdispersion
// ------------------------------------------------------------------------------------------------

export interface Overdispersion {
  /** I, the number of GPs. */
  units: number;
  /** Spiegelhalter's φ̂: mean of z² after winsorising z at the `winsorise` and 1-`winsorise` quantiles. */
  phi: number;
  /** Mean of the raw z²: the Pearson-type dispersion, ≈ 1 without overdispersion. */
  phiUnwinsorised: number;
  /** The z cut-offs used for winsorising. */
  winsorLimits: LimitPair;
  /** DerSimonian-Laird between-GP variance on the arcsine scale, from the winsorised φ̂. */
  tau2: number;
  /** I·φ (unwinsorised), compared with χ²(I-1). */
  chiSquare: number;
  df: number;
  /** P(χ²(I-1) > chiSquare): the test of overdispersion. */
  pValue: number;
}

/** R's default (type 7) quantile of sorted values: linear interpolation between order statistics. */
function quantileSorted(sorted: readonly number[], prob: number): number {
  const h = (sorted.length - 1) * prob;
  const lo = Math.floor(h);
  const a = sorted[lo]!;
  const b = sorted[Math.min(sorted.length - 1, lo + 1)]!;
  return a + (h - lo) * (b - a);
}

/**
 * Spiegelhalter's overdispersion on the arcsine-square-root scale (2005 §6; FunnelPlotR's phi/tau):
 * y = asin(√p), s = 1/(2√n), θ0 = asin(√p0), z = (y - θ0)/s; φ̂ = mean of winsorised z²;
 * τ̂² = max{0, (Iφ̂ - (I-1)) / (Σw - Σw²/Σw)}, w = 1/s².
 *
 * Winsorising at 10 %/90 % makes φ̂ robust to outlying GPs but also shrinks it: for normal z without
 * any overdispersion its expectation is ≈ 0.68, not 1, and with a normal between-GP spread τ̂ comes
 * out ≈ 25-35 % low (simulated; the tests). Pass winsorise = 0 for the plain DerSimonian-Laird
 * estimate. The χ² test uses the unwinsorised z², for which I·φ ~ χ²(I-1) holds under the null;
 * it is somewhat liberal when many GPs have small n·p0, where the arcsine variance exceeds 1/(4n).
 */
export function estimateOverdispersion(
  items: readonly { n: number; value: number }[],
  p0: number,
  winsorise = 0.1
): Overdispersion {
  const I = items.length;
  if (I < 2) throw new Error(`Overdispersion needs at least 2 GPs, got ${I}`);
  checkProbability('p0', p0);
  if (!(winsorise >= 0 && winsorise < 0.5))
    throw new RangeError(`winsorise must be in [0, 0.5), got ${winsorise}`);
  const theta0 = Math.asin(Math.sqrt(p0));
  const z = items.map(({ n, value }) => {
    checkN(n);
    if (!Number.isFinite(value) || value < 0)
      throw new RangeError(`value must be a finite number ≥ 0, got ${value}`);
    // A standardised share p0·O/E can exceed 1; asin needs [0, 1].
    return (Math.asin(Math.sqrt(Math.min(1, value))) - theta0) * 2 * Math.sqrt(n);
  });
  const sorted = [...z].sort((a, b) => a - b);
  const lowerCut = quantileSorted(sorted, winsorise);
  const upperCut = quantileSorted(sorted, 1 - winsorise);
  let sumW2 = 0;
  let sumRaw2 = 0;
  for (const v of z) {
    sumRaw2 += v * v;
    sumW2 += Math.min(upperCut, Math.max(lowerCut, v)) ** 2;
  }
  const phi = sumW2 / I;
  const phiUnwinsorised = sumRaw2 / I;
  let sw = 0;
  let sw2 = 0;
  for (const { n } of items) {
    const w = 4 * n; // 1/s²
    sw += w;
    sw2 += w * w;
  }
  // Σw - Σw²/Σw = 0 only when a single GP holds all weight, impossible with I ≥ 2 and n > 0.
  const tau2 = Math.max(0, (I * phi - (I - 1)) / (sw - sw2 / sw));
  const df = I - 1;
  const chiSquare = I * phiUnwinsorised;
  return {
    units: I,
    phi,
    phiUnwinsorised,
    winsorLimits: { lower: lowerCut, upper: upperCut },
    tau2,
    chiSquare,
    df,
    pValue: chiSquareSurvival(chiSquare, df),
  };
}

// ------------------------------------------------------------------------------------------------
// Analysis of a set of GPs
// ------------------------------------------------------------------------------------------------

export interface FunnelUnit {
  /** Patients of the GP (the denominator). */
  readonly n: number;
  /** Patients with the outcome. */
  readonly observed: number;
  /** Σ of patient-level predicted probabilities from a risk model without GP effects. */
  readonly expected?: number | undefined;
}

export type FunnelFlag = 'below' | 'inside' | 'above';

export interface FunnelUnitResult {
  n: number;
  /** The plotted proportion (exact): observed/n, or p0·observed/expected when risk-adjusted. */
  value: number;
  /** z on the arcsine scale (before winsorising). */
  z: number;
  flags: Record<LimitKey, FunnelFlag>;
}

export interface FunnelSummary {
  gps: number;
  patients: number;
  observed: number;
  riskAdjusted: boolean;
  p0: number;
  /** Fraction winsorised in each tail of z before φ̂ (0.1 = Spiegelhalter's 10 %). */
  winsorise: number;
  phi: number;
  phiUnwinsorised: number;
  tau2: number;
  tau: number;
  chiSquare: number;
  df: number;
  pValue: number;
  /** GPs outside each pair of limits (exact values, all GPs analysed). */
  outside: Record<LimitKey, { above: number; below: number }>;
}

export interface FunnelAnalysis {
  summary: FunnelSummary;
  /** One result per input unit, in input order, without ids: for the caller's own (secure) use only. */
  units: FunnelUnitResult[];
}

function validateUnits(units: readonly FunnelUnit[]): boolean {
  if (units.length === 0) throw new Error('Funnel plot needs at least one GP; got an empty list');
  const withExpected = units.filter((u) => u.expected !== undefined).length;
  if (withExpected !== 0 && withExpected !== units.length)
    throw new Error(
      `Either all GPs or none must have an expected count; ${withExpected} of ${units.length} have one`
    );
  units.forEach((u, i) => {
    const where = `GP #${i + 1}`;
    if (!Number.isInteger(u.n) || u.n <= 0)
      throw new RangeError(`${where}: n (patients) must be a positive integer, got ${u.n}`);
    if (!Number.isInteger(u.observed) || u.observed < 0)
      throw new RangeError(`${where}: observed must be a non-negative integer, got ${u.observed}`);
    if (u.observed > u.n) throw new RangeError(`${where}: observed (${u.observed}) exceeds n (${u.n})`);
    if (u.expected !== undefined) {
      const e = u.expected;
      if (!Number.isFinite(e) || e < 0)
        throw new RangeError(`${where}: expected must be a finite number ≥ 0, got ${e}`);
      if (e === 0 && u.observed > 0)
        throw new RangeError(
          `${where}: expected is 0 but observed is ${u.observed}: the risk model is inconsistent`
        );
      // Σ of n probabilities cannot exceed n (a little slack for rounding in the caller's sum).
      if (e > u.n * (1 + 1e-9)) throw new RangeError(`${where}: expected (${e}) exceeds n (${u.n})`);
    }
  });
  return withExpected > 0;
}

function flagOf(value: number, limits: LimitPair): FunnelFlag {
  if (value > limits.upper) return 'above';
  if (value < limits.lower) return 'below';
  return 'inside';
}

/**
 * Exact statistics for every GP: target, overdispersion, and flags against each set of limits.
 * Risk-adjusted (all units have `expected`): value = p0·O/E with p0 = ΣO/Σn; a GP with E = 0 and
 * O = 0 carries no information and is put on the target. The limits stay those of Bin(n, p0), as
 * the plot's x axis is patients; they are approximate for GPs whose case mix moves E/n far from p0.
 */
export function analyseFunnel(
  units: readonly FunnelUnit[],
  options: { winsorise?: number } = {}
): FunnelAnalysis {
  const riskAdjusted = validateUnits(units);
  if (units.length < 2) throw new Error('Funnel plot needs at least 2 GPs to estimate overdispersion');
  let patients = 0;
  let observed = 0;
  for (const u of units) {
    patients += u.n;
    observed += u.observed;
  }
  const p0 = observed / patients;
  const values = units.map((u) => {
    if (!riskAdjusted) return u.observed / u.n;
    const e = u.expected!;
    return e === 0 ? p0 : (p0 * u.observed) / e;
  });
  const winsorise = options.winsorise ?? 0.1;
  const od = estimateOverdispersion(
    units.map((u, i) => ({ n: u.n, value: values[i]! })),
    p0,
    winsorise
  );
  const theta0 = Math.asin(Math.sqrt(p0));
  // Many GPs share list sizes; the exact limits need a quantile search, so compute each n once.
  const cache = new Map<number, FunnelLimits>();
  const limitsAt = (n: number) => {
    let l = cache.get(n);
    if (!l) {
      l = funnelLimits(n, p0, od.phi, od.tau2);
      cache.set(n, l);
    }
    return l;
  };
  const outside = Object.fromEntries(LIMIT_KEYS.map((k) => [k, { above: 0, below: 0 }])) as Record<
    LimitKey,
    { above: number; below: number }
  >;
  const results = units.map((u, i): FunnelUnitResult => {
    const value = values[i]!;
    const limits = limitsAt(u.n);
    const flags = {} as Record<LimitKey, FunnelFlag>;
    for (const key of LIMIT_KEYS) {
      const f = flagOf(value, limits[key]);
      flags[key] = f;
      if (f !== 'inside') outside[key][f]++;
    }
    return {
      n: u.n,
      value,
      z: (Math.asin(Math.sqrt(Math.min(1, value))) - theta0) * 2 * Math.sqrt(u.n),
      flags,
    };
  });
  return {
    summary: {
      gps: units.length,
      patients,
      observed,
      riskAdjusted,
      p0,
      winsorise,
      phi: od.phi,
      phiUnwinsorised: od.phiUnwinsorised,
      tau2: od.tau2,
      tau: Math.sqrt(od.tau2),
      chiSquare: od.chiSquare,
      df: od.df,
      pValue: od.pValue,
      outside,
    },
    units: results,
  };
}

// ------------------------------------------------------------------------------------------------
// Data for drawing (the only output meant for publication)
// ------------------------------------------------------------------------------------------------

/** A step of 1, 2 or 5 × 10^k close to `raw` (the usual "nice numbers" for axes). */
export function niceStep(raw: number): number {
  if (!(raw > 0) || !Number.isFinite(raw))
    throw new RangeError(`niceStep needs a finite number > 0, got ${raw}`);
  const e = 10 ** Math.floor(Math.log10(raw));
  const f = raw / e;
  return (f < 1.5 ? 1 : f < 3 ? 2 : f < 7 ? 5 : 10) * e;
}

/** The next multiple of a nice step (about a fifth of v) at or above v: the end of a linear axis from 0. */
export function niceCeil(v: number): number {
  if (!(v > 0)) return 1;
  const step = niceStep(v / 5);
  return Math.ceil(v / step - 1e-9) * step;
}

/** Integer n values for drawing limit curves: log-spaced (the funnel bends fastest at small n) and linear. */
export function curveGrid(from: number, to: number, points = 120): number[] {
  const a = Math.max(1, Math.ceil(from));
  const b = Math.max(a, Math.floor(to));
  if (b === a) return [a];
  const half = Math.max(2, Math.floor(points / 2));
  const set = new Set<number>([a, b]);
  for (let i = 0; i < half; i++) {
    const t = i / (half - 1);
    set.add(Math.round(a * (b / a) ** t));
    set.add(Math.round(a + (b - a) * t));
  }
  return [...set].filter((n) => n >= a && n <= b).sort((x, y) => x - y);
}

export interface FunnelCurvePoint extends FunnelLimits {
  n: number;
}

export interface FunnelPlotPoint {
  /** Patients, rounded to a multiple of 5 (never below the minimum). */
  x: number;
  /** Percent, rounded to 0.5 percentage point. */
  y: number;
}

export interface FunnelPlotData {
  riskAdjusted: boolean;
  /** Target proportion (0-1). */
  p0: number;
  minPatients: number;
  /** GPs analysed but not drawn because they had fewer than minPatients patients. */
  omitted: number;
  /** Coarsened, sorted by (x, y); no ids. */
  points: FunnelPlotPoint[];
  /** Limits over n from minPatients to xMax. */
  curves: FunnelCurvePoint[];
  /** End of the x axis: a nice number at or above the largest point. */
  xMax: number;
  summary: FunnelSummary;
}

export interface FunnelPlotOptions {
  /** GPs with fewer patients are left out of the points (default 10). */
  minPatients?: number;
  /** About how many n values the limit curves are evaluated at (default 120). */
  curvePoints?: number;
  winsorise?: number;
  /** A result of analyseFunnel on the same units, to avoid computing it twice. */
  analysis?: FunnelAnalysis;
}

/**
 * Points and limit curves to draw, safe to publish: GPs with fewer than `minPatients` patients are
 * left out (and counted); each point's n is rounded to a multiple of 5 and its percent to 0.5 point
 * so no exact count can be read back; the points are sorted, so their order says nothing about the
 * input's. The summary numbers are the exact ones from all GPs analysed.
 */
export function prepareFunnelPlot(
  units: readonly FunnelUnit[],
  options: FunnelPlotOptions = {}
): FunnelPlotData {
  const minPatients = options.minPatients ?? 10;
  if (!Number.isInteger(minPatients) || minPatients < 1)
    throw new RangeError(`minPatients must be a positive integer, got ${minPatients}`);
  const analysis = options.analysis ?? analyseFunnel(units, { winsorise: options.winsorise ?? 0.1 });
  if (analysis.units.length !== units.length)
    throw new Error(`analysis has ${analysis.units.length} GPs but ${units.length} units were given`);
  const lowestX = Math.ceil(minPatients / 5) * 5;
  const points: FunnelPlotPoint[] = [];
  let omitted = 0;
  for (const r of analysis.units) {
    if (r.n < minPatients) {
      omitted++;
      continue;
    }
    points.push({ x: Math.max(lowestX, Math.round(r.n / 5) * 5), y: Math.round(r.value * 200) / 2 });
  }
  points.sort((a, b) => a.x - b.x || a.y - b.y);
  const s = analysis.summary;
  const xMax = niceCeil(Math.max(minPatients * 2, ...points.map((p) => p.x)));
  const curves = curveGrid(minPatients, xMax, options.curvePoints ?? 120).map((n) => ({
    n,
    ...funnelLimits(n, s.p0, s.phi, s.tau2),
  }));
  return { riskAdjusted: s.riskAdjusted, p0: s.p0, minPatients, omitted, points, curves, xMax, summary: s };
}

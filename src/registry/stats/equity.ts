/**
 * Socio-economic equity measures on GROUPED data (registry-facts §3.4): the concentration index with
 * its Wagstaff and Erreygers corrections, the need-standardised horizontal inequity index HI, and the
 * slope and relative indices of inequality (SII, RII). Everything works on per-group / per-cell
 * sufficient statistics (n, Σy, Σy²) as they come out of DuckDB aggregates; no person rows.
 *
 * SES groups are indexed 0..K−1 from WORST-OFF to BEST-OFF, so positive C, SII > 0 and RII > 1 all
 * mean "more among the better-off" (pro-rich), negative the opposite.
 *
 * Ranks. Every person in group k gets the fractional rank R = (rank − ½)/N with tied ranks averaged,
 * which is the group's ridit r_k = Σ_{j<k} π_k + π_k/2 (π_k = n_k/N). Then mean(R) = ½ exactly and
 *   C = (2/μ)·cov(y, R) = (2/μ) Σ_k m_k r_k − 1,   m_k = Σ_{i∈k} y_i / N,  μ = Σ_k m_k,
 * with cov the population (1/N) covariance. This is also what the grouped concentration-curve formula
 * C = Σ_t (p_{t−1}L_t − p_t L_{t−1}) (Fuller & Lury 1977; O'Donnell et al. 2008, eq. 8.7; trapezoids
 * between the curve points) gives: expanding it, Σ_t l_t (p_{t−1} + p_t) − 1 = 2Σ_t l_t r_t − 1 with
 * l_t = m_t/μ. So the two definitions agree EXACTLY with mean-ranked ties; we follow the covariance
 * form because it has a closed-form influence function. (registry-facts §3.4 prints the curve formula
 * with an extra "− 1"; that is a typo, it would give C = −1 under equality. Breaking ties arbitrarily
 * at person level would instead make C depend on the order within a group.)
 *
 * Standard errors: delta method on the vector of per-person means (π_k, m_k) of d_ik = 1[i ∈ k] and
 * e_ik = y_i d_ik, with the exact multinomial-type covariance, i.e. Var = (1/N²) Σ_i IF_i² where the
 * influence function of person i in group k is linear in y_i: IF_i = a_k + b_k y_i − const. Because
 * the ridits are functions of π, the uncertainty of the ranks is included. With one person per group
 * this reproduces Kakwani, Wagstaff & van Doorslaer (1997, J Econometrics 77:87–103, eq. 14):
 * a_i = (y_i/μ)(2R_i − 1 − C) + 2 − q_{i−1} − q_i.
 */
import { Z95, fitPoissonRR, type GlmFit } from './glm.js';
import { fitGroupedOls, type OlsFit } from './ols.js';

export interface Estimate {
  estimate: number;
  se: number;
  /** 95 % normal-approximation interval. */
  lo: number;
  hi: number;
}

export interface RatioEstimate {
  /** exp(β). */
  estimate: number;
  /** Standard error of β (log scale). */
  logSe: number;
  lo: number;
  hi: number;
}

/** Lower and upper bound of the outcome, for the Wagstaff and Erreygers corrections. */
export type Bounds = readonly [lower: number, upper: number];

/** One SES group: n persons, Σ y and (for a non-binary outcome) Σ y². */
export interface SesGroup {
  n: number;
  sum: number;
  /** Σ y²; omit for a 0/1 outcome (then Σ y² = Σ y and 0 ≤ sum ≤ n is enforced). */
  sumSq?: number;
}

export interface ConcentrationOptions {
  /**
   * Bounds [a, b] of the outcome (default [0, 1]: binary). Every group must be consistent with them.
   * null for an unbounded outcome (counts, costs): the Wagstaff and Erreygers indices are then null.
   */
  bounds?: Bounds | null;
}

export interface ConcentrationResult {
  /** Persons. */
  n: number;
  /** μ, the mean outcome. */
  mean: Estimate;
  /** Concentration index C = (2/μ)·cov(y, R). */
  c: Estimate;
  /**
   * Wagstaff (2005) normalisation W = (b−a)μC / ((b−μ)(μ−a)); = C/(1−μ) for a binary outcome.
   * null when there are no bounds or μ lies on a bound (W is then undefined).
   */
  wagstaff: Estimate | null;
  /** Erreygers (2009) corrected index E = 4μC/(b−a); null when there are no bounds. */
  erreygers: Estimate | null;
  /** Ridit (mean fractional rank) of each group; empty groups get their midpoint too. */
  ridits: number[];
}

// ---------------------------------------------------------------------------------------------
// Shared helpers

/** Relative slack for rounding in consistency checks on the sufficient statistics. */
const TOL = 1e-9;

function estimate(value: number, variance: number, what: string): Estimate {
  if (!Number.isFinite(value) || !Number.isFinite(variance))
    throw new Error(`${what}: numerical failure (non-finite result)`);
  const se = Math.sqrt(Math.max(0, variance));
  return { estimate: value, se, lo: value - Z95 * se, hi: value + Z95 * se };
}

/** Ridits r_k = Σ_{j<k} n_j/N + n_k/(2N) of groups ordered worst-off → best-off. */
export function ridits(counts: readonly number[]): number[] {
  counts.forEach((n, k) => {
    if (!Number.isFinite(n) || n < 0) throw new Error(`Ridits: group ${k} has an invalid person count ${n}`);
  });
  const total = counts.reduce((s, n) => s + n, 0);
  if (!(total > 0)) throw new Error('Ridits: no persons');
  let below = 0;
  return counts.map((n) => {
    const r = (below + n / 2) / total;
    below += n;
    return r;
  });
}

/** Points (p_t, L_t) of the grouped concentration curve, starting at (0, 0). */
export function concentrationCurve(groups: readonly SesGroup[]): { p: number[]; l: number[] } {
  const g = checkGroups(groups, null, false, 'Concentration curve');
  const mu = g.s.reduce((a, b) => a + b, 0);
  if (!(mu > 0)) throw new Error('Concentration curve: the outcome total is 0, so L is undefined');
  const p = [0];
  const l = [0];
  let cp = 0;
  let cl = 0;
  for (let k = 0; k < g.n.length; k++) {
    cp += g.n[k]!;
    cl += g.s[k]!;
    p.push(cp / g.total);
    l.push(cl / mu);
  }
  return { p, l };
}

interface Checked {
  n: number[];
  s: number[];
  q: number[];
  total: number;
}

/** Validates grouped statistics; binary outcome when sumSq is absent. */
function checkGroups(
  groups: readonly SesGroup[],
  bounds: Bounds | null,
  allowNegative: boolean,
  what: string
): Checked {
  if (bounds) checkBounds(bounds, what);
  const n: number[] = [];
  const s: number[] = [];
  const q: number[] = [];
  groups.forEach((g, k) => {
    const [nk, sk, qk] = checkStats(g.n, g.sum, g.sumSq, bounds, allowNegative, `${what}: group ${k}`);
    n.push(nk);
    s.push(sk);
    q.push(qk);
  });
  const withPersons = n.filter((x) => x > 0).length;
  if (withPersons < 2)
    throw new Error(
      `${what}: fewer than 2 SES groups with persons (${withPersons}); inequality is undefined`
    );
  return { n, s, q, total: n.reduce((a, b) => a + b, 0) };
}

function checkBounds(bounds: Bounds, what: string): void {
  const [a, b] = bounds;
  if (!Number.isFinite(a) || !Number.isFinite(b) || !(b > a))
    throw new Error(`${what}: invalid outcome bounds [${a}, ${b}]`);
}

/** Returns [n, Σy, Σy²] after checking them; where names the group or cell in the error. */
function checkStats(
  n: number,
  sum: number,
  sumSq: number | undefined,
  bounds: Bounds | null,
  allowNegative: boolean,
  where: string
): [number, number, number] {
  if (!Number.isFinite(n) || n < 0) throw new Error(`${where}: invalid person count ${n}`);
  if (!Number.isFinite(sum)) throw new Error(`${where}: non-finite outcome sum ${sum}`);
  if (sumSq !== undefined && (!Number.isFinite(sumSq) || sumSq < 0))
    throw new Error(`${where}: invalid sum of squares ${sumSq}`);
  if (sum < 0 && !allowNegative) throw new Error(`${where}: negative outcome sum ${sum}`);
  const slack = TOL * Math.max(1, n);
  if (sumSq === undefined && (sum < -slack || sum > n + slack))
    throw new Error(`${where}: ${sum} events among ${n} persons (a 0/1 outcome needs 0 ≤ events ≤ n)`);
  const q = sumSq ?? sum;
  if (n === 0 && (sum !== 0 || q !== 0)) throw new Error(`${where}: outcome sums but no persons`);
  // Cauchy–Schwarz: n Σy² ≥ (Σy)².
  if (n * q < sum * sum * (1 - TOL) - TOL)
    throw new Error(`${where}: sumSq < sum²/n (inconsistent statistics)`);
  if (bounds) {
    const [a, b] = bounds;
    const slackB = TOL * Math.max(1, n) * Math.max(1, Math.abs(a), Math.abs(b)) ** 2;
    // a ≤ y ≤ b for every person ⇒ a n ≤ Σy ≤ b n and Σ (y−a)(b−y) ≥ 0, i.e. Σy² ≤ (a+b)Σy − ab n.
    if (sum < a * n - slackB || sum > b * n + slackB || q > (a + b) * sum - a * b * n + slackB)
      throw new Error(
        `${where}: outcome outside the bounds [${a}, ${b}]; pass options.bounds (null for an unbounded outcome)`
      );
  }
  return [n, sum, q];
}

interface Core {
  total: number;
  pi: number[];
  m: number[];
  r: number[];
  /** Σ_{l>k} m_l + m_k/2 = ∂(Σ_j m_j r_j)/∂π_k. */
  tail: number[];
  mu: number;
  c: number;
}

function core(g: Checked, what: string): Core {
  const total = g.total;
  const pi = g.n.map((x) => x / total);
  const m = g.s.map((x) => x / total);
  const r = ridits(g.n);
  const mu = m.reduce((a, b) => a + b, 0);
  if (mu === 0) throw new Error(`${what}: the mean outcome μ is 0, so C = (2/μ)·cov(y, R) is undefined`);
  if (!(mu > 0)) throw new Error(`${what}: the mean outcome μ = ${mu} is not positive; C is undefined`);
  let a = 0;
  for (let k = 0; k < m.length; k++) a += m[k]! * r[k]!;
  const tail = new Array<number>(m.length).fill(0);
  let above = 0;
  for (let k = m.length - 1; k >= 0; k--) {
    tail[k] = above + m[k]! / 2;
    above += m[k]!;
  }
  return { total, pi, m, r, tail, mu, c: (2 * a) / mu - 1 };
}

/** Persons sharing a cell whose influence function is alpha + beta·y_i. */
interface IfCell {
  n: number;
  s: number;
  q: number;
  alpha: number;
  beta: number;
}

/**
 * Var(θ̂) ≈ (1/N²) Σ_i (IF_i − mean IF)², summed exactly from n, Σy, Σy² per cell. This is the
 * delta method with the (1/N) sample covariance of the per-person vectors, as in KWV (1997).
 */
function ifVariance(cells: readonly IfCell[], total: number): number {
  let mean = 0;
  for (const c of cells) mean += c.n * c.alpha + c.s * c.beta;
  mean /= total;
  let v = 0;
  for (const c of cells) {
    const d = c.alpha - mean;
    v += c.n * d * d + 2 * d * c.beta * c.s + c.beta * c.beta * c.q;
  }
  return Math.max(0, v / total) / total;
}

/** ∂W/∂C and ∂W/∂μ of W = (b−a)μC / ((b−μ)(μ−a)); null when μ is not strictly inside (a, b). */
function wagstaffDerivs(
  c: number,
  mu: number,
  bounds: Bounds
): { w: number; dC: number; dMu: number } | null {
  const [a, b] = bounds;
  if (!(mu > a && mu < b)) return null;
  const den = (b - mu) * (mu - a);
  // d/dμ [μ / ((b−μ)(μ−a))] = (μ² − ab) / den².
  return {
    w: ((b - a) * mu * c) / den,
    dC: ((b - a) * mu) / den,
    dMu: ((b - a) * c * (mu * mu - a * b)) / den ** 2,
  };
}

/**
 * C, μ, W and E with delta-method errors. Per group: IF_C = a_k + b_k y with
 *   a_k = (2/μ)·tail_k,  b_k = (2r_k − 1 − C)/μ,
 * IF_μ = y; W and E follow by the chain rule because both are functions of (C, μ).
 */
function concentrationFrom(g: Checked, bounds: Bounds | null, what: string): ConcentrationResult {
  const k = core(g, what);
  const cells = (alpha: (j: number) => number, beta: (j: number) => number): IfCell[] =>
    g.n.map((n, j) => ({ n, s: g.s[j]!, q: g.q[j]!, alpha: alpha(j), beta: beta(j) }));
  const aC = (j: number) => (2 * k.tail[j]!) / k.mu;
  const bC = (j: number) => (2 * k.r[j]! - 1 - k.c) / k.mu;
  const c = estimate(k.c, ifVariance(cells(aC, bC), k.total), `${what} C`);
  const mean = estimate(
    k.mu,
    ifVariance(
      cells(
        () => 0,
        () => 1
      ),
      k.total
    ),
    `${what} μ`
  );
  let wagstaff: Estimate | null = null;
  let erreygers: Estimate | null = null;
  if (bounds) {
    const kappa = 4 / (bounds[1] - bounds[0]);
    erreygers = estimate(
      kappa * k.mu * k.c,
      ifVariance(
        cells(
          (j) => kappa * k.mu * aC(j),
          (j) => kappa * (k.mu * bC(j) + k.c)
        ),
        k.total
      ),
      `${what} Erreygers index`
    );
    const w = wagstaffDerivs(k.c, k.mu, bounds);
    if (w)
      wagstaff = estimate(
        w.w,
        ifVariance(
          cells(
            (j) => w.dC * aC(j),
            (j) => w.dC * bC(j) + w.dMu
          ),
          k.total
        ),
        `${what} Wagstaff index`
      );
  }
  return { n: k.total, mean, c, wagstaff, erreygers, ridits: k.r };
}

// ---------------------------------------------------------------------------------------------
// 1. Concentration index

/**
 * Concentration index of an outcome over SES groups ordered worst-off → best-off, with the Wagstaff
 * and Erreygers indices. Throws on fewer than 2 groups with persons, μ = 0, negative or non-finite
 * inputs, or groups inconsistent with the bounds (default [0, 1]).
 */
export function concentrationIndex(
  groups: readonly SesGroup[],
  options: ConcentrationOptions = {}
): ConcentrationResult {
  const bounds = options.bounds === undefined ? ([0, 1] as const) : options.bounds;
  return concentrationFrom(
    checkGroups(groups, bounds, false, 'Concentration index'),
    bounds,
    'Concentration index'
  );
}

// ---------------------------------------------------------------------------------------------
// Cells with covariates (HI, adjusted SII/RII)

/** Persons sharing an SES group and covariate values, with their outcome totals. */
export interface EquityCell {
  /** SES group index, 0 = worst-off … K−1 = best-off. */
  group: number;
  /** Need covariates (e.g. dummies for age group and sex). Same length in every cell. */
  need?: readonly number[];
  /** Non-need covariates (e.g. immigrant background, centrality). Same length in every cell. */
  nonNeed?: readonly number[];
  n: number;
  /** Persons with the outcome (binary y), or Σ y together with sumSq. */
  events: number;
  /** Σ y²; omit for a 0/1 outcome. */
  sumSq?: number;
}

interface CheckedCell {
  group: number;
  need: readonly number[];
  nonNeed: readonly number[];
  n: number;
  s: number;
  q: number;
}

interface CheckedCells {
  cells: CheckedCell[];
  /** Persons per SES group. */
  groupN: number[];
  total: number;
  ridits: number[];
  pNeed: number;
  pNonNeed: number;
  binary: boolean;
}

function checkCells(cells: readonly EquityCell[], bounds: Bounds | null, what: string): CheckedCells {
  if (cells.length === 0) throw new Error(`${what}: no cells`);
  if (bounds) checkBounds(bounds, what);
  const pNeed = cells[0]!.need?.length ?? 0;
  const pNonNeed = cells[0]!.nonNeed?.length ?? 0;
  let groups = 0;
  let binary = true;
  const out: CheckedCell[] = [];
  cells.forEach((c, i) => {
    const where = `${what}: cell ${i}`;
    if (!Number.isInteger(c.group) || c.group < 0)
      throw new Error(`${where}: SES group must be a non-negative integer index, got ${c.group}`);
    const need = c.need ?? [];
    const nonNeed = c.nonNeed ?? [];
    if (need.length !== pNeed)
      throw new Error(
        `${where}: ${need.length} need covariates, expected ${pNeed} (mismatched covariate lengths)`
      );
    if (nonNeed.length !== pNonNeed)
      throw new Error(
        `${where}: ${nonNeed.length} non-need covariates, expected ${pNonNeed} (mismatched covariate lengths)`
      );
    if (!need.every(Number.isFinite) || !nonNeed.every(Number.isFinite))
      throw new Error(`${where}: non-finite covariate`);
    const [n, s, q] = checkStats(c.n, c.events, c.sumSq, bounds, false, where);
    if (c.sumSq !== undefined && c.sumSq !== c.events) binary = false;
    groups = Math.max(groups, c.group + 1);
    if (n > 0) out.push({ group: c.group, need, nonNeed, n, s, q });
  });
  const groupN = new Array<number>(groups).fill(0);
  for (const c of out) groupN[c.group]! += c.n;
  const withPersons = groupN.filter((x) => x > 0).length;
  if (withPersons < 2)
    throw new Error(
      `${what}: fewer than 2 SES groups with persons (${withPersons}); inequality is undefined`
    );
  const total = groupN.reduce((a, b) => a + b, 0);
  return { cells: out, groupN, total, ridits: ridits(groupN), pNeed, pNonNeed, binary };
}

// ---------------------------------------------------------------------------------------------
// 2. Horizontal inequity (indirect need standardisation)

export interface HorizontalInequityOptions {
  /** Outcome bounds for the corrected HI indices (default [0, 1]); null: no corrected indices. */
  bounds?: Bounds | null;
  /**
   * Add dummies for the SES groups (reference: the first group with persons) to the non-need part of
   * the standardisation model (default true). O'Donnell et al. (2008, ch. 13) include the ranking
   * variable among the non-need controls so that need coefficients do not absorb SES effects. Set to
   * false if nonNeed already contains SES dummies (otherwise the design is singular).
   */
  sesDummies?: boolean;
}

export interface HorizontalInequityGroup {
  n: number;
  /** Observed mean outcome; null for an empty group. */
  observed: number | null;
  /** Mean need-expected outcome ŷ^N. */
  needExpected: number | null;
  /** Mean need-standardised outcome y^S = y − ŷ^N + ȳ. */
  standardised: number | null;
}

export interface HorizontalInequityResult {
  /**
   * HI = C(y^S) = C(y) − C(ŷ^N). Its SE includes the sampling error of the need model (β̂) and of
   * the ranks; see fixedModel for the SE that treats y^S as data.
   */
  hi: Estimate;
  /** Wagstaff-normalised HI, HI·(b−a)ȳ/((b−ȳ)(ȳ−a)) (= HI/(1−ȳ) for binary y); null without bounds. */
  hiWagstaff: Estimate | null;
  /** Erreygers-corrected HI, 4ȳ·HI/(b−a); null without bounds. */
  hiErreygers: Estimate | null;
  /** C(y), the unstandardised concentration index (with W and E). */
  cOutcome: ConcentrationResult;
  /** C(ŷ^N), the inequality explained by need; SE includes the need model's sampling error. */
  cNeed: Estimate;
  /** C(y^S), W and E with y^S treated as fixed data (need model fixed); same point estimates. */
  fixedModel: ConcentrationResult;
  /** ȳ (= mean of ŷ^N = mean of y^S). */
  mean: number;
  groups: HorizontalInequityGroup[];
  /** The linear probability model; coefficient names in columns. */
  model: OlsFit;
  columns: string[];
}

/**
 * Need-standardised horizontal inequity index by indirect standardisation (O'Donnell, van Doorslaer,
 * Wagstaff & Lindelow 2008, "Analyzing health equity using household survey data", ch. 13 and 15):
 * linear probability model y = α + Σ β_j x_j (need) + Σ γ_p z_p (non-need) by OLS over persons
 * (computed from the cells), ŷ^N = α̂ + Σ β̂_j x_j + Σ γ̂_p z̄_p, y^S = y − ŷ^N + ȳ, HI = C(y^S).
 *
 * Standard error. With u_i = Σ β_j x_ij, 2cov(ŷ^N, R) = Σ_j β_j G_j with G_j = 2cov(x_j, R), so
 *   HI = C(y) − Σ_j β_j G_j / ȳ
 * (non-need means and the intercept drop out of the covariance). Its influence function is that of
 * C(y), minus that of Σ_j β_j G_j/ȳ, in which β̂ contributes through IF_β = (XᵀX/N)⁻¹ x_i (y_i − x_iᵀβ̂)
 * (M-estimation / stacked delta method). Every term is linear in y_i within a cell, so the variance is
 * exact from (n, Σy, Σy²) per cell. The often-quoted shortcut that treats the fitted need model as
 * fixed (returned as fixedModel) is NOT negligible just because N is large: both the model's and the
 * index's sampling errors shrink as 1/√N, and the model term matters when need is SES-graded (age vs
 * education). The test suite's simulation shows the difference.
 */
export function horizontalInequity(
  cells: readonly EquityCell[],
  options: HorizontalInequityOptions = {}
): HorizontalInequityResult {
  const what = 'Horizontal inequity';
  const bounds = options.bounds === undefined ? ([0, 1] as const) : options.bounds;
  const data = checkCells(cells, bounds, what);
  const { total, groupN, ridits: r, pNeed, pNonNeed } = data;
  const K = groupN.length;

  // Design: [1, need…, nonNeed…, SES dummies…].
  const sesLevels = options.sesDummies === false ? [] : groupN.flatMap((n, g) => (n > 0 ? [g] : [])).slice(1);
  const columns = [
    'intercept',
    ...Array.from({ length: pNeed }, (_, j) => `need[${j}]`),
    ...Array.from({ length: pNonNeed }, (_, j) => `nonNeed[${j}]`),
    ...sesLevels.map((g) => `ses[${g}]`),
  ];
  const p = columns.length;
  const design = (c: CheckedCell) => [
    1,
    ...c.need,
    ...c.nonNeed,
    ...sesLevels.map((g) => (c.group === g ? 1 : 0)),
  ];
  const xs = data.cells.map(design);
  let model: OlsFit;
  try {
    model = fitGroupedOls(data.cells.map((c, i) => ({ x: xs[i]!, n: c.n, sum: c.s, sumSq: c.q })));
  } catch (e) {
    const hint = sesLevels.length ? ' (if nonNeed already holds SES dummies, pass sesDummies: false)' : '';
    throw new Error(`${what}: need-standardisation model failed: ${(e as Error).message}${hint}`, {
      cause: e,
    });
  }
  const beta = model.beta;
  const yBar = data.cells.reduce((s, c) => s + c.s, 0) / total;

  // Non-need columns (incl. SES dummies) are held at their sample means in ŷ^N.
  const xBar = new Array<number>(p).fill(0);
  data.cells.forEach((c, i) => xs[i]!.forEach((v, j) => (xBar[j]! += (c.n * v) / total)));
  let nonNeedPart = 0;
  for (let j = 1 + pNeed; j < p; j++) nonNeedPart += beta[j]! * xBar[j]!;
  const u = data.cells.map((c) => c.need.reduce((s, v, j) => s + beta[1 + j]! * v, 0));
  const yHatN = u.map((ui) => beta[0]! + ui + nonNeedPart);

  // Group statistics of y, ŷ^N and y^S. Within a cell ŷ^N is a constant h, so with d = ȳ − h:
  // Σ y^S = Σy + n d and Σ (y^S)² = Σy² + 2dΣy + n d².
  const gY = { n: [...groupN], s: new Array<number>(K).fill(0), q: new Array<number>(K).fill(0), total };
  const gN = { n: [...groupN], s: new Array<number>(K).fill(0), q: new Array<number>(K).fill(0), total };
  const gS = { n: [...groupN], s: new Array<number>(K).fill(0), q: new Array<number>(K).fill(0), total };
  data.cells.forEach((c, i) => {
    const h = yHatN[i]!;
    const d = yBar - h;
    gY.s[c.group]! += c.s;
    gY.q[c.group]! += c.q;
    gN.s[c.group]! += c.n * h;
    gN.q[c.group]! += c.n * h * h;
    gS.s[c.group]! += c.s + c.n * d;
    gS.q[c.group]! += c.q + 2 * d * c.s + c.n * d * d;
  });
  const cOutcome = concentrationFrom(gY, bounds, `${what}: C(y)`);
  const fixedModel = concentrationFrom(gS, bounds, `${what}: C(y^S)`);

  // Full influence function of HI = C(y) − H/ȳ, H = Σ_j β_j G_j = Σ_g U_g (2r_g − 1).
  const U = new Array<number>(K).fill(0);
  const M = Array.from({ length: pNeed }, () => new Array<number>(K).fill(0));
  data.cells.forEach((c, i) => {
    U[c.group]! += (c.n * u[i]!) / total;
    c.need.forEach((v, j) => (M[j]![c.group]! += (c.n * v) / total));
  });
  const H = U.reduce((s, x, g) => s + x * (2 * r[g]! - 1), 0);
  const G = M.map((row) => row.reduce((s, x, g) => s + x * (2 * r[g]! - 1), 0));
  // w = (XᵀX/N)⁻¹ g with g = G in the need positions; h_c = wᵀx_c.
  const gVec = new Array<number>(p).fill(0);
  G.forEach((v, j) => (gVec[1 + j] = v));
  const w = model.xtxInv.map((row) => total * row.reduce((s, v, j) => s + v * gVec[j]!, 0));
  const tailU = new Array<number>(K).fill(0);
  let above = 0;
  for (let g = K - 1; g >= 0; g--) {
    tailU[g] = above + U[g]! / 2;
    above += U[g]!;
  }
  const cY = core(gY, `${what}: C(y)`);
  const cNeedValue = H / yBar;
  const hiValue = cY.c - cNeedValue;
  const ifN: { alpha: number; beta: number }[] = data.cells.map((c, i) => {
    const x = xs[i]!;
    const f = x.reduce((s, v, j) => s + v * beta[j]!, 0);
    const h = x.reduce((s, v, j) => s + v * w[j]!, 0);
    const rg = r[c.group]!;
    const alphaH = (2 * rg - 1) * u[i]! + 2 * tailU[c.group]! - h * f;
    return { alpha: alphaH / yBar, beta: h / yBar - H / (yBar * yBar) };
  });
  const ifCells = (fn: (c: CheckedCell, i: number) => { alpha: number; beta: number }): IfCell[] =>
    data.cells.map((c, i) => ({ n: c.n, s: c.s, q: c.q, ...fn(c, i) }));
  const ifHi = (c: CheckedCell, i: number) => ({
    alpha: (2 * cY.tail[c.group]!) / yBar - ifN[i]!.alpha,
    beta: (2 * r[c.group]! - 1 - cY.c) / yBar - ifN[i]!.beta,
  });
  const hi = estimate(hiValue, ifVariance(ifCells(ifHi), total), `${what}: HI`);
  const cNeed = estimate(
    cNeedValue,
    ifVariance(
      ifCells((_, i) => ifN[i]!),
      total
    ),
    `${what}: C(ŷ^N)`
  );
  let hiWagstaff: Estimate | null = null;
  let hiErreygers: Estimate | null = null;
  if (bounds) {
    // Both corrections are functions of (HI, ȳ); IF_ȳ = y_i.
    const kappa = 4 / (bounds[1] - bounds[0]);
    hiErreygers = estimate(
      kappa * yBar * hiValue,
      ifVariance(
        ifCells((c, i) => {
          const f = ifHi(c, i);
          return { alpha: kappa * yBar * f.alpha, beta: kappa * (yBar * f.beta + hiValue) };
        }),
        total
      ),
      `${what}: Erreygers HI`
    );
    const wd = wagstaffDerivs(hiValue, yBar, bounds);
    if (wd)
      hiWagstaff = estimate(
        wd.w,
        ifVariance(
          ifCells((c, i) => {
            const f = ifHi(c, i);
            return { alpha: wd.dC * f.alpha, beta: wd.dC * f.beta + wd.dMu };
          }),
          total
        ),
        `${what}: Wagstaff HI`
      );
  }
  const groups: HorizontalInequityGroup[] = groupN.map((n, g) =>
    n > 0
      ? { n, observed: gY.s[g]! / n, needExpected: gN.s[g]! / n, standardised: gS.s[g]! / n }
      : { n, observed: null, needExpected: null, standardised: null }
  );
  return { hi, hiWagstaff, hiErreygers, cOutcome, cNeed, fixedModel, mean: yBar, groups, model, columns };
}

// ---------------------------------------------------------------------------------------------
// 3. Slope and relative index of inequality

export interface SlopeIndexOptions {
  /** Add the cells' need covariates to both models (default false). Non-need covariates are ignored. */
  adjustForNeed?: boolean;
}

export interface SlopeIndexResult {
  /**
   * Slope index: predicted outcome at ridit 1 (best-off) minus ridit 0 (worst-off), from the linear
   * probability model y ~ 1 + ridit (+ need), HC0 robust SE.
   */
  sii: Estimate;
  /**
   * Relative index exp(β_ridit) = risk(ridit 1)/risk(ridit 0) from the log-link Poisson model with
   * robust SE (fitPoissonRR). null for a non-binary outcome (that sandwich assumes y ∈ {0, 1}).
   */
  rii: RatioEstimate | null;
  ridits: number[];
  adjusted: boolean;
  lpm: OlsFit;
  poisson: GlmFit | null;
}

/**
 * SII and RII (registry-facts §3.4; Mackenbach & Kunst 1997). The ridits are treated as fixed
 * regressors, as in the usual regression-based SII/RII; their own sampling error (the SES shares) is
 * not propagated, unlike in concentrationIndex.
 */
export function slopeIndexOfInequality(
  cells: readonly EquityCell[],
  options: SlopeIndexOptions = {}
): SlopeIndexResult {
  const what = 'Slope index of inequality';
  const data = checkCells(cells, null, what);
  const adjusted = options.adjustForNeed === true;
  const events = data.cells.reduce((s, c) => s + c.s, 0);
  if (events === 0) throw new Error(`${what}: no events (μ = 0), so the RII is undefined`);
  const design = (c: CheckedCell) => [1, data.ridits[c.group]!, ...(adjusted ? c.need : [])];
  let lpm: OlsFit;
  try {
    lpm = fitGroupedOls(data.cells.map((c) => ({ x: design(c), n: c.n, sum: c.s, sumSq: c.q })));
  } catch (e) {
    throw new Error(`${what}: linear probability model failed: ${(e as Error).message}`, { cause: e });
  }
  const sii = estimate(lpm.beta[1]!, lpm.se[1]! ** 2, `${what}: SII`);
  let rii: RatioEstimate | null = null;
  let poisson: GlmFit | null = null;
  if (data.binary) {
    try {
      poisson = fitPoissonRR(data.cells.map((c) => ({ x: design(c), n: c.n, y: c.s })));
    } catch (e) {
      throw new Error(`${what}: Poisson model for the RII failed: ${(e as Error).message}`, { cause: e });
    }
    if (!poisson.converged) throw new Error(`${what}: Poisson model for the RII did not converge`);
    const b = poisson.beta[1]!;
    const se = poisson.se[1]!;
    if (!Number.isFinite(b) || !Number.isFinite(se)) throw new Error(`${what}: RII: numerical failure`);
    rii = { estimate: Math.exp(b), logSe: se, lo: Math.exp(b - Z95 * se), hi: Math.exp(b + Z95 * se) };
  }
  return { sii, rii, ridits: data.ridits, adjusted, lpm, poisson };
}

/**
 * What the three equity measures share: the estimate types, ridits, the checks on grouped and
 * per-cell sufficient statistics (n, Σy, Σy²), and the influence-function variance.
 *
 * Standard errors: delta method on the vector of per-person means (π_k, m_k) of d_ik = 1[i ∈ k] and
 * e_ik = y_i d_ik, with the exact multinomial-type covariance, i.e. Var = (1/N²) Σ_i IF_i² where the
 * influence function of person i in group k is linear in y_i: IF_i = a_k + b_k y_i − const. Because
 * the ridits are functions of π, the uncertainty of the ranks is included. With one person per group
 * this reproduces Kakwani, Wagstaff & van Doorslaer (1997, J Econometrics 77:87–103, eq. 14):
 * a_i = (y_i/μ)(2R_i − 1 − C) + 2 − q_{i−1} − q_i.
 */
import { Z95 } from '../glm.js';

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

/** Relative slack for rounding in consistency checks on the sufficient statistics. */
export const TOL = 1e-9;

export function estimate(value: number, variance: number, what: string): Estimate {
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

export interface Checked {
  n: number[];
  s: number[];
  q: number[];
  total: number;
}

/** Validates grouped statistics; binary outcome when sumSq is absent. */
export function checkGroups(
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

export function checkBounds(bounds: Bounds, what: string): void {
  const [a, b] = bounds;
  if (!Number.isFinite(a) || !Number.isFinite(b) || !(b > a))
    throw new Error(`${what}: invalid outcome bounds [${a}, ${b}]`);
}

/** Returns [n, Σy, Σy²] after checking them; where names the group or cell in the error. */
export function checkStats(
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

/** Persons sharing a cell whose influence function is alpha + beta·y_i. */
export interface IfCell {
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
export function ifVariance(cells: readonly IfCell[], total: number): number {
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

export interface CheckedCell {
  group: number;
  need: readonly number[];
  nonNeed: readonly number[];
  n: number;
  s: number;
  q: number;
}

export interface CheckedCells {
  cells: CheckedCell[];
  /** Persons per SES group. */
  groupN: number[];
  total: number;
  ridits: number[];
  pNeed: number;
  pNonNeed: number;
  binary: boolean;
}

export function checkCells(cells: readonly EquityCell[], bounds: Bounds | null, what: string): CheckedCells {
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

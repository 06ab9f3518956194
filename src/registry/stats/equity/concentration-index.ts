/**
 * Concentration index C of an outcome over SES groups, with the Wagstaff (2005) normalisation
 * W = (b−a)μC / ((b−μ)(μ−a)) and the Erreygers (2009) correction E = 4μC/(b−a).
 *
 * Ranks. Every person in group k gets the fractional rank R = (rank − ½)/N with tied ranks averaged,
 * which is the group's ridit r_k = Σ_{j<k} π_k + π_k/2 (π_k = n_k/N). Then mean(R) = ½ exactly and
 *   C = (2/μ)·cov(y, R) = (2/μ) Σ_k m_k r_k − 1,   m_k = Σ_{i∈k} y_i / N,  μ = Σ_k m_k,
 * with cov the population (1/N) covariance. This is also what the grouped concentration-curve formula
 * C = Σ_t (p_{t−1}L_t − p_t L_{t−1}) (Fuller & Lury 1977; O'Donnell et al. 2008, eq. 8.7; trapezoids
 * between the curve points) gives: expanding it, Σ_t l_t (p_{t−1} + p_t) − 1 = 2Σ_t l_t r_t − 1 with
 * l_t = m_t/μ. So the two definitions agree EXACTLY with mean-ranked ties; we follow the covariance
 * form because it has a closed-form influence function. (The curve formula has no trailing
 * "− 1", as one early print had: that would give C = −1 under equality. Breaking ties arbitrarily
 * at person level would instead make C depend on the order within a group.)
 * Standard errors: Kakwani, Wagstaff & van Doorslaer (1997), see common.ts.
 */
import {
  checkGroups,
  estimate,
  ifVariance,
  ridits,
  type Bounds,
  type Checked,
  type Estimate,
  type IfCell,
  type SesGroup,
} from './common.js';

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

export interface Core {
  total: number;
  pi: number[];
  m: number[];
  r: number[];
  /** Σ_{l>k} m_l + m_k/2 = ∂(Σ_j m_j r_j)/∂π_k. */
  tail: number[];
  mu: number;
  c: number;
}

export function core(g: Checked, what: string): Core {
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

/** ∂W/∂C and ∂W/∂μ of W = (b−a)μC / ((b−μ)(μ−a)); null when μ is not strictly inside (a, b). */
export function wagstaffDerivs(
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
export function concentrationFrom(g: Checked, bounds: Bounds | null, what: string): ConcentrationResult {
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

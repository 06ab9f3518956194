/**
 * Ordinary least squares computed from grouped sufficient statistics. Cell c holds n_c persons who
 * share the covariate vector x_c, with Σ y = sum_c and Σ y² = sumSq_c over those persons (for a 0/1
 * outcome sumSq_c = sum_c). Because the covariates are constant within a cell,
 *   XᵀX = Σ_c n_c x_c x_cᵀ,   Xᵀy = Σ_c sum_c x_c,
 *   Σ_{i∈c} (y_i − x_cᵀβ)² = sumSq_c − 2 f_c sum_c + n_c f_c²   (f_c = x_cᵀβ),
 * so the estimates and the robust sandwich (HC0, White 1980)
 *   Var(β̂) = (XᵀX)⁻¹ [Σ_c x_c x_cᵀ Σ_{i∈c} e_i²] (XᵀX)⁻¹
 * are exactly those of a person-level OLS fit: no approximation is made by grouping.
 */
import { cholInverse, cholSolve, cholesky, matMul, zeros, type Matrix } from './linalg.js';

export interface OlsCell {
  x: readonly number[];
  /** Persons in the cell. */
  n: number;
  /** Σ y over the persons. */
  sum: number;
  /** Σ y² over the persons (equals sum for a 0/1 outcome). */
  sumSq: number;
}

export interface OlsFit {
  beta: number[];
  /** Robust (HC0) standard errors. */
  se: number[];
  /** Robust (HC0) covariance of β̂. */
  cov: Matrix;
  /** Classical standard errors, σ̂² (XᵀX)⁻¹ with σ̂² = RSS/(N − p), for comparison. */
  seModel: number[];
  /** (XᵀX)⁻¹ (needed by callers that build influence functions on top of the fit). */
  xtxInv: Matrix;
  /** Persons. */
  n: number;
  /** Residual sum of squares. */
  rss: number;
}

/** Relative slack for rounding when checking that sumSq ≥ sum²/n. */
const TOL = 1e-9;

export function fitGroupedOls(cells: readonly OlsCell[]): OlsFit {
  if (cells.length === 0) throw new Error('OLS: no cells');
  const p = cells[0]!.x.length;
  if (p === 0) throw new Error('OLS: the covariate vector is empty (include an intercept column)');
  for (const [i, c] of cells.entries()) {
    if (c.x.length !== p)
      throw new Error(
        `OLS: cell ${i} has ${c.x.length} covariates, expected ${p} (mismatched covariate lengths)`
      );
    if (!c.x.every(Number.isFinite)) throw new Error(`OLS: cell ${i} has a non-finite covariate`);
    if (!Number.isFinite(c.n) || c.n < 0)
      throw new Error(`OLS: cell ${i} has an invalid person count ${c.n}`);
    if (!Number.isFinite(c.sum)) throw new Error(`OLS: cell ${i} has a non-finite outcome sum`);
    if (!Number.isFinite(c.sumSq) || c.sumSq < 0)
      throw new Error(`OLS: cell ${i} has an invalid sum of squares ${c.sumSq}`);
    // Cauchy–Schwarz: n Σy² ≥ (Σy)²; otherwise the statistics cannot come from real persons.
    if (c.n * c.sumSq < c.sum * c.sum * (1 - TOL) - TOL)
      throw new Error(`OLS: cell ${i} has sumSq < sum²/n (inconsistent sufficient statistics)`);
    if (c.n === 0 && (c.sum !== 0 || c.sumSq !== 0))
      throw new Error(`OLS: cell ${i} has outcome sums but no persons`);
  }
  const used = cells.filter((c) => c.n > 0);
  const total = used.reduce((s, c) => s + c.n, 0);
  if (!(total > p)) throw new Error(`OLS: ${total} persons cannot identify ${p} coefficients`);

  const xtx = zeros(p);
  const xty = new Array<number>(p).fill(0);
  for (const c of used) {
    for (let a = 0; a < p; a++) {
      const xa = c.x[a]!;
      if (xa === 0) continue;
      xty[a]! += xa * c.sum;
      for (let b = 0; b <= a; b++) xtx[a]![b]! += c.n * xa * c.x[b]!;
    }
  }
  for (let a = 0; a < p; a++) for (let b = 0; b < a; b++) xtx[b]![a] = xtx[a]![b]!;
  const l = cholesky(xtx);
  if (!l) throw new Error('OLS: the design is singular (collinear covariates, or a level without persons)');
  const beta = cholSolve(l, xty);
  const xtxInv = cholInverse(l);

  const meat = zeros(p);
  let rss = 0;
  for (const c of used) {
    let f = 0;
    for (let j = 0; j < p; j++) f += c.x[j]! * beta[j]!;
    // Σ (y − f)² = [Σy² − (Σy)²/n] + n (ȳ_c − f)²: within-cell plus between, which avoids the
    // cancellation of the expanded form when the fit is exact; rounding may still leave −ε.
    const mean = c.sum / c.n;
    const e2 = Math.max(0, c.sumSq - c.sum * mean) + c.n * (mean - f) ** 2;
    rss += e2;
    for (let a = 0; a < p; a++) {
      const xa = c.x[a]!;
      if (xa === 0) continue;
      for (let b = 0; b < p; b++) meat[a]![b]! += e2 * xa * c.x[b]!;
    }
  }
  const cov = matMul(matMul(xtxInv, meat), xtxInv);
  const sigma2 = rss / (total - p);
  return {
    beta,
    se: cov.map((row, i) => Math.sqrt(Math.max(0, row[i]!))),
    cov,
    seModel: xtxInv.map((row, i) => Math.sqrt(Math.max(0, sigma2 * row[i]!))),
    xtxInv,
    n: total,
    rss,
  };
}

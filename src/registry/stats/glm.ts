/**
 * Poisson regression with a log link for a binary outcome ("modified Poisson", Zou 2004), fitted by
 * Newton-Raphson (= IRLS for the canonical link) on aggregated covariate patterns: pattern k has n_k
 * persons, y_k of them with the outcome, covariates x_k. exp(β) are relative risks.
 *
 * Standard errors are the individual-level robust sandwich (HC0) computed from the patterns:
 *   A = Σ_k n_k μ_k x_k x_kᵀ                     (expected information)
 *   B = Σ_k x_k x_kᵀ [ y_k (1-μ_k)² + (n_k - y_k) μ_k² ]   (Σ over persons of x x ᵀ (y_i - μ_i)²)
 *   Var(β̂) = A⁻¹ B A⁻¹
 * which equals what a person-level fit with HC0 errors gives, at a fraction of the cost.
 */
import { cholInverse, cholSolve, cholesky, matMul, zeros, type Matrix } from './linalg.js';

export interface Pattern {
  x: number[];
  n: number;
  y: number;
}

export interface GlmFit {
  beta: number[];
  /** Robust (HC0) standard errors. */
  se: number[];
  /** Model-based standard errors (for comparison). */
  seModel: number[];
  cov: Matrix;
  iterations: number;
  converged: boolean;
  logLik: number;
}

function logLik(rows: readonly Pattern[], beta: number[]): number {
  let ll = 0;
  for (const r of rows) {
    let eta = 0;
    for (let j = 0; j < beta.length; j++) eta += r.x[j]! * beta[j]!;
    ll += r.y * (eta + Math.log(r.n)) - r.n * Math.exp(eta);
  }
  return ll;
}

export function fitPoissonRR(
  rows: readonly Pattern[],
  options: { maxIter?: number; tol?: number } = {}
): GlmFit {
  const usable = rows.filter((r) => r.n > 0);
  const p = usable[0]?.x.length ?? 0;
  if (p === 0) throw new Error('No data to fit');
  const totalY = usable.reduce((s, r) => s + r.y, 0);
  const totalN = usable.reduce((s, r) => s + r.n, 0);
  if (totalY === 0) throw new Error('No events: relative risks cannot be estimated');
  let beta = new Array<number>(p).fill(0);
  beta[0] = Math.log(totalY / totalN); // column 0 is the intercept
  let ll = logLik(usable, beta);
  const maxIter = options.maxIter ?? 100;
  const tol = options.tol ?? 1e-10;
  let converged = false;
  let iterations = 0;
  for (; iterations < maxIter; iterations++) {
    const score = new Array<number>(p).fill(0);
    const info = zeros(p);
    for (const r of usable) {
      let eta = 0;
      for (let j = 0; j < p; j++) eta += r.x[j]! * beta[j]!;
      const mu = Math.exp(eta);
      const w = r.n * mu;
      const resid = r.y - w;
      for (let a = 0; a < p; a++) {
        const xa = r.x[a]!;
        if (xa === 0) continue;
        score[a]! += xa * resid;
        for (let b = 0; b <= a; b++) info[a]![b]! += w * xa * r.x[b]!;
      }
    }
    for (let a = 0; a < p; a++) for (let b = 0; b < a; b++) info[b]![a] = info[a]![b]!;
    const lInfo = cholesky(info);
    if (!lInfo) throw new Error('The design is singular (a level without persons, or collinear covariates)');
    const step = cholSolve(lInfo, score);
    // Step halving keeps the log-likelihood from decreasing.
    let scale = 1;
    let next = beta.map((b, j) => b + step[j]!);
    let nextLl = logLik(usable, next);
    while (!(nextLl >= ll - 1e-12) && scale > 1e-6) {
      scale /= 2;
      next = beta.map((b, j) => b + scale * step[j]!);
      nextLl = logLik(usable, next);
    }
    const maxStep = Math.max(...step.map((s) => Math.abs(s * scale)));
    beta = next;
    const change = Math.abs(nextLl - ll);
    ll = nextLl;
    if (maxStep < tol || change < tol * (Math.abs(ll) + tol)) {
      converged = true;
      iterations++;
      break;
    }
  }
  // Sandwich at the estimate.
  const a = zeros(p);
  const b = zeros(p);
  for (const r of usable) {
    let eta = 0;
    for (let j = 0; j < p; j++) eta += r.x[j]! * beta[j]!;
    const mu = Math.exp(eta);
    const w = r.n * mu;
    const meat = r.y * (1 - mu) ** 2 + (r.n - r.y) * mu ** 2;
    for (let i = 0; i < p; i++) {
      const xi = r.x[i]!;
      if (xi === 0) continue;
      for (let j = 0; j < p; j++) {
        a[i]![j]! += w * xi * r.x[j]!;
        b[i]![j]! += meat * xi * r.x[j]!;
      }
    }
  }
  const la = cholesky(a);
  if (!la) throw new Error('The design is singular at the estimate');
  const aInv = cholInverse(la);
  const cov = matMul(matMul(aInv, b), aInv);
  return {
    beta,
    se: cov.map((row, i) => Math.sqrt(Math.max(0, row[i]!))),
    seModel: aInv.map((row, i) => Math.sqrt(Math.max(0, row[i]!))),
    cov,
    iterations,
    converged,
    logLik: ll,
  };
}

export const Z95 = 1.959963984540054;

export interface RelativeRisk {
  rr: number;
  lo: number;
  hi: number;
}

export function rrFrom(beta: number, se: number): RelativeRisk {
  return { rr: Math.exp(beta), lo: Math.exp(beta - Z95 * se), hi: Math.exp(beta + Z95 * se) };
}

// ---------------------------------------------------------------------------------------------
// Categorical designs

export interface CategoricalRow {
  values: Record<string, string>;
  n: number;
  y: number;
}

export interface LevelEstimate {
  covariate: string;
  level: string;
  reference: boolean;
  /** null: not estimable (no events in the level, or the fit failed). */
  rr: RelativeRisk | null;
}

/**
 * Fits log(risk) = intercept + dummies for every non-reference level of the given categorical
 * covariates. Levels with no persons are left out; levels with no events are not estimable and
 * their persons are left out of the fit (reported as rr = null).
 */
export function fitCategorical(
  rows: readonly CategoricalRow[],
  covariates: readonly string[],
  reference: Record<string, string>
): LevelEstimate[] {
  const levels = new Map<string, Map<string, { n: number; y: number }>>();
  for (const c of covariates) levels.set(c, new Map());
  for (const r of rows) {
    if (r.n <= 0) continue;
    for (const c of covariates) {
      const m = levels.get(c)!;
      const v = r.values[c] ?? 'missing';
      const cur = m.get(v) ?? { n: 0, y: 0 };
      cur.n += r.n;
      cur.y += r.y;
      m.set(v, cur);
    }
  }
  const noEvents = (c: string, v: string) => (levels.get(c)!.get(v)?.y ?? 0) === 0;
  const usedRows = rows.filter(
    (r) => r.n > 0 && covariates.every((c) => !noEvents(c, r.values[c] ?? 'missing'))
  );
  // Reference: the requested level if it is usable, else the largest usable level.
  const refs: Record<string, string> = {};
  const columns: { covariate: string; level: string }[] = [];
  for (const c of covariates) {
    const usable = [...levels.get(c)!.entries()].filter(([, s]) => s.y > 0).sort((x, y) => y[1].n - x[1].n);
    const wanted = reference[c];
    const ref = wanted !== undefined && usable.some(([v]) => v === wanted) ? wanted : usable[0]?.[0];
    if (ref === undefined) continue;
    refs[c] = ref;
    for (const [v] of usable.sort((x, y) => x[0].localeCompare(y[0])))
      if (v !== ref) columns.push({ covariate: c, level: v });
  }
  const patterns: Pattern[] = usedRows.map((r) => ({
    n: r.n,
    y: r.y,
    x: [1, ...columns.map((col) => ((r.values[col.covariate] ?? 'missing') === col.level ? 1 : 0))],
  }));
  let fit: GlmFit | null;
  try {
    fit = patterns.length ? fitPoissonRR(patterns) : null;
  } catch {
    fit = null;
  }
  const out: LevelEstimate[] = [];
  for (const c of covariates) {
    for (const level of [...levels.get(c)!.keys()]) {
      const reference = refs[c] === level;
      const col = columns.findIndex((x) => x.covariate === c && x.level === level);
      const rr = reference
        ? { rr: 1, lo: 1, hi: 1 }
        : col >= 0 && fit?.converged
          ? rrFrom(fit.beta[col + 1]!, fit.se[col + 1]!)
          : null;
      out.push({ covariate: c, level, reference, rr });
    }
  }
  return out;
}

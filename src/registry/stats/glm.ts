// Long (over 400 lines) because the fit, its two sandwiches (HC0, GP-clustered CR1), the t quantile of the intervals and the categorical designs that code rows once for 49 fits are one estimator, tested together.
/**
 * Poisson regression with a log link for a binary outcome ("modified Poisson", Zou 2004), fitted by
 * Newton-Raphson (= IRLS for the canonical link) on aggregated covariate patterns: pattern k has n_k
 * persons, y_k of them with the outcome, covariates x_k. exp(β) are relative risks.
 *
 * Two sandwich variances Var(β̂) = A⁻¹ B A⁻¹, with A = Σ_k n_k μ_k x_k x_kᵀ (expected information):
 *
 * - HC0, persons independent: B = Σ_k x_k x_kᵀ [ y_k (1-μ_k)² + (n_k - y_k) μ_k² ], which is
 *   Σ over persons of x xᵀ (y_i - μ_i)², so the patterns give what a person-level fit gives.
 * - CR1, persons clustered (patients of the same GP): rows are (cluster, pattern) cells and
 *   B = c · Σ_g u_g u_gᵀ with u_g = Σ_{k∈g} x_k (y_k - n_k μ_k), the cluster's score, and the
 *   small-cluster correction c = G/(G-1) · (N-1)/(N-p) (G clusters, N persons, p parameters). This is
 *   the factor of Stata's `regress, vce(cluster)` (Stata Base Reference Manual, [R] regress, Methods
 *   and formulas: q_c = (N-1)/(N-k) · M/(M-1)); Stata's maximum-likelihood commands (poisson, glm)
 *   use M/(M-1) alone, and with N in the thousands the two differ by well under 1 % in the SE. Cells
 *   without a cluster (null) count each of their persons as a cluster of one. With one person per
 *   cluster CR0 (c = 1) is HC0, so CR1 is then HC1 = HC0 · N/(N-p) (tested).
 *
 * Confidence intervals: normal (1.96) for HC0; for CR1, Student t with G-1 degrees of freedom, as
 * Stata's regress does and as Cameron & Miller recommend at the least when clusters are few
 * (Cameron & Miller 2015, J Hum Resour 50:317-372, section VI). Stata's poisson uses the normal
 * instead; we take t because the cost is nil with ~4,800 GPs nationally (t(4799) = 1.9606) while a
 * 50,000-person twin has ~50 GPs (t(49) = 2.010), where the normal would be too narrow. Neither
 * rescues a contrast carried by a handful of GPs: the tables report how many GPs carry each level.
 */
import { normalQuantile } from './distributions.js';
import { cholInverse, cholesky, cholSolve, matMul, zeros, type Matrix } from './linalg.js';

export interface Pattern {
  x: number[];
  n: number;
  y: number;
  /**
   * The cluster (a GP) the row's persons belong to, for CR1 errors; null or absent: each person is
   * a cluster of their own. Rows of the same cluster and covariates may be split or pooled freely.
   */
  cluster?: number | null;
}

/** 'HC0': persons independent. 'CR1': clustered by `Pattern.cluster`, with the small-cluster correction. */
export type VarianceType = 'HC0' | 'CR1';

export interface FitOptions {
  maxIter?: number;
  tol?: number;
  /** Default 'HC0'. */
  vce?: VarianceType;
}

export interface GlmFit {
  beta: number[];
  /** Robust standard errors of the requested kind (`vce`). */
  se: number[];
  /** Person-level robust (HC0) standard errors, for comparison. */
  seHc0: number[];
  /** Model-based standard errors (for comparison). */
  seModel: number[];
  cov: Matrix;
  vce: VarianceType;
  /** N: persons in the fit. */
  persons: number;
  /** G: clusters in the fit (CR1; each person of a row without a cluster counts as one); null for HC0. */
  clusters: number | null;
  /** Degrees of freedom of the t critical value (G-1 for CR1); null: normal (HC0). */
  df: number | null;
  /** The 95 % critical value the intervals use (rrFrom's third argument). */
  crit95: number;
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

/**
 * (cluster, pattern) cells, as columns: `pattern` indexes the distinct covariate patterns the model
 * is fitted on; `cluster` is a dense index 0 … clusters-1, or -1 for none (each person a cluster of
 * their own).
 */
interface Cells {
  length: number;
  clusters: number;
  pattern: Int32Array;
  cluster: Int32Array;
  n: Float64Array;
  y: Float64Array;
}

function allocCells(length: number, clusters: number): Cells {
  return {
    length,
    clusters,
    pattern: new Int32Array(length),
    cluster: new Int32Array(length),
    n: new Float64Array(length),
    y: new Float64Array(length),
  };
}

/**
 * Relative risks by modified Poisson regression (see the file comment). With `vce: 'CR1'` the rows
 * are (cluster, pattern) cells: the model is fitted on the rows pooled by covariates (the estimate
 * does not depend on clustering) and the clusters enter only the meat of the sandwich.
 */
export function fitPoissonRR(rows: readonly Pattern[], options: FitOptions = {}): GlmFit {
  const usable = rows.filter((r) => r.n > 0);
  if (options.vce !== 'CR1') return fitCells(usable, null, options);
  const index = new Map<string, number>();
  const patterns: Pattern[] = [];
  const clusterIndex = new Map<number, number>();
  for (const r of usable)
    if (r.cluster !== undefined && r.cluster !== null && !clusterIndex.has(r.cluster))
      clusterIndex.set(r.cluster, clusterIndex.size);
  const cells = allocCells(usable.length, clusterIndex.size);
  usable.forEach((r, i) => {
    const key = r.x.join(',');
    let k = index.get(key);
    if (k === undefined) {
      k = patterns.length;
      index.set(key, k);
      patterns.push({ x: r.x, n: 0, y: 0 });
    }
    patterns[k]!.n += r.n;
    patterns[k]!.y += r.y;
    cells.pattern[i] = k;
    cells.cluster[i] = r.cluster === undefined || r.cluster === null ? -1 : clusterIndex.get(r.cluster)!;
    cells.n[i] = r.n;
    cells.y[i] = r.y;
  });
  return fitCells(patterns, cells, options);
}

/** Fits on `patterns` (n > 0); `cells` (their split by cluster) for CR1, null for HC0. */
function fitCells(usable: readonly Pattern[], cells: Cells | null, options: FitOptions): GlmFit {
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
  const bHc0 = zeros(p);
  const mus = usable.map((r) => {
    let eta = 0;
    for (let j = 0; j < p; j++) eta += r.x[j]! * beta[j]!;
    return Math.exp(eta);
  });
  usable.forEach((r, k) => {
    const mu = mus[k]!;
    const w = r.n * mu;
    const meat = r.y * (1 - mu) ** 2 + (r.n - r.y) * mu ** 2;
    addOuter(a, r.x, w);
    addOuter(bHc0, r.x, meat);
  });
  const la = cholesky(a);
  if (!la) throw new Error('The design is singular at the estimate');
  const aInv = cholInverse(la);
  const covHc0 = matMul(matMul(aInv, bHc0), aInv);
  let cov = covHc0;
  let clusters: number | null = null;
  let df: number | null = null;
  if (cells) {
    const meat = clusterMeat(usable, mus, cells);
    clusters = meat.clusters;
    if (clusters < 2) throw new Error('Cluster-robust errors need at least two clusters');
    if (totalN <= p) throw new Error('Cluster-robust errors need more persons than parameters');
    const correction = (clusters / (clusters - 1)) * ((totalN - 1) / (totalN - p));
    cov = matMul(matMul(aInv, meat.b), aInv).map((row) => row.map((v) => v * correction));
    df = clusters - 1;
  }
  const sd = (m: Matrix) => m.map((row, i) => Math.sqrt(Math.max(0, row[i]!)));
  return {
    beta,
    se: sd(cov),
    seHc0: sd(covHc0),
    seModel: sd(aInv),
    cov,
    vce: cells ? 'CR1' : 'HC0',
    persons: totalN,
    clusters,
    df,
    crit95: df === null ? Z95 : studentTQuantile(0.975, df),
    iterations,
    converged,
    logLik: ll,
  };
}

/** m += w · x xᵀ */
function addOuter(m: Matrix, x: ArrayLike<number>, w: number): void {
  for (let i = 0; i < x.length; i++) {
    const xi = x[i]!;
    if (xi === 0) continue;
    for (let j = 0; j < x.length; j++) m[i]![j]! += w * xi * x[j]!;
  }
}

/**
 * CR0 meat Σ_g u_g u_gᵀ, u_g = Σ_{cells of g} x_k (y - n μ_k), and G. A cell without a cluster adds
 * its persons as clusters of one: Σ_i x xᵀ (y_i - μ)² = x xᵀ [y (1-μ)² + (n-y) μ²], n clusters.
 */
function clusterMeat(
  patterns: readonly Pattern[],
  mus: readonly number[],
  cells: Cells
): { b: Matrix; clusters: number } {
  const p = patterns[0]!.x.length;
  const b = zeros(p);
  const scores = new Float64Array(cells.clusters * p); // u_g, row g
  const seen = new Uint8Array(cells.clusters);
  // Each pattern's non-zero columns (most are dummies at 0), so a cell costs its few non-zeros.
  const nzStart = new Int32Array(patterns.length + 1);
  const nz: number[] = [];
  patterns.forEach((pt, k) => {
    for (let j = 0; j < p; j++) if (pt.x[j] !== 0) nz.push(j);
    nzStart[k + 1] = nz.length;
  });
  const nzColumn = Int32Array.from(nz);
  let singles = 0;
  for (let i = 0; i < cells.length; i++) {
    const n = cells.n[i]!;
    const y = cells.y[i]!;
    const g = cells.cluster[i]!;
    if (n <= 0) continue;
    const k = cells.pattern[i]!;
    const x = patterns[k]!.x;
    const mu = mus[k]!;
    if (g < 0) {
      addOuter(b, x, y * (1 - mu) ** 2 + (n - y) * mu ** 2);
      singles += n;
      continue;
    }
    seen[g] = 1;
    const resid = y - n * mu;
    for (let t = nzStart[k]!; t < nzStart[k + 1]!; t++) {
      const j = nzColumn[t]!;
      scores[g * p + j]! += x[j]! * resid;
    }
  }
  let clusters = singles;
  for (let g = 0; g < cells.clusters; g++)
    if (seen[g]) {
      clusters++;
      addOuter(b, scores.subarray(g * p, (g + 1) * p), 1);
    }
  return { b, clusters };
}

export const Z95 = 1.959963984540054;

/**
 * Quantile of Student's t with `df` (a positive integer) degrees of freedom, for p in (0, 1).
 * P(|T| ≤ t) has a closed form for integer df (Abramowitz & Stegun 26.7.3-4, θ = atan(t/√df)):
 *   df odd:  (2/π)[θ + sinθ (cosθ + (2/3) cos³θ + … + (2·4…(df-3))/(1·3…(df-2)) cos^(df-2)θ)]
 *   df even: sinθ [1 + (1/2) cos²θ + (1·3)/(2·4) cos⁴θ + … + (1·3…(df-3))/(2·4…(df-2)) cos^(df-2)θ]
 * inverted by bisection; above 1,000 df the Cornish-Fisher expansion (A&S 26.7.5, error < 1e-10).
 */
export function studentTQuantile(p: number, df: number): number {
  if (!(p > 0 && p < 1)) throw new RangeError(`A probability must lie between 0 and 1 (got ${p})`);
  if (!(Number.isInteger(df) && df >= 1))
    throw new RangeError(`Degrees of freedom must be a positive integer (got ${df})`);
  if (p < 0.5) return -studentTQuantile(1 - p, df);
  if (p === 0.5) return 0;
  const central = 2 * p - 1; // P(|T| ≤ t) wanted
  if (df > 1000) {
    const z = normalQuantile(p);
    const z2 = z * z;
    const g1 = (z * (z2 + 1)) / 4;
    const g2 = (z * (5 * z2 * z2 + 16 * z2 + 3)) / 96;
    const g3 = (z * (3 * z2 ** 3 + 19 * z2 * z2 + 17 * z2 - 15)) / 384;
    const g4 = (z * (79 * z2 ** 4 + 776 * z2 ** 3 + 1482 * z2 * z2 - 1920 * z2 - 945)) / 92160;
    return z + g1 / df + g2 / df ** 2 + g3 / df ** 3 + g4 / df ** 4;
  }
  const within = (t: number): number => {
    const theta = Math.atan(t / Math.sqrt(df));
    const c2 = Math.cos(theta) ** 2;
    const s = Math.sin(theta);
    if (df % 2 === 1) {
      if (df === 1) return (2 / Math.PI) * theta;
      let term = Math.cos(theta);
      let sum = term;
      for (let k = 3; k <= df - 2; k += 2) {
        term *= (c2 * (k - 1)) / k;
        sum += term;
      }
      return (2 / Math.PI) * (theta + s * sum);
    }
    let term = 1;
    let sum = 1;
    for (let k = 2; k <= df - 2; k += 2) {
      term *= (c2 * (k - 1)) / k;
      sum += term;
    }
    return s * sum;
  };
  let lo = 0;
  let hi = 1;
  while (within(hi) < central) hi *= 2;
  for (let i = 0; i < 200 && hi - lo > 1e-13 * hi; i++) {
    const mid = 0.5 * (lo + hi);
    if (within(mid) < central) lo = mid;
    else hi = mid;
  }
  return 0.5 * (lo + hi);
}

export interface RelativeRisk {
  rr: number;
  lo: number;
  hi: number;
}

/** exp(β ± crit·SE); crit 1.96 (normal) unless a fit's `crit95` (t with G-1 df for CR1) is given. */
export function rrFrom(beta: number, se: number, crit = Z95): RelativeRisk {
  return { rr: Math.exp(beta), lo: Math.exp(beta - crit * se), hi: Math.exp(beta + crit * se) };
}

// ---------------------------------------------------------------------------------------------
// Categorical designs

export interface CategoricalRow {
  values: Record<string, string>;
  n: number;
  y: number;
  /** The row's cluster (a GP) for CR1; null or absent: each person a cluster of their own. */
  cluster?: number | null;
}

export interface LevelEstimate {
  covariate: string;
  level: string;
  reference: boolean;
  /** null: not estimable (no events in the level, or the fit failed). */
  rr: RelativeRisk | null;
  /** Standard error of log RR (null with rr; 0 for the reference). */
  logSe: number | null;
  /** Clusters (rows with a non-null cluster) with persons in the level: the GPs that carry it. */
  clusters: number;
  /**
   * Kish's effective number of those clusters, (Σ_g n_g)² / Σ_g n_g² over the level's persons n_g
   * per cluster: as many equally large clusters would weigh the same. 33 GPs of which 9 hold nine in
   * ten of the level's persons count as about 11.
   */
  effectiveClusters: number;
}

/**
 * Rows coded once for many fits (relativeRisks fits seven indicators, crude and adjusted, on the
 * same rows): each row's level of every covariate as an integer, and its cluster.
 */
export interface CodedRows {
  covariates: readonly string[];
  /** Level names per covariate, in order of first appearance. */
  levels: string[][];
  /** rows × covariates level indices. */
  codes: Int32Array;
  /** Dense cluster index per row (0 … clusters-1), -1 without a cluster. */
  clusterOf: Int32Array;
  clusters: number;
  rows: number;
}

/** Levels are the values as strings (null or absent: "missing"), so an engine row may be passed as `values`. */
export function codeRows(
  rows: readonly {
    values: Readonly<Record<string, string | number | boolean | null | undefined>>;
    cluster?: number | null;
  }[],
  covariates: readonly string[]
): CodedRows {
  return codeColumns(
    rows.length,
    covariates.map((c) => rows.map((r) => r.values[c])),
    covariates,
    (i) => rows[i]!.cluster ?? null
  );
}

/**
 * codeRows on columns: `columns[c][i]` is row i's value of covariates[c]; `clusterOf(i)` its
 * cluster (null: none).
 */
export function codeColumns(
  length: number,
  columns: readonly ArrayLike<string | number | boolean | null | undefined>[],
  covariates: readonly string[],
  clusterOf: (i: number) => number | null
): CodedRows {
  const q = covariates.length;
  const levelIndex = covariates.map(() => new Map<string, number>());
  const levels: string[][] = covariates.map(() => []);
  const clusterIndex = new Map<number, number>();
  const codes = new Int32Array(length * q);
  const clusterCodes = new Int32Array(length).fill(-1);
  for (let i = 0; i < length; i++) {
    for (let c = 0; c < q; c++) {
      const v = String(columns[c]![i] ?? 'missing');
      let k = levelIndex[c]!.get(v);
      if (k === undefined) {
        k = levels[c]!.length;
        levelIndex[c]!.set(v, k);
        levels[c]!.push(v);
      }
      codes[i * q + c] = k;
    }
    const cluster = clusterOf(i);
    if (cluster !== null) {
      let g = clusterIndex.get(cluster);
      if (g === undefined) clusterIndex.set(cluster, (g = clusterIndex.size));
      clusterCodes[i] = g;
    }
  }
  return { covariates, levels, codes, clusterOf: clusterCodes, clusters: clusterIndex.size, rows: length };
}

/**
 * The rows pooled by cluster and level of one covariate: the cells a crude fit of that covariate
 * needs, since its design and each cluster's score depend on nothing else (rows without a cluster
 * pool too: their persons each count as a cluster of one either way). Nationally ~30,000 cells
 * against ~225,000 (cluster, pattern) rows. `cellOf[i]` is row i's cell; a cell's persons and
 * events are the sums of its rows' (sumCells).
 */
export function poolCoded(coded: CodedRows, covariate: string): { coded: CodedRows; cellOf: Int32Array } {
  const c = coded.covariates.indexOf(covariate);
  if (c < 0) throw new Error(`Covariate ${covariate} was not coded`);
  const Q = coded.covariates.length;
  const L = coded.levels[c]!.length;
  const cellAt = new Int32Array((coded.clusters + 1) * L).fill(-1);
  const cellOf = new Int32Array(coded.rows);
  const codes: number[] = [];
  const clusterOf: number[] = [];
  for (let i = 0; i < coded.rows; i++) {
    const level = coded.codes[i * Q + c]!;
    const key = (coded.clusterOf[i]! + 1) * L + level;
    let cell = cellAt[key]!;
    if (cell < 0) {
      cell = cellAt[key] = codes.length;
      codes.push(level);
      clusterOf.push(coded.clusterOf[i]!);
    }
    cellOf[i] = cell;
  }
  return {
    coded: {
      covariates: [covariate],
      levels: [coded.levels[c]!],
      codes: Int32Array.from(codes),
      clusterOf: Int32Array.from(clusterOf),
      clusters: coded.clusters,
      rows: codes.length,
    },
    cellOf,
  };
}

/** Per cell, the sum of its rows' values (poolCoded). */
export function sumCells(cellOf: Int32Array, cells: number, values: ArrayLike<number>): Float64Array {
  const out = new Float64Array(cells);
  for (let i = 0; i < cellOf.length; i++) out[cellOf[i]!]! += values[i]!;
  return out;
}

/**
 * Fits log(risk) = intercept + dummies for every non-reference level of the given categorical
 * covariates. Levels with no persons are left out; levels with no events are not estimable and
 * their persons are left out of the fit (reported as rr = null). Rows are pooled by covariate
 * pattern for the fit; with `vce: 'CR1'` their clusters enter the sandwich.
 */
export function fitCategorical(
  rows: readonly CategoricalRow[],
  covariates: readonly string[],
  reference: Record<string, string>,
  options: { vce?: VarianceType } = {}
): LevelEstimate[] {
  return fitCoded(
    codeRows(rows, covariates),
    rows.map((r) => r.n),
    rows.map((r) => r.y),
    covariates,
    reference,
    options
  );
}

/** fitCategorical on coded rows, with persons n and events y per row, for a subset of the coded covariates. */
export function fitCoded(
  coded: CodedRows,
  nOf: ArrayLike<number>,
  yOf: ArrayLike<number>,
  covariates: readonly string[],
  reference: Record<string, string>,
  options: { vce?: VarianceType } = {}
): LevelEstimate[] {
  const Q = coded.covariates.length;
  const cols = covariates.map((cov) => {
    const c = coded.covariates.indexOf(cov);
    if (c < 0) throw new Error(`Covariate ${cov} was not coded`);
    return c;
  });
  const q = cols.length;
  const levelNames = cols.map((c) => coded.levels[c]!);
  const G = coded.clusters;
  // Typed arrays and plain loops: ~10⁵ rows × 49 fits nationally (tables.ts), so no per-row garbage.
  const liveAll = new Int32Array(coded.rows);
  let liveCount = 0;
  for (let i = 0; i < coded.rows; i++) if (nOf[i]! > 0) liveAll[liveCount++] = i;
  const live = liveAll.subarray(0, liveCount);
  const code = (i: number, c: number) => coded.codes[i * Q + cols[c]!]!;
  // Per covariate and level: persons, events, and persons by cluster, in flat arrays (level
  // `at[c] + k` of covariate c; its clusters from (at[c] + k)·G): one pass, no objects per row.
  const at = new Int32Array(q + 1);
  for (let c = 0; c < q; c++) at[c + 1] = at[c]! + levelNames[c]!.length;
  const sumN = new Float64Array(at[q]!);
  const sumY = new Float64Array(at[q]!);
  const byCluster = new Float64Array(at[q]! * G);
  for (let m = 0; m < live.length; m++) {
    const i = live[m]!;
    const g = coded.clusterOf[i]!;
    const n = nOf[i]!;
    const y = yOf[i]!;
    for (let c = 0; c < q; c++) {
      const lv = at[c]! + coded.codes[i * Q + cols[c]!]!;
      sumN[lv]! += n;
      sumY[lv]! += y;
      if (g >= 0) byCluster[lv * G + g]! += n;
    }
  }
  const sums = levelNames.map((names, c) =>
    names.map((_, k) => ({ n: sumN[at[c]! + k]!, y: sumY[at[c]! + k]!, lv: at[c]! + k }))
  );
  // Reference: the requested level if it is usable, else the largest usable level.
  const refs: (number | undefined)[] = [];
  /** Design column of (covariate, level); 0 for the reference and for levels without events. */
  const column = levelNames.map((names) => new Int32Array(names.length));
  let p = 1;
  covariates.forEach((cov, c) => {
    const usable = levelNames[c]!.map((v, k) => ({ v, k, s: sums[c]![k]! })).filter((l) => l.s.y > 0);
    usable.sort((x, y) => y.s.n - x.s.n);
    const ref = usable.find((l) => l.v === reference[cov]) ?? usable[0];
    refs[c] = ref?.k;
    if (!ref) return;
    for (const l of usable.sort((x, y) => x.v.localeCompare(y.v))) if (l.k !== ref.k) column[c]![l.k] = p++;
  });
  const used = (i: number) => {
    for (let c = 0; c < q; c++) if (sumY[at[c]! + code(i, c)] === 0) return false;
    return true;
  };
  // Pool the rows by pattern (the fit's rows); each row stays a cell for the clusters.
  const radix: number[] = [];
  let r0 = 1;
  for (const names of levelNames) {
    radix.push(r0);
    r0 *= names.length;
  }
  // Pattern number by mixed-radix key (an array while the product of the level counts is small).
  const index = r0 <= 1 << 20 ? new Int32Array(r0).fill(-1) : null;
  const indexMap = new Map<number, number>();
  const patterns: Pattern[] = [];
  let usedCount = 0;
  // In place: the write index never passes the read index, and `live` is not read again.
  for (let m = 0; m < live.length; m++) if (used(live[m]!)) liveAll[usedCount++] = live[m]!;
  const cells = allocCells(usedCount, G);
  for (let m = 0; m < usedCount; m++) {
    const i = liveAll[m]!;
    let key = 0;
    for (let c = 0; c < q; c++) key += code(i, c) * radix[c]!;
    let k: number | undefined = index ? index[key]! : indexMap.get(key);
    if (k === undefined || k < 0) {
      k = patterns.length;
      if (index) index[key] = k;
      else indexMap.set(key, k);
      const x = new Array<number>(p).fill(0);
      x[0] = 1;
      for (let c = 0; c < q; c++) {
        const j = column[c]![code(i, c)]!;
        if (j > 0) x[j] = 1;
      }
      patterns.push({ x, n: 0, y: 0 });
    }
    patterns[k]!.n += nOf[i]!;
    patterns[k]!.y += yOf[i]!;
    cells.pattern[m] = k;
    cells.cluster[m] = coded.clusterOf[i]!;
    cells.n[m] = nOf[i]!;
    cells.y[m] = yOf[i]!;
  }
  let fit: GlmFit | null;
  try {
    fit = patterns.length ? fitCells(patterns, options.vce === 'CR1' ? cells : null, {}) : null;
  } catch {
    fit = null;
  }
  const out: LevelEstimate[] = [];
  covariates.forEach((cov, c) => {
    levelNames[c]!.forEach((level, k) => {
      const s = sums[c]![k]!;
      if (s.n <= 0) return; // a level only rows without persons have
      const reference = refs[c] === k;
      const j = column[c]![k]!;
      const estimable = !reference && j > 0 && fit?.converged === true;
      const logSe = reference ? 0 : estimable ? fit!.se[j]! : null;
      const rr = reference
        ? { rr: 1, lo: 1, hi: 1 }
        : estimable
          ? rrFrom(fit!.beta[j]!, logSe!, fit!.crit95)
          : null;
      let clusters = 0;
      let sum = 0;
      let sumSq = 0;
      for (let g = s.lv * G; g < (s.lv + 1) * G; g++) {
        const n = byCluster[g]!;
        if (n > 0) {
          clusters++;
          sum += n;
          sumSq += n * n;
        }
      }
      out.push({
        covariate: cov,
        level,
        reference,
        rr,
        logSe,
        clusters,
        effectiveClusters: sumSq > 0 ? (sum * sum) / sumSq : 0,
      });
    });
  });
  return out;
}

/**
 * Solves the planted logistic models' calibrated coefficients so the generated data hit the
 * published marginal shares. Model for an episode i of GP j:
 *
 *   logit p_i = sum_f theta[f][level_f(i)] + offset_i,   offset_i = fixed effects + u_j
 *
 * Each calibrated factor f (year, sex, age band, education, immigrant, rural) has a target share
 * per level. Targets of a "ratio" factor are published relative levels (Riiser 2022 Table 4, rural
 * RR): they are rescaled so their mean over the realised cohort equals the overall share implied by
 * the year targets, so all targets are mutually consistent. The solve is raking on the logit scale
 * (iterative proportional fitting of expected shares) over the realised cohort and the realised GP
 * effects u_j, so the expected share in every targeted group equals its target exactly and only
 * Bernoulli noise remains.
 */

export interface Cell {
  /** Number of episodes in the cell. */
  n: number;
  /** Level of each factor, e.g. { year: '2012', sex: 'F', ... }. */
  levels: Record<string, string>;
  /** Fixed part of the linear predictor: non-calibrated effects plus the GP's u_j. */
  offset: number;
}

export interface FactorTarget {
  name: string;
  kind: 'absolute' | 'ratio';
  /** absolute: target share per level; ratio: relative level (any scale). */
  targets: Record<string, number>;
}

export interface SolveResult {
  theta: Record<string, Record<string, number>>;
  /** Expected share per factor level after solving. */
  expected: Record<string, Record<string, number>>;
  /** Resolved absolute target per factor level. */
  resolved: Record<string, Record<string, number>>;
  iterations: number;
  maxError: number;
}

const logit = (p: number) => Math.log(p / (1 - p));
const expit = (x: number) => 1 / (1 + Math.exp(-x));

export function solveCalibration(
  cells: readonly Cell[],
  factors: readonly FactorTarget[],
  maxIter = 100,
  tol = 1e-10
): SolveResult {
  const absolute = factors.find((f) => f.kind === 'absolute');
  if (!absolute) throw new Error('One factor must have absolute targets (the year trend).');
  const total = cells.reduce((a, c) => a + c.n, 0);
  if (total === 0) throw new Error('No episodes to calibrate on.');
  const weights = (f: FactorTarget) => {
    const w: Record<string, number> = {};
    for (const c of cells) {
      const l = c.levels[f.name]!;
      if (l in f.targets) w[l] = (w[l] ?? 0) + c.n;
    }
    return w;
  };
  const yearW = weights(absolute);
  const yearTotal = Object.values(yearW).reduce((a, b) => a + b, 0);
  const overall = Object.entries(yearW).reduce((a, [l, w]) => a + (w / yearTotal) * absolute.targets[l]!, 0);
  const resolved: Record<string, Record<string, number>> = {};
  // Parameters: every present level of the absolute factor; for ratio factors every present level but the first (reference, 0).
  const params: { f: number; level: string }[] = [];
  factors.forEach((f, fi) => {
    const w = weights(f);
    const present = Object.keys(f.targets).filter((l) => (w[l] ?? 0) > 0);
    if (f.kind === 'absolute') {
      resolved[f.name] = { ...f.targets };
      for (const l of present) params.push({ f: fi, level: l });
      return;
    }
    const wt = present.reduce((a, l) => a + w[l]!, 0);
    const mean = present.reduce((a, l) => a + (w[l]! / wt) * f.targets[l]!, 0);
    resolved[f.name] = Object.fromEntries(
      Object.entries(f.targets).map(([l, r]) => [l, (r / mean) * overall])
    );
    for (const l of present.slice(1)) params.push({ f: fi, level: l });
  });
  const theta: Record<string, Record<string, number>> = {};
  for (const f of factors) theta[f.name] = Object.fromEntries(Object.keys(f.targets).map((l) => [l, 0]));
  for (const p of params)
    if (factors[p.f] === absolute) theta[absolute.name]![p.level] = logit(resolved[absolute.name]![p.level]!);
  // Each cell's parameter indices (one per factor at most).
  const index = new Map(params.map((p, i) => [`${p.f}\u0000${p.level}`, i]));
  const cellParams = cells.map((c) =>
    factors.map((f, fi) => index.get(`${fi}\u0000${c.levels[f.name]}`) ?? -1).filter((i) => i >= 0)
  );
  const inAbsolute = cells.map((c) => c.levels[absolute.name]! in absolute.targets);
  const K = params.length;
  const groupN = new Float64Array(K);
  cells.forEach((c, ci) => {
    if (!inAbsolute[ci]) return;
    for (const i of cellParams[ci]!) groupN[i]! += c.n;
  });
  const target = params.map((p) => resolved[factors[p.f]!.name]![p.level]!);
  const value = new Float64Array(K);
  for (const [i, p] of params.entries()) value[i] = theta[factors[p.f]!.name]![p.level]!;
  let iterations = 0;
  let maxError = Infinity;
  const expected = () => {
    const s = new Float64Array(K);
    const J = Array.from({ length: K }, () => new Float64Array(K));
    cells.forEach((c, ci) => {
      if (!inAbsolute[ci]) return;
      let eta = c.offset;
      for (const i of cellParams[ci]!) eta += value[i]!;
      const p = expit(eta);
      const d = c.n * p * (1 - p);
      const ps = cellParams[ci]!;
      for (const i of ps) {
        s[i]! += c.n * p;
        for (const j of ps) J[i]![j]! += d;
      }
    });
    return { s, J };
  };
  while (iterations < maxIter) {
    const { s, J } = expected();
    const resid = new Float64Array(K);
    maxError = 0;
    for (let i = 0; i < K; i++) {
      resid[i] = target[i]! * groupN[i]! - s[i]!;
      maxError = Math.max(maxError, Math.abs(resid[i]! / groupN[i]!));
    }
    if (maxError < tol) break;
    iterations++;
    const step = solveOrRidge(J, resid);
    for (let i = 0; i < K; i++) value[i]! += Math.max(-2, Math.min(2, step[i]!));
  }
  for (const [i, p] of params.entries()) theta[factors[p.f]!.name]![p.level] = value[i]!;
  // Levels absent from the cohort get the reference's value (0) so the model stays defined.
  const linear = (c: Cell) => {
    let eta = c.offset;
    for (const f of factors) eta += theta[f.name]![c.levels[f.name]!] ?? 0;
    return eta;
  };
  const exp: Record<string, Record<string, number>> = {};
  for (const f of factors) {
    const sum: Record<string, number> = {};
    const n: Record<string, number> = {};
    cells.forEach((c, ci) => {
      if (!inAbsolute[ci]) return;
      const l = c.levels[f.name]!;
      if (!(l in f.targets)) return;
      sum[l] = (sum[l] ?? 0) + c.n * expit(linear(c));
      n[l] = (n[l] ?? 0) + c.n;
    });
    exp[f.name] = Object.fromEntries(Object.keys(sum).map((l) => [l, sum[l]! / n[l]!]));
  }
  return { theta, expected: exp, resolved, iterations, maxError };
}

/**
 * The Newton step; when two targeted groups coincide exactly (a small twin where every employed
 * immigrant is, say, in one age band) the system is singular, and a tiny ridge on the diagonal
 * picks the smallest step that still meets both targets, which are then the same target.
 */
function solveOrRidge(A: Float64Array[], b: Float64Array): Float64Array {
  try {
    return solveLinear(A, b);
  } catch (error) {
    let scale = 0;
    A.forEach((row, i) => (scale = Math.max(scale, Math.abs(row[i]!))));
    const ridge = Math.max(scale, 1e-12) * 1e-8;
    const damped = A.map((row, i) => {
      const r = Float64Array.from(row);
      r[i] = r[i]! + ridge;
      return r;
    });
    try {
      return solveLinear(damped, b);
    } catch {
      throw error;
    }
  }
}

/** Gaussian elimination with partial pivoting (small dense systems). */
function solveLinear(A: Float64Array[], b: Float64Array): Float64Array {
  const n = b.length;
  const M = A.map((row, i) => {
    const r = new Float64Array(n + 1);
    r.set(row);
    r[n] = b[i]!;
    return r;
  });
  for (let c = 0; c < n; c++) {
    let piv = c;
    for (let r = c + 1; r < n; r++) if (Math.abs(M[r]![c]!) > Math.abs(M[piv]![c]!)) piv = r;
    [M[c], M[piv]] = [M[piv]!, M[c]!];
    const d = M[c]![c]!;
    if (Math.abs(d) < 1e-300) throw new Error('Calibration: singular system (a targeted group is empty).');
    for (let r = 0; r < n; r++) {
      if (r === c) continue;
      const f = M[r]![c]! / d;
      if (f === 0) continue;
      for (let k = c; k <= n; k++) M[r]![k]! -= f * M[c]![k]!;
    }
  }
  return Float64Array.from({ length: n }, (_, i) => M[i]![n]! / M[i]![i]!);
}

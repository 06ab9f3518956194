/**
 * Maximum-likelihood fit of the three-level logistic model, patients in GPs in municipalities:
 *
 *   logit P(y = 1) = xᵀβ + m_k + u_jk,   m_k ~ N(0, σ²_m),   u_jk ~ N(0, σ²_g),
 *
 * by the Laplace approximation over the joint random effects (likelihood-nested.ts), the objective
 * of lme4::glmer(y ~ x + (1 | municipality/gp), nAGQ = 1).
 *
 * 1. Start from the two-level fit on the same design (σ²_m = 0), which is also the reference of the
 *    likelihood-ratio test for σ²_m = 0; σ_m starts at the best of a few values.
 * 2. BFGS over (β, θ_m, θ_g) with the exact gradient, then Newton steps with a forward-difference
 *    Hessian of that gradient, whose inverse gives the standard errors.
 * 3. Intervals for σ_m and σ_g by profile likelihood (the other parameters re-maximised by BFGS at
 *    each point; lower bound 0 when the profile at 0 stays within χ²₁(0.95)/2), or Wald on log σ.
 * 4. Summaries: the share of the between-GP variance that lies between municipalities,
 *    σ²_m/(σ²_m + σ²_g) (Wald on the logit scale); a median odds ratio per level (Larsen & Merlo 2005;
 *    for three levels as in Austin & Leckie, Stat Med 2026;45:e70558): between municipalities
 *    exp(√(2σ²_m)·Φ⁻¹(0.75)), between GPs of the same municipality exp(√(2σ²_g)·Φ⁻¹(0.75)), and
 *    between two GPs anywhere exp(√(2(σ²_m + σ²_g))·Φ⁻¹(0.75)), comparable with the two-level MOR;
 *    and the likelihood-ratio test of σ²_m = 0 against the two-level model (p from the 50:50
 *    mixture of χ²₀ and χ²₁, as the null lies on the boundary; Self & Liang 1987).
 */
import { profileBounds } from './profile-bounds.js';
import { normalQuantile, twoSidedP } from '../distributions.js';
import { cholInverse, cholesky, cholSolve, zeros, type Matrix } from '../linalg.js';
import type { PooledDesign } from './design.js';
import { fitGlmm, FitError, type FixedEffect, type GlmmFit, type Interval } from './fit.js';
import { NestedLikelihood, type NestedEvaluation } from './likelihood-nested.js';
import { icc, intervalOddsRatio, LOGISTIC_VARIANCE, medianOddsRatio } from './measures.js';

export interface NestedGlmmOptions {
  level?: number;
  /** Interval for σ_g (GPs): profile likelihood (default) or Wald on log σ. */
  varianceInterval?: 'profile' | 'wald';
  /** Interval for σ_m (municipalities); default: as varianceInterval. */
  upperVarianceInterval?: 'profile' | 'wald';
  /** The two-level fit (groups only) on the same design, if already made; fitted here otherwise. */
  start?: GlmmFit;
  maxIterations?: number;
}

export interface VarianceComponent extends Interval {
  method: 'profile likelihood' | 'Wald on log σ';
  sd: Interval;
  /** SE of σ from the Hessian (NaN at the boundary). */
  sdSe: number;
}

export interface NestedConditionalMode {
  label: string;
  persons: number;
  events: number;
  mode: number;
  se: number;
  lower: number;
  upper: number;
}

export interface NestedGlmmFit {
  method: 'Laplace';
  level: number;
  persons: number;
  events: number;
  groups: number;
  /** Upper units (municipalities) and the column they come from. */
  uppers: number;
  upperColumn: string;
  pooledRows: number;
  fixedEffects: FixedEffect[];
  /** σ²_m: between upper units (municipalities). */
  upperVariance: VarianceComponent;
  /** σ²_g: between groups (GPs) of the same upper unit. */
  groupVariance: VarianceComponent;
  /** σ²_m/(σ²_m + σ²_g): the share of the between-GP variance that lies between municipalities. */
  upperShare: Interval;
  /** σ²_m + σ²_g, Wald on log. */
  totalVariance: Interval;
  mor: { upper: Interval; group: Interval; total: Interval };
  /** Latent-scale correlations: same upper unit σ²_m/(σ²_m + σ²_g + π²/3); same group (σ²_m + σ²_g)/(…). */
  icc: { upper: number; group: number };
  /** 80 % interval odds ratio of each group-level covariate, over two groups anywhere (σ²_m + σ²_g). */
  ior80: { name: string; lower: number; upper: number }[];
  logLik: number;
  deviance: number;
  aic: number;
  bic: number;
  /** The two-level model on the same data and the test of σ²_m = 0 against it. */
  twoLevel: { logLik: number; gpVariance: number };
  lrt: { statistic: number; pValue: number };
  conditionalModes: { upper: NestedConditionalMode[]; group: NestedConditionalMode[] };
  covariance: number[][];
  converged: boolean;
  iterations: number;
  evaluations: number;
  warnings: string[];
  milliseconds: number;
}

type Evaluate = (params: Float64Array) => NestedEvaluation;

const dot = (a: ArrayLike<number>, b: ArrayLike<number>) => {
  let s = 0;
  for (let i = 0; i < a.length; i++) s += a[i]! * b[i]!;
  return s;
};

/**
 * BFGS ascent on the parameters `free` (the others held), from the inverse-Hessian guess `invH`
 * (of −ℓ, over the free parameters). Stops when the predicted increase gᵀH⁻¹g falls below tol.
 */
function bfgs(
  evaluate: Evaluate,
  params: Float64Array,
  free: readonly number[],
  invH: Matrix,
  options: { maxIterations: number; tolerance: number }
): { evaluation: NestedEvaluation; converged: boolean; iterations: number } {
  const k = free.length;
  let current = evaluate(params);
  const sub = (g: Float64Array) => Float64Array.from(free, (i) => g[i]!);
  let g = sub(current.gradient);
  let iterations = 0;
  let converged = false;
  const trial = new Float64Array(params.length);
  for (; iterations < options.maxIterations; iterations++) {
    const dir = new Float64Array(k);
    for (let a = 0; a < k; a++) dir[a] = dot(invH[a]!, g);
    let slope = dot(dir, g);
    if (!(slope > 0)) {
      for (let a = 0; a < k; a++) for (let b = 0; b < k; b++) invH[a]![b] = a === b ? 1e-3 : 0;
      for (let a = 0; a < k; a++) dir[a] = 1e-3 * g[a]!;
      slope = dot(dir, g);
    }
    if (slope < options.tolerance) {
      converged = true;
      break;
    }
    let t = 1;
    let next = current;
    let accepted = false;
    for (let half = 0; half < 50; half++) {
      trial.set(params);
      for (let a = 0; a < k; a++) trial[free[a]!] = params[free[a]!]! + t * dir[a]!;
      next = evaluate(trial);
      if (Number.isFinite(next.logLik) && next.logLik >= current.logLik + 1e-4 * t * slope) {
        accepted = true;
        break;
      }
      t *= 0.5;
    }
    if (!accepted) {
      converged = slope < 1e-6;
      break;
    }
    const nextG = sub(next.gradient);
    const s = new Float64Array(k);
    const y = new Float64Array(k);
    for (let a = 0; a < k; a++) {
      s[a] = t * dir[a]!;
      y[a] = -(nextG[a]! - g[a]!);
    }
    params.set(trial);
    current = next;
    g = nextG;
    const sy = dot(s, y);
    if (sy > 1e-12 * Math.sqrt(dot(s, s) * dot(y, y))) {
      const hy = new Float64Array(k);
      for (let a = 0; a < k; a++) hy[a] = dot(invH[a]!, y);
      const yhy = dot(y, hy);
      for (let a = 0; a < k; a++)
        for (let b = 0; b < k; b++)
          invH[a]![b]! += ((sy + yhy) * s[a]! * s[b]!) / (sy * sy) - (hy[a]! * s[b]! + s[a]! * hy[b]!) / sy;
    }
  }
  // The modes inside the likelihood are warm starts; leave them at the returned point.
  current = evaluate(params);
  return { evaluation: current, converged, iterations };
}

/**
 * Hessian of ℓ from differences of the exact gradient: forward differences from the gradient at
 * `params` (k evaluations; with the gradient exact, the O(h) error is about 1e-5 relative, far
 * below the 1e-3 asked of the standard errors), or central ones (2k evaluations).
 */
function numericHessian(evaluate: Evaluate, params: Float64Array, forwardFrom?: Float64Array): Matrix {
  const k = params.length;
  const h = zeros(k);
  const at = Float64Array.from(params);
  for (let i = 0; i < k; i++) {
    const step = 1e-5 * Math.max(1, Math.abs(params[i]!));
    at[i] = params[i]! + step;
    const plus = evaluate(at).gradient;
    at[i] = params[i]! - (forwardFrom ? 0 : step);
    const minus = forwardFrom ?? evaluate(at).gradient;
    at[i] = params[i]!;
    const width = forwardFrom ? step : 2 * step;
    for (let j = 0; j < k; j++) h[j]![i] = (plus[j]! - minus[j]!) / width;
  }
  for (let i = 0; i < k; i++)
    for (let j = 0; j < i; j++) {
      const v = 0.5 * (h[i]![j]! + h[j]![i]!);
      h[i]![j] = v;
      h[j]![i] = v;
    }
  return h;
}

const negate = (m: Matrix): Matrix => m.map((row) => row.map((v) => -v));

/** Inverse of −H restricted to `free`, or a scaled identity when it is not positive definite. */
function inverseBlock(negHessian: Matrix, free: readonly number[]): Matrix {
  const sub = free.map((a) => free.map((b) => negHessian[a]![b]!));
  const l = cholesky(sub);
  if (l) return cholInverse(l);
  return free.map((_, a) => free.map((__, b) => (a === b ? 1e-2 : 0)));
}

export function fitNestedGlmm(design: PooledDesign, options: NestedGlmmOptions = {}): NestedGlmmFit {
  const started = performance.now();
  if (!design.upper) throw new FitError('A three-level model needs a design with an upper level');
  const level = options.level ?? 0.95;
  if (!(level > 0 && level < 1)) throw new RangeError(`level must lie between 0 and 1 (got ${level})`);
  const z = normalQuantile(0.5 + level / 2);
  const p = design.p;
  const k = p + 2;
  const iM = p;
  const iG = p + 1;
  const warnings: string[] = [];
  const twoLevel = options.start ?? fitGlmm(design, { nAGQ: 1, level, varianceInterval: 'wald' });
  if (twoLevel.nAGQ !== 1) throw new FitError('The start must be a Laplace fit (nAGQ = 1)');
  const lik = new NestedLikelihood(design);
  const evaluate: Evaluate = (x) => lik.evaluate(x);

  // 1. Start: β and σ_g from the two-level fit; θ_m from a short grid.
  const params = new Float64Array(k);
  twoLevel.fixedEffects.forEach((f, m) => (params[m] = f.estimate));
  params[iG] = Math.max(twoLevel.gpSd.estimate, 0.05);
  let bestLl = -Infinity;
  let bestTheta = 0.1;
  for (const t of [0.05, 0.15, 0.3, 0.5, 0.8]) {
    params[iM] = t;
    const ll = lik.evaluate(params).logLik;
    if (ll > bestLl) {
      bestLl = ll;
      bestTheta = t;
    }
  }
  params[iM] = bestTheta;
  // Initial inverse Hessian: the two-level covariance for β, σ_g; a 1-D curvature for θ_m.
  const invH = zeros(k);
  twoLevel.covariance.forEach((row, a) => row.forEach((v, b) => (invH[a]![b] = v)));
  invH[iG]![iG] = Number.isFinite(twoLevel.sdSe) && twoLevel.sdSe > 0 ? twoLevel.sdSe ** 2 : 0.01;
  {
    const hStep = 1e-4;
    const at = Float64Array.from(params);
    at[iM] = params[iM] + hStep;
    const gPlus = lik.evaluate(at).gradient[iM]!;
    at[iM] = params[iM] - hStep;
    const gMinus = lik.evaluate(at).gradient[iM]!;
    const curvature = -(gPlus - gMinus) / (2 * hStep);
    invH[iM]![iM] = curvature > 1e-8 ? 1 / curvature : 1;
  }

  // 2. BFGS, then Newton polish with the numerical Hessian.
  const all = Array.from({ length: k }, (_, i) => i);
  const run = bfgs(evaluate, params, all, invH, {
    maxIterations: options.maxIterations ?? 500,
    tolerance: 1e-10,
  });
  let current = run.evaluation;
  let converged = run.converged;
  let hessian = numericHessian(evaluate, params, current.gradient);
  let moved = 0;
  for (let round = 0; round < 3; round++) {
    const l = cholesky(negate(hessian));
    if (!l) break;
    const step = cholSolve(l, Array.from(current.gradient));
    const decrement = dot(step, current.gradient);
    if (!(decrement > 1e-14)) {
      converged = true;
      break;
    }
    const trial = Float64Array.from(params, (v, a) => v + step[a]!);
    const next = lik.evaluate(trial);
    if (!(next.logLik >= current.logLik - 1e-9)) break;
    moved = Math.max(moved, ...step.map(Math.abs));
    params.set(trial);
    current = next;
    converged = true;
  }
  // σ = |θ|: report θ ≥ 0 (the likelihood is symmetric in each θ; the modes flip with it, and the
  // Hessian's row and column of a flipped θ change sign).
  for (const i of [iM, iG])
    if (params[i]! < 0) {
      params[i] = -params[i]!;
      for (let j = 0; j < k; j++)
        if (j !== i) {
          hessian[i]![j] = -hessian[i]![j]!;
          hessian[j]![i] = -hessian[j]![i]!;
        }
    }
  current = lik.evaluate(params);
  if (moved > 1e-4) hessian = numericHessian(evaluate, params, current.gradient);
  if (!converged) warnings.push('The optimiser stopped before the convergence criterion was met.');

  const negH = negate(hessian);
  const lNeg = cholesky(negH);
  let covAll: Matrix;
  if (lNeg) covAll = cholInverse(lNeg);
  else {
    warnings.push(
      'The Hessian is not positive definite (a variance at or near zero); standard errors treat the variances as known.'
    );
    const l = cholesky(negH.slice(0, p).map((row) => row.slice(0, p)));
    if (!l)
      throw new FitError(
        'The information matrix of the fixed effects is singular; the model is not identified'
      );
    const inv = cholInverse(l);
    covAll = zeros(k);
    for (let a = 0; a < p; a++) for (let b = 0; b < p; b++) covAll[a]![b] = inv[a]![b]!;
    covAll[iM]![iM] = NaN;
    covAll[iG]![iG] = NaN;
    covAll[iM]![iG] = NaN;
    covAll[iG]![iM] = NaN;
  }
  const logLik = current.logLik;
  const thetaM = params[iM];
  const thetaG = params[iG];

  // 3. Intervals for σ_m and σ_g.
  const seOf = (i: number) => Math.sqrt(covAll[i]![i]!);
  const component = (i: number, method: 'profile' | 'wald'): VarianceComponent => {
    const theta = params[i]!;
    const se = seOf(i);
    let lower: number;
    let upper: number;
    if (method === 'wald') {
      if (Number.isFinite(se) && theta > 1e-6) {
        lower = theta * Math.exp(-z * (se / theta));
        upper = theta * Math.exp(z * (se / theta));
      } else {
        lower = 0;
        upper = NaN;
        warnings.push('No Wald interval for a σ at the boundary; use the profile interval.');
      }
    } else {
      const bounds = profileInterval(evaluate, params, i, logLik, z, Number.isFinite(se) ? se : 0.1, negH);
      lower = bounds.lower;
      upper = bounds.upper;
    }
    return {
      estimate: theta * theta,
      lower: lower * lower,
      upper: upper * upper,
      method: method === 'wald' ? 'Wald on log σ' : 'profile likelihood',
      sd: { estimate: theta, lower, upper },
      sdSe: se,
    };
  };
  const groupMethod = options.varianceInterval ?? 'profile';
  const upperVariance = component(iM, options.upperVarianceInterval ?? groupMethod);
  const groupVariance = component(iG, groupMethod);
  // Back to the estimate (the profile moved the warm-start modes).
  lik.evaluate(params);

  // 4. Summaries.
  const vm = thetaM * thetaM;
  const vg = thetaG * thetaG;
  const total = vm + vg;
  const cMM = covAll[iM]![iM]!;
  const cGG = covAll[iG]![iG]!;
  const cMG = covAll[iM]![iG]!;
  const varTotal = 4 * (vm * cMM + vg * cGG + 2 * thetaM * thetaG * cMG);
  const seLogTotal = Math.sqrt(varTotal) / total;
  const totalVariance: Interval =
    Number.isFinite(seLogTotal) && total > 0
      ? { estimate: total, lower: total * Math.exp(-z * seLogTotal), upper: total * Math.exp(z * seLogTotal) }
      : { estimate: total, lower: NaN, upper: NaN };
  const share = total > 0 ? vm / total : NaN;
  let upperShare: Interval = { estimate: share, lower: NaN, upper: NaN };
  if (thetaM > 1e-6 && thetaG > 1e-6) {
    // logit(share) = log σ²_m − log σ²_g: gradient (2/θ_m, −2/θ_g).
    const a = 2 / thetaM;
    const b = -2 / thetaG;
    const se = Math.sqrt(a * a * cMM + b * b * cGG + 2 * a * b * cMG);
    if (Number.isFinite(se)) {
      const lg = Math.log(vm / vg);
      const expit = (x: number) => 1 / (1 + Math.exp(-x));
      upperShare = { estimate: share, lower: expit(lg - z * se), upper: expit(lg + z * se) };
    }
  }
  const morOf = (v: Interval): Interval => ({
    estimate: medianOddsRatio(v.estimate),
    lower: medianOddsRatio(v.lower),
    upper: medianOddsRatio(v.upper),
  });
  const fixedEffects: FixedEffect[] = design.names.map((name, m) => {
    const estimate = params[m]!;
    const se = Math.sqrt(covAll[m]![m]!);
    return {
      name,
      estimate,
      se,
      z: estimate / se,
      pValue: twoSidedP(estimate / se),
      oddsRatio: Math.exp(estimate),
      oddsRatioLower: Math.exp(estimate - z * se),
      oddsRatioUpper: Math.exp(estimate + z * se),
      groupLevel: m > 0 && design.terms[m]!.groupLevel,
    };
  });
  // A difference within the rounding of the log-likelihood (σ²_m at zero) is no difference.
  const difference = 2 * (logLik - twoLevel.logLik);
  const statistic = difference > Math.max(1e-6, 1e-12 * Math.abs(logLik)) ? difference : 0;
  const modes = lik.conditionalModes(params);
  const counts = (g0: number, g1: number) => {
    let persons = 0;
    let events = 0;
    for (let r = design.groupStart[g0]!; r < design.groupStart[g1]!; r++) {
      persons += design.trials[r]!;
      events += design.events[r]!;
    }
    return { persons, events };
  };
  const upperStart = design.upper.start;
  const kParams = k;
  return {
    method: 'Laplace',
    level,
    persons: design.persons,
    events: design.totalEvents,
    groups: design.groupLabels.length,
    uppers: design.upper.labels.length,
    upperColumn: design.upper.column,
    pooledRows: design.trials.length,
    fixedEffects,
    upperVariance,
    groupVariance,
    upperShare,
    totalVariance,
    mor: { upper: morOf(upperVariance), group: morOf(groupVariance), total: morOf(totalVariance) },
    icc: {
      upper: vm / (total + LOGISTIC_VARIANCE),
      group: icc(total),
    },
    ior80: fixedEffects
      .filter((f) => f.groupLevel)
      .map((f) => ({ name: f.name, ...intervalOddsRatio(f.estimate, total) })),
    logLik,
    deviance: -2 * logLik,
    aic: -2 * logLik + 2 * kParams,
    bic: -2 * logLik + Math.log(design.persons) * kParams,
    twoLevel: { logLik: twoLevel.logLik, gpVariance: twoLevel.gpVariance.estimate },
    // P(χ²₁ > x) = 2(1 − Φ(√x)); half of it under the boundary mixture.
    lrt: { statistic, pValue: statistic > 0 ? 0.5 * twoSidedP(Math.sqrt(statistic)) : 1 },
    conditionalModes: {
      upper: design.upper.labels.map((label, u) => {
        const m = modes.upper[u]!;
        return {
          label,
          ...counts(upperStart[u]!, upperStart[u + 1]!),
          mode: m.mode,
          se: m.sd,
          lower: m.mode - z * m.sd,
          upper: m.mode + z * m.sd,
        };
      }),
      group: design.groupLabels.map((label, g) => {
        const m = modes.group[g]!;
        return {
          label,
          ...counts(g, g + 1),
          mode: m.mode,
          se: m.sd,
          lower: m.mode - z * m.sd,
          upper: m.mode + z * m.sd,
        };
      }),
    },
    covariance: covAll.slice(0, p).map((row) => row.slice(0, p)),
    converged,
    iterations: run.iterations,
    evaluations: lik.evaluations,
    warnings,
    milliseconds: performance.now() - started,
  };
}

/**
 * Profile-likelihood interval for σ = θ_i: where max over the other parameters of ℓ falls z²/2
 * below the maximum. Each point re-maximises by BFGS from the neighbouring solution; bounds by
 * regula falsi (Illinois), as in fit.ts.
 */
function profileInterval(
  evaluate: Evaluate,
  optimum: Float64Array,
  i: number,
  maxLogLik: number,
  z: number,
  se: number,
  negHessian: Matrix
): { lower: number; upper: number } {
  const target = maxLogLik - (z * z) / 2;
  const theta = optimum[i]!;
  const free = Array.from({ length: optimum.length }, (_, a) => a).filter((a) => a !== i);
  const guess = inverseBlock(negHessian, free);
  const work = Float64Array.from(optimum);
  const profile = (sd: number): number => {
    work[i] = sd;
    const invH = guess.map((row) => row.slice());
    return bfgs(evaluate, work, free, invH, { maxIterations: 100, tolerance: 1e-9 }).evaluation.logLik;
  };
  return profileBounds({
    theta,
    se: se,
    gapAtOptimum: maxLogLik - target,
    gap: (sd) => profile(sd) - target,
    reset: () => work.set(optimum),
  });
}

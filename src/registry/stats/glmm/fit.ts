// Long (over 400 lines) because the GLM start, BFGS, Newton refinement, standard errors and σ² intervals share one objective and are checked against lme4 as one unit.
/**
 * Maximum-likelihood fit of the random-intercept logistic model (logit P(Y_ij = 1) = x_ij'β + u_j, u_j ~ N(0, σ²)), by the
 * Laplace approximation (nAGQ = 1) or adaptive Gauss-Hermite quadrature (nAGQ = K > 1), with the
 * same objective as lme4::glmer.
 *
 * 1. Start: the logistic GLM (θ = 0), by Newton; divergence there means separation, refused with
 *    the covariate that causes it.
 * 2. BFGS over (β, θ) with the exact gradient of the approximated likelihood, then Newton steps
 *    with a Hessian from forward differences of that gradient. The likelihood is symmetric in θ,
 *    so θ is unconstrained and σ = |θ|; a variance of zero is reached without a bound.
 * 3. Standard errors from the inverse of that Hessian (as lme4's default for nAGQ > 0, which also
 *    differentiates the deviance numerically over θ and β together).
 * 4. An interval for the GP standard deviation by profile likelihood (β re-maximised at each σ),
 *    or a Wald interval on log σ when asked (faster, worse near zero).
 */
import { profileBounds } from './profile-bounds.js';
import { cholInverse, cholSolve, cholesky, zeros, type Matrix } from '../linalg.js';
import { normalQuantile, twoSidedP } from '../distributions.js';
import type { PooledDesign } from './design.js';
import { MarginalLikelihood } from './likelihood.js';
import { icc, intervalOddsRatio, medianOddsRatio } from './measures.js';

export interface GlmmOptions {
  /** 1 = Laplace; K > 1 = adaptive Gauss-Hermite with K points. */
  nAGQ?: number;
  /** Confidence level of every interval (default 0.95). */
  level?: number;
  /** How to bound the GP variance: profile likelihood (default) or Wald on log σ. */
  varianceInterval?: 'profile' | 'wald';
  maxIterations?: number;
}

export interface FixedEffect {
  name: string;
  estimate: number;
  se: number;
  z: number;
  pValue: number;
  oddsRatio: number;
  oddsRatioLower: number;
  oddsRatioUpper: number;
  /** Constant within every group (a GP-level covariate). */
  groupLevel: boolean;
}

export interface ConditionalMode {
  group: string;
  persons: number;
  events: number;
  /** û_g on the log-odds scale (shrunken towards 0). */
  mode: number;
  /** Conditional standard deviation θ/√H_g. */
  se: number;
  lower: number;
  upper: number;
}

export interface Interval {
  estimate: number;
  lower: number;
  upper: number;
}

export interface GlmmFit {
  method: 'Laplace' | 'adaptive Gauss-Hermite';
  nAGQ: number;
  level: number;
  persons: number;
  events: number;
  groups: number;
  pooledRows: number;
  fixedEffects: FixedEffect[];
  /** σ² of the GP random intercept, with the interval for σ squared. */
  gpVariance: Interval & { method: 'profile likelihood' | 'Wald on log σ' };
  gpSd: Interval;
  /** Standard error of σ from the Hessian (NaN at the boundary σ = 0). */
  sdSe: number;
  logLik: number;
  deviance: number;
  aic: number;
  bic: number;
  /** Latent-scale ICC σ²/(σ² + π²/3). */
  icc: Interval;
  /** Median odds ratio exp(√(2σ²)·Φ⁻¹(0.75)). */
  mor: Interval;
  /** 80 % interval odds ratio for each group-level covariate. */
  ior80: { name: string; lower: number; upper: number }[];
  conditionalModes: ConditionalMode[];
  /** Covariance of the fixed effects. */
  covariance: number[][];
  converged: boolean;
  iterations: number;
  evaluations: number;
  warnings: string[];
  milliseconds: number;
}

export class FitError extends Error {
  constructor(
    message: string,
    readonly field: string | null = null
  ) {
    super(message);
    this.name = 'FitError';
  }
}

const dot = (a: ArrayLike<number>, b: ArrayLike<number>) => {
  let s = 0;
  for (let i = 0; i < a.length; i++) s += a[i]! * b[i]!;
  return s;
};

function toMatrix(flat: Float64Array, p: number): Matrix {
  const m = zeros(p);
  for (let a = 0; a < p; a++) for (let b = 0; b < p; b++) m[a]![b] = flat[a * p + b]!;
  return m;
}

function solveSpd(m: Matrix, v: ArrayLike<number>): number[] | null {
  const l = cholesky(m);
  return l ? cholSolve(l, Array.from(v)) : null;
}

/**
 * Maximises over β at fixed θ by Newton with the approximate information (exact at θ = 0), with
 * step halving. Returns the log-likelihood at the maximum and whether it converged.
 */
function maximiseBeta(
  lik: MarginalLikelihood,
  params: Float64Array,
  options: { maxIter?: number; tolerance?: number } = {}
): { logLik: number; converged: boolean; iterations: number } {
  const p = lik.p;
  const maxIter = options.maxIter ?? 60;
  const tolerance = options.tolerance ?? 1e-12;
  const info = new Float64Array(p * p);
  const evalOptions = { betaInfo: info };
  let current = lik.evaluate(params, evalOptions);
  for (let it = 0; it < maxIter; it++) {
    const step = solveSpd(toMatrix(info, p), current.gradient.subarray(0, p));
    if (!step) return { logLik: current.logLik, converged: false, iterations: it };
    const decrement = dot(step, current.gradient.subarray(0, p));
    // The log-likelihood is a sum over up to hundreds of thousands of rows, so its rounding noise
    // grows with its size: the tolerances are relative (1e-14·|ℓ| ≈ 1e-9 at national scale), or
    // Newton would chase noise to its iteration limit.
    const noise = 1e-14 * Math.abs(current.logLik);
    if (decrement < tolerance + noise) return { logLik: current.logLik, converged: true, iterations: it };
    let t = 1;
    const base = params.slice(0, p);
    for (let half = 0; half < 40; half++) {
      for (let m = 0; m < p; m++) params[m] = base[m]! + t * step[m]!;
      const next = lik.evaluate(params, evalOptions);
      if (Number.isFinite(next.logLik) && next.logLik >= current.logLik - 1e-10 - noise) {
        current = next;
        break;
      }
      t *= 0.5;
      if (half === 39) {
        params.set(base, 0);
        lik.evaluate(params, evalOptions);
        return { logLik: current.logLik, converged: false, iterations: it };
      }
    }
    if (Math.max(...Array.from(params.subarray(0, p), Math.abs)) > 50)
      return { logLik: current.logLik, converged: false, iterations: it };
  }
  return { logLik: current.logLik, converged: false, iterations: maxIter };
}

/**
 * A 0/1 covariate whose persons all have the same outcome: quasi-complete separation, which sends
 * its coefficient to infinity. Checked before fitting, so the message can name the level.
 */
function dummySeparation(design: PooledDesign): string | null {
  const { p, x, trials, events, names } = design;
  const rows = trials.length;
  for (let m = 1; m < p; m++) {
    let n1 = 0;
    let y1 = 0;
    let binary = true;
    for (let r = 0; r < rows; r++) {
      const v = x[r * p + m]!;
      if (v !== 0 && v !== 1) {
        binary = false;
        break;
      }
      if (v === 1) {
        n1 += trials[r]!;
        y1 += events[r]!;
      }
    }
    if (binary && n1 > 0 && (y1 === 0 || y1 === n1))
      return `Perfect separation: every person with ${names[m]} = 1 has outcome ${y1 === 0 ? 0 : 1} (${n1} persons); merge that level with another or drop the covariate`;
  }
  return null;
}

/** |β| beyond this on the logit scale (a probability within 2e-9 of 0 or 1) means divergence. */
const DIVERGED = 20;

/** The logistic GLM (θ = 0) as a start and as a separation check, with errors that name the cause. */
function fitStartingGlm(lik: MarginalLikelihood, design: PooledDesign, params: Float64Array): void {
  const named = dummySeparation(design);
  if (named) throw new FitError(named);
  params[0] = Math.log(design.totalEvents / (design.persons - design.totalEvents));
  const glm = maximiseBeta(lik, params);
  const beta = Array.from(params.subarray(0, design.p));
  if (!glm.converged || beta.some((b) => Math.abs(b) > DIVERGED)) {
    const diverging = design.names.filter((_, m) => Math.abs(beta[m]!) > DIVERGED / 2);
    throw new FitError(
      `Perfect or quasi-complete separation: the fixed effects${diverging.length ? ` (${diverging.join(', ')})` : ''} grow without bound; a combination of covariates predicts the outcome exactly`
    );
  }
}

/**
 * Hessian of the log-likelihood from differences of the analytic gradient: forward differences
 * from the gradient at `params` (k evaluations; with the gradient exact, the O(h) error is about
 * 1e-5 relative, well inside the 2e-4 to which the standard errors match lme4's deviance Hessian),
 * as fit-nested.ts does.
 */
function numericHessian(lik: MarginalLikelihood, params: Float64Array, atParams: Float64Array): Matrix {
  const k = params.length;
  const h = zeros(k);
  const at = Float64Array.from(params);
  for (let i = 0; i < k; i++) {
    const step = 1e-5 * Math.max(1, Math.abs(params[i]!));
    at[i] = params[i]! + step;
    const plus = lik.evaluate(at).gradient;
    at[i] = params[i]!;
    for (let j = 0; j < k; j++) h[j]![i] = (plus[j]! - atParams[j]!) / step;
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

export function fitGlmm(design: PooledDesign, options: GlmmOptions = {}): GlmmFit {
  const started = performance.now();
  const nAGQ = options.nAGQ ?? 1;
  const level = options.level ?? 0.95;
  if (!(level > 0 && level < 1)) throw new RangeError(`level must lie between 0 and 1 (got ${level})`);
  const z = normalQuantile(0.5 + level / 2);
  const lik = new MarginalLikelihood(design, nAGQ);
  const p = design.p;
  const k = p + 1;
  const warnings: string[] = [];

  // 1. The logistic GLM as start (θ = 0).
  const params = new Float64Array(k);
  fitStartingGlm(lik, design, params);

  // Start θ at the best of a few values (β from the GLM).
  let bestTheta = 0.1;
  let bestLl = -Infinity;
  for (const theta of [0.1, 0.3, 0.6, 1, 1.5, 2.5]) {
    params[p] = theta;
    const ll = lik.evaluate(params).logLik;
    if (ll > bestLl) {
      bestLl = ll;
      bestTheta = theta;
    }
  }
  params[p] = bestTheta;
  lik.modes.fill(0);

  // 2. BFGS on f = −ℓ. Initial inverse Hessian: the β information at this θ and a numerical
  // second derivative along θ.
  const info = new Float64Array(p * p);
  lik.evaluate(params, { betaInfo: info });
  const invH = zeros(k);
  {
    const l = cholesky(toMatrix(info, p));
    const inv = l ? cholInverse(l) : null;
    for (let a = 0; a < p; a++) for (let b = 0; b < p; b++) invH[a]![b] = inv ? inv[a]![b]! : a === b ? 1 : 0;
    const hStep = 1e-4;
    const at = Float64Array.from(params);
    at[p] = params[p] + hStep;
    const gPlus = lik.evaluate(at).gradient[p]!;
    at[p] = params[p] - hStep;
    const gMinus = lik.evaluate(at).gradient[p]!;
    const curv = -(gPlus - gMinus) / (2 * hStep);
    invH[p]![p] = curv > 1e-8 ? 1 / curv : 1;
  }
  let current = lik.evaluate(params);
  const maxIterations = options.maxIterations ?? 500;
  let iterations = 0;
  let converged = false;
  for (; iterations < maxIterations; iterations++) {
    const g = current.gradient; // gradient of ℓ; f = −ℓ so ∇f = −g
    const dir = new Float64Array(k);
    for (let a = 0; a < k; a++) {
      let s = 0;
      for (let b = 0; b < k; b++) s += invH[a]![b]! * g[b]!;
      dir[a] = s; // ascent direction for ℓ
    }
    let slope = dot(dir, g);
    if (!(slope > 0)) {
      // Not an ascent direction: restart from the scaled gradient.
      for (let a = 0; a < k; a++) for (let b = 0; b < k; b++) invH[a]![b] = a === b ? 1e-3 : 0;
      for (let a = 0; a < k; a++) dir[a] = 1e-3 * g[a]!;
      slope = dot(dir, g);
    }
    if (slope < 1e-10) {
      converged = true;
      break;
    }
    let t = 1;
    let next = current;
    const trial = new Float64Array(k);
    let accepted = false;
    for (let half = 0; half < 50; half++) {
      for (let a = 0; a < k; a++) trial[a] = params[a]! + t * dir[a]!;
      next = lik.evaluate(trial);
      if (Number.isFinite(next.logLik) && next.logLik >= current.logLik + 1e-4 * t * slope) {
        accepted = true;
        break;
      }
      t *= 0.5;
    }
    if (!accepted) {
      // No progress possible along this direction: converged to machine precision or stuck.
      converged = slope < 1e-6;
      break;
    }
    const s = new Float64Array(k);
    const yv = new Float64Array(k);
    for (let a = 0; a < k; a++) {
      s[a] = trial[a]! - params[a]!;
      yv[a] = -(next.gradient[a]! - current.gradient[a]!); // change in ∇f
    }
    params.set(trial);
    current = next;
    const sy = dot(s, yv);
    if (sy > 1e-12 * Math.sqrt(dot(s, s) * dot(yv, yv))) {
      // BFGS update of the inverse Hessian of f.
      const hy = new Float64Array(k);
      for (let a = 0; a < k; a++) {
        let v = 0;
        for (let b = 0; b < k; b++) v += invH[a]![b]! * yv[b]!;
        hy[a] = v;
      }
      const yhy = dot(yv, hy);
      for (let a = 0; a < k; a++)
        for (let b = 0; b < k; b++)
          invH[a]![b]! += ((sy + yhy) * s[a]! * s[b]!) / (sy * sy) - (hy[a]! * s[b]! + s[a]! * hy[b]!) / sy;
    }
    if (Math.abs(params[0]!) > 1e6) break;
  }

  // Newton polishing with the numerical Hessian; it is also the one the standard errors use.
  // The Hessian changes little over these last steps, so it is recomputed only if they moved far.
  let hessian = numericHessian(lik, params, current.gradient);
  let moved = 0;
  for (let round = 0; round < 3; round++) {
    const step = solveSpd(negate(hessian), current.gradient);
    if (!step) break;
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
  if (moved > 1e-4) hessian = numericHessian(lik, params, current.gradient);
  if (!converged) warnings.push('The optimiser stopped before the convergence criterion was met.');

  // σ = |θ|: the likelihood is symmetric in θ; flip the sign (and the modes) to report θ ≥ 0. The
  // Hessian's θ row and column change sign with it.
  if (params[p] < 0) {
    params[p] = -params[p];
    for (let j = 0; j < p; j++) {
      hessian[p]![j] = -hessian[p]![j]!;
      hessian[j]![p] = -hessian[j]![p]!;
    }
  }
  current = lik.evaluate(params);
  const theta = params[p];
  const negH = negate(hessian);
  const lNeg = cholesky(negH);
  let covAll: Matrix;
  if (lNeg) covAll = cholInverse(lNeg);
  else {
    // On the boundary (θ ≈ 0) the θ row can be singular; the β block then comes from β alone.
    warnings.push(
      'The Hessian is not positive definite (GP variance at or near zero); standard errors treat σ as known.'
    );
    const sub = negH.slice(0, p).map((row) => row.slice(0, p));
    const l = cholesky(sub);
    if (!l)
      throw new FitError(
        'The information matrix of the fixed effects is singular; the model is not identified'
      );
    const inv = cholInverse(l);
    covAll = zeros(k);
    for (let a = 0; a < p; a++) for (let b = 0; b < p; b++) covAll[a]![b] = inv[a]![b]!;
    covAll[p]![p] = NaN;
  }

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
  const logLik = current.logLik;
  const modes: ConditionalMode[] = design.groupLabels.map((group, g) => {
    const se = theta / Math.sqrt(lik.curvature[g]!);
    const mode = theta * lik.modes[g]!;
    let persons = 0;
    let events = 0;
    for (let r = design.groupStart[g]!; r < design.groupStart[g + 1]!; r++) {
      persons += design.trials[r]!;
      events += design.events[r]!;
    }
    return { group, persons, events, mode, se, lower: mode - z * se, upper: mode + z * se };
  });

  // The interval for σ.
  const seTheta = Math.sqrt(covAll[p]![p]!);
  let sdLower: number;
  let sdUpper: number;
  const method = options.varianceInterval ?? 'profile';
  if (method === 'wald') {
    if (Number.isFinite(seTheta) && theta > 0) {
      sdLower = theta * Math.exp(-z * (seTheta / theta));
      sdUpper = theta * Math.exp(z * (seTheta / theta));
    } else {
      sdLower = 0;
      sdUpper = NaN;
      warnings.push('No Wald interval for σ at the boundary; use the profile interval.');
    }
  } else {
    const bounds = profileSdInterval(lik, params, logLik, z, Number.isFinite(seTheta) ? seTheta : 0.1);
    sdLower = bounds.lower;
    sdUpper = bounds.upper;
  }
  // The profile search moved the modes; put them back at the estimate (the reported modes are read).
  lik.evaluate(params);

  const sd = { estimate: theta, lower: sdLower, upper: sdUpper };
  const variance = { estimate: theta * theta, lower: sdLower * sdLower, upper: sdUpper * sdUpper };
  const kParams = k;
  return {
    method: nAGQ === 1 ? 'Laplace' : 'adaptive Gauss-Hermite',
    nAGQ,
    level,
    persons: design.persons,
    events: design.totalEvents,
    groups: design.groupLabels.length,
    pooledRows: design.trials.length,
    fixedEffects,
    gpVariance: { ...variance, method: method === 'wald' ? 'Wald on log σ' : 'profile likelihood' },
    gpSd: sd,
    sdSe: seTheta,
    logLik,
    deviance: -2 * logLik,
    aic: -2 * logLik + 2 * kParams,
    bic: -2 * logLik + Math.log(design.persons) * kParams,
    icc: { estimate: icc(variance.estimate), lower: icc(variance.lower), upper: icc(variance.upper) },
    mor: {
      estimate: medianOddsRatio(variance.estimate),
      lower: medianOddsRatio(variance.lower),
      upper: medianOddsRatio(variance.upper),
    },
    ior80: fixedEffects
      .filter((f) => f.groupLevel)
      .map((f) => ({ name: f.name, ...intervalOddsRatio(f.estimate, variance.estimate) })),
    conditionalModes: modes,
    covariance: covAll.slice(0, p).map((row) => row.slice(0, p)),
    converged,
    iterations,
    evaluations: lik.evaluations,
    warnings,
    milliseconds: performance.now() - started,
  };
}

/**
 * Profile-likelihood interval for σ: the values where max_β ℓ(β, σ) falls z²/2 below the maximum.
 * Each point re-maximises β by Newton from the neighbouring solution; the bounds are bracketed and
 * found by regula falsi (Illinois) until the profile is within 1e-5 of the target.
 */
function profileSdInterval(
  lik: MarginalLikelihood,
  optimum: Float64Array,
  maxLogLik: number,
  z: number,
  seTheta: number
): { lower: number; upper: number } {
  const p = lik.p;
  const target = maxLogLik - (z * z) / 2;
  const theta = optimum[p]!;
  const work = Float64Array.from(optimum);
  const profile = (sd: number): number => {
    work[p] = sd;
    // A bound needs the profile to about 1e-5 (σ to about 1e-7 at the slopes seen there), so β is
    // re-maximised to a decrement of 1e-8 rather than to full precision.
    return maximiseBeta(lik, work, { tolerance: 1e-8 }).logLik;
  };
  return profileBounds({
    theta,
    se: seTheta,
    gapAtOptimum: maxLogLik - target,
    gap: (sd) => profile(sd) - target,
    reset: () => work.set(optimum),
  });
}

/**
 * The logistic GLM without group effects (θ = 0): the risk model for indirect standardisation
 * (funnel plots). Returns β and, per group, the events the model expects, Σ n·p̂.
 */
export function fitLogisticGlm(design: PooledDesign): { beta: number[]; expectedByGroup: number[] } {
  const lik = new MarginalLikelihood(design, 1);
  const p = design.p;
  const params = new Float64Array(p + 1);
  fitStartingGlm(lik, design, params);
  const expectedByGroup = design.groupLabels.map((_, g) => {
    let expected = 0;
    for (let r = design.groupStart[g]!; r < design.groupStart[g + 1]!; r++) {
      let eta = 0;
      for (let m = 0; m < p; m++) eta += design.x[r * p + m]! * params[m]!;
      expected += design.trials[r]! / (1 + Math.exp(-eta));
    }
    return expected;
  });
  return { beta: Array.from(params.subarray(0, p)), expectedByGroup };
}

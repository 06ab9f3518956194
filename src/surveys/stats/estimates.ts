/**
 * Weighted shares with 95 % confidence intervals by Taylor linearisation, and the unweighted share
 * with the Wilson interval beside it; cross-tables as domain estimates.
 *
 * The share of answer category k among those who answered an item (in a domain d: those of the
 * domain who answered) is a ratio of two weighted totals,
 *   R̂_k = Ŷ_k / X̂,  Ŷ_k = Σ_i w_i y_ik,  X̂ = Σ_i w_i a_i,
 * where a_i = 1 when respondent i answered (and is in the domain) and y_ik = a_i·[answer = k].
 * Its linearised variance (Woodruff 1971; Särndal, Swensson & Wretman 1992, Model Assisted
 * Survey Sampling, §5.6; Lumley 2010, Complex Surveys, §2.3 and appendix C) uses the estimated
 * influence values z_i = w_i (y_ik − R̂_k a_i) / X̂ of every respondent (z_i = 0 for those outside
 * the domain, who still count as sampled units: domain estimation, Lumley 2010 §2.3.2). Treating
 * respondents as drawn with replacement (the usual approximation for a survey with unequal
 * weights; it ignores the finite-population correction and is conservative when the response rate
 * is high), stratum by stratum h with n_h respondents,
 *   V̂(R̂_k) = Σ_h n_h/(n_h − 1) Σ_{i∈h} (z_i − z̄_h)²,
 * which is what R's survey package computes for `svymean` on `svydesign(ids = ~1, weights = ~w,
 * strata = ~h)` over a subset (estimates.test.ts holds its values). The 95 % interval is
 * R̂ ± 1.96·SE, clipped to [0, 1].
 * The variance does not credit the raking (calibration reduces variance where the answer follows
 * the margins; Deville & Särndal 1992), so the intervals are somewhat conservative.
 *
 * Unweighted: the share k/n among those who answered, with Wilson's score interval (Wilson 1927;
 * Agresti & Coull 1998), which stays inside [0, 1] and behaves at small n.
 */
import { normalQuantile } from '../../registry/stats/distributions.js';

export interface Interval {
  estimate: number;
  lower: number;
  upper: number;
}

export interface ShareEstimate {
  code: string;
  /** Respondents who gave this answer (in the domain). */
  n: number;
  unweighted: Interval;
  weighted: Interval & { se: number };
}

export interface SharesResult {
  /** Respondents in the domain who answered. */
  answered: number;
  /** Their weighted total (Σ w_i a_i). */
  weightedAnswered: number;
  shares: ShareEstimate[];
}

export interface Observation {
  weight: number;
  /** The answer code; null when not answered (or outside the domain). */
  value: string | null;
  stratum?: string;
}

export interface EstimateOptions {
  /** Confidence level (default 0.95). */
  level?: number;
}

/** Wilson score interval for k successes in n trials. */
export function wilsonInterval(k: number, n: number, level = 0.95): Interval {
  if (n === 0) return { estimate: NaN, lower: NaN, upper: NaN };
  const z = normalQuantile(1 - (1 - level) / 2);
  const p = k / n;
  const z2 = z * z;
  const centre = (p + z2 / (2 * n)) / (1 + z2 / n);
  const half = (z / (1 + z2 / n)) * Math.sqrt((p * (1 - p)) / n + z2 / (4 * n * n));
  return { estimate: p, lower: Math.max(0, centre - half), upper: Math.min(1, centre + half) };
}

/**
 * The linearised variance of a ratio from its influence values z_i (every sampled unit, zeros
 * included), with replacement, stratified when units carry a stratum.
 */
export function linearisedVariance(z: readonly number[], strata?: readonly (string | undefined)[]): number {
  const groups = new Map<string, number[]>();
  z.forEach((v, i) => {
    const h = strata?.[i] ?? '';
    let g = groups.get(h);
    if (!g) groups.set(h, (g = []));
    g.push(v);
  });
  let variance = 0;
  for (const g of groups.values()) {
    const n = g.length;
    if (n < 2) continue; // a stratum with one unit contributes nothing it can estimate
    const mean = g.reduce((s, v) => s + v, 0) / n;
    const ss = g.reduce((s, v) => s + (v - mean) ** 2, 0);
    variance += (n / (n - 1)) * ss;
  }
  return variance;
}

/**
 * Weighted and unweighted shares of each category among the observations that have a value.
 * `categories` fixes the order and includes categories nobody chose (share 0); a value not among
 * them is refused.
 */
export function estimateShares(
  observations: readonly Observation[],
  categories: readonly string[],
  options: EstimateOptions = {}
): SharesResult {
  const level = options.level ?? 0.95;
  const z = normalQuantile(1 - (1 - level) / 2);
  const known = new Set(categories);
  let answered = 0;
  let weightedAnswered = 0;
  for (const o of observations) {
    if (!(o.weight >= 0 && Number.isFinite(o.weight)))
      throw new Error(`A weight must be non-negative (got ${o.weight})`);
    if (o.value === null) continue;
    if (!known.has(o.value)) throw new Error(`Answer "${o.value}" is not one of ${categories.join(', ')}`);
    answered++;
    weightedAnswered += o.weight;
  }
  const strata = observations.some((o) => o.stratum !== undefined)
    ? observations.map((o) => o.stratum)
    : undefined;
  const shares = categories.map((code): ShareEstimate => {
    const n = observations.filter((o) => o.value === code).length;
    if (answered === 0 || weightedAnswered === 0)
      return {
        code,
        n,
        unweighted: wilsonInterval(n, answered, level),
        weighted: { estimate: NaN, lower: NaN, upper: NaN, se: NaN },
      };
    const total = observations.reduce((s, o) => (o.value === code ? s + o.weight : s), 0);
    const ratio = total / weightedAnswered;
    const influence = observations.map((o) =>
      o.value === null ? 0 : (o.weight * ((o.value === code ? 1 : 0) - ratio)) / weightedAnswered
    );
    const se = Math.sqrt(linearisedVariance(influence, strata));
    return {
      code,
      n,
      unweighted: wilsonInterval(n, answered, level),
      weighted: {
        estimate: ratio,
        se,
        lower: Math.max(0, ratio - z * se),
        upper: Math.min(1, ratio + z * se),
      },
    };
  });
  return { answered, weightedAnswered, shares };
}

export interface CrossTableCell extends SharesResult {
  /** The level of the column variable (the domain). */
  level: string;
}

/**
 * Shares of the row variable's categories within each level of the column variable (a frame
 * attribute or another answer), each level a domain: every respondent stays in the variance.
 * `byValue` of null puts a respondent in no domain.
 */
export function crossTable(
  observations: readonly (Observation & { byValue: string | null })[],
  categories: readonly string[],
  levels: readonly string[],
  options: EstimateOptions = {}
): CrossTableCell[] {
  return levels.map((level) => ({
    level,
    ...estimateShares(
      observations.map((o) => ({
        weight: o.weight,
        value: o.byValue === level ? o.value : null,
        ...(o.stratum === undefined ? {} : { stratum: o.stratum }),
      })),
      categories,
      options
    ),
  }));
}

/**
 * Slope index of inequality SII = β_ridit of y ~ 1 + ridit (+ need) (linear probability model, HC0
 * robust SE) and relative index of inequality RII = exp(β_ridit) of the log-link Poisson model with
 * robust SE (Mackenbach & Kunst 1997, Soc Sci Med 44:757–771).
 */
import { Z95, fitPoissonRR, type GlmFit } from '../glm.js';
import { fitGroupedOls, type OlsFit } from '../ols.js';
import {
  checkCells,
  estimate,
  type CheckedCell,
  type EquityCell,
  type Estimate,
  type RatioEstimate,
} from './common.js';

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
 * SII and RII (Mackenbach & Kunst 1997). The ridits are treated as fixed
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

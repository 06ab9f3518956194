/**
 * Need-standardised horizontal inequity index HI = C(y^S) = C(y) − C(ŷ^N), by indirect
 * standardisation with a linear probability model on need and non-need covariates
 * (O'Donnell, van Doorslaer, Wagstaff & Lindelow 2008, "Analyzing health equity using household
 * survey data", ch. 13 and 15). Formula and standard error in the comment on horizontalInequity.
 */
import { fitGroupedOls, type OlsFit } from '../ols.js';
import {
  checkCells,
  estimate,
  ifVariance,
  type Bounds,
  type CheckedCell,
  type EquityCell,
  type Estimate,
  type IfCell,
} from './common.js';
import { concentrationFrom, core, wagstaffDerivs, type ConcentrationResult } from './concentration-index.js';

export interface HorizontalInequityOptions {
  /** Outcome bounds for the corrected HI indices (default [0, 1]); null: no corrected indices. */
  bounds?: Bounds | null;
  /**
   * Add dummies for the SES groups (reference: the first group with persons) to the non-need part of
   * the standardisation model (default true). O'Donnell et al. (2008, ch. 13) include the ranking
   * variable among the non-need controls so that need coefficients do not absorb SES effects. Set to
   * false if nonNeed already contains SES dummies (otherwise the design is singular).
   */
  sesDummies?: boolean;
}

export interface HorizontalInequityGroup {
  n: number;
  /** Observed mean outcome; null for an empty group. */
  observed: number | null;
  /** Mean need-expected outcome ŷ^N. */
  needExpected: number | null;
  /** Mean need-standardised outcome y^S = y − ŷ^N + ȳ. */
  standardised: number | null;
}

export interface HorizontalInequityResult {
  /**
   * HI = C(y^S) = C(y) − C(ŷ^N). Its SE includes the sampling error of the need model (β̂) and of
   * the ranks; see fixedModel for the SE that treats y^S as data.
   */
  hi: Estimate;
  /** Wagstaff-normalised HI, HI·(b−a)ȳ/((b−ȳ)(ȳ−a)) (= HI/(1−ȳ) for binary y); null without bounds. */
  hiWagstaff: Estimate | null;
  /** Erreygers-corrected HI, 4ȳ·HI/(b−a); null without bounds. */
  hiErreygers: Estimate | null;
  /** C(y), the unstandardised concentration index (with W and E). */
  cOutcome: ConcentrationResult;
  /** C(ŷ^N), the inequality explained by need; SE includes the need model's sampling error. */
  cNeed: Estimate;
  /** C(y^S), W and E with y^S treated as fixed data (need model fixed); same point estimates. */
  fixedModel: ConcentrationResult;
  /** ȳ (= mean of ŷ^N = mean of y^S). */
  mean: number;
  groups: HorizontalInequityGroup[];
  /** The linear probability model; coefficient names in columns. */
  model: OlsFit;
  columns: string[];
}

/**
 * Need-standardised horizontal inequity index by indirect standardisation (O'Donnell, van Doorslaer,
 * Wagstaff & Lindelow 2008, "Analyzing health equity using household survey data", ch. 13 and 15):
 * linear probability model y = α + Σ β_j x_j (need) + Σ γ_p z_p (non-need) by OLS over persons
 * (computed from the cells), ŷ^N = α̂ + Σ β̂_j x_j + Σ γ̂_p z̄_p, y^S = y − ŷ^N + ȳ, HI = C(y^S).
 *
 * Standard error. With u_i = Σ β_j x_ij, 2cov(ŷ^N, R) = Σ_j β_j G_j with G_j = 2cov(x_j, R), so
 *   HI = C(y) − Σ_j β_j G_j / ȳ
 * (non-need means and the intercept drop out of the covariance). Its influence function is that of
 * C(y), minus that of Σ_j β_j G_j/ȳ, in which β̂ contributes through IF_β = (XᵀX/N)⁻¹ x_i (y_i − x_iᵀβ̂)
 * (M-estimation / stacked delta method). Every term is linear in y_i within a cell, so the variance is
 * exact from (n, Σy, Σy²) per cell. The often-quoted shortcut that treats the fitted need model as
 * fixed (returned as fixedModel) is NOT negligible just because N is large: both the model's and the
 * index's sampling errors shrink as 1/√N, and the model term matters when need is SES-graded (age vs
 * education). The test suite's simulation shows the difference.
 */
export function horizontalInequity(
  cells: readonly EquityCell[],
  options: HorizontalInequityOptions = {}
): HorizontalInequityResult {
  const what = 'Horizontal inequity';
  const bounds = options.bounds === undefined ? ([0, 1] as const) : options.bounds;
  const data = checkCells(cells, bounds, what);
  const { total, groupN, ridits: r, pNeed, pNonNeed } = data;
  const K = groupN.length;

  // Design: [1, need…, nonNeed…, SES dummies…].
  const sesLevels = options.sesDummies === false ? [] : groupN.flatMap((n, g) => (n > 0 ? [g] : [])).slice(1);
  const columns = [
    'intercept',
    ...Array.from({ length: pNeed }, (_, j) => `need[${j}]`),
    ...Array.from({ length: pNonNeed }, (_, j) => `nonNeed[${j}]`),
    ...sesLevels.map((g) => `ses[${g}]`),
  ];
  const p = columns.length;
  const design = (c: CheckedCell) => [
    1,
    ...c.need,
    ...c.nonNeed,
    ...sesLevels.map((g) => (c.group === g ? 1 : 0)),
  ];
  const xs = data.cells.map(design);
  let model: OlsFit;
  try {
    model = fitGroupedOls(data.cells.map((c, i) => ({ x: xs[i]!, n: c.n, sum: c.s, sumSq: c.q })));
  } catch (e) {
    const hint = sesLevels.length ? ' (if nonNeed already holds SES dummies, pass sesDummies: false)' : '';
    throw new Error(`${what}: need-standardisation model failed: ${(e as Error).message}${hint}`, {
      cause: e,
    });
  }
  const beta = model.beta;
  const yBar = data.cells.reduce((s, c) => s + c.s, 0) / total;

  // Non-need columns (incl. SES dummies) are held at their sample means in ŷ^N.
  const xBar = new Array<number>(p).fill(0);
  data.cells.forEach((c, i) => xs[i]!.forEach((v, j) => (xBar[j]! += (c.n * v) / total)));
  let nonNeedPart = 0;
  for (let j = 1 + pNeed; j < p; j++) nonNeedPart += beta[j]! * xBar[j]!;
  const u = data.cells.map((c) => c.need.reduce((s, v, j) => s + beta[1 + j]! * v, 0));
  const yHatN = u.map((ui) => beta[0]! + ui + nonNeedPart);

  // Group statistics of y, ŷ^N and y^S. Within a cell ŷ^N is a constant h, so with d = ȳ − h:
  // Σ y^S = Σy + n d and Σ (y^S)² = Σy² + 2dΣy + n d².
  const gY = { n: [...groupN], s: new Array<number>(K).fill(0), q: new Array<number>(K).fill(0), total };
  const gN = { n: [...groupN], s: new Array<number>(K).fill(0), q: new Array<number>(K).fill(0), total };
  const gS = { n: [...groupN], s: new Array<number>(K).fill(0), q: new Array<number>(K).fill(0), total };
  data.cells.forEach((c, i) => {
    const h = yHatN[i]!;
    const d = yBar - h;
    gY.s[c.group]! += c.s;
    gY.q[c.group]! += c.q;
    gN.s[c.group]! += c.n * h;
    gN.q[c.group]! += c.n * h * h;
    gS.s[c.group]! += c.s + c.n * d;
    gS.q[c.group]! += c.q + 2 * d * c.s + c.n * d * d;
  });
  const cOutcome = concentrationFrom(gY, bounds, `${what}: C(y)`);
  const fixedModel = concentrationFrom(gS, bounds, `${what}: C(y^S)`);

  // Full influence function of HI = C(y) − H/ȳ, H = Σ_j β_j G_j = Σ_g U_g (2r_g − 1).
  const U = new Array<number>(K).fill(0);
  const M = Array.from({ length: pNeed }, () => new Array<number>(K).fill(0));
  data.cells.forEach((c, i) => {
    U[c.group]! += (c.n * u[i]!) / total;
    c.need.forEach((v, j) => (M[j]![c.group]! += (c.n * v) / total));
  });
  const H = U.reduce((s, x, g) => s + x * (2 * r[g]! - 1), 0);
  const G = M.map((row) => row.reduce((s, x, g) => s + x * (2 * r[g]! - 1), 0));
  // w = (XᵀX/N)⁻¹ g with g = G in the need positions; h_c = wᵀx_c.
  const gVec = new Array<number>(p).fill(0);
  G.forEach((v, j) => (gVec[1 + j] = v));
  const w = model.xtxInv.map((row) => total * row.reduce((s, v, j) => s + v * gVec[j]!, 0));
  const tailU = new Array<number>(K).fill(0);
  let above = 0;
  for (let g = K - 1; g >= 0; g--) {
    tailU[g] = above + U[g]! / 2;
    above += U[g]!;
  }
  const cY = core(gY, `${what}: C(y)`);
  const cNeedValue = H / yBar;
  const hiValue = cY.c - cNeedValue;
  const ifN: { alpha: number; beta: number }[] = data.cells.map((c, i) => {
    const x = xs[i]!;
    const f = x.reduce((s, v, j) => s + v * beta[j]!, 0);
    const h = x.reduce((s, v, j) => s + v * w[j]!, 0);
    const rg = r[c.group]!;
    const alphaH = (2 * rg - 1) * u[i]! + 2 * tailU[c.group]! - h * f;
    return { alpha: alphaH / yBar, beta: h / yBar - H / (yBar * yBar) };
  });
  const ifCells = (fn: (c: CheckedCell, i: number) => { alpha: number; beta: number }): IfCell[] =>
    data.cells.map((c, i) => ({ n: c.n, s: c.s, q: c.q, ...fn(c, i) }));
  const ifHi = (c: CheckedCell, i: number) => ({
    alpha: (2 * cY.tail[c.group]!) / yBar - ifN[i]!.alpha,
    beta: (2 * r[c.group]! - 1 - cY.c) / yBar - ifN[i]!.beta,
  });
  const hi = estimate(hiValue, ifVariance(ifCells(ifHi), total), `${what}: HI`);
  const cNeed = estimate(
    cNeedValue,
    ifVariance(
      ifCells((_, i) => ifN[i]!),
      total
    ),
    `${what}: C(ŷ^N)`
  );
  let hiWagstaff: Estimate | null = null;
  let hiErreygers: Estimate | null = null;
  if (bounds) {
    // Both corrections are functions of (HI, ȳ); IF_ȳ = y_i.
    const kappa = 4 / (bounds[1] - bounds[0]);
    hiErreygers = estimate(
      kappa * yBar * hiValue,
      ifVariance(
        ifCells((c, i) => {
          const f = ifHi(c, i);
          return { alpha: kappa * yBar * f.alpha, beta: kappa * (yBar * f.beta + hiValue) };
        }),
        total
      ),
      `${what}: Erreygers HI`
    );
    const wd = wagstaffDerivs(hiValue, yBar, bounds);
    if (wd)
      hiWagstaff = estimate(
        wd.w,
        ifVariance(
          ifCells((c, i) => {
            const f = ifHi(c, i);
            return { alpha: wd.dC * f.alpha, beta: wd.dC * f.beta + wd.dMu };
          }),
          total
        ),
        `${what}: Wagstaff HI`
      );
  }
  const groups: HorizontalInequityGroup[] = groupN.map((n, g) =>
    n > 0
      ? { n, observed: gY.s[g]! / n, needExpected: gN.s[g]! / n, standardised: gS.s[g]! / n }
      : { n, observed: null, needExpected: null, standardised: null }
  );
  return { hi, hiWagstaff, hiErreygers, cOutcome, cNeed, fixedModel, mean: yBar, groups, model, columns };
}

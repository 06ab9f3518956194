/**
 * Socio-economic equity measures on GROUPED data (O'Donnell et al. 2008, Analyzing Health Equity Using Household Survey Data, ch. 8), one measure per file: the
 * concentration index with its Wagstaff and Erreygers corrections (concentration-index.ts), the
 * need-standardised horizontal inequity index HI (horizontal-inequity.ts), and the slope and relative
 * indices of inequality SII, RII (slope-index.ts). Everything works on per-group / per-cell
 * sufficient statistics (n, Σy, Σy²) as they come out of DuckDB aggregates; no person rows.
 *
 * SES groups are indexed 0..K−1 from WORST-OFF to BEST-OFF, so positive C, SII > 0 and RII > 1 all
 * mean "more among the better-off" (pro-rich), negative the opposite.
 */
export {
  ridits,
  type Bounds,
  type EquityCell,
  type Estimate,
  type RatioEstimate,
  type SesGroup,
} from './common.js';
export {
  concentrationCurve,
  concentrationIndex,
  type ConcentrationOptions,
  type ConcentrationResult,
} from './concentration-index.js';
export {
  horizontalInequity,
  type HorizontalInequityGroup,
  type HorizontalInequityOptions,
  type HorizontalInequityResult,
} from './horizontal-inequity.js';
export { slopeIndexOfInequality, type SlopeIndexOptions, type SlopeIndexResult } from './slope-index.js';

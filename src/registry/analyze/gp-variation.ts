/**
 * Table 6: between-GP variation of each indicator, as summary numbers only (no GP-level points,
 * which would publish small counts). One method with the funnel plots (issue 13, item 3): the
 * numbers are the summary of the same `analyseFunnel` result the funnel plot of the indicator is
 * drawn from (stats/funnel.ts; Spiegelhalter 2005, Stat Med 24:1185-1202): each GP's share
 * indirectly standardised for patient sex, age group and education (p0·O/E), Spiegelhalter's φ on
 * the arcsine-square-root scale with z winsorised at 10 % in each tail, the DerSimonian-Laird τ,
 * and the GPs outside the exact binomial 99.8 % limits. The between-GP SD in percentage points at
 * p0 is ≈ sin(2θ0)·τ·100, θ0 = asin(√p0).
 */
import type { FunnelAnalysis } from '../stats/funnel.js';
import type { CellValue, PublishedTable } from './model.js';

export interface GpVariation {
  indicator: string;
  gps: number;
  medianPatients: number;
  p0: number;
  phi: number;
  tau: number;
  sdPercentPoints: number;
  /** GPs outside the exact 99.8 % limits (no overdispersion), above plus below: the funnel plot's count. */
  outside998: number;
}

/** The Table 6 numbers of one indicator, from its funnel analysis. */
export function gpVariation(key: string, analysis: FunnelAnalysis): GpVariation {
  const s = analysis.summary;
  const ns = analysis.units.map((u) => u.n).sort((a, b) => a - b);
  const theta0 = Math.asin(Math.sqrt(s.p0));
  return {
    indicator: key,
    gps: s.gps,
    medianPatients: ns[Math.floor(ns.length / 2)]!,
    p0: s.p0,
    phi: s.phi,
    tau: s.tau,
    sdPercentPoints: Math.sin(2 * theta0) * s.tau * 100,
    outside998: s.outside.exact998.above + s.outside.exact998.below,
  };
}

export function gpVariationTable(
  indicators: readonly { key: string; label: string; analysis: FunnelAnalysis | null }[]
): PublishedTable {
  const out: CellValue[][] = indicators.map(({ key, label, analysis }) => {
    const v = analysis ? gpVariation(key, analysis) : null;
    return [
      label,
      v?.gps ?? null,
      v?.medianPatients ?? null,
      v ? 100 * v.p0 : null,
      v?.phi ?? null,
      v?.tau ?? null,
      v?.sdPercentPoints ?? null,
      v?.outside998 ?? null,
      v ? (100 * v.outside998) / v.gps : null,
    ];
  });
  return {
    id: 'table6_gp_variation',
    title: 'Table 6. Variation between GPs',
    caption:
      'Regular GPs with at least one episode of a listed patient (all years pooled), as in the funnel plots (Figures 4.x): ' +
      "each GP's share indirectly standardised for patient sex, age group and education (p0·O/E). " +
      'Overdispersion φ (1 = no more variation than chance; z on the arcsine-square-root scale winsorised at 10 % in each tail) ' +
      'and the between-GP standard deviation τ on that scale (DerSimonian-Laird, Spiegelhalter 2005), ' +
      'converted to percentage points at the overall share; and the GPs outside the exact binomial 99.8 % limits, which ignore overdispersion.',
    columns: [
      { key: 'indicator', label: 'Indicator', kind: 'label' },
      { key: 'gps', label: 'GPs', kind: 'mean' },
      { key: 'median_patients', label: 'Median episodes per GP', kind: 'mean' },
      { key: 'percent', label: 'Overall %', kind: 'percent' },
      { key: 'phi', label: 'Overdispersion φ', kind: 'ratio' },
      { key: 'tau', label: 'τ (arcsine scale)', kind: 'ratio' },
      { key: 'sd_pp', label: 'Between-GP SD (percentage points)', kind: 'mean' },
      { key: 'outside_n', label: 'GPs outside 99.8 % limits', kind: 'mean' },
      { key: 'outside_pct', label: '% of GPs outside 99.8 % limits', kind: 'percent' },
    ],
    rows: out,
    notes: [
      'Summaries of GPs, not of patients: no GP-level counts are published.',
      ...indicators
        .filter((i) => i.analysis === null)
        .map((i) => `${i.label}: not estimated (too few GPs, or a risk model that could not be fitted).`),
    ],
  };
}

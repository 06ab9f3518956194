/**
 * Between-GP variation of each indicator, as summary numbers only (no GP-level points, which would
 * publish small counts): Spiegelhalter's overdispersion on the variance-stabilised scale
 * (Spiegelhalter 2005, Stat Med 24:1185-1202): y_i = asin(√p_i), s_i = 1/(2√n_i), θ0 = asin(√p0); z_i = (y_i - θ0)/s_i
 * winsorised at 10 % each tail; φ = mean z²; DerSimonian-Laird τ² = max(0, (Iφ - (I-1)) /
 * (Σw - Σw²/Σw)), w = 1/s². The between-GP SD in percentage points at p0 is ≈ sin(2θ0)·τ·100.
 */
import type { Row } from '../engine/protocol.js';
import { Z998 } from '../stats/funnel.js';
import type { CellValue, PublishedTable } from './model.js';
import type { IndicatorDef } from './tables.js';

export interface GpVariation {
  indicator: string;
  gps: number;
  medianEpisodes: number;
  p0: number;
  phi: number;
  tau: number;
  sdPercentPoints: number;
  /** Share of GPs (with ≥ minEpisodes) outside the 99.8 % limits without overdispersion. */
  outside998: number;
}

export function gpVariation(
  rows: readonly Row[],
  ind: { key: string; denom: string; events: string },
  minEpisodes = 5
): GpVariation | null {
  const denomCol = ind.denom === 'n' ? 'n' : ind.denom;
  const gps = rows
    .map((r) => ({ n: Number(r[denomCol] ?? 0), y: Number(r[ind.events] ?? 0) }))
    .filter((g) => g.n >= minEpisodes);
  if (gps.length < 5) return null;
  const N = gps.reduce((s, g) => s + g.n, 0);
  const Y = gps.reduce((s, g) => s + g.y, 0);
  const p0 = Y / N;
  const theta0 = Math.asin(Math.sqrt(p0));
  const z = gps.map((g) => (Math.asin(Math.sqrt(g.y / g.n)) - theta0) * 2 * Math.sqrt(g.n));
  const sorted = [...z].sort((a, b) => a - b);
  const lo = sorted[Math.floor(0.1 * (sorted.length - 1))]!;
  const hi = sorted[Math.ceil(0.9 * (sorted.length - 1))]!;
  const phi = z.reduce((s, v) => s + Math.min(hi, Math.max(lo, v)) ** 2, 0) / z.length;
  const w = gps.map((g) => 4 * g.n);
  const sw = w.reduce((s, v) => s + v, 0);
  const sw2 = w.reduce((s, v) => s + v * v, 0);
  const I = gps.length;
  const tau2 = Math.max(0, (I * phi - (I - 1)) / (sw - sw2 / sw));
  const outside = gps.filter(
    (g) => Math.abs(g.y / g.n - p0) > Z998 * Math.sqrt((p0 * (1 - p0)) / g.n)
  ).length;
  const ns = gps.map((g) => g.n).sort((a, b) => a - b);
  return {
    indicator: ind.key,
    gps: I,
    medianEpisodes: ns[Math.floor(ns.length / 2)]!,
    p0,
    phi,
    tau: Math.sqrt(tau2),
    sdPercentPoints: Math.sin(2 * theta0) * Math.sqrt(tau2) * 100,
    outside998: outside / I,
  };
}

export function gpVariationTable(
  rows: readonly Row[],
  inds: readonly IndicatorDef[],
  minEpisodes = 5
): PublishedTable {
  const out: CellValue[][] = [];
  for (const ind of inds) {
    if (ind.key.startsWith('none')) continue;
    const v = gpVariation(rows, ind, minEpisodes);
    out.push([
      ind.label,
      v?.gps ?? null,
      v?.medianEpisodes ?? null,
      v ? 100 * v.p0 : null,
      v?.phi ?? null,
      v?.tau ?? null,
      v?.sdPercentPoints ?? null,
      v ? 100 * v.outside998 : null,
    ]);
  }
  return {
    id: 'table6_gp_variation',
    title: 'Table 6. Variation between GPs',
    caption:
      `Regular GPs with at least ${minEpisodes} episodes of listed patients (all years pooled). Overdispersion φ (1 = no more variation than chance) ` +
      'and the between-GP standard deviation τ on the arcsine-square-root scale (DerSimonian-Laird, Spiegelhalter 2005), ' +
      'converted to percentage points at the overall share; and the share of GPs outside 99.8 % funnel limits that ignore overdispersion.',
    columns: [
      { key: 'indicator', label: 'Indicator', kind: 'label' },
      { key: 'gps', label: 'GPs', kind: 'mean' },
      { key: 'median_episodes', label: 'Median episodes per GP', kind: 'mean' },
      { key: 'percent', label: 'Overall %', kind: 'percent' },
      { key: 'phi', label: 'Overdispersion φ', kind: 'ratio' },
      { key: 'tau', label: 'τ (arcsine scale)', kind: 'ratio' },
      { key: 'sd_pp', label: 'Between-GP SD (percentage points)', kind: 'mean' },
      { key: 'outside_pct', label: '% of GPs outside 99.8 % limits', kind: 'percent' },
    ],
    rows: out,
    notes: ['Summaries of GPs, not of patients: no GP-level counts are published.'],
  };
}

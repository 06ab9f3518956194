/**
 * Table 7: how much care depends on the GP, from the mixed models (gp-models.ts). Per indicator:
 * the GP variance, ICC and median odds ratio without and with adjustment for patient case-mix and
 * GP-level covariates, the proportional change in variance, the GP covariate's odds ratio with its
 * 80 % interval odds ratio, and how many GPs' shrunken effects lie clearly above or below the
 * average. No GP is listed.
 */
import type { GpModelResult } from './gp-models.js';
import { formatNumber as num, type CellValue, type PublishedTable } from './model.js';

const interval = (e: { estimate: number; lower: number; upper: number } | undefined, digits = 3) =>
  e === undefined || !Number.isFinite(e.estimate)
    ? null
    : `${num(e.estimate, digits)} (${num(e.lower, digits)} to ${Number.isFinite(e.upper) ? num(e.upper, digits) : '?'})`;

export function gpModelsTable(
  results: readonly GpModelResult[],
  labels: Record<string, string>,
  gpCovariate: { term: string; label: string }
): PublishedTable {
  const notes: string[] = [];
  const rows: CellValue[][] = results.map((r) => {
    const label = labels[r.key] ?? r.key;
    if (r.error || !r.nullModel || !r.adjusted) {
      notes.push(`${label}: not fitted (${r.error ?? 'no model'}).`);
      return [label, r.gps || null, null, null, null, null, null, null, null, null, null];
    }
    const gp = r.adjusted.fixedEffects.find((f) => f.name === gpCovariate.term);
    const ior = r.adjusted.ior80.find((i) => i.name === gpCovariate.term);
    return [
      label,
      r.gps,
      interval(r.nullModel.variance),
      interval(r.nullModel.icc),
      interval(r.nullModel.mor, 2),
      interval(r.adjusted.variance),
      interval(r.adjusted.mor, 2),
      r.pcv === null ? null : 100 * r.pcv,
      gp ? `${num(gp.oddsRatio, 2)} (${num(gp.oddsRatioLower, 2)} to ${num(gp.oddsRatioUpper, 2)})` : null,
      ior ? `${num(ior.lower, 2)} to ${num(ior.upper, 2)}` : null,
      `${r.adjusted.gpsAbove} / ${r.adjusted.gpsBelow}`,
    ];
  });
  return {
    id: 'table7_gp_mixed_models',
    title: 'Table 7. How much care depends on the GP: mixed models',
    caption:
      'Random-intercept logistic models with the listed GP as grouping factor, fitted by maximum likelihood (Laplace approximation). ' +
      'Null model: GP only. Adjusted: patient sex, age group and education, and the GP-level covariate. σ² is the GP variance on the log-odds scale ' +
      '(95 % profile-likelihood interval); ICC on the latent scale σ²/(σ² + π²/3); MOR, the median odds ratio between two GPs for the same patient; ' +
      `PCV, the share of the GP variance explained by the covariates; ${gpCovariate.label}: odds ratio (95 % CI) and 80 % interval odds ratio (IOR-80), ` +
      'which holds the odds ratios between a GP with and one without the characteristic once the GP variance is counted. ' +
      'Last column: GPs whose 95 % interval of the shrunken GP effect lies wholly above / below the average GP (no ranking).',
    columns: [
      { key: 'care', label: 'Care', kind: 'label' },
      { key: 'gps', label: 'GPs', kind: 'mean' },
      { key: 'var_null', label: 'σ² null', kind: 'text' },
      { key: 'icc_null', label: 'ICC null', kind: 'text' },
      { key: 'mor_null', label: 'MOR null', kind: 'text' },
      { key: 'var_adj', label: 'σ² adjusted', kind: 'text' },
      { key: 'mor_adj', label: 'MOR adjusted', kind: 'text' },
      { key: 'pcv', label: 'PCV %', kind: 'percent' },
      { key: 'gp_or', label: `${gpCovariate.label}: OR`, kind: 'text' },
      { key: 'gp_ior80', label: `${gpCovariate.label}: IOR-80`, kind: 'text' },
      { key: 'gps_above_below', label: 'GPs above / below average', kind: 'text' },
    ],
    rows,
    notes: ['Summaries of GPs: no GP is listed or ranked.', ...notes],
  };
}

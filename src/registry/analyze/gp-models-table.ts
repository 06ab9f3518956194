/**
 * Table 7: variation in care between GPs, from the mixed models (gp-models.ts). Per indicator:
 * the GP variance, ICC and median odds ratio without and with adjustment for patient case-mix and
 * GP-level covariates, the proportional change in variance, the GP covariate's odds ratio with its
 * 80 % interval odds ratio, and how many GPs' shrunken random effects lie clearly above or below
 * the average. No GP is listed. A negative PCV gets a note saying why it is not a sign that case-mix
 * creates variation (issue 13, item 7), and both tables a note on multiple comparisons. Table 7c:
 * the three-level models (GPs in municipalities) where they were fitted.
 */
import type { GpModelResult } from '../engine/gp-model-types.js';
import { formatNumber as num, type CellValue, type PublishedTable } from './model.js';
import { countIntervalEstimates, multiplicityNote } from './multiplicity.js';

const interval = (e: { estimate: number; lower: number; upper: number } | undefined, digits = 3) =>
  e === undefined || !Number.isFinite(e.estimate)
    ? null
    : `${num(e.estimate, digits)} (${num(e.lower, digits)} to ${Number.isFinite(e.upper) ? num(e.upper, digits) : '?'})`;

/**
 * The note for an indicator whose PCV is negative: the GP variance grew when patient covariates
 * were added. In a logistic multilevel model the level-1 variance is fixed at π²/3, so covariates
 * that explain variation between patients rescale the latent scale and can raise the GP variance
 * (Merlo et al. 2006; Hox, Multilevel Analysis). Null for a PCV that is not negative.
 */
export function negativePcvNote(label: string, pcv: number | null): string | null {
  if (pcv === null || !(pcv < 0)) return null;
  return (
    `${label}: the PCV is negative (${num(100 * pcv, 1)} %), so the GP variance is larger in the adjusted model than in the null model. ` +
    'In a logistic (binomial) multilevel model the patient-level variance is fixed at π²/3, so patient covariates that explain variation ' +
    'between patients rescale the model, and the GP variance on the new scale can rise. A negative PCV is therefore not evidence that ' +
    'case-mix creates variation between GPs (Merlo et al. 2006, J Epidemiol Community Health 60:290-297; Hox, Multilevel Analysis).'
  );
}

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
    const pcvNote = negativePcvNote(label, r.pcv);
    if (pcvNote) notes.push(pcvNote);
    if (r.pooledLevels?.length)
      notes.push(
        `${label}: pooled because every person in the level had the outcome, or none did, which leaves no finite estimate: ${r.pooledLevels.join('; ')}.`
      );
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
  const table: PublishedTable = {
    id: 'table7_gp_mixed_models',
    title: 'Table 7. Variation in care between GPs: mixed models',
    caption:
      'Random-intercept logistic models with the listed GP as grouping factor, fitted by maximum likelihood (Laplace approximation). ' +
      'Null model: GP only. Adjusted: patient sex, age group and education, and the GP characteristics of Table 7b. σ² is the GP variance on the log-odds scale ' +
      '(95 % profile-likelihood interval; from 1,000 GPs Wald on log σ, which then agrees with it); ICC on the latent scale σ²/(σ² + π²/3); MOR, the median odds ratio between two GPs for the same patient; ' +
      `PCV, the proportional change in the GP variance from the null to the adjusted model; ${gpCovariate.label}: odds ratio (95 % CI) and 80 % interval odds ratio (IOR-80), ` +
      'which holds the odds ratios between a GP with and one without the characteristic once the GP variance is counted. ' +
      'Last column: GPs whose 95 % interval of the shrunken GP random effect lies wholly above / below the average GP (no ranking).',
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
  const ors = countIntervalEstimates(table, ['gp_or']);
  if (ors > 0) table.notes.push(multiplicityNote(ors, 'odds ratios', 'an odds ratio of 1'));
  return table;
}

/**
 * Table 7b: the GP characteristics in the adjusted models, as odds ratios (95 % CI) with their 80 %
 * interval odds ratio: an IOR-80 that holds 1 says the difference associated with the
 * characteristic is smaller than the variation between GPs of the same kind.
 */
export function gpCharacteristicsTable(
  results: readonly GpModelResult[],
  labels: Record<string, string>,
  /** `note`: how a numeric characteristic is measured and scaled (its odds ratio is per unit). */
  characteristics: readonly { term: string; label: string; note?: string }[]
): PublishedTable {
  const rows: CellValue[][] = [];
  for (const r of results)
    for (const c of characteristics) {
      const gp = r.adjusted?.fixedEffects.find((f) => f.name === c.term);
      const ior = r.adjusted?.ior80.find((i) => i.name === c.term);
      rows.push([
        labels[r.key] ?? r.key,
        c.label,
        gp ? `${num(gp.oddsRatio, 2)} (${num(gp.oddsRatioLower, 2)} to ${num(gp.oddsRatioUpper, 2)})` : null,
        ior ? `${num(ior.lower, 2)} to ${num(ior.upper, 2)}` : null,
      ]);
    }
  const table: PublishedTable = {
    id: 'table7b_gp_characteristics',
    title: 'Table 7b. GP characteristics in the mixed models',
    caption:
      'Odds ratios (95 % CI) for GP characteristics in the adjusted models of Table 7 (patient sex, age group and education, and all the characteristics below, each as on the index date), ' +
      'with the 80 % interval odds ratio (IOR-80): the middle 80 % of odds ratios between a GP with and a GP without the characteristic (for list size: a GP with 500 more patients), once the variation between GPs is counted. ' +
      'An IOR-80 that spans 1 means the difference associated with the characteristic is smaller than the variation between GPs who share it. Odds ratios describe associations, not effects of the characteristic. Empty: the characteristic does not vary in the data or the model was not fitted.',
    columns: [
      { key: 'care', label: 'Care', kind: 'label' },
      { key: 'characteristic', label: 'GP characteristic', kind: 'label' },
      { key: 'or', label: 'OR (95 % CI)', kind: 'text' },
      { key: 'ior80', label: 'IOR-80', kind: 'text' },
    ],
    rows,
    notes: [
      characteristics.some((c) => c.note)
        ? 'Reference: GPs without the characteristic (yes/no characteristics).'
        : 'Reference: GPs without the characteristic.',
      ...characteristics.flatMap((c) => (c.note ? [c.note] : [])),
    ],
  };
  const ors = countIntervalEstimates(table, ['or']);
  if (ors > 0) table.notes.push(multiplicityNote(ors, 'odds ratios', 'an odds ratio of 1'));
  return table;
}

const pValue = (p: number) => (p < 0.001 ? '< 0.001' : num(p, 3));

/**
 * Table 7c: the adjusted models with random intercepts for the GP's practice municipality and for
 * GPs within it, for the indicators that asked for them (requests with an upper level). Per
 * indicator: both variances, the share of the between-GP variance that lies between
 * municipalities, a median odds ratio per level, and the test of no municipality variance.
 */
export function threeLevelTable(
  results: readonly GpModelResult[],
  labels: Record<string, string>,
  why: string
): PublishedTable {
  const notes: string[] = [];
  const rows: CellValue[][] = [];
  for (const r of results) {
    if (!r.threeLevel) continue;
    const label = labels[r.key] ?? r.key;
    const t = r.threeLevel;
    if ('error' in t || !r.adjusted) {
      notes.push(`${label}: not fitted (${'error' in t ? t.error : (r.error ?? 'no two-level model')}).`);
      rows.push([
        label,
        r.gps || null,
        null,
        interval(r.adjusted?.variance),
        null,
        null,
        null,
        null,
        null,
        null,
        null,
      ]);
      continue;
    }
    const share = Number.isFinite(t.share.lower)
      ? `${num(100 * t.share.estimate, 1)} (${num(100 * t.share.lower, 1)} to ${num(100 * t.share.upper, 1)})`
      : num(100 * t.share.estimate, 1);
    rows.push([
      label,
      r.gps,
      t.municipalities,
      interval(r.adjusted.variance),
      interval(t.municipalityVariance),
      interval(t.gpVariance),
      share,
      interval(t.mor.municipality, 2),
      interval(t.mor.gp, 2),
      interval(t.mor.total, 2),
      pValue(t.lrt.pValue),
    ]);
  }
  return {
    id: 'table7c_three_level',
    title: 'Table 7c. Variation between GPs and between their municipalities: three-level models',
    caption:
      "The adjusted models of Table 7 (same patient and GP covariates) with random intercepts for the GP's practice municipality and for GPs within it " +
      '(patients in GPs in municipalities; maximum likelihood, Laplace approximation). ' +
      `${why} ` +
      'σ² two-level: the GP variance of Table 7. σ² municipality: between municipalities (95 % profile-likelihood interval); σ² GP: between GPs of the same municipality ' +
      '(profile likelihood; from 1,000 GPs Wald on log σ). Share: σ² municipality / (σ² municipality + σ² GP), the part of the variation between GPs that lies between their municipalities ' +
      '(Wald on the logit scale; no interval when σ² municipality is at zero). MOR: median odds ratio between two municipalities, between two GPs of one municipality, and between any two GPs ' +
      '(Larsen & Merlo 2005; for three levels Austin & Leckie 2026). Test: likelihood ratio against the two-level model, p from the 50:50 mixture of χ²₀ and χ²₁ (the null lies on the boundary).',
    columns: [
      { key: 'care', label: 'Care', kind: 'label' },
      { key: 'gps', label: 'GPs', kind: 'mean' },
      { key: 'municipalities', label: 'Municipalities', kind: 'mean' },
      { key: 'var_two_level', label: 'σ² two-level', kind: 'text' },
      { key: 'var_municipality', label: 'σ² municipality', kind: 'text' },
      { key: 'var_gp', label: 'σ² GP within municipality', kind: 'text' },
      { key: 'share', label: 'Share between municipalities %', kind: 'text' },
      { key: 'mor_municipality', label: 'MOR municipality', kind: 'text' },
      { key: 'mor_gp', label: 'MOR GP within municipality', kind: 'text' },
      { key: 'mor_total', label: 'MOR any two GPs', kind: 'text' },
      { key: 'lrt_p', label: 'Test σ² municipality = 0: p', kind: 'text' },
    ],
    rows,
    notes: ['Summaries of GPs and municipalities: none is listed or ranked.', ...notes],
  };
}

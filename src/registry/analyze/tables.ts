// Long (over 400 lines) because all published tables are built from the same rows and disclosure control must see them all at once (linked cells).
/**
 * From the engine's aggregated rows to published tables: sums by covariate level, crude and
 * adjusted relative risks (Poisson GLM with robust errors), and disclosure control over all tables
 * at once (linked cells: the same denominators and totals appear in many tables).
 */
import type { Row } from '../engine/protocol.js';
import type { ResolvedParams } from '../engine/params.js';
import { COVARIATES, type Covariate } from '../engine/analyses.js';
import {
  codeColumns,
  fitCoded,
  poolCoded,
  sumCells,
  type CodedRows,
  type LevelEstimate,
} from '../stats/glm.js';
import { rowsToColumns, type Cell, type Columns } from '../engine/wire.js';
import {
  ZERO_GROUP_BELOW,
  suppressMany,
  withMargins,
  type LinkedTable,
  type SuppressedTable,
} from '../stats/suppress.js';
import { RIISER_2022 } from '../report/published.js';
import type { CellValue, Column, PublishedTable } from './model.js';
import { countIntervalEstimates, multiplicityNote } from './multiplicity.js';

export const COVARIATE_LABELS: Record<Covariate, string> = {
  sex: 'Sex',
  age_group: 'Age group',
  edu_group: 'Education',
  immigrant: 'Immigrant background',
  centrality_group: 'Centrality (residence)',
  index_year: 'Year of index',
};

const LEVEL_LABELS: Record<string, Record<string, string>> = {
  sex: { F: 'Women', M: 'Men' },
  edu_group: { low: 'Low (NUS 0-2)', medium: 'Medium (NUS 3-5)', high: 'High (NUS 6-8)', missing: 'Missing' },
  immigrant: { norway_or_other: 'Norwegian-born or other', born_abroad: 'Born abroad (immigrant)' },
  centrality_group: {
    central: 'Central (1-2)',
    intermediate: 'Intermediate (3-4)',
    rural: 'Rural (5-6)',
    missing: 'Missing',
  },
};

const LEVEL_ORDER: Record<string, string[]> = {
  sex: ['F', 'M'],
  age_group: ['<18', '18-29', '30-39', '40-49', '50-59', '60-69', '70+'],
  edu_group: ['low', 'medium', 'high', 'missing'],
  immigrant: ['norway_or_other', 'born_abroad'],
  centrality_group: ['central', 'intermediate', 'rural', 'missing'],
};

export const REFERENCE_LEVELS: Record<string, string> = {
  sex: 'F',
  age_group: '18-29',
  edu_group: 'low',
  immigrant: 'norway_or_other',
  centrality_group: 'central',
};

export function levelLabel(cov: string, level: string): string {
  return LEVEL_LABELS[cov]?.[level] ?? level;
}

export interface IndicatorDef {
  key: string;
  label: string;
  denom: string;
  /** Which denominator: indicators with the same kind share row totals. */
  denomKind: string;
  events: string;
  count: string | null;
}

export function indicatorDefs(p: ResolvedParams): IndicatorDef[] {
  return [
    {
      key: 'tt',
      label: `Talking therapy (${p.talkTherapyTariffs.join(', ')})`,
      denom: 'n',
      denomKind: 'n',
      events: 'tt_events',
      count: 'tt_count',
    },
    {
      key: 'long',
      label: `Long consultation (${p.longConsultationTariffs.join(', ')})`,
      denom: 'n',
      denomKind: 'n',
      events: 'long_events',
      count: 'long_count',
    },
    {
      key: 'ad',
      label: `Antidepressant dispensed (${p.antidepressantAtc.join(', ')}${p.adNewUser ? ', new users' : ''})`,
      denom: p.adNewUser ? 'ad_denom' : 'n',
      denomKind: p.adNewUser ? 'ad' : 'n',
      events: 'ad_events',
      count: 'ad_count',
    },
    {
      key: 'ref',
      label: `Referral to specialist mental health care (${p.referralSectors.join(', ')})`,
      denom: 'n',
      denomKind: 'n',
      events: 'ref_events',
      count: 'ref_count',
    },
    {
      key: 'sl',
      label: `Sick leave (${p.sickLeaveDenominator === 'employed' ? 'employed, ' : ''}ages ${p.sickLeaveMinAge}-${p.sickLeaveMaxAge})`,
      denom: 'sl_denom',
      denomKind: 'sl',
      events: 'sl_events',
      count: 'sl_count',
    },
    {
      key: 'none3',
      label: 'None of talking therapy, antidepressant, sick leave',
      denom: 'n',
      denomKind: 'n',
      events: 'none3_events',
      count: null,
    },
    {
      key: 'none5',
      label: 'None of the five kinds of care',
      denom: 'n',
      denomKind: 'n',
      events: 'none5_events',
      count: null,
    },
  ];
}

const num = (v: unknown): number => (typeof v === 'number' ? v : Number(v ?? 0));

interface LevelSums {
  level: string;
  sums: Record<string, number>;
}

/**
 * The engine's aggregated rows: row objects, or columns (engine.runColumns; the national
 * indicator_patterns has ~225,000 rows, which as objects cost seconds to make and to read).
 */
export type Aggregated = readonly Row[] | Columns;

const columnsCache = new WeakMap<readonly Row[], Columns>();

/** Any aggregated rows as columns (row objects converted once). */
export function asColumns(data: Aggregated): Columns {
  if (!Array.isArray(data)) return data as Columns;
  const rows = data as readonly Row[];
  let c = columnsCache.get(rows);
  if (!c) columnsCache.set(rows, (c = rowsToColumns(rows)));
  return c;
}

const NO_VALUES: ArrayLike<Cell> = { length: 0 };

/** A column's values (an absent column reads as undefined, like an absent key of a row). */
function column(data: Columns, name: string): ArrayLike<Cell | undefined> {
  return data.columns[name] ?? NO_VALUES;
}

const numbersCache = new WeakMap<Columns, Map<string, Float64Array>>();

/** A column as numbers (num: NULL and absent as 0), made once per table. */
function numbers(data: Columns, name: string): Float64Array {
  let cache = numbersCache.get(data);
  if (!cache) numbersCache.set(data, (cache = new Map()));
  let out = cache.get(name);
  if (!out) {
    const values = column(data, name);
    out = new Float64Array(data.length);
    for (let i = 0; i < data.length; i++) out[i] = num(values[i]);
    cache.set(name, out);
  }
  return out;
}

/** Sums of every numeric column by level of a covariate, in display order. */
export function sumByLevel(rows: Aggregated, cov: string, fields: readonly string[]): LevelSums[] {
  const data = asColumns(rows);
  const levelOf = column(data, cov);
  const values = fields.map((f) => numbers(data, f));
  // Level of a value by the value itself, so String() runs once per distinct value.
  const levelIndex = new Map<Cell | undefined, number>();
  const index = new Map<string, number>();
  const sums: Float64Array[] = [];
  for (let i = 0; i < data.length; i++) {
    let k = levelIndex.get(levelOf[i]);
    if (k === undefined) {
      const level = String(levelOf[i] ?? 'missing');
      k = index.get(level);
      if (k === undefined) {
        index.set(level, (k = sums.length));
        sums.push(new Float64Array(fields.length));
      }
      levelIndex.set(levelOf[i], k);
    }
    const cur = sums[k]!;
    for (let f = 0; f < fields.length; f++) cur[f]! += values[f]![i]!;
  }
  const order = LEVEL_ORDER[cov];
  const levels = [...index.keys()].sort((a, b) => {
    if (order) return (order.indexOf(a) + 1 || 99) - (order.indexOf(b) + 1 || 99) || a.localeCompare(b);
    return a.localeCompare(b, 'en', { numeric: true });
  });
  return levels.map((level) => {
    const cur = sums[index.get(level)!]!;
    return { level, sums: Object.fromEntries(fields.map((f, j) => [f, cur[j]!])) };
  });
}

export function totals(rows: Aggregated, fields: readonly string[]): Record<string, number> {
  const data = asColumns(rows);
  return Object.fromEntries(
    fields.map((f) => {
      const values = numbers(data, f);
      let sum = 0;
      for (let i = 0; i < data.length; i++) sum += values[i]!;
      return [f, sum];
    })
  );
}

const pct = (e: number, d: number) => (d > 0 ? (100 * e) / d : null);

function covariateReferences(data: Columns): Record<string, string> {
  const years = [...new Set(Array.from(column(data, 'index_year'), (v) => String(v)))].sort();
  return { ...REFERENCE_LEVELS, index_year: years[0] ?? '' };
}

export interface RelativeRiskSet {
  crude: Map<string, LevelEstimate>;
  adjusted: Map<string, LevelEstimate>;
}

/**
 * Below this effective number of GPs (LevelEstimate.effectiveClusters) a level's cluster-robust
 * interval rests on too few clusters to trust: CR1 with t(G-1) still rejects too often with fewer
 * than 20-50 clusters, the more so when they are unequal in size (Cameron & Miller 2015, J Hum
 * Resour 50:317-372; MacKinnon & Webb 2017, J Appl Econom 32:233-254). The table says so in a note.
 */
export const FEW_GPS = 20;

const codedOf = new WeakMap<
  Columns,
  {
    data: CodedRows;
    refs: Record<string, string>;
    /** The rows pooled by cluster and level of each covariate, for its crude fits. */
    pooled: Map<string, { coded: CodedRows; cellOf: Int32Array }>;
  }
>();

/** The rows' covariate levels and GP clusters, coded once for the seven indicators' fits. */
function coded(data: Columns): {
  data: CodedRows;
  refs: Record<string, string>;
  pooled: Map<string, { coded: CodedRows; cellOf: Int32Array }>;
} {
  let v = codedOf.get(data);
  if (!v) {
    const cluster = column(data, 'gp_cluster');
    const all = codeColumns(
      data.length,
      COVARIATES.map((c) => column(data, c)),
      COVARIATES,
      (i) => (cluster[i] === null || cluster[i] === undefined ? null : num(cluster[i]))
    );
    v = {
      data: all,
      refs: covariateReferences(data),
      pooled: new Map(COVARIATES.map((c) => [c, poolCoded(all, c)])),
    };
    codedOf.set(data, v);
  }
  return v;
}

/**
 * Crude (one covariate) and mutually adjusted (all covariates) relative risks for one indicator,
 * with GP-cluster-robust (CR1) errors: rows are (gp_cluster, pattern) cells of indicator_patterns;
 * a row without gp_cluster counts its episodes as clusters of one.
 */
export function relativeRisks(rows: Aggregated, ind: IndicatorDef): RelativeRiskSet {
  const columns = asColumns(rows);
  const { data, refs, pooled } = coded(columns);
  const n = numbers(columns, ind.denom);
  const y = numbers(columns, ind.events);
  const key = (e: LevelEstimate) => `${e.covariate}=${e.level}`;
  const crude = new Map<string, LevelEstimate>();
  // A crude fit on the rows pooled by cluster and level: the same model, a tenth of the rows.
  for (const c of COVARIATES) {
    const { coded: cells, cellOf } = pooled.get(c)!;
    const nc = sumCells(cellOf, cells.rows, n);
    const yc = sumCells(cellOf, cells.rows, y);
    for (const e of fitCoded(cells, nc, yc, [c], refs, { vce: 'CR1' })) crude.set(key(e), e);
  }
  const adjusted = new Map<string, LevelEstimate>();
  for (const e of fitCoded(data, n, y, COVARIATES, refs, { vce: 'CR1' })) adjusted.set(key(e), e);
  return { crude, adjusted };
}

/** GPs (gp_cluster) with episodes in `denom`, and their effective number (Σ n)²/Σ n². */
function gpsCarrying(rows: Aggregated, denom: string): { clusters: number; effective: number } {
  const columns = asColumns(rows);
  const { data } = coded(columns);
  const values = numbers(columns, denom);
  const byGp = new Float64Array(data.clusters);
  for (let i = 0; i < columns.length; i++) {
    const n = values[i]!;
    if (n > 0 && data.clusterOf[i]! >= 0) byGp[data.clusterOf[i]!]! += n;
  }
  let clusters = 0;
  let sum = 0;
  let sumSq = 0;
  for (const n of byGp)
    if (n > 0) {
      clusters++;
      sum += n;
      sumSq += n * n;
    }
  return { clusters, effective: sumSq > 0 ? (sum * sum) / sumSq : 0 };
}

// ---------------------------------------------------------------------------------------------

export interface AnalysisTables {
  tables: PublishedTable[];
  /** Indicator shares by year for the trend plot (null = suppressed). */
  trend: { indicator: string; label: string; points: { year: string; percent: number | null }[] }[];
  /** Adjusted RRs for the forest plots: indicator → rows. */
  forest: {
    indicator: string;
    label: string;
    rows: { label: string; rr: number; lo: number; hi: number; reference: boolean }[];
  }[];
}

interface Spec {
  id: string;
  linked: LinkedTable;
  result?: SuppressedTable;
}

/**
 * Builds every published table from the aggregated rows. All count tables are suppressed together
 * (suppressMany) with these links: the denominator of a level (row total) is shared by every table
 * over that covariate with the same denominator; an indicator's totals (column totals) are shared
 * by its tables over every covariate.
 */
export function buildTables(patterns: Aggregated, work: Aggregated, p: ResolvedParams): AnalysisTables {
  const inds = indicatorDefs(p);
  const fields = [...new Set(inds.flatMap((i) => [i.denom, i.events, ...(i.count ? [i.count] : [])]))];
  const workFields = [
    'n',
    'with_days',
    'days_sum',
    'graded_sum',
    'rtw6_at_risk',
    'rtw6',
    'rtw12_at_risk',
    'rtw12',
  ];
  const specs = new Map<string, Spec>();
  const byCov = new Map<string, LevelSums[]>();
  const workByCov = new Map<string, LevelSums[]>();

  const addSpec = (
    id: string,
    cells: number[][],
    rowKey: (i: number) => string,
    colKey: string,
    cornerKey: string,
    /** Rows are groups split into with / without an outcome (zero-group rule, stats/suppress.ts). */
    outcomeSplit = true
  ) => {
    const values = withMargins(cells);
    const last = (values[0]?.length ?? 1) - 1;
    const lastRow = values.length - 1;
    specs.set(id, {
      id,
      linked: {
        values,
        zeroGroupBelow: outcomeSplit ? ZERO_GROUP_BELOW : undefined,
        keyOf: (i, j) => {
          if (i === lastRow && j === last) return cornerKey;
          if (j === last) return rowKey(i);
          if (i === lastRow) return `${colKey}:${j}`;
          return null;
        },
      },
    });
  };

  for (const c of COVARIATES) {
    const levels = sumByLevel(patterns, c, fields);
    byCov.set(c, levels);
    // Cohort composition (one column: n).
    addSpec(
      `n:${c}`,
      levels.map((l) => [l.sums.n!]),
      (i) => `d:n:${c}:${levels[i]!.level}`,
      'tot:n',
      'N:n',
      false
    );
    for (const ind of inds) {
      addSpec(
        `${ind.key}:${c}`,
        levels.map((l) => [l.sums[ind.events]!, l.sums[ind.denom]! - l.sums[ind.events]!]),
        (i) => `d:${ind.denomKind}:${c}:${levels[i]!.level}`,
        `tot:${ind.key}`,
        `N:${ind.denomKind}`
      );
    }
    const wl = sumByLevel(work, c, workFields);
    workByCov.set(c, wl);
    addSpec(
      `days:${c}`,
      wl.map((l) => [l.sums.with_days!, l.sums.n! - l.sums.with_days!]),
      (i) => `d:sl:${c}:${wl[i]!.level}`,
      'tot:days',
      'N:sl'
    );
    addSpec(
      `rtw6:${c}`,
      wl.map((l) => [l.sums.rtw6!, l.sums.rtw6_at_risk! - l.sums.rtw6!]),
      (i) => `d:rtw6:${c}:${wl[i]!.level}`,
      'tot:rtw6',
      'N:rtw6'
    );
    addSpec(
      `rtw12:${c}`,
      wl.map((l) => [l.sums.rtw12!, l.sums.rtw12_at_risk! - l.sums.rtw12!]),
      (i) => `d:rtw12:${c}:${wl[i]!.level}`,
      'tot:rtw12',
      'N:rtw12'
    );
  }
  const list = [...specs.values()];
  const results = suppressMany(list.map((s) => s.linked));
  list.forEach((s, k) => (s.result = results[k]));
  /** Published value of a cell, or null when hidden. */
  const cell = (id: string, i: number, j: number): number | null => {
    const r = specs.get(id)!.result!;
    return r.hidden[i]![j] ? null : r.values[i]![j]!;
  };
  const lastRowOf = (id: string) => specs.get(id)!.result!.values.length - 1;
  const lastColOf = (id: string) => specs.get(id)!.result!.values[0]!.length - 1;

  const tables: PublishedTable[] = [];

  // Table 1: cohort composition.
  {
    const rows: CellValue[][] = [];
    const N = cell(`n:sex`, lastRowOf('n:sex'), 1);
    rows.push(['All', 'All', N, N === null ? null : 100]);
    for (const c of COVARIATES) {
      byCov.get(c)!.forEach((l, i) => {
        const n = cell(`n:${c}`, i, 1);
        rows.push([
          COVARIATE_LABELS[c],
          levelLabel(c, l.level),
          n,
          n === null || N === null ? null : pct(n, N),
        ]);
      });
    }
    tables.push({
      id: 'table1_cohort',
      title: 'Table 1. New depression episodes by patient characteristics',
      caption:
        'Episodes in the cohort by sex, age group, education, immigrant background, centrality of residence and year of index.',
      columns: [
        { key: 'covariate', label: 'Characteristic', kind: 'label' },
        { key: 'level', label: 'Group', kind: 'label' },
        { key: 'n', label: 'Episodes', kind: 'count' },
        { key: 'percent', label: '%', kind: 'percent' },
      ],
      rows,
      notes: [],
    });
  }

  // Table 2: all indicators by characteristics (like Riiser 2022 Table 4).
  {
    const columns: Column[] = [
      { key: 'covariate', label: 'Characteristic', kind: 'label' },
      { key: 'level', label: 'Group', kind: 'label' },
      { key: 'n', label: 'Episodes', kind: 'count' },
    ];
    for (const ind of inds) {
      columns.push({ key: `${ind.key}_n`, label: `${ind.label}: n`, kind: 'count' });
      columns.push({ key: `${ind.key}_pct`, label: `${ind.label}: %`, kind: 'percent' });
    }
    const rows: CellValue[][] = [];
    const overall: CellValue[] = ['All', 'All', cell('n:sex', lastRowOf('n:sex'), 1)];
    for (const ind of inds) {
      const id = `${ind.key}:sex`;
      const e = cell(id, lastRowOf(id), 0);
      const d = cell(id, lastRowOf(id), lastColOf(id));
      overall.push(e, e === null || d === null ? null : pct(e, d));
    }
    rows.push(overall);
    for (const c of COVARIATES) {
      byCov.get(c)!.forEach((l, i) => {
        const row: CellValue[] = [COVARIATE_LABELS[c], levelLabel(c, l.level), cell(`n:${c}`, i, 1)];
        for (const ind of inds) {
          const id = `${ind.key}:${c}`;
          const e = cell(id, i, 0);
          const d = cell(id, i, lastColOf(id));
          row.push(e, e === null || d === null ? null : pct(e, d));
        }
        rows.push(row);
      });
    }
    tables.push({
      id: 'table2_care_by_characteristics',
      title: 'Table 2. Care within 12 months by patient characteristics',
      caption:
        "Episodes with each kind of care within follow-up, n and % of the indicator's denominator (sick leave: ages " +
        `${p.sickLeaveMinAge}-${p.sickLeaveMaxAge}${p.adNewUser ? '; antidepressants: new users' : ''}). Patients may receive more than one kind.`,
      columns,
      rows,
      notes: [],
    });
  }

  // Tables 3.x: one per indicator with crude and adjusted RRs.
  const forest: AnalysisTables['forest'] = [];
  const trend: AnalysisTables['trend'] = [];
  for (const ind of inds) {
    const rr = relativeRisks(patterns, ind);
    const rows: CellValue[][] = [];
    const forestRows: AnalysisTables['forest'][number]['rows'] = [];
    const totalId = `${ind.key}:sex`;
    const eAll = cell(totalId, lastRowOf(totalId), 0);
    const dAll = cell(totalId, lastRowOf(totalId), lastColOf(totalId));
    const sumCount = ind.count ? totals(patterns, [ind.count])[ind.count]! : 0;
    const gpsAll = gpsCarrying(patterns, ind.denom);
    const fewGps: string[] = [];
    rows.push([
      'All',
      'All',
      dAll,
      eAll,
      eAll === null || dAll === null ? null : pct(eAll, dAll),
      !ind.count || eAll === 0 ? '' : eAll === null ? null : sumCount / eAll,
      '',
      '',
      '',
      '',
      '',
      '',
      dAll === null ? null : gpsAll.clusters,
      dAll === null ? null : Math.round(gpsAll.effective),
      RIISER_2022.overall[ind.key] ?? '',
    ]);
    for (const c of COVARIATES) {
      const levels = byCov.get(c)!;
      const id = `${ind.key}:${c}`;
      const refIndex = levels.findIndex((l) => rr.crude.get(`${c}=${l.level}`)?.reference);
      const refHidden =
        refIndex < 0 || cell(id, refIndex, 0) === null || cell(id, refIndex, lastColOf(id)) === null;
      // Levels of this characteristic on few GPs; the reference counts only if some RR is shown.
      const few: { text: string; reference: boolean }[] = [];
      let contrasts = 0;
      levels.forEach((l, i) => {
        const e = cell(id, i, 0);
        const d = cell(id, i, lastColOf(id));
        const hidden = e === null || d === null;
        const crude = rr.crude.get(`${c}=${l.level}`);
        const adj = rr.adjusted.get(`${c}=${l.level}`);
        // RRs (and CIs) would reveal hidden counts: suppressed with them, and with a hidden reference.
        const show = (est: LevelEstimate | undefined) => (hidden || refHidden || !est?.rr ? null : est.rr);
        const cr = show(crude);
        const ar = show(adj);
        // The GPs that carry the level (its episodes' clusters), whether or not its RR is estimable;
        // hidden with the level's counts. The effective number in whole GPs: its digits, set against
        // the published denominator, would give Σ n², a fingerprint of how the episodes split by GP.
        const gps = hidden || !crude ? null : crude.clusters;
        const gpsEffective = hidden || !crude ? null : Math.round(crude.effectiveClusters);
        const reference = crude?.reference === true;
        if (!reference && (cr || ar)) contrasts++;
        if (gpsEffective !== null && gpsEffective < FEW_GPS && (reference || cr || ar))
          few.push({
            text: `${COVARIATE_LABELS[c]}: ${levelLabel(c, l.level)} (${gpsEffective}; ${gps} GPs)`,
            reference,
          });
        rows.push([
          COVARIATE_LABELS[c],
          levelLabel(c, l.level) + (crude?.reference ? ' (ref.)' : ''),
          d,
          e,
          hidden ? null : pct(e, d),
          !ind.count || e === 0 ? '' : hidden ? null : l.sums[ind.count]! / e,
          cr?.rr ?? null,
          cr?.lo ?? null,
          cr?.hi ?? null,
          ar?.rr ?? null,
          ar?.lo ?? null,
          ar?.hi ?? null,
          gps,
          gpsEffective,
          RIISER_2022.byLevel[c]?.[l.level]?.[ind.key] ?? '',
        ]);
        if (c !== 'index_year' && ar && d !== null && d > 0)
          forestRows.push({
            label: `${COVARIATE_LABELS[c]}: ${levelLabel(c, l.level)}`,
            rr: ar.rr,
            lo: ar.lo,
            hi: ar.hi,
            reference: !!crude?.reference,
          });
      });
      if (contrasts > 0) fewGps.push(...few.map((f) => f.text));
      if (c === 'index_year')
        trend.push({
          indicator: ind.key,
          label: ind.label,
          points: levels.map((l, i) => {
            const e = cell(id, i, 0);
            const d = cell(id, i, lastColOf(id));
            return { year: l.level, percent: e === null || d === null ? null : pct(e, d) };
          }),
        });
    }
    forest.push({ indicator: ind.key, label: ind.label, rows: forestRows });
    const rrTable: PublishedTable = {
      id: `table3_${ind.key}`,
      title: `Table 3.${inds.indexOf(ind) + 1}. ${ind.label}: relative risks`,
      caption:
        `${ind.label} within follow-up: n, %, mean number among those with it, and relative risks (RR) with 95% confidence intervals ` +
        'from Poisson regression with a log link and GP-cluster-robust standard errors (patients of the same GP are not independent: CR1 with the small-cluster correction, t with G - 1 degrees of freedom for G GPs); crude (one characteristic) and adjusted ' +
        '(all characteristics in the table, year included). GPs: how many GPs have episodes in the group, and their effective number ((Σ n)²/Σ n² over the episodes n at each GP: 10 GPs of equal size count 10, one GP with most of the episodes counts little more than 1); an interval is only as good as the GPs that carry it. ' +
        'An RR describes how the share differs from the reference group; it is an association, not an effect of the characteristic. Published: Riiser et al. 2022, Table 4.',
      columns: [
        { key: 'covariate', label: 'Characteristic', kind: 'label' },
        { key: 'level', label: 'Group', kind: 'label' },
        { key: 'denominator', label: 'Denominator', kind: 'count' },
        { key: 'events', label: 'With care', kind: 'count' },
        { key: 'percent', label: '%', kind: 'percent' },
        { key: 'mean_count', label: 'Mean number among those with care', kind: 'mean' },
        { key: 'crude_rr', label: 'Crude RR', kind: 'ratio' },
        { key: 'crude_lo', label: 'Crude RR lower 95%', kind: 'ratio' },
        { key: 'crude_hi', label: 'Crude RR upper 95%', kind: 'ratio' },
        { key: 'adj_rr', label: 'Adjusted RR', kind: 'ratio' },
        { key: 'adj_lo', label: 'Adjusted RR lower 95%', kind: 'ratio' },
        { key: 'adj_hi', label: 'Adjusted RR upper 95%', kind: 'ratio' },
        // GP counts are not person counts (and run.ts reads adj_rr as column 9): kind 'mean', as in Table 6.
        { key: 'gps', label: 'GPs', kind: 'mean' },
        { key: 'gps_effective', label: 'GPs, effective number', kind: 'mean' },
        { key: 'published_pct', label: 'Published % (Riiser 2022)', kind: 'percent' },
      ],
      rows,
      notes: [
        "An RR is left out where its group's or the reference group's counts are suppressed, or where the group has no events.",
      ],
    };
    if (fewGps.length > 0)
      rrTable.notes.push(
        `Few GPs: ${fewGps.join('; ')}. These groups have fewer than ${FEW_GPS} GPs in effect (effective number; GPs with episodes), ` +
          'too few for a cluster-robust interval to be trusted: their intervals, and those of the RRs set against them, may be too narrow.'
      );
    const rrs = countIntervalEstimates(rrTable);
    if (rrs > 0) rrTable.notes.push(multiplicityNote(rrs, 'relative risks', 'an RR of 1'));
    tables.push(rrTable);
  }

  // Table 4: work participation.
  {
    const rows: CellValue[][] = [];
    const workTotals = totals(work, workFields);
    const pushRow = (cov: string, level: string, i: number | 'all', sums: Record<string, number>) => {
      const at = (id: string, j: number) => (i === 'all' ? cell(id, lastRowOf(id), j) : cell(id, i, j));
      const n = at(`days:${cov}`, lastColOf(`days:${cov}`));
      const withDays = at(`days:${cov}`, 0);
      const r6n = at(`rtw6:${cov}`, lastColOf(`rtw6:${cov}`));
      const r6 = at(`rtw6:${cov}`, 0);
      const r12n = at(`rtw12:${cov}`, lastColOf(`rtw12:${cov}`));
      const r12 = at(`rtw12:${cov}`, 0);
      rows.push([
        cov === 'all' ? 'All' : COVARIATE_LABELS[cov as Covariate],
        level,
        n,
        withDays,
        withDays === null || n === null ? null : pct(withDays, n),
        n === null || n === 0 ? null : sums.days_sum! / n,
        n === null || n === 0 ? null : sums.graded_sum! / n,
        withDays === null || withDays === 0 ? null : sums.days_sum! / withDays,
        r6n,
        r6,
        r6 === null || r6n === null ? null : pct(r6, r6n),
        r12n,
        r12,
        r12 === null || r12n === null ? null : pct(r12, r12n),
      ]);
    };
    pushRow('sex', 'All', 'all', workTotals);
    rows[0]![0] = 'All';
    for (const c of COVARIATES)
      workByCov.get(c)!.forEach((l, i) => pushRow(c, levelLabel(c, l.level), i, l.sums));
    tables.push({
      id: 'table4_work_participation',
      title: 'Table 4. Work participation within 12 months',
      caption:
        `Episodes of patients aged ${p.sickLeaveMinAge}-${p.sickLeaveMaxAge}: sick-leave days inside follow-up (calendar days on any ` +
        'certificate; grade-weighted days = days × grade, overlapping grades summed and capped at 100 %), and return to work ' +
        `(RTW) at 6 and 12 months among those on sick leave in the first ${p.rtwBaselineDays} days and followed that long: no sick leave ` +
        `and no sickness benefit, AAP or disability benefit in the last ${p.rtwWindowDays} days up to the time point.`,
      columns: [
        { key: 'covariate', label: 'Characteristic', kind: 'label' },
        { key: 'level', label: 'Group', kind: 'label' },
        { key: 'n', label: 'Episodes', kind: 'count' },
        { key: 'with_sick_leave_days', label: 'With sick-leave days', kind: 'count' },
        { key: 'with_sick_leave_pct', label: '%', kind: 'percent' },
        { key: 'mean_days', label: 'Mean sick-leave days (all)', kind: 'mean' },
        { key: 'mean_graded_days', label: 'Mean grade-weighted days (all)', kind: 'mean' },
        { key: 'mean_days_sick_listed', label: 'Mean days among those with days', kind: 'mean' },
        { key: 'rtw6_base', label: 'RTW 6 mo: base', kind: 'count' },
        { key: 'rtw6_n', label: 'RTW 6 mo: returned', kind: 'count' },
        { key: 'rtw6_pct', label: 'RTW 6 mo: %', kind: 'percent' },
        { key: 'rtw12_base', label: 'RTW 12 mo: base', kind: 'count' },
        { key: 'rtw12_n', label: 'RTW 12 mo: returned', kind: 'count' },
        { key: 'rtw12_pct', label: 'RTW 12 mo: %', kind: 'percent' },
      ],
      rows,
      notes: ['Means are left out where the number of episodes they are computed over is suppressed.'],
    });
  }
  return { tables, trend, forest };
}

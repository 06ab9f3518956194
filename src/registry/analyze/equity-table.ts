/**
 * The equity table (O'Donnell et al. 2008, ch. 8): for talking therapy, antidepressants, sick leave and
 * referral, by education and by household income decile, for women, men and both: the concentration
 * index with the Wagstaff and Erreygers corrections (unadjusted), the need-standardised horizontal
 * inequity index, and the slope and relative indices of inequality, unadjusted and adjusted for need.
 *
 * Need = age group (and sex when both sexes are pooled); non-need = immigrant background and
 * centrality of residence. Hansen et al. found the education gradient in antidepressant use among
 * women only, so every measure is given by sex.
 *
 * SES groups run from worst-off to best-off, so a positive index means more care among the
 * better-off. Episodes with unknown education or income are left out of that position's rows.
 * A row is left empty when an SES group has fewer than MIN_GROUP episodes (unstable and close to
 * a small cell).
 */
import type { Row } from '../engine/protocol.js';
import { incomeYearPhrase } from '../engine/definitions.js';
import { DEFAULT_PARAMS, type AnalysisParams } from '../engine/params.js';
import {
  concentrationIndex,
  horizontalInequity,
  slopeIndexOfInequality,
  type EquityCell,
  type Estimate,
} from '../stats/equity/index.js';
import { ZERO_GROUP_BELOW, isSmall } from '../stats/suppress.js';
import { formatNumber as num, type CellValue, type PublishedTable } from './model.js';
import { EQUITY_COLUMNS, countIntervalEstimates, multiplicityNote } from './multiplicity.js';

export const MIN_GROUP = 20;

export interface EquityOutcome {
  key: string;
  label: string;
  events: string;
  denom: string;
}

export const EQUITY_OUTCOMES: EquityOutcome[] = [
  { key: 'tt', label: 'Talking therapy', events: 'tt_events', denom: 'n' },
  { key: 'ad', label: 'Antidepressant', events: 'ad_events', denom: 'ad_denom' },
  { key: 'sl', label: 'Sick leave', events: 'sl_events', denom: 'sl_denom' },
  { key: 'ref', label: 'Referral to specialist care', events: 'ref_events', denom: 'n' },
];

interface Position {
  key: string;
  label: string;
  /** SES group index of a row (0 = worst-off), or null when unknown. */
  group(row: Row): number | null;
  groups: number;
}

export const EDUCATION: Position = {
  key: 'education',
  label: 'Education',
  group: (r) => ({ low: 0, medium: 1, high: 2 })[String(r.edu_group)] ?? null,
  groups: 3,
};

export const INCOME: Position = {
  key: 'income',
  label: 'Household income (decile)',
  group: (r) =>
    r.income_decile === null || r.income_decile === undefined ? null : Number(r.income_decile) - 1,
  groups: 10,
};

const SEXES = [
  { key: 'F', label: 'Women' },
  { key: 'M', label: 'Men' },
  { key: 'all', label: 'Both' },
] as const;

function dummies(values: readonly string[]): (v: string) => number[] {
  const levels = [...new Set(values)].sort();
  return (v) => levels.slice(1).map((l) => (l === v ? 1 : 0));
}

const fmt = (e: Estimate | null, scale = 1, digits = 3): string | null =>
  e === null
    ? null
    : `${num(scale * e.estimate, digits)} (${num(scale * e.lo, digits)} to ${num(scale * e.hi, digits)})`;

export interface EquityRow {
  outcome: string;
  position: string;
  sex: string;
  episodes: number;
  percent: number;
  c: Estimate;
  wagstaff: Estimate | null;
  erreygers: Estimate | null;
  hi: Estimate;
  sii: Estimate;
  siiAdjusted: Estimate;
  rii: { estimate: number; lo: number; hi: number } | null;
  riiAdjusted: { estimate: number; lo: number; hi: number } | null;
}

/** The equity measures for one outcome × position × sex, or the reason they are not given. */
export function equityMeasures(
  rows: readonly Row[],
  outcome: EquityOutcome,
  position: Position,
  sex: 'F' | 'M' | 'all'
): EquityRow | { reason: string } {
  const subset = rows.filter(
    (r) => (sex === 'all' || r.sex === sex) && position.group(r) !== null && Number(r[outcome.denom] ?? 0) > 0
  );
  const ageDummy = dummies(rows.map((r) => String(r.age_group)));
  const immigrantDummy = dummies(rows.map((r) => String(r.immigrant)));
  const centralityDummy = dummies(rows.map((r) => String(r.centrality_group)));
  const cells: EquityCell[] = subset.map((r) => ({
    group: position.group(r)!,
    need: [...ageDummy(String(r.age_group)), ...(sex === 'all' ? [r.sex === 'M' ? 1 : 0] : [])],
    nonNeed: [...immigrantDummy(String(r.immigrant)), ...centralityDummy(String(r.centrality_group))],
    n: Number(r[outcome.denom]),
    events: Number(r[outcome.events]),
  }));
  const groupN = new Array<number>(position.groups).fill(0);
  const groupY = new Array<number>(position.groups).fill(0);
  for (const c of cells) {
    groupN[c.group]! += c.n;
    groupY[c.group]! += c.events;
  }
  if (groupN.some((n) => n < MIN_GROUP)) return { reason: `a group has fewer than ${MIN_GROUP} episodes` };
  // The indices are functions of each group's events and non-events: none of those may be small.
  if (groupY.some((y, k) => isSmall(y) || isSmall(groupN[k]! - y)))
    return { reason: 'a group has from 1 to 4 episodes with or without the care' };
  // A small group where everyone or no one had the care (stats/suppress.ts, ZERO_GROUP_BELOW).
  if (groupY.some((y, k) => groupN[k]! < ZERO_GROUP_BELOW && (y === 0 || y === groupN[k])))
    return { reason: `a group of fewer than ${ZERO_GROUP_BELOW} episodes where all or none had the care` };
  const episodes = groupN.reduce((a, b) => a + b, 0);
  const events = groupY.reduce((a, b) => a + b, 0);
  if (events === 0 || events === episodes) return { reason: 'no variation in the outcome' };
  // Need columns constant in this subset (an age group absent among men, say) are dropped, or the
  // standardisation model would be singular.
  const keep = (get: (c: EquityCell) => readonly number[]) => {
    const width = get(cells[0]!).length;
    return Array.from({ length: width }, (_, j) => j).filter((j) =>
      cells.some((c) => get(c)[j] !== get(cells[0]!)[j])
    );
  };
  const needCols = keep((c) => c.need ?? []);
  const nonNeedCols = keep((c) => c.nonNeed ?? []);
  const trimmed = cells.map((c) => ({
    ...c,
    need: needCols.map((j) => c.need![j]!),
    nonNeed: nonNeedCols.map((j) => c.nonNeed![j]!),
  }));
  try {
    const ci = concentrationIndex(groupN.map((n, k) => ({ n, sum: groupY[k]! })));
    const hi = horizontalInequity(trimmed);
    const unadjusted = slopeIndexOfInequality(trimmed);
    const adjusted = slopeIndexOfInequality(trimmed, { adjustForNeed: true });
    return {
      outcome: outcome.label,
      position: position.label,
      sex,
      episodes,
      percent: (100 * events) / episodes,
      c: ci.c,
      wagstaff: ci.wagstaff,
      erreygers: ci.erreygers,
      hi: hi.hi,
      sii: unadjusted.sii,
      siiAdjusted: adjusted.sii,
      rii: unadjusted.rii,
      riiAdjusted: adjusted.rii,
    };
  } catch (error) {
    return { reason: error instanceof Error ? error.message : String(error) };
  }
}

type SexKey = (typeof SEXES)[number]['key'];

/** Events and non-events, by sex, among the episodes whose position is known and unknown. */
function knownAndUnknown(rows: readonly Row[], outcome: EquityOutcome, position: Position): number[][] {
  // Rows F and M; columns: known with, known without, unknown with, unknown without.
  const cells = [
    [0, 0, 0, 0],
    [0, 0, 0, 0],
  ];
  for (const r of rows) {
    const n = Number(r[outcome.denom] ?? 0);
    if (n <= 0 || (r.sex !== 'F' && r.sex !== 'M')) continue;
    const y = Number(r[outcome.events] ?? 0);
    const at = position.group(r) === null ? 2 : 0;
    const row = cells[r.sex === 'F' ? 0 : 1]!;
    row[at]! += y;
    row[at + 1]! += n - y;
  }
  return cells;
}

/**
 * Which rows of one outcome × position block may be published (issue 13, item 1). A row's share
 * is taken over the episodes with the position known, while Table 2 publishes each sex's episodes
 * and events over all of them: the difference is the group with the position unknown, and a share
 * precise enough gives it away. So, per sex and for both sexes together:
 * - primary: the unknown group must be empty, or have at least 5 episodes of which none or at
 *   least 5 had the care and none or at least 5 did not (the rule of every count table);
 * - complementary: Both = Women + Men, so when one sex's row is withheld and the "Both" row is
 *   published, the other sex's row is withheld too, or subtraction would give the first back;
 * - linked: when Table 2 hides the unknown group's cells (education: its "Missing" row), the
 *   whole block is withheld, since the rows by sex add up to that group as well.
 */
export function publishableSexRows(
  rows: readonly Row[],
  outcome: EquityOutcome,
  position: Position,
  unknownHiddenElsewhere: boolean
): Record<SexKey, boolean> {
  const [women, men] = knownAndUnknown(rows, outcome, position);
  const unknownGroupSafe = (withCare: number, without: number) =>
    withCare + without === 0 ||
    (!isSmall(withCare + without) &&
      !isSmall(withCare) &&
      !isSmall(without) &&
      !(withCare + without < ZERO_GROUP_BELOW && (withCare === 0 || without === 0)));
  if (unknownHiddenElsewhere) return { F: false, M: false, all: false };
  const ok = {
    F: unknownGroupSafe(women![2]!, women![3]!),
    M: unknownGroupSafe(men![2]!, men![3]!),
    all: unknownGroupSafe(women![2]! + men![2]!, women![3]! + men![3]!),
  };
  if (ok.all && ok.F !== ok.M) return { F: false, M: false, all: true };
  return ok;
}

export interface EquityTableOptions {
  /**
   * Whether Table 2 hides the events or non-events of the episodes with this position unknown
   * (its "Missing" row), for an outcome key; positions Table 2 does not show are never hidden there.
   */
  unknownHiddenInTable2?: (positionKey: string, outcomeKey: string) => boolean;
  /** Which year's income the run used (engine/definitions.ts); the default parameters' when not given. */
  incomeYear?: AnalysisParams['incomeYear'];
}

export function equityTable(rows: readonly Row[], options: EquityTableOptions = {}): PublishedTable {
  const out: CellValue[][] = [];
  const notes: string[] = [];
  for (const outcome of EQUITY_OUTCOMES)
    for (const position of [EDUCATION, INCOME]) {
      const publishable = publishableSexRows(
        rows,
        outcome,
        position,
        options.unknownHiddenInTable2?.(position.key, outcome.key) ?? false
      );
      for (const sex of SEXES) {
        const m: ReturnType<typeof equityMeasures> = publishable[sex.key]
          ? equityMeasures(rows, outcome, position, sex.key)
          : {
              reason: `suppressed: with Table 2 it would reveal a small group with ${position.label.toLowerCase()} unknown`,
            };
        if ('reason' in m) {
          out.push([
            outcome.label,
            position.label,
            sex.label,
            null,
            null,
            null,
            null,
            null,
            null,
            null,
            null,
            null,
          ]);
          notes.push(
            `${outcome.label}, ${position.label.toLowerCase()}, ${sex.label.toLowerCase()}: not estimated (${m.reason}).`
          );
          continue;
        }
        const ratio = (r: EquityRow['rii']) =>
          r === null ? null : `${num(r.estimate, 2)} (${num(r.lo, 2)} to ${num(r.hi, 2)})`;
        out.push([
          outcome.label,
          position.label,
          sex.label,
          m.percent,
          fmt(m.c),
          fmt(m.wagstaff),
          fmt(m.erreygers),
          fmt(m.hi),
          fmt(m.sii, 100, 1),
          fmt(m.siiAdjusted, 100, 1),
          ratio(m.rii),
          ratio(m.riiAdjusted),
        ]);
      }
    }
  const table: PublishedTable = {
    id: 'table8_equity',
    title: 'Table 8. Equity: care by education and household income',
    caption:
      `Concentration index C of each kind of care over the ranking by education (low, medium, high) or household income decile (${incomeYearPhrase({ incomeYear: options.incomeYear ?? DEFAULT_PARAMS.incomeYear })}, ranked within the index year), with the Wagstaff (W) and Erreygers (E) corrections for a binary outcome; ` +
      'the horizontal inequity index HI = C after indirect need standardisation (linear model on age group, and sex for both sexes, with immigrant background and centrality as non-need controls); ' +
      'the slope index (SII, percentage points between the worst-off and the best-off) and the relative index (RII) from models on the ridit, without and with need adjustment. 95 % confidence intervals in brackets. ' +
      'Positive C, HI and SII, and RII above 1, mean more care among the better-off. The indices describe how care differs by position; they do not say why.',
    columns: [
      { key: 'care', label: 'Care', kind: 'label' },
      { key: 'position', label: 'Socio-economic position', kind: 'label' },
      { key: 'sex', label: 'Sex', kind: 'label' },
      { key: 'percent', label: '%', kind: 'percent' },
      { key: 'c', label: 'C', kind: 'text' },
      { key: 'w', label: 'W (Wagstaff)', kind: 'text' },
      { key: 'e', label: 'E (Erreygers)', kind: 'text' },
      { key: 'hi', label: 'HI (need-standardised)', kind: 'text' },
      { key: 'sii', label: 'SII, pp', kind: 'text' },
      { key: 'sii_adj', label: 'SII need-adjusted, pp', kind: 'text' },
      { key: 'rii', label: 'RII', kind: 'text' },
      { key: 'rii_adj', label: 'RII need-adjusted', kind: 'text' },
    ],
    rows: out,
    notes: [
      'Standard errors by the delta method on the grouped data (the concentration indices include the uncertainty of the ranks and, for HI, of the need model); SII/RII with robust (HC0) errors, ridits taken as fixed.',
      `Rows with an SES group of fewer than ${MIN_GROUP} episodes, or with 1 to 4 episodes with or without the care in a group, are left empty. Episode counts are not repeated here, and a share is left empty when, set against Table 2, it would reveal a small number of episodes with education or income unknown (the same primary and complementary suppression as every count table).`,
      ...notes,
    ],
  };
  const indices = countIntervalEstimates(table, EQUITY_COLUMNS);
  if (indices > 0)
    table.notes.push(
      multiplicityNote(indices, 'equity indices', 'the null value (0 for C, W, E, HI and SII; 1 for RII)')
    );
  return table;
}

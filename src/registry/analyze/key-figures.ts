/**
 * Table 0 of the report: the cohort flow (each restriction with the episodes it excludes, pooled so
 * that no step excludes 1-4) and the key figures next to the published ones.
 */
import type { Row } from '../engine/protocol.js';
import type { ResolvedParams } from '../engine/params.js';
import { isSmall } from '../stats/suppress.js';
import { RIISER_2022, RUTHS_2021 } from '../report/published.js';
import { roundAsPrinted, type CellValue, type PublishedTable } from './model.js';

/** A count from 1 to 4 (or none) as null, so it is not published. */
export const smallHidden = (v: number | null | undefined): number | null =>
  v === null || v === undefined || isSmall(v) ? null : v;

/** Restriction steps pooled so that no step excludes 1-4 episodes. */
export function flowTable(flow: Row, p: ResolvedParams): PublishedTable {
  const steps: { label: string; n: number }[] = [
    { label: `New episodes with index ${p.indexFrom} to ${p.indexTo}`, n: Number(flow.new_episodes) },
    { label: 'Alive and resident at index', n: Number(flow.alive_resident) },
    {
      label: `Age ${p.minAge}${p.maxAge === null ? '+' : `-${p.maxAge}`} at index`,
      n: Number(flow.age_eligible),
    },
    {
      label: p.episodes === 'first' ? "The person's first episode" : 'Every new episode (no restriction)',
      n: Number(flow.episode_eligible),
    },
    {
      label: p.requireListedGp ? 'Listed with a GP at index' : 'GP list not required',
      n: Number(flow.cohort),
    },
  ];
  const rows: CellValue[][] = [[steps[0]!.label, smallHidden(steps[0]!.n), '']];
  const ns = [steps[0]!.n];
  let pending: string[] = [];
  for (const s of steps.slice(1)) {
    pending.push(s.label);
    const excluded = ns[ns.length - 1]! - s.n;
    if (isSmall(excluded)) continue;
    rows.push([pending.join('; '), smallHidden(s.n), excluded]);
    ns.push(s.n);
    pending = [];
  }
  if (pending.length) {
    // The last restrictions exclude 1-4 together: pool them with the step before, or, when there is
    // none, hide the first count (the cohort size is published everywhere).
    const final = steps[steps.length - 1]!.n;
    if (rows.length > 1) {
      const last = rows.pop()!;
      ns.pop();
      rows.push([
        `${String(last[0])}; ${pending.join('; ')}`,
        smallHidden(final),
        smallHidden(ns[ns.length - 1]! - final),
      ]);
    } else {
      rows[0]![1] = null;
      rows.push([pending.join('; '), smallHidden(final), null]);
    }
  }
  return {
    id: 'table0_cohort_flow',
    title: 'Cohort flow',
    caption:
      'Episodes left after each restriction (restrictions that exclude fewer than 5 episodes are pooled with the next).',
    columns: [
      { key: 'step', label: 'Restriction', kind: 'text' },
      { key: 'episodes', label: 'Episodes', kind: 'count' },
      { key: 'excluded', label: 'Excluded', kind: 'count' },
    ],
    rows,
    notes: [],
  };
}

/**
 * Counts with the papers' denominators (engine analysis `as_published`), to set beside theirs:
 * antidepressants among all episodes (prevalent users included) and sick leave among everyone of
 * sick-leave age (employed or not), and how many of those were employed.
 */
export interface AsPublishedCounts {
  episodes: number;
  adAnyEvents: number;
  slAllDenom: number;
  slAllEvents: number;
  employed: number;
}

export interface KeyFigureChoices {
  sickLeaveDenominator: 'employed' | 'all';
  adNewUser: boolean;
  counts: AsPublishedCounts | null;
}

export function keyFigures(
  summary: Row,
  patternsTable: PublishedTable,
  years: number,
  choices: KeyFigureChoices = { sickLeaveDenominator: 'all', adNewUser: false, counts: null }
): PublishedTable {
  const episodes = smallHidden(Number(summary.episodes));
  const overall = patternsTable.rows[0]!;
  const pctOf = (key: string) => {
    const j = patternsTable.columns.findIndex((c) => c.key === `${key}_pct`);
    const value = (overall[j] as number | null) ?? null;
    // Shares as the report prints them (issue 13, item 1); this column also holds means.
    return value === null ? null : roundAsPrinted(value, 'percent');
  };
  const women = smallHidden(Number(summary.women));
  const rows: CellValue[][] = [
    [
      'Episodes',
      episodes,
      RIISER_2022.patients,
      RUTHS_2021.episodes,
      'Riiser counts patients, Ruths diagnoses; 7 years',
    ],
    [
      'Episodes per year',
      episodes === null ? null : episodes / Math.max(1, years),
      RIISER_2022.patients / 7,
      RUTHS_2021.episodes / 7,
      '',
    ],
    ['Patients', smallHidden(Number(summary.patients)), RIISER_2022.patients, '', ''],
    [
      'Women, %',
      women === null || episodes === null ? null : roundAsPrinted((100 * women) / episodes, 'percent'),
      RIISER_2022.womenPercent,
      RUTHS_2021.womenPercent,
      '',
    ],
    [
      'Mean age',
      episodes === null ? null : Number(summary.mean_age),
      RIISER_2022.meanAge,
      RUTHS_2021.meanAge,
      '',
    ],
    ['Censored (death or emigration)', smallHidden(Number(summary.censored)), '', '', ''],
    [
      'Talking therapy, %',
      pctOf('tt'),
      RIISER_2022.overall.tt!,
      '',
      `Ruths: ${RUTHS_2021.trend.tt![0]} (2009) to ${RUTHS_2021.trend.tt![1]} (2015)`,
    ],
    [
      'Long consultation, %',
      pctOf('long'),
      '',
      '',
      `Ruths: ${RUTHS_2021.trend.long![0]} to ${RUTHS_2021.trend.long![1]}`,
    ],
    ...antidepressantRows(pctOf('ad'), choices),
    [
      'Referral to specialist care, %',
      pctOf('ref'),
      '',
      '',
      `Ruths: ${RUTHS_2021.trend.ref![0]} to ${RUTHS_2021.trend.ref![1]}`,
    ],
    ...sickLeaveRows(pctOf('sl'), choices),
    [
      'None of talking therapy, antidepressant, sick leave, %',
      pctOf('none3'),
      RIISER_2022.overall.none3!,
      '',
      '',
    ],
  ];
  return {
    id: 'table0_key_figures',
    title: 'Key figures beside the published GP-DEP results',
    caption: 'This analysis and the published figures (Riiser et al. 2022; Ruths et al. 2021).',
    columns: [
      { key: 'measure', label: 'Measure', kind: 'text' },
      { key: 'this_analysis', label: 'This analysis', kind: 'mean' },
      { key: 'riiser_2022', label: 'Riiser 2022', kind: 'mean' },
      { key: 'ruths_2021', label: 'Ruths 2021', kind: 'mean' },
      { key: 'note', label: 'Note', kind: 'text' },
    ],
    rows,
    notes: [],
  };
}

/** A share whose numerator and its complement are both publishable (0 or at least 5), else null. */
function safeShare(events: number, denom: number): number | null {
  if (!(denom > 0) || isSmall(events) || isSmall(denom - events)) return null;
  return roundAsPrinted((100 * events) / denom, 'percent');
}

/**
 * Antidepressants: new users (the analyses' default, issue 13 item 6), which no paper published,
 * and any dispensing among all episodes, as Riiser 2022 and Ruths 2021 counted, to set beside them.
 */
function antidepressantRows(share: number | null, choices: KeyFigureChoices): CellValue[][] {
  const published = (label: string, value: number | null): CellValue[] => [
    label,
    value,
    RIISER_2022.overall.ad!,
    '',
    `Ruths: ${RUTHS_2021.trend.ad![0]} to ${RUTHS_2021.trend.ad![1]}`,
  ];
  if (!choices.adNewUser) return [published('Antidepressant, %', share)];
  const c = choices.counts;
  return [
    ['Antidepressant (new users), %', share, '', '', 'Not published: the papers count any use'],
    published('Antidepressant (any use, as published), %', c ? safeShare(c.adAnyEvents, c.episodes) : null),
  ];
}

/**
 * Sick leave: among the employed (the analyses' denominator, issue 13 item 4), which no paper
 * published, and among everyone 20-66, the denominator Riiser 2022 and Ruths 2021 used, kept only
 * to set beside them.
 */
function sickLeaveRows(share: number | null, choices: KeyFigureChoices): CellValue[][] {
  const published = (label: string, value: number | null): CellValue[] => [
    label,
    value,
    RIISER_2022.overall.sl!,
    '',
    `Ruths: ${RUTHS_2021.trend.sl![0]} to ${RUTHS_2021.trend.sl![1]}`,
  ];
  if (choices.sickLeaveDenominator === 'all') return [published('Sick leave (20-66), %', share)];
  const c = choices.counts;
  return [
    ['Sick leave (employed 20-66), %', share, '', '', 'Not published: the papers count all 20-66'],
    [
      'Employed at index (20-66), %',
      c ? safeShare(c.employed, c.slAllDenom) : null,
      '',
      '',
      'NAV Aa-registeret',
    ],
    published('Sick leave (all 20-66, as published), %', c ? safeShare(c.slAllEvents, c.slAllDenom) : null),
  ];
}

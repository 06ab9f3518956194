/**
 * The outcome dashboards from one row per patient (outcomes.queries.ts reads them in one SQL
 * statement): the implementation funnel, NHS Talking Therapies outcome rates, equity of uptake with
 * the concentration index over education, and funnel plots of every GP. Pure: no I/O, so it is
 * unit-tested on hand-made rows (dashboard.test.ts).
 *
 * Every definition comes from domain/outcomes; every statistic from registry/stats; every count
 * that leaves passes the registry report's suppression (registry/stats/suppress.ts: counts 1-4
 * hidden, complements hidden so a hidden count cannot be recovered, "none" or "all" of a group
 * under 50 hidden) and funnel plots drop GPs under 10 patients and coarsen the rest
 * (prepareFunnelPlot). No row that leaves names a GP or a patient.
 */
import type {
  DashboardComparison,
  OutcomeDashboard,
  COMPARISON_INDICATORS,
  WORK_STATUS_GROUPS,
} from '../../contract/outcomes.js';
import type { DashboardScope } from '../../domain/access/outcome-dashboards.js';
import { SMALL_CELL_THRESHOLD } from '../../domain/disclosure/small-cells.js';
import {
  AGE_GROUPS,
  ageGroup,
  EDUCATION_GROUPS,
  FUNNEL_STAGES,
  funnelCounts,
  UPTAKE_STEPS,
  type EducationGroup,
  type EquityDimension,
  type UptakeStep,
} from '../../domain/outcomes/implementation.js';
import { courseOutcome, outcomeCounts, type CourseOutcome } from '../../domain/outcomes/talking-therapies.js';
import { WORK_STATUSES } from '../../domain/instruments/wsas.js';
import { concentrationIndex } from '../../registry/stats/equity/index.js';
import { analyseFunnel, prepareFunnelPlot, type FunnelUnit } from '../../registry/stats/funnel.js';
import { suppressTable, ZERO_GROUP_BELOW } from '../../registry/stats/suppress.js';

/** What the dashboards know about one patient (never leaves the server). */
export interface OutcomePatientRow {
  /** The GP with the patient on their list today (null: on no list). */
  listGpUserId: string | null;
  practiceId: string;
  sex: 'female' | 'male';
  birthYear: number;
  education: EducationGroup | null;
  /** Work status with the latest WSAS. */
  workStatus: string | null;
  /** The GP who recommended the programme (null: not recommended). */
  recommendedBy: string | null;
  /** Each later funnel stage reached (FUNNEL_STAGES; the funnel makes them cumulative). */
  invitationUsed: boolean;
  started: boolean;
  module1Done: boolean;
  firstFollowUpHeld: boolean;
  finished: boolean;
  phq9: { first: number; last: number } | null;
  gad7: { first: number; last: number } | null;
}

export type RowFilter = { gpUserId: string } | { practiceId: string } | 'all';

type Group = OutcomeDashboard['equity'][number]['groups'][number]['group'];
type ComparisonIndicator = (typeof COMPARISON_INDICATORS)[number];

/** The funnel and outcomes count patients by the GP who recommended; uptake by the GP whose list they are on. */
function inFunnel(row: OutcomePatientRow, filter: RowFilter): boolean {
  if (!row.recommendedBy) return false;
  if (filter === 'all') return true;
  return 'gpUserId' in filter ? row.recommendedBy === filter.gpUserId : row.practiceId === filter.practiceId;
}

function inUptake(row: OutcomePatientRow, filter: RowFilter): boolean {
  if (!row.listGpUserId) return false;
  if (filter === 'all') return true;
  return 'gpUserId' in filter ? row.listGpUserId === filter.gpUserId : row.practiceId === filter.practiceId;
}

function outcomeOf(row: OutcomePatientRow): CourseOutcome | undefined {
  return courseOutcome({ phq9: row.phq9 ?? undefined, gad7: row.gad7 ?? undefined });
}

/**
 * Groups split into with / without, suppressed together as the registry report does (one table per
 * dimension and step, margins included). Returns per group: denominator, count, share or nulls.
 */
export function suppressedShares(
  rows: ReadonlyArray<{ count: number; denominator: number }>
): { count: number | null; denominator: number | null; share: number | null }[] {
  if (rows.length === 0) return [];
  const table = suppressTable(
    rows.map((r) => [r.count, r.denominator - r.count]),
    { zeroGroupBelow: ZERO_GROUP_BELOW }
  );
  return rows.map((r, i) => {
    const countHidden = table.hidden[i]![0]! || table.hidden[i]![1]!;
    const totalHidden = table.hidden[i]![2]!;
    const denominator = totalHidden ? null : r.denominator;
    return {
      count: countHidden ? null : r.count,
      denominator,
      share: countHidden || denominator === null || r.denominator === 0 ? null : r.count / r.denominator,
    };
  });
}

/**
 * The funnel's counts: each published count is 0 or at least 5, and differs from the count
 * before it that was published by 0 or at least 5, so no drop-out of 1-4 patients can be read off.
 */
export function suppressedFunnel(counts: readonly number[]): (number | null)[] {
  let lastShown: number | null = null;
  return counts.map((c) => {
    const small = c > 0 && c < SMALL_CELL_THRESHOLD;
    const drop = lastShown === null ? 0 : lastShown - c;
    const smallDrop = drop > 0 && drop < SMALL_CELL_THRESHOLD;
    if (small || smallDrop) return null;
    lastShown = c;
    return c;
  });
}

function groupOf(row: OutcomePatientRow, dimension: EquityDimension, year: number): Group | null {
  switch (dimension) {
    case 'sex':
      return row.sex;
    case 'age_group':
      return ageGroup(year - row.birthYear);
    case 'work_status':
      return (WORK_STATUSES as readonly string[]).includes(row.workStatus ?? '')
        ? (row.workStatus as Group)
        : 'unknown';
    case 'education':
      return row.education;
  }
}

const GROUPS: Record<EquityDimension, readonly Group[]> = {
  sex: ['female', 'male'],
  age_group: AGE_GROUPS,
  work_status: [...WORK_STATUSES, 'unknown'] satisfies readonly (typeof WORK_STATUS_GROUPS)[number][],
  education: EDUCATION_GROUPS,
};

function reached(row: OutcomePatientRow, step: UptakeStep): boolean {
  if (step === 'recommended') return row.recommendedBy !== null;
  if (step === 'started') return row.recommendedBy !== null && row.started;
  return row.recommendedBy !== null && row.finished;
}

function equity(rows: readonly OutcomePatientRow[], year: number): OutcomeDashboard['equity'] {
  const out: OutcomeDashboard['equity'] = [];
  for (const dimension of ['sex', 'age_group', 'work_status', 'education'] as const) {
    for (const step of UPTAKE_STEPS) {
      const cells = GROUPS[dimension].map((group) => {
        // Recommendation is of every listed patient; start and completion of those recommended.
        const base = rows.filter(
          (r) => groupOf(r, dimension, year) === group && (step === 'recommended' || r.recommendedBy !== null)
        );
        return { group, denominator: base.length, count: base.filter((r) => reached(r, step)).length };
      });
      const shown = suppressedShares(cells);
      let ci: { estimate: number; lo: number; hi: number } | null = null;
      if (dimension === 'education') {
        // Low → high education is the ranking (EDUCATION_GROUPS is ordered so). A concentration index
        // is published only when every group it rests on is published.
        const published = shown.every((s) => s.denominator !== null && s.count !== null);
        if (published) {
          try {
            const c = concentrationIndex(
              cells.map((c) => ({ n: c.denominator, sum: c.count })),
              { bounds: [0, 1] }
            ).c;
            ci = { estimate: c.estimate, lo: c.lo, hi: c.hi };
          } catch {
            ci = null; // fewer than two groups with patients, or nobody reached the step
          }
        }
      }
      out.push({
        dimension,
        step,
        groups: cells.map((c, i) => ({ group: c.group, ...shown[i]! })),
        concentrationIndex: ci,
      });
    }
  }
  return out;
}

/** One dashboard over the patients the filter selects. */
export function buildDashboard(
  allRows: readonly OutcomePatientRow[],
  filter: RowFilter,
  scope: DashboardScope,
  now: Date
): OutcomeDashboard {
  const funnelRows = allRows.filter((r) => inFunnel(r, filter));
  // funnelCounts reads dates only as "reached or not"; `now` stands in for each reached stage.
  const at = (reached: boolean) => (reached ? now : null);
  const counts = funnelCounts(
    funnelRows.map((r) => ({
      recommendedAt: now,
      invitationUsedAt: at(r.invitationUsed),
      startedAt: at(r.started),
      module1DoneAt: at(r.module1Done),
      firstFollowUpHeldAt: at(r.firstFollowUpHeld),
      finishedAt: at(r.finished),
    }))
  );
  const shownCounts = suppressedFunnel(FUNNEL_STAGES.map((s) => counts[s]));
  const funnel = FUNNEL_STAGES.map((stage, i) => {
    const count = shownCounts[i]!;
    const previous = i === 0 ? null : shownCounts[i - 1]!;
    return {
      stage,
      count,
      shareOfPrevious:
        i === 0 || count === null || previous === null || previous === 0 ? null : count / previous,
    };
  });

  const finished = funnelRows.filter((r) => r.finished);
  const rates = outcomeCounts(finished.map(outcomeOf));
  const rateCells = [
    {
      outcome: 'reliable_improvement',
      count: rates.reliableImprovement,
      denominator: rates.withPairedScores,
    },
    { outcome: 'recovery', count: rates.recovery, denominator: rates.casesAtStart },
    { outcome: 'reliable_recovery', count: rates.reliableRecovery, denominator: rates.casesAtStart },
    {
      outcome: 'reliable_deterioration',
      count: rates.reliableDeterioration,
      denominator: rates.withPairedScores,
    },
  ] as const;
  const shownRates = rateCells.map((c) => suppressedShares([c])[0]!);
  const totals = suppressedFunnel([finished.length, rates.withPairedScores, rates.casesAtStart]);

  return {
    scope,
    generatedAt: now.toISOString(),
    suppressionThreshold: SMALL_CELL_THRESHOLD,
    funnel,
    outcomes: {
      finished: totals[0]!,
      withPairedScores: totals[1]!,
      casesAtStart: totals[2]!,
      rates: rateCells.map((c, i) => ({ outcome: c.outcome, ...shownRates[i]! })),
    },
    equity: equity(
      allRows.filter((r) => inUptake(r, filter)),
      now.getUTCFullYear()
    ),
  };
}

/** Per GP (by who recommended): denominator and count of each indicator the funnel plots show. */
function gpUnits(
  rows: readonly OutcomePatientRow[],
  indicator: ComparisonIndicator
): Map<string, FunnelUnit> {
  const units = new Map<string, { n: number; observed: number }>();
  for (const r of rows) {
    if (!r.recommendedBy) continue;
    let inDenominator = false;
    let hit = false;
    if (indicator === 'started' || indicator === 'finished') {
      inDenominator = true;
      hit = indicator === 'started' ? r.started : r.finished;
    } else if (r.finished) {
      const o = outcomeOf(r);
      if (o && indicator === 'reliable_improvement') {
        inDenominator = true;
        hit = o.reliableImprovement;
      } else if (o && indicator === 'recovery' && o.casenessAtStart) {
        inDenominator = true;
        hit = o.recovery === true;
      }
    }
    if (!inDenominator) continue;
    const u = units.get(r.recommendedBy) ?? { n: 0, observed: 0 };
    u.n++;
    if (hit) u.observed++;
    units.set(r.recommendedBy, u);
  }
  return units;
}

/**
 * Funnel plots of every GP (anonymous, coarsened points) for each indicator, and the caller's own
 * figure with where it lies, when the caller is a GP (`ownGp`).
 */
export function buildComparison(
  rows: readonly OutcomePatientRow[],
  ownGp: string | null
): DashboardComparison {
  return (['started', 'finished', 'reliable_improvement', 'recovery'] as const).map((indicator) => {
    const byGp = gpUnits(rows, indicator);
    const ids = [...byGp.keys()];
    const units = ids.map((id) => byGp.get(id)!);
    let plot: DashboardComparison[number]['plot'] = null;
    let flags: { flag95: 'below' | 'inside' | 'above'; flag998: 'below' | 'inside' | 'above' } | null = null;
    if (units.length >= 2) {
      try {
        const analysis = analyseFunnel(units, { winsorise: 0.1 });
        plot = prepareFunnelPlot(units, { minPatients: 10, analysis });
        const index = ownGp ? ids.indexOf(ownGp) : -1;
        const mine = index >= 0 ? analysis.units[index] : undefined;
        if (mine) flags = { flag95: mine.flags.exact95, flag998: mine.flags.exact998 };
      } catch {
        plot = null; // e.g. every GP at 0 % or 100 %: no spread to draw
      }
    }
    let own: DashboardComparison[number]['own'] = null;
    if (ownGp) {
      const u = byGp.get(ownGp) ?? { n: 0, observed: 0 };
      const shown = suppressedShares([{ count: u.observed, denominator: u.n }])[0]!;
      // Where a hidden figure lies against the limits would hint at it: no flag without the figure.
      const flagged = shown.share === null ? null : flags;
      own = { ...shown, flag95: flagged?.flag95 ?? null, flag998: flagged?.flag998 ?? null };
    }
    return { indicator, plot, own };
  });
}

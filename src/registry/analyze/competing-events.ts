/**
 * Competing events (issue 13, item 6). Follow-up ends early at death or emigration; the main
 * analysis keeps those episodes in every denominator as "no care" after that date, which is the
 * GP-DEP definition (the share of episodes that received care within 12 months) but mixes "did not
 * get care" with "could not". This table reports the competing events themselves and the shares
 * among the episodes with full follow-up beside the main ones, so a reader sees how much the
 * choice matters.
 *
 * Disclosure: the episodes ended by a competing event are the difference between the two
 * denominators, and their events the difference between the two numerators; each of those
 * differences (and its complement) is a count, so the full-follow-up share of an indicator is
 * withheld when any of them is 1-4, and the whole sensitivity column when the ended group is.
 */
import type { Row } from '../engine/protocol.js';
import { isSmall } from '../stats/suppress.js';
import type { CellValue, PublishedTable } from './model.js';
import type { IndicatorDef } from './tables.js';

type Ended = 'full' | 'death' | 'emigration';

interface Sums {
  n: number;
  denom: number;
  events: number;
}

function sumsFor(rows: readonly Row[], ended: readonly Ended[], ind: IndicatorDef): Sums {
  const pick = rows.filter((r) => ended.includes(String(r.ended) as Ended));
  const total = (k: string) => pick.reduce((s, r) => s + Number(r[k] ?? 0), 0);
  return { n: total('n'), denom: total(ind.denom), events: total(ind.events) };
}

const share = (s: Sums): number | null => (s.denom > 0 ? (100 * s.events) / s.denom : null);

/** A count that may be published (0 or at least 5). */
const publishable = (n: number) => !isSmall(n);

export function competingEventsTable(rows: readonly Row[], inds: readonly IndicatorDef[]): PublishedTable {
  const count = (ended: Ended) =>
    rows.filter((r) => r.ended === ended).reduce((s, r) => s + Number(r.n ?? 0), 0);
  const deaths = count('death');
  const emigrations = count('emigration');
  const ended = deaths + emigrations;
  const notes: string[] = [];
  const rowsOut: CellValue[][] = inds.map((ind) => {
    const all = sumsFor(rows, ['full', 'death', 'emigration'], ind);
    const full = sumsFor(rows, ['full'], ind);
    const gone = { denom: all.denom - full.denom, events: all.events - full.events };
    const allShare = share(all);
    // The main share is Table 2's (published there with its own rules); repeated here for reading.
    const safe = publishable(gone.denom) && publishable(gone.events) && publishable(gone.denom - gone.events);
    const fullShare = safe ? share(full) : null;
    if (!safe && gone.denom > 0)
      notes.push(
        `${ind.label}: the share with full follow-up is withheld, since with the main share it would reveal a count under 5 among the episodes ended by death or emigration.`
      );
    return [
      ind.label,
      allShare,
      fullShare,
      allShare !== null && fullShare !== null ? fullShare - allShare : null,
    ];
  });
  return {
    id: 'table2b_competing_events',
    title: 'Table 2b. Competing events: follow-up ended by death or emigration',
    caption:
      'Follow-up ends at death or emigration. The main analysis keeps these episodes in the denominator as "no care" after that date (the GP-DEP definition: care within 12 months of the episode). ' +
      'Sensitivity analysis: the share among the episodes followed for the full 12 months only. ' +
      `Episodes ended by death: ${publishable(deaths) ? deaths : 'fewer than 5'}; by emigration: ${publishable(emigrations) ? emigrations : 'fewer than 5'}.`,
    columns: [
      { key: 'care', label: 'Care', kind: 'label' },
      { key: 'pct_all', label: '% of all episodes (main)', kind: 'percent' },
      { key: 'pct_full', label: '% with full follow-up', kind: 'percent' },
      { key: 'diff_pp', label: 'Difference, percentage points', kind: 'percent' },
    ],
    rows: rowsOut,
    notes: [
      ended === 0
        ? 'No episode ended early: the two columns are the same.'
        : 'A difference shows how much the deaths and emigrations lower the main share; it is not a test.',
      ...notes,
    ],
  };
}

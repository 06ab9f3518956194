/**
 * Treatment pathways: the order in which the first talking therapy (T), antidepressant (A), sick
 * leave (S) and specialist mental health care (R) came within follow-up (OHDSI TreatmentPatterns
 * with filterTreatments = "First"; TreatmentPatterns, github.com/darwin-eu/TreatmentPatterns). Events on the same day form one step
 * ("T+S"). Sequences with a count from 1 to 4 are pooled into "Other sequences", and when that pool
 * is itself from 1 to 4 the smallest published sequences join it until it is not.
 */
import type { Row } from '../engine/protocol.js';
import { SMALL_CELL_THRESHOLD, isSmall } from '../stats/suppress.js';
import type { CellValue, PublishedTable } from './model.js';

export const EVENTS = [
  { code: 'T', column: 'rt', label: 'Talking therapy' },
  { code: 'A', column: 'ra', label: 'Antidepressant' },
  { code: 'S', column: 'rs', label: 'Sick leave' },
  { code: 'R', column: 'rr', label: 'Specialist care' },
] as const;

export const OTHER = 'Other sequences';
export const NONE = '';

/** 'T+S > A > R' from the ranks of each event (null = did not occur). */
export function sequenceOf(row: Row): string {
  const steps = new Map<number, string[]>();
  for (const e of EVENTS) {
    const r = row[e.column];
    if (r === null || r === undefined) continue;
    const k = Number(r);
    steps.set(k, [...(steps.get(k) ?? []), e.code]);
  }
  return [...steps.keys()]
    .sort((a, b) => a - b)
    .map((k) => steps.get(k)!.join('+'))
    .join(' > ');
}

export function sequenceCounts(rows: readonly Row[]): Map<string, number> {
  const out = new Map<string, number>();
  for (const r of rows) {
    const s = sequenceOf(r);
    out.set(s, (out.get(s) ?? 0) + Number(r.n ?? 0));
  }
  return out;
}

export interface PathwayResult {
  total: number;
  /** Published sequences (each count ≥ threshold), largest first; OTHER last when present. */
  sequences: { sequence: string; count: number }[];
}

export function publishPathways(
  counts: Map<string, number>,
  threshold = SMALL_CELL_THRESHOLD
): PathwayResult {
  const total = [...counts.values()].reduce((s, v) => s + v, 0);
  const sorted = [...counts.entries()]
    .filter(([, n]) => n > 0)
    .sort((a, b) => b[1] - a[1] || a[0].localeCompare(b[0]));
  const kept = sorted.filter(([, n]) => !isSmall(n, threshold));
  let other = sorted.filter(([, n]) => isSmall(n, threshold)).reduce((s, [, n]) => s + n, 0);
  while (isSmall(other, threshold) && kept.length) other += kept.pop()![1];
  const sequences = kept.map(([sequence, count]) => ({ sequence, count }));
  if (other > 0) sequences.push({ sequence: OTHER, count: other });
  return {
    total: isSmall(total, threshold) ? 0 : total,
    sequences: isSmall(total, threshold) ? [] : sequences,
  };
}

export function describeSequence(sequence: string): string {
  if (sequence === NONE) return 'None of the four';
  if (sequence === OTHER) return OTHER;
  return sequence
    .split(' > ')
    .map((step) =>
      step
        .split('+')
        .map((c) => EVENTS.find((e) => e.code === c)?.label ?? c)
        .join(' + ')
    )
    .join(' → ');
}

export function pathwayTable(result: PathwayResult): PublishedTable {
  const rows: CellValue[][] = result.sequences.map((s) => [
    s.sequence === NONE ? 'none' : s.sequence,
    describeSequence(s.sequence),
    s.count,
    result.total ? (100 * s.count) / result.total : null,
  ]);
  rows.push(['All', 'All episodes', result.total || null, result.total ? 100 : null]);
  return {
    id: 'table5_pathways',
    title: 'Table 5. Pathways: order of first treatments within 12 months',
    caption:
      'Episodes by the order in which the first talking therapy (T), antidepressant dispensing (A), sick-leave period (S, ages in the sick-leave range) ' +
      'and referral to specialist mental health care (R) came within follow-up; events on the same day form one step (e.g. T+S).',
    columns: [
      { key: 'sequence', label: 'Sequence', kind: 'text' },
      { key: 'description', label: 'Pathway', kind: 'text' },
      { key: 'n', label: 'Episodes', kind: 'count' },
      { key: 'percent', label: '%', kind: 'percent' },
    ],
    rows,
    notes: [`Sequences with fewer than ${SMALL_CELL_THRESHOLD} episodes are pooled in "${OTHER}".`],
  };
}

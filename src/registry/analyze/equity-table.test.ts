/**
 * The equity table from equity_cells rows: the signs follow the gradient that was built in, need
 * adjustment removes a gradient that need explains, and thin groups are left empty with the reason.
 */
import { describe, expect, it } from 'vitest';
import type { Row } from '../engine/protocol.js';
import { EQUITY_OUTCOMES, MIN_GROUP, equityMeasures, equityTable } from './equity-table.js';

const EDU = ['low', 'medium', 'high'];

/**
 * Cells of sex × age group × education. `rate` gives the share with talking therapy; age is need.
 * `oldShare` gives the share of old persons by education (need graded by SES when it varies).
 */
function cells(
  rate: (edu: number, old: boolean) => number,
  oldShare: (edu: number) => number,
  n = 400
): Row[] {
  const rows: Row[] = [];
  for (const sex of ['F', 'M'])
    EDU.forEach((edu, e) => {
      for (const old of [false, true]) {
        const persons = Math.round(n * (old ? oldShare(e) : 1 - oldShare(e)));
        const events = Math.round(persons * rate(e, old));
        rows.push({
          sex,
          age_group: old ? '60-69' : '30-39',
          edu_group: edu,
          income_decile: e * 3 + 1,
          immigrant: 'norway_or_other',
          centrality_group: 'central',
          n: persons,
          tt_events: events,
          ad_denom: persons,
          ad_events: events,
          ref_events: events,
          sl_denom: persons,
          sl_events: events,
        });
      }
    });
  return rows;
}

const tt = EQUITY_OUTCOMES.find((o) => o.key === 'tt')!;
const education = {
  key: 'education',
  label: 'Education',
  group: (r: Row) => EDU.indexOf(String(r.edu_group)),
  groups: 3,
};

describe('equity table', () => {
  it('finds more care among the better-off when it was built in', () => {
    const m = equityMeasures(
      cells(
        (e) => 0.2 + 0.1 * e,
        () => 0.3
      ),
      tt,
      education,
      'all'
    );
    if ('reason' in m) throw new Error(m.reason);
    expect(m.c.estimate).toBeGreaterThan(0);
    expect(m.c.lo).toBeGreaterThan(0);
    expect(m.sii.estimate).toBeGreaterThan(0);
    expect(m.rii!.estimate).toBeGreaterThan(1);
    expect(m.erreygers!.estimate).toBeCloseTo(4 * m.c.estimate * (m.percent / 100), 10);
  });

  it('need standardisation removes a gradient that need explains', () => {
    // Care depends on age only; the old are concentrated among the low-educated.
    const m = equityMeasures(
      cells(
        (_, old) => (old ? 0.5 : 0.2),
        (e) => [0.6, 0.3, 0.1][e]!
      ),
      tt,
      education,
      'all'
    );
    if ('reason' in m) throw new Error(m.reason);
    expect(m.c.estimate).toBeLessThan(-0.05); // unadjusted: more care among the worse-off
    expect(Math.abs(m.hi.estimate)).toBeLessThan(0.01); // need-standardised: none left
    expect(Math.abs(m.siiAdjusted.estimate)).toBeLessThan(0.01);
  });

  it('leaves a row empty, with the reason, when a group is thin', () => {
    const m = equityMeasures(
      cells(
        () => 0.3,
        () => 0.3,
        MIN_GROUP / 4
      ),
      tt,
      education,
      'F'
    );
    expect(m).toEqual({ reason: `a group has fewer than ${MIN_GROUP} episodes` });
    const table = equityTable(
      cells(
        () => 0.3,
        () => 0.3,
        MIN_GROUP / 4
      )
    );
    expect(table.rows).toHaveLength(4 * 2 * 3);
    expect(table.rows.every((r) => r.slice(3).every((v) => v === null))).toBe(true);
    expect(table.notes.some((n) => n.includes('not estimated'))).toBe(true);
  });
});

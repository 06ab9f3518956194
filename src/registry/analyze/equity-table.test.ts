/**
 * The equity table from equity_cells rows: the signs follow the gradient that was built in, need
 * adjustment removes a gradient that need explains, and thin groups are left empty with the reason.
 */
import { describe, expect, it } from 'vitest';
import { ZERO_GROUP_BELOW } from '../stats/suppress.js';
import type { Row } from '../engine/protocol.js';
import {
  EDUCATION,
  EQUITY_OUTCOMES,
  MIN_GROUP,
  equityMeasures,
  equityTable,
  publishableSexRows,
} from './equity-table.js';

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

  it('leaves a row empty when a small group had the care to a person (zero-group rule)', () => {
    // Women, 30 per education group (above MIN_GROUP, below ZERO_GROUP_BELOW): everyone with high
    // education had talking therapy, which would be said of each of the 30.
    const m = equityMeasures(
      cells(
        (e) => (e === 2 ? 1 : 0.3),
        () => 0.3,
        30
      ),
      tt,
      education,
      'F'
    );
    expect(m).toEqual({
      reason: `a group of fewer than ${ZERO_GROUP_BELOW} episodes where all or none had the care`,
    });
  });

  describe('a share over the known positions never gives away the group with it unknown', () => {
    /** The fixture plus, per sex, episodes with education unknown: [with the care, without]. */
    const withUnknown = (women: [number, number], men: [number, number]): Row[] => {
      const rows = cells(
        () => 0.3,
        () => 0.3
      );
      for (const [sex, [y, notY]] of [
        ['F', women],
        ['M', men],
      ] as const)
        rows.push({
          sex,
          age_group: '30-39',
          edu_group: null,
          income_decile: null,
          immigrant: 'norway_or_other',
          centrality_group: 'central',
          n: y + notY,
          tt_events: y,
          ad_denom: y + notY,
          ad_events: y,
          ref_events: y,
          sl_denom: y + notY,
          sl_events: y,
        });
      return rows;
    };

    it('publishes every row when each unknown group is empty or at least 5 each way', () => {
      expect(publishableSexRows(withUnknown([0, 0], [0, 0]), tt, EDUCATION, false)).toEqual({
        F: true,
        M: true,
        all: true,
      });
      expect(publishableSexRows(withUnknown([5, 9], [6, 5]), tt, EDUCATION, false)).toEqual({
        F: true,
        M: true,
        all: true,
      });
    });

    it('withholds both sexes when one is small and "Both" is published (Both − Women = Men)', () => {
      // Two men unknown, neither with talking therapy (the leak the review found): women 7 + 8.
      // Both: 7 with, 10 without, safe on its own; Men alone: 0 with and 2 without, small.
      expect(publishableSexRows(withUnknown([7, 8], [0, 2]), tt, EDUCATION, false)).toEqual({
        F: false,
        M: false,
        all: true,
      });
    });

    it('withholds a row whose unknown group has 1-4 with or without the care', () => {
      // Women: 3 with (small). Men: 20 with, 2 without (small). Both: 23 with, 12 without: safe.
      expect(publishableSexRows(withUnknown([3, 10], [20, 2]), tt, EDUCATION, false)).toEqual({
        F: false,
        M: false,
        all: true,
      });
      // Both small as well: nothing is published.
      expect(publishableSexRows(withUnknown([1, 1], [1, 0]), tt, EDUCATION, false)).toEqual({
        F: false,
        M: false,
        all: false,
      });
    });

    it('withholds a row whose small unknown group had the care to a person, or none of it', () => {
      // Women: 30 unknown, none with talking therapy (a zero group under 50). Men: 10 and 10.
      // Both: 10 with, 40 without: safe; but Both − Men = Women, so the men's row goes too.
      expect(publishableSexRows(withUnknown([0, 30], [10, 10]), tt, EDUCATION, false)).toEqual({
        F: false,
        M: false,
        all: true,
      });
    });

    it('withholds the block when Table 2 hides the unknown group, whatever its size', () => {
      expect(publishableSexRows(withUnknown([50, 50], [50, 50]), tt, EDUCATION, true)).toEqual({
        F: false,
        M: false,
        all: false,
      });
    });

    it('the table says why a row is empty', () => {
      const table = equityTable(withUnknown([7, 8], [0, 2]));
      const women = table.rows.find(
        (r) => r[0] === 'Talking therapy' && r[1] === 'Education' && r[2] === 'Women'
      )!;
      expect(women.slice(3).every((v) => v === null)).toBe(true);
      expect(table.notes.some((n) => n.includes('would reveal a small group'))).toBe(true);
    });
  });
});

import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { suppressSmallCells, suppressTotal } from './small-cells.js';

describe('small-cell suppression', () => {
  it('never publishes a count from 1 to 4', () => {
    fc.assert(
      fc.property(fc.array(fc.nat({ max: 40 }), { minLength: 1, maxLength: 8 }), (counts) => {
        const out = suppressSmallCells(counts.map((count, key) => ({ key, count })));
        for (const cell of out)
          if (cell.count !== null) expect(cell.count === 0 || cell.count >= 5).toBe(true);
      })
    );
  });

  it('hides a second cell when only one is hidden, so the total cannot reveal it', () => {
    fc.assert(
      fc.property(fc.array(fc.nat({ max: 40 }), { minLength: 2, maxLength: 8 }), (counts) => {
        const out = suppressSmallCells(counts.map((count, key) => ({ key, count })));
        const hidden = out.filter((c) => c.count === null).length;
        const nonZeroVisible = out.filter((c) => c.count !== null && c.count > 0).length;
        if (hidden > 0) expect(hidden >= 2 || nonZeroVisible === 0).toBe(true);
      })
    );
  });

  it('keeps zeros and large counts as they are', () => {
    expect(
      suppressSmallCells([
        { key: 'a', count: 0 },
        { key: 'b', count: 12 },
        { key: 'c', count: 7 },
      ])
    ).toEqual([
      { key: 'a', count: 0 },
      { key: 'b', count: 12 },
      { key: 'c', count: 7 },
    ]);
    expect(
      suppressSmallCells([
        { key: 'a', count: 3 },
        { key: 'b', count: 12 },
        { key: 'c', count: 7 },
      ])
    ).toEqual([
      { key: 'a', count: null },
      { key: 'b', count: 12 },
      { key: 'c', count: null },
    ]);
    expect([0, 1, 4, 5].map((n) => suppressTotal(n))).toEqual([0, null, null, 5]);
  });
});

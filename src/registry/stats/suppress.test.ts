import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import {
  SMALL_CELL_THRESHOLD,
  ZERO_GROUP_BELOW,
  bridges,
  suppressLinked,
  suppressTable,
  withMargins,
  type SuppressedTable,
} from './suppress.js';

/**
 * Independent check by linear algebra: a hidden cell can be recovered exactly iff its unit vector
 * lies in the row space of the table's equations restricted to the hidden cells.
 */
function recoverableCells(t: SuppressedTable): Array<[number, number]> {
  const rows = t.values.length;
  const cols = t.values[0]!.length;
  const unknown: Array<[number, number]> = [];
  t.hidden.forEach((r, i) => r.forEach((h, j) => h && unknown.push([i, j])));
  const index = new Map(unknown.map(([i, j], k) => [`${i},${j}`, k]));
  const eqs: number[][] = [];
  // Row i: Σ_j<cols-1 x_ij - x_i,last = 0 ; column j likewise.
  for (let i = 0; i < rows; i++) {
    const eq = new Array<number>(unknown.length).fill(0);
    for (let j = 0; j < cols; j++) {
      const k = index.get(`${i},${j}`);
      if (k !== undefined) eq[k]! += j === cols - 1 ? -1 : 1;
    }
    eqs.push(eq);
  }
  for (let j = 0; j < cols; j++) {
    const eq = new Array<number>(unknown.length).fill(0);
    for (let i = 0; i < rows; i++) {
      const k = index.get(`${i},${j}`);
      if (k !== undefined) eq[k]! += i === rows - 1 ? -1 : 1;
    }
    eqs.push(eq);
  }
  const rank = (m: number[][]) => {
    const a = m.map((r) => [...r]);
    let r = 0;
    const n = a[0]?.length ?? 0;
    for (let c = 0; c < n && r < a.length; c++) {
      let p = r;
      for (let i = r + 1; i < a.length; i++) if (Math.abs(a[i]![c]!) > Math.abs(a[p]![c]!)) p = i;
      if (Math.abs(a[p]![c]!) < 1e-9) continue;
      [a[r], a[p]] = [a[p]!, a[r]!];
      for (let i = 0; i < a.length; i++) {
        if (i === r) continue;
        const f = a[i]![c]! / a[r]![c]!;
        if (f !== 0) for (let k = c; k < n; k++) a[i]![k]! -= f * a[r]![k]!;
      }
      r++;
    }
    return r;
  };
  if (unknown.length === 0) return [];
  const base = rank(eqs);
  return unknown.filter((_, k) => {
    const e = new Array<number>(unknown.length).fill(0);
    e[k] = 1;
    return rank([...eqs, e]) === base;
  });
}

function publishedSmall(t: SuppressedTable): number {
  let n = 0;
  t.values.forEach((r, i) =>
    r.forEach((v, j) => !t.hidden[i]![j] && v > 0 && v < SMALL_CELL_THRESHOLD && n++)
  );
  return n;
}

const table = fc
  .record({ r: fc.integer({ min: 1, max: 6 }), c: fc.integer({ min: 1, max: 5 }) })
  .chain(({ r, c }) =>
    fc.array(
      fc.array(fc.oneof(fc.integer({ min: 0, max: 6 }), fc.integer({ min: 0, max: 60 })), {
        minLength: c,
        maxLength: c,
      }),
      {
        minLength: r,
        maxLength: r,
      }
    )
  );

describe('two-way suppression with margins', () => {
  it('hides a small cell and the complementary cells of its row and column', () => {
    const t = suppressTable([
      [3, 40],
      [20, 50],
      [30, 60],
    ]);
    expect(t.hidden[0]![0]).toBe(true);
    expect(t.hidden[0]![1]).toBe(true); // row partner
    expect(t.hidden[1]![0]).toBe(true); // column partner: the smallest in the column
    expect(t.hidden[1]![1]).toBe(true); // closes the rectangle
    expect(t.hidden[2]![0]).toBe(false);
    expect(recoverableCells(t)).toEqual([]);
  });

  it('finds bridges', () => {
    // Two triangles... in a bipartite graph: two 4-cycles joined by one edge.
    const edges: Array<[number, number]> = [
      [0, 4],
      [0, 5],
      [1, 4],
      [1, 5],
      [2, 6],
      [2, 7],
      [3, 6],
      [3, 7],
      [1, 6],
    ];
    expect(bridges(8, edges)).toEqual([8]);
  });

  it('property: no published count from 1 to 4, and no hidden cell can be recovered from the published cells', () => {
    fc.assert(
      fc.property(table, (cells) => {
        const t = suppressTable(cells);
        expect(publishedSmall(t)).toBe(0);
        expect(recoverableCells(t)).toEqual([]);
        // Nothing published is changed.
        expect(t.values).toEqual(withMargins(cells));
      }),
      { numRuns: 400 }
    );
  });

  it('property: linked tables hide the same row totals and each is safe', () => {
    fc.assert(
      fc.property(
        fc.array(fc.record({ n: fc.integer({ min: 0, max: 40 }), a: fc.nat(), b: fc.nat() }), {
          minLength: 1,
          maxLength: 6,
        }),
        (spec) => {
          // Two indicators over the same denominators n_i: events a_i ≤ n_i and b_i ≤ n_i.
          const t1 = spec.map((s) => {
            const e = s.n ? s.a % (s.n + 1) : 0;
            return [e, s.n - e];
          });
          const t2 = spec.map((s) => {
            const e = s.n ? s.b % (s.n + 1) : 0;
            return [e, s.n - e];
          });
          const [r1, r2] = suppressLinked([t1, t2]);
          for (const r of [r1!, r2!]) {
            expect(publishedSmall(r)).toBe(0);
            expect(recoverableCells(r)).toEqual([]);
          }
          const last = 2;
          expect(r1!.hidden.map((row) => row[last])).toEqual(r2!.hidden.map((row) => row[last]));
        }
      ),
      { numRuns: 300 }
    );
  });
});

describe('zero groups (group attribute disclosure)', () => {
  // Rows are education groups, columns with / without care. "Missing" has 42 episodes and none
  // without care: publishing that says every one of the 42 had care.
  const cells = [
    [300, 200],
    [250, 150],
    [42, 0],
  ];

  it('hides a zero in a group below ZERO_GROUP_BELOW, and enough around it that it cannot be worked out', () => {
    const t = suppressTable(cells, { zeroGroupBelow: ZERO_GROUP_BELOW });
    expect(t.hidden[2]![1]).toBe(true);
    // Its row partner goes too (no line with one hidden cell), so the row total 42 does not give it away.
    expect(t.hidden[2]![0]).toBe(true);
    expect(recoverableCells(t)).toEqual([]);
  });

  it('keeps zeros of larger groups, and every zero when the table is not split by an outcome', () => {
    const big = suppressTable(
      [
        [300, 200],
        [60, 0],
      ],
      { zeroGroupBelow: ZERO_GROUP_BELOW }
    );
    expect(big.hidden.flat().some(Boolean)).toBe(false);
    expect(suppressTable(cells).hidden.flat().some(Boolean)).toBe(false);
  });

  it('never leaves a small-group zero recoverable (random tables)', () => {
    fc.assert(
      fc.property(
        fc.array(fc.array(fc.integer({ min: 0, max: 80 }), { minLength: 2, maxLength: 2 }), {
          minLength: 2,
          maxLength: 6,
        }),
        (rows) => {
          const t = suppressTable(rows, { zeroGroupBelow: ZERO_GROUP_BELOW });
          const recoverable = new Set(recoverableCells(t).map(([i, j]) => `${i},${j}`));
          rows.forEach((row, i) => {
            const total = row[0]! + row[1]!;
            row.forEach((v, j) => {
              if (v === 0 && total > 0 && total < ZERO_GROUP_BELOW) {
                expect(t.hidden[i]![j]).toBe(true);
                expect(recoverable.has(`${i},${j}`)).toBe(false);
              }
            });
          });
        }
      )
    );
  });
});

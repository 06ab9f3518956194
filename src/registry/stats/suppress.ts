/**
 * Disclosure control for two-way tables with published margins.
 *
 * A table is taken with all its margins, as an (R+1)×(C+1) array: interior cells, row totals in the
 * last column, column totals in the last row, the grand total in the corner. Every cell counts as
 * published unless suppressed — also cells the report does not print (such as "without the
 * outcome" when events and n are printed), which only makes the protection conservative.
 *
 * 1. Primary suppression: every count from 1 to threshold-1 (SMALL_CELL_THRESHOLD, 5) is hidden;
 *    and, in a table whose rows are groups split into with / without an outcome, a zero in a row
 *    whose total is below `zeroGroupBelow` (ZERO_GROUP_BELOW), since "0 of 42 had any care" tells
 *    something about every one of the 42 (group attribute disclosure).
 *    Its complement is then hidden by 2a like any other.
 * 2. Secondary suppression, repeated until nothing changes:
 *    a. every row and column (margins included) has no hidden cell or at least two;
 *    b. no hidden cell is a bridge of the graph whose nodes are the table's rows and columns (its
 *       equations) and whose edges are the hidden cells.
 * The additive equations of a table are a balanced signed graph, so a hidden cell's value is
 * determined by the published cells exactly when it is a bridge (it lies on no cycle of hidden
 * cells); 2b makes every hidden cell lie on a cycle, so none can be recovered from the margins.
 * (suppress.test.ts checks this against linear algebra on random tables.)
 * Complementary cells are chosen cheapest first: non-zero before zero, interior before margin,
 * cells marked `avoid` last, smaller values first.
 */
import { SMALL_CELL_THRESHOLD } from '../../domain/disclosure/small-cells.js';

export { SMALL_CELL_THRESHOLD };

/**
 * A group smaller than this in which everyone or no one had the outcome is not published: the zero
 * says the same about each member. Larger groups keep their zeros (ten times the small-cell
 * threshold: "none of 50" no longer singles out a handful of people one could know).
 */
export const ZERO_GROUP_BELOW = 10 * SMALL_CELL_THRESHOLD;

export interface SuppressOptions {
  threshold?: number;
  /** Rows are groups: hide a zero interior cell of a row whose total is from 1 to this minus 1. */
  zeroGroupBelow?: number;
  /** Cells (augmented coordinates) that must be hidden, e.g. because a linked table hides them. */
  preSuppressed?: ReadonlyArray<readonly [number, number]>;
  /** Cells (augmented coordinates) to pick as complementary cells only when nothing else will do. */
  avoid?: (row: number, col: number) => boolean;
}

export interface SuppressedTable {
  /** The table with margins: (R+1)×(C+1). */
  values: number[][];
  hidden: boolean[][];
}

/** Adds row totals, column totals and the grand total. */
export function withMargins(cells: readonly (readonly number[])[]): number[][] {
  const r = cells.length;
  const c = cells[0]?.length ?? 0;
  const out = cells.map((row) => [...row, row.reduce((s, v) => s + v, 0)]);
  const totals = new Array<number>(c + 1).fill(0);
  for (const row of out) row.forEach((v, j) => (totals[j]! += v));
  out.push(totals);
  if (out.length !== r + 1) throw new Error('unreachable');
  return out;
}

export function isSmall(value: number, threshold = SMALL_CELL_THRESHOLD): boolean {
  return value > 0 && value < threshold;
}

/** Bridges of a multigraph given as edges between numbered nodes; returns edge indices. */
export function bridges(nodeCount: number, edges: ReadonlyArray<readonly [number, number]>): number[] {
  const adj: { to: number; edge: number }[][] = Array.from({ length: nodeCount }, () => []);
  edges.forEach(([a, b], i) => {
    adj[a]!.push({ to: b, edge: i });
    adj[b]!.push({ to: a, edge: i });
  });
  const disc = new Array<number>(nodeCount).fill(-1);
  const low = new Array<number>(nodeCount).fill(0);
  const out: number[] = [];
  let time = 0;
  for (let start = 0; start < nodeCount; start++) {
    if (disc[start] !== -1) continue;
    // Iterative DFS (tables can be a few hundred lines).
    const stack: { node: number; parentEdge: number; next: number }[] = [
      { node: start, parentEdge: -1, next: 0 },
    ];
    disc[start] = low[start] = time++;
    while (stack.length) {
      const top = stack[stack.length - 1]!;
      const list = adj[top.node]!;
      if (top.next < list.length) {
        const { to, edge } = list[top.next++]!;
        if (edge === top.parentEdge) continue;
        if (disc[to] === -1) {
          disc[to] = low[to] = time++;
          stack.push({ node: to, parentEdge: edge, next: 0 });
        } else low[top.node] = Math.min(low[top.node]!, disc[to]!);
      } else {
        stack.pop();
        const parent = stack[stack.length - 1];
        if (parent) {
          low[parent.node] = Math.min(low[parent.node]!, low[top.node]!);
          if (low[top.node]! > disc[parent.node]!) out.push(top.parentEdge);
        }
      }
    }
  }
  return out;
}

/** Suppresses a table given with its margins (see withMargins). */
export function suppressWithMargins(values: number[][], options: SuppressOptions = {}): SuppressedTable {
  const threshold = options.threshold ?? SMALL_CELL_THRESHOLD;
  const rows = values.length;
  const cols = values[0]?.length ?? 0;
  const hidden = values.map((row) => row.map((v) => isSmall(v, threshold)));
  if (options.zeroGroupBelow !== undefined)
    for (let i = 0; i < rows - 1; i++) {
      const total = values[i]![cols - 1]!;
      if (total > 0 && total < options.zeroGroupBelow)
        for (let j = 0; j < cols - 1; j++) if (values[i]![j] === 0) hidden[i]![j] = true;
    }
  for (const [i, j] of options.preSuppressed ?? []) if (hidden[i]?.[j] !== undefined) hidden[i][j] = true;
  const isMargin = (i: number, j: number) => i === rows - 1 || j === cols - 1;
  const cost = (i: number, j: number) => {
    const v = values[i]![j]!;
    return (options.avoid?.(i, j) ? 4e15 : 0) + (v === 0 ? 2e15 : 0) + (isMargin(i, j) ? 1e15 : 0) + v;
  };
  const cheapest = (candidates: Array<[number, number]>): [number, number] | null => {
    let best: [number, number] | null = null;
    let bestCost = Infinity;
    for (const [i, j] of candidates) {
      if (hidden[i]![j]) continue;
      const c = cost(i, j);
      if (c < bestCost) {
        bestCost = c;
        best = [i, j];
      }
    }
    return best;
  };
  const hide = (cell: [number, number] | null) => {
    if (!cell) return false;
    hidden[cell[0]]![cell[1]] = true;
    return true;
  };

  for (let guard = 0; guard < rows * cols + 2; guard++) {
    let changed = false;
    // (a) no line with exactly one hidden cell.
    for (let i = 0; i < rows; i++) {
      const line = hidden[i]!.filter(Boolean).length;
      if (line === 1)
        changed =
          hide(cheapest(Array.from({ length: cols }, (_, j) => [i, j] as [number, number]))) || changed;
    }
    for (let j = 0; j < cols; j++) {
      const line = hidden.filter((row) => row[j]).length;
      if (line === 1)
        changed =
          hide(cheapest(Array.from({ length: rows }, (_, i) => [i, j] as [number, number]))) || changed;
    }
    if (changed) continue;
    // (b) no hidden cell is a bridge: add a cell that closes a cycle through it.
    const edges: Array<[number, number]> = [];
    const cells: Array<[number, number]> = [];
    for (let i = 0; i < rows; i++)
      for (let j = 0; j < cols; j++)
        if (hidden[i]![j]) {
          edges.push([i, rows + j]);
          cells.push([i, j]);
        }
    const found = bridges(rows + cols, edges);
    if (found.length === 0) break;
    const [bi, bj] = cells[found[0]!]!;
    // The side of the row node without the bridge.
    const side = new Set<number>([bi]);
    const queue = [bi];
    while (queue.length) {
      const node = queue.pop()!;
      edges.forEach(([a, b], e) => {
        if (e === found[0]) return;
        const other = a === node ? b : b === node ? a : -1;
        if (other >= 0 && !side.has(other)) {
          side.add(other);
          queue.push(other);
        }
      });
    }
    const candidates: Array<[number, number]> = [];
    for (let i = 0; i < rows; i++)
      for (let j = 0; j < cols; j++) if (side.has(i) !== side.has(rows + j)) candidates.push([i, j]);
    if (!hide(cheapest(candidates))) break; // cannot happen: the bridge's own row/column pair qualifies
    void bj;
  }
  return { values, hidden };
}

/** Suppresses an R×C table of counts; returns it with margins. */
export function suppressTable(
  cells: readonly (readonly number[])[],
  options: SuppressOptions = {}
): SuppressedTable {
  return suppressWithMargins(withMargins(cells), options);
}

/** A table with margins whose cells may be linked to cells of other tables by a shared key. */
export interface LinkedTable {
  values: number[][];
  /** A key for cells that other tables publish too (same number), else null. */
  keyOf?: (row: number, col: number) => string | null;
  /** Rows are groups split by an outcome: see SuppressOptions.zeroGroupBelow. */
  zeroGroupBelow?: number;
}

/**
 * Suppression across tables that publish some of the same numbers (the same denominators by
 * level in one table per indicator; the same indicator totals in one table per covariate): a
 * linked cell hidden in one table is hidden in all, repeated until stable, so a number published
 * in one table cannot undo the protection in another. Linked cells are avoided as complementary cells.
 */
export function suppressMany(
  tables: readonly LinkedTable[],
  options: { threshold?: number } = {}
): SuppressedTable[] {
  const hiddenKeys = new Set<string>();
  const cellCount = tables.reduce((s, t) => s + t.values.length * (t.values[0]?.length ?? 0), 0);
  for (let guard = 0; guard <= cellCount + 1; guard++) {
    const results = tables.map((t) => {
      const pre: Array<[number, number]> = [];
      if (t.keyOf)
        t.values.forEach((row, i) =>
          row.forEach((_, j) => {
            const key = t.keyOf!(i, j);
            if (key !== null && hiddenKeys.has(key)) pre.push([i, j]);
          })
        );
      return suppressWithMargins(t.values, {
        threshold: options.threshold,
        zeroGroupBelow: t.zeroGroupBelow,
        preSuppressed: pre,
        avoid: t.keyOf ? (i, j) => t.keyOf!(i, j) !== null : undefined,
      });
    });
    let changed = false;
    results.forEach((r, k) => {
      const keyOf = tables[k]!.keyOf;
      if (!keyOf) return;
      r.hidden.forEach((row, i) =>
        row.forEach((h, j) => {
          const key = keyOf(i, j);
          if (h && key !== null && !hiddenKeys.has(key)) {
            hiddenKeys.add(key);
            changed = true;
          }
        })
      );
    });
    if (!changed) return results;
  }
  throw new Error('Linked suppression did not settle');
}

/** Tables (without margins) over the same row totals: the row totals are linked. */
export function suppressLinked(
  tables: ReadonlyArray<readonly (readonly number[])[]>,
  options: { threshold?: number } = {}
): SuppressedTable[] {
  return suppressMany(
    tables.map((t) => {
      const values = withMargins(t);
      const last = (values[0]?.length ?? 1) - 1;
      return { values, keyOf: (i: number, j: number) => (j === last ? `row${i}` : null) };
    }),
    options
  );
}

/**
 * Small-cell suppression for every table that leaves to a researcher: no published count from 1
 * to 4 (a zero is safe), and when exactly one cell of a margin is suppressed, the next smallest
 * is suppressed too, so the hidden one cannot be recovered from the total (secondary suppression).
 */
export const SMALL_CELL_THRESHOLD = 5;

export interface SuppressedCell<K> {
  key: K;
  /** null: suppressed. */
  count: number | null;
}

export function suppressSmallCells<K>(
  cells: ReadonlyArray<{ key: K; count: number }>,
  threshold = SMALL_CELL_THRESHOLD
): SuppressedCell<K>[] {
  const hidden = new Set<number>();
  cells.forEach((cell, index) => {
    if (cell.count > 0 && cell.count < threshold) hidden.add(index);
  });
  if (hidden.size === 1) {
    // The total is published (or derivable), so one hidden cell alone could be recovered.
    let next = -1;
    cells.forEach((cell, index) => {
      if (hidden.has(index) || cell.count === 0) return;
      if (next === -1 || cell.count < (cells[next]?.count ?? Infinity)) next = index;
    });
    if (next !== -1) hidden.add(next);
  }
  return cells.map((cell, index) => ({ key: cell.key, count: hidden.has(index) ? null : cell.count }));
}

/** A single published total: hidden when from 1 to 4. */
export function suppressTotal(count: number, threshold = SMALL_CELL_THRESHOLD): number | null {
  return count > 0 && count < threshold ? null : count;
}

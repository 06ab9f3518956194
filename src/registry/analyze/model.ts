/**
 * What leaves the analysis layer: tables after disclosure control. The HTML report, the CSV files
 * and results.json are all rendered from these, and only from these.
 */
import { SMALL_CELL_THRESHOLD } from '../stats/suppress.js';

export type ColumnKind = 'label' | 'count' | 'percent' | 'mean' | 'ratio' | 'text';

export interface Column {
  key: string;
  label: string;
  kind: ColumnKind;
}

/** null = suppressed (disclosure control) or not estimable; see `notes`. */
export type CellValue = string | number | null;

export interface PublishedTable {
  id: string;
  title: string;
  caption: string;
  columns: Column[];
  rows: CellValue[][];
  notes: string[];
}

export const SUPPRESSED_MARK = ':';

/** Throws if a count column holds a value from 1 to threshold-1 (the last line of defence). */
export function assertNoSmallCells(table: PublishedTable, threshold = SMALL_CELL_THRESHOLD): void {
  table.columns.forEach((col, j) => {
    if (col.kind !== 'count') return;
    for (const row of table.rows) {
      const v = row[j];
      if (typeof v === 'number' && v > 0 && v < threshold)
        throw new Error(`Disclosure control failed: table ${table.id} column ${col.key} has a count of ${v}`);
    }
  });
}

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

/**
 * A number for a text cell: fixed digits, a true minus sign (which also keeps spreadsheet programs
 * from reading a CSV cell as a formula), and no "−0.000" for a value that rounds to zero.
 */
export function formatNumber(value: number, digits: number): string {
  const text = value.toFixed(digits);
  return /^-0(\.0+)?$/.test(text) ? text.slice(1) : text.replace('-', '\u2212');
}

/** The digits the report prints for each kind of number (html.ts formats with these). */
export const PRINTED_DIGITS: Partial<Record<ColumnKind, number>> = { percent: 1, mean: 1, ratio: 2 };

/** A number as the report prints it, so a file never carries more than the page shows. */
export function roundAsPrinted(value: number, kind: ColumnKind): number {
  const digits = PRINTED_DIGITS[kind];
  if (digits === undefined || Number.isInteger(value)) return value;
  return Number(value.toFixed(digits));
}

/**
 * The table as it may leave the analysis (issue 13, item 1): every share rounded to the digits the
 * report prints. Extra digits in a CSV or results.json are not harmless: an exact share set against
 * a published total gives back the count it was computed from, suppressed or not. Ratios and means
 * keep their digits: those computed from a hidden count are hidden, and pooling them (meta-analysis
 * of relative risks) needs more than the two the page shows.
 */
export function roundedForPublication(table: PublishedTable): PublishedTable {
  return {
    ...table,
    rows: table.rows.map((row) =>
      row.map((value, j) =>
        typeof value === 'number' && table.columns[j]!.kind === 'percent'
          ? roundAsPrinted(value, 'percent')
          : value
      )
    ),
  };
}

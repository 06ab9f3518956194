/**
 * Query results as columns, for the trip from the DuckDB worker to its caller (protocol.ts), and
 * for the caller's statistics on large results.
 *
 * Why not rows: the national indicator_patterns has ~225,000 rows of 24 columns. As row objects
 * they cost seconds to build in the worker, seconds more to structured-clone across the process
 * boundary (serialised on one side, rebuilt on the other), and again to read. As columns, a number
 * column is one Float64Array (cloned as one copy) and any other column is dictionary-coded: its
 * distinct values once and an Int32Array of codes (the covariate columns have a few values each).
 */
export type Cell = string | number | boolean | null;

/** One result row: column name → value. */
export type Row = Record<string, Cell>;

export type WireColumn =
  /** Numbers; `nulls[i] === 1` where the value is NULL (null when there is none). */
  | { kind: 'number'; values: Float64Array; nulls: Uint8Array | null }
  /** Any other values: row i holds dict[codes[i]]. */
  | { kind: 'coded'; dict: Cell[]; codes: Int32Array };

export interface WireTable {
  names: string[];
  length: number;
  columns: WireColumn[];
}

/**
 * A result as one array per column, in column order: a Float64Array for a number column without
 * NULL, else the plain values. Row i is { [names[j]]: columns[names[j]][i] }.
 */
export interface Columns {
  names: string[];
  length: number;
  columns: Record<string, ArrayLike<Cell>>;
}

/** Dictionary-codes a column of values (strings, booleans, nulls, mixed). */
export function codeColumn(values: ArrayLike<Cell>): WireColumn {
  const index = new Map<Cell, number>();
  const dict: Cell[] = [];
  const codes = new Int32Array(values.length);
  for (let i = 0; i < values.length; i++) {
    const v = values[i]!;
    let k = index.get(v);
    if (k === undefined) {
      k = dict.length;
      index.set(v, k);
      dict.push(v);
    }
    codes[i] = k;
  }
  return { kind: 'coded', dict, codes };
}

function plainValues(column: WireColumn, length: number): ArrayLike<Cell> {
  if (column.kind === 'number' && !column.nulls) return column.values;
  const out = new Array<Cell>(length);
  if (column.kind === 'coded') for (let i = 0; i < length; i++) out[i] = column.dict[column.codes[i]!]!;
  else for (let i = 0; i < length; i++) out[i] = column.nulls![i] ? null : column.values[i]!;
  return out;
}

export function wireToColumns(table: WireTable): Columns {
  const columns: Record<string, ArrayLike<Cell>> = {};
  table.names.forEach((name, j) => (columns[name] = plainValues(table.columns[j]!, table.length)));
  return { names: table.names, length: table.length, columns };
}

/** The table as one plain array per column (what the mixed-model design reads). */
export function wireColumns(table: WireTable): Record<string, Cell[]> {
  const out: Record<string, Cell[]> = {};
  table.names.forEach((name, j) => (out[name] = Array.from(plainValues(table.columns[j]!, table.length))));
  return out;
}

/** Row objects, keys in column order (what DuckDB's getRowObjectsJS gives). */
export function columnsToRows(data: Columns): Row[] {
  const rows = new Array<Row>(data.length);
  const values = data.names.map((n) => data.columns[n]!);
  for (let i = 0; i < data.length; i++) {
    const row: Row = {};
    for (let j = 0; j < values.length; j++) row[data.names[j]!] = values[j]![i]!;
    rows[i] = row;
  }
  return rows;
}

export function wireRows(table: WireTable): Row[] {
  return columnsToRows(wireToColumns(table));
}

/** Row objects as columns (plain arrays), the names those of the first row. */
export function rowsToColumns(rows: readonly Row[]): Columns {
  const names = rows.length ? Object.keys(rows[0]!) : [];
  const columns: Record<string, Cell[]> = {};
  for (const name of names) columns[name] = rows.map((r) => r[name] ?? null);
  return { names, length: rows.length, columns };
}

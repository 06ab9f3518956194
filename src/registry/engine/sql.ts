/**
 * The few SQL helpers ("macros") the analyses use, kept in one place so the analyses stay portable
 * (ANSI SQL: CTEs, window functions, CASE, CAST, EXTRACT, INTERVAL arithmetic). Everything that is
 * not ANSI is here, with the engines it is known to work on:
 * - daysBetween: date_diff('day', a, b) exists with this signature in DuckDB and Trino.
 * - LEAST/GREATEST: DuckDB ignores NULL arguments, Trino returns NULL; leastDate() only passes
 *   non-null arguments (COALESCE), so both engines give the same answer.
 * Parameter values are rendered as literals after validation (params.ts), never concatenated raw.
 */

/** A string literal ('' doubles a quote). */
export function str(value: string): string {
  return `'${value.replaceAll("'", "''")}'`;
}

/** An integer literal; throws on anything else. */
export function int(value: number): string {
  if (!Number.isSafeInteger(value)) throw new Error(`Not an integer: ${value}`);
  return String(value);
}

export function dateLit(iso: string): string {
  if (!/^\d{4}-\d{2}-\d{2}$/.test(iso)) throw new Error(`Not a date: ${iso}`);
  return `DATE '${iso}'`;
}

export function inList(values: readonly string[]): string {
  if (values.length === 0) throw new Error('Empty IN list');
  return `(${values.map(str).join(', ')})`;
}

export function inInts(values: readonly number[]): string {
  if (values.length === 0) throw new Error('Empty IN list');
  return `(${values.map(int).join(', ')})`;
}

/** `expr` starts with one of the prefixes (code lists are prefix lists: N06A matches N06AB06). */
export function startsWithAny(expr: string, prefixes: readonly string[]): string {
  if (prefixes.length === 0) return '1 = 0';
  const escaped = prefixes.map((p) => str(`${p.replaceAll('%', '').replaceAll('_', '')}%`));
  return `(${escaped.map((p) => `${expr} LIKE ${p}`).join(' OR ')})`;
}

/** date + n days, as a DATE (DuckDB's DATE + INTERVAL is a TIMESTAMP, hence the CAST). */
export function addDays(dateExpr: string, days: number): string {
  if (days === 0) return dateExpr;
  return days > 0
    ? `CAST(${dateExpr} + INTERVAL '${int(days)}' DAY AS DATE)`
    : `CAST(${dateExpr} - INTERVAL '${int(-days)}' DAY AS DATE)`;
}

/** Whole days from a to b (b - a). */
export function daysBetween(a: string, b: string): string {
  return `date_diff('day', ${a}, ${b})`;
}

export function toDate(timestampExpr: string): string {
  return `CAST(${timestampExpr} AS DATE)`;
}

export function yearOf(dateExpr: string): string {
  return `CAST(EXTRACT(YEAR FROM ${dateExpr}) AS INTEGER)`;
}

/** The earliest of a non-null date and nullable dates (NULL = no limit). */
export function leastDate(first: string, ...nullable: string[]): string {
  return `LEAST(${[first, ...nullable.map((e) => `COALESCE(${e}, ${first})`)].join(', ')})`;
}

/** 1/0 flag from a condition. */
export function flag(condition: string): string {
  return `CASE WHEN ${condition} THEN 1 ELSE 0 END`;
}

/**
 * data.csv: the export table as RFC 4180 CSV (UTF-8 without BOM, comma, CRLF between records, a
 * field quoted when it holds a comma, quote, CR or LF, quotes doubled), one header row of column
 * names, long or wide form (model.ts).
 *
 * Spreadsheet formula injection (OWASP "CSV injection"): a text cell that starts with `=`, `+`,
 * `-`, `@`, tab, CR or LF would run as a formula in a spreadsheet; it gets a leading apostrophe.
 * A text cell that starts with an apostrophe gets one too, so the escape can be undone exactly:
 * the load scripts remove one leading apostrophe from every text value. Number columns (integer,
 * decimal, 0/1) hold only numbers written by the export and are never escaped, so -3 stays -3;
 * the no-answer code (-99) is written as a number in text columns as well — a spreadsheet reads a
 * plain number, never a formula. The header is escaped like text.
 *
 * Pure module: no I/O.
 */
import type { SurveyDataset } from '../dataset.js';
import {
  NO_ANSWER,
  NUMBER_KINDS,
  buildExportTable,
  type ExportCell,
  type ExportOptions,
  type ExportTable,
  type ExportVariable,
} from './model.js';

/** Characters that make a spreadsheet treat a cell as a formula, plus the escape character itself. */
const FORMULA_START = /^[=+\-@\t\r\n']/;

/** A text cell made safe for spreadsheets: a leading apostrophe when it starts with a trigger. */
export function escapeFormula(text: string): string {
  return FORMULA_START.test(text) ? `'${text}` : text;
}

/** The inverse of escapeFormula (what the load scripts do to every text value). */
export function unescapeFormula(text: string): string {
  return text.startsWith("'") ? text.slice(1) : text;
}

/** One field per RFC 4180: quoted when it holds a comma, quote, CR or LF. */
export function quoteField(field: string): string {
  return /[",\r\n]/.test(field) ? `"${field.replaceAll('"', '""')}"` : field;
}

/** The CSV text of one cell of a variable (before RFC 4180 quoting). */
export function cellText(
  cell: ExportCell,
  variable: Pick<ExportVariable, 'kind'>,
  noAnswerCode: string
): string {
  if (cell === null) return '';
  if (cell === NO_ANSWER) return noAnswerCode;
  return NUMBER_KINDS.has(variable.kind) ? cell : escapeFormula(cell);
}

export interface CsvOptions {
  /**
   * 'keep' (default): line breaks inside text stay (quoted, as LF). 'space': each becomes a space,
   * for SPSS, whose GET DATA ends a case at every line break even inside quotes (data-spss.csv).
   */
  lineBreaks?: 'keep' | 'space';
}

/** The table as CSV text. */
export function tableToCsv(table: ExportTable, options: CsvOptions = {}): string {
  const flatten = options.lineBreaks === 'space';
  const field = (text: string) => quoteField(flatten ? text.replace(/[\r\n]/g, ' ') : text);
  const lines: string[] = [table.variables.map((v) => field(escapeFormula(v.column))).join(',')];
  for (const row of table.rows) {
    let line = '';
    for (let i = 0; i < row.length; i++) {
      if (i > 0) line += ',';
      line += field(cellText(row[i]!, table.variables[i]!, table.noAnswerCode));
    }
    lines.push(line);
  }
  return lines.join('\r\n') + '\r\n';
}

/** Rows of text cells (a header first) as CSV: every cell escaped like a text cell. */
export function rowsToCsv(rows: readonly (readonly string[])[]): string {
  return (
    rows.map((row) => row.map((cell) => quoteField(escapeFormula(cell))).join(',')).join('\r\n') + '\r\n'
  );
}

/** Whether any text cell holds a line break (then SPSS needs data-spss.csv). */
export function hasLineBreaks(table: ExportTable): boolean {
  return table.rows.some((row) => row.some((cell) => typeof cell === 'string' && /[\r\n]/.test(cell)));
}

/** Convenience: the dataset straight to CSV text. */
export function surveyCsv(dataset: SurveyDataset, options: ExportOptions = {}): string {
  return tableToCsv(buildExportTable(dataset, options));
}

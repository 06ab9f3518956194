/**
 * CSV per RFC 4180 (CRLF line ends, fields with a comma, quote, CR or LF quoted, quotes doubled),
 * safe to open in a spreadsheet: a text field starting with =, +, -, @, tab or CR gets a leading
 * apostrophe so it is not run as a formula (OWASP CSV injection). Numbers are written as numbers.
 * Suppressed cells are written as ':' (SSB's mark for "not for publication").
 */
import { SUPPRESSED_MARK, type CellValue, type PublishedTable } from '../analyze/model.js';

export function csvField(value: CellValue): string {
  if (value === null) return SUPPRESSED_MARK;
  if (typeof value === 'number') {
    if (!Number.isFinite(value)) return '';
    return Number.isInteger(value) ? String(value) : String(Number(value.toPrecision(10)));
  }
  let text = value;
  if (/^[=+\-@\t\r]/.test(text)) text = `'${text}`;
  return /[",\r\n]/.test(text) ? `"${text.replaceAll('"', '""')}"` : text;
}

export function toCsv(table: PublishedTable): string {
  const lines = [table.columns.map((c) => csvField(c.key)), ...table.rows.map((row) => row.map(csvField))];
  return lines.map((l) => l.join(',')).join('\r\n') + '\r\n';
}

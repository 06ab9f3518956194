/**
 * The mapping file (`mapping.json`) that tells the importer how a registry delivery maps onto the
 * platform's schema (src/registry/schema/tables.ts): which files hold which table, how they are
 * encoded and delimited, which delivered column becomes which platform column, code lists to
 * normalise, and how dates were shifted.
 */

export interface SourceOptions {
  /** 'csv' for delimited text (CSV/DSV), 'parquet' for Parquet files. */
  format: 'csv' | 'parquet';
  delimiter: string;
  /** 'latin1' (ISO-8859-1 / Windows-1252 subset) or 'utf-8'. */
  encoding: 'latin1' | 'utf-8';
  quote: string;
  /** strptime format of dates, e.g. '%d.%m.%Y'. */
  dateFormat: string;
  /** strptime format of a separate time-of-day column, e.g. '%H:%M'. */
  timeFormat: string;
  decimalSeparator: '.' | ',';
  /** Values read as missing. */
  nullValues: string[];
}

export type Transform = 'trim' | 'upper' | 'lower' | 'icd10_dot' | 'first_char';

export interface ColumnMapping {
  /** Column name in the delivered file (header). */
  source?: string;
  /** A constant instead of a source column. */
  value?: string | number | boolean | null;
  /** Transforms applied in order before mapping and type conversion (values are always trimmed). */
  transform?: Transform[];
  /** Code list: delivered value -> platform value. A non-missing value not listed is rejected. */
  map?: Record<string, string | number | boolean>;
  /** Date format override for this column. */
  dateFormat?: string;
  /** For TIMESTAMP targets: the delivered time-of-day column combined with the date in `source`. */
  timeSource?: string;
  /** Date shifted per person: the delivered column holding the person id whose offset applies. */
  shiftBy?: string;
}

export interface TableMapping {
  /** File name pattern relative to --in; `*` matches any characters, e.g. `KUHR_regninger_*.csv`. */
  files: string;
  options?: Partial<SourceOptions>;
  /** Platform column -> how to get it. Every non-nullable schema column must be mapped. */
  columns: Record<string, ColumnMapping>;
}

export interface DateShift {
  /** The reference-date file (relative to --in). */
  file: string;
  options?: Partial<SourceOptions>;
  /** Person id column in that file. */
  idColumn: string;
  /** Offset in days: delivered date = true date + offset, so the importer subtracts it. */
  offsetColumn: string;
}

export interface Mapping {
  format: 'gpdep-registry-mapping/1';
  description?: string;
  defaults: SourceOptions;
  dateShift?: DateShift;
  tables: Record<string, TableMapping>;
}

export const DEFAULT_OPTIONS: SourceOptions = {
  format: 'csv',
  delimiter: ';',
  encoding: 'latin1',
  quote: '"',
  dateFormat: '%d.%m.%Y',
  timeFormat: '%H:%M',
  decimalSeparator: ',',
  nullValues: [''],
};

export function parseMapping(json: unknown): Mapping {
  const m = json as Partial<Mapping>;
  if (!m || typeof m !== 'object') throw new Error('mapping: not a JSON object');
  if (m.format !== 'gpdep-registry-mapping/1')
    throw new Error(`mapping: format must be 'gpdep-registry-mapping/1' (found ${String(m.format)})`);
  if (!m.tables || typeof m.tables !== 'object') throw new Error('mapping: no tables');
  const defaults = { ...DEFAULT_OPTIONS, ...(m.defaults ?? {}) };
  for (const [name, t] of Object.entries(m.tables)) {
    if (typeof t.files !== 'string') throw new Error(`mapping: table ${name} has no files pattern`);
    if (!t.columns || typeof t.columns !== 'object') throw new Error(`mapping: table ${name} has no columns`);
  }
  return { ...m, defaults } as Mapping;
}

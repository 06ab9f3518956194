// Long (over 400 lines) because reading, validation, casting, rejects and the row-count check are one pipeline on one DuckDB session.
/**
 * Imports a registry delivery (CSV/DSV or Parquet) into the platform's Parquet schema, driven by a
 * mapping file. Every delivered row either lands in `<out>/<table>/part-NNNNN.parquet` or is
 * reported in `<out>/_rejects/<table>.csv` with file, line, column, value and reason; the row
 * counts are checked against the file's line count so nothing is dropped silently.
 *
 * Stops with an error naming the file (and column) on: a wrong encoding (invalid UTF-8 in a file
 * declared UTF-8, or UTF-8 text in a file declared latin1), a wrong delimiter (the header has one
 * column), a missing column, or a missing file set. Reading and validation run in DuckDB
 * (`read_csv` with all_varchar, explicit options, TRY_CAST in SQL), so national files stream.
 */
import {
  createReadStream,
  existsSync,
  mkdirSync,
  openSync,
  readSync,
  closeSync,
  readdirSync,
  rmSync,
  writeFileSync,
} from 'node:fs';
import { basename, join, resolve } from 'node:path';
import { REGISTRY_TABLES, tableDef, type ColumnDef } from '../schema/tables.js';
import { openDuck, lit, type Duck } from '../generate/db.js';
import {
  parseMapping,
  type ColumnMapping,
  type Mapping,
  type SourceOptions,
  type TableMapping,
} from './mapping.js';

export class ImportError extends Error {}

export interface ImportOptions {
  mapping: Mapping | string;
  input: string;
  out: string;
  log?: (message: string) => void;
  /** Rejects listed per file and reason in the summary. */
  examples?: number;
}

export interface FileReport {
  table: string;
  file: string;
  rows: number;
  imported: number;
  rejected: number;
  reasons: Record<string, number>;
  examples: RejectRow[];
}

export interface RejectRow {
  file: string;
  line: number;
  column: string;
  value: string | null;
  reason: string;
}

export interface ImportReport {
  tables: Record<string, { files: number; rows: number; imported: number; rejected: number }>;
  files: FileReport[];
  rejected: number;
  imported: number;
}

export async function importDelivery(options: ImportOptions): Promise<ImportReport> {
  const mapping =
    typeof options.mapping === 'string'
      ? parseMapping(JSON.parse(readText(options.mapping)))
      : parseMapping(options.mapping);
  const input = resolve(options.input);
  const out = resolve(options.out);
  if (!existsSync(input)) throw new ImportError(`Input folder ${input} does not exist`);
  for (const name of Object.keys(mapping.tables)) {
    if (!REGISTRY_TABLES.some((t) => t.name === name))
      throw new ImportError(`mapping: unknown table ${name} (see src/registry/schema/tables.ts)`);
    checkRequiredColumns(name, mapping.tables[name]!);
  }
  mkdirSync(out, { recursive: true });
  for (const name of [...Object.keys(mapping.tables), '_rejects'])
    rmSync(join(out, name), { recursive: true, force: true });
  mkdirSync(join(out, '_rejects'), { recursive: true });
  const tmp = join(out, '.duckdb-tmp');
  const duck = await openDuck({ threads: 2, tempDirectory: tmp });
  const report: ImportReport = { tables: {}, files: [], rejected: 0, imported: 0 };
  try {
    await duck.run(
      `CREATE OR REPLACE TEMP TABLE rejects (file VARCHAR, line BIGINT, "column" VARCHAR, value VARCHAR, reason VARCHAR)`
    );
    if (mapping.dateShift) await loadShift(duck, mapping, input);
    for (const [table, tm] of Object.entries(mapping.tables)) {
      const files = matchFiles(input, tm.files);
      if (files.length === 0) throw new ImportError(`${table}: no files in ${input} match ${tm.files}`);
      mkdirSync(join(out, table), { recursive: true });
      await duck.run(
        `CREATE OR REPLACE TEMP TABLE rejects (file VARCHAR, line BIGINT, "column" VARCHAR, value VARCHAR, reason VARCHAR)`
      );
      const t = { files: files.length, rows: 0, imported: 0, rejected: 0 };
      for (const [i, file] of files.entries()) {
        const fr = await importFile(
          duck,
          mapping,
          table,
          tm,
          join(input, file),
          join(out, table, `part-${String(i).padStart(5, '0')}.parquet`),
          options.examples ?? 5
        );
        report.files.push(fr);
        t.rows += fr.rows;
        t.imported += fr.imported;
        t.rejected += fr.rejected;
        options.log?.(`${table} ${file}: ${fr.imported} imported, ${fr.rejected} rejected`);
      }
      await duck.run(
        `COPY (SELECT * FROM rejects ORDER BY file, line, "column") TO '${join(out, '_rejects', `${table}.csv`).replace(/'/g, "''")}' (FORMAT csv, HEADER true, DELIMITER ';')`
      );
      report.tables[table] = t;
      report.rejected += t.rejected;
      report.imported += t.imported;
    }
  } finally {
    duck.close();
    rmSync(tmp, { recursive: true, force: true });
  }
  writeFileSync(join(out, '_import_report.json'), JSON.stringify(report, null, 2) + '\n');
  return report;
}

function readText(path: string): string {
  const fd = openSync(path, 'r');
  try {
    const chunks: Buffer[] = [];
    const buf = Buffer.alloc(1 << 16);
    let n;
    while ((n = readSync(fd, buf, 0, buf.length, null)) > 0) chunks.push(Buffer.from(buf.subarray(0, n)));
    return Buffer.concat(chunks).toString('utf8');
  } finally {
    closeSync(fd);
  }
}

function checkRequiredColumns(table: string, tm: TableMapping) {
  const def = tableDef(table);
  for (const name of Object.keys(tm.columns)) {
    if (!def.columns.some((c) => c.name === name))
      throw new ImportError(`mapping: table ${table} has no column ${name}`);
  }
  for (const c of def.columns) {
    if (!c.nullable && !(c.name in tm.columns))
      throw new ImportError(`mapping: table ${table} column ${c.name} is required but not mapped`);
  }
}

function matchFiles(dir: string, pattern: string): string[] {
  const re = new RegExp(
    `^${pattern
      .split('*')
      .map((p) => p.replace(/[.+?^${}()|[\]\\]/g, '\\$&'))
      .join('.*')}$`
  );
  return readdirSync(dir)
    .filter((f) => re.test(f))
    .sort();
}

function optionsFor(mapping: Mapping, tm: { options?: Partial<SourceOptions> }, file: string): SourceOptions {
  const o = { ...mapping.defaults, ...(tm.options ?? {}) };
  if (file.toLowerCase().endsWith('.parquet')) o.format = 'parquet';
  return o;
}

function readHead(path: string, bytes = 1 << 20): Buffer {
  const fd = openSync(path, 'r');
  try {
    const buf = Buffer.alloc(bytes);
    const n = readSync(fd, buf, 0, bytes, 0);
    return buf.subarray(0, n);
  } finally {
    closeSync(fd);
  }
}

/** Check the encoding on the first megabyte; return the header line decoded. */
export function checkEncoding(path: string, encoding: SourceOptions['encoding']): string {
  const head = readHead(path);
  const file = basename(path);
  const cut = cutIncompleteUtf8(head);
  if (encoding === 'utf-8') {
    try {
      new TextDecoder('utf-8', { fatal: true }).decode(cut);
    } catch {
      const at = firstInvalidUtf8(cut);
      throw new ImportError(
        `${file}: not valid UTF-8 (byte 0x${cut[at]?.toString(16)} at offset ${at}); the mapping declares utf-8 — is the file latin1 / Windows-1252?`
      );
    }
    return (
      cut
        .toString('utf8')
        .replace(/^\uFEFF/, '')
        .split(/\r?\n/)[0] ?? ''
    );
  }
  // latin1 declared: any byte is valid, so look for UTF-8 multi-byte sequences (mojibake if read as latin1).
  let multibyte = 0;
  for (let i = 0; i < cut.length; i++) if (cut[i]! >= 0x80) multibyte++;
  if (multibyte > 0) {
    try {
      const text = new TextDecoder('utf-8', { fatal: true }).decode(cut);
      const sample = /[\u0080-\uffff]+/.exec(text)?.[0] ?? '';
      throw new ImportError(
        `${file}: looks UTF-8 encoded ("${sample}" would be read as "${Buffer.from(sample, 'utf8').toString('latin1')}"), but the mapping declares latin1; set "encoding": "utf-8" for this file`
      );
    } catch (e) {
      if (e instanceof ImportError) throw e;
    }
  }
  if (cut[0] === 0xef && cut[1] === 0xbb && cut[2] === 0xbf)
    throw new ImportError(`${file}: starts with a UTF-8 byte-order mark, but the mapping declares latin1`);
  return cut.toString('latin1').split(/\r?\n/)[0] ?? '';
}

function cutIncompleteUtf8(buf: Buffer): Buffer {
  // Drop a multi-byte sequence cut at the end of the sample.
  const end = buf.length;
  for (let k = 1; k <= 3 && end - k >= 0; k++) {
    const b = buf[end - k]!;
    if ((b & 0xc0) === 0xc0) return buf.subarray(0, end - k);
    if ((b & 0x80) === 0) break;
  }
  return buf;
}

function firstInvalidUtf8(buf: Buffer): number {
  let lo = 0;
  let hi = buf.length;
  const dec = (n: number) => {
    try {
      new TextDecoder('utf-8', { fatal: true }).decode(cutIncompleteUtf8(buf.subarray(0, n)));
      return true;
    } catch {
      return false;
    }
  };
  while (lo < hi) {
    const mid = (lo + hi) >> 1;
    if (dec(mid + 1)) lo = mid + 1;
    else hi = mid;
  }
  return lo;
}

function parseHeader(line: string, delimiter: string, quote: string): string[] {
  return line.split(delimiter).map((h) => {
    const t = h.trim();
    return t.startsWith(quote) && t.endsWith(quote) && t.length >= 2 ? t.slice(1, -1) : t;
  });
}

function sourcesOf(tm: TableMapping): string[] {
  const s = new Set<string>();
  for (const c of Object.values(tm.columns)) {
    if (c.source) s.add(c.source);
    if (c.timeSource) s.add(c.timeSource);
    if (c.shiftBy) s.add(c.shiftBy);
  }
  return [...s];
}

async function countLines(path: string): Promise<number> {
  let n = 0;
  let last = 10;
  for await (const chunk of createReadStream(path, { highWaterMark: 1 << 20 }) as AsyncIterable<Buffer>) {
    let i = -1;
    while ((i = chunk.indexOf(10, i + 1)) !== -1) n++;
    if (chunk.length) last = chunk[chunk.length - 1]!;
  }
  return last === 10 ? n : n + 1;
}

async function loadShift(duck: Duck, mapping: Mapping, input: string) {
  const ds = mapping.dateShift!;
  const path = join(input, ds.file);
  if (!existsSync(path))
    throw new ImportError(`date shift: reference-date file ${ds.file} not found in ${input}`);
  const o = optionsFor(mapping, ds, ds.file);
  const rel = await readSource(duck, path, o, [ds.idColumn, ds.offsetColumn], 'shift_raw');
  const malformed = await duck.all<{ line: bigint; reason: string }>(
    `SELECT line, reason FROM rejects LIMIT 1`
  );
  if (malformed.length)
    throw new ImportError(`${ds.file}: malformed line ${malformed[0]!.line} (${malformed[0]!.reason})`);
  await duck.run(
    `CREATE OR REPLACE TEMP TABLE shift AS SELECT trim("${ds.idColumn}") AS id, TRY_CAST(trim("${ds.offsetColumn}") AS INTEGER) AS off FROM ${rel}`
  );
  const bad = await duck.all<{ n: bigint }>(`SELECT count(*) AS n FROM shift WHERE off IS NULL`);
  if (Number(bad[0]!.n) > 0)
    throw new ImportError(`${ds.file}: ${bad[0]!.n} rows without a whole-number ${ds.offsetColumn}`);
  const dup = await duck.all<{ n: bigint }>(
    `SELECT count(*) AS n FROM (SELECT id FROM shift GROUP BY id HAVING count(*) > 1)`
  );
  if (Number(dup[0]!.n) > 0)
    throw new ImportError(`${ds.file}: ${dup[0]!.n} person ids have more than one offset`);
}

/**
 * Read one delivered file into a temp table `name` of VARCHAR columns plus `_rn` (data row number,
 * 1-based) and `_line` (line in the file); malformed lines go to the rejects table.
 */
async function readSource(
  duck: Duck,
  path: string,
  o: SourceOptions,
  needed: string[],
  name: string
): Promise<string> {
  const file = basename(path);
  if (o.format === 'parquet') {
    const cols = await duck.all<{ column_name: string }>(`DESCRIBE SELECT * FROM read_parquet(${lit(path)})`);
    const names = cols.map((c) => c.column_name);
    for (const c of needed)
      if (!names.includes(c))
        throw new ImportError(`${file}: missing column ${c} (file has: ${names.join(', ')})`);
    await duck.run(`CREATE OR REPLACE TEMP TABLE ${name} AS SELECT file_row_number + 1 AS _rn, file_row_number + 1 AS _line,
        ${names.map((n) => `CAST("${n.replace(/"/g, '""')}" AS VARCHAR) AS "${n.replace(/"/g, '""')}"`).join(', ')}
      FROM read_parquet(${lit(path)}, file_row_number = true)`);
    return name;
  }
  const headerLine = checkEncoding(path, o.encoding);
  const header = parseHeader(headerLine, o.delimiter, o.quote);
  if (header.length === 1 && needed.length > 1) {
    const guess = [';', ',', '\t', '|'].find((d) => d !== o.delimiter && headerLine.includes(d));
    throw new ImportError(
      `${file}: the header has one column with delimiter ${JSON.stringify(o.delimiter)}${guess ? ` (it contains ${JSON.stringify(guess)}: wrong delimiter?)` : ''}: ${headerLine.slice(0, 120)}`
    );
  }
  for (const c of needed)
    if (!header.includes(c))
      throw new ImportError(`${file}: missing column ${c} (header has: ${header.join(', ')})`);
  const dupes = header.filter((h, i) => header.indexOf(h) !== i);
  if (dupes.length) throw new ImportError(`${file}: duplicate column ${dupes[0]} in the header`);
  const columns = `{${header.map((h) => `${lit(h)}: 'VARCHAR'`).join(', ')}}`;
  await duck
    .run(
      `CREATE OR REPLACE TEMP TABLE ${name}_csv AS SELECT row_number() OVER () AS _rn, *
    FROM read_csv(${lit(path)}, delim = ${lit(o.delimiter)}, quote = ${lit(o.quote)}, escape = ${lit(o.quote)}, header = true,
      auto_detect = false, columns = ${columns}, all_varchar = true, encoding = ${lit(o.encoding === 'latin1' ? 'latin-1' : 'utf-8')},
      store_rejects = true, rejects_table = 'csv_rejects', rejects_scan = 'csv_scans', null_padding = false, strict_mode = true,
      nullstr = '\u0001')`
    )
    .catch((e: unknown) => {
      throw new ImportError(`${file}: ${e instanceof Error ? e.message.split('\n')[0] : String(e)}`);
    });
  // Malformed lines (wrong number of fields, unterminated quotes): rejected with their line numbers.
  await duck.run(`CREATE OR REPLACE TEMP TABLE ${name}_bad AS SELECT line, error_type, error_message, csv_line,
      line - row_number() OVER (ORDER BY line) - 1 AS good_before FROM csv_rejects ORDER BY line`);
  await duck.run(
    `INSERT INTO rejects SELECT ${lit(file)}, line, '(row)', left(csv_line, 200), error_type || ': ' || error_message FROM ${name}_bad`
  );
  const nBad = Number((await duck.all<{ n: bigint }>(`SELECT count(*) AS n FROM ${name}_bad`))[0]!.n);
  await duck.run(`CREATE OR REPLACE TEMP TABLE ${name} AS SELECT _rn,
      _rn + 1 + ${nBad > 0 ? `(SELECT count(*) FROM ${name}_bad b WHERE b.good_before < c._rn)` : '0'} AS _line, * EXCLUDE (_rn)
    FROM ${name}_csv c`);
  await duck.run(`DROP TABLE ${name}_csv`);
  // Nothing dropped silently: data lines in the file = rows read + malformed lines.
  const lines = (await countLines(path)) - 1;
  const read = Number((await duck.all<{ n: bigint }>(`SELECT count(*) AS n FROM ${name}`))[0]!.n);
  const blank = await countBlankLines(path);
  if (read + nBad + blank !== lines) {
    throw new ImportError(
      `${file}: ${lines} data lines, but ${read} rows read and ${nBad} malformed lines rejected (fields with line breaks are not supported)`
    );
  }
  await duck.run(`DROP TABLE IF EXISTS csv_rejects; DROP TABLE IF EXISTS csv_scans;`);
  return name;
}

async function countBlankLines(path: string): Promise<number> {
  let n = 0;
  let prev = 10;
  for await (const chunk of createReadStream(path, { highWaterMark: 1 << 20 }) as AsyncIterable<Buffer>) {
    for (let i = chunk.indexOf(10); i !== -1; i = chunk.indexOf(10, i + 1)) {
      const before = i > 0 ? chunk[i - 1]! : prev;
      if (before === 10) n++;
      else if (before === 13 && (i > 1 ? chunk[i - 2]! : prev) === 10) n++;
    }
    if (chunk.length) prev = chunk[chunk.length - 1]!;
  }
  return n;
}

const q = (name: string) => `"${name.replace(/"/g, '""')}"`;

/** SQL for one platform column: the converted value and a rejection reason (NULL when fine). */
function convertColumn(
  col: ColumnDef,
  cm: ColumnMapping,
  o: SourceOptions
): { value: string; reason: string; raw: string } {
  if (cm.value !== undefined) {
    const v = cm.value === null ? 'NULL' : typeof cm.value === 'string' ? lit(cm.value) : String(cm.value);
    return { value: `CAST(${v} AS ${col.type})`, reason: 'NULL', raw: 'NULL' };
  }
  if (!cm.source) throw new ImportError(`mapping: column ${col.name} has neither source nor value`);
  const nulls = o.nullValues.map(lit).join(', ');
  let v = `CASE WHEN trim(${q(cm.source)}) IN (${nulls}) THEN NULL ELSE trim(${q(cm.source)}) END`;
  for (const t of cm.transform ?? []) {
    if (t === 'upper') v = `upper(${v})`;
    else if (t === 'lower') v = `lower(${v})`;
    else if (t === 'trim') v = `trim(${v})`;
    else if (t === 'first_char') v = `left(${v}, 1)`;
    else if (t === 'icd10_dot')
      v = `CASE WHEN regexp_matches(${v}, '^[A-Z][0-9]{2}[0-9A-Z]+$') THEN left(${v}, 3) || '.' || substr(${v}, 4) ELSE ${v} END`;
  }
  const raw = q(cm.source);
  let conv: string;
  let invalid: string;
  if (cm.map) {
    const entries = Object.entries(cm.map);
    conv = `CASE ${v} ${entries.map(([k, val]) => `WHEN ${lit(k)} THEN CAST(${typeof val === 'string' ? lit(val) : String(val)} AS ${col.type})`).join(' ')} END`;
    invalid = `'unknown code (expected one of ${entries
      .map(([k]) => k)
      .join(', ')
      .replace(/'/g, "''")})'`;
  } else if (col.type === 'VARCHAR') {
    conv = v;
    invalid = 'NULL';
  } else if (col.type === 'INTEGER' || col.type === 'BIGINT') {
    conv = `TRY_CAST(${v} AS ${col.type})`;
    invalid = `'not a whole number'`;
  } else if (col.type === 'DOUBLE') {
    conv =
      o.decimalSeparator === ',' ? `TRY_CAST(replace(${v}, ',', '.') AS DOUBLE)` : `TRY_CAST(${v} AS DOUBLE)`;
    invalid = `'not a number (decimal separator ${o.decimalSeparator === ',' ? 'comma' : 'point'})'`;
  } else if (col.type === 'BOOLEAN') {
    conv = `TRY_CAST(${v} AS BOOLEAN)`;
    invalid = `'not a boolean'`;
  } else if (col.type === 'DATE') {
    const fmt = cm.dateFormat ?? o.dateFormat;
    conv = `CAST(try_strptime(${v}, ${lit(fmt)}) AS DATE)`;
    invalid = `'not a date in format ${fmt}'`;
  } else {
    const fmt = cm.dateFormat ?? o.dateFormat;
    if (cm.timeSource) {
      const t = `trim(${q(cm.timeSource)})`;
      conv = `try_strptime(${v} || ' ' || ${t}, ${lit(`${fmt} ${o.timeFormat}`)})`;
      invalid = `'not a date and time in format ${fmt} ${o.timeFormat}'`;
    } else {
      conv = `try_strptime(${v}, ${lit(fmt)})`;
      invalid = `'not a timestamp in format ${fmt}'`;
    }
  }
  if (cm.shiftBy) {
    const unit = col.type === 'TIMESTAMP' ? `to_days(_off_${safe(cm.shiftBy)})` : `_off_${safe(cm.shiftBy)}`;
    conv = `(${conv} - ${unit})`;
  }
  const missing = col.nullable ? 'NULL' : `'missing value (required)'`;
  const shiftMissing = cm.shiftBy
    ? `WHEN ${v} IS NOT NULL AND _off_${safe(cm.shiftBy)} IS NULL THEN 'no date-shift offset for person ' || coalesce(trim(${q(cm.shiftBy)}), '(empty)')`
    : '';
  const reason = `CASE WHEN ${v} IS NULL THEN ${missing} ${shiftMissing} WHEN (${conv}) IS NULL THEN ${invalid} END`;
  return { value: `CAST(${conv} AS ${col.type})`, reason, raw };
}

const safe = (s: string) => s.replace(/[^A-Za-z0-9_]/g, '_');

async function importFile(
  duck: Duck,
  mapping: Mapping,
  table: string,
  tm: TableMapping,
  path: string,
  outPath: string,
  examples: number
): Promise<FileReport> {
  const file = basename(path);
  const o = optionsFor(mapping, tm, file);
  const def = tableDef(table);
  const rel = await readSource(duck, path, o, sourcesOf(tm), 'src');
  const shiftBys = [
    ...new Set(
      Object.values(tm.columns)
        .map((c) => c.shiftBy)
        .filter((x): x is string => !!x)
    ),
  ];
  if (shiftBys.length && !mapping.dateShift)
    throw new ImportError(`mapping: ${table} shifts dates but the mapping has no dateShift file`);
  const joins = shiftBys.map((s, i) => `LEFT JOIN shift sh${i} ON sh${i}.id = trim(src.${q(s)})`).join(' ');
  const offs = shiftBys.map((s, i) => `, sh${i}.off AS _off_${safe(s)}`).join('');
  await duck.run(
    `CREATE OR REPLACE TEMP TABLE srcj AS SELECT src.*${offs} FROM ${rel} src ${joins} ORDER BY src._rn`
  );
  const cols = def.columns.filter((c) => c.name in tm.columns);
  const conv = cols.map((c) => ({ c, ...convertColumn(c, tm.columns[c.name]!, o) }));
  const nulls = def.columns
    .filter((c) => !(c.name in tm.columns))
    .map((c) => `CAST(NULL AS ${c.type}) AS ${q(c.name)}`);
  await duck.run(`CREATE OR REPLACE TEMP TABLE conv AS SELECT _rn, _line,
      ${conv.map((x, i) => `${x.value} AS _v${i}, ${x.reason} AS _r${i}, ${x.raw === 'NULL' ? 'NULL' : `${x.raw}`}::VARCHAR AS _raw${i}`).join(',\n      ')}
    FROM srcj`);
  const anyBad = conv.map((_, i) => `_r${i} IS NOT NULL`).join(' OR ') || 'false';
  const select = def.columns
    .map((c) => {
      const i = cols.indexOf(c);
      return i >= 0 ? `_v${i} AS ${q(c.name)}` : nulls.find((n) => n.endsWith(q(c.name)))!;
    })
    .join(', ');
  // Clustered tables are written in the schema's order (tables.ts, clusterBy) so the analyses'
  // code filters skip row groups, as on the twin; ties keep the delivery's line order.
  const order = [...(def.clusterBy ?? []).map((n) => q(n)), '_rn'].join(', ');
  await duck.run(
    `COPY (SELECT ${select} FROM conv WHERE NOT (${anyBad}) ORDER BY ${order}) TO '${outPath.replace(/'/g, "''")}' (FORMAT parquet)`
  );
  if (conv.length) {
    await duck.run(
      `INSERT INTO rejects ${conv
        .map(
          (x, i) =>
            `SELECT ${lit(file)}, _line, ${lit(x.c.name + (tm.columns[x.c.name]!.source ? ` (${tm.columns[x.c.name]!.source})` : ''))}, _raw${i}, _r${i} FROM conv WHERE _r${i} IS NOT NULL`
        )
        .join(' UNION ALL ')}`
    );
  }
  const counts = await duck.all<{ rows: bigint; bad: bigint }>(
    `SELECT count(*) AS rows, count(*) FILTER (WHERE ${anyBad}) AS bad FROM conv`
  );
  const malformed = Number(
    (
      await duck.all<{ n: bigint }>(
        `SELECT count(*) AS n FROM rejects WHERE file = ${lit(file)} AND "column" = '(row)'`
      )
    )[0]!.n
  );
  const rows = Number(counts[0]!.rows) + malformed;
  const rejected = Number(counts[0]!.bad) + malformed;
  const reasonRows = await duck.all<{ reason: string; column: string; n: bigint }>(
    `SELECT "column", regexp_replace(reason, ' for person .*$', ' for person') AS reason, count(*) AS n FROM rejects WHERE file = ${lit(file)} GROUP BY ALL ORDER BY n DESC`
  );
  const ex = await duck.all<RejectRow>(
    `SELECT file, line, "column" AS column, value, reason FROM rejects WHERE file = ${lit(file)} ORDER BY line LIMIT ${examples}`
  );
  await duck.run(`DROP TABLE conv; DROP TABLE srcj; DROP TABLE src;`);
  return {
    table,
    file,
    rows,
    imported: rows - rejected,
    rejected,
    reasons: Object.fromEntries(reasonRows.map((r) => [`${r.column}: ${r.reason}`, Number(r.n)])),
    examples: ex.map((e) => ({ ...e, line: Number(e.line) })),
  };
}

export function formatImportReport(report: ImportReport): string {
  const lines = [
    `Imported ${report.imported.toLocaleString('en-US')} rows, rejected ${report.rejected.toLocaleString('en-US')}.`,
  ];
  for (const [t, s] of Object.entries(report.tables))
    lines.push(`  ${t}: ${s.files} file(s), ${s.imported} imported, ${s.rejected} rejected`);
  for (const f of report.files.filter((x) => x.rejected > 0)) {
    lines.push(`Rejected in ${f.file} (${f.table}): ${f.rejected} of ${f.rows} rows`);
    for (const [r, n] of Object.entries(f.reasons)) lines.push(`    ${n} × ${r}`);
    for (const e of f.examples)
      lines.push(`    e.g. line ${e.line}, ${e.column}: ${JSON.stringify(e.value)} — ${e.reason}`);
  }
  return lines.join('\n');
}

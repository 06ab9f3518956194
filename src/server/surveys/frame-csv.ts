/**
 * Reads a sampling frame from CSV, as the registry importer reads a delivery: every row either
 * becomes a frame member or is rejected with its line number, the column and the reason; problems
 * with the file as a whole (no header, a required column missing, an unterminated quote) are fatal
 * and nothing is imported.
 *
 * Columns (header names, any case, comma or semicolon separated, UTF-8 with or without BOM):
 *   frame_id, email, sex, birth_year or age_group, region, rural, specialist — required;
 *   list_size or list_size_group, registry_key — optional; any other column is ignored (and named).
 * Values are normalised to the categories the weighting and the report use (src/surveys/generate/
 * frame.ts, as the registry twin's frame has them: sex F/M;
 * age group <40, 40-49, 50-59, 60+ on the import date; the four health regions sor-ost, vest, midt,
 * nord; rural and specialist yes/no; list size <800, 800-1099, 1100+). `registry_key` never enters
 * the frame: it goes to the separate linkage table.
 *
 * Pure: no I/O.
 */
import {
  AGE_GROUPS,
  ageGroup,
  LIST_SIZE_GROUPS,
  listSizeGroup,
  REGIONS,
} from '../../surveys/generate/frame.js';

export const REQUIRED_COLUMNS = ['frame_id', 'email', 'sex', 'region', 'rural', 'specialist'] as const;
const OPTIONAL_COLUMNS = ['birth_year', 'age_group', 'list_size', 'list_size_group', 'registry_key'] as const;
export const MAX_FRAME_ROWS = 100_000;

export interface FrameRow {
  line: number;
  frameId: string;
  email: string;
  attributes: Record<string, string>;
  registryKey: string | null;
}

export interface RowReject {
  line: number;
  field: string;
  reason: string;
}

export type FrameParse =
  | { ok: true; rows: number; members: FrameRow[]; rejected: RowReject[]; ignoredColumns: string[] }
  | { ok: false; line: number; field: string; reason: string };

/** Splits CSV text into records, each with the line it starts on (RFC 4180 quoting). */
export function splitCsv(
  text: string,
  separator: string
): { records: { line: number; fields: string[] }[] } | { error: { line: number; reason: string } } {
  const records: { line: number; fields: string[] }[] = [];
  let fields: string[] = [];
  let field = '';
  let quoted = false;
  let line = 1;
  let recordLine = 1;
  let quoteLine = 1;
  let fieldStarted = false;
  for (let i = 0; i < text.length; i += 1) {
    const ch = text[i]!;
    if (quoted) {
      if (ch === '"') {
        if (text[i + 1] === '"') {
          field += '"';
          i += 1;
        } else quoted = false;
      } else {
        if (ch === '\n') line += 1;
        field += ch;
      }
      continue;
    }
    if (ch === '"' && !fieldStarted) {
      quoted = true;
      fieldStarted = true;
      quoteLine = line;
    } else if (ch === separator) {
      fields.push(field);
      field = '';
      fieldStarted = false;
    } else if (ch === '\n' || ch === '\r') {
      if (ch === '\r' && text[i + 1] === '\n') i += 1;
      fields.push(field);
      if (!(fields.length === 1 && fields[0] === '')) records.push({ line: recordLine, fields });
      fields = [];
      field = '';
      fieldStarted = false;
      line += 1;
      recordLine = line;
    } else {
      field += ch;
      fieldStarted = true;
    }
  }
  if (quoted) return { error: { line: quoteLine, reason: 'a quoted field is never closed' } };
  fields.push(field);
  if (!(fields.length === 1 && fields[0] === '')) records.push({ line: recordLine, fields });
  return { records };
}

const YES = new Set(['yes', 'y', 'ja', 'j', '1', 'true']);
const NO = new Set(['no', 'n', 'nei', '0', 'false']);

function yesNo(value: string): 'yes' | 'no' | null {
  const v = value.toLowerCase();
  return YES.has(v) ? 'yes' : NO.has(v) ? 'no' : null;
}

function sexOf(value: string): 'F' | 'M' | null {
  const v = value.toLowerCase();
  if (['f', 'k', 'female', 'kvinne', 'woman'].includes(v)) return 'F';
  if (['m', 'male', 'mann', 'man'].includes(v)) return 'M';
  return null;
}

function regionOf(value: string): string | null {
  const v = value
    .toLowerCase()
    .replace(/ø/g, 'o')
    .replace(/[\s_]+/g, '-');
  return (REGIONS as readonly string[]).includes(v) ? v : null;
}

const EMAIL = /^[^\s@",;<>]+@[^\s@",;<>]+\.[^\s@",;<>]{2,}$/;
const FRAME_ID = /^[A-Za-z0-9._-]{1,64}$/;

/**
 * Parses the frame. `importYear` fixes each member's age group from the birth year. `existing`
 * holds frame ids and lower-cased e-mails already in the survey's frame (rejected as duplicates).
 */
export function parseFrameCsv(
  text: string,
  options: { importYear: number; existing?: { frameIds: Set<string>; emails: Set<string> } }
): FrameParse {
  const body = text.startsWith('\uFEFF') ? text.slice(1) : text;
  const firstLine = body.split(/\r?\n/, 1)[0] ?? '';
  const separator = (firstLine.match(/;/g)?.length ?? 0) > (firstLine.match(/,/g)?.length ?? 0) ? ';' : ',';
  const split = splitCsv(body, separator);
  if ('error' in split)
    return { ok: false, line: split.error.line, field: 'csv', reason: split.error.reason };
  const [header, ...records] = split.records;
  if (!header)
    return { ok: false, line: 1, field: 'csv', reason: 'the file is empty: a header row is needed' };

  const columns = header.fields.map((name) => name.trim().toLowerCase());
  const seenColumns = new Set<string>();
  for (const name of columns) {
    if (seenColumns.has(name) && name !== '') {
      return { ok: false, line: header.line, field: name, reason: 'the column appears twice in the header' };
    }
    seenColumns.add(name);
  }
  const missing = REQUIRED_COLUMNS.filter((c) => !columns.includes(c));
  if (!columns.includes('birth_year') && !columns.includes('age_group')) missing.push('birth_year' as never);
  if (missing.length > 0) {
    return {
      ok: false,
      line: header.line,
      field: missing[0]!,
      reason: `the header has no column ${missing.join(', ')}${missing.includes('birth_year' as never) ? ' (or age_group)' : ''}`,
    };
  }
  if (records.length === 0)
    return { ok: false, line: 2, field: 'csv', reason: 'the file has no rows after the header' };
  if (records.length > MAX_FRAME_ROWS) {
    return {
      ok: false,
      line: records[MAX_FRAME_ROWS]!.line,
      field: 'csv',
      reason: `the file has ${records.length} rows; at most ${MAX_FRAME_ROWS} are taken at once`,
    };
  }
  const known = new Set<string>([...REQUIRED_COLUMNS, ...OPTIONAL_COLUMNS]);
  const ignoredColumns = columns.filter((c) => c !== '' && !known.has(c));
  const index = (name: string) => columns.indexOf(name);

  const members: FrameRow[] = [];
  const rejected: RowReject[] = [];
  const firstLineOfId = new Map<string, number>();
  const firstLineOfEmail = new Map<string, number>();
  for (const record of records) {
    const { line, fields } = record;
    if (fields.length !== columns.length) {
      rejected.push({
        line,
        field: 'row',
        reason: `has ${fields.length} field${fields.length === 1 ? '' : 's'}; the header has ${columns.length}`,
      });
      continue;
    }
    const value = (name: string) => (index(name) >= 0 ? fields[index(name)]!.trim() : '');
    const problems: RowReject[] = [];
    const reject = (field: string, reason: string) => problems.push({ line, field, reason });
    const required = (name: string): string | null => {
      const v = value(name);
      if (v === '') {
        reject(name, 'is missing');
        return null;
      }
      return v;
    };

    const frameId = required('frame_id');
    if (frameId !== null && !FRAME_ID.test(frameId)) {
      reject('frame_id', 'must be 1-64 letters, digits, ".", "_" or "-"');
    }
    const emailRaw = required('email');
    const email = emailRaw?.toLowerCase() ?? null;
    if (emailRaw !== null && (emailRaw.length > 254 || !EMAIL.test(emailRaw))) {
      reject('email', 'is not a valid e-mail address');
    }
    const attributes: Record<string, string> = {};
    const sex = required('sex');
    if (sex !== null) {
      const s = sexOf(sex);
      if (s) attributes.sex = s;
      else reject('sex', 'must be F or M');
    }
    const birthYear = value('birth_year');
    const ageGroupGiven = value('age_group');
    if (birthYear !== '') {
      const year = /^\d{4}$/.test(birthYear) ? Number(birthYear) : NaN;
      if (!(year >= 1900 && year <= options.importYear - 18)) {
        reject('birth_year', `must be a year from 1900 to ${options.importYear - 18}`);
      } else attributes.age_group = ageGroup(options.importYear - year);
    } else if (ageGroupGiven !== '') {
      if ((AGE_GROUPS as readonly string[]).includes(ageGroupGiven)) attributes.age_group = ageGroupGiven;
      else reject('age_group', `must be one of ${AGE_GROUPS.join(', ')}`);
    } else {
      reject(columns.includes('birth_year') ? 'birth_year' : 'age_group', 'is missing');
    }
    const region = required('region');
    if (region !== null) {
      const r = regionOf(region);
      if (r) attributes.region = r;
      else reject('region', `must be one of ${REGIONS.join(', ')}`);
    }
    for (const name of ['rural', 'specialist'] as const) {
      const v = required(name);
      if (v === null) continue;
      const yn = yesNo(v);
      if (yn) attributes[name] = yn;
      else reject(name, 'must be yes or no');
    }
    const listSize = value('list_size');
    const listSizeGroupGiven = value('list_size_group');
    if (listSize !== '') {
      const size = /^\d{1,5}$/.test(listSize) ? Number(listSize) : NaN;
      if (!(size >= 0 && size <= 10_000)) reject('list_size', 'must be a whole number from 0 to 10000');
      else attributes.list_size_group = listSizeGroup(size);
    } else if (listSizeGroupGiven !== '') {
      if ((LIST_SIZE_GROUPS as readonly string[]).includes(listSizeGroupGiven)) {
        attributes.list_size_group = listSizeGroupGiven;
      } else reject('list_size_group', `must be one of ${LIST_SIZE_GROUPS.join(', ')}`);
    }
    const registryKey = value('registry_key');
    if (registryKey.length > 128) reject('registry_key', 'must be at most 128 characters');

    // Duplicates: within the file (naming the first line) and against the frame already stored.
    if (problems.length === 0 && frameId !== null && email !== null) {
      const earlierId = firstLineOfId.get(frameId);
      const earlierEmail = firstLineOfEmail.get(email);
      if (earlierId !== undefined) reject('frame_id', `duplicates the frame id on line ${earlierId}`);
      else if (options.existing?.frameIds.has(frameId)) reject('frame_id', 'is already in the frame');
      if (earlierEmail !== undefined) reject('email', `duplicates the e-mail on line ${earlierEmail}`);
      else if (options.existing?.emails.has(email)) reject('email', 'is already in the frame');
    }
    if (problems.length > 0) {
      rejected.push(...problems);
      continue;
    }
    firstLineOfId.set(frameId!, line);
    firstLineOfEmail.set(email!, line);
    members.push({
      line,
      frameId: frameId!,
      email: emailRaw!,
      attributes,
      registryKey: registryKey === '' ? null : registryKey,
    });
  }
  return { ok: true, rows: records.length, members, rejected, ignoredColumns };
}

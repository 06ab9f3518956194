/**
 * Runs the generated load.sps with GNU PSPP on an export written to a temporary folder: PSPP writes
 * the data back with SAVE TRANSLATE (values, then value labels) and the dictionary with DISPLAY
 * DICTIONARY as CSV; expectPsppEqualsExport compares them with the export table.
 */
import { spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { expect } from 'vitest';
import type { SurveyDataset } from '../../dataset.js';
import { buildSurveyExport, writeSurveyExport } from '../bundle.js';
import { TEXTS, type ExportOptions, type ExportTable } from '../model.js';

export const PSPP = process.env.PSPP ?? 'pspp';
export const havePspp = spawnSync(PSPP, ['--version']).status === 0;
export const psppRequired = process.env.PSPP_REQUIRED === '1';

const RUN_SPS = `INSERT FILE='load.sps'.
SAVE TRANSLATE /OUTFILE='pspp-values.csv' /TYPE=CSV /REPLACE /FIELDNAMES /CELLS=VALUES.
SAVE TRANSLATE /OUTFILE='pspp-labels.csv' /TYPE=CSV /REPLACE /FIELDNAMES /CELLS=LABELS.
DISPLAY DICTIONARY.
`;

/** CSV as PSPP writes it (quoted fields with doubled quotes, LF or CRLF). */
function readCsv(text: string): string[][] {
  const rows: string[][] = [];
  let row: string[] = [];
  let field = '';
  let quoted = false;
  for (let i = 0; i < text.length; i++) {
    const ch = text[i]!;
    if (quoted) {
      if (ch === '"' && text[i + 1] === '"') {
        field += '"';
        i++;
      } else if (ch === '"') quoted = false;
      else field += ch;
    } else if (ch === '"') quoted = true;
    else if (ch === ',') {
      row.push(field);
      field = '';
    } else if (ch === '\n' || ch === '\r') {
      if (ch === '\r' && text[i + 1] === '\n') i++;
      row.push(field);
      rows.push(row);
      row = [];
      field = '';
    } else field += ch;
  }
  if (field !== '' || row.length > 0) rows.push([...row, field]);
  return rows;
}

/** Temporary folders of the runs; the test removes them with removePsppDirs in afterAll. */
const dirs: string[] = [];
export function removePsppDirs(): void {
  dirs.splice(0).forEach((d) => rmSync(d, { recursive: true, force: true }));
}

export interface PsppResult {
  values: string[][];
  labels: string[][];
  variableLabels: Map<string, string>;
}

export async function runPspp(dataset: SurveyDataset, options: ExportOptions): Promise<PsppResult> {
  const dir = mkdtempSync(join(tmpdir(), 'survey-export-pspp-'));
  dirs.push(dir);
  await writeSurveyExport(dir, buildSurveyExport(dataset, options));
  writeFileSync(join(dir, 'run.sps'), RUN_SPS);
  const run = spawnSync(PSPP, ['run.sps', '-o', 'dictionary.csv'], {
    cwd: dir,
    encoding: 'utf8',
    timeout: 60_000,
  });
  const dictionary = readFileSync(join(dir, 'dictionary.csv'), 'utf8');
  if (run.status !== 0 || /error:/i.test(run.stdout + run.stderr + dictionary)) {
    throw new Error(
      `PSPP failed (${run.status}):\n${run.stdout}\n${run.stderr}\n${dictionary.slice(0, 2000)}`
    );
  }
  const lines = readCsv(dictionary);
  const start = lines.findIndex((l) => l[0] === 'Table: Variables');
  const variableLabels = new Map<string, string>();
  for (const l of lines.slice(start + 2)) {
    if (l.length < 3 || l[0] === '' || l[0]!.startsWith('Table:')) break;
    variableLabels.set(l[0]!, l[2]!);
  }
  return {
    values: readCsv(readFileSync(join(dir, 'pspp-values.csv'), 'utf8')),
    labels: readCsv(readFileSync(join(dir, 'pspp-labels.csv'), 'utf8')),
    variableLabels,
  };
}

/** mm/dd/yyyy, PSPP's CSV form of a date; with the time for date-times. */
function usDate(iso: string): string {
  const [y, m, d] = iso.slice(0, 10).split('-');
  return `${m}/${d}/${y}${iso.length > 10 ? iso.slice(10) : ''}`;
}

export const SYSMIS = ' ';

export function expectPsppEqualsExport(result: PsppResult, table: ExportTable): void {
  const lang = table.language;
  const na = table.noAnswerCode;
  expect(result.values[0]).toEqual(table.variables.map((v) => v.name));
  expect(result.values).toHaveLength(1 + table.rows.length);
  table.variables.forEach((v, j) => {
    const label = result.variableLabels.get(v.name);
    expect(label, v.name).toBeDefined();
    expect(v.label[lang].replace(/\s+/g, ' ').startsWith(label!.replace(/…$/, '')), v.name).toBe(true);
    table.rows.forEach((row, i) => {
      const cell = row[j];
      const value = result.values[i + 1]![j]!;
      const labelled = result.labels[i + 1]![j]!;
      const where = `${v.name}, row ${i + 1}`;
      switch (v.kind) {
        case 'text':
          // Both missing values are blank; line breaks were written as spaces (data-spss.csv).
          expect(value.trimEnd(), where).toBe(
            typeof cell === 'string' ? cell.replace(/\n/g, ' ').trimEnd() : ''
          );
          break;
        case 'date':
        case 'datetime':
          expect(value, where).toBe(typeof cell === 'string' ? usDate(cell) : SYSMIS);
          break;
        case 'integer':
        case 'decimal':
        case 'boolean':
        case 'indicator':
          if (cell === null) expect(value, where).toBe(SYSMIS);
          else if (typeof cell === 'string') expect(Number(value), where).toBe(Number(cell));
          else expect(value, where).toBe(na);
          if (v.binaryLabels && typeof cell === 'string')
            expect(labelled).toBe(v.binaryLabels[Number(cell)]![lang]);
          break;
        case 'categorical': {
          const category = v.categories.find((c) => c.code === cell);
          expect(value, where).toBe(
            cell === null ? SYSMIS : typeof cell === 'string' ? String(category!.value) : na
          );
          expect(labelled, where).toBe(
            cell === null ? SYSMIS : typeof cell === 'string' ? category!.label[lang] : TEXTS.noAnswer[lang]
          );
          break;
        }
      }
      if (
        typeof cell !== 'string' &&
        cell !== null &&
        v.kind !== 'text' &&
        v.role !== 'meta' &&
        v.kind !== 'date'
      ) {
        expect(labelled, where).toBe(TEXTS.noAnswer[lang]);
      }
    });
  });
}

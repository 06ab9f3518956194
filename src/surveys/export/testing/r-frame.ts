/**
 * Runs the generated load.R with Rscript on an export written to a temporary folder and reads back
 * the data frame R built (each string as UTF-8 bytes in hex, so nothing is lost between R and the
 * test); expectFrameEqualsExport compares it with the export table: names, rows and columns,
 * classes, variable labels, factor levels and labels, every value, missing values (both NA).
 */
import { spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { expect } from 'vitest';
import type { SurveyDataset } from '../../dataset.js';
import { buildSurveyExport, writeSurveyExport } from '../bundle.js';
import { normalizeText, type ExportOptions, type ExportTable } from '../model.js';

export const RSCRIPT = process.env.RSCRIPT ?? 'Rscript';
export const haveR = spawnSync(RSCRIPT, ['--version']).status === 0;

const DUMP_R = `
source("load.R")
hex <- function(s) if (is.na(s)) "NA" else if (nchar(s, type = "bytes") == 0) "EMPTY" else paste(as.character(charToRaw(enc2utf8(s))), collapse = "")
out <- c(paste("NROW", nrow(survey)), paste("NCOL", ncol(survey)), paste("TITLE", hex(attr(survey, "label"))))
for (j in seq_along(survey)) {
  x <- survey[[j]]
  lab <- attr(x, "label")
  if (is.null(lab)) lab <- NA_character_
  out <- c(out, paste("COL", hex(names(survey)[j]), class(x)[1], hex(lab)))
  if (is.factor(x)) out <- c(out, paste(c("LEVELS", vapply(levels(x), hex, "", USE.NAMES = FALSE)), collapse = " "))
  vals <- if (is.factor(x)) as.character(x) else if (inherits(x, "Date")) format(x, "%Y-%m-%d") else
    if (inherits(x, "POSIXct")) format(x, "%Y-%m-%d %H:%M:%S", tz = "UTC") else
    if (is.logical(x)) ifelse(is.na(x), NA, ifelse(x, "TRUE", "FALSE")) else
    if (is.numeric(x)) ifelse(is.na(x), NA, sprintf("%.17g", as.numeric(x))) else x
  out <- c(out, paste(c("VALUES", vapply(vals, hex, "", USE.NAMES = FALSE)), collapse = " "))
}
writeLines(out)
`;

export interface RColumn {
  name: string;
  rClass: string;
  label: string | null;
  levels?: string[];
  values: (string | null)[];
}

export interface RFrame {
  nrow: number;
  ncol: number;
  title: string | null;
  columns: RColumn[];
}

function unhex(token: string): string | null {
  if (token === 'NA') return null;
  if (token === 'EMPTY') return '';
  return Buffer.from(token, 'hex').toString('utf8');
}

function parseDump(text: string): RFrame {
  const frame: RFrame = { nrow: -1, ncol: -1, title: null, columns: [] };
  for (const line of text.split('\n').filter((l) => l !== '')) {
    const [tag, ...rest] = line.split(' ');
    if (tag === 'NROW') frame.nrow = Number(rest[0]);
    else if (tag === 'NCOL') frame.ncol = Number(rest[0]);
    else if (tag === 'TITLE') frame.title = unhex(rest[0]!);
    else if (tag === 'COL')
      frame.columns.push({ name: unhex(rest[0]!)!, rClass: rest[1]!, label: unhex(rest[2]!), values: [] });
    else if (tag === 'LEVELS') frame.columns.at(-1)!.levels = rest.map((t) => unhex(t)!);
    else if (tag === 'VALUES') frame.columns.at(-1)!.values = rest.map(unhex);
  }
  return frame;
}

/** Temporary folders of the runs; the test removes them with removeRunDirs in afterAll. */
const dirs: string[] = [];
export function removeRunDirs(): void {
  dirs.splice(0).forEach((d) => rmSync(d, { recursive: true, force: true }));
}

export async function runR(
  dataset: SurveyDataset,
  options: ExportOptions,
  env: Record<string, string> = {}
): Promise<RFrame> {
  const dir = mkdtempSync(join(tmpdir(), 'survey-export-r-'));
  dirs.push(dir);
  await writeSurveyExport(dir, buildSurveyExport(dataset, options));
  writeFileSync(join(dir, 'dump.R'), DUMP_R);
  const run = spawnSync(RSCRIPT, ['--vanilla', 'dump.R'], {
    cwd: dir,
    encoding: 'utf8',
    env: { ...process.env, ...env },
    timeout: 60_000,
  });
  if (run.status !== 0) throw new Error(`Rscript failed (${run.status}):\n${run.stderr}`);
  return parseDump(run.stdout);
}

const R_CLASS = {
  text: 'character',
  integer: 'integer',
  decimal: 'numeric',
  boolean: 'logical',
  indicator: 'integer',
  date: 'Date',
  datetime: 'POSIXct',
  categorical: 'factor',
} as const;

/** Every column of R's frame against the export table it was loaded from. */
export function expectFrameEqualsExport(frame: RFrame, table: ExportTable): void {
  const lang = table.language;
  expect(frame.nrow).toBe(table.rows.length);
  expect(frame.ncol).toBe(table.variables.length);
  expect(frame.title).toBe(table.title[lang]);
  table.variables.forEach((v, j) => {
    const column = frame.columns[j]!;
    expect(column.name).toBe(v.name);
    expect(column.rClass, v.column).toBe(
      v.kind === 'integer' && column.rClass === 'numeric' ? 'numeric' : R_CLASS[v.kind]
    );
    expect(column.label, v.column).toBe(normalizeText(v.label[lang]).replace(/[\n\t]/g, ' '));
    if (v.kind === 'categorical') expect(column.levels).toEqual(v.categories.map((c) => c.label[lang]));
    const expected = table.rows.map((row): string | null => {
      const cell = row[j];
      if (typeof cell !== 'string') return null; // not shown and no answer are both NA in R
      switch (v.kind) {
        case 'categorical':
          return v.categories.find((c) => c.code === cell)!.label[lang];
        case 'boolean':
          return cell === '1' ? 'TRUE' : 'FALSE';
        default:
          return cell;
      }
    });
    if (v.kind === 'integer' || v.kind === 'decimal' || v.kind === 'indicator') {
      // R prints the double with 17 significant digits: compare as numbers.
      expect(
        column.values.map((x) => (x === null ? null : Number(x))),
        v.column
      ).toEqual(expected.map((x) => (x === null ? null : Number(x))));
    } else {
      expect(column.values, v.column).toEqual(expected);
    }
  });
}

/**
 * Runs the generated load.R with Rscript on a generated export and checks, from what R prints,
 * that the labelled data frame equals the export: names, number of rows and columns, column
 * classes, variable labels, factor levels and labels, every value, and missing values (both kinds
 * NA). R prints each string as UTF-8 bytes in hex, so nothing is lost between R and the test.
 *
 * Needs R (`Rscript`; Debian: r-base-core, installed by CI's scripts/ci/install-system-deps.sh).
 * Without R the test is skipped outside CI and fails in CI (CI=true).
 */
import { spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import type { SurveyDataset } from '../dataset.js';
import { buildSurveyExport, writeSurveyExport } from './bundle.js';
import { NASTY_TEXTS, nastyDataset, syntheticDataset } from './fixtures.js';
import { buildExportTable, normalizeText, type ExportOptions, type ExportTable } from './model.js';

const RSCRIPT = process.env.RSCRIPT ?? 'Rscript';
const haveR = spawnSync(RSCRIPT, ['--version']).status === 0;
if (!haveR && !process.env.CI)
  console.warn(`${RSCRIPT} not found: the R round-trip test is skipped (it runs in CI)`);

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

interface RColumn {
  name: string;
  rClass: string;
  label: string | null;
  levels?: string[];
  values: (string | null)[];
}

interface RFrame {
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

const dirs: string[] = [];
afterAll(() => dirs.forEach((d) => rmSync(d, { recursive: true, force: true })));

async function runR(
  dataset: SurveyDataset,
  options: ExportOptions,
  env: Record<string, string> = {}
): Promise<RFrame> {
  const dir = mkdtempSync(join(tmpdir(), 'survey-export-r-'));
  dirs.push(dir);
  await writeSurveyExport(dir, buildSurveyExport(dataset, options));
  const { writeFileSync } = await import('node:fs');
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
function expectFrameEqualsExport(frame: RFrame, table: ExportTable): void {
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

describe.skipIf(!haveR && !process.env.CI)('load.R run by Rscript', { timeout: 120_000 }, () => {
  it('loads the nasty dataset (long form, nb labels) exactly as exported', async () => {
    const frame = await runR(nastyDataset(), {});
    expectFrameEqualsExport(frame, buildExportTable(nastyDataset()));

    // Hand-checked values, straight from the dataset rather than from the export table.
    const col = (name: string) => frame.columns.find((c) => c.name === name)!;
    expect([frame.nrow, frame.ncol]).toEqual([5, 23]);
    expect(col('comments').values[0]).toBe(NASTY_TEXTS.quotesAndLines.replace('\r\n', '\n'));
    expect(col('comments').values[3]).toBe('CR alene\nher');
    expect(col('comments').values[2]).toBe(NASTY_TEXTS.tab);
    expect(col('comments').values[4]).toBe(NASTY_TEXTS.emoji);
    // The leading = and ' are back: the escape apostrophe is gone.
    expect(col('referral_place').values).toEqual([
      NASTY_TEXTS.formula,
      null,
      null,
      NASTY_TEXTS.apostrophe,
      null,
    ]);
    expect(col('barrier__other').values[1]).toBe(NASTY_TEXTS.minusText);
    expect(col('icbt_known__other').values[0]).toBe(NASTY_TEXTS.at);
    expect(col('minutes').values.map((x) => (x === null ? null : Number(x)))).toEqual([
      22.5,
      -3,
      null,
      1e-7,
      null,
    ]);
    expect(col('has_nurse').values).toEqual(['TRUE', 'FALSE', null, 'TRUE', null]);
    expect(col('talk_therapy').values).toEqual(['Av og til', 'Aldri', 'Aldri', 'weekly', 'Ofte']);
    expect(col('barrier').values).toEqual([null, 'Annet (fritekst)', 'Opplæring', null, null]);
    expect(col('phq_use').levels).toEqual(['Aldri', 'Sjelden', 'Ofte', 'Alltid', 'Vet ikke']);
    expect(col('phq_use').values).toEqual(['Ofte', 'Aldri', null, 'Alltid', 'Vet ikke']);
    expect(col('nurse_tasks__groups').values).toEqual(['1', null, null, '0', null]);
    expect(col('last_referral').values).toEqual(['2026-01-15', null, null, '2026-08-31', null]);
    expect(col('updated_at').values[3]).toBe('2026-09-01 12:30:45');
    expect(col('years').label).toBe('Hvor mange år har du arbeidet som fastlege?');
    expect(col('respondent_key').values).toEqual(['p-001', 'p-002', 'p-003', 'p-001', null]);
  });

  it('loads the wide form with English labels', async () => {
    const options: ExportOptions = { form: 'wide', language: 'en' };
    const frame = await runR(nastyDataset(), options);
    expectFrameEqualsExport(frame, buildExportTable(nastyDataset(), options));
    const col = (name: string) => frame.columns.find((c) => c.name === name)!;
    expect(frame.nrow).toBe(4);
    expect(col('talk_therapy_6m').values).toEqual(['weekly', null, null, null]);
    expect(col('talk_therapy_baseline').values).toEqual(['Sometimes', 'Never', 'Never', 'Often']);
    expect(col('talk_therapy_baseline').label).toBe(
      '[baseline] How often do you give talking therapy yourself?'
    );
  });

  it('reads the same bytes in the C locale (the script is ASCII, the data read as UTF-8)', async () => {
    const frame = await runR(nastyDataset(), {}, { LANG: 'C', LC_ALL: 'C' });
    expectFrameEqualsExport(frame, buildExportTable(nastyDataset()));
  });

  it('loads 300 synthetic responses over two waves, long and wide', async () => {
    const dataset = syntheticDataset(300, 35, 7);
    for (const form of ['long', 'wide'] as const) {
      const frame = await runR(dataset, { form, language: 'en' });
      expectFrameEqualsExport(frame, buildExportTable(dataset, { form, language: 'en' }));
    }
  });
});

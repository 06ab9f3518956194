/**
 * The survey export as a set of files, and the one function of the export that touches the disk:
 * - data.csv            the answers (csv.ts), long or wide form
 * - data-spss.csv       only when a text answer holds a line break: data.csv with those line
 *                       breaks as spaces, for SPSS (GET DATA ends a case at every line break)
 * - codebook.csv/.md/.html  one row per column (codebook.ts)
 * - codebook.xml        DDI Codebook 2.5 (ddi.ts)
 * - load.R, load.do, load.sps  load data.csv with names, labels and missing values (syntax.ts)
 * - README.txt          what is where, the conventions, and what the export left out
 *
 * buildSurveyExport is pure; writeSurveyExport writes the files to a directory.
 */
import { mkdir, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import type { SurveyDataset } from '../dataset.js';
import { codebookCsv, codebookHtml, codebookMarkdown } from './codebook.js';
import { hasLineBreaks, tableToCsv } from './csv.js';
import { ddiCodebook } from './ddi.js';
import { buildExportTable, type ExportOptions, type ExportTable } from './model.js';
import { rScript, spssScript, stataScript } from './syntax.js';

export const EXPORT_FILES = [
  'data.csv',
  'codebook.csv',
  'codebook.md',
  'codebook.html',
  'codebook.xml',
  'load.R',
  'load.do',
  'load.sps',
  'README.txt',
] as const;

export type ExportFileName = (typeof EXPORT_FILES)[number] | 'data-spss.csv';

/** File name → content (UTF-8 text). */
export type SurveyExportFiles = Partial<Record<ExportFileName, string>> &
  Record<(typeof EXPORT_FILES)[number], string>;

function countsText(counts: Record<string, number>): string {
  const entries = Object.entries(counts);
  return entries.length === 0 ? 'none' : entries.map(([k, n]) => `${k} (${n})`).join(', ');
}

function readme(table: ExportTable, spssFile: string): string {
  const c = table.counts;
  const lines = [
    `Survey export: ${table.title.nb} / ${table.title.en}`,
    `Survey ${table.surveyId}, questionnaire version ${table.questionnaire.version ?? '?'}.`,
    '',
    'FILES',
    `  data.csv        the answers: ${table.form === 'long' ? 'long form, one row per response' : 'wide form, one row per respondent (columns <item>_<wave>)'}`,
    '                  (RFC 4180, UTF-8 without BOM, comma-separated, CRLF between rows)',
    ...(spssFile === 'data.csv'
      ? []
      : [
          '  data-spss.csv   data.csv with line breaks inside text answers written as spaces (read by load.sps)',
        ]),
    '  codebook.csv    one row per column: name, item text (nb, en), type, codes and labels, branching',
    '  codebook.md     the same as a Markdown table; codebook.html as a web page',
    '  codebook.xml    the same in DDI Codebook 2.5 (social-science metadata standard)',
    '  load.R          R (base R only):  setwd("<this folder>"); source("load.R")  -> data frame `survey`',
    '  load.do         Stata 16 or later:  cd "<this folder>"  then  do load.do',
    "  load.sps        SPSS Statistics:  CD '<this folder>'.  then run load.sps (INSERT FILE='load.sps'.)",
    '',
    'CONVENTIONS',
    '  Empty cell        the item was not shown (disabled by branching): system-missing everywhere.',
    `  ${table.noAnswerCode.padEnd(17)} the item was shown (or reached, in a partial response) but not answered:`,
    '                    NA in R, .a in Stata, user-missing in SPSS. Text variables: empty/NA in all three.',
    '  Choice            the option code; Stata and SPSS store an integer per code (the code itself when',
    '                    all codes of the item are integers, else 1..k in questionnaire order; see the codebook).',
    '  Tick all that apply   one 0/1 column per option, <linkId>__<code>.',
    '  Open choice       <linkId> holds the code, or _other when the answer was free text; the text is in',
    '                    <linkId>__other.',
    '  Names             one name per column for R, Stata and SPSS: at most 32 characters, a-z, 0-9, _;',
    '                    the codebook maps each CSV column (item linkId) to its name.',
    "  Apostrophe        a text cell that starts with = + - @ tab, a line break or ' got a leading ' so that a",
    '                    spreadsheet does not run it as a formula; the load scripts remove it again.',
    '  Line breaks       inside text answers are written as LF.',
    '  Times             updated_at is UTC, YYYY-MM-DD HH:MM:SS. Dates are YYYY-MM-DD.',
    `  Labels            the scripts label in ${table.language === 'nb' ? 'Norwegian bokmål' : 'English'}; the codebook has both languages.`,
    '',
    'CONTENTS',
    `  Responses in the dataset: ${c.responses}; exported: ${c.exported}; rows in data.csv: ${c.rows}; columns: ${table.variables.length}.`,
    `  By questionnaire version: ${countsText(c.byVersion)}.`,
    `  By wave: ${countsText(c.byWave)}.`,
    `  Answers to items not in this questionnaire version (left out): ${countsText(c.unknownItems)}.`,
    `  Answers of the wrong type for their item (exported as no answer): ${countsText(c.wrongType)}.`,
    `  Date items exported as text because some answers are not full dates: ${countsText(c.partialDates)}.`,
    ...(table.form === 'wide'
      ? [
          `  Responses left out of the wide form because the same respondent has another in that wave: ${c.duplicatesLeftOut}`,
          '  (kept: the complete one, else the latest; all are in the long form).',
        ]
      : []),
    '',
    'The respondent key is pseudonymous; the export holds no name, e-mail address, token or frame id.',
    '',
  ];
  return lines.join('\r\n');
}

/** Every file of the export (see the module comment). */
export function buildSurveyExport(dataset: SurveyDataset, options: ExportOptions = {}): SurveyExportFiles {
  const table = buildExportTable(dataset, options);
  const spssFile = hasLineBreaks(table) ? 'data-spss.csv' : 'data.csv';
  const files: SurveyExportFiles = {
    'data.csv': tableToCsv(table),
    'codebook.csv': codebookCsv(table),
    'codebook.md': codebookMarkdown(table),
    'codebook.html': codebookHtml(table),
    'codebook.xml': ddiCodebook(table),
    'load.R': rScript(table),
    'load.do': stataScript(table),
    'load.sps': spssScript(table, spssFile),
    'README.txt': readme(table, spssFile),
  };
  if (spssFile !== 'data.csv') files['data-spss.csv'] = tableToCsv(table, { lineBreaks: 'space' });
  return files;
}

/** Writes the files into `dir` (created if missing); returns the paths written. */
export async function writeSurveyExport(dir: string, files: SurveyExportFiles): Promise<string[]> {
  await mkdir(dir, { recursive: true });
  const written: string[] = [];
  for (const [name, content] of Object.entries(files)) {
    if (content === undefined) continue;
    if (!/^[\w.-]+$/.test(name)) throw new Error(`not a plain file name: ${name}`);
    const path = join(dir, name);
    await writeFile(path, content, 'utf8');
    written.push(path);
  }
  return written;
}

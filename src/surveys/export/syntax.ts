/**
 * Scripts that load data.csv with names, labels and missing values:
 * - load.R (base R only): read.csv with colClasses, factors with the codes as levels and the
 *   option texts as labels, `attr(x, "label")` for the item text, dates as Date, times as POSIXct
 *   (UTC), yes/no items as logical, 0/1 columns as integer; both kinds of missing are NA. The
 *   script is pure ASCII (every other character as a \u escape), so R reads it the same in any
 *   locale; the data are read as UTF-8.
 * - load.do (Stata 16 or later): import delimited with every column as text, then numbers with
 *   real(), dates with date()/clock(), choices with encode against the code list so each category
 *   gets its documented integer; value labels; `.` = not shown, `.a` = no answer.
 * - load.sps (SPSS Statistics): GET DATA /TYPE=TXT, RECODE of the codes to their integers,
 *   VARIABLE LABELS, VALUE LABELS, MISSING VALUES (the no-answer code is user-missing; not shown
 *   is system-missing), VARIABLE LEVEL.
 * Every script removes the formula-escape apostrophe (csv.ts) from text values, checks that the
 * file has the columns it was written for and stops on a value it cannot convert.
 *
 * Labels are in the export's language (nb by default). Stata variable labels are cut to 80
 * characters and SPSS labels to 255 (variables) and 120 (values) bytes: the codebook has them whole.
 *
 * Pure module: no I/O.
 */
import type { LocalText } from '../../domain/surveys/items.js';
import { escapeFormula } from './csv.js';
import { normalizeText, TEXTS, type ExportCategory, type ExportTable, type ExportVariable } from './model.js';
import { freePrefix } from './names.js';

/** Label text on one line: line breaks and tabs as spaces, other control characters dropped. */
function oneLine(text: string): string {
  return (
    normalizeText(text)
      .replace(/[\n\t]/g, ' ')
      // eslint-disable-next-line no-control-regex -- control characters are what this removes
      .replace(/[\u0000-\u001f\u007f]/g, '')
  );
}

function cutChars(text: string, max: number): string {
  const chars = [...text];
  return chars.length <= max ? text : chars.slice(0, max - 1).join('') + '…';
}

function cutBytes(text: string, max: number): string {
  if (Buffer.byteLength(text, 'utf8') <= max) return text;
  let out = '';
  let bytes = 0;
  for (const ch of text) {
    const size = Buffer.byteLength(ch, 'utf8');
    if (bytes + size > max - 3) break; // room for the ellipsis (3 bytes)
    out += ch;
    bytes += size;
  }
  return `${out}…`;
}

const lang = (table: ExportTable, text: LocalText) => text[table.language];

function csvCode(category: ExportCategory): string {
  return escapeFormula(category.code);
}

function dataFileComment(table: ExportTable): string {
  return table.form === 'wide'
    ? 'wide form: one row per respondent, columns per wave'
    : 'long form: one row per response';
}

// ---------------------------------------------------------------------------------------------
// R

/** An R string literal in pure ASCII: escapes for quote, backslash, control and non-ASCII characters. */
export function rString(text: string): string {
  let out = '"';
  for (const ch of normalizeText(text)) {
    const code = ch.codePointAt(0)!;
    if (ch === '"') out += '\\"';
    else if (ch === '\\') out += '\\\\';
    else if (ch === '\n') out += '\\n';
    else if (ch === '\t') out += '\\t';
    else if (code < 0x20 || code === 0x7f) out += `\\u{${code.toString(16).padStart(4, '0')}}`;
    else if (code < 0x80) out += ch;
    else if (code <= 0xffff) out += `\\u{${code.toString(16).padStart(4, '0')}}`;
    else out += `\\U{${code.toString(16)}}`;
  }
  return `${out}"`;
}

function rVector(values: readonly string[]): string {
  return `c(${values.map(rString).join(', ')})`;
}

function rClass(variable: ExportVariable, table: ExportTable, index: number): string {
  switch (variable.kind) {
    case 'boolean':
    case 'indicator':
      return 'integer';
    case 'integer': {
      const fits = table.rows.every((row) => {
        const cell = row[index];
        return typeof cell !== 'string' || Math.abs(Number(cell)) <= 2_147_483_647;
      });
      return fits ? 'integer' : 'numeric';
    }
    case 'decimal':
      return 'numeric';
    case 'text':
    case 'date':
    case 'datetime':
    case 'categorical':
      return 'character';
  }
}

function rConvert(variable: ExportVariable, table: ExportTable, index: number): string {
  const x = `raw[[${index + 1}]]`;
  switch (variable.kind) {
    case 'text':
      return `txt(${x})`;
    case 'integer':
    case 'decimal':
    case 'indicator':
      return `num(${x})`;
    case 'boolean':
      return `as.logical(num(${x}))`;
    case 'date':
      return `day(${x}, ${rString(variable.column)})`;
    case 'datetime':
      return `stamp(${x}, ${rString(variable.column)})`;
    case 'categorical':
      return `categories(${x}, ${rString(variable.column)},\n    ${rVector(variable.categories.map(csvCode))},\n    ${rVector(variable.categories.map((c) => lang(table, c.label)))})`;
  }
}

/** load.R for the table (see the module comment). */
export function rScript(table: ExportTable, dataFile = 'data.csv'): string {
  const lines: string[] = [
    `# load.R: reads ${dataFile} of survey ${asciiComment(table.surveyId)} with names and labels, in base R.`,
    `# Generated with the export (${dataFileComment(table)}; labels: ${table.language}). See README.txt and codebook.md.`,
    '#',
    '#   setwd("<the folder with data.csv>")',
    '#   source("load.R")        # -> data frame `survey`',
    '#',
    `# Missing values: an empty cell (item not shown, by branching) and ${table.noAnswerCode} (shown but not answered)`,
    '# are both NA here; data.csv and the codebook keep them apart. A text value that starts with an',
    '# apostrophe lost that apostrophe: it was added against spreadsheet formulas.',
    'survey <- local({',
    `  csv_file <- if (exists("survey_csv_file")) get("survey_csv_file") else ${rString(dataFile)}`,
    `  no_answer <- ${rString(table.noAnswerCode)}`,
    `  columns <- ${rVector(table.variables.map((v) => escapeFormula(v.column)))}`,
    `  classes <- ${rVector(table.variables.map((v, i) => rClass(v, table, i)))}`,
    '  raw <- utils::read.csv(csv_file, colClasses = classes, check.names = FALSE, na.strings = character(0),',
    '    encoding = "UTF-8", quote = "\\"", comment.char = "", strip.white = FALSE, stringsAsFactors = FALSE)',
    '  if (!identical(names(raw), columns)) stop("the file does not have the columns this script was written for: ", csv_file)',
    '  unescape <- function(x) {',
    '    hit <- !is.na(x) & startsWith(x, "\'")',
    '    x[hit] <- substring(x[hit], 2L)',
    '    x',
    '  }',
    '  txt <- function(x) {',
    '    x[x == "" | x == no_answer] <- NA',
    '    unescape(x)',
    '  }',
    '  num <- function(x) {',
    '    x[!is.na(x) & x == as.numeric(no_answer)] <- NA',
    '    x',
    '  }',
    '  day <- function(x, column) {',
    '    x <- txt(x)',
    '    d <- as.Date(x, format = "%Y-%m-%d")',
    '    if (any(is.na(d) & !is.na(x))) stop("not a date in column ", column)',
    '    d',
    '  }',
    '  stamp <- function(x, column) {',
    '    x <- txt(x)',
    '    d <- as.POSIXct(x, format = "%Y-%m-%d %H:%M:%S", tz = "UTC")',
    '    if (any(is.na(d) & !is.na(x))) stop("not a date and time in column ", column)',
    '    d',
    '  }',
    '  categories <- function(x, column, codes, labels) {',
    '    x[x == "" | x == no_answer] <- NA',
    '    unknown <- setdiff(unique(x[!is.na(x)]), codes)',
    '    if (length(unknown) > 0) stop("unknown code in column ", column, ": ", unknown[1])',
    '    factor(x, levels = codes, labels = labels)',
    '  }',
    '  labelled <- function(x, label) {',
    '    attr(x, "label") <- label',
    '    x',
    '  }',
    '  d <- raw',
  ];
  table.variables.forEach((v, i) => {
    lines.push(
      `  d[[${i + 1}]] <- labelled(${rConvert(v, table, i)},\n    ${rString(oneLine(lang(table, v.label)))})`
    );
  });
  lines.push(`  names(d) <- ${rVector(table.variables.map((v) => v.name))}`);
  lines.push(`  attr(d, "label") <- ${rString(oneLine(lang(table, table.title)))}`);
  lines.push('  d', '})', '');
  return lines.join('\n');
}

function asciiComment(text: string): string {
  return text.replace(/[^\x20-\x7e]/g, '?');
}

// ---------------------------------------------------------------------------------------------
// Stata

/**
 * A Stata compound-quoted string on one line: `"…"'. Inside, `$` and the backquote would start a
 * macro, so they are escaped with a backslash; `"'` would end the string early, so the pair is
 * written with a space between; a backslash before `$` or a backquote is doubled.
 */
export function stataString(text: string): string {
  const body = oneLine(text)
    .replace(/\\(?=[$`])/g, '\\\\')
    .replace(/([$`])/g, '\\$1')
    .replace(/"'/g, `" '`);
  return `\`"${body}"'`;
}

const STATA_VARIABLE_LABEL = 80;

/** Wraps a list of words into lines joined with ` ///` continuations. */
function stataWrap(head: string, words: readonly string[], tail = ''): string[] {
  const lines: string[] = [];
  let line = head;
  for (const word of words) {
    if (line.length + word.length + 1 > 100) {
      lines.push(`${line} ///`);
      line = '   ';
    }
    line += ` ${word}`;
  }
  lines.push(line + tail);
  return lines;
}

/** load.do for the table (see the module comment). */
export function stataScript(table: ExportTable, dataFile = 'data.csv'): string {
  const na = table.noAnswerCode;
  const names = table.variables.map((v) => v.name);
  const t = '__t';
  const lines: string[] = [
    `* load.do: reads ${dataFile} of survey ${asciiComment(table.surveyId)} with names and labels (Stata 16 or later).`,
    `* Generated with the export (${dataFileComment(table)}; labels: ${table.language}). See README.txt and codebook.md.`,
    '*',
    '*   cd "<the folder with data.csv>"',
    '*   do load.do',
    '*',
    `* Missing values: . = not shown (branching), .a = no answer (the code ${na} in data.csv). Text variables`,
    '* have "" for both. A text value that starts with an apostrophe lost that apostrophe: it was added',
    '* against spreadsheet formulas.',
    'version 16',
    'clear',
    `import delimited using "${dataFile}", clear varnames(nonames) rowrange(2) delimiters(",") ///`,
    '    bindquotes(strict) maxquotedrows(unlimited) stringcols(_all) encoding("utf-8")',
    `if c(k) != ${table.variables.length} {`,
    `    display as error "${dataFile} does not have the ${table.variables.length} columns this script was written for"`,
    '    exit 459',
    '}',
    ...stataWrap('rename', [
      ...table.variables.map(
        (_, i, all) => `${i === 0 ? '(' : ''}v${i + 1}${i === all.length - 1 ? ')' : ''}`
      ),
      ...names.map((n, i) => `${i === 0 ? '(' : ''}${n}${i === names.length - 1 ? ')' : ''}`),
    ]),
  ];

  for (const v of table.variables) {
    const x = v.name;
    lines.push(`* ${x}: ${asciiComment(v.column)} (${v.kind})`);
    switch (v.kind) {
      case 'text':
        lines.push(`quietly replace ${x} = "" if ${x} == "${na}"`);
        lines.push(`quietly replace ${x} = usubstr(${x}, 2, .) if usubstr(${x}, 1, 1) == "'"`);
        break;
      case 'integer':
      case 'decimal':
      case 'boolean':
      case 'indicator': {
        const type =
          v.kind === 'boolean' || v.kind === 'indicator' ? 'byte' : v.kind === 'integer' ? 'long' : 'double';
        lines.push(`generate ${type} ${t} = real(${x})`);
        lines.push(`quietly replace ${t} = .a if ${x} == "${na}"`);
        lines.push(`assert !missing(${t}) if ${x} != "" & ${x} != "${na}"`);
        lines.push(`drop ${x}`, `rename ${t} ${x}`);
        if (v.kind === 'decimal' && v.decimals > 0) lines.push(`format ${x} %12.${Math.min(v.decimals, 9)}f`);
        break;
      }
      case 'date':
      case 'datetime': {
        const day = v.kind === 'date';
        lines.push(
          day ? `generate long ${t} = date(${x}, "YMD")` : `generate double ${t} = clock(${x}, "YMDhms")`
        );
        lines.push(`quietly replace ${t} = .a if ${x} == "${na}"`);
        lines.push(`assert !missing(${t}) if ${x} != "" & ${x} != "${na}"`);
        lines.push(`drop ${x}`, `rename ${t} ${x}`);
        lines.push(`format ${x} ${day ? '%tdCCYY-NN-DD' : '%tcCCYY-NN-DD_HH:MM:SS'}`);
        break;
      }
      case 'categorical': {
        lines.push('capture label drop __c');
        for (const c of v.categories)
          lines.push(`label define __c ${c.value} ${stataString(csvCode(c))}, add`);
        lines.push(`generate byte __na = ${x} == "${na}"`);
        lines.push(`quietly replace ${x} = "" if __na`);
        lines.push(`encode ${x}, generate(${t}) label(__c) noextend`);
        lines.push(`quietly replace ${t} = .a if __na`);
        lines.push(`drop ${x} __na`, `rename ${t} ${x}`, 'label values ' + x, 'label drop __c');
        break;
      }
    }
    const valueLabels = stataValueLabels(table, v);
    if (valueLabels.length > 0) {
      lines.push(`capture label drop ${x}`);
      for (const [value, label] of valueLabels)
        lines.push(`label define ${x} ${value} ${stataString(label)}, add`);
      lines.push(`label values ${x} ${x}`);
    }
    lines.push(
      `label variable ${x} ${stataString(cutChars(oneLine(lang(table, v.label)), STATA_VARIABLE_LABEL))}`
    );
  }
  lines.push(...stataWrap('order', names));
  lines.push(`label data ${stataString(cutChars(oneLine(lang(table, table.title)), STATA_VARIABLE_LABEL))}`);
  lines.push('compress', '');
  return lines.join('\n');
}

function stataValueLabels(table: ExportTable, v: ExportVariable): [string, string][] {
  const noAnswer: [string, string][] = v.role === 'meta' ? [] : [['.a', lang(table, TEXTS.noAnswer)]];
  if (v.kind === 'categorical') {
    return [
      ...v.categories.map((c): [string, string] => [String(c.value), lang(table, c.label)]),
      ...noAnswer,
    ];
  }
  if (v.binaryLabels) {
    return [['0', lang(table, v.binaryLabels[0])], ['1', lang(table, v.binaryLabels[1])], ...noAnswer];
  }
  if (v.kind === 'integer' || v.kind === 'decimal' || v.kind === 'date') return noAnswer;
  return [];
}

// ---------------------------------------------------------------------------------------------
// SPSS

/** An SPSS string literal in double quotes (quotes doubled), split into `+`-joined pieces of at most 100 bytes. */
export function spssString(text: string, maxBytes: number): string {
  const whole = cutBytes(oneLine(text), maxBytes);
  const pieces: string[] = [];
  let piece = '';
  for (const ch of whole) {
    if (Buffer.byteLength(piece + ch, 'utf8') > 100) {
      pieces.push(piece);
      piece = '';
    }
    piece += ch;
  }
  pieces.push(piece);
  return pieces.map((p) => `"${p.replaceAll('"', '""')}"`).join(' +\n    ');
}

function spssWrap(head: string, words: readonly string[], tail: string): string[] {
  const lines: string[] = [];
  let line = head;
  for (const word of words) {
    if (line.length + word.length + 1 > 100) {
      lines.push(line);
      line = '   ';
    }
    line += ` ${word}`;
  }
  lines.push(line + tail);
  return lines;
}

const SPSS_MAX_STRING = 32767;

function spssNumberWidth(v: ExportVariable): number {
  return Math.min(40, Math.max(8, v.maxBytes));
}

/** load.sps for the table (see the module comment). `dataFile` is data-spss.csv when data.csv has line breaks in text. */
export function spssScript(table: ExportTable, dataFile = 'data.csv'): string {
  const na = table.noAnswerCode;
  const names = table.variables.map((v) => v.name);
  const raw = freePrefix(names);
  const readAsText = (v: ExportVariable) =>
    v.kind === 'categorical' || v.kind === 'date' || v.kind === 'datetime';
  const readName = (v: ExportVariable) => (readAsText(v) ? `${raw}${v.name}` : v.name);
  const width = (v: ExportVariable) => Math.min(SPSS_MAX_STRING, Math.max(1, v.maxBytes));
  const lines: string[] = [
    `* load.sps: reads ${dataFile} of survey ${asciiComment(table.surveyId)} with names and labels (SPSS Statistics).`,
    `* Generated with the export (${dataFileComment(table)}; labels: ${table.language}). See README.txt and codebook.md.`,
    "* First make the folder with the data the working folder, e.g.  CD 'C:\\survey-export'.",
    `* Missing values: system-missing = not shown (branching); ${na} = no answer (user-missing).`,
    '* Text variables are blank for both. A text value that starts with an apostrophe lost that',
    '* apostrophe: it was added against spreadsheet formulas.',
    ...(dataFile === 'data.csv'
      ? []
      : [
          `* ${dataFile} is data.csv with each line break inside a text answer written as a space`,
          '* (GET DATA ends a case at every line break).',
        ]),
    'GET DATA',
    '  /TYPE=TXT',
    `  /FILE='${dataFile}'`,
    "  /ENCODING='UTF8'",
    '  /ARRANGEMENT=DELIMITED',
    '  /DELCASE=LINE',
    '  /FIRSTCASE=2',
    '  /DELIMITERS=","',
    "  /QUALIFIER='\"'",
    '  /VARIABLES=',
  ];
  for (const v of table.variables) {
    const format = readAsText(v) || v.kind === 'text' ? `A${width(v)}` : `F${spssNumberWidth(v)}.0`;
    lines.push(`    ${readName(v)} ${format}`);
  }
  lines.push('.');

  const textVariables = table.variables.filter((v) => v.kind === 'text');
  for (const v of textVariables) {
    lines.push(`IF (${v.name} = "${na}") ${v.name} = "".`);
    lines.push(`IF (SUBSTR(${v.name}, 1, 1) = "'") ${v.name} = SUBSTR(${v.name}, 2).`);
  }
  for (const v of table.variables) {
    const source = readName(v);
    if (v.kind === 'categorical') {
      const pairs = v.categories.map((c) => `(${spssString(csvCode(c), SPSS_MAX_STRING)}=${c.value})`);
      lines.push(
        ...spssWrap(`RECODE ${source}`, [...pairs, `("${na}"=${na})`, '(ELSE=SYSMIS)'], ` INTO ${v.name}.`)
      );
      lines.push(`FORMATS ${v.name} (F${spssNumberWidth(v)}.0).`);
    } else if (v.kind === 'date') {
      lines.push(`NUMERIC ${v.name} (SDATE10).`);
      lines.push(`DO IF (${source} <> "" AND ${source} <> "${na}").`);
      lines.push(
        `COMPUTE ${v.name} = DATE.DMY(NUMBER(SUBSTR(${source}, 9, 2), F2.0), NUMBER(SUBSTR(${source}, 6, 2), F2.0),`,
        `    NUMBER(SUBSTR(${source}, 1, 4), F4.0)).`
      );
      lines.push('END IF.');
    } else if (v.kind === 'datetime') {
      lines.push(`NUMERIC ${v.name} (DATETIME20).`);
      lines.push(`DO IF (${source} <> "" AND ${source} <> "${na}").`);
      lines.push(
        `COMPUTE ${v.name} = DATE.DMY(NUMBER(SUBSTR(${source}, 9, 2), F2.0), NUMBER(SUBSTR(${source}, 6, 2), F2.0),`,
        `    NUMBER(SUBSTR(${source}, 1, 4), F4.0)) + TIME.HMS(NUMBER(SUBSTR(${source}, 12, 2), F2.0),`,
        `    NUMBER(SUBSTR(${source}, 15, 2), F2.0), NUMBER(SUBSTR(${source}, 18, 2), F2.0)).`
      );
      lines.push('END IF.');
    } else if (v.kind === 'decimal') {
      lines.push(`FORMATS ${v.name} (F${spssNumberWidth(v)}.${Math.min(v.decimals, 16)}).`);
    }
  }
  lines.push('EXECUTE.');
  lines.push(...spssWrap('MATCH FILES FILE=* /KEEP=', names, '.'));
  lines.push('EXECUTE.');

  lines.push('VARIABLE LABELS');
  table.variables.forEach((v, i) => {
    const label = spssString(lang(table, v.label), 255);
    lines.push(`  ${i === 0 ? '' : '/'}${v.name} ${label}${i === table.variables.length - 1 ? '.' : ''}`);
  });

  const labelled = table.variables
    .map((v) => ({ v, pairs: spssValueLabels(table, v) }))
    .filter((x) => x.pairs.length > 0);
  if (labelled.length > 0) {
    lines.push('VALUE LABELS');
    labelled.forEach(({ v, pairs }, i) => {
      lines.push(`  ${i === 0 ? '' : '/'}${v.name}`);
      pairs.forEach(([value, label], j) => {
        const end = i === labelled.length - 1 && j === pairs.length - 1 ? '.' : '';
        lines.push(`    ${value} ${spssString(label, 120)}${end}`);
      });
    });
  }

  const withMissing = table.variables.filter(
    (v) => v.role !== 'meta' && v.kind !== 'text' && v.kind !== 'date' && v.kind !== 'datetime'
  );
  if (withMissing.length > 0)
    lines.push(
      ...spssWrap(
        'MISSING VALUES',
        withMissing.map((v) => v.name),
        ` (${na}).`
      )
    );

  const levels: [string, ExportVariable[]][] = [
    [
      'NOMINAL',
      table.variables.filter(
        (v) => v.kind === 'categorical' || v.kind === 'boolean' || v.kind === 'indicator' || v.kind === 'text'
      ),
    ],
    [
      'SCALE',
      table.variables.filter(
        (v) => v.kind === 'integer' || v.kind === 'decimal' || v.kind === 'date' || v.kind === 'datetime'
      ),
    ],
  ];
  const levelLines = levels.filter(([, vs]) => vs.length > 0);
  if (levelLines.length > 0) {
    lines.push('VARIABLE LEVEL');
    levelLines.forEach(([level, vs], i) => {
      lines.push(
        ...spssWrap(
          `  ${i === 0 ? '' : '/'}`,
          vs.map((v) => v.name),
          ` (${level})${i === levelLines.length - 1 ? '.' : ''}`
        )
      );
    });
  }
  lines.push('EXECUTE.', '');
  return lines.join('\n');
}

function spssValueLabels(table: ExportTable, v: ExportVariable): [string, string][] {
  const noAnswer: [string, string][] =
    v.role === 'meta' ? [] : [[table.noAnswerCode, lang(table, TEXTS.noAnswer)]];
  if (v.kind === 'categorical') {
    return [
      ...v.categories.map((c): [string, string] => [String(c.value), lang(table, c.label)]),
      ...noAnswer,
    ];
  }
  if (v.binaryLabels) {
    return [['0', lang(table, v.binaryLabels[0])], ['1', lang(table, v.binaryLabels[1])], ...noAnswer];
  }
  if (v.kind === 'integer' || v.kind === 'decimal') return noAnswer;
  return [];
}

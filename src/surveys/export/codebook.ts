/**
 * The codebook: one row per column of data.csv — its name in R, Stata and SPSS, the item linkId,
 * the item text in bokmål and English, the type, the codes with their Stata/SPSS integers and
 * labels in both languages, when the item is shown (branching, in words), whether it is required,
 * and how missing values are written. As codebook.csv (every cell escaped like data.csv's text),
 * codebook.md (Markdown, punctuation that Markdown would read escaped) and codebook.html.
 *
 * Pure module: no I/O.
 */
import type { LocalText } from '../../domain/surveys/items.js';
import { rowsToCsv } from './csv.js';
import { TEXTS, type ExportTable, type ExportVariable } from './model.js';

export interface CodebookRow {
  /** CSV column. */
  column: string;
  /** R / Stata / SPSS name. */
  name: string;
  linkId: string;
  wave: string;
  /** How the column is stored (model.ts VariableKind). */
  kind: string;
  /** FHIR item type ('' for the response's own columns). */
  itemType: string;
  required: string;
  group: LocalText;
  /** The question (item text) — for a 0/1 or "other" column, the question it belongs to. */
  text: LocalText;
  /** The variable label the scripts set. */
  label: LocalText;
  /** `code = integer` for each category ('' when not categorical). */
  codes: string;
  /** `integer = label` for each category and 0/1 column, in each language. */
  values: LocalText;
  /** When the item is shown ('' when always). */
  condition: LocalText;
  missing: string;
  notes: string;
}

function joinBoth(parts: readonly LocalText[], separator: string): LocalText {
  return { nb: parts.map((p) => p.nb).join(separator), en: parts.map((p) => p.en).join(separator) };
}

const EMPTY: LocalText = { nb: '', en: '' };

function valueLabels(v: ExportVariable, noAnswerCode: string): LocalText {
  const pairs: { value: string; label: LocalText }[] = [];
  if (v.kind === 'categorical')
    for (const c of v.categories) pairs.push({ value: String(c.value), label: c.label });
  if (v.binaryLabels) {
    pairs.push({ value: '0', label: v.binaryLabels[0] }, { value: '1', label: v.binaryLabels[1] });
  }
  if (pairs.length === 0) return EMPTY;
  pairs.push({ value: noAnswerCode, label: TEXTS.noAnswer });
  return joinBoth(
    pairs.map((p) => ({ nb: `${p.value} = ${p.label.nb}`, en: `${p.value} = ${p.label.en}` })),
    '; '
  );
}

function missingText(v: ExportVariable, noAnswerCode: string): string {
  if (v.role === 'meta')
    return v.column.startsWith('respondent_key')
      ? 'empty = anonymous response'
      : 'empty = no response in this wave';
  if (v.role === 'other') return 'empty = no free text (not shown, or a listed option chosen)';
  return `empty = not shown (branching); ${noAnswerCode} = no answer`;
}

function notesOf(table: ExportTable, v: ExportVariable): string {
  const notes: string[] = [];
  const fromData = v.categories.filter((c) => c.origin === 'data').map((c) => c.code);
  if (fromData.length > 0)
    notes.push(`codes met in the data but not among this version's options: ${fromData.join(', ')}`);
  const other = v.categories.find((c) => c.origin === 'other');
  if (other) notes.push(`${other.code} = free text given, see ${v.column}__other`);
  if (v.role === 'option' && v.option) notes.push(`1 = option ${v.option.code} chosen`);
  if (v.linkId !== undefined && table.counts.partialDates[v.linkId] !== undefined) {
    notes.push('exported as text: some answers are not full dates');
  }
  if (v.role === 'other' && v.item?.repeats) notes.push('several free texts are joined with " | "');
  if ([...v.label[table.language]].length > 80) notes.push('Stata variable label cut to 80 characters');
  return notes.join('; ');
}

/** The codebook rows, one per CSV column, in column order. */
export function codebookRows(table: ExportTable): CodebookRow[] {
  const groupText = (v: ExportVariable): LocalText => {
    if (!v.item) return EMPTY;
    return joinBoth(
      v.item.parents.map((p) => table.groupTexts.get(p) ?? { nb: p, en: p }),
      ' > '
    );
  };
  return table.variables.map((v) => ({
    column: v.column,
    name: v.name,
    linkId: v.linkId ?? '',
    wave: v.wave ?? '',
    kind: v.kind,
    itemType: v.item?.type ?? '',
    required: v.item ? (v.item.required ? 'yes' : 'no') : '',
    group: groupText(v),
    text: v.item?.text ?? v.label,
    label: v.label,
    codes: v.categories.map((c) => `${c.code} = ${c.value}`).join('; '),
    values: valueLabels(v, table.noAnswerCode),
    condition: v.condition ?? EMPTY,
    missing: missingText(v, table.noAnswerCode),
    notes: notesOf(table, v),
  }));
}

export const CODEBOOK_COLUMNS = [
  'column',
  'name',
  'linkId',
  'wave',
  'kind',
  'item_type',
  'required',
  'group_nb',
  'group_en',
  'text_nb',
  'text_en',
  'label_nb',
  'label_en',
  'codes',
  'values_nb',
  'values_en',
  'condition_nb',
  'condition_en',
  'missing',
  'notes',
] as const;

function rowCells(r: CodebookRow): string[] {
  return [
    r.column,
    r.name,
    r.linkId,
    r.wave,
    r.kind,
    r.itemType,
    r.required,
    r.group.nb,
    r.group.en,
    r.text.nb,
    r.text.en,
    r.label.nb,
    r.label.en,
    r.codes,
    r.values.nb,
    r.values.en,
    r.condition.nb,
    r.condition.en,
    r.missing,
    r.notes,
  ];
}

/** codebook.csv. */
export function codebookCsv(table: ExportTable): string {
  return rowsToCsv([[...CODEBOOK_COLUMNS], ...codebookRows(table).map(rowCells)]);
}

// ---------------------------------------------------------------------------------------------
// Markdown and HTML

/** Text inside a Markdown table cell: Markdown punctuation backslash-escaped, line breaks as <br>. */
export function markdownCell(text: string): string {
  return text.replace(/[\\`*_[\]<>|~&#!]/g, (c) => `\\${c}`).replace(/\r\n|\r|\n/g, '<br>');
}

function summaryLines(table: ExportTable): { label: string; value: string }[] {
  const c = table.counts;
  return [
    { label: 'Survey', value: table.surveyId },
    {
      label: 'Questionnaire',
      value: `${table.title.nb} / ${table.title.en} (version ${table.questionnaire.version ?? '?'})`,
    },
    {
      label: 'Form',
      value: table.form === 'long' ? 'long: one row per response' : 'wide: one row per respondent',
    },
    { label: 'Rows × columns', value: `${c.rows} × ${table.variables.length}` },
    { label: 'Waves', value: table.waves.join(', ') || '(none)' },
    {
      label: 'Missing values',
      value: `empty cell = not shown (disabled by branching; system-missing); ${table.noAnswerCode} = shown but not answered (user-missing in SPSS, .a in Stata, NA in R)`,
    },
    { label: 'Labels in the scripts', value: table.language },
  ];
}

const LANGUAGES = ['nb', 'en'] as const;

/** codebook.md: a summary, then one table row per column. */
export function codebookMarkdown(table: ExportTable): string {
  const rows = codebookRows(table);
  const lines = [
    `# Codebook: ${markdownCell(table.title.nb)}`,
    '',
    ...summaryLines(table).map((s) => `- **${s.label}**: ${markdownCell(s.value)}`),
    '',
    'Names: one name per column for R, Stata and SPSS (at most 32 characters, a-z, 0-9 and _). ' +
      'Codes: the integer Stata and SPSS store for each code (the code itself when all codes of an item are integers, else 1..k in the questionnaire order).',
    '',
    '| Name | Column | Question (nb / en) | Type | Codes and labels | Shown when | Required | Missing | Notes |',
    '| --- | --- | --- | --- | --- | --- | --- | --- | --- |',
  ];
  for (const r of rows) {
    const question = LANGUAGES.map((l) => r.text[l]).join(' / ');
    const label = r.label.nb !== r.text.nb ? ` (label: ${r.label[table.language]})` : '';
    const values = r.values.nb === '' ? '' : `nb: ${r.values.nb}\nen: ${r.values.en}`;
    const codes = r.codes === '' ? values : `${r.codes}\n${values}`;
    const cells = [
      `\`${r.name}\``,
      markdownCell(r.column),
      markdownCell(`${r.group.nb ? `${r.group.nb} > ` : ''}${question}${label}`),
      markdownCell(r.itemType ? `${r.itemType} (${r.kind})` : r.kind),
      markdownCell(codes),
      markdownCell(r.condition.nb === '' ? '' : `${r.condition.nb}\n${r.condition.en}`),
      markdownCell(r.required),
      markdownCell(r.missing),
      markdownCell(r.notes),
    ];
    lines.push(`| ${cells.join(' | ')} |`);
  }
  lines.push('');
  return lines.join('\n');
}

/** HTML-escaped text (element content and attribute values alike). */
export function escapeHtml(text: string): string {
  return text
    .replaceAll('&', '&amp;')
    .replaceAll('<', '&lt;')
    .replaceAll('>', '&gt;')
    .replaceAll('"', '&quot;')
    .replaceAll("'", '&#39;');
}

function htmlLines(text: string): string {
  return escapeHtml(text).replace(/\r\n|\r|\n/g, '<br>');
}

/** codebook.html: the same table as codebook.md, as a standalone page. */
export function codebookHtml(table: ExportTable): string {
  const rows = codebookRows(table);
  const head = [
    'Name',
    'Column',
    'Question (nb)',
    'Question (en)',
    'Type',
    'Codes',
    'Labels (nb)',
    'Labels (en)',
    'Shown when',
    'Required',
    'Missing',
    'Notes',
  ];
  const body = rows
    .map((r) =>
      [
        `<code>${escapeHtml(r.name)}</code>`,
        htmlLines(r.column),
        htmlLines(r.group.nb ? `${r.group.nb} > ${r.text.nb}` : r.text.nb),
        htmlLines(r.group.en ? `${r.group.en} > ${r.text.en}` : r.text.en),
        htmlLines(r.itemType ? `${r.itemType} (${r.kind})` : r.kind),
        htmlLines(r.codes.replaceAll('; ', '\n')),
        htmlLines(r.values.nb.replaceAll('; ', '\n')),
        htmlLines(r.values.en.replaceAll('; ', '\n')),
        htmlLines(r.condition.nb === '' ? '' : `${r.condition.nb}\n${r.condition.en}`),
        htmlLines(r.required),
        htmlLines(r.missing),
        htmlLines(r.notes),
      ]
        .map((cell) => `<td>${cell}</td>`)
        .join('')
    )
    .map((cells) => `<tr>${cells}</tr>`);
  return [
    '<!doctype html>',
    `<html lang="${table.language === 'nb' ? 'nb' : 'en'}">`,
    '<head>',
    '<meta charset="utf-8">',
    `<title>Codebook: ${escapeHtml(table.title[table.language])}</title>`,
    '<style>body{font-family:system-ui,sans-serif;margin:1.5rem}table{border-collapse:collapse;font-size:.85rem}th,td{border:1px solid #bbb;padding:.3rem .45rem;vertical-align:top;text-align:left}th{background:#eef}</style>',
    '</head>',
    '<body>',
    `<h1>Codebook: ${escapeHtml(table.title[table.language])}</h1>`,
    '<ul>',
    ...summaryLines(table).map(
      (s) => `<li><strong>${escapeHtml(s.label)}</strong>: ${escapeHtml(s.value)}</li>`
    ),
    '</ul>',
    '<table>',
    `<thead><tr>${head.map((h) => `<th scope="col">${escapeHtml(h)}</th>`).join('')}</tr></thead>`,
    '<tbody>',
    ...body,
    '</tbody>',
    '</table>',
    '</body>',
    '</html>',
    '',
  ].join('\n');
}

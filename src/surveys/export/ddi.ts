/**
 * codebook.xml: the export described in DDI Codebook 2.5 (namespace ddi:codebook:2_5), the
 * metadata standard social-science data archives read:
 * - stdyDscr/citation: the questionnaire's title (nb, the English as parTitl), the survey id
 *   (IDNo) and the questionnaire version;
 * - fileDscr: data.csv, its rows and columns, form and missing-value conventions;
 * - dataDscr/var, one per CSV column, in the schema's element order: labl (variable label, nb and
 *   en), qstn/qstnLit (item text, nb and en), universe (when the item is shown), catgry per code
 *   (catValu as written in data.csv, labl nb and en, txt with the Stata/SPSS integer), the
 *   no-answer code as a catgry with missing="Y", varFormat (numeric or character; date and time
 *   formats named), notes.
 * Text is escaped for XML (&, <, >, quotes in attributes) and characters XML 1.0 cannot hold
 * (control characters, unpaired surrogates) become U+FFFD.
 *
 * Pure module: no I/O.
 */
import type { LocalText } from '../../domain/surveys/items.js';
import { TEXTS, type ExportTable, type ExportVariable } from './model.js';

/** Characters XML 1.0 does not allow, even as references. */
const NOT_XML =
  // eslint-disable-next-line no-control-regex -- control characters are what this finds
  /[\u0000-\u0008\u000b\u000c\u000e-\u001f\ufffe\uffff]|[\ud800-\udbff](?![\udc00-\udfff])|(?<![\ud800-\udbff])[\udc00-\udfff]/g;

/** Text as XML character data or attribute value. */
export function xmlEscape(text: string): string {
  return text
    .replace(NOT_XML, '\ufffd')
    .replace(/\r\n?/g, '\n')
    .replaceAll('&', '&amp;')
    .replaceAll('<', '&lt;')
    .replaceAll('>', '&gt;')
    .replaceAll('"', '&quot;')
    .replaceAll("'", '&apos;');
}

class Xml {
  private readonly out: string[] = [];
  private depth = 0;

  open(name: string, attributes: Record<string, string | undefined> = {}): this {
    this.out.push(`${'  '.repeat(this.depth)}<${name}${attrs(attributes)}>`);
    this.depth++;
    return this;
  }

  close(name: string): this {
    this.depth--;
    this.out.push(`${'  '.repeat(this.depth)}</${name}>`);
    return this;
  }

  leaf(name: string, text: string, attributes: Record<string, string | undefined> = {}): this {
    this.out.push(`${'  '.repeat(this.depth)}<${name}${attrs(attributes)}>${xmlEscape(text)}</${name}>`);
    return this;
  }

  empty(name: string, attributes: Record<string, string | undefined> = {}): this {
    this.out.push(`${'  '.repeat(this.depth)}<${name}${attrs(attributes)}/>`);
    return this;
  }

  both(name: string, text: LocalText, attributes: Record<string, string | undefined> = {}): this {
    this.leaf(name, text.nb, { ...attributes, 'xml:lang': 'nb' });
    if (text.en !== text.nb) this.leaf(name, text.en, { ...attributes, 'xml:lang': 'en' });
    return this;
  }

  toString(): string {
    return this.out.join('\n') + '\n';
  }
}

function attrs(attributes: Record<string, string | undefined>): string {
  return Object.entries(attributes)
    .filter((e): e is [string, string] => e[1] !== undefined)
    .map(([k, v]) => ` ${k}="${xmlEscape(v)}"`)
    .join('');
}

function representation(v: ExportVariable): string {
  switch (v.kind) {
    case 'categorical':
      return 'code';
    case 'integer':
    case 'decimal':
    case 'boolean':
    case 'indicator':
      return 'numeric';
    case 'date':
    case 'datetime':
      return 'datetime';
    case 'text':
      return 'text';
  }
}

function writeVar(xml: Xml, table: ExportTable, v: ExportVariable, index: number): void {
  const continuous =
    v.kind === 'integer' || v.kind === 'decimal' || v.kind === 'date' || v.kind === 'datetime';
  xml.open('var', {
    ID: `V${index + 1}`,
    name: v.name,
    files: 'F1',
    intrvl: continuous ? 'contin' : 'discrete',
    dcml: v.kind === 'decimal' ? String(v.decimals) : undefined,
    representationType: representation(v),
  });
  xml.both('labl', v.label);
  if (v.item) {
    xml.open('qstn', { ID: `Q${index + 1}` });
    xml.both('qstnLit', v.item.text);
    xml.close('qstn');
  }
  if (v.condition) xml.both('universe', v.condition, { clusion: 'I' });
  xml.leaf(
    'txt',
    `CSV column: ${v.column}${v.linkId === undefined ? '' : `; item linkId: ${v.linkId}`}${v.wave === undefined ? '' : `; wave: ${v.wave}`}`
  );
  for (const c of v.categories) {
    xml.open('catgry');
    xml.leaf('catValu', c.code);
    xml.both('labl', c.label);
    xml.leaf('txt', `Stata/SPSS value: ${c.value}`);
    xml.close('catgry');
  }
  if (v.binaryLabels) {
    for (const [value, label] of [
      ['0', v.binaryLabels[0]],
      ['1', v.binaryLabels[1]],
    ] as const) {
      xml.open('catgry');
      xml.leaf('catValu', value);
      xml.both('labl', label);
      xml.close('catgry');
    }
  }
  if (v.role !== 'meta' && v.role !== 'other') {
    xml.open('catgry', { missing: 'Y' });
    xml.leaf('catValu', table.noAnswerCode);
    xml.both('labl', TEXTS.noAnswer);
    xml.close('catgry');
  }
  const character =
    v.kind === 'text' || v.kind === 'categorical' || v.kind === 'date' || v.kind === 'datetime';
  xml.empty('varFormat', {
    type: character ? 'character' : 'numeric',
    schema: 'other',
    formatname:
      v.kind === 'date' ? 'YYYY-MM-DD' : v.kind === 'datetime' ? 'YYYY-MM-DD hh:mm:ss (UTC)' : undefined,
    category: v.kind === 'date' ? 'date' : v.kind === 'datetime' ? 'time' : undefined,
  });
  if (v.role !== 'meta') {
    xml.leaf('notes', `An empty cell: not shown (branching). ${table.noAnswerCode}: shown but not answered.`);
  }
  xml.close('var');
}

/** codebook.xml (DDI Codebook 2.5) for the table. */
export function ddiCodebook(table: ExportTable, dataFile = 'data.csv'): string {
  const xml = new Xml();
  xml.open('codeBook', {
    xmlns: 'ddi:codebook:2_5',
    'xmlns:xsi': 'http://www.w3.org/2001/XMLSchema-instance',
    'xsi:schemaLocation':
      'ddi:codebook:2_5 http://www.ddialliance.org/Specification/DDI-Codebook/2.5/XMLSchema/codebook.xsd',
    version: '2.5',
    ID: 'gpdep-survey-export',
    'xml:lang': table.language,
  });
  xml.open('stdyDscr');
  xml.open('citation');
  xml.open('titlStmt');
  xml.leaf('titl', table.title.nb, { 'xml:lang': 'nb' });
  xml.leaf('parTitl', table.title.en, { 'xml:lang': 'en' });
  xml.leaf('IDNo', table.surveyId);
  xml.close('titlStmt');
  xml.open('verStmt');
  xml.leaf('version', table.questionnaire.version ?? '');
  xml.close('verStmt');
  xml.close('citation');
  xml.close('stdyDscr');

  xml.open('fileDscr', { ID: 'F1' });
  xml.open('fileTxt');
  xml.leaf('fileName', dataFile);
  xml.leaf(
    'fileCont',
    table.form === 'long'
      ? 'Survey responses, long form: one row per response (waves as rows).'
      : 'Survey responses, wide form: one row per respondent, one column per item and wave.'
  );
  xml.open('dimensns');
  xml.leaf('caseQnty', String(table.rows.length));
  xml.leaf('varQnty', String(table.variables.length));
  xml.close('dimensns');
  xml.leaf('fileType', 'CSV (RFC 4180), UTF-8', { charset: 'UTF-8' });
  xml.leaf(
    'dataMsng',
    `An empty cell is system-missing: the item was not shown (disabled by branching). ${table.noAnswerCode} means shown but not answered.`
  );
  xml.close('fileTxt');
  xml.close('fileDscr');

  xml.open('dataDscr');
  table.variables.forEach((v, i) => writeVar(xml, table, v, i));
  xml.close('dataDscr');
  xml.close('codeBook');
  return `<?xml version="1.0" encoding="UTF-8"?>\n${xml.toString()}`;
}

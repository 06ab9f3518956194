/**
 * The self-contained HTML report: inline CSS and SVG, no script, no external resource. It renders
 * only published (disclosure-controlled) tables; every plot sits beside a table with its numbers.
 */
import {
  SUPPRESSED_MARK,
  assertNoSmallCells,
  type CellValue,
  type Column,
  type PublishedTable,
} from '../analyze/model.js';
import type { ResolvedParams } from '../engine/params.js';
import { SMALL_CELL_THRESHOLD } from '../stats/suppress.js';
import { translator } from './i18n/index.js';
import type { Lang, Translator } from './i18n/translator.js';
import { esc } from './svg.js';

export type { Lang, Translator } from './i18n/translator.js';

export interface ReportSection {
  id: string;
  heading: string;
  intro?: string;
  /**
   * Inline SVG figures with captions (English; the caption is translated). A figure drawn for each
   * language is a function of the translator, so its labels and legends are laid out for the words
   * it shows.
   */
  figures?: { svg: string | ((t: Translator) => string); caption: string }[];
  tables?: PublishedTable[];
  html?: string;
}

export interface ReportInput {
  title: string;
  generatedAt: string;
  dataLabel: string;
  params: ResolvedParams;
  sections: ReportSection[];
  /** The methods section, or a function giving it in the report's language. */
  methodsHtml: string | ((lang: Lang) => string);
  /** Tables shown collapsed in <details> (still in the DOM); default isAppendixTable. */
  collapseTable?: (table: PublishedTable) => boolean;
}

/**
 * Long reference tables the reader opens on demand (issue 13, item 10): the per-covariate relative
 * risks (Tables 3.x), the GP characteristics in the mixed models (7b) and equity (8).
 */
const APPENDIX_TABLES = [/^table3_/, /^table7b_/, /^table8_/];
export function isAppendixTable(table: PublishedTable): boolean {
  return APPENDIX_TABLES.some((re) => re.test(table.id));
}

const CSS = `
:root{color-scheme:light;--ink:#1a1a1a;--muted:#555;--line:#d0d0d0;--accent:#0062ba}
*{box-sizing:border-box}body{margin:0;font:15px/1.5 system-ui,-apple-system,"Segoe UI",Roboto,sans-serif;color:var(--ink);background:#fff}
main{max-width:1200px;margin:0 auto;padding:24px}
h1{font-size:1.7rem;margin:.2em 0}h2{font-size:1.3rem;margin-top:2em;border-bottom:2px solid var(--accent);padding-bottom:.2em}
h3{font-size:1.05rem;margin-top:1.6em}
nav ol{columns:2;padding-left:1.2em}a{color:var(--accent)}
.meta{color:var(--muted)}
.table-wrap{overflow-x:auto;margin:.8em 0 1.4em}
table{border-collapse:collapse;font-size:.86rem;min-width:40%}
caption{caption-side:top;text-align:left;font-weight:600;padding:.3em 0 .5em;max-width:1100px}
caption span{display:block;font-weight:400;color:var(--muted)}
th,td{border-bottom:1px solid var(--line);padding:.25em .55em;vertical-align:top}
th{background:#f3f5f8;text-align:left;font-weight:600}
td.num{text-align:right;font-variant-numeric:tabular-nums;white-space:nowrap}
tr.group td{border-top:2px solid #999}
td.sup{color:var(--muted);text-align:center}
figure{margin:1em 0 1.6em}figcaption{color:var(--muted);font-size:.9rem;max-width:900px}
svg{max-width:100%;height:auto}
.notes{font-size:.85rem;color:var(--muted);margin:-.8em 0 1.4em}
dl.params{display:grid;grid-template-columns:max-content 1fr;gap:.2em 1em}dl.params dt{font-weight:600}
.layout{max-width:1200px;margin:0 auto}.layout>header{grid-column:1/-1;padding:24px 24px 0}nav.toc{padding:0 24px}
details.appendix{margin:.8em 0 1.4em;border:1px solid var(--line);border-radius:4px;padding:.2em .8em}
details.appendix>summary{cursor:pointer;font-weight:600;padding:.3em 0}
details.appendix>summary span{font-weight:400;color:var(--muted)}
@media (min-width:1100px){.layout{max-width:1480px;display:grid;grid-template-columns:16rem minmax(0,1fr);align-items:start}
nav.toc{position:sticky;top:0;max-height:100vh;overflow-y:auto;padding:24px 8px 24px 24px;font-size:.9rem}
nav.toc h2{margin-top:0}nav.toc ol{columns:1;margin:0}nav.toc li{margin:.25em 0}main{margin:0;max-width:none;min-width:0}}
@media print{nav{display:none}.layout{display:block}details::details-content{content-visibility:visible}}
`;

function formatCell(value: CellValue, col: Column, t: Translator): { text: string; cls: string } {
  if (value === null)
    return col.kind === 'label' || col.kind === 'text'
      ? { text: '', cls: '' }
      : { text: SUPPRESSED_MARK, cls: 'sup' };
  if (typeof value === 'string') return { text: t.text(value), cls: '' };
  switch (col.kind) {
    case 'count':
      return { text: t.count(value), cls: 'num' };
    case 'percent':
      return { text: t.fixed(value, 1), cls: 'num' };
    case 'mean':
      return { text: Number.isInteger(value) ? t.count(value) : t.fixed(value, 1), cls: 'num' };
    case 'ratio':
      return { text: t.fixed(value, 2), cls: 'num' };
    default:
      return { text: String(value), cls: 'num' };
  }
}

/** Columns *_rr, *_lo, *_hi are shown as one cell "RR (lo-hi)". Words and numbers in the translator's language. */
export function renderTable(
  table: PublishedTable,
  options: { collapsed?: boolean; t?: Translator } = {}
): string {
  assertNoSmallCells(table);
  const t = options.t ?? translator('en');
  const groups: { label: string; indices: number[]; ci: boolean }[] = [];
  for (let j = 0; j < table.columns.length; j++) {
    const c = table.columns[j]!;
    const lo = table.columns[j + 1];
    const hi = table.columns[j + 2];
    if (
      c.kind === 'ratio' &&
      c.key.endsWith('_rr') &&
      lo?.key === c.key.replace(/_rr$/, '_lo') &&
      hi?.key === c.key.replace(/_rr$/, '_hi')
    ) {
      groups.push({ label: `${t.column(table, c)}${t.ui.ci95}`, indices: [j, j + 1, j + 2], ci: true });
      j += 2;
    } else groups.push({ label: t.column(table, c), indices: [j], ci: false });
  }
  const firstIsGroup = table.columns[0]?.key === 'covariate';
  let html = `<div class="table-wrap"><table id="${esc(table.id)}"><caption>${esc(t.tableTitle(table))}<span>${esc(t.tableCaption(table))}</span></caption>\n<thead><tr>`;
  html += groups.map((g) => `<th scope="col">${esc(g.label)}</th>`).join('');
  html += '</tr></thead>\n<tbody>\n';
  let previousGroup: CellValue = undefined as unknown as CellValue;
  for (const row of table.rows) {
    const newGroup = firstIsGroup && row[0] !== previousGroup;
    previousGroup = row[0]!;
    html += `<tr${newGroup ? ' class="group"' : ''}>`;
    groups.forEach((g, gi) => {
      if (g.ci) {
        const [r, lo, hi] = g.indices.map((i) => row[i]);
        const text =
          typeof r === 'number' && typeof lo === 'number' && typeof hi === 'number'
            ? `${t.fixed(r, 2)} (${t.fixed(lo, 2)}${t.ui.rangeSeparator}${t.fixed(hi, 2)})`
            : typeof r === 'number'
              ? t.fixed(r, 2)
              : '';
        html += `<td class="num">${esc(text)}</td>`;
        return;
      }
      const j = g.indices[0]!;
      const col = table.columns[j]!;
      const { text, cls } = formatCell(row[j] ?? null, col, t);
      const tag = gi === 0 || (firstIsGroup && gi === 1) ? 'th scope="row"' : 'td';
      const shown = firstIsGroup && gi === 0 && !newGroup ? '' : text;
      html += `<${tag}${cls ? ` class="${cls}"` : ''}>${esc(shown)}</${tag.split(' ')[0]}>`;
    });
    html += '</tr>\n';
  }
  html += '</tbody></table></div>\n';
  if (table.notes.length)
    html += `<p class="notes">${table.notes.map((note) => esc(t.text(note))).join(' ')}</p>\n`;
  if (options.collapsed) {
    return `<details class="appendix"><summary>${esc(t.tableTitle(table))} <span>${esc(t.ui.collapsed(table.rows.length))}</span></summary>\n${html}</details>\n`;
  }
  return html;
}

/**
 * The report in English (report.html) or Norwegian bokmål (rapport.html), from the same input.
 * A translator may be passed instead of a language, to read what it could not translate.
 */
export function renderReport(input: ReportInput, language: Lang | Translator = 'en'): string {
  const t = typeof language === 'string' ? translator(language) : language;
  const lang = t.lang;
  const collapse = input.collapseTable ?? isAppendixTable;
  const headings = new Map(input.sections.map((s) => [s.id, t.section(s.id, s.heading)]));
  const toc = input.sections
    .map((s) => `<li><a href="#${esc(s.id)}">${esc(headings.get(s.id)!)}</a></li>`)
    .join('');
  let body = '';
  for (const s of input.sections) {
    body += `<section id="${esc(s.id)}" aria-labelledby="${esc(s.id)}-h"><h2 id="${esc(s.id)}-h">${esc(headings.get(s.id)!)}</h2>\n`;
    if (s.intro) body += `<p>${esc(t.text(s.intro))}</p>\n`;
    if (s.html) body += s.html;
    for (const f of s.figures ?? [])
      body += `<figure>${typeof f.svg === 'string' ? f.svg : f.svg(t)}<figcaption>${esc(t.text(f.caption))}</figcaption></figure>\n`;
    for (const tb of s.tables ?? []) body += renderTable(tb, { collapsed: collapse(tb), t });
    body += '</section>\n';
  }
  const title = t.text(input.title);
  const methods = typeof input.methodsHtml === 'string' ? input.methodsHtml : input.methodsHtml(lang);
  return `<!doctype html>
<html lang="${esc(t.ui.htmlLang)}"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width, initial-scale=1">
<meta name="referrer" content="no-referrer">
<title>${esc(title)}</title><style>${CSS}</style></head>
<body><div class="layout">
<header>
<h1>${esc(title)}</h1>
<p class="meta">${esc(t.ui.generated(input.generatedAt, t.text(input.dataLabel), input.params.indexFrom, input.params.indexTo))}
${esc(t.ui.suppressed(SMALL_CELL_THRESHOLD - 1, SUPPRESSED_MARK))}</p>
</header>
<nav class="toc" aria-label="${esc(t.ui.contents)}"><h2>${esc(t.ui.contents)}</h2><ol>${toc}<li><a href="#methods">${esc(t.ui.methods)}</a></li></ol></nav>
<main>
${body}
<section id="methods" aria-labelledby="methods-h"><h2 id="methods-h">${esc(t.ui.methods)}</h2>
${methods}
</section>
</main></div></body></html>
`;
}

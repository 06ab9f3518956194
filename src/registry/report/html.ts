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
import { esc } from './svg.js';

export interface ReportSection {
  id: string;
  heading: string;
  intro?: string;
  /** Inline SVG figures with captions. */
  figures?: { svg: string; caption: string }[];
  tables?: PublishedTable[];
  html?: string;
}

export interface ReportInput {
  title: string;
  generatedAt: string;
  dataLabel: string;
  params: ResolvedParams;
  sections: ReportSection[];
  methodsHtml: string;
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

function formatCell(value: CellValue, col: Column): { text: string; cls: string } {
  if (value === null)
    return col.kind === 'label' || col.kind === 'text'
      ? { text: '', cls: '' }
      : { text: SUPPRESSED_MARK, cls: 'sup' };
  if (typeof value === 'string') return { text: value, cls: '' };
  switch (col.kind) {
    case 'count':
      return { text: value.toLocaleString('en-GB'), cls: 'num' };
    case 'percent':
      return { text: value.toFixed(1), cls: 'num' };
    case 'mean':
      return { text: Number.isInteger(value) ? value.toLocaleString('en-GB') : value.toFixed(1), cls: 'num' };
    case 'ratio':
      return { text: value.toFixed(2), cls: 'num' };
    default:
      return { text: String(value), cls: 'num' };
  }
}

/** Columns *_rr, *_lo, *_hi are shown as one cell "RR (lo-hi)". */
export function renderTable(table: PublishedTable, options: { collapsed?: boolean } = {}): string {
  assertNoSmallCells(table);
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
      groups.push({ label: `${c.label} (95% CI)`, indices: [j, j + 1, j + 2], ci: true });
      j += 2;
    } else groups.push({ label: c.label, indices: [j], ci: false });
  }
  const firstIsGroup = table.columns[0]?.key === 'covariate';
  let html = `<div class="table-wrap"><table id="${esc(table.id)}"><caption>${esc(table.title)}<span>${esc(table.caption)}</span></caption>\n<thead><tr>`;
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
            ? `${r.toFixed(2)} (${lo.toFixed(2)}-${hi.toFixed(2)})`
            : typeof r === 'number'
              ? r.toFixed(2)
              : '';
        html += `<td class="num">${esc(text)}</td>`;
        return;
      }
      const j = g.indices[0]!;
      const col = table.columns[j]!;
      const { text, cls } = formatCell(row[j] ?? null, col);
      const tag = gi === 0 || (firstIsGroup && gi === 1) ? 'th scope="row"' : 'td';
      const shown = firstIsGroup && gi === 0 && !newGroup ? '' : text;
      html += `<${tag}${cls ? ` class="${cls}"` : ''}>${esc(shown)}</${tag.split(' ')[0]}>`;
    });
    html += '</tr>\n';
  }
  html += '</tbody></table></div>\n';
  if (table.notes.length) html += `<p class="notes">${table.notes.map(esc).join(' ')}</p>\n`;
  if (options.collapsed) {
    const n = table.rows.length;
    return `<details class="appendix"><summary>${esc(table.title)} <span>(${n} row${n === 1 ? '' : 's'}; open to show)</span></summary>\n${html}</details>\n`;
  }
  return html;
}

export function renderReport(input: ReportInput): string {
  const collapse = input.collapseTable ?? isAppendixTable;
  const toc = input.sections.map((s) => `<li><a href="#${esc(s.id)}">${esc(s.heading)}</a></li>`).join('');
  let body = '';
  for (const s of input.sections) {
    body += `<section id="${esc(s.id)}" aria-labelledby="${esc(s.id)}-h"><h2 id="${esc(s.id)}-h">${esc(s.heading)}</h2>\n`;
    if (s.intro) body += `<p>${esc(s.intro)}</p>\n`;
    if (s.html) body += s.html;
    for (const f of s.figures ?? [])
      body += `<figure>${f.svg}<figcaption>${esc(f.caption)}</figcaption></figure>\n`;
    for (const t of s.tables ?? []) body += renderTable(t, { collapsed: collapse(t) });
    body += '</section>\n';
  }
  return `<!doctype html>
<html lang="en"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width, initial-scale=1">
<meta name="referrer" content="no-referrer">
<title>${esc(input.title)}</title><style>${CSS}</style></head>
<body><div class="layout">
<header>
<h1>${esc(input.title)}</h1>
<p class="meta">Generated ${esc(input.generatedAt)} from ${esc(input.dataLabel)}. Index period ${esc(input.params.indexFrom)} to ${esc(input.params.indexTo)}.
Counts from 1 to ${SMALL_CELL_THRESHOLD - 1}, and the cells that would reveal them, are shown as “${SUPPRESSED_MARK}”.</p>
</header>
<nav class="toc" aria-label="Contents"><h2>Contents</h2><ol>${toc}<li><a href="#methods">Methods and definitions</a></li></ol></nav>
<main>
${body}
<section id="methods" aria-labelledby="methods-h"><h2 id="methods-h">Methods and definitions</h2>
${input.methodsHtml}
</section>
</main></div></body></html>
`;
}

/**
 * The survey report: one self-contained HTML page (inline CSS and SVG, no script, no external
 * resource) per survey and language, from the results of analyzeSurvey and, for the GP survey,
 * linkSurveyToRegistry. Sections: response, respondents against the frame, weights, weighted
 * results (Likert items also as a diverging stacked bar chart), cross-tables (collapsed), the
 * registry linkage, methods. Every figure has a text alternative and a table with its numbers.
 */
import type { LocalText } from '../../domain/surveys/items.js';
import { esc } from '../../registry/report/svg.js';
import type { CrossTableResult, ItemResult, SurveyResults } from '../analyze/analyze.js';
import type { LinkedResults } from '../analyze/registry-link.js';
import { divergingBarChart } from './diverging.js';
import { texts, type Lang, type Texts } from './i18n.js';
import { surveyMethodsHtml } from './methods.js';

export interface SurveyReportInput {
  results: SurveyResults;
  linked?: LinkedResults | null;
  generatedAt: string;
  /** Where the data came from, e.g. the dataset file's name. */
  dataLabel: string;
}

const CSS = `
:root{color-scheme:light;--ink:#1a1a1a;--muted:#555;--line:#d0d0d0;--accent:#0062ba}
*{box-sizing:border-box}body{margin:0;font:15px/1.5 system-ui,-apple-system,"Segoe UI",Roboto,sans-serif;color:var(--ink);background:#fff}
main,header,nav{max-width:1100px;margin:0 auto;padding:0 24px}header{padding-top:24px}
h1{font-size:1.7rem;margin:.2em 0}h2{font-size:1.3rem;margin-top:2em;border-bottom:2px solid var(--accent);padding-bottom:.2em}
h3{font-size:1.05rem;margin-top:1.6em}a{color:var(--accent)}.meta,.notes{color:var(--muted)}.notes{font-size:.85rem}
.table-wrap{overflow-x:auto;margin:.6em 0 1.2em}table{border-collapse:collapse;font-size:.86rem;min-width:40%}
caption{caption-side:top;text-align:left;font-weight:600;padding:.3em 0 .5em}
th,td{border-bottom:1px solid var(--line);padding:.25em .55em;vertical-align:top}th{background:#f3f5f8;text-align:left;font-weight:600}
td.num{text-align:right;font-variant-numeric:tabular-nums;white-space:nowrap}td.sup{color:var(--muted);text-align:center}
figure{margin:1em 0 1.6em}figcaption{color:var(--muted);font-size:.9rem}svg{max-width:100%;height:auto}
details{margin:.6em 0;border:1px solid var(--line);border-radius:4px;padding:.2em .8em}details>summary{cursor:pointer;font-weight:600;padding:.3em 0}
.warning{border-left:4px solid #D55E00;padding:.2em .8em;background:#fff6ef}
@media print{nav{display:none}}
`;

const SUPPRESSED = ':';

function local(text: LocalText, lang: Lang): string {
  return lang === 'en' ? text.en : text.nb;
}

function table(
  caption: string,
  head: string[],
  rows: { cells: (string | { text: string; num?: boolean; sup?: boolean })[] }[],
  id?: string
): string {
  let html = `<div class="table-wrap"><table${id ? ` id="${esc(id)}"` : ''}><caption>${esc(caption)}</caption><thead><tr>`;
  html += head.map((h) => `<th scope="col">${esc(h)}</th>`).join('');
  html += '</tr></thead><tbody>';
  for (const row of rows) {
    html += '<tr>';
    row.cells.forEach((c, i) => {
      const cell = typeof c === 'string' ? { text: c } : c;
      const cls = cell.sup ? ' class="sup"' : cell.num ? ' class="num"' : '';
      html += i === 0 ? `<th scope="row"${cls}>${esc(cell.text)}</th>` : `<td${cls}>${esc(cell.text)}</td>`;
    });
    html += '</tr>';
  }
  return `${html}</tbody></table></div>\n`;
}

const num = (text: string) => ({ text, num: true });
const hidden = { text: SUPPRESSED, sup: true };

function ci(t: Texts, estimate: number, lower: number, upper: number): string {
  if (!Number.isFinite(estimate)) return '–';
  return `${t.fixed(100 * estimate, 1)} (${t.fixed(100 * lower, 1)}-${t.fixed(100 * upper, 1)})`;
}

function optionLabel(item: ItemResult, code: string, lang: Lang): string {
  const o = item.options.find((x) => x.code === code);
  return o ? local(o.display, lang) : code;
}

function itemSection(item: ItemResult, t: Texts): string {
  const rows = item.shares.map((s) => ({
    cells: [
      optionLabel(item, s.code, t.lang),
      num(t.count(s.n)),
      num(ci(t, s.unweighted.estimate, s.unweighted.lower, s.unweighted.upper)),
      num(ci(t, s.weighted.estimate, s.weighted.lower, s.weighted.upper)),
    ],
  }));
  return (
    table(
      `${local(item.text, t.lang)} (${item.linkId})`,
      [t.ui('answer'), t.ui('n'), t.ui('unweighted'), t.ui('weighted')],
      rows,
      `item-${item.linkId}`
    ) + `<p class="notes">${esc(t.answeredLine(item.answered, item.eligible, item.missing))}</p>\n`
  );
}

function crossSection(table_: CrossTableResult, results: SurveyResults, t: Texts): string {
  const item = results.items.find((i) => i.linkId === table_.item)!;
  const byItem = results.items.find((i) => i.linkId === table_.by);
  const byLabel = byItem ? local(byItem.text, t.lang) : t.attribute(table_.by);
  const levelLabel = (level: string) =>
    byItem ? optionLabel(byItem, level, t.lang) : t.category(table_.by, level);
  const rows = table_.levels.map((level, i) => ({
    cells: [
      levelLabel(level),
      ...table_.codes.map((code, j) => {
        if (table_.hidden[i]![j] || table_.hiddenLevels[i]) return hidden;
        const share = table_.cells[i]!.shares[j]!;
        if (table_.cells[i]!.answered === 0) return num('–');
        return num(`${t.fixed(100 * share.weighted.estimate, 1)} (${t.count(share.n)})`);
      }),
    ],
  }));
  return table(
    t.crossCaption(local(item.text, t.lang), byLabel),
    [byLabel, ...table_.codes.map((c) => optionLabel(item, c, t.lang))],
    rows,
    `cross-${table_.item}-${table_.by}`
  );
}

function linkedSection(linked: LinkedResults, results: SurveyResults, t: Texts): string {
  const item = results.items.find((i) => i.linkId === linked.item);
  const itemText = item ? local(item.text, t.lang) : linked.item;
  const answerLabel = (code: string) => (item ? optionLabel(item, code, t.lang) : code);
  let html = `<p>${esc(t.linkedCounts(linked.counts.answered, linked.counts.linked, linked.counts.withPatients, linked.params.indexFrom, linked.params.indexTo))}</p>\n`;
  for (const rate of linked.rates) {
    html += table(
      `${t.indicator(rate.indicator, rate.label)}: ${itemText}`,
      [t.ui('answer'), t.ui('gps'), t.ui('patients'), t.ui('withCare'), t.ui('percent')],
      rate.groups.map((g) => ({
        cells: [
          answerLabel(g.answer),
          g.gps === null ? hidden : num(t.count(g.gps)),
          g.patients === null ? hidden : num(t.count(g.patients)),
          g.events === null ? hidden : num(t.count(g.events)),
          g.percent === null ? hidden : num(t.fixed(g.percent, 1)),
        ],
      })),
      `linked-rates-${rate.indicator}`
    );
  }
  html += table(
    t.modelCaption(itemText, answerLabel(linked.contrast)),
    [
      t.ui('indicator'),
      t.ui('gps'),
      t.ui('patients'),
      t.ui('coefficient'),
      t.ui('oddsRatio'),
      t.ui('pValue'),
    ],
    linked.models.map((m) => ({
      cells: [
        t.indicator(m.indicator, m.label),
        m.gps === null ? '–' : num(t.count(m.gps)),
        m.patients === null ? '–' : num(t.count(m.patients)),
        m.estimate === null
          ? (m.error ?? '–')
          : num(`${t.fixed(m.estimate, 3)} (${t.fixed(m.lower!, 3)}-${t.fixed(m.upper!, 3)})`),
        m.oddsRatio === null
          ? '–'
          : num(
              `${t.fixed(m.oddsRatio, 2)} (${t.fixed(m.oddsRatioLower!, 2)}-${t.fixed(m.oddsRatioUpper!, 2)})`
            ),
        m.pValue === null ? '–' : num(m.pValue < 0.001 ? `<${t.fixed(0.001, 3)}` : t.fixed(m.pValue, 3)),
      ],
    })),
    'linked-models'
  );
  html += `<p class="notes">${esc(t.ui('suppressedNote'))}</p>\n`;
  return html;
}

export function renderSurveyReport(input: SurveyReportInput, lang: Lang = 'en'): string {
  const t = texts(lang);
  const { results } = input;
  const title = local(results.title, lang);
  const sections: { id: string; heading: string; html: string }[] = [];

  // Response.
  const r = results.response;
  sections.push({
    id: 'response',
    heading: t.ui('response'),
    html: table(
      t.ui('response'),
      [t.ui('measure'), t.ui('value')],
      [
        { cells: [t.ui('invited'), num(t.count(r.invited))] },
        { cells: [t.ui('complete'), num(t.count(r.complete))] },
        { cells: [t.ui('partial'), num(t.count(r.partial))] },
        ...(r.responseRate === null
          ? []
          : [{ cells: [t.ui('responseRate'), num(t.percent(100 * r.responseRate))] }]),
      ],
      'response'
    ),
  });

  // Non-response.
  if (results.frameComparison.length)
    sections.push({
      id: 'nonresponse',
      heading: t.ui('nonresponse'),
      html: results.frameComparison
        .map((c) =>
          table(
            t.attribute(c.attribute),
            [
              t.ui('category'),
              `${t.ui('frame')}, n (%)`,
              `${t.ui('respondents')}, n (%)`,
              t.ui('differencePp'),
              t.ui('weightedPercent'),
            ],
            c.rows.map((row) => ({
              cells: [
                t.category(c.attribute, row.category),
                num(`${t.count(row.frame)} (${t.fixed(row.framePercent, 1)})`),
                num(`${t.count(row.respondents)} (${t.fixed(row.respondentPercent, 1)})`),
                num(`${row.differencePp > 0 ? '+' : ''}${t.fixed(row.differencePp, 1)}`),
                num(t.fixed(row.weightedPercent, 1)),
              ],
            })),
            `frame-${c.attribute}`
          )
        )
        .join(''),
    });

  // Weights.
  const w = results.weighting;
  sections.push({
    id: 'weights',
    heading: t.ui('weights'),
    html:
      (w
        ? table(
            t.ui('weights'),
            [t.ui('measure'), t.ui('value')],
            t
              .weightingRows({
                margins: w.margins,
                converged: w.converged,
                iterations: w.iterations,
                tolerance: w.tolerance,
                maxRelativeDeviation: w.maxRelativeDeviation,
                trim: w.trim,
                min: w.summary.min,
                max: w.summary.max,
                mean: w.summary.mean,
                designEffect: w.summary.designEffect,
                effectiveN: w.summary.effectiveN,
              })
              .map(([k, v]) => ({ cells: [k, v] })),
            'weighting'
          )
        : `<p>${esc(t.ui('noFrame'))}</p>`) +
      results.warnings.map((warning) => `<p class="warning">${esc(t.warning(warning))}</p>`).join(''),
  });

  // Weighted results, Likert chart first.
  const likert = results.items.filter((i) => i.likert && i.answered > 0);
  let resultsHtml = '';
  // One chart per scale (items sharing the same answer codes).
  const scales = new Map<string, ItemResult[]>();
  for (const item of likert) {
    const key = item.shares.map((s) => s.code).join('|');
    scales.set(key, [...(scales.get(key) ?? []), item]);
  }
  let k = 0;
  for (const items of scales.values()) {
    const first = items[0]!;
    resultsHtml += `<figure>${divergingBarChart({
      id: `likert-${k++}`,
      title: t.ui('likert'),
      categories: first.shares.map((s) => optionLabel(first, s.code, lang)),
      rows: items.map((i) => ({
        label: local(i.text, lang),
        shares: i.shares.map((s) => s.weighted.estimate),
      })),
      percent: (v) => t.percent(v),
      axisPercent: (v) => `${t.fixed(v, 0)} %`,
      describe: t.likertDescribe,
    })}<figcaption>${esc(t.likertIntro)}</figcaption></figure>\n`;
  }
  resultsHtml += results.items.map((i) => itemSection(i, t)).join('');
  sections.push({ id: 'results', heading: t.ui('results'), html: resultsHtml });

  // Cross-tables, collapsed by item.
  if (results.crossTables.length) {
    let html = `<p class="notes">${esc(t.ui('suppressedNote'))}</p>\n`;
    for (const item of results.items) {
      const tables = results.crossTables.filter((c) => c.item === item.linkId);
      if (!tables.length) continue;
      html += `<details><summary>${esc(local(item.text, lang))}</summary>${tables.map((c) => crossSection(c, results, t)).join('')}</details>\n`;
    }
    sections.push({ id: 'cross', heading: t.ui('cross'), html });
  }

  if (input.linked)
    sections.push({ id: 'linked', heading: t.ui('linked'), html: linkedSection(input.linked, results, t) });

  const toc = [...sections, { id: 'methods', heading: t.ui('methods') }]
    .map((s) => `<li><a href="#${s.id}">${esc(s.heading)}</a></li>`)
    .join('');
  const body = sections
    .map(
      (s) =>
        `<section id="${s.id}" aria-labelledby="${s.id}-h"><h2 id="${s.id}-h">${esc(s.heading)}</h2>\n${s.html}</section>\n`
    )
    .join('');
  return `<!doctype html>
<html lang="${t.htmlLang}"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width, initial-scale=1">
<meta name="referrer" content="no-referrer">
<title>${esc(title)}</title><style>${CSS}</style></head>
<body><header><h1>${esc(title)}</h1>
<p class="meta">${esc(t.generated(input.generatedAt, input.dataLabel, results.wave))}</p></header>
<nav aria-label="${esc(t.ui('contents'))}"><h2>${esc(t.ui('contents'))}</h2><ol>${toc}</ol></nav>
<main>
${body}<section id="methods" aria-labelledby="methods-h"><h2 id="methods-h">${esc(t.ui('methods'))}</h2>
${surveyMethodsHtml(lang)}
</section>
</main></body></html>
`;
}

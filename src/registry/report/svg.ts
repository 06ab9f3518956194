/**
 * Plots as inline SVG: no script, no external resources, each with <title> and <desc> (referenced
 * by aria-labelledby) and shown next to a table with the same numbers. Colours: Okabe-Ito.
 * Each plot takes its texts in English and a translator (i18n/), and is laid out for the words it
 * shows: a Norwegian legend is measured and wrapped as Norwegian.
 */
import { EN } from './i18n/en.js';
import type { Translator } from './i18n/translator.js';

export const PALETTE = [
  '#0072B2',
  '#E69F00',
  '#009E73',
  '#CC79A7',
  '#56B4E9',
  '#D55E00',
  '#000000',
  '#F0E442',
];

export function esc(s: string): string {
  return s
    .replaceAll('&', '&amp;')
    .replaceAll('<', '&lt;')
    .replaceAll('>', '&gt;')
    .replaceAll('"', '&quot;')
    .replaceAll("'", '&#39;');
}

/**
 * Estimated text width for layout, so legends are sized to fit their longest label (issue 13,
 * item 10). There is no font metrics here (no DOM, no canvas): each character counts as
 * CHAR_WIDTH_EM of the font size. 0.6 em is above the mean advance of system-ui / Segoe UI /
 * Roboto / Helvetica for mixed-case text (about 0.5 em; capitals and digits up to about 0.65 em),
 * so the estimate errs on the wide side.
 */
export const CHAR_WIDTH_EM = 0.6;

export function textWidth(text: string, fontSize = 12): number {
  return [...text].length * CHAR_WIDTH_EM * fontSize;
}

/** Greedy word wrap to lines of at most maxWidth px by textWidth (a longer single word stays whole). */
export function wrapText(text: string, maxWidth: number, fontSize = 12): string[] {
  const lines: string[] = [];
  let line = '';
  for (const word of text.split(/\s+/).filter(Boolean)) {
    const next = line ? `${line} ${word}` : word;
    if (line && textWidth(next, fontSize) > maxWidth) {
      lines.push(line);
      line = word;
    } else line = next;
  }
  if (line) lines.push(line);
  return lines;
}

/** A <text> of one or more lines, each a <tspan> at x, lineHeight apart. */
function multiline(x: number, y: number, lines: string[], lineHeight: number, attrs = ''): string {
  const spans = lines
    .map((l, i) => `<tspan x="${x}" dy="${i === 0 ? 0 : lineHeight}">${esc(l)}</tspan>`)
    .join('');
  return `<text x="${x}" y="${y}"${attrs}>${spans}</text>`;
}

const LEGEND_LINE = 15;

/**
 * A plot to draw once per report language (html.ts ReportSection figures): its texts are given in
 * English and translated, and its legends laid out, for the language it is drawn in.
 */
export function localised<O>(draw: (opts: O, t: Translator) => string, opts: O): (t: Translator) => string {
  return (t) => draw(opts, t);
}

let uid = 0;
function frame(width: number, height: number, title: string, desc: string, body: string): string {
  const id = `svg${++uid}`;
  return `<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 ${width} ${height}" width="${width}" height="${height}" role="img" aria-labelledby="${id}t ${id}d" font-family="system-ui, sans-serif" font-size="12">
<title id="${id}t">${esc(title)}</title><desc id="${id}d">${esc(desc)}</desc>
${body}</svg>`;
}

const f1 = (v: number, t: Translator = EN) => t.fixed(Math.round(v * 10) / 10, 1);

export interface LineSeries {
  label: string;
  points: { x: string; y: number | null }[];
}

/** Lines over categories (years); gaps where a value is suppressed. */
export function lineChart(
  opts: {
    title: string;
    desc: string;
    series: LineSeries[];
    yLabel: string;
    yMax?: number;
  },
  t: Translator = EN
): string {
  const labels = opts.series.map((s) => t.text(s.label));
  // The legend (right) wraps each label to legendText px; the frame grows if a word is wider, or
  // if the legend is taller than the plot.
  const legendText = 210;
  const legendLines = labels.map((label) => wrapText(label, legendText));
  const widest = Math.max(0, ...legendLines.flat().map((l) => textWidth(l)));
  const m = { l: 56, r: 42 + Math.max(legendText, widest) + 8, t: 16, b: 40 };
  const width = 500 + m.r;
  const legendHeight = legendLines.reduce((h, ls) => h + ls.length * LEGEND_LINE + 6, 0);
  const height = Math.max(360, m.t + 14 + legendHeight + m.b);
  const xs = [...new Set(opts.series.flatMap((s) => s.points.map((p) => p.x)))];
  const ys = opts.series.flatMap((s) => s.points.map((p) => p.y).filter((y): y is number => y !== null));
  const yMax = opts.yMax ?? Math.max(10, Math.ceil(Math.max(0, ...ys) / 10) * 10);
  const px = (i: number) =>
    m.l + (xs.length <= 1 ? (width - m.l - m.r) / 2 : (i * (width - m.l - m.r)) / (xs.length - 1));
  const py = (y: number) => m.t + (1 - y / yMax) * (height - m.t - m.b);
  let body = '';
  for (let t = 0; t <= yMax; t += yMax / 5) {
    body += `<line x1="${m.l}" x2="${width - m.r}" y1="${py(t)}" y2="${py(t)}" stroke="#ddd"/><text x="${m.l - 6}" y="${py(t) + 4}" text-anchor="end">${Math.round(t)}</text>\n`;
  }
  xs.forEach(
    (x, i) => (body += `<text x="${px(i)}" y="${height - m.b + 16}" text-anchor="middle">${esc(x)}</text>\n`)
  );
  let ly = m.t + 14;
  body += `<text x="14" y="${(height - m.b) / 2}" transform="rotate(-90 14 ${(height - m.b) / 2})" text-anchor="middle">${esc(t.text(opts.yLabel))}</text>\n`;
  opts.series.forEach((s, k) => {
    const colour = PALETTE[k % PALETTE.length]!;
    let d = '';
    let pen = false;
    s.points.forEach((p) => {
      const i = xs.indexOf(p.x);
      if (p.y === null) {
        pen = false;
        return;
      }
      d += `${pen ? 'L' : 'M'}${px(i).toFixed(1)},${py(p.y).toFixed(1)} `;
      pen = true;
      body += `<circle cx="${px(i).toFixed(1)}" cy="${py(p.y).toFixed(1)}" r="3" fill="${colour}"><title>${esc(t.ui.pointTitle(labels[k]!, p.x, f1(p.y, t)))}</title></circle>\n`;
    });
    body += `<path d="${d.trim()}" fill="none" stroke="${colour}" stroke-width="2" stroke-dasharray="${k % 2 ? '6 3' : 'none'}"/>\n`;
    body += `<line x1="${width - m.r + 12}" x2="${width - m.r + 36}" y1="${ly - 4}" y2="${ly - 4}" stroke="${colour}" stroke-width="2" stroke-dasharray="${k % 2 ? '6 3' : 'none'}"/>${multiline(width - m.r + 42, ly, legendLines[k]!, LEGEND_LINE)}\n`;
    ly += legendLines[k]!.length * LEGEND_LINE + 6;
  });
  return frame(width, height, t.text(opts.title), t.text(opts.desc), body);
}

export interface ForestRow {
  label: string;
  rr: number;
  lo: number;
  hi: number;
  reference: boolean;
}

/** Relative risks with 95 % CIs on a log axis. */
export function forestPlot(
  opts: { title: string; desc: string; rows: ForestRow[] },
  t: Translator = EN
): string {
  const rowH = 18;
  const labels = opts.rows.map((r) => t.text(r.label));
  const longest = Math.max(0, ...labels.map((l) => textWidth(l)));
  const m = { l: Math.max(360, Math.ceil(longest) + 16), r: 150, t: 24, b: 36 };
  const width = m.l + 310;
  const height = m.t + m.b + rowH * Math.max(1, opts.rows.length);
  const vals = opts.rows.flatMap((r) => [r.lo, r.hi]).filter((v) => Number.isFinite(v) && v > 0);
  const lo = Math.min(0.5, ...vals);
  const hi = Math.max(2, ...vals);
  const lx = (v: number) =>
    m.l + ((Math.log(v) - Math.log(lo)) / (Math.log(hi) - Math.log(lo))) * (width - m.l - m.r);
  let body = '';
  for (const tick of [0.25, 0.5, 0.75, 1, 1.5, 2, 3, 4].filter((v) => v >= lo && v <= hi)) {
    body += `<line x1="${lx(tick)}" x2="${lx(tick)}" y1="${m.t - 6}" y2="${height - m.b}" stroke="${tick === 1 ? '#555' : '#e3e3e3'}"/><text x="${lx(tick)}" y="${height - m.b + 16}" text-anchor="middle">${t.text(String(tick))}</text>\n`;
  }
  body += `<text x="${(m.l + width - m.r) / 2}" y="${height - 6}" text-anchor="middle">${esc(t.ui.forestAxis)}</text>\n`;
  opts.rows.forEach((r, i) => {
    const y = m.t + i * rowH + rowH / 2;
    body += `<text x="${m.l - 8}" y="${y + 4}" text-anchor="end">${esc(labels[i]!)}</text>\n`;
    if (r.reference) {
      body += `<text x="${lx(1) + 6}" y="${y + 4}" fill="#555">${esc(t.ui.reference)}</text>\n`;
      return;
    }
    const a = Math.max(lo, r.lo);
    const b = Math.min(hi, r.hi);
    body += `<line x1="${lx(a)}" x2="${lx(b)}" y1="${y}" y2="${y}" stroke="#0072B2" stroke-width="2"/><rect x="${lx(r.rr) - 4}" y="${y - 4}" width="8" height="8" fill="#0072B2"/>\n`;
    body += `<text x="${width - m.r + 8}" y="${y + 4}">${t.fixed(r.rr, 2)} (${t.fixed(r.lo, 2)}${t.ui.rangeSeparator}${t.fixed(r.hi, 2)})</text>\n`;
  });
  return frame(width, height, t.text(opts.title), t.text(opts.desc), body);
}

/**
 * Fill and outline of the "None of the four" segment: a light grey with a dark outline, so it shows
 * on the white page (it was white, outlined white: invisible).
 */
export const NONE_FILL = '#eeeeee';
export const NONE_STROKE = '#666666';
const OTHER_FILL = '#cccccc';

export interface SunburstInput {
  /** Steps of the sequence, each a list of event codes; [] = none of the events. */
  steps: string[][];
  count: number;
  /** Pooled small sequences, drawn as one grey segment in the inner ring. */
  other?: boolean;
}

/**
 * A sunburst: ring k shows the k-th step of the pathways, each segment's angle proportional to the
 * episodes whose pathway starts with that prefix. Colours: one per event (combinations striped grey).
 */
export function sunburst(
  opts: {
    title: string;
    desc: string;
    sequences: SunburstInput[];
    colours: Record<string, string>;
    labels: Record<string, string>;
  },
  t: Translator = EN
): string {
  const eventLabels = Object.fromEntries(Object.entries(opts.labels).map(([code, l]) => [code, t.text(l)]));
  const title = t.text(opts.title);
  const desc = t.text(opts.desc);
  const ring = 52;
  const hole = 40;
  // Room for every ring: a pathway of k steps draws k rings outside the hole.
  const depth = Math.max(1, ...opts.sequences.map((q) => q.steps.length));
  const size = Math.max(460, 2 * (hole + depth * ring) + 16);
  const legendEntries: { fill: string; stroke?: string; text: string }[] = [
    ...Object.entries(eventLabels).map(([code, label]) => ({
      fill: opts.colours[code] ?? '#999',
      text: `${code} ${label}`,
    })),
    { fill: '#7f7f7f', text: t.ui.sameDay },
    { fill: OTHER_FILL, text: t.ui.otherPooled },
    { fill: NONE_FILL, stroke: NONE_STROKE, text: t.ui.noneOfFour },
  ];
  // Entries wrap at 180 px, or up to 240 px rather than break a short one ("R Spesialisthelsetjenesten").
  const legendText = Math.max(180, ...legendEntries.map((e) => Math.min(240, textWidth(e.text))));
  const legendLines = legendEntries.map((e) => wrapText(e.text, legendText));
  const widest = Math.max(0, ...legendLines.flat().map((l) => textWidth(l)));
  const legendW = 30 + Math.max(legendText, widest) + 10;
  const cx = size / 2;
  const cy = size / 2;
  const total = opts.sequences.reduce((s, q) => s + q.count, 0);
  let body = '';
  if (total === 0)
    return frame(size + legendW, size, title, desc, `<text x="20" y="30">${esc(t.ui.noData)}</text>`);
  const arc = (r0: number, r1: number, a0: number, a1: number) => {
    const big = a1 - a0 > Math.PI ? 1 : 0;
    const p = (r: number, a: number) =>
      `${(cx + r * Math.sin(a)).toFixed(2)},${(cy - r * Math.cos(a)).toFixed(2)}`;
    if (a1 - a0 >= 2 * Math.PI - 1e-9) {
      // Full ring: two half arcs.
      const mid = a0 + Math.PI;
      return `M${p(r1, a0)} A${r1},${r1} 0 1 1 ${p(r1, mid)} A${r1},${r1} 0 1 1 ${p(r1, a0)} M${p(r0, a0)} A${r0},${r0} 0 1 0 ${p(r0, mid)} A${r0},${r0} 0 1 0 ${p(r0, a0)} Z`;
    }
    return `M${p(r1, a0)} A${r1},${r1} 0 ${big} 1 ${p(r1, a1)} L${p(r0, a1)} A${r0},${r0} 0 ${big} 0 ${p(r0, a0)} Z`;
  };
  const colourOf = (step: string[]) => (step.length === 1 ? (opts.colours[step[0]!] ?? '#999') : '#7f7f7f');
  // Build prefix tree.
  interface Node {
    key: string;
    step: string[];
    count: number;
    children: Map<string, Node>;
    other?: boolean;
  }
  const root: Node = { key: '', step: [], count: total, children: new Map() };
  for (const s of opts.sequences) {
    if (s.other) {
      root.children.set('__other', {
        key: 'Other sequences',
        step: [],
        count: s.count,
        children: new Map(),
        other: true,
      });
      continue;
    }
    let node = root;
    if (s.steps.length === 0) {
      root.children.set('__none', { key: 'None', step: [], count: s.count, children: new Map() });
      continue;
    }
    for (const step of s.steps) {
      const k = step.join('+');
      let child = node.children.get(k);
      if (!child) {
        child = { key: k, step, count: 0, children: new Map() };
        node.children.set(k, child);
      }
      child.count += s.count;
      node = child;
    }
  }
  const draw = (node: Node, depth: number, a0: number, a1: number, path: string) => {
    let a = a0;
    const kids = [...node.children.values()].sort((x, y) => y.count - x.count);
    for (const kid of kids) {
      const span = ((a1 - a0) * kid.count) / node.count;
      const r0 = hole + depth * ring;
      const name = kid.other
        ? t.ui.otherSequences
        : kid.key === 'None'
          ? t.ui.noneOfFour
          : kid.step.map((c) => eventLabels[c] ?? c).join(' + ');
      const full = path ? `${path} → ${name}` : name;
      const none = !kid.other && kid.key === 'None';
      const fill = kid.other ? OTHER_FILL : none ? NONE_FILL : colourOf(kid.step);
      body += `<path d="${arc(r0, r0 + ring - 2, a, a + span)}" fill="${fill}" stroke="${none ? NONE_STROKE : '#fff'}" stroke-width="1"><title>${esc(t.ui.segmentTitle(full, t.count(kid.count), f1((100 * kid.count) / total, t)))}</title></path>\n`;
      if (span > 0.25) {
        const mid = a + span / 2;
        const r = r0 + ring / 2;
        body += `<text x="${(cx + r * Math.sin(mid)).toFixed(1)}" y="${(cy - r * Math.cos(mid) + 4).toFixed(1)}" text-anchor="middle" font-size="11" fill="${fill === NONE_FILL || fill === OTHER_FILL || fill === '#F0E442' ? '#000' : '#fff'}">${esc(kid.other ? t.ui.otherShort : kid.key === 'None' ? t.ui.noneShort : kid.key)}</text>\n`;
      }
      draw(kid, depth + 1, a, a + span, full);
      a += span;
    }
  };
  draw(root, 0, 0, 2 * Math.PI, '');
  body += `<text x="${cx}" y="${cy + 4}" text-anchor="middle" font-size="11">${t.count(total)}</text>\n`;
  let ly = 24;
  legendEntries.forEach((e, k) => {
    body += `<rect x="${size + 10}" y="${ly - 11}" width="14" height="14" fill="${e.fill}"${e.stroke ? ` stroke="${e.stroke}"` : ''}/>${multiline(size + 30, ly, legendLines[k]!, LEGEND_LINE)}\n`;
    ly += legendLines[k]!.length * LEGEND_LINE + 7;
  });
  return frame(size + legendW, size, title, desc, body);
}

/**
 * A funnel plot as inline SVG for the self-contained HTML report, drawn from funnel-geometry.ts (the
 * researcher page draws the same geometry in React). Like svg.ts: no script, no external resources,
 * <title> and <desc> referenced by aria-labelledby; the desc is the text summary (GPs shown, target,
 * φ, τ², counts outside the limits). Points carry no labels or tooltips: GPs stay anonymous.
 */
import type { FunnelPlotData } from '../stats/funnel.js';
import {
  FUNNEL_POINT_STYLE,
  FUNNEL_STYLES,
  funnelGeometry,
  r1,
  type FunnelGeometryOptions,
} from './funnel-geometry.js';
import { EN } from './i18n/en.js';
import type { Translator } from './i18n/translator.js';
import { esc, textWidth } from './svg.js';

let uid = 0;

export interface FunnelSvgOptions extends FunnelGeometryOptions {
  title: string;
  /** Prefix for the ids of <title>/<desc>; unique per document by default. */
  id?: string;
}

const dashAttr = (dash: string | null) => (dash ? ` stroke-dasharray="${dash}"` : '');

/** The plot with its title, labels, legend and text alternative in the translator's language. */
export function funnelPlotSvg(data: FunnelPlotData, options: FunnelSvgOptions, t: Translator = EN): string {
  const g = funnelGeometry(data, {
    ...options,
    labels: { ...t.ui.funnelLabels, ...options.labels },
    formatNumber: options.formatNumber ?? t.fixed,
    summarise: options.summarise ?? t.ui.funnelSummary,
  });
  const id = options.id ?? `funnel${++uid}`;
  const { plot } = g;
  // The legend wraps at 30 characters, which can run past the geometry's width: widen the frame
  // to the estimated end of the longest legend line (svg.ts textWidth), plus a margin.
  const legendEnd = Math.max(0, ...g.legend.flatMap((e) => e.lines.map((l) => e.textX + textWidth(l))));
  const width = Math.max(g.width, Math.ceil(legendEnd + 8));
  const out: string[] = [];
  out.push(
    `<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 ${width} ${g.height}" width="${width}" height="${g.height}" role="img" aria-labelledby="${esc(id)}t ${esc(id)}d" font-family="system-ui, sans-serif" font-size="12">`,
    `<title id="${esc(id)}t">${esc(t.text(options.title))}</title><desc id="${esc(id)}d">${esc(g.desc)}</desc>`
  );
  // Grid and tick labels.
  out.push('<g stroke="#e3e3e3">');
  for (const t of g.yTicks)
    out.push(`<line x1="${plot.left}" x2="${plot.right}" y1="${t.pos}" y2="${t.pos}"/>`);
  for (const t of g.xTicks)
    out.push(`<line x1="${t.pos}" x2="${t.pos}" y1="${plot.top}" y2="${plot.bottom}"/>`);
  out.push('</g>');
  out.push('<g fill="#222">');
  for (const t of g.yTicks)
    out.push(`<text x="${plot.left - 6}" y="${r1(t.pos + 4)}" text-anchor="end">${esc(t.label)}</text>`);
  for (const t of g.xTicks)
    out.push(`<text x="${t.pos}" y="${plot.bottom + 16}" text-anchor="middle">${esc(t.label)}</text>`);
  out.push(
    `<text x="${g.xLabel.x}" y="${g.xLabel.y}" text-anchor="middle">${esc(g.xLabel.text)}</text>`,
    `<text x="${g.yLabel.x}" y="${g.yLabel.y}" transform="rotate(-90 ${g.yLabel.x} ${g.yLabel.y})" text-anchor="middle">${esc(g.yLabel.text)}</text>`,
    '</g>'
  );
  out.push(
    `<path d="M${plot.left},${plot.top}V${plot.bottom}H${plot.right}" fill="none" stroke="#555" stroke-width="1"/>`
  );
  // Points under the lines, so the limits stay visible where points crowd.
  const ps = FUNNEL_POINT_STYLE;
  out.push(
    `<g fill="${ps.fill}" fill-opacity="${ps.fillOpacity}" stroke="${ps.stroke}" stroke-width="${ps.strokeWidth}">`
  );
  for (const p of g.points) out.push(`<circle cx="${p.cx}" cy="${p.cy}" r="${ps.r}"/>`);
  out.push('</g>');
  for (const s of g.series)
    if (s.d)
      out.push(
        `<path d="${s.d}" fill="none" stroke="${s.stroke}" stroke-width="${s.strokeWidth}"${dashAttr(s.dash)}/>`
      );
  // Legend: the line pattern next to its words, so colour is never the only cue.
  for (const e of g.legend) {
    if (e.key === 'points') {
      out.push(
        `<circle cx="${r1((e.sample.x1 + e.sample.x2) / 2)}" cy="${e.sample.y}" r="${ps.r + 0.5}" fill="${ps.fill}" fill-opacity="${ps.fillOpacity}" stroke="${ps.stroke}" stroke-width="${ps.strokeWidth}"/>`
      );
    } else {
      const st = FUNNEL_STYLES[e.key];
      out.push(
        `<line x1="${e.sample.x1}" x2="${e.sample.x2}" y1="${e.sample.y}" y2="${e.sample.y}" stroke="${st.stroke}" stroke-width="${st.strokeWidth}"${dashAttr(st.dash)}/>`
      );
    }
    const tspans = e.lines
      .map((line, i) => `<tspan x="${e.textX}" dy="${i === 0 ? 0 : g.lineHeight}">${esc(line)}</tspan>`)
      .join('');
    out.push(`<text x="${e.textX}" y="${e.textY}" fill="#222">${tspans}</text>`);
  }
  out.push('</svg>');
  return out.join('\n');
}

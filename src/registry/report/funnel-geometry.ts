/**
 * Layout of a funnel plot, shared by the HTML report (string SVG, funnel-svg.ts) and the researcher
 * page (React, FunnelPlot.tsx) so both draw the same picture: scales, ticks, point positions, limit
 * curves as path strings, legend and the text alternative. Pure: no Node, no DOM, no React.
 *
 * Accessibility: every line differs by dash pattern as well as colour, and the legend shows the
 * pattern next to its words; colours are Okabe-Ito/greys with at least 3:1 contrast on white
 * (WCAG 1.4.11 for graphics). Coordinates are rounded to 0.1 px to keep the SVG small.
 */
import type { FunnelCurvePoint, FunnelPlotData, LimitPair } from '../stats/funnel.js';

export type {
  FunnelCurvePoint,
  FunnelPlotData,
  FunnelPlotPoint,
  FunnelSummary,
  LimitPair,
} from '../stats/funnel.js';

export interface FunnelLabels {
  xAxis: string;
  yAxis: string;
  yAxisAdjusted: string;
  points: string;
  target: string;
  exact95: string;
  exact998: string;
  multiplicative998: string;
  additive998: string;
}

export const DEFAULT_FUNNEL_LABELS: FunnelLabels = {
  xAxis: 'Patients per GP',
  yAxis: 'Share of patients (%)',
  yAxisAdjusted: 'Risk-adjusted share of patients (%)',
  points: 'One GP (patients rounded to 5, share to 0.5 point)',
  target: 'Target: overall share',
  exact95: '95 % limits (exact binomial)',
  exact998: '99.8 % limits (exact binomial)',
  multiplicative998: '99.8 % limits widened by the overdispersion factor φ',
  additive998: '99.8 % limits allowing for between-GP variation',
};

export type SeriesKey = 'target' | 'exact95' | 'exact998' | 'multiplicative998' | 'additive998';

export interface LineStyle {
  stroke: string;
  strokeWidth: number;
  /** SVG stroke-dasharray, or null for a solid line. */
  dash: string | null;
}

/** Okabe-Ito and greys; contrast on white: #000 21:1, #4d4d4d 8.5:1, #0072B2 5.1:1, #D55E00 3.9:1, #009E73 3.4:1. */
export const FUNNEL_STYLES: Record<SeriesKey, LineStyle> = {
  target: { stroke: '#009E73', strokeWidth: 2, dash: '10 3 2 3' },
  exact95: { stroke: '#4D4D4D', strokeWidth: 1.25, dash: '6 4' },
  exact998: { stroke: '#000000', strokeWidth: 1.5, dash: null },
  multiplicative998: { stroke: '#0072B2', strokeWidth: 1.5, dash: '12 4' },
  additive998: { stroke: '#D55E00', strokeWidth: 2, dash: '2 3' },
};

export const FUNNEL_POINT_STYLE = {
  r: 2.5,
  fill: '#0072B2',
  fillOpacity: 0.35,
  stroke: '#0072B2',
  strokeWidth: 0.75,
} as const;

export interface AxisTick {
  value: number;
  /** Pixel position along the axis (x for the x axis, y for the y axis). */
  pos: number;
  label: string;
}

export interface FunnelSeries extends LineStyle {
  key: SeriesKey;
  label: string;
  /** Path data: upper and lower curve as two subpaths (one for the target). */
  d: string;
}

export interface LegendEntry {
  key: SeriesKey | 'points';
  /** The label, wrapped to short lines. */
  lines: string[];
  /** Where the sample (a short line, or a dot for points) is drawn. */
  sample: { x1: number; x2: number; y: number };
  /** Baseline of the first text line; later lines follow at lineHeight. */
  textX: number;
  textY: number;
}

export interface FunnelGeometry {
  width: number;
  height: number;
  plot: { left: number; right: number; top: number; bottom: number };
  xTicks: AxisTick[];
  yTicks: AxisTick[];
  xLabel: { x: number; y: number; text: string };
  /** Drawn rotated by -90° around (x, y). */
  yLabel: { x: number; y: number; text: string };
  points: { cx: number; cy: number }[];
  series: FunnelSeries[];
  legend: LegendEntry[];
  lineHeight: number;
  /** Text alternative, one sentence per entry: for <desc> and for a visible caption. */
  summary: string[];
  desc: string;
}

export interface FunnelGeometryOptions {
  width?: number;
  height?: number;
  labels?: Partial<FunnelLabels>;
  /** Fixed-point numbers of tick labels and the target (default toFixed: "12.5"). */
  formatNumber?: (value: number, digits: number) => string;
  /** The text alternative (default funnelSummary, English). */
  summarise?: (data: FunnelPlotData) => string[];
}

/** Round to 0.1 (coordinates); also turns -0 into 0. */
export const r1 = (v: number): number => Math.round(v * 10) / 10 + 0;

/** A step of 1, 2 or 5 × 10^k near raw; same rule as stats/funnel.ts niceStep, kept here so this file stands alone. */
export function niceTickStep(raw: number): number {
  if (!(raw > 0) || !Number.isFinite(raw)) return 1;
  const e = 10 ** Math.floor(Math.log10(raw));
  const f = raw / e;
  return (f < 1.5 ? 1 : f < 3 ? 2 : f < 7 ? 5 : 10) * e;
}

/** Linear map of [d0, d1] onto [r0, r1]. */
export function linearScale(d0: number, d1: number, r0: number, r1v: number): (v: number) => number {
  const span = d1 - d0 || 1;
  return (v) => r0 + ((v - d0) / span) * (r1v - r0);
}

function decimalsFor(step: number): number {
  return step >= 1 ? 0 : Math.min(6, Math.ceil(-Math.log10(step) - 1e-9));
}

const toFixed = (value: number, digits: number) => value.toFixed(digits);

/** Ticks at multiples of step from lo to hi (computed as k·step, so no drift). */
function ticks(
  lo: number,
  hi: number,
  step: number,
  scale: (v: number) => number,
  format: (value: number, digits: number) => string = toFixed
): AxisTick[] {
  const out: AxisTick[] = [];
  const d = decimalsFor(step);
  const first = Math.ceil(lo / step - 1e-9);
  const last = Math.floor(hi / step + 1e-9);
  for (let k = first; k <= last; k++) {
    const value = Number((k * step).toFixed(d));
    out.push({ value, pos: r1(scale(value)), label: format(value, d) });
  }
  return out;
}

/** Greedy word wrap (labels are short; no hyphenation). */
export function wrapWords(text: string, width: number): string[] {
  const lines: string[] = [];
  let line = '';
  for (const word of text.split(/\s+/).filter(Boolean)) {
    if (line && line.length + 1 + word.length > width) {
      lines.push(line);
      line = word;
    } else line = line ? `${line} ${word}` : word;
  }
  if (line) lines.push(line);
  return lines;
}

const pct = (p: number) => (100 * p).toFixed(1);

function formatP(p: number): string {
  if (p < 0.001) return 'p < 0.001';
  return `p = ${p.toFixed(3)}`;
}

function formatSmall(v: number): string {
  if (v === 0) return '0';
  return v < 0.01 ? v.toPrecision(2) : v.toFixed(3);
}

/** The text alternative: what is plotted, the target, overdispersion, and how many GPs fall outside. */
export function funnelSummary(data: FunnelPlotData): string[] {
  const s = data.summary;
  const out = (k: keyof typeof s.outside) => s.outside[k].above + s.outside[k].below;
  const gp = (n: number) => `${n} GP${n === 1 ? '' : 's'}`;
  const sentences = [
    `${gp(data.points.length)} shown, each with at least ${data.minPatients} patients` +
      (data.omitted > 0
        ? `; ${gp(data.omitted)} with fewer patients left out of the plot but included in the numbers.`
        : '.'),
    `Target (overall share${s.riskAdjusted ? '; GPs plotted as risk-adjusted shares' : ''}): ${pct(s.p0)} %.`,
    `Overdispersion φ = ${s.phi.toFixed(2)} (${s.winsorise > 0 ? `${+(100 * s.winsorise).toFixed(1)} % winsorised` : 'not winsorised'}; test against no overdispersion ${formatP(s.pValue)}); ` +
      `between-GP variance τ² = ${formatSmall(s.tau2)} on the arcsine-square-root scale.`,
    `Of ${gp(s.gps)} analysed, ${out('exact95')} are outside the exact 95 % limits ` +
      `(${s.outside.exact95.above} above, ${s.outside.exact95.below} below), ${out('exact998')} outside the exact 99.8 % limits ` +
      `(${s.outside.exact998.above} above, ${s.outside.exact998.below} below), ${out('multiplicative998')} outside the 99.8 % limits ` +
      `widened by φ and ${out('additive998')} outside the 99.8 % limits allowing for between-GP variation.`,
  ];
  return sentences;
}

/** Path data of one curve: "M x,y L x,y x,y …", consecutive duplicates (after rounding) dropped. */
function polyline(xy: Array<[number, number]>): string {
  const parts: string[] = [];
  let last = '';
  for (const [x, y] of xy) {
    const p = `${r1(x)},${r1(y)}`;
    if (p === last) continue;
    parts.push(p);
    last = p;
  }
  if (parts.length === 0) return '';
  return `M${parts[0]}${parts.length > 1 ? `L${parts.slice(1).join(' ')}` : ''}`;
}

export function funnelGeometry(data: FunnelPlotData, options: FunnelGeometryOptions = {}): FunnelGeometry {
  const labels = { ...DEFAULT_FUNNEL_LABELS, ...options.labels };
  const format = options.formatNumber ?? toFixed;
  const width = options.width ?? 760;
  const height = options.height ?? 420;
  const legendWidth = 250;
  const plot = { left: 60, right: r1(width - legendWidth), top: 20, bottom: r1(height - 48) };

  // x: patients, from 0 to the nice end the statistics chose (curves end there too).
  const xMax = Math.max(data.xMax, ...data.curves.map((c) => c.n), 1);
  const sx = linearScale(0, xMax, plot.left, plot.right);
  const xTicks = ticks(0, xMax, niceTickStep(xMax / 5), sx, format);

  // y: percent, a nice range covering the points, the target and every drawn limit.
  const drawn: Array<(c: FunnelCurvePoint) => LimitPair> = [
    (c) => c.exact95,
    (c) => c.exact998,
    (c) => c.multiplicative998,
    (c) => c.additive998,
  ];
  let yMinV = 100 * data.p0;
  let yMaxV = 100 * data.p0;
  for (const p of data.points) {
    yMinV = Math.min(yMinV, p.y);
    yMaxV = Math.max(yMaxV, p.y);
  }
  for (const c of data.curves)
    for (const get of drawn) {
      const l = get(c);
      yMinV = Math.min(yMinV, 100 * l.lower);
      yMaxV = Math.max(yMaxV, 100 * l.upper);
    }
  const yStep = niceTickStep(yMaxV > yMinV ? (yMaxV - yMinV) / 5 : 1);
  const yLo = Math.max(0, Math.floor(yMinV / yStep + 1e-9) * yStep);
  let yHi = Math.ceil(yMaxV / yStep - 1e-9) * yStep;
  if (yHi - yLo < yStep) yHi = yLo + yStep;
  const sy = linearScale(yLo, yHi, plot.bottom, plot.top);
  const yTicks = ticks(yLo, yHi, yStep, sy, format);
  const clampY = (v: number) => Math.min(plot.bottom, Math.max(plot.top, v));

  const points = data.points.map((p) => ({ cx: r1(sx(p.x)), cy: r1(clampY(sy(p.y))) }));

  const curve = (get: (c: FunnelCurvePoint) => LimitPair) =>
    [
      polyline(data.curves.map((c) => [sx(c.n), clampY(sy(100 * get(c).upper))])),
      polyline(data.curves.map((c) => [sx(c.n), clampY(sy(100 * get(c).lower))])),
    ].join(' ');
  const targetLabel = `${labels.target} (${format(100 * data.p0, 1)} %)`;
  const series: FunnelSeries[] = [
    { key: 'exact95', label: labels.exact95, d: curve((c) => c.exact95), ...FUNNEL_STYLES.exact95 },
    { key: 'exact998', label: labels.exact998, d: curve((c) => c.exact998), ...FUNNEL_STYLES.exact998 },
    {
      key: 'multiplicative998',
      label: labels.multiplicative998,
      d: curve((c) => c.multiplicative998),
      ...FUNNEL_STYLES.multiplicative998,
    },
    {
      key: 'additive998',
      label: labels.additive998,
      d: curve((c) => c.additive998),
      ...FUNNEL_STYLES.additive998,
    },
    {
      key: 'target',
      label: targetLabel,
      d: polyline([
        [plot.left, sy(100 * data.p0)],
        [plot.right, sy(100 * data.p0)],
      ]),
      ...FUNNEL_STYLES.target,
    },
  ];

  const lineHeight = 15;
  const legend: LegendEntry[] = [];
  const lx = plot.right + 20;
  let ly = plot.top + 8;
  const entries: Array<[LegendEntry['key'], string]> = [
    ['points', labels.points],
    ['target', targetLabel],
    ['exact95', labels.exact95],
    ['exact998', labels.exact998],
    ['multiplicative998', labels.multiplicative998],
    ['additive998', labels.additive998],
  ];
  for (const [key, text] of entries) {
    const lines = wrapWords(text, 30);
    legend.push({
      key,
      lines,
      sample: { x1: lx, x2: lx + 28, y: r1(ly - 4) },
      textX: lx + 36,
      textY: r1(ly),
    });
    ly += lines.length * lineHeight + 10;
  }

  const summary = (options.summarise ?? funnelSummary)(data);
  return {
    width,
    height,
    plot,
    xTicks,
    yTicks,
    xLabel: { x: r1((plot.left + plot.right) / 2), y: r1(height - 8), text: labels.xAxis },
    yLabel: {
      x: 16,
      y: r1((plot.top + plot.bottom) / 2),
      text: data.riskAdjusted ? labels.yAxisAdjusted : labels.yAxis,
    },
    points,
    series,
    legend,
    lineHeight,
    summary,
    desc: summary.join(' '),
  };
}

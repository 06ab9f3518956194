/**
 * Geometry for the mood chart (no chart library): PHQ-9 totals over time on the 0-27 scale with
 * the five severity bands behind them, and, in a second panel on the same time axis, the daily
 * mood ratings (0-10) from the module 1 exercise. Two panels rather than two y-axes: PHQ-9 is
 * "higher is worse" and mood is "higher is better", which one shared plot would blur.
 */

export interface DatedValue {
  date: Date;
  value: number;
}

export const PHQ9_BANDS = [
  { severity: 'minimal', from: 0, to: 4 },
  { severity: 'mild', from: 5, to: 9 },
  { severity: 'moderate', from: 10, to: 14 },
  { severity: 'moderately_severe', from: 15, to: 19 },
  { severity: 'severe', from: 20, to: 27 },
] as const;
export type BandSeverity = (typeof PHQ9_BANDS)[number]['severity'];

export const PHQ9_MAX = 27;
export const MOOD_MAX = 10;
const DAY_MS = 24 * 60 * 60 * 1000;

export interface Panel {
  top: number;
  height: number;
  max: number;
  y: (value: number) => number;
}

export interface PlottedPoint {
  x: number;
  y: number;
  value: number;
  date: Date;
}

export interface ChartModel {
  width: number;
  height: number;
  plotLeft: number;
  plotRight: number;
  phq9: Panel & {
    points: PlottedPoint[];
    bands: { severity: BandSeverity; y: number; height: number; from: number; to: number }[];
  };
  mood: (Panel & { points: PlottedPoint[] }) | null;
  xTicks: { x: number; date: Date }[];
  axisY: number;
}

export interface ChartLayout {
  width: number;
  marginLeft?: number;
  marginRight?: number;
  phq9Height?: number;
  moodHeight?: number;
}

/** The time domain: the data's span, padded so points never sit on the edges (one point gets ±7 days). */
export function timeDomain(dates: readonly Date[]): [number, number] {
  const times = dates.map((d) => d.getTime());
  const min = Math.min(...times);
  const max = Math.max(...times);
  if (!Number.isFinite(min)) {
    const now = Date.now();
    return [now - 7 * DAY_MS, now + 7 * DAY_MS];
  }
  if (max - min < DAY_MS) return [min - 7 * DAY_MS, max + 7 * DAY_MS];
  const pad = (max - min) * 0.04;
  return [min - pad, max + pad];
}

export function linear(domain: [number, number], range: [number, number]): (value: number) => number {
  const [d0, d1] = domain;
  const [r0, r1] = range;
  const span = d1 - d0 || 1;
  return (value) => r0 + ((value - d0) / span) * (r1 - r0);
}

/**
 * About one tick per 110 px, at noon (UTC) on whole days, evenly spaced: every day, every few
 * days, or whole weeks for longer spans.
 */
export function dateTicks(domain: [number, number], plotWidth: number): Date[] {
  const count = Math.max(2, Math.min(6, Math.floor(plotWidth / 110)));
  const [start, end] = domain;
  let step = Math.max(1, Math.ceil((end - start) / DAY_MS / count));
  if (step > 7) step = Math.ceil(step / 7) * 7;
  const first = new Date(start);
  first.setUTCHours(12, 0, 0, 0);
  if (first.getTime() < start) first.setUTCDate(first.getUTCDate() + 1);
  const ticks: Date[] = [];
  for (let t = first.getTime(); t <= end; t += step * DAY_MS) ticks.push(new Date(t));
  return ticks;
}

export function buildChartModel(
  phq9: readonly DatedValue[],
  mood: readonly DatedValue[],
  layout: ChartLayout
): ChartModel {
  const width = Math.max(240, Math.round(layout.width));
  const marginLeft = layout.marginLeft ?? 36;
  const marginRight = layout.marginRight ?? 12;
  const phq9Height = layout.phq9Height ?? 200;
  const moodHeight = layout.moodHeight ?? 110;
  const plotLeft = marginLeft;
  const plotRight = width - marginRight;
  const domain = timeDomain([...phq9, ...mood].map((p) => p.date));
  const x = linear(domain, [plotLeft, plotRight]);

  const phq9Top = 24;
  const phq9Y = linear([0, PHQ9_MAX], [phq9Top + phq9Height, phq9Top]);
  const bands = PHQ9_BANDS.map((band) => {
    // Each band covers its whole scores: 0-4 runs from 0 to 4.5, …, 20-27 from 19.5 to 27.
    const low = band.from === 0 ? 0 : band.from - 0.5;
    const high = band.to === PHQ9_MAX ? PHQ9_MAX : band.to + 0.5;
    return {
      severity: band.severity,
      from: band.from,
      to: band.to,
      y: phq9Y(high),
      height: phq9Y(low) - phq9Y(high),
    };
  });
  const phq9Panel = {
    top: phq9Top,
    height: phq9Height,
    max: PHQ9_MAX,
    y: phq9Y,
    bands,
    points: phq9.map((p) => ({ x: x(p.date.getTime()), y: phq9Y(p.value), value: p.value, date: p.date })),
  };

  let bottom = phq9Top + phq9Height;
  let moodPanel: ChartModel['mood'] = null;
  if (mood.length > 0) {
    const top = bottom + 44;
    const moodY = linear([0, MOOD_MAX], [top + moodHeight, top]);
    moodPanel = {
      top,
      height: moodHeight,
      max: MOOD_MAX,
      y: moodY,
      points: mood.map((p) => ({ x: x(p.date.getTime()), y: moodY(p.value), value: p.value, date: p.date })),
    };
    bottom = top + moodHeight;
  }
  const axisY = bottom;
  return {
    width,
    height: axisY + 28,
    plotLeft,
    plotRight,
    phq9: phq9Panel,
    mood: moodPanel,
    xTicks: dateTicks(domain, plotRight - plotLeft).map((date) => ({ x: x(date.getTime()), date })),
    axisY,
  };
}

/** "M x y L x y …" through the points in time order. */
export function linePath(points: readonly PlottedPoint[]): string {
  return [...points]
    .sort((a, b) => a.date.getTime() - b.date.getTime())
    .map((p, i) => `${i === 0 ? 'M' : 'L'}${p.x.toFixed(1)} ${p.y.toFixed(1)}`)
    .join(' ');
}

export function bandOf(total: number): BandSeverity {
  return (PHQ9_BANDS.find((band) => total >= band.from && total <= band.to) ?? PHQ9_BANDS[4]).severity;
}

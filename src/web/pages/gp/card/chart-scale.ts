/** Geometry for the card's small score chart: score bands and a time scale, no chart library. */

export interface Band {
  key: string;
  from: number;
  to: number;
}

/** PHQ-9 severity bands (Kroenke 2001). */
export const PHQ9_BANDS: readonly Band[] = [
  { key: 'minimal', from: 0, to: 4 },
  { key: 'mild', from: 5, to: 9 },
  { key: 'moderate', from: 10, to: 14 },
  { key: 'moderately_severe', from: 15, to: 19 },
  { key: 'severe', from: 20, to: 27 },
];

/** WSAS bands (Mundt 2002): under 10, 10–20, over 20. */
export const WSAS_BANDS: readonly Band[] = [
  { key: 'subclinical', from: 0, to: 9 },
  { key: 'significant', from: 10, to: 20 },
  { key: 'severe', from: 21, to: 40 },
];

/** Each band as a rectangle: it covers its scores from the lower edge of `from` to the top of `to`. */
export function chartBands(bands: readonly Band[], y: (value: number) => number) {
  const max = bands.at(-1)?.to ?? 0;
  return bands.map((band) => {
    const lower = band.from === 0 ? 0 : band.from - 0.5;
    const upper = band.to === max ? max : band.to + 0.5;
    return { ...band, y: y(upper), height: y(lower) - y(upper) };
  });
}

const DAY = 24 * 60 * 60 * 1000;

/** A linear time scale from the earliest to the latest date (a single date sits in the middle). */
export function scaleTime(dates: Date[], from: number, to: number) {
  const times = dates.map((d) => d.getTime()).filter((n) => Number.isFinite(n));
  let min = Math.min(...times);
  let max = Math.max(...times);
  if (!Number.isFinite(min) || !Number.isFinite(max)) {
    min = Date.now() - DAY;
    max = Date.now();
  }
  if (max - min < DAY) {
    min -= DAY;
    max += DAY;
  }
  const at = (date: Date) => from + ((date.getTime() - min) / (max - min)) * (to - from);
  /** Up to `count` evenly spaced dates across the range, for axis labels. */
  const ticks = (count: number) => {
    const n = Math.max(2, count);
    return Array.from({ length: n }, (_, i) => new Date(min + ((max - min) * i) / (n - 1)));
  };
  return { at, ticks };
}

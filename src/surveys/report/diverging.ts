/**
 * Likert items as a diverging stacked bar chart (Robbins & Heiberger 2011, "Plotting Likert and
 * other rating scales"): one bar per item, its categories stacked from the lowest to the highest,
 * shifted so that the boundary between the lower and the upper half of the scale lies on a common
 * zero line; with an odd number of categories the middle one straddles the line, half on each
 * side. Inline SVG with <title> and <desc> (referenced by aria-labelledby) holding every
 * percentage as text, so a screen reader reads the numbers the bars show; the report prints the
 * same numbers in a table beside it.
 */
import { esc, textWidth, wrapText } from '../../registry/report/svg.js';

export interface LikertRow {
  label: string;
  /** Shares (0-1) per category, lowest first; they need not sum to 1 exactly (rounding). */
  shares: readonly number[];
}

export interface DivergingOptions {
  id: string;
  title: string;
  /** Category labels, lowest first. */
  categories: readonly string[];
  rows: readonly LikertRow[];
  /** Formats a percentage for the text alternative, e.g. "43.5 %". */
  percent: (value: number) => string;
  /** Formats a whole percentage for the axis, e.g. "40 %" (default: percent). */
  axisPercent?: (value: number) => string;
  /** A sentence introducing the text alternative, e.g. "Weighted percentages per item:". */
  describe: string;
}

/** Colours from a blue-orange diverging scale (ColorBrewer PuOr-like, colour-blind safe). */
const LOW = ['#b35806', '#e08214', '#fdb863', '#fee0b6'];
const HIGH = ['#d8daeb', '#b2abd2', '#8073ac', '#542788'];
const MIDDLE = '#dddddd';

export function likertColours(k: number): string[] {
  const half = Math.floor(k / 2);
  // Spread over the scale's strength: one category a side takes the middle tones, four all.
  const take = (from: readonly string[]) =>
    Array.from(
      { length: half },
      (_, i) => from[Math.round(half === 1 ? 1 : (i * (from.length - 1)) / (half - 1))]!
    );
  const low = take(LOW);
  const high = take([...HIGH].reverse()).reverse();
  return k % 2 === 1 ? [...low, MIDDLE, ...high] : [...low, ...high];
}

/** Black or white text, whichever reads better on the fill (WCAG relative luminance). */
export function textColour(fill: string): string {
  const [r, g, b] = [1, 3, 5].map((i) => {
    const c = parseInt(fill.slice(i, i + 2), 16) / 255;
    return c <= 0.03928 ? c / 12.92 : ((c + 0.055) / 1.055) ** 2.4;
  });
  const luminance = 0.2126 * r! + 0.7152 * g! + 0.0722 * b!;
  return luminance > 0.25 ? '#000' : '#fff';
}

/** Where each category's segment starts and ends (shares as given), relative to the zero line. */
export function segments(shares: readonly number[]): { start: number; end: number }[] {
  const k = shares.length;
  const half = Math.floor(k / 2);
  // Left of zero: the lower half, plus half of the middle category when k is odd.
  let left = 0;
  for (let i = 0; i < half; i++) left += shares[i]!;
  if (k % 2 === 1) left += shares[half]! / 2;
  let at = -left;
  return shares.map((s) => {
    const seg = { start: at, end: at + s };
    at += s;
    return seg;
  });
}

export function divergingBarChart(o: DivergingOptions): string {
  const fontSize = 12;
  const labelWidth = Math.min(320, Math.max(80, ...o.rows.map((r) => textWidth(r.label, fontSize)))) + 12;
  const plotWidth = 460;
  const barHeight = 22;
  const gap = 10;
  const rowsLines = o.rows.map((r) => wrapText(r.label, labelWidth - 12, fontSize));
  const rowHeights = rowsLines.map((lines) => Math.max(barHeight, lines.length * 15) + gap);
  const colours = likertColours(o.categories.length);
  // Scale: the widest side over all rows, rounded up to 10 %.
  const extents = o.rows.map((r) => segments(r.shares));
  const maxSide = Math.max(0.5, ...extents.map((s) => Math.max(-(s[0]?.start ?? 0), s.at(-1)?.end ?? 0)));
  const side = Math.min(1, Math.ceil(maxSide * 10) / 10);
  const x0 = labelWidth + plotWidth / 2;
  const scale = plotWidth / 2 / side;
  const legendItemWidths = o.categories.map((c) => 18 + textWidth(c, fontSize) + 14);
  const legendRows: number[][] = [[]];
  let used = 0;
  legendItemWidths.forEach((w, i) => {
    if (used + w > plotWidth + 30 && legendRows.at(-1)!.length) {
      legendRows.push([]);
      used = 0;
    }
    legendRows.at(-1)!.push(i);
    used += w;
  });
  const top = 8 + legendRows.length * 20 + 8;
  const plotHeight = rowHeights.reduce((s, h) => s + h, 0);
  const height = top + plotHeight + 28;
  const width = labelWidth + plotWidth + 40;
  const titleId = `${o.id}-title`;
  const descId = `${o.id}-desc`;
  const desc = `${o.describe} ${o.rows
    .map(
      (r) => `${r.label}: ${r.shares.map((s, i) => `${o.categories[i]} ${o.percent(100 * s)}`).join(', ')}.`
    )
    .join(' ')}`;
  let svg = `<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 ${width} ${height}" width="${width}" height="${height}" role="img" aria-labelledby="${titleId} ${descId}" font-family="system-ui, sans-serif" font-size="${fontSize}">`;
  svg += `<title id="${titleId}">${esc(o.title)}</title><desc id="${descId}">${esc(desc)}</desc>`;
  // Legend.
  legendRows.forEach((row, r) => {
    let x = labelWidth;
    for (const i of row) {
      const y = 8 + r * 20;
      svg += `<rect x="${x}" y="${y}" width="12" height="12" fill="${colours[i]}" stroke="#666" stroke-width="0.5"/>`;
      svg += `<text x="${x + 18}" y="${y + 10}">${esc(o.categories[i]!)}</text>`;
      x += legendItemWidths[i]!;
    }
  });
  // Bars.
  let y = top;
  o.rows.forEach((row, r) => {
    const h = rowHeights[r]!;
    const lines = rowsLines[r]!;
    const textTop = y + (h - gap) / 2 - ((lines.length - 1) * 15) / 2 + 4;
    lines.forEach((line, l) => {
      svg += `<text x="${labelWidth - 8}" y="${(textTop + l * 15).toFixed(1)}" text-anchor="end">${esc(line)}</text>`;
    });
    const barY = y + (h - gap - barHeight) / 2;
    extents[r]!.forEach((seg, i) => {
      const w = (seg.end - seg.start) * scale;
      if (w <= 0) return;
      svg += `<rect x="${(x0 + seg.start * scale).toFixed(2)}" y="${barY.toFixed(1)}" width="${w.toFixed(2)}" height="${barHeight}" fill="${colours[i]}"/>`;
      if (w > 34)
        svg += `<text x="${(x0 + ((seg.start + seg.end) / 2) * scale).toFixed(2)}" y="${(barY + 15).toFixed(1)}" text-anchor="middle" fill="${textColour(colours[i]!)}">${Math.round(100 * (seg.end - seg.start))}</text>`;
    });
    y += h;
  });
  // Zero line and axis.
  svg += `<line x1="${x0}" y1="${top - 4}" x2="${x0}" y2="${top + plotHeight}" stroke="#333"/>`;
  for (let t = -side; t <= side + 1e-9; t += side / 2) {
    const x = x0 + t * scale;
    svg += `<line x1="${x.toFixed(1)}" y1="${top + plotHeight}" x2="${x.toFixed(1)}" y2="${top + plotHeight + 4}" stroke="#333"/>`;
    svg += `<text x="${x.toFixed(1)}" y="${top + plotHeight + 18}" text-anchor="middle">${esc((o.axisPercent ?? o.percent)(Math.abs(Math.round(t * 100))))}</text>`;
  }
  svg += '</svg>';
  return svg;
}

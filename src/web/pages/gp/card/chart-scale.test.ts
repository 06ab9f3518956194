import { describe, expect, it } from 'vitest';
import { chartBands, PHQ9_BANDS, scaleTime, WSAS_BANDS } from './chart-scale.js';

describe('score chart geometry', () => {
  it('stacks the PHQ-9 bands without gaps from 0 to 27', () => {
    const y = (v: number) => 270 - v * 10;
    const bands = chartBands(PHQ9_BANDS, y);
    expect(bands[0]!.y + bands[0]!.height).toBe(y(0));
    expect(bands.at(-1)!.y).toBe(y(27));
    for (let i = 1; i < bands.length; i += 1) expect(bands[i]!.y + bands[i]!.height).toBe(bands[i - 1]!.y);
  });

  it('covers WSAS 0-40 in three bands', () => {
    const bands = chartBands(WSAS_BANDS, (v) => 400 - v * 10);
    expect(bands.map((b) => b.key)).toEqual(['subclinical', 'significant', 'severe']);
    expect(bands.reduce((sum, b) => sum + b.height, 0)).toBe(400);
  });

  it('maps the first and last dates to the ends, and a single date inside', () => {
    const a = new Date('2026-01-01T00:00:00Z');
    const b = new Date('2026-02-01T00:00:00Z');
    const scale = scaleTime([a, b], 0, 100);
    expect(scale.at(a)).toBe(0);
    expect(scale.at(b)).toBe(100);
    expect(scale.ticks(3)).toHaveLength(3);
    const single = scaleTime([a], 0, 100);
    expect(single.at(a)).toBe(50);
  });
});

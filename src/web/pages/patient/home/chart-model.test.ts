import { describe, expect, it } from 'vitest';
import { bandOf, buildChartModel, dateTicks, linePath, timeDomain } from './chart-model.js';

const day = (n: number) => new Date(Date.UTC(2026, 0, 1 + n, 12));

describe('mood chart model', () => {
  it('maps PHQ-9 0 to the bottom and 27 to the top of its panel, with five contiguous bands', () => {
    const model = buildChartModel(
      [
        { date: day(0), value: 0 },
        { date: day(14), value: 27 },
      ],
      [],
      { width: 600 }
    );
    const [low, high] = model.phq9.points;
    expect(low!.y).toBeCloseTo(model.phq9.top + model.phq9.height);
    expect(high!.y).toBeCloseTo(model.phq9.top);
    expect(low!.x).toBeGreaterThan(model.plotLeft);
    expect(high!.x).toBeLessThan(model.plotRight);
    expect(model.mood).toBeNull();
    const bands = model.phq9.bands;
    expect(bands.map((b) => b.severity)).toEqual([
      'minimal',
      'mild',
      'moderate',
      'moderately_severe',
      'severe',
    ]);
    for (let i = 1; i < bands.length; i += 1) {
      expect(bands[i]!.y + bands[i]!.height).toBeCloseTo(bands[i - 1]!.y);
    }
    expect(bands.reduce((sum, b) => sum + b.height, 0)).toBeCloseTo(model.phq9.height);
  });

  it('adds a mood panel below on the same time axis', () => {
    const model = buildChartModel([{ date: day(0), value: 12 }], [{ date: day(0), value: 10 }], {
      width: 360,
    });
    expect(model.mood).not.toBeNull();
    expect(model.mood!.top).toBeGreaterThan(model.phq9.top + model.phq9.height);
    expect(model.mood!.points[0]!.x).toBeCloseTo(model.phq9.points[0]!.x);
    expect(model.mood!.points[0]!.y).toBeCloseTo(model.mood!.top);
    expect(model.height).toBeGreaterThan(model.axisY);
  });

  it('pads a single day to two weeks and spreads whole-day ticks over the plot', () => {
    const [start, end] = timeDomain([day(3)]);
    expect(end - start).toBe(14 * 24 * 3600 * 1000);
    const ticks = dateTicks([day(0).getTime() - 3600_000, day(60).getTime()], 440);
    expect(ticks.length).toBeGreaterThanOrEqual(2);
    expect(ticks.length).toBeLessThanOrEqual(5);
    // Whole weeks for a two-month span, evenly spaced, starting on the first day
    const gaps = ticks.slice(1).map((d, i) => d.getTime() - ticks[i]!.getTime());
    expect(new Set(gaps).size).toBe(1);
    expect(gaps[0]! % (7 * 24 * 3600 * 1000)).toBe(0);
    expect(ticks[0]!.getTime()).toBe(day(0).getTime());
    const daily = dateTicks([day(0).getTime(), day(3).getTime()], 600);
    expect(daily.map((d) => d.getUTCDate())).toEqual([1, 2, 3, 4]);
  });

  it('draws lines in time order and names the band of a total', () => {
    const path = linePath([
      { x: 30, y: 5, value: 1, date: day(2) },
      { x: 10, y: 6, value: 2, date: day(1) },
    ]);
    expect(path).toBe('M10.0 6.0 L30.0 5.0');
    expect([0, 4, 5, 9, 10, 14, 15, 19, 20, 27].map(bandOf)).toEqual([
      'minimal',
      'minimal',
      'mild',
      'mild',
      'moderate',
      'moderate',
      'moderately_severe',
      'moderately_severe',
      'severe',
      'severe',
    ]);
  });
});

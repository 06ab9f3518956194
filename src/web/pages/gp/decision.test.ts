import { describe, expect, it } from 'vitest';
import { decisionWeek, targetStatus, weeksOnProgram } from './decision.js';

const DAY = 24 * 60 * 60 * 1000;
const start = '2026-01-05T08:00:00.000Z';
const at = (days: number) => new Date(new Date(start).getTime() + days * DAY);

describe('decision points (treat to target)', () => {
  it('counts whole weeks from the start, and nothing before it', () => {
    expect(weeksOnProgram(null, at(10))).toBeNull();
    expect(weeksOnProgram(start, at(-1))).toBeNull();
    expect(weeksOnProgram(start, at(6.9))).toBe(0);
    expect(weeksOnProgram(start, at(7))).toBe(1);
  });

  it('is week 4 from week 3 to before week 6, and week 8 from week 7 to before week 10', () => {
    expect(decisionWeek(start, at(20))).toBeNull();
    expect(decisionWeek(start, at(21))).toBe(4);
    expect(decisionWeek(start, at(41))).toBe(4);
    expect(decisionWeek(start, at(42))).toBeNull();
    expect(decisionWeek(start, at(49))).toBe(8);
    expect(decisionWeek(start, at(69))).toBe(8);
    expect(decisionWeek(start, at(70))).toBeNull();
  });

  it('signals at week 4 when the PHQ-9 is not lower than at baseline', () => {
    expect(targetStatus(4, 14, 14)).toEqual({ improvementPercent: 0, signal: true });
    expect(targetStatus(4, 14, 13)).toEqual({ improvementPercent: 7, signal: false });
    expect(targetStatus(4, 14, 16).signal).toBe(true);
  });

  it('signals at week 8 below 50% improvement; exactly 50% is on target', () => {
    expect(targetStatus(8, 16, 11)).toEqual({ improvementPercent: 31, signal: true });
    expect(targetStatus(8, 16, 8)).toEqual({ improvementPercent: 50, signal: false });
    expect(targetStatus(8, 16, 9).signal).toBe(true);
  });

  it('says nothing without both scores', () => {
    expect(targetStatus(8, null, 9)).toEqual({ improvementPercent: null, signal: null });
    expect(targetStatus(4, 12, null)).toEqual({ improvementPercent: null, signal: null });
  });
});

import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import {
  baselinePhq9,
  decisionPointDue,
  targetStatus,
  treatToTarget,
  weeksOnProgram,
  type Phq9Point,
} from './treat-to-target.js';
import { worklistItems } from './worklist.js';

const DAY = 24 * 60 * 60 * 1000;
const start = new Date('2026-01-05T08:00:00.000Z');
const at = (days: number) => new Date(start.getTime() + days * DAY);

describe('treat to target, one definition', () => {
  it('counts whole weeks from the start, and nothing before it', () => {
    expect(weeksOnProgram(null, at(10))).toBeNull();
    expect(weeksOnProgram(start, at(-1))).toBeNull();
    expect(weeksOnProgram(start, at(6.9))).toBe(0);
    expect(weeksOnProgram(start, at(7))).toBe(1);
  });

  it('shows the decision point from week 3 to before 6 (week 4), and from 7 to before 10 (week 8)', () => {
    expect(decisionPointDue(start, at(20))).toBeNull();
    expect(decisionPointDue(start, at(21))).toBe(4);
    expect(decisionPointDue(start, at(41))).toBe(4);
    expect(decisionPointDue(start, at(42))).toBeNull();
    expect(decisionPointDue(start, at(49))).toBe(8);
    expect(decisionPointDue(start, at(69))).toBe(8);
    expect(decisionPointDue(start, at(70))).toBeNull();
  });

  it('takes the latest PHQ-9 at or before the start as baseline, else the first after it, else the recorded one', () => {
    const p = (days: number, total: number): Phq9Point => ({ answeredAt: at(days), total });
    expect(baselinePhq9([p(-10, 18), p(-1, 15), p(14, 12)], start, 20)?.total).toBe(15);
    expect(baselinePhq9([p(0, 16), p(14, 12)], start, null)?.total).toBe(16); // at the start counts
    expect(baselinePhq9([p(3, 16), p(14, 12)], start, 20)?.total).toBe(16);
    expect(baselinePhq9([p(-3, 16), p(-1, 12)], null, 20)?.total).toBe(12); // not started: the latest
    expect(baselinePhq9([], start, 20)).toEqual({ answeredAt: null, total: 20 });
    expect(baselinePhq9([], start, null)).toBeNull();
  });

  it('signals at week 4 when the PHQ-9 is not lower than at baseline; at week 8 under 50%', () => {
    expect(targetStatus(4, 14, 14)).toEqual({ improvementPercent: 0, signal: true });
    expect(targetStatus(4, 14, 13)).toEqual({ improvementPercent: 7, signal: false });
    expect(targetStatus(8, 16, 11)).toEqual({ improvementPercent: 31, signal: true });
    expect(targetStatus(8, 16, 8)).toEqual({ improvementPercent: 50, signal: false });
  });

  it('says nothing without both scores, before a checkpoint, or from a baseline of 0', () => {
    expect(targetStatus(8, null, 9)).toEqual({ improvementPercent: null, signal: null });
    expect(targetStatus(4, 12, null)).toEqual({ improvementPercent: null, signal: null });
    expect(targetStatus(null, 12, 14)).toEqual({ improvementPercent: null, signal: null });
    expect(targetStatus(4, 0, 5)).toEqual({ improvementPercent: null, signal: null });
  });

  // The property behind "the worklist, card, note and caseload always agree": the worklist's
  // treat-to-target reasons are exactly what treatToTarget says, for any history.
  it('gives the worklist exactly the verdict the card shows, for any PHQ-9 history (property)', () => {
    const history = fc.array(
      fc.record({ day: fc.integer({ min: -60, max: 120 }), total: fc.integer({ min: 0, max: 27 }) }),
      { maxLength: 8 }
    );
    fc.assert(
      fc.property(
        history,
        fc.boolean(),
        fc.option(fc.integer({ min: 0, max: 27 })),
        (rows, started, recorded) => {
          const phq9 = rows
            .map((r, i) => ({ answeredAt: at(r.day + i / 1000), total: r.total }))
            .sort((a, b) => a.answeredAt.getTime() - b.answeredAt.getTime());
          const startedAt = started ? start : null;
          const verdict = treatToTarget({ active: started, startedAt, phq9, recordedBaseline: recorded });
          const reasons = worklistItems(
            {
              patientId: 'p',
              programStatus: started ? 'active' : 'recommended',
              startedAt,
              phq9,
              openItem9Alerts: [],
              lastActivityAt: null,
              invitation: null,
              missedFollowUps: [],
            },
            at(200)
          )
            .map((i) => i.reason)
            .filter((r) => r === 'no_improvement_4w' || r === 'under_50_percent_8w');
          const expected =
            verdict.signal === true
              ? [verdict.checkpoint === 4 ? 'no_improvement_4w' : 'under_50_percent_8w']
              : [];
          expect(reasons).toEqual(expected);
        }
      ),
      { numRuns: 500 }
    );
  });
});

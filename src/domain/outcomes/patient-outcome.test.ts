import { describe, expect, it } from 'vitest';
import { patientOutcome } from './patient-outcome.js';

const at = (day: number) => new Date(Date.UTC(2026, 0, 1 + day)).toISOString();
const series = (...scores: number[]) => scores.map((score, i) => ({ at: at(i * 14), score }));

describe('one patient’s outcome', () => {
  it('says nothing with fewer than two PHQ-9 scores, but still shows the WSAS and work status', () => {
    const o = patientOutcome({
      phq9: series(14),
      gad7: [],
      wsas: [{ at: at(0), score: 20, workStatus: 'partly_sick_leave' }],
      programEnded: false,
    });
    expect(o.flags).toBeNull();
    expect(o.basis).toBeNull();
    expect(o.measures).toEqual([]);
    expect(o.wsas).toEqual({ first: 20, last: 20, firstAt: at(0), lastAt: at(0) });
    expect(o.workStatus).toBe('partly_sick_leave');
    expect(o.provisional).toBe(true);
  });

  it('takes the first and last score by time, whatever order they come in', () => {
    const o = patientOutcome({
      phq9: [
        { at: at(28), score: 8 },
        { at: at(0), score: 16 },
        { at: at(14), score: 20 },
      ],
      gad7: [],
      wsas: [],
      programEnded: true,
    });
    expect(o.measures[0]).toMatchObject({ measure: 'phq9', first: 16, last: 8, change: -8, caseness: 10 });
    expect(o.flags).toEqual({
      caseness_at_start: true,
      reliable_improvement: true,
      reliable_deterioration: false,
      recovery: true,
      reliable_recovery: true,
    });
    expect(o.provisional).toBe(false);
  });

  it('at the boundaries: 10 is a case and 9 is not; a fall of 6 is reliable and of 5 is not', () => {
    const six = patientOutcome({ phq9: series(15, 9), gad7: [], wsas: [], programEnded: true });
    expect(six.flags).toMatchObject({ caseness_at_start: true, reliable_improvement: true, recovery: true });
    const five = patientOutcome({ phq9: series(15, 10), gad7: [], wsas: [], programEnded: true });
    expect(five.flags).toMatchObject({
      caseness_at_start: true,
      reliable_improvement: false,
      recovery: false,
      reliable_recovery: false,
    });
    const notCase = patientOutcome({ phq9: series(9, 3), gad7: [], wsas: [], programEnded: true });
    expect(notCase.flags).toMatchObject({
      caseness_at_start: false,
      recovery: null,
      reliable_improvement: true,
    });
  });

  it('uses the GAD-7 too when it has a pair, and names both rules', () => {
    const o = patientOutcome({ phq9: series(12, 8), gad7: series(10, 7), wsas: [], programEnded: false });
    expect(o.basis).toBe('phq9_and_gad7');
    expect(o.measures.map((m) => [m.measure, m.reliableChange])).toEqual([
      ['phq9', 6],
      ['gad7', 4],
    ]);
    expect(o.flags?.recovery).toBe(true);
    expect(o.flags?.reliable_recovery).toBe(false);
  });
});

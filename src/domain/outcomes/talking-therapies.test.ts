import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import {
  courseOutcome,
  inCourse,
  measureChange,
  outcomeCounts,
  outcomeFromSeries,
  reliableChangeCriterion,
  TALKING_THERAPIES_RULES,
} from './talking-therapies.js';

describe('one measure: caseness and reliable change at their boundaries', () => {
  it('PHQ-9: caseness from 10, reliable change from 6 points', () => {
    expect(measureChange('phq9', { first: 9, last: 9 }).casenessAtStart).toBe(false);
    expect(measureChange('phq9', { first: 10, last: 9 })).toMatchObject({
      casenessAtStart: true,
      casenessAtEnd: false,
      change: -1,
      direction: 'no_reliable_change',
    });
    expect(measureChange('phq9', { first: 15, last: 10 }).direction).toBe('no_reliable_change');
    expect(measureChange('phq9', { first: 15, last: 9 }).direction).toBe('reliable_improvement');
    expect(measureChange('phq9', { first: 4, last: 9 }).direction).toBe('no_reliable_change');
    expect(measureChange('phq9', { first: 4, last: 10 }).direction).toBe('reliable_deterioration');
  });

  it('GAD-7: caseness from 8, reliable change from 4 points', () => {
    expect(measureChange('gad7', { first: 7, last: 7 }).casenessAtStart).toBe(false);
    expect(measureChange('gad7', { first: 8, last: 8 }).casenessAtStart).toBe(true);
    expect(measureChange('gad7', { first: 12, last: 9 }).direction).toBe('no_reliable_change');
    expect(measureChange('gad7', { first: 12, last: 8 }).direction).toBe('reliable_improvement');
    expect(measureChange('gad7', { first: 3, last: 7 }).direction).toBe('reliable_deterioration');
  });

  it('refuses a score off the scale, naming it', () => {
    expect(() => measureChange('phq9', { first: 28, last: 3 })).toThrow(/phq9 first/);
    expect(() => measureChange('gad7', { first: 3, last: 2.5 })).toThrow(/gad7 last/);
  });
});

describe('a course: the combined NHS Talking Therapies outcomes', () => {
  it('recovered and reliably improved: reliable recovery', () => {
    const o = courseOutcome({ phq9: { first: 16, last: 7 }, gad7: { first: 11, last: 5 } })!;
    expect(o).toMatchObject({
      basis: 'phq9_and_gad7',
      casenessAtStart: true,
      reliableImprovement: true,
      reliableDeterioration: false,
      recovery: true,
      reliableRecovery: true,
    });
  });

  it('below both cut-offs at the end but by too few points: recovery without reliable recovery', () => {
    const o = courseOutcome({ phq9: { first: 12, last: 9 }, gad7: { first: 9, last: 7 } })!;
    expect(o.recovery).toBe(true);
    expect(o.reliableImprovement).toBe(false);
    expect(o.reliableRecovery).toBe(false);
  });

  it('one measure still at caseness at the end: not recovered', () => {
    const o = courseOutcome({ phq9: { first: 18, last: 6 }, gad7: { first: 10, last: 8 } })!;
    expect(o.reliableImprovement).toBe(true);
    expect(o.recovery).toBe(false);
    expect(o.reliableRecovery).toBe(false);
  });

  it('not a case at the start: recovery does not apply', () => {
    const o = courseOutcome({ phq9: { first: 9, last: 2 }, gad7: { first: 7, last: 1 } })!;
    expect(o.casenessAtStart).toBe(false);
    expect(o.recovery).toBeNull();
    expect(o.reliableRecovery).toBeNull();
    expect(o.reliableImprovement).toBe(true);
  });

  it('reliable change in opposite directions counts as neither improvement nor deterioration', () => {
    const o = courseOutcome({ phq9: { first: 16, last: 9 }, gad7: { first: 4, last: 9 } })!;
    expect(o.reliableImprovement).toBe(false);
    expect(o.reliableDeterioration).toBe(false);
  });

  it('a case only on the GAD-7 at the start counts as a case', () => {
    const o = courseOutcome({ phq9: { first: 8, last: 3 }, gad7: { first: 9, last: 4 } })!;
    expect(o.casenessAtStart).toBe(true);
    expect(o.recovery).toBe(true);
    expect(o.reliableRecovery).toBe(true);
  });

  it('rests on the PHQ-9 alone without a GAD-7 pair, and says so; nothing without a PHQ-9 pair', () => {
    expect(courseOutcome({ phq9: { first: 14, last: 8 } })?.basis).toBe('phq9_only');
    expect(courseOutcome({ gad7: { first: 14, last: 2 } })).toBeUndefined();
  });

  it('takes the first and last score by date, whatever the order given', () => {
    const o = outcomeFromSeries({
      phq9: [
        { at: '2026-03-01', score: 8 },
        { at: '2026-01-01', score: 17 },
        { at: '2026-02-01', score: 20 },
      ],
      gad7: [{ at: '2026-01-01', score: 12 }],
    })!;
    expect(o.basis).toBe('phq9_only');
    expect(o.changes[0]).toMatchObject({ first: 17, last: 8, change: -9 });
  });

  it('improvement and deterioration never both hold; reliable recovery implies both its parts', () => {
    const score = (max: number) => fc.integer({ min: 0, max });
    fc.assert(
      fc.property(score(27), score(27), fc.option(fc.tuple(score(21), score(21))), (a, b, g) => {
        const o = courseOutcome({
          phq9: { first: a, last: b },
          gad7: g ? { first: g[0], last: g[1] } : undefined,
        })!;
        expect(o.reliableImprovement && o.reliableDeterioration).toBe(false);
        if (o.reliableRecovery) expect(o.recovery && o.reliableImprovement).toBe(true);
        expect(o.recovery === null).toBe(!o.casenessAtStart);
      })
    );
  });
});

describe('rates use NHS Talking Therapies denominators', () => {
  it('recovery over cases at the start, improvement over every paired course', () => {
    const counts = outcomeCounts([
      courseOutcome({ phq9: { first: 16, last: 7 } }),
      courseOutcome({ phq9: { first: 9, last: 2 } }),
      courseOutcome({ phq9: { first: 12, last: 13 } }),
      undefined,
    ]);
    expect(counts).toEqual({
      withPairedScores: 3,
      casesAtStart: 2,
      reliableImprovement: 2,
      reliableDeterioration: 0,
      recovery: 1,
      reliableRecovery: 1,
    });
  });
});

describe('the reliable change criterion (Jacobson & Truax 1991)', () => {
  it('is 1.96·SD·√(2(1−r))', () => {
    expect(reliableChangeCriterion(5, 0.84)).toBeCloseTo(1.96 * 5 * Math.sqrt(0.32), 10);
    expect(() => reliableChangeCriterion(5, 1)).toThrow();
    expect(() => reliableChangeCriterion(0, 0.8)).toThrow();
  });

  it('gives about the manual’s criteria from published intake SDs and reliabilities', () => {
    // Cronbach's α 0.89 for the PHQ-9 (Kroenke et al. 2001) and 0.92 for the GAD-7 (Spitzer et al.
    // 2006); the intake SDs are illustrative (docs/outcomes.md says what we could and could not check).
    expect(Math.round(reliableChangeCriterion(6.0, 0.89))).toBe(TALKING_THERAPIES_RULES.phq9.reliableChange);
    expect(Math.round(reliableChangeCriterion(5.0, 0.92))).toBe(TALKING_THERAPIES_RULES.gad7.reliableChange);
  });
});

describe('which answers belong to a course (one rule for card, dashboards and extract)', () => {
  const course = { recommendedAt: '2026-03-01T10:00:00Z', finishedAt: '2026-05-01T10:00:00Z' };
  const now = new Date('2026-12-01T00:00:00Z');
  it('from 28 days before the recommendation to 14 days after the finish, edges included', () => {
    expect(inCourse('2026-02-01T10:00:00Z', course, now)).toBe(true);
    expect(inCourse('2026-02-01T09:59:59Z', course, now)).toBe(false);
    expect(inCourse('2026-05-15T10:00:00Z', course, now)).toBe(true);
    expect(inCourse('2026-05-15T10:00:01Z', course, now)).toBe(false);
  });
  it('a running course reaches to now; without a course every answer counts', () => {
    expect(inCourse('2026-11-30T00:00:00Z', { ...course, finishedAt: null }, now)).toBe(true);
    expect(inCourse('2026-12-02T00:00:00Z', { ...course, finishedAt: null }, now)).toBe(false);
    expect(inCourse('2001-01-01T00:00:00Z', null, now)).toBe(true);
  });
});

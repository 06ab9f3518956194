import { describe, expect, it } from 'vitest';
import { isModuleComplete, measuresDue, moduleStates, type ProgramFacts } from './progress.js';

const DAY = 24 * 3600_000;
const start = new Date('2026-10-01T10:00:00Z');
const at = (days: number) => new Date(start.getTime() + days * DAY);
const facts = (over: Partial<ProgramFacts>): ProgramFacts => ({
  startedAt: start,
  modules: [],
  measurements: [],
  now: at(1),
  ...over,
});

describe('module states', () => {
  it('locks everything before the start', () => {
    expect(Object.values(moduleStates(facts({ startedAt: null })))).toEqual([
      'locked',
      'locked',
      'locked',
      'locked',
      'locked',
    ]);
  });

  it('asks for the baseline PHQ-9 before module 1, accepting one from the GP visit up to 14 days before', () => {
    expect(moduleStates(facts({})).m1).toBe('measure_first');
    expect(moduleStates(facts({ measurements: [{ instrument: 'phq9', answeredAt: at(-14) }] })).m1).toBe(
      'available'
    );
    expect(moduleStates(facts({ measurements: [{ instrument: 'phq9', answeredAt: at(-15) }] })).m1).toBe(
      'measure_first'
    );
  });

  it('opens module 2 only after module 1 is complete and a PHQ-9 after it', () => {
    const m1Done = {
      moduleId: 'm1' as const,
      lessonsViewed: ['a'],
      quizAnswered: ['q'],
      completedAt: at(10),
    };
    const base = { instrument: 'phq9' as const, answeredAt: at(0) };
    expect(moduleStates(facts({ modules: [m1Done], measurements: [base] })).m2).toBe('measure_first');
    expect(
      moduleStates(
        facts({ modules: [m1Done], measurements: [base, { instrument: 'phq9', answeredAt: at(10) }] })
      ).m2
    ).toBe('measure_first');
    expect(
      moduleStates(
        facts({ modules: [m1Done], measurements: [base, { instrument: 'phq9', answeredAt: at(11) }] })
      ).m2
    ).toBe('available');
    expect(moduleStates(facts({ modules: [m1Done], measurements: [base] })).m3).toBe('locked');
  });

  it('completes a module when every lesson is seen and every quiz question answered, exercises optional', () => {
    const outline = { id: 'm1' as const, lessonIds: ['a', 'b'], quizIds: ['q1', 'q2'] };
    expect(
      isModuleComplete(outline, {
        moduleId: 'm1',
        lessonsViewed: ['a', 'b'],
        quizAnswered: ['q1'],
        completedAt: null,
      })
    ).toBe(false);
    expect(
      isModuleComplete(outline, {
        moduleId: 'm1',
        lessonsViewed: ['b', 'a'],
        quizAnswered: ['q2', 'q1'],
        completedAt: null,
      })
    ).toBe(true);
  });
});

describe('measurements due', () => {
  it('wants PHQ-9, GAD-7 and WSAS at the start', () => {
    expect(measuresDue(facts({})).map((d) => `${d.instrument}:${d.reason}`)).toEqual([
      'phq9:baseline',
      'gad7:baseline',
      'wsas:baseline',
    ]);
  });

  it('wants WSAS again after exactly 28 days, not before', () => {
    const measurements = (['phq9', 'gad7', 'wsas'] as const).map((instrument) => ({
      instrument,
      answeredAt: at(0),
    }));
    expect(measuresDue(facts({ measurements, now: at(27.99) }))).toEqual([]);
    expect(measuresDue(facts({ measurements, now: at(28) }))).toEqual([
      { instrument: 'wsas', reason: 'four_weekly' },
    ]);
  });

  it('wants all three at the end, once module 5 is complete', () => {
    const modules = (['m1', 'm2', 'm3', 'm4', 'm5'] as const).map((moduleId, i) => ({
      moduleId,
      lessonsViewed: [],
      quizAnswered: [],
      completedAt: at(14 * (i + 1)),
    }));
    const measurements = (['phq9', 'gad7', 'wsas'] as const).map((instrument) => ({
      instrument,
      answeredAt: at(0),
    }));
    expect(measuresDue(facts({ modules, measurements, now: at(71) })).map((d) => d.reason)).toEqual([
      'end',
      'end',
      'end',
    ]);
    const after = [...measurements, { instrument: 'phq9' as const, answeredAt: at(71) }];
    expect(
      measuresDue(facts({ modules, measurements: after, now: at(71) })).map((d) => d.instrument)
    ).toEqual(['gad7', 'wsas']);
  });
});

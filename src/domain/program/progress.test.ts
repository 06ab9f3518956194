import { describe, expect, it } from 'vitest';
import {
  isModuleComplete,
  mayAnswer,
  measuresDue,
  measuresUpcoming,
  moduleOpensAt,
  moduleStates,
  nextAnswerAllowedAt,
  type ModuleProgressRecord,
  type ProgramFacts,
} from './progress.js';

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

  it('opens module 2 only after module 1 is complete, its week has passed and a PHQ-9 after it', () => {
    const m1Done = {
      moduleId: 'm1' as const,
      lessonsViewed: ['a'],
      quizAnswered: ['q'],
      completedAt: at(10),
    };
    const base = { instrument: 'phq9' as const, answeredAt: at(0) };
    const later = { now: at(18) };
    expect(moduleStates(facts({ ...later, modules: [m1Done], measurements: [base] })).m2).toBe(
      'measure_first'
    );
    expect(
      moduleStates(
        facts({
          ...later,
          modules: [m1Done],
          measurements: [base, { instrument: 'phq9', answeredAt: at(10) }],
        })
      ).m2
    ).toBe('available'); // not after module 1, but inside its two-week recall: not asked again yet
    expect(
      moduleStates(
        facts({
          now: at(25),
          modules: [m1Done],
          measurements: [base, { instrument: 'phq9', answeredAt: at(10) }],
        })
      ).m2
    ).toBe('measure_first');
    expect(
      moduleStates(
        facts({
          ...later,
          modules: [m1Done],
          measurements: [base, { instrument: 'phq9', answeredAt: at(17) }],
        })
      ).m2
    ).toBe('available');
    expect(moduleStates(facts({ ...later, modules: [m1Done], measurements: [base] })).m3).toBe('locked');
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

/** Pacing (issue 11 §3): modules a week apart, PHQ-9 and GAD-7 not within their two-week recall. */
describe('pacing at its boundaries (Norwegian calendar days)', () => {
  // Thursday 3 December 2026, 21:30 in Oslo (20:30 UTC, winter time).
  const finished = new Date('2026-12-03T20:30:00Z');
  const done = (moduleId: ModuleProgressRecord['moduleId'], completedAt: Date): ModuleProgressRecord => ({
    moduleId,
    lessonsViewed: ['a'],
    quizAnswered: ['q'],
    completedAt,
  });
  const paced = (now: Date, over: Partial<ProgramFacts> = {}): ProgramFacts => ({
    startedAt: new Date('2026-11-20T09:00:00Z'),
    modules: [done('m1', finished)],
    // A PHQ-9 two days before module 1 was finished: none may be asked before module 2.
    measurements: [{ instrument: 'phq9', answeredAt: new Date('2026-12-01T19:00:00Z'), item9Score: 0 }],
    now,
    ...over,
  });

  it('opens the next module at midnight, Norwegian time, seven calendar days after the previous one', () => {
    expect(moduleOpensAt(paced(finished), 'm2')?.toISOString()).toBe('2026-12-09T23:00:00.000Z');
    expect(moduleStates(paced(new Date('2026-12-09T22:59:59Z'))).m2).toBe('waiting');
    expect(moduleStates(paced(new Date('2026-12-09T23:00:00Z'))).m2).toBe('available');
    // The modules after it stay locked until it is finished.
    expect(moduleStates(paced(new Date('2026-12-20T12:00:00Z'))).m3).toBe('locked');
  });

  it('counts calendar days across the change to summer time', () => {
    // Finished Saturday 27 March 2027 at 23:30 Oslo (22:30 UTC); summer time starts that night, so
    // midnight on Saturday 3 April is 22:00 UTC, not 23:00.
    const beforeDst = paced(new Date('2027-03-28T12:00:00Z'), {
      modules: [done('m1', new Date('2027-03-27T22:30:00Z'))],
      measurements: [],
    });
    expect(moduleOpensAt(beforeDst, 'm2')?.toISOString()).toBe('2027-04-02T22:00:00.000Z');
  });

  it('lets the GP open a module early, and never shuts a patient out of a module they have begun', () => {
    const early = new Date('2026-12-05T10:00:00Z');
    expect(moduleStates(paced(early)).m2).toBe('waiting');
    expect(moduleStates(paced(early, { openedEarly: ['m2'] })).m2).toBe('available');
    const begun = { moduleId: 'm2' as const, lessonsViewed: ['a'], quizAnswered: [], completedAt: null };
    expect(moduleStates(paced(early, { modules: [done('m1', finished), begun] })).m2).toBe('in_progress');
  });

  it('asks a PHQ-9 again from the fourteenth calendar day, not before', () => {
    const answeredAt = new Date('2026-12-01T19:00:00Z'); // 20:00 in Oslo on 1 December
    const measurements = [{ instrument: 'phq9' as const, answeredAt, item9Score: 0 }];
    expect(nextAnswerAllowedAt(measurements, 'phq9')?.toISOString()).toBe('2026-12-14T23:00:00.000Z');
    expect(mayAnswer({ measurements, now: new Date('2026-12-14T22:59:59Z') }, 'phq9')).toBe(false);
    expect(mayAnswer({ measurements, now: new Date('2026-12-14T23:00:00Z') }, 'phq9')).toBe(true);
    // GAD-7 has the same two-week recall; WSAS asks about now and has no minimum.
    const gad7 = [{ instrument: 'gad7' as const, answeredAt }];
    expect(mayAnswer({ measurements: gad7, now: new Date('2026-12-10T12:00:00Z') }, 'gad7')).toBe(false);
    const wsas = [{ instrument: 'wsas' as const, answeredAt }];
    expect(mayAnswer({ measurements: wsas, now: answeredAt }, 'wsas')).toBe(true);
    // Only the latest answer counts, and an instrument never answered may be answered.
    expect(mayAnswer({ measurements: [], now: answeredAt }, 'phq9')).toBe(true);
  });

  it('allows a new PHQ-9 at once after an item-9 answer above 0', () => {
    const answeredAt = new Date('2026-12-01T19:00:00Z');
    const now = new Date('2026-12-02T08:00:00Z');
    expect(
      mayAnswer({ measurements: [{ instrument: 'phq9', answeredAt, item9Score: 1 }], now }, 'phq9')
    ).toBe(true);
    expect(
      mayAnswer(
        {
          measurements: [
            { instrument: 'phq9', answeredAt: new Date('2026-11-30T19:00:00Z'), item9Score: 2 },
            { instrument: 'phq9', answeredAt, item9Score: 0 },
          ],
          now,
        },
        'phq9'
      )
    ).toBe(false);
  });

  it('skips the PHQ-9 before a module while the last one is inside its recall, and asks it after', () => {
    const opened = new Date('2026-12-10T08:00:00Z'); // m2 open, last PHQ-9 on 1 December
    expect(moduleStates(paced(opened)).m2).toBe('available');
    expect(measuresDue(paced(opened)).filter((d) => d.instrument === 'phq9')).toEqual([]);
    const fortnight = new Date('2026-12-15T08:00:00Z');
    expect(moduleStates(paced(fortnight)).m2).toBe('measure_first');
    expect(measuresDue(paced(fortnight))).toContainEqual({
      instrument: 'phq9',
      reason: 'before_module',
      moduleId: 'm2',
    });
  });

  it('holds the end PHQ-9 and GAD-7 until their recall has passed, and says from when', () => {
    const m5At = new Date('2027-01-10T18:00:00Z');
    const allDone = (['m1', 'm2', 'm3', 'm4', 'm5'] as const).map((id) => done(id, m5At));
    const measurements = [
      { instrument: 'phq9' as const, answeredAt: new Date('2027-01-05T18:00:00Z'), item9Score: 0 },
      { instrument: 'gad7' as const, answeredAt: new Date('2026-11-20T09:00:00Z') },
      { instrument: 'wsas' as const, answeredAt: new Date('2027-01-05T18:00:00Z') },
    ];
    const facts = paced(new Date('2027-01-10T19:00:00Z'), { modules: allDone, measurements });
    expect(measuresDue(facts)).toEqual([
      { instrument: 'gad7', reason: 'end' },
      { instrument: 'wsas', reason: 'end' },
    ]);
    expect(measuresUpcoming(facts)).toEqual([
      { instrument: 'phq9', reason: 'end', from: new Date('2027-01-18T23:00:00Z') },
    ]);
    const later = { ...facts, now: new Date('2027-01-18T23:00:00Z') };
    expect(measuresDue(later).map((d) => d.instrument)).toContain('phq9');
    expect(measuresUpcoming(later)).toEqual([]);
  });
});

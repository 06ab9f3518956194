import { describe, expect, it } from 'vitest';
import type { ModuleProgress, ModuleState, ProgramView } from '../../../api/client.js';
import { currentModule, nextStep, otherMeasuresDue, reminderInstrument } from './next-step.js';

function program(
  status: ProgramView['status'],
  states: ModuleState[],
  measuresDue: ProgramView['measuresDue'] = []
): Pick<ProgramView, 'status' | 'modules' | 'measuresDue'> {
  const modules: ModuleProgress[] = states.map((state, i) => ({
    id: `m${i + 1}` as ModuleProgress['id'],
    state,
    lessonsViewed: [],
    quizAnswered: [],
    secondsSpent: 0,
    completedAt: state === 'completed' ? '2026-01-01T10:00:00Z' : null,
    opensAt: state === 'waiting' ? '2026-01-07T23:00:00Z' : null,
    openedEarly: null,
  }));
  return { status, modules, measuresDue };
}

const LOCKED4: ModuleState[] = ['locked', 'locked', 'locked', 'locked'];

describe('nextStep', () => {
  it('shows the week before the next module opens, with the homework of the one just finished', () => {
    const step = nextStep(program('active', ['completed', 'waiting', 'locked', 'locked', 'locked']));
    expect(step).toEqual({
      kind: 'wait_module',
      waitingModuleId: 'm2',
      opensAt: '2026-01-07T23:00:00Z',
      moduleId: 'm1',
    });
    // A measurement that is due still comes first, and the waiting module is not "the current one".
    const due = program(
      'active',
      ['completed', 'waiting', 'locked', 'locked', 'locked'],
      [{ instrument: 'wsas', reason: 'four_weekly' }]
    );
    expect(nextStep(due).kind).toBe('measure');
    expect(currentModule(due)).toBe('m1');
  });

  it('follows the program status before anything else', () => {
    expect(nextStep(program('not_recommended', ['locked', ...LOCKED4])).kind).toBe('not_recommended');
    expect(nextStep(program('recommended', ['locked', ...LOCKED4])).kind).toBe('start_program');
    expect(nextStep(program('stopped', ['locked', ...LOCKED4])).kind).toBe('stopped');
  });

  it('puts a due PHQ-9 first, on the module page it gates', () => {
    const p = program(
      'active',
      ['completed', 'measure_first', 'locked', 'locked', 'locked'],
      [
        { instrument: 'wsas', reason: 'four_weekly' },
        { instrument: 'phq9', reason: 'before_module', moduleId: 'm2' },
      ]
    );
    const step = nextStep(p);
    expect(step).toEqual({
      kind: 'measure',
      due: { instrument: 'phq9', reason: 'before_module', moduleId: 'm2' },
      moduleId: 'm2',
    });
    expect(otherMeasuresDue(p, step)).toEqual([{ instrument: 'wsas', reason: 'four_weekly' }]);
  });

  it('asks for the baseline GAD-7/WSAS before the first module, then the module', () => {
    const due = [
      { instrument: 'gad7', reason: 'baseline' },
      { instrument: 'wsas', reason: 'baseline' },
    ] as const;
    const step = nextStep(program('active', ['available', ...LOCKED4], [...due]));
    expect(step.kind === 'measure' && step.due.instrument).toBe('gad7');
    expect(nextStep(program('active', ['available', ...LOCKED4]))).toEqual({
      kind: 'start_module',
      moduleId: 'm1',
    });
    expect(nextStep(program('active', ['in_progress', ...LOCKED4]))).toEqual({
      kind: 'continue_module',
      moduleId: 'm1',
    });
  });

  it('a four-weekly WSAS waits behind the module in progress; at the end, finished', () => {
    const p = program(
      'active',
      ['completed', 'in_progress', 'locked', 'locked', 'locked'],
      [{ instrument: 'wsas', reason: 'four_weekly' }]
    );
    expect(nextStep(p)).toEqual({ kind: 'continue_module', moduleId: 'm2' });
    const done: ModuleState[] = ['completed', 'completed', 'completed', 'completed', 'completed'];
    expect(nextStep(program('finished', done)).kind).toBe('finished');
    expect(currentModule(program('finished', done))).toBe('m5');
    expect(
      currentModule(program('active', ['completed', 'measure_first', 'locked', 'locked', 'locked']))
    ).toBe('m2');
  });

  it('reads the instrument of a measure reminder', () => {
    expect(reminderInstrument('gad7')).toBe('gad7');
    expect(reminderInstrument('phq9:before_module:m2')).toBe('phq9');
    expect(reminderInstrument('m2')).toBeNull();
  });
});

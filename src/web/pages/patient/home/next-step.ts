/**
 * The one clear next step on the patient's home page, from the program state the server computes.
 * Order: a PHQ-9 that is due (it gates the next module), the baseline or end GAD-7/WSAS, the module
 * in progress, the next module, a four-weekly WSAS, the week before the next module opens (with the
 * homework meanwhile), and otherwise the homework of the latest module.
 */
import type { Instrument, MeasureDue, ModuleId, ProgramView } from '../../../api/client.js';

export type NextStep =
  | { kind: 'not_recommended' }
  | { kind: 'start_program' }
  | { kind: 'stopped' }
  | {
      kind: 'measure';
      due: MeasureDue;
      /** Where the form is: a module page (PHQ-9 first) or a form page. */ moduleId: ModuleId | null;
    }
  | { kind: 'continue_module'; moduleId: ModuleId }
  | { kind: 'start_module'; moduleId: ModuleId }
  | { kind: 'homework'; moduleId: ModuleId }
  /** The next module opens on a date; meanwhile the homework of the module just finished. */
  | { kind: 'wait_module'; waitingModuleId: ModuleId; opensAt: string; moduleId: ModuleId | null }
  | { kind: 'finished' };

const MEASURE_ORDER: Record<Instrument, number> = { phq9: 0, gad7: 1, wsas: 2 };

export function nextStep(program: Pick<ProgramView, 'status' | 'modules' | 'measuresDue'>): NextStep {
  switch (program.status) {
    case 'not_recommended':
      return { kind: 'not_recommended' };
    case 'recommended':
      return { kind: 'start_program' };
    case 'stopped':
      return { kind: 'stopped' };
    default:
      break;
  }
  const due = [...program.measuresDue].sort(
    (a, b) => MEASURE_ORDER[a.instrument] - MEASURE_ORDER[b.instrument]
  );
  const phq9 = due.find((d) => d.instrument === 'phq9');
  if (phq9) {
    // Before a module the PHQ-9 is asked on the module page itself, then the module opens.
    const gated = phq9.moduleId ?? program.modules.find((m) => m.state === 'measure_first')?.id ?? null;
    return { kind: 'measure', due: phq9, moduleId: gated };
  }
  const other = due.find((d) => d.reason === 'baseline' || d.reason === 'end');
  if (other) return { kind: 'measure', due: other, moduleId: null };

  const inProgress = program.modules.find((m) => m.state === 'in_progress');
  if (inProgress) return { kind: 'continue_module', moduleId: inProgress.id };
  const available = program.modules.find((m) => m.state === 'available' || m.state === 'measure_first');
  if (available) return { kind: 'start_module', moduleId: available.id };

  const periodic = due[0];
  if (periodic) return { kind: 'measure', due: periodic, moduleId: null };

  const lastCompleted = latestCompletedModule(program);
  const waiting = program.modules.find((m) => m.state === 'waiting');
  if (waiting?.opensAt)
    return {
      kind: 'wait_module',
      waitingModuleId: waiting.id,
      opensAt: waiting.opensAt,
      moduleId: lastCompleted,
    };

  if (program.status === 'finished') return { kind: 'finished' };
  if (lastCompleted) return { kind: 'homework', moduleId: lastCompleted };
  return { kind: 'finished' };
}

/** Measurements due besides the one the next step is about. */
export function otherMeasuresDue(program: Pick<ProgramView, 'measuresDue'>, step: NextStep): MeasureDue[] {
  return program.measuresDue.filter(
    (d) => !(step.kind === 'measure' && d.instrument === step.due.instrument && d.reason === step.due.reason)
  );
}

/** The module the patient is in: the first one not completed, or the last one when all are. */
export function currentModule(program: Pick<ProgramView, 'modules'>): ModuleId | null {
  const open = program.modules.find(
    (m) => m.state !== 'completed' && m.state !== 'locked' && m.state !== 'waiting'
  );
  if (open) return open.id;
  const done = latestCompletedModule(program);
  return done;
}

export function latestCompletedModule(program: Pick<ProgramView, 'modules'>): ModuleId | null {
  const completed = program.modules.filter((m) => m.state === 'completed');
  return completed.at(-1)?.id ?? null;
}

/** Instrument of a measure_due reminder reference ("gad7", or "phq9:before_module:m2"). */
export function reminderInstrument(reference: string): Instrument | null {
  const instrument = reference.split(':')[0];
  return instrument === 'phq9' || instrument === 'gad7' || instrument === 'wsas' ? instrument : null;
}

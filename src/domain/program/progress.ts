/**
 * Progress through the five modules, and which measurements are due.
 *
 * A module is complete when every lesson page has been seen and every quiz question answered
 * (exercises are encouraged, not forced: a patient who cannot face one should still move on).
 * Modules open in order. Before each module from the second on, a PHQ-9 is asked first, so each
 * GP follow-up has a fresh score; the baseline covers module 1.
 *
 * Measurements (issue 3): PHQ-9 at the start, before each module and at the end; GAD-7 at the
 * start and the end; WSAS with work status at the start, every 4 weeks and at the end.
 */

export const MODULE_IDS = ['m1', 'm2', 'm3', 'm4', 'm5'] as const;
export type ModuleId = (typeof MODULE_IDS)[number];
export type Instrument = 'phq9' | 'gad7' | 'wsas';

const DAY_MS = 24 * 60 * 60 * 1000;
/** A measurement taken up to this long before enrolment (e.g. in the GP's office) counts as baseline. */
export const BASELINE_WINDOW_DAYS = 14;
export const WSAS_INTERVAL_DAYS = 28;

export interface ModuleOutline {
  id: ModuleId;
  lessonIds: readonly string[];
  quizIds: readonly string[];
}

export interface ModuleProgressRecord {
  moduleId: ModuleId;
  lessonsViewed: readonly string[];
  quizAnswered: readonly string[];
  completedAt: Date | null;
}

export function isModuleComplete(outline: ModuleOutline, record: ModuleProgressRecord | undefined): boolean {
  if (!record) return false;
  const seen = new Set(record.lessonsViewed);
  const answered = new Set(record.quizAnswered);
  return outline.lessonIds.every((id) => seen.has(id)) && outline.quizIds.every((id) => answered.has(id));
}

export type ModuleState = 'locked' | 'measure_first' | 'available' | 'in_progress' | 'completed';

export interface MeasurementRecord {
  instrument: Instrument;
  answeredAt: Date;
}

export interface ProgramFacts {
  /** When the patient started (accepted the GP's recommendation); null: not started. */
  startedAt: Date | null;
  modules: readonly ModuleProgressRecord[];
  measurements: readonly MeasurementRecord[];
  now: Date;
}

function latest(measurements: readonly MeasurementRecord[], instrument: Instrument): Date | null {
  let best: Date | null = null;
  for (const m of measurements)
    if (m.instrument === instrument && (!best || m.answeredAt > best)) best = m.answeredAt;
  return best;
}

/** Was the instrument answered since a time (or strictly after it)? */
function answeredSince(
  measurements: readonly MeasurementRecord[],
  instrument: Instrument,
  since: Date,
  strictlyAfter = false
): boolean {
  return measurements.some(
    (m) =>
      m.instrument === instrument &&
      (strictlyAfter ? m.answeredAt.getTime() > since.getTime() : m.answeredAt.getTime() >= since.getTime())
  );
}

export interface MeasureDue {
  instrument: Instrument;
  reason: 'baseline' | 'before_module' | 'four_weekly' | 'end';
  moduleId?: ModuleId;
}

/** The state of each module, in order. */
export function moduleStates(facts: ProgramFacts): Record<ModuleId, ModuleState> {
  const states = {} as Record<ModuleId, ModuleState>;
  const byId = new Map(facts.modules.map((m) => [m.moduleId, m]));
  let previousCompletedAt: Date | null = null;
  MODULE_IDS.forEach((id, index) => {
    const record = byId.get(id);
    if (record?.completedAt) {
      states[id] = 'completed';
    } else if (!facts.startedAt || (index > 0 && !previousCompletedAt)) {
      states[id] = 'locked';
    } else {
      // Module 1: the baseline (which may predate the start). Later modules: a PHQ-9 after the previous one.
      const measured =
        index === 0
          ? answeredSince(
              facts.measurements,
              'phq9',
              new Date(facts.startedAt.getTime() - BASELINE_WINDOW_DAYS * DAY_MS)
            )
          : answeredSince(facts.measurements, 'phq9', previousCompletedAt!, true);
      const begun = Boolean(record && (record.lessonsViewed.length > 0 || record.quizAnswered.length > 0));
      states[id] = !measured && !begun ? 'measure_first' : begun ? 'in_progress' : 'available';
    }
    previousCompletedAt = record?.completedAt ?? null;
  });
  return states;
}

/** Measurements due now, most important first. */
export function measuresDue(facts: ProgramFacts): MeasureDue[] {
  if (!facts.startedAt) return [];
  const due: MeasureDue[] = [];
  const baselineFrom = new Date(facts.startedAt.getTime() - BASELINE_WINDOW_DAYS * DAY_MS);
  const lastModule = facts.modules.find((m) => m.moduleId === 'm5');
  const finishedAt = lastModule?.completedAt ?? null;

  if (finishedAt) {
    for (const instrument of ['phq9', 'gad7', 'wsas'] as const) {
      if (!answeredSince(facts.measurements, instrument, finishedAt, true))
        due.push({ instrument, reason: 'end' });
    }
    return due;
  }
  for (const instrument of ['phq9', 'gad7', 'wsas'] as const) {
    if (!answeredSince(facts.measurements, instrument, baselineFrom))
      due.push({ instrument, reason: 'baseline' });
  }
  const states = moduleStates(facts);
  for (const id of MODULE_IDS) {
    if (states[id] === 'measure_first' && id !== 'm1' && !due.some((d) => d.instrument === 'phq9')) {
      due.push({ instrument: 'phq9', reason: 'before_module', moduleId: id });
    }
  }
  const lastWsas = latest(facts.measurements, 'wsas');
  if (
    lastWsas &&
    !due.some((d) => d.instrument === 'wsas') &&
    facts.now.getTime() - lastWsas.getTime() >= WSAS_INTERVAL_DAYS * DAY_MS
  ) {
    due.push({ instrument: 'wsas', reason: 'four_weekly' });
  }
  return due;
}

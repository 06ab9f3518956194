/**
 * Progress through the five modules, and which measurements are due.
 *
 * A module is complete when every lesson page has been seen and every quiz question answered
 * (exercises are encouraged, not forced: a patient who cannot face one should still move on).
 * Modules open in order, and paced (issue 11 §3): the next module opens no sooner than
 * MODULE_SPACING_DAYS calendar days (Norwegian time) after the previous one was finished, so there
 * is a week to try out what was learnt, unless the GP opens it earlier (recorded). Before a module
 * from the second on, a PHQ-9 is asked first when one may be asked, so each GP follow-up (every
 * second week) has a fresh score; the baseline covers module 1.
 *
 * Measurements (issue 3): PHQ-9 at the start, before modules and at the end; GAD-7 at the start
 * and the end; WSAS with work status at the start, every 4 weeks and at the end. PHQ-9 and GAD-7
 * ask about "the last 2 weeks", so neither is asked again within RECALL_DAYS calendar days: five
 * PHQ-9s in one evening would overlap their recall periods and set off false "worse by 5" and
 * treat-to-target flags. The one exception: after a PHQ-9 with item 9 above 0, a new PHQ-9 may be
 * answered at any time (the GP may ask for one after talking with the patient).
 */
import { addCalendarDays, osloDateAndTime, osloInstant } from '../followup/oslo-time.js';

export const MODULE_IDS = ['m1', 'm2', 'm3', 'm4', 'm5'] as const;
export type ModuleId = (typeof MODULE_IDS)[number];
export type Instrument = 'phq9' | 'gad7' | 'wsas';

const DAY_MS = 24 * 60 * 60 * 1000;
/** A measurement taken up to this long before enrolment (e.g. in the GP's office) counts as baseline. */
export const BASELINE_WINDOW_DAYS = 14;
export const WSAS_INTERVAL_DAYS = 28;
/** Calendar days between finishing one module and the next opening by itself. */
export const MODULE_SPACING_DAYS = 7;
/**
 * Calendar days before an instrument may be answered again: PHQ-9 and GAD-7 both ask about the
 * last two weeks. WSAS asks about now (no recall period), so it has no minimum.
 */
export const RECALL_DAYS: Record<Instrument, number> = { phq9: 14, gad7: 14, wsas: 0 };

/** Problem type of a refused answer inside its recall period (the web words it for the patient). */
export const MEASURE_NOT_YET_PROBLEM = 'https://gp-dep.example/problems/measure-not-yet';

/** Midnight, Norwegian time, `days` calendar days after the Norwegian date of `at`. */
export function osloMidnightDaysAfter(at: Date, days: number): Date {
  return osloInstant(addCalendarDays(osloDateAndTime(at).date, days), '00:00');
}

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

/** `waiting`: the previous module is finished, and this one opens on a date (see moduleOpensAt). */
export type ModuleState = 'locked' | 'waiting' | 'measure_first' | 'available' | 'in_progress' | 'completed';

export interface MeasurementRecord {
  instrument: Instrument;
  answeredAt: Date;
  /** PHQ-9 only: the item-9 answer (0-3). */
  item9Score?: number | null;
}

export interface ProgramFacts {
  /** When the patient started (accepted the GP's recommendation); null: not started. */
  startedAt: Date | null;
  modules: readonly ModuleProgressRecord[];
  measurements: readonly MeasurementRecord[];
  /** Modules the GP opened before their date (each one recorded with a reason). */
  openedEarly?: readonly ModuleId[];
  now: Date;
}

/**
 * From when the instrument may be answered again (null: now, or it was never answered). PHQ-9
 * after an item-9 answer above 0 may be answered at once.
 */
export function nextAnswerAllowedAt(
  measurements: readonly MeasurementRecord[],
  instrument: Instrument
): Date | null {
  let last: MeasurementRecord | null = null;
  for (const m of measurements)
    if (m.instrument === instrument && (!last || m.answeredAt > last.answeredAt)) last = m;
  if (!last || RECALL_DAYS[instrument] === 0) return null;
  if (instrument === 'phq9' && (last.item9Score ?? 0) > 0) return null;
  return osloMidnightDaysAfter(last.answeredAt, RECALL_DAYS[instrument]);
}

/** May the instrument be answered now? */
export function mayAnswer(
  facts: Pick<ProgramFacts, 'measurements' | 'now'>,
  instrument: Instrument
): boolean {
  const from = nextAnswerAllowedAt(facts.measurements, instrument);
  return from === null || facts.now.getTime() >= from.getTime();
}

/**
 * Until when a new answer is refused (null: it may be answered now). The recall rule of
 * mayAnswer, except that a measurement the program asks for now is always accepted, so a rule at
 * a day boundary can never leave a patient stuck in front of a module.
 */
export function answerBlockedUntil(facts: ProgramFacts, instrument: Instrument): Date | null {
  if (mayAnswer(facts, instrument)) return null;
  if (measuresDue(facts).some((d) => d.instrument === instrument)) return null;
  return nextAnswerAllowedAt(facts.measurements, instrument);
}

/**
 * When a module opens by itself: MODULE_SPACING_DAYS after the previous one was finished (module 1:
 * at the start). Null while the previous module is unfinished or the program has not started.
 */
export function moduleOpensAt(facts: ProgramFacts, moduleId: ModuleId): Date | null {
  const index = MODULE_IDS.indexOf(moduleId);
  if (!facts.startedAt) return null;
  if (index === 0) return facts.startedAt;
  const previous = facts.modules.find((m) => m.moduleId === MODULE_IDS[index - 1]);
  if (!previous?.completedAt) return null;
  return osloMidnightDaysAfter(previous.completedAt, MODULE_SPACING_DAYS);
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
    const begun = Boolean(record && (record.lessonsViewed.length > 0 || record.quizAnswered.length > 0));
    if (record?.completedAt) {
      states[id] = 'completed';
    } else if (!facts.startedAt || (index > 0 && !previousCompletedAt)) {
      states[id] = 'locked';
    } else if (begun) {
      // Never shut a patient out of a module they are working on.
      states[id] = 'in_progress';
    } else if (
      index > 0 &&
      !facts.openedEarly?.includes(id) &&
      facts.now.getTime() < moduleOpensAt(facts, id)!.getTime()
    ) {
      states[id] = 'waiting';
    } else if (index === 0) {
      // The baseline, which may predate the start (a PHQ-9 in the GP's office).
      const measured = answeredSince(
        facts.measurements,
        'phq9',
        new Date(facts.startedAt.getTime() - BASELINE_WINDOW_DAYS * DAY_MS)
      );
      states[id] = measured ? 'available' : 'measure_first';
    } else {
      // A PHQ-9 after the previous module, when one may be asked (not within its two-week recall).
      const measured = answeredSince(facts.measurements, 'phq9', previousCompletedAt!, true);
      states[id] = measured || !mayAnswer(facts, 'phq9') ? 'available' : 'measure_first';
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
    // Due once it may be asked (see measuresUpcoming for the date until then).
    for (const instrument of ['phq9', 'gad7', 'wsas'] as const) {
      if (!answeredSince(facts.measurements, instrument, finishedAt, true) && mayAnswer(facts, instrument))
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

export interface MeasureUpcoming {
  instrument: Instrument;
  reason: 'end';
  /** The first moment it may be answered (midnight, Norwegian time). */
  from: Date;
}

/** End measurements that wait for their recall period, with the date they may be answered from. */
export function measuresUpcoming(facts: ProgramFacts): MeasureUpcoming[] {
  const finishedAt = facts.modules.find((m) => m.moduleId === 'm5')?.completedAt ?? null;
  if (!facts.startedAt || !finishedAt) return [];
  const upcoming: MeasureUpcoming[] = [];
  for (const instrument of ['phq9', 'gad7', 'wsas'] as const) {
    if (answeredSince(facts.measurements, instrument, finishedAt, true) || mayAnswer(facts, instrument))
      continue;
    upcoming.push({ instrument, reason: 'end', from: nextAnswerAllowedAt(facts.measurements, instrument)! });
  }
  return upcoming;
}

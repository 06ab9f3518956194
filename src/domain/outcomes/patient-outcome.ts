/**
 * One patient's outcome as the GP's card, the GP's patient page and the patient's own home page show
 * it: the NHS Talking Therapies labels (talking-therapies.ts) from the first and last PHQ-9 and
 * GAD-7, with the WSAS beside them. "Provisional" while the programme is still running: the last
 * score is then only the latest so far. Nothing here grades risk.
 */
import {
  outcomeFlags,
  outcomeFromSeries,
  TALKING_THERAPIES_RULES,
  type ChangeDirection,
  inCourse,
  type CourseDates,
  type DatedScore,
  type OutcomeFlag,
  type OutcomeMeasure,
} from './talking-therapies.js';

export interface MeasureOutcome {
  measure: OutcomeMeasure;
  first: number;
  last: number;
  firstAt: string;
  lastAt: string;
  /** last − first: negative is better. */
  change: number;
  direction: ChangeDirection;
  casenessAtStart: boolean;
  casenessAtEnd: boolean;
  /** The rule's numbers, so the words can say them. */
  caseness: number;
  reliableChange: number;
}

export interface WsasSeriesScore extends DatedScore {
  workStatus: string | null;
}

export interface PatientOutcome {
  /** The programme is still running (or not yet started): every label may still change. */
  provisional: boolean;
  /** null: fewer than two PHQ-9 scores, so no outcome yet. */
  basis: 'phq9_and_gad7' | 'phq9_only' | null;
  flags: Record<OutcomeFlag, boolean | null> | null;
  measures: MeasureOutcome[];
  wsas: { first: number; last: number; firstAt: string; lastAt: string } | null;
  /** The work status given with the latest WSAS. */
  workStatus: string | null;
}

const iso = (at: string | Date) => new Date(at).toISOString();

function sorted<T extends DatedScore>(series: readonly T[]): T[] {
  return [...series].sort((a, b) => new Date(a.at).getTime() - new Date(b.at).getTime());
}

/** The outcome of one patient from their measurement series and whether the programme has ended. */
export function patientOutcome(input: {
  phq9: readonly DatedScore[];
  gad7: readonly DatedScore[];
  wsas: readonly WsasSeriesScore[];
  programEnded: boolean;
  /** The course the answers are counted for (inCourse); null or absent: every answer. */
  course?: CourseDates | null;
  now?: Date;
}): PatientOutcome {
  const now = input.now ?? new Date();
  const ofCourse = <T extends DatedScore>(series: readonly T[]) =>
    sorted(series.filter((m) => inCourse(m.at, input.course ?? null, now)));
  const phq9 = ofCourse(input.phq9);
  const gad7 = ofCourse(input.gad7);
  const wsas = ofCourse(input.wsas);
  const outcome = outcomeFromSeries({ phq9, gad7 });
  const ends = { phq9, gad7 };
  const measures: MeasureOutcome[] = (outcome?.changes ?? []).map((c) => {
    const series = ends[c.measure];
    return {
      measure: c.measure,
      first: c.first,
      last: c.last,
      firstAt: iso(series[0]!.at),
      lastAt: iso(series[series.length - 1]!.at),
      change: c.change,
      direction: c.direction,
      casenessAtStart: c.casenessAtStart,
      casenessAtEnd: c.casenessAtEnd,
      caseness: TALKING_THERAPIES_RULES[c.measure].caseness,
      reliableChange: TALKING_THERAPIES_RULES[c.measure].reliableChange,
    };
  });
  const firstWsas = wsas[0];
  const lastWsas = wsas.at(-1);
  return {
    provisional: !input.programEnded,
    basis: outcome?.basis ?? null,
    flags: outcome ? outcomeFlags(outcome) : null,
    measures,
    wsas:
      firstWsas && lastWsas
        ? {
            first: firstWsas.score,
            last: lastWsas.score,
            firstAt: iso(firstWsas.at),
            lastAt: iso(lastWsas.at),
          }
        : null,
    workStatus: lastWsas?.workStatus ?? null,
  };
}

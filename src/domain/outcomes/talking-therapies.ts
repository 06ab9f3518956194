/**
 * Standard outcomes of a course of treatment, as NHS Talking Therapies for anxiety and depression
 * (formerly IAPT) defines them, so this platform's figures can be set beside published ones.
 *
 * Sources (docs/outcomes.md gives them in full):
 * - NHS England, "NHS Talking Therapies for anxiety and depression manual" (v7, 2024) and its
 *   appendices (NCCMH): caseness cut-offs PHQ-9 ≥ 10 and GAD-7 ≥ 8; reliable change criteria
 *   PHQ-9 6 points and GAD-7 4 points.
 * - NHS Digital, annual reports on NHS Talking Therapies, glossary and appendices: the outcome
 *   definitions below (caseness, recovery, reliable improvement, reliable deterioration, reliable
 *   recovery), taken on the first and last score of a finished course.
 * - Jacobson NS, Truax P. J Consult Clin Psychol 1991;59:12-19: the reliable change index, which
 *   the criteria rest on (reliableChangeCriterion below).
 *
 * The rules work on PAIRED scores (a first and a last score of the same measure). When a patient has
 * paired PHQ-9 scores but not paired GAD-7 scores, the outcome rests on the PHQ-9 alone and says so
 * (`basis`); NHS Talking Therapies uses the anxiety measure that fits the problem (the GAD-7 for
 * depression and generalised anxiety), and this programme is for depression, so the PHQ-9 is the one
 * that must be present.
 *
 * Nothing here grades risk: these are group-comparable summaries of two questionnaires.
 */

export const OUTCOME_MEASURES = ['phq9', 'gad7'] as const;
export type OutcomeMeasure = (typeof OUTCOME_MEASURES)[number];

export interface MeasureRule {
  /** A score at or above this is "caseness" (a clinical case). */
  caseness: number;
  /** A change of at least this many points is reliable (beyond measurement error). */
  reliableChange: number;
  maxScore: number;
}

/** The manual's thresholds. One definition, used by the card, the patient page, dashboards and the extract. */
export const TALKING_THERAPIES_RULES: Readonly<Record<OutcomeMeasure, MeasureRule>> = {
  phq9: { caseness: 10, reliableChange: 6, maxScore: 27 },
  gad7: { caseness: 8, reliableChange: 4, maxScore: 21 },
};

/**
 * The Jacobson-Truax reliable change criterion: the smallest change that is larger than chance
 * variation in 95 % of cases, 1.96 · SD · √2 · √(1 − r), with SD the standard deviation of the
 * scores at the start and r the measure's reliability (internal consistency or test-retest). The
 * manual's 6 and 4 points were derived this way; docs/outcomes.md shows the inputs.
 */
export function reliableChangeCriterion(sd: number, reliability: number): number {
  if (!(sd > 0) || !(reliability >= 0 && reliability < 1)) {
    throw new RangeError('sd must be positive and reliability in [0, 1)');
  }
  return 1.96 * sd * Math.SQRT2 * Math.sqrt(1 - reliability);
}

export type ChangeDirection = 'reliable_improvement' | 'reliable_deterioration' | 'no_reliable_change';

export interface PairedScore {
  first: number;
  last: number;
}

export interface MeasureChange extends PairedScore {
  measure: OutcomeMeasure;
  /** last − first: negative is better. */
  change: number;
  direction: ChangeDirection;
  casenessAtStart: boolean;
  casenessAtEnd: boolean;
}

/** Change on one measure between its first and last score. */
export function measureChange(measure: OutcomeMeasure, pair: PairedScore): MeasureChange {
  const rule = TALKING_THERAPIES_RULES[measure];
  for (const [name, value] of Object.entries(pair)) {
    if (!Number.isInteger(value) || value < 0 || value > rule.maxScore) {
      throw new RangeError(`${measure} ${name} score must be a whole number from 0 to ${rule.maxScore}`);
    }
  }
  const change = pair.last - pair.first;
  const direction: ChangeDirection =
    change <= -rule.reliableChange
      ? 'reliable_improvement'
      : change >= rule.reliableChange
        ? 'reliable_deterioration'
        : 'no_reliable_change';
  return {
    measure,
    ...pair,
    change,
    direction,
    casenessAtStart: pair.first >= rule.caseness,
    casenessAtEnd: pair.last >= rule.caseness,
  };
}

export interface CourseOutcome {
  /** Which measures had paired scores: both, or the PHQ-9 alone. */
  basis: 'phq9_and_gad7' | 'phq9_only';
  changes: MeasureChange[];
  /** At or above the cut-off on at least one measure at the first score. */
  casenessAtStart: boolean;
  /** Reliable improvement on at least one measure and reliable deterioration on none. */
  reliableImprovement: boolean;
  /** Reliable deterioration on at least one measure and reliable improvement on none. */
  reliableDeterioration: boolean;
  /**
   * A case at the start and below the cut-off on every measure at the last score. null when the
   * patient was not a case at the start: recovery does not apply (NHS Talking Therapies leaves them
   * out of the recovery rate's denominator).
   */
  recovery: boolean | null;
  /** Recovery and reliable improvement together; null when recovery does not apply. */
  reliableRecovery: boolean | null;
}

/**
 * The outcome of a course from the first and last PHQ-9 (required) and GAD-7 (optional) scores.
 * undefined when there is no PHQ-9 pair: with fewer than two PHQ-9 scores nothing can be said.
 */
export function courseOutcome(pairs: {
  phq9?: PairedScore | undefined;
  gad7?: PairedScore | undefined;
}): CourseOutcome | undefined {
  if (!pairs.phq9) return undefined;
  const changes = [measureChange('phq9', pairs.phq9)];
  if (pairs.gad7) changes.push(measureChange('gad7', pairs.gad7));
  const anyImproved = changes.some((c) => c.direction === 'reliable_improvement');
  const anyDeteriorated = changes.some((c) => c.direction === 'reliable_deterioration');
  const casenessAtStart = changes.some((c) => c.casenessAtStart);
  const recovery = casenessAtStart ? changes.every((c) => !c.casenessAtEnd) : null;
  const reliableImprovement = anyImproved && !anyDeteriorated;
  return {
    basis: pairs.gad7 ? 'phq9_and_gad7' : 'phq9_only',
    changes,
    casenessAtStart,
    reliableImprovement,
    reliableDeterioration: anyDeteriorated && !anyImproved,
    recovery,
    reliableRecovery: recovery === null ? null : recovery && reliableImprovement,
  };
}

/**
 * Which answers belong to a course: from this many days before the recommendation (the baseline a
 * GP often takes at the consultation, or just before) …
 */
export const COURSE_BASELINE_DAYS = 28;
/** … to this many days after the course finished (the end-of-treatment answers come after it). */
export const COURSE_END_DAYS = 14;
const DAY_MS = 86_400_000;

export interface CourseDates {
  recommendedAt: string | Date;
  /** null while the course runs: it then reaches to now. */
  finishedAt: string | Date | null;
}

/**
 * Does an answer belong to the course? One rule for the card, the patient's page, the dashboards
 * (in SQL, with these constants) and the research extract. Without a course every answer counts.
 */
export function inCourse(at: string | Date, course: CourseDates | null, now: Date): boolean {
  if (!course) return true;
  const t = new Date(at).getTime();
  const from = new Date(course.recommendedAt).getTime() - COURSE_BASELINE_DAYS * DAY_MS;
  const to = course.finishedAt
    ? new Date(course.finishedAt).getTime() + COURSE_END_DAYS * DAY_MS
    : now.getTime();
  return t >= from && t <= to;
}

export interface DatedScore {
  at: string | Date;
  score: number;
}

/** The first and last score of a series (by time); undefined with fewer than two scores. */
export function pairFromSeries(series: readonly DatedScore[]): PairedScore | undefined {
  if (series.length < 2) return undefined;
  const sorted = [...series].sort((a, b) => new Date(a.at).getTime() - new Date(b.at).getTime());
  return { first: sorted[0]!.score, last: sorted[sorted.length - 1]!.score };
}

/** The outcome straight from the measurement series (what the card and the patient page show). */
export function outcomeFromSeries(series: {
  phq9: readonly DatedScore[];
  gad7: readonly DatedScore[];
}): CourseOutcome | undefined {
  return courseOutcome({ phq9: pairFromSeries(series.phq9), gad7: pairFromSeries(series.gad7) });
}

/** The labels one outcome carries, in a fixed order (the card and the extract use these words). */
export const OUTCOME_FLAGS = [
  'caseness_at_start',
  'reliable_improvement',
  'reliable_deterioration',
  'recovery',
  'reliable_recovery',
] as const;
export type OutcomeFlag = (typeof OUTCOME_FLAGS)[number];

/** Each flag as true, false or null (does not apply). */
export function outcomeFlags(outcome: CourseOutcome): Record<OutcomeFlag, boolean | null> {
  return {
    caseness_at_start: outcome.casenessAtStart,
    reliable_improvement: outcome.reliableImprovement,
    reliable_deterioration: outcome.reliableDeterioration,
    recovery: outcome.recovery,
    reliable_recovery: outcome.reliableRecovery,
  };
}

export interface OutcomeRates {
  /** Courses with a PHQ-9 pair. */
  withPairedScores: number;
  /** Of those, cases at the start: the denominator of the recovery rates. */
  casesAtStart: number;
  reliableImprovement: number;
  reliableDeterioration: number;
  recovery: number;
  reliableRecovery: number;
}

/**
 * Counts for a group of finished courses, with NHS Talking Therapies' denominators: improvement and
 * deterioration over every course with paired scores, recovery and reliable recovery over the
 * courses that were cases at the start.
 */
export function outcomeCounts(outcomes: readonly (CourseOutcome | undefined)[]): OutcomeRates {
  const counts: OutcomeRates = {
    withPairedScores: 0,
    casesAtStart: 0,
    reliableImprovement: 0,
    reliableDeterioration: 0,
    recovery: 0,
    reliableRecovery: 0,
  };
  for (const o of outcomes) {
    if (!o) continue;
    counts.withPairedScores++;
    if (o.reliableImprovement) counts.reliableImprovement++;
    if (o.reliableDeterioration) counts.reliableDeterioration++;
    if (o.casenessAtStart) {
      counts.casesAtStart++;
      if (o.recovery) counts.recovery++;
      if (o.reliableRecovery) counts.reliableRecovery++;
    }
  }
  return counts;
}

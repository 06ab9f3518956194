/**
 * Treat to target (issue 4): at about week 4 on the program, no improvement is a signal to change
 * something; at about week 8, less than 50% improvement is. The card shows the decision point
 * around those weeks, with the numbers behind it. The GP decides; nothing here is a grading.
 */

const WEEK = 7 * 24 * 60 * 60 * 1000;

export type DecisionWeek = 4 | 8;

/** Whole weeks on the program at `now`, or null before the start. */
export function weeksOnProgram(startedAt: string | null, now: Date): number | null {
  if (!startedAt) return null;
  const start = new Date(startedAt).getTime();
  if (Number.isNaN(start) || now.getTime() < start) return null;
  return Math.floor((now.getTime() - start) / WEEK);
}

/**
 * The decision point due at `now`: week 4 from week 3 up to (not including) week 6, week 8 from
 * week 7 up to week 10. A follow-up is planned about every other week, so each window holds one.
 */
export function decisionWeek(startedAt: string | null, now: Date): DecisionWeek | null {
  const weeks = weeksOnProgram(startedAt, now);
  if (weeks === null) return null;
  if (weeks >= 3 && weeks < 6) return 4;
  if (weeks >= 7 && weeks < 10) return 8;
  return null;
}

export interface TargetStatus {
  /** Improvement since baseline in percent (positive is better), or null without two scores. */
  improvementPercent: number | null;
  /** True when the week's signal applies (change something), false when on target. */
  signal: boolean | null;
}

/** The week's rule applied to baseline and latest PHQ-9 (the same rules as the worklist). */
export function targetStatus(
  week: DecisionWeek,
  baseline: number | null,
  latest: number | null
): TargetStatus {
  if (baseline === null || latest === null) return { improvementPercent: null, signal: null };
  if (baseline === 0) return { improvementPercent: null, signal: week === 4 ? latest > 0 : null };
  const improvement = (baseline - latest) / baseline;
  const improvementPercent = Math.round(improvement * 100);
  return { improvementPercent, signal: week === 4 ? latest >= baseline : improvement < 0.5 };
}

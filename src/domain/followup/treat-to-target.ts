/**
 * Treat to target, defined once (issue 4; issue 11 §2): the baseline PHQ-9, the weeks on the
 * program, the decision points and whether the latest PHQ-9 is on target. The worklist, the
 * follow-up card, the consultation note, the caseload and the web all call these functions, so a
 * patient can never be flagged on one screen and on target on another.
 *
 * Rules:
 * - Baseline: the latest PHQ-9 answered at or before the program start; without one (or before
 *   the start), the first PHQ-9 answered after it, or the latest one while not yet started;
 *   without any PHQ-9, the score recorded with the recommendation.
 * - Checkpoints are measured at the latest PHQ-9, since that is the measurement a decision rests
 *   on: from 4 full weeks after the start, "no improvement" (latest not below the baseline) is a
 *   signal to change something; from 8 weeks, under 50% improvement is.
 * - A baseline of 0 leaves nothing to improve: no target status.
 * - Decision points on the card: week 4 from week 3 up to week 6, week 8 from week 7 up to week
 *   10 (a follow-up is planned about every other week, so each window holds one).
 * The GP decides; nothing here grades the patient.
 */

const WEEK = 7 * 24 * 60 * 60 * 1000;

export type Checkpoint = 4 | 8;

export interface Phq9Point {
  answeredAt: Date;
  total: number;
}

/** Whole weeks on the program at `at`, or null before the start (or without one). */
export function weeksOnProgram(startedAt: Date | null, at: Date): number | null {
  if (!startedAt || Number.isNaN(startedAt.getTime()) || at.getTime() < startedAt.getTime()) return null;
  return Math.floor((at.getTime() - startedAt.getTime()) / WEEK);
}

/** The decision point the card shows at `now`, or null between the windows. */
export function decisionPointDue(startedAt: Date | null, now: Date): Checkpoint | null {
  const weeks = weeksOnProgram(startedAt, now);
  if (weeks === null) return null;
  if (weeks >= 3 && weeks < 6) return 4;
  if (weeks >= 7 && weeks < 10) return 8;
  return null;
}

/** The baseline PHQ-9 (see the rules above). `phq9` in any order. */
export function baselinePhq9(
  phq9: readonly Phq9Point[],
  startedAt: Date | null,
  recordedAtRecommendation: number | null
): Phq9Point | { answeredAt: null; total: number } | null {
  const sorted = [...phq9].sort((a, b) => a.answeredAt.getTime() - b.answeredAt.getTime());
  if (sorted.length === 0) {
    return recordedAtRecommendation === null ? null : { answeredAt: null, total: recordedAtRecommendation };
  }
  if (!startedAt) return sorted.at(-1)!;
  const before = sorted.filter((p) => p.answeredAt.getTime() <= startedAt.getTime());
  return before.at(-1) ?? sorted[0]!;
}

export interface TargetStatus {
  /** Improvement since baseline in percent (positive is better), or null without a status. */
  improvementPercent: number | null;
  /** True when the checkpoint's signal applies (change something), false when on target. */
  signal: boolean | null;
}

/** A checkpoint's rule applied to a baseline and a later PHQ-9. */
export function targetStatus(
  checkpoint: Checkpoint | null,
  baseline: number | null,
  latest: number | null
): TargetStatus {
  if (checkpoint === null || baseline === null || latest === null || baseline === 0) {
    return { improvementPercent: null, signal: null };
  }
  const improvement = (baseline - latest) / baseline;
  return {
    improvementPercent: Math.round(improvement * 100),
    signal: checkpoint === 4 ? latest >= baseline : improvement < 0.5,
  };
}

export interface TreatToTarget extends TargetStatus {
  baseline: number | null;
  latest: number | null;
  /** The checkpoint reached at the latest PHQ-9 after the baseline, or null. */
  checkpoint: Checkpoint | null;
  /** When the latest PHQ-9 was answered (the time the status rests on). */
  latestAt: Date | null;
}

/** The whole treat-to-target picture for one patient. */
export function treatToTarget(facts: {
  active: boolean;
  startedAt: Date | null;
  phq9: readonly Phq9Point[];
  recordedBaseline: number | null;
}): TreatToTarget {
  const baseline = baselinePhq9(facts.phq9, facts.startedAt, facts.recordedBaseline);
  const sorted = [...facts.phq9].sort((a, b) => a.answeredAt.getTime() - b.answeredAt.getTime());
  const latest = sorted.at(-1) ?? null;
  const none = {
    baseline: baseline?.total ?? null,
    latest: latest?.total ?? null,
    latestAt: latest?.answeredAt ?? null,
    checkpoint: null,
    improvementPercent: null,
    signal: null,
  };
  // A status needs a program under way and a PHQ-9 after the baseline.
  if (!facts.active || !latest || !baseline || baseline === latest) return none;
  const weeks = weeksOnProgram(facts.startedAt, latest.answeredAt);
  const checkpoint: Checkpoint | null = weeks === null ? null : weeks >= 8 ? 8 : weeks >= 4 ? 4 : null;
  return { ...none, checkpoint, ...targetStatus(checkpoint, baseline.total, latest.total) };
}

/** Progress shown to a user names steps in plain words, never an analysis id such as "episodes_all". */
import { describe, expect, it } from 'vitest';
import { ANALYSES, STEPS } from '../engine/analyses.js';
import { STEP_LABELS, progressTracker, stepLabel, type AnalysisProgress } from './progress.js';

const INTERNAL = /^[a-z0-9]+(_[a-z0-9]+)+$/;
const INTERNAL_WORD = /\b[a-z0-9]+(_[a-z0-9]+)+\b/;
/** Steps runAnalysis reports itself, besides the engine's analyses and materialised steps. */
const RUN_STEPS = ['tables', 'report'];
const ALL_STEPS = [
  ...Object.keys(ANALYSES).filter((id) => !id.startsWith('diag_')),
  ...Object.keys(STEPS),
  ...RUN_STEPS,
];

describe('progress labels', () => {
  it('has a plain label for every step and analysis', () => {
    for (const step of ALL_STEPS) {
      expect(STEP_LABELS[step], step).toBeDefined();
      expect(stepLabel(step)).not.toMatch(INTERNAL);
      expect(stepLabel(step)).not.toMatch(INTERNAL_WORD);
    }
  });

  it('never echoes an unknown step id', () => {
    expect(stepLabel('diag_slow')).toBe('Working');
  });

  it('tracker messages name no internal step', () => {
    const seen: AnalysisProgress[] = [];
    const timings: Record<string, number> = {};
    const t = progressTracker((p) => seen.push(p), timings);
    for (const step of ALL_STEPS) {
      t.onEngineProgress({ step, percent: 40 });
      t.finish(step, 1200);
    }
    expect(seen.length).toBe(2 * ALL_STEPS.length);
    for (const p of seen) {
      expect(p.message).not.toMatch(INTERNAL_WORD);
      expect(p.message.split(/ \d/)[0]).not.toMatch(INTERNAL);
    }
    expect(seen.find((p) => p.step === 'episodes_all')?.message).toBe('Finding depression episodes 40 %');
    // Timings keep the ids (they are for developers and results files).
    expect(timings.episodes_all).toBe(1200);
  });
});

/**
 * Progress of runAnalysis as one fraction over the whole run: each step has a relative weight,
 * the engine reports percentages within a step, and a finished step books its time once.
 */
export interface AnalysisProgress {
  /** The step's id, for code and timings: show `message` (plain words) to a user, not this. */
  step: string;
  /** 0-1 over the whole run. */
  fraction: number;
  message: string;
}

/** Relative weights of the steps, for one progress fraction. */
const WEIGHTS: Record<string, number> = {
  data_extent: 2,
  bills_of_interest: 40,
  episodes_all: 8,
  cohort_flow: 1,
  cohort: 3,
  cohort_summary: 1,
  outcomes: 10,
  indicator_patterns: 3,
  work: 15,
  work_patterns: 2,
  pathway_ranks: 3,
  equity_cells: 3,
  as_published: 1,
  competing_events: 1,
  gp_model_patterns: 10,
  tables: 4,
  report: 3,
};
const TOTAL_WEIGHT = Object.values(WEIGHTS).reduce((s, v) => s + v, 0);

/**
 * Plain words for every step the engine or runAnalysis reports (issue 13, item 10): a user sees
 * "Finding depression episodes", never the analysis id "episodes_all".
 */
export const STEP_LABELS: Record<string, string> = {
  data_extent: 'Reading the period the data cover',
  bills_of_interest: 'Reading the GP claims',
  episodes_all: 'Finding depression episodes',
  cohort_flow: 'Counting the cohort flow',
  cohort: 'Selecting the cohort',
  cohort_summary: 'Summarising the cohort',
  outcomes: 'Finding care within 12 months',
  indicator_patterns: 'Counting care by patient characteristics',
  work: 'Linking work participation',
  work_patterns: 'Counting work participation',
  pathway_ranks: 'Ordering the first treatments',
  equity_cells: 'Counting care by education and income',
  as_published: 'Counting care as the papers counted it',
  competing_events: 'Counting deaths and emigrations during follow-up',
  gp_model_patterns: 'Mixed models of variation between GPs',
  tables: 'Tables, relative risks and disclosure control',
  report: 'Writing the report',
};

/** The plain label of a step; an unknown id is never echoed, so a new step cannot leak its name. */
export function stepLabel(step: string): string {
  return STEP_LABELS[step] ?? 'Working';
}

export interface ProgressTracker {
  /** Reports `within` (0-1) of step `step`, with a message. */
  report: (step: string, within: number, message: string) => void;
  /** Passes on the engine's percentages inside a step (not 0 % or 100 %). */
  onEngineProgress: (e: { step: string; percent: number }) => void;
  /** Marks a step done (once), books its time in timings, and reports it. */
  finish: (step: string, ms: number) => void;
}

export function progressTracker(
  onProgress: ((p: AnalysisProgress) => void) | undefined,
  timings: Record<string, number>
): ProgressTracker {
  let doneWeight = 0;
  const report = (step: string, within: number, message: string) =>
    onProgress?.({
      step,
      fraction: Math.min(1, (doneWeight + (WEIGHTS[step] ?? 1) * within) / TOTAL_WEIGHT),
      message,
    });
  const finished = new Set<string>();
  const onEngineProgress = ({ step, percent }: { step: string; percent: number }) => {
    if (percent > 0 && percent < 100)
      report(step, percent / 100, `${stepLabel(step)} ${Math.round(percent)} %`);
  };
  const finish = (step: string, ms: number) => {
    if (finished.has(step)) return;
    finished.add(step);
    timings[step] = Math.round(ms);
    doneWeight += WEIGHTS[step] ?? 1;
    report(step, 0, `${stepLabel(step)} done in ${(ms / 1000).toFixed(1)} s`);
  };
  return { report, onEngineProgress, finish };
}

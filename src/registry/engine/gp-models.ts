/**
 * Variation between GPs by mixed models (random-intercept logistic models; MOR: Larsen & Merlo 2005), run inside the DuckDB worker process
 * on rows aggregated per GP and covariate pattern (the GP number is a rank made in the worker, not
 * a registry id). For each indicator:
 *   - the null model (intercept + GP random intercept): how much care varies between GPs at all;
 *   - the adjusted model (patient case-mix + GP-level covariates): σ², ICC, MOR, the IOR-80 of each
 *     GP-level covariate, and the proportional change in variance from the null model;
 *   - the logistic model with patient covariates only, whose expected counts per GP feed the
 *     risk-adjusted funnel plots (a GP characteristic is not case-mix, so it stays out);
 *   - where the request names an upper level (the GP's practice municipality), the adjusted model
 *     with random intercepts for municipalities and for GPs within them (three levels): how much
 *     of the variation between GPs lies between municipalities.
 * Only summaries leave: the conditional modes are counted (how many GPs' intervals lie above or
 * below zero), never listed, and the funnel units carry no GP number.
 */
import { existsSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { Worker } from 'node:worker_threads';
import type { Row } from './protocol.js';
import { buildDesign, type ColumnTable } from '../stats/glmm/design.js';
import { fitGlmm, fitLogisticGlm } from '../stats/glmm/fit.js';
import { fitNestedGlmm } from '../stats/glmm/fit-nested.js';
import { intervalOddsRatio, proportionalChangeInVariance } from '../stats/glmm/measures.js';
import type { GpModelRequest, GpModelResult, GpModelSummary, ThreeLevelSummary } from './gp-model-types.js';

export type { GpModelRequest, GpModelResult, GpModelSummary, ThreeLevelSummary } from './gp-model-types.js';

/** Fewer GPs than this give a between-GP variance too uncertain to report. */
export const MIN_GPS = 10;
/** From this many GPs the variance interval is Wald on log σ instead of profile likelihood. */
export const WALD_FROM_GPS = 1000;
/** Fewer municipalities than this give a between-municipality variance too uncertain to report. */
export const MIN_MUNICIPALITIES = 10;

export function rowsToColumns(rows: readonly Row[]): ColumnTable {
  const columns: Record<string, (string | number | boolean | null)[]> = {};
  const keys = rows.length ? Object.keys(rows[0]!) : [];
  for (const k of keys) columns[k] = rows.map((r) => r[k] ?? null);
  return { columns };
}

const summary = (fit: ReturnType<typeof fitGlmm>): GpModelSummary => ({
  method: fit.nAGQ === 1 ? 'Laplace' : `adaptive Gauss-Hermite, ${fit.nAGQ} points`,
  intervalMethod: fit.gpVariance.method,
  variance: { estimate: fit.gpVariance.estimate, lower: fit.gpVariance.lower, upper: fit.gpVariance.upper },
  icc: fit.icc,
  mor: fit.mor,
  logLik: fit.logLik,
});

export function fitGpModels(rows: readonly Row[], requests: readonly GpModelRequest[]): GpModelResult[] {
  return fitGpModelsOnTable(rowsToColumns(rows), requests);
}

/**
 * The same on `threads` threads: the indicators' models are independent, and at national scale
 * they take tens of seconds, so they are shared round-robin between this thread and worker threads.
 * Results come back in request order.
 */
export async function fitGpModelsInParallel(
  data: readonly Row[] | ColumnTable,
  requests: readonly GpModelRequest[],
  threads: number
): Promise<GpModelResult[]> {
  const table = 'columns' in data ? data : rowsToColumns(data);
  const lanes = Math.max(1, Math.min(threads, requests.length));
  if (lanes === 1) return fitGpModelsOnTable(table, requests);
  const share = (lane: number) => requests.filter((_, i) => i % lanes === lane);
  const entry = threadEntry();
  const others = Array.from({ length: lanes - 1 }, (_, k) => {
    const workerData = { table, requests: share(k + 1) };
    // From TypeScript sources (tests, dev) the thread registers tsx's loader before loading the
    // file (Node 20 does not run --import in worker threads); the build runs the .js directly.
    const worker = entry.pathname.endsWith('.ts')
      ? new Worker(
          `import('tsx/esm/api').then((m) => { m.register(); return import(${JSON.stringify(entry.href)}); })`,
          { eval: true, workerData }
        )
      : new Worker(entry, { workerData });
    return new Promise<GpModelResult[]>((resolve, reject) => {
      worker.once('message', (results: GpModelResult[]) => resolve(results));
      worker.once('error', reject);
      worker.once('exit', (code) => {
        if (code !== 0) reject(new Error(`A model-fitting thread stopped with code ${code}`));
      });
    });
  });
  const mine = fitGpModelsOnTable(table, share(0));
  const theirs = await Promise.all(others);
  const byKey = new Map([...mine, ...theirs.flat()].map((r) => [r.key, r]));
  return requests.map((r) => byKey.get(r.key)!);
}

/**
 * A patient-covariate level in which every person had the outcome, or none did, has no finite
 * estimate (perfect separation) and stops the fit; it happens to small levels (14 employed persons
 * with education missing, all on sick leave, in a 50,000-person twin). Such a level is pooled into
 * its covariate's largest level for this indicator's models, and the report says so.
 */
export function poolSeparatedLevels(
  table: ColumnTable,
  req: Pick<GpModelRequest, 'events' | 'trials'>,
  covariates: readonly string[]
): { table: ColumnTable; notes: string[] } {
  const events = table.columns[req.events] ?? [];
  const trials = table.columns[req.trials] ?? [];
  const notes: string[] = [];
  let columns = table.columns;
  for (const cov of covariates) {
    const values = columns[cov] ?? [];
    // Keyed by the raw value first (one String() per level, not per row: nationally 145,000 rows
    // per covariate and indicator), then merged by its text, which is what the design codes.
    const byValue = new Map<unknown, { n: number; y: number }>();
    for (let i = 0; i < values.length; i++) {
      const n = Number(trials[i]);
      if (!(n > 0)) continue;
      const v = values[i];
      const cell = byValue.get(v);
      if (cell) {
        cell.n += n;
        cell.y += Number(events[i]);
      } else byValue.set(v, { n, y: Number(events[i]) });
    }
    const byLevel = new Map<string, { n: number; y: number }>();
    for (const [v, c] of byValue) {
      const cell = byLevel.get(String(v)) ?? { n: 0, y: 0 };
      cell.n += c.n;
      cell.y += c.y;
      byLevel.set(String(v), cell);
    }
    const largest = [...byLevel.entries()].sort((a, b) => b[1].n - a[1].n)[0]?.[0];
    const separated = [...byLevel.entries()].filter(
      ([level, c]) => level !== largest && (c.y === 0 || c.y === c.n)
    );
    if (!separated.length || largest === undefined) continue;
    const pool = new Set(separated.map(([level]) => level));
    columns = { ...columns, [cov]: values.map((v) => (pool.has(String(v)) ? largest : v)) };
    for (const [level, c] of separated)
      notes.push(
        `${cov} ${level} (${c.n} persons, ${c.y === 0 ? 'none' : 'all'} with the outcome) with ${largest}`
      );
  }
  return { table: { ...table, columns }, notes };
}

/**
 * Whether a column takes more than one value (as text, which is what the design codes) among the
 * rows with persons. Stops at the second value, which nationally is within the first few rows.
 */
export function variesAmongCounted(values: readonly unknown[], trials: readonly unknown[]): boolean {
  let first: string | undefined;
  for (let i = 0; i < values.length; i++) {
    if (!(Number(trials[i]) > 0)) continue;
    const v = String(values[i]);
    if (first === undefined) first = v;
    else if (v !== first) return true;
  }
  return false;
}

/** The number of distinct groups among the rows with persons. */
export function countedGroups(groups: readonly unknown[], trials: readonly unknown[]): number {
  const seen = new Set<unknown>();
  for (let i = 0; i < groups.length; i++) if (Number(trials[i]) > 0) seen.add(groups[i]);
  return new Set([...seen].map(String)).size;
}

/** gp-models-thread.js next to the compiled file, or the .ts source under tsx (tests, dev). */
function threadEntry(): URL {
  const here = fileURLToPath(import.meta.url);
  const js = here.replace(/gp-models\.(ts|js)$/, 'gp-models-thread.js');
  if (here.endsWith('.js') && existsSync(js)) return new URL('./gp-models-thread.js', import.meta.url);
  return new URL('./gp-models-thread.ts', import.meta.url);
}

export function fitGpModelsOnTable(table: ColumnTable, requests: readonly GpModelRequest[]): GpModelResult[] {
  return requests.map((req) => {
    const started = performance.now();
    const base = { outcome: req.events, trials: req.trials, group: req.group };
    const result: GpModelResult = {
      key: req.key,
      patients: 0,
      events: 0,
      gps: 0,
      nullModel: null,
      adjusted: null,
      pcv: null,
      funnelUnits: [],
      error: null,
      ms: 0,
    };
    try {
      const nAGQ = req.nAGQ ?? 1;
      // A covariate with one value among this indicator's persons (no rural GP in a small extract,
      // say) carries no information: leave it out rather than fail the model.
      const trials = table.columns[req.trials] ?? [];
      const varies = (column: string) => variesAmongCounted(table.columns[column] ?? [], trials);
      const patientCovariates = req.patientCovariates.filter(varies);
      const gpCovariates = req.gpCovariates.filter(varies);
      const pooled = poolSeparatedLevels(table, req, patientCovariates);
      if (pooled.notes.length) result.pooledLevels = pooled.notes;
      const data = pooled.table;
      const gps = countedGroups(table.columns[req.group] ?? [], trials);
      if (gps < MIN_GPS) {
        result.gps = gps;
        throw new Error(`${gps} GPs; a between-GP variance needs at least ${MIN_GPS}`);
      }
      const riskDesign = buildDesign(data, { ...base, fixed: patientCovariates });
      result.patients = riskDesign.persons;
      result.events = riskDesign.totalEvents;
      result.gps = riskDesign.groupLabels.length;
      const risk = fitLogisticGlm(riskDesign);
      result.funnelUnits = riskDesign.groupLabels.map((_, g) => {
        let n = 0;
        let observed = 0;
        for (let r = riskDesign.groupStart[g]!; r < riskDesign.groupStart[g + 1]!; r++) {
          n += riskDesign.trials[r]!;
          observed += riskDesign.events[r]!;
        }
        return { n, observed, expected: risk.expectedByGroup[g]! };
      });
      // A funnelOnly request (Table 6 and a funnel plot) stops at the risk model.
      if (!req.funnelOnly) {
        // With many GPs the Wald interval on log σ agrees with the profile-likelihood one to the third
        // decimal (national twin: 0.7388-0.8102 vs 0.7390-0.8103) at a third of the time.
        const varianceInterval = gps >= WALD_FROM_GPS ? 'wald' : 'profile';
        const nullFit = fitGlmm(buildDesign(data, { ...base, fixed: [] }), { nAGQ, varianceInterval });
        result.nullModel = summary(nullFit);
        const fixed = [...patientCovariates, ...gpCovariates];
        const adjustedDesign = buildDesign(data, { ...base, fixed });
        const adjusted = fitGlmm(adjustedDesign, { nAGQ, varianceInterval });
        // Every GP characteristic gets its IOR-80, also one taken on the index date that changes
        // within a GP over the period (specialist approval, list size): it is still a property of
        // the GP, compared between two GPs.
        const gpTerms = new Set(
          adjustedDesign.terms.filter((t) => t.column && gpCovariates.includes(t.column)).map((t) => t.name)
        );
        result.adjusted = {
          ...summary(adjusted),
          fixedEffects: adjusted.fixedEffects,
          ior80: adjusted.fixedEffects
            .filter((f) => gpTerms.has(f.name))
            .map((f) => ({ name: f.name, ...intervalOddsRatio(f.estimate, adjusted.gpVariance.estimate) })),
          gpsAbove: adjusted.conditionalModes.filter((m) => m.lower > 0).length,
          gpsBelow: adjusted.conditionalModes.filter((m) => m.upper < 0).length,
        };
        result.pcv =
          nullFit.gpVariance.estimate > 1e-8
            ? proportionalChangeInVariance(nullFit.gpVariance.estimate, adjusted.gpVariance.estimate)
            : null;
        if (req.upperGroup && nAGQ === 1)
          result.threeLevel = fitThreeLevel(data, { ...base, fixed, upper: req.upperGroup }, adjusted, gps);
      }
    } catch (error) {
      result.error = error instanceof Error ? error.message : String(error);
    }
    // The funnel units are shuffled into a canonical order so that nothing follows the GP number.
    result.funnelUnits.sort((a, b) => a.n - b.n || a.observed - b.observed || a.expected - b.expected);
    result.ms = performance.now() - started;
    return result;
  });
}

/**
 * The adjusted model with municipality and GP random intercepts, started from the two-level fit on
 * the same rows (which is also the reference of the test of σ²_m = 0). The GP variance's interval
 * follows the two-level rule (Wald from WALD_FROM_GPS GPs); the municipality variance always gets
 * the profile interval, since it is often near zero, where Wald on log σ fails.
 */
function fitThreeLevel(
  data: ColumnTable,
  spec: { outcome: string; trials: string; group: string; fixed: string[]; upper: string },
  twoLevel: ReturnType<typeof fitGlmm>,
  gps: number
): ThreeLevelSummary | { error: string } {
  try {
    const design = buildDesign(data, spec);
    const municipalities = design.upper!.labels.length;
    if (municipalities < MIN_MUNICIPALITIES)
      return {
        error: `${municipalities} municipalities; a between-municipality variance needs at least ${MIN_MUNICIPALITIES}`,
      };
    // A GP is in one municipality, so the nested groups are the GPs and the two-level fit is the start.
    const start = design.groupLabels.length === twoLevel.groups ? twoLevel : undefined;
    const fit = fitNestedGlmm(design, {
      start,
      varianceInterval: gps >= WALD_FROM_GPS ? 'wald' : 'profile',
      upperVarianceInterval: 'profile',
    });
    const variance = (v: typeof fit.upperVariance) => ({
      estimate: v.estimate,
      lower: v.lower,
      upper: v.upper,
      method: v.method,
    });
    return {
      municipalities,
      method: 'Laplace',
      municipalityVariance: variance(fit.upperVariance),
      gpVariance: variance(fit.groupVariance),
      share: fit.upperShare,
      mor: { municipality: fit.mor.upper, gp: fit.mor.group, total: fit.mor.total },
      lrt: fit.lrt,
      logLik: fit.logLik,
      fixedEffects: fit.fixedEffects,
      ms: fit.milliseconds,
    };
  } catch (error) {
    return { error: error instanceof Error ? error.message : String(error) };
  }
}

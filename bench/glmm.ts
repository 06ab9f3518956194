/**
 * `npm run bench:glmm [-- --patients 150000 --gps 4800 --municipalities 356 --levels 2|3|both --skip-r]`:
 * fit time of the random-intercept logistic model on data the size of a GP-DEP cohort (about 150,000
 * patients, 4,800 GPs, six fixed effects: sex, two age groups, two education levels and a GP-level
 * rural flag), Laplace and nAGQ = 25, and, when Rscript with lme4 is installed, lme4::glmer's time on
 * the same data (default settings: Laplace, bobyqa + Nelder-Mead) and the largest difference between
 * the estimates. Goal (issue 6): at least 50 times faster than glmer Laplace with the same estimates.
 * With --levels 3 (or both, the default) also the three-level model (the GPs in 356 municipalities
 * of unequal size, σ²_m = 0.1, σ²_g = 0.35, rural a municipality covariate): Laplace with Wald and
 * with profile intervals, and glmer(… + (1 | municipality/gp)) when R is there.
 */
import { spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import { buildDesign, type ColumnTable } from '../src/registry/stats/glmm/design.js';
import { fitGlmm, type GlmmFit } from '../src/registry/stats/glmm/fit.js';
import { fitNestedGlmm } from '../src/registry/stats/glmm/fit-nested.js';
import { categorical, simulateGlmmData, type SimCovariate } from '../src/registry/stats/glmm/simulate.js';

const { values } = parseArgs({
  options: {
    patients: { type: 'string', default: '150000' },
    gps: { type: 'string', default: '4800' },
    municipalities: { type: 'string', default: '356' },
    levels: { type: 'string', default: 'both' },
    'skip-r': { type: 'boolean', default: false },
  },
});
if (!['2', '3', 'both'].includes(values.levels))
  throw new Error(`--levels must be 2, 3 or both (got "${values.levels}")`);
const gps = Number(values.gps);
const mean = Number(values.patients) / gps;
const patientCovariates: SimCovariate[] = [
  categorical('sex', 'patient', [
    ['F', 0.64, 0],
    ['M', 0.36, -0.25],
  ]),
  categorical('age_group', 'patient', [
    ['18-29', 0.3, 0],
    ['30-49', 0.4, 0.2],
    ['50+', 0.3, -0.15],
  ]),
  categorical('edu', 'patient', [
    ['high', 0.27, 0],
    ['low', 0.32, -0.3],
    ['medium', 0.41, -0.1],
  ]),
];
const rural = (level: 'group' | 'upper') =>
  categorical('rural', level, [
    ['no', 0.75, 0],
    ['yes', 0.25, -0.3],
  ]);
const clusterSize = { min: Math.max(1, Math.round(mean * 0.3)), max: Math.round(mean * 1.7) };
const fixed = ['sex', 'age_group', 'edu', 'rural'];
const hasR =
  !values['skip-r'] && spawnSync('Rscript', ['-e', 'library(lme4)'], { stdio: 'ignore' }).status === 0;
const NO_R = 'lme4: not run (Rscript with lme4 not installed; apt-get install r-base-core r-cran-lme4)';

const time = <T>(f: () => T): [T, number] => {
  const t = performance.now();
  const out = f();
  return [out, (performance.now() - t) / 1000];
};

/** lme4::glmer on the same data (written as CSV): seconds, fixed effects, SEs and θ², or null. */
function runGlmer(
  table: ColumnTable,
  columns: string[],
  formula: string
): { seconds: number; fixef: number[]; se: number[]; variances: number[] } | null {
  const dir = mkdtempSync(join(tmpdir(), 'gpdep-glmm-bench-'));
  try {
    const csv = join(dir, 'data.csv');
    const persons = table.columns.gp!.length;
    const lines = [columns.join(',')];
    for (let i = 0; i < persons; i++) lines.push(columns.map((c) => String(table.columns[c]![i])).join(','));
    writeFileSync(csv, lines.join('\n') + '\n');
    const script = `
suppressPackageStartupMessages(library(lme4))
d <- read.csv("${csv}", stringsAsFactors = TRUE)
t <- system.time(fit <- glmer(${formula}, data = d, family = binomial))[["elapsed"]]
cat("SECONDS", t, "\\n")
cat("FIXEF", fixef(fit), "\\n")
cat("SE", sqrt(diag(as.matrix(vcov(fit)))), "\\n")
cat("VAR", getME(fit, "theta")^2, "\\n")`;
    console.log(`lme4::glmer(${formula}) (Laplace, default settings): running ...`);
    const r = spawnSync('Rscript', ['-e', script], { encoding: 'utf8', maxBuffer: 1 << 24 });
    const line = (key: string) =>
      r.stdout
        .split('\n')
        .find((l) => l.startsWith(`${key} `))
        ?.split(/\s+/)
        .slice(1)
        .filter(Boolean)
        .map(Number) ?? [];
    const seconds = line('SECONDS')[0];
    if (seconds === undefined) {
      console.log(`lme4 failed: ${r.stderr.slice(0, 500)}`);
      return null;
    }
    return { seconds, fixef: line('FIXEF'), se: line('SE'), variances: line('VAR') };
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

const largestDifferences = (
  fixedEffects: { estimate: number; se: number }[],
  r: { fixef: number[]; se: number[] }
) => ({
  fixef: Math.max(...fixedEffects.map((f, m) => Math.abs(f.estimate - r.fixef[m]!))),
  se: Math.max(...fixedEffects.map((f, m) => Math.abs(f.se / r.se[m]! - 1))),
});

if (values.levels !== '3') {
  console.log('--- two levels: patients in GPs');
  const { table } = simulateGlmmData({
    seed: 2026,
    groups: gps,
    clusterSize,
    intercept: -1.6,
    variance: 0.35,
    covariates: [...patientCovariates, rural('group')],
  });
  const persons = table.columns.gp!.length;
  const [design, designSeconds] = time(() => buildDesign(table, { outcome: 'outcome', group: 'gp', fixed }));
  console.log(
    `data: ${persons} patients, ${gps} GPs, ${design.p - 1} fixed effects + intercept, ${design.trials.length} pooled rows, ${design.totalEvents} with the outcome`
  );
  console.log(`design (dummies and pooling): ${designSeconds.toFixed(2)} s`);
  const fits: Record<string, GlmmFit> = {};
  for (const [label, nAGQ, interval] of [
    ['Laplace', 1, 'wald'],
    ['Laplace + profile interval for σ', 1, 'profile'],
    ['nAGQ = 25', 25, 'wald'],
  ] as const) {
    const [fit, seconds] = time(() => fitGlmm(design, { nAGQ, varianceInterval: interval }));
    fits[label] = fit;
    console.log(
      `fit ${label}: ${seconds.toFixed(2)} s (${fit.evaluations} likelihood evaluations), σ² = ${fit.gpVariance.estimate.toFixed(4)}, converged ${fit.converged}`
    );
  }
  const ours = fits.Laplace!;
  console.log(
    `fixed effects (Laplace): ${ours.fixedEffects.map((f) => `${f.name} ${f.estimate.toFixed(4)} (${f.se.toFixed(4)})`).join(', ')}`
  );
  if (!hasR) console.log(NO_R);
  else {
    const r = runGlmer(
      table,
      ['gp', 'outcome', ...fixed],
      'outcome ~ sex + age_group + edu + rural + (1 | gp)'
    );
    if (r) {
      const d = largestDifferences(ours.fixedEffects, r);
      const variance = r.variances[0]!;
      const oursSeconds = designSeconds + ours.milliseconds / 1000;
      console.log(`lme4::glmer Laplace: ${r.seconds.toFixed(1)} s, σ² = ${variance.toFixed(4)}`);
      console.log(
        `speed-up (design + Laplace fit vs glmer): ${(r.seconds / oursSeconds).toFixed(0)}x; largest difference: fixed effects ${d.fixef.toExponential(1)}, σ² ${Math.abs(variance - ours.gpVariance.estimate).toExponential(1)}, standard errors ${(100 * d.se).toFixed(3)} % (relative)`
      );
    }
  }
}

if (values.levels !== '2') {
  const municipalities = Number(values.municipalities);
  const planted = { municipality: 0.1, gp: 0.35 };
  console.log(`--- three levels: patients in GPs in ${municipalities} municipalities`);
  const { table } = simulateGlmmData({
    seed: 2027,
    groups: gps,
    clusterSize,
    intercept: -1.6,
    variance: planted.gp,
    upper: { groups: municipalities, variance: planted.municipality },
    covariates: [...patientCovariates, rural('upper')],
  });
  const persons = table.columns.gp!.length;
  const [design, designSeconds] = time(() =>
    buildDesign(table, { outcome: 'outcome', group: 'gp', upper: 'municipality', fixed })
  );
  console.log(
    `data: ${persons} patients, ${gps} GPs in ${municipalities} municipalities, ${design.trials.length} pooled rows; planted σ²_m = ${planted.municipality}, σ²_g = ${planted.gp}`
  );
  console.log(`design (dummies, pooling, nesting): ${designSeconds.toFixed(2)} s`);
  const [start, startSeconds] = time(() => fitGlmm(design, { varianceInterval: 'wald' }));
  console.log(`two-level start (Laplace, Wald): ${startSeconds.toFixed(2)} s`);
  let ours: ReturnType<typeof fitNestedGlmm> | null = null;
  for (const [label, interval] of [
    ['Laplace, Wald intervals', 'wald'],
    ['Laplace, profile intervals', 'profile'],
  ] as const) {
    const [fit, seconds] = time(() => fitNestedGlmm(design, { start, varianceInterval: interval }));
    ours ??= fit;
    const v = (x: { estimate: number; lower: number; upper: number }) =>
      `${x.estimate.toFixed(4)} (${x.lower.toFixed(4)} to ${x.upper.toFixed(4)})`;
    console.log(
      `fit ${label}: ${seconds.toFixed(2)} s after the start (${fit.evaluations} likelihood evaluations), σ²_m = ${v(fit.upperVariance)}, σ²_g = ${v(fit.groupVariance)}, share ${(100 * fit.upperShare.estimate).toFixed(1)} %, converged ${fit.converged}`
    );
  }
  if (!hasR) console.log(NO_R);
  else if (ours) {
    const r = runGlmer(
      table,
      ['municipality', 'gp', 'outcome', ...fixed],
      'outcome ~ sex + age_group + edu + rural + (1 | municipality/gp)'
    );
    if (r) {
      // glmer orders θ by the number of levels: gp:municipality first, then municipality.
      const [vg, vm] = r.variances as [number, number];
      const d = largestDifferences(ours.fixedEffects, r);
      const oursSeconds = designSeconds + (startSeconds * 1000 + ours.milliseconds) / 1000;
      console.log(
        `lme4::glmer Laplace: ${r.seconds.toFixed(1)} s, σ²_m = ${vm.toFixed(4)}, σ²_g = ${vg.toFixed(4)}`
      );
      console.log(
        `speed-up (design + both fits vs glmer): ${(r.seconds / oursSeconds).toFixed(0)}x; largest difference: fixed effects ${d.fixef.toExponential(1)}, σ²_m ${Math.abs(vm - ours.upperVariance.estimate).toExponential(1)}, σ²_g ${Math.abs(vg - ours.groupVariance.estimate).toExponential(1)}, standard errors ${(100 * d.se).toFixed(3)} % (relative)`
      );
    }
  }
}

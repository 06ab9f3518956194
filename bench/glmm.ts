/**
 * `npm run bench:glmm [-- --patients 150000 --gps 4800 --skip-r]`: fit time of the random-intercept
 * logistic model on data the size of a GP-DEP cohort (about 150,000 patients, 4,800 GPs, six fixed
 * effects: sex, two age groups, two education levels and a GP-level rural flag), Laplace and
 * nAGQ = 25, and, when Rscript with lme4 is installed, lme4::glmer's time on the same data (default
 * settings: Laplace, bobyqa + Nelder-Mead) and the largest difference between the estimates.
 * Goal (issue 6): at least 50 times faster than glmer Laplace with the same estimates.
 */
import { spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import { buildDesign } from '../src/registry/stats/glmm/design.js';
import { fitGlmm, type GlmmFit } from '../src/registry/stats/glmm/fit.js';
import { categorical, simulateGlmmData } from '../src/registry/stats/glmm/simulate.js';

const { values } = parseArgs({
  options: {
    patients: { type: 'string', default: '150000' },
    gps: { type: 'string', default: '4800' },
    'skip-r': { type: 'boolean', default: false },
  },
});
const gps = Number(values.gps);
const mean = Number(values.patients) / gps;
const { table } = simulateGlmmData({
  seed: 2026,
  groups: gps,
  clusterSize: { min: Math.max(1, Math.round(mean * 0.3)), max: Math.round(mean * 1.7) },
  intercept: -1.6,
  variance: 0.35,
  covariates: [
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
    categorical('rural', 'group', [
      ['no', 0.75, 0],
      ['yes', 0.25, -0.3],
    ]),
  ],
});
const fixed = ['sex', 'age_group', 'edu', 'rural'];
const persons = table.columns.gp!.length;

const time = <T>(f: () => T): [T, number] => {
  const t = performance.now();
  const out = f();
  return [out, (performance.now() - t) / 1000];
};
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

const hasR =
  !values['skip-r'] && spawnSync('Rscript', ['-e', 'library(lme4)'], { stdio: 'ignore' }).status === 0;
if (!hasR) {
  console.log('lme4: not run (Rscript with lme4 not installed; apt-get install r-base-core r-cran-lme4)');
} else {
  const dir = mkdtempSync(join(tmpdir(), 'gpdep-glmm-bench-'));
  try {
    const csv = join(dir, 'data.csv');
    const cols = ['gp', 'outcome', ...fixed];
    const lines = [cols.join(',')];
    for (let i = 0; i < persons; i++) lines.push(cols.map((c) => String(table.columns[c]![i])).join(','));
    writeFileSync(csv, lines.join('\n') + '\n');
    const script = `
suppressPackageStartupMessages(library(lme4))
d <- read.csv("${csv}", stringsAsFactors = TRUE)
t <- system.time(fit <- glmer(outcome ~ sex + age_group + edu + rural + (1 | gp), data = d, family = binomial))[["elapsed"]]
cat("SECONDS", t, "\\n")
cat("FIXEF", fixef(fit), "\\n")
cat("SE", sqrt(diag(as.matrix(vcov(fit)))), "\\n")
cat("VAR", getME(fit, "theta")^2, "\\n")`;
    console.log('lme4::glmer (Laplace, default settings): running ...');
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
    } else {
      const fixef = line('FIXEF');
      const se = line('SE');
      const variance = line('VAR')[0]!;
      const dFix = Math.max(...ours.fixedEffects.map((f, m) => Math.abs(f.estimate - fixef[m]!)));
      const dSe = Math.max(...ours.fixedEffects.map((f, m) => Math.abs(f.se / se[m]! - 1)));
      const oursSeconds = designSeconds + ours.milliseconds / 1000;
      console.log(`lme4::glmer Laplace: ${seconds.toFixed(1)} s, σ² = ${variance.toFixed(4)}`);
      console.log(
        `speed-up (design + Laplace fit vs glmer): ${(seconds / oursSeconds).toFixed(0)}x; largest difference: fixed effects ${dFix.toExponential(1)}, σ² ${Math.abs(variance - ours.gpVariance.estimate).toExponential(1)}, standard errors ${(100 * dSe).toFixed(3)} % (relative)`
      );
    }
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

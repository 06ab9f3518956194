/**
 * `npx tsx bench/registry-analyze.ts DATA_DIR [--out DIR] [--threads 2] [--memory-limit 6GB]`:
 * wall time of the full GP-DEP analysis (cohort to report) on a registry data folder, per step,
 * and peak memory of this process and of the DuckDB worker.
 * Goal (issue 13, item 11): national scale (5.55 M persons) in under 30 s on 2 cores, peak memory
 * under 8 GB. Measured on a quiet machine: other work on the 2 cores doubles the time.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import { runAnalysis } from '../src/registry/analyze/run.js';

const { values, positionals } = parseArgs({
  allowPositionals: true,
  options: { out: { type: 'string' }, threads: { type: 'string' }, 'memory-limit': { type: 'string' } },
});
const dataDir = positionals[0];
if (!dataDir) {
  process.stderr.write(
    'Usage: npx tsx bench/registry-analyze.ts DATA_DIR [--out DIR] [--threads 2] [--memory-limit 6GB]\n'
  );
  process.exit(2);
}
const out = values.out ?? mkdtempSync(join(tmpdir(), 'gpdep-reg-bench-'));
const started = performance.now();
const result = await runAnalysis({
  dataDir,
  outDir: out,
  engine: { threads: Number(values.threads ?? 2), memoryLimit: values['memory-limit'] ?? '6GB' },
});
const wall = (performance.now() - started) / 1000;
const mainRssMb = process.resourceUsage().maxRSS / 1024;
const workerRssMb = result.workerMaxRssKb / 1024;
console.log(`registry analysis of ${dataDir}`);
console.log(
  `  episodes ${result.summary.episodes ?? '<5'}, patients ${result.summary.patients ?? '<5'}, GPs ${result.summary.gps}, index ${result.summary.indexFrom} to ${result.summary.indexTo}`
);
for (const [step, ms] of Object.entries(result.timingsMs))
  console.log(`  ${step.padEnd(22)} ${(ms / 1000).toFixed(2).padStart(8)} s`);
console.log(`  total (cohort to report) ${wall.toFixed(1)} s (goal at national scale: < 30 s)`);
console.log(
  `  peak memory: DuckDB worker ${workerRssMb.toFixed(0)} MB, this process ${mainRssMb.toFixed(0)} MB (goal: < 8 GB)`
);
console.log(`  report: ${result.reportPath}`);
if (!values.out) rmSync(out, { recursive: true, force: true });

/**
 * `npm run bench:registry [-- --persons 5550000]`: the registry layer end to end on this machine.
 * Generation time and peak memory at 50,000 and 1,000,000 persons (and at --persons when given),
 * then the full analysis (cohort to report) on each generated folder. Each step runs in its own
 * process so its peak memory is its own.
 */
import { spawnSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { join } from 'node:path';

const extra = process.argv.indexOf('--persons');
const sizes = [50_000, 1_000_000, ...(extra > 0 ? [Number(process.argv[extra + 1])] : [])];
const tsx = ['--import', 'tsx'];

for (const persons of sizes) {
  console.log(`\n== ${persons.toLocaleString('en')} persons ==`);
  const gen = spawnSync(
    process.execPath,
    [...tsx, 'bench/registry-generate.ts', '--persons', String(persons), '--only'],
    { stdio: 'inherit' }
  );
  if (gen.status !== 0) process.exit(gen.status ?? 1);
  const dir = join('.bench-data', `registry-${persons}`);
  if (!existsSync(dir)) throw new Error(`generation wrote nothing to ${dir}`);
  const analyze = spawnSync(
    process.execPath,
    [...tsx, 'bench/registry-analyze.ts', dir, '--out', `${dir}-report`],
    { stdio: 'inherit' }
  );
  if (analyze.status !== 0) process.exit(analyze.status ?? 1);
}

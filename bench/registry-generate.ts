/**
 * `npm run bench:registry-generate [-- --persons 5550000]`: generation time and peak memory of the
 * synthetic registry at 50,000 and 1,000,000 persons, and at --persons when given (national scale:
 * 5,550,000). Peak memory is the process RSS (Node plus DuckDB, which runs in-process) sampled every
 * 100 ms; CPU time is user+system of the process (on a shared machine wall time includes waiting).
 * Goal (issue 5): national generation under 5 minutes, peak memory under 8 GB on 2 cores.
 * Output goes to .bench-data/registry-<N> (kept, so the analysis bench can reuse it).
 */
import { rmSync } from 'node:fs';
import { join } from 'node:path';
import { generateRegistry } from '../src/registry/generate/generate.js';

interface Row {
  persons: number;
  seconds: number;
  cpuSeconds: number;
  peakRssMb: number;
  calibrationOk: string;
  stages: Record<string, number>;
}

async function measure(persons: number): Promise<Row> {
  const out = join('.bench-data', `registry-${persons}`);
  rmSync(out, { recursive: true, force: true });
  let peak = process.memoryUsage().rss;
  const timer = setInterval(() => {
    peak = Math.max(peak, process.memoryUsage().rss);
  }, 100);
  const cpu0 = process.cpuUsage();
  const t0 = performance.now();
  try {
    const r = await generateRegistry({
      persons,
      firstYear: 2009,
      lastYear: 2016,
      seed: 1,
      out,
      log: (m) => console.log(`  ${m}`),
    });
    const cpu = process.cpuUsage(cpu0);
    const okRows = r.calibration.rows.filter((x) => x.ok !== null);
    return {
      persons,
      seconds: (performance.now() - t0) / 1000,
      cpuSeconds: (cpu.user + cpu.system) / 1e6,
      peakRssMb: Math.max(peak, process.memoryUsage().rss) / 2 ** 20,
      calibrationOk: `${okRows.filter((x) => x.ok).length}/${okRows.length}`,
      stages: r.timings,
    };
  } finally {
    clearInterval(timer);
  }
}

async function main() {
  const i = process.argv.indexOf('--persons');
  const sizes = [50_000, 1_000_000];
  if (i > 0) {
    const n = Number(process.argv[i + 1]?.replace(/[_,]/g, ''));
    if (!Number.isInteger(n) || n < 1000) throw new Error('--persons N');
    if (process.argv.includes('--only')) sizes.length = 0;
    if (!sizes.includes(n)) sizes.push(n);
  }
  const rows: Row[] = [];
  for (const n of sizes) {
    console.log(`Generating ${n.toLocaleString('en-US')} persons ...`);
    rows.push(await measure(n));
  }
  console.log('\npersons     wall s   cpu s   peak RSS MB   calibration OK   slowest stages');
  for (const r of rows) {
    const slow = Object.entries(r.stages)
      .sort((a, b) => b[1] - a[1])
      .slice(0, 3)
      .map(([k, v]) => `${k} ${(v / 1000).toFixed(0)} s`)
      .join(', ');
    console.log(
      `${r.persons.toLocaleString('en-US').padStart(9)}  ${r.seconds.toFixed(1).padStart(7)}  ${r.cpuSeconds.toFixed(0).padStart(6)}  ${r.peakRssMb.toFixed(0).padStart(12)}  ${r.calibrationOk.padStart(15)}   ${slow}`
    );
  }
}

main().catch((e: unknown) => {
  console.error(e);
  process.exit(1);
});

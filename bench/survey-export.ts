/**
 * `npx tsx bench/survey-export.ts`: time to build the whole survey export (data.csv, codebooks,
 * DDI XML, R/Stata/SPSS scripts, README) for 2,000 responses × 35 items, long and wide form,
 * and to write it to a folder. Synthetic data (src/surveys/export/fixtures.ts): 35 answerable
 * items in five groups with branching, tick-all items, open choices and free text, two waves.
 * Goal (issue 14): under 5 s.
 *
 * BENCH_RESPONSES and BENCH_ITERATIONS change the size and the number of timed runs.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { performance } from 'node:perf_hooks';
import { buildSurveyExport, writeSurveyExport } from '../src/surveys/export/bundle.js';
import { syntheticDataset } from '../src/surveys/export/fixtures.js';
import { answerableItems, flattenItems } from '../src/domain/surveys/items.js';

const RESPONSES = Number(process.env.BENCH_RESPONSES ?? 2000);
const ITERATIONS = Number(process.env.BENCH_ITERATIONS ?? 5);
const GOAL_MS = 5000;

function median(values: number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  const mid = Math.floor(sorted.length / 2);
  return sorted.length % 2 ? sorted[mid]! : (sorted[mid - 1]! + sorted[mid]!) / 2;
}

async function main() {
  const dataset = syntheticDataset(RESPONSES, 35, 1);
  const items = answerableItems(flattenItems(dataset.questionnaire)).length;
  console.log(
    `survey export: ${dataset.responses.length} responses × ${items} items, ${ITERATIONS} runs each`
  );
  const dir = mkdtempSync(join(tmpdir(), 'bench-survey-export-'));
  try {
    for (const form of ['long', 'wide'] as const) {
      buildSurveyExport(dataset, { form }); // warm-up
      const build: number[] = [];
      const write: number[] = [];
      let bytes = 0;
      let columns = 0;
      for (let i = 0; i < ITERATIONS; i++) {
        const start = performance.now();
        const files = buildSurveyExport(dataset, { form });
        const built = performance.now();
        await writeSurveyExport(join(dir, `${form}-${i}`), files);
        write.push(performance.now() - built);
        build.push(built - start);
        bytes = Object.values(files).reduce(
          (sum, content) => sum + Buffer.byteLength(content ?? '', 'utf8'),
          0
        );
        columns = files['data.csv'].slice(0, files['data.csv'].indexOf('\r\n')).split(',').length;
      }
      const total = median(build.map((b, i) => b + write[i]!));
      console.log(
        `${form.padEnd(4)}: build median ${median(build).toFixed(0)} ms (max ${Math.max(...build).toFixed(0)}), ` +
          `write ${median(write).toFixed(0)} ms, total ${total.toFixed(0)} ms — ${columns} columns, ` +
          `${(bytes / 1024 / 1024).toFixed(1)} MB in ${Object.keys(buildSurveyExport(dataset, { form })).length} files ` +
          `— goal < ${GOAL_MS} ms: ${total < GOAL_MS ? 'met' : 'NOT met'}`
      );
    }
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

await main();

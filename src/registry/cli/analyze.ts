/**
 * `npm run registry:analyze -- --data DIR --out DIR [options]`: the GP-DEP analysis of a registry
 * data folder (Parquet in the platform's schema) to a self-contained HTML report (report.html, and
 * rapport.html in Norwegian bokmål), CSV tables and results.json. Progress goes to stderr; the
 * paths written go to stdout.
 *
 * Options (defaults are GP-DEP's choices, docs/registry/analyses.md):
 *   --params FILE        JSON with any AnalysisParams fields
 *   --washout DAYS       --min-age N  --max-age N  --icd10 (adds F32, F33)  --ad-any-use  --sick-leave-all
 *   --episodes all|first --index-from YYYY-MM-DD --index-to YYYY-MM-DD  --require-listed
 *   --sick-leave-rule starts|overlaps
 *   --threads N (2)  --memory-limit 4GB  --timeout SECONDS (1800)
 */
import { readFileSync } from 'node:fs';
import { parseArgs } from 'node:util';
import { runAnalysis } from '../analyze/run.js';
import type { AnalysisParams } from '../engine/params.js';

export async function main(argv: string[]): Promise<number> {
  const { values } = parseArgs({
    args: argv,
    options: {
      data: { type: 'string' },
      out: { type: 'string' },
      params: { type: 'string' },
      washout: { type: 'string' },
      'min-age': { type: 'string' },
      'max-age': { type: 'string' },
      icd10: { type: 'boolean' },
      'ad-new-user': { type: 'boolean' },
      'ad-any-use': { type: 'boolean' },
      'sick-leave-all': { type: 'boolean' },
      episodes: { type: 'string' },
      'index-from': { type: 'string' },
      'index-to': { type: 'string' },
      'require-listed': { type: 'boolean' },
      'sick-leave-rule': { type: 'string' },
      threads: { type: 'string' },
      'memory-limit': { type: 'string' },
      timeout: { type: 'string' },
      quiet: { type: 'boolean' },
      help: { type: 'boolean' },
    },
    strict: true,
  });
  if (values.help || !values.data || !values.out) {
    process.stderr.write(
      'Usage: registry:analyze -- --data DIR --out DIR [--params FILE] [--washout DAYS] [--min-age N] [--max-age N] [--icd10] [--ad-any-use] [--sick-leave-all] [--episodes all|first] [--index-from DATE] [--index-to DATE] [--require-listed] [--sick-leave-rule starts|overlaps] [--threads N] [--memory-limit 4GB] [--timeout SECONDS]\n'
    );
    return values.help ? 0 : 2;
  }
  const params: Partial<AnalysisParams> = values.params
    ? (JSON.parse(readFileSync(values.params, 'utf8')) as Partial<AnalysisParams>)
    : {};
  const int = (v: string | undefined, name: string) => {
    if (v === undefined) return undefined;
    const n = Number(v);
    if (!Number.isInteger(n)) throw new Error(`--${name}: an integer`);
    return n;
  };
  const washout = int(values.washout, 'washout');
  if (washout !== undefined) params.washoutDays = washout;
  const minAge = int(values['min-age'], 'min-age');
  if (minAge !== undefined) params.minAge = minAge;
  const maxAge = int(values['max-age'], 'max-age');
  if (maxAge !== undefined) params.maxAge = maxAge;
  if (values.icd10) params.icd10Codes = ['F32', 'F33'];
  // New users are the default; --ad-new-user is kept so older scripts still run.
  if (values['ad-new-user']) params.adNewUser = true;
  if (values['ad-any-use']) params.adNewUser = false;
  if (values['sick-leave-all']) params.sickLeaveDenominator = 'all';
  if (values.episodes) params.episodes = values.episodes as AnalysisParams['episodes'];
  if (values['index-from']) params.indexFrom = values['index-from'];
  if (values['index-to']) params.indexTo = values['index-to'];
  if (values['require-listed']) params.requireListedGp = true;
  if (values['sick-leave-rule'])
    params.sickLeaveRule = values['sick-leave-rule'] as AnalysisParams['sickLeaveRule'];

  const started = performance.now();
  let lastLine = '';
  const result = await runAnalysis({
    dataDir: values.data,
    outDir: values.out,
    params,
    timeoutMs: (int(values.timeout, 'timeout') ?? 1800) * 1000,
    engine: { threads: int(values.threads, 'threads') ?? 2, memoryLimit: values['memory-limit'] ?? '4GB' },
    onProgress: (p) => {
      if (values.quiet) return;
      const line = `[${String(Math.round(p.fraction * 100)).padStart(3)} %] ${p.message}`;
      if (line !== lastLine)
        process.stderr.write(`${line}  (${((performance.now() - started) / 1000).toFixed(1)} s)\n`);
      lastLine = line;
    },
  });
  process.stderr.write(
    `Done in ${((performance.now() - started) / 1000).toFixed(1)} s: ${result.summary.episodes ?? '<5'} episodes, index ${result.summary.indexFrom} to ${result.summary.indexTo}\n`
  );
  process.stdout.write(
    `${result.reportPath}\n${result.reportNbPath}\n${result.resultsPath}\n${result.csvPaths.join('\n')}\n`
  );
  return 0;
}

const isMain = process.argv[1] && import.meta.url.endsWith(process.argv[1].split('/').pop()!);
if (isMain) {
  main(process.argv.slice(2)).then(
    (code) => process.exit(code),
    (error: unknown) => {
      process.stderr.write(
        `registry:analyze failed: ${error instanceof Error ? error.message : String(error)}\n`
      );
      process.exit(1);
    }
  );
}

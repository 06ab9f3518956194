/**
 * `tsx src/surveys/cli/analyze-dataset.ts --dataset FILE.json --out DIR
 *   [--linkage FILE.linkage.json --registry DIR] [--margins sex*age_group,region,specialist]
 *   [--trim 0.3,3 | --trim none] [--collapse] [--stratum ATTRIBUTE]
 *   [--item own-talk-therapy --contrast often]`
 * Runs the whole survey analysis on a dataset file (a SurveyDataset as JSON): weights, shares,
 * cross-tables, and with a linkage table and a registry extract the linked analyses. Writes
 * report.html (English), rapport.html (bokmål) and results.json to DIR.
 */
import { readFileSync } from 'node:fs';
import { basename, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { analyzeSurvey, type AnalyzeOptions } from '../analyze/analyze.js';
import { parseLinkage } from '../analyze/linkage-table.js';
import { linkSurveyToRegistry, type LinkedResults } from '../analyze/registry-link.js';
import type { SurveyDataset } from '../dataset.js';
import { writeSurveyReports } from '../report/write.js';
import type { Margin } from '../stats/raking.js';

export interface AnalyzeDatasetArgs {
  dataset: string;
  out: string;
  linkage?: string;
  registry?: string;
  margins?: Margin[];
  trim?: { lower: number; upper: number } | null;
  collapse: boolean;
  item?: string;
  contrast?: string;
  stratum?: string;
}

export function parseAnalyzeDatasetArgs(argv: readonly string[]): AnalyzeDatasetArgs {
  const args: Partial<AnalyzeDatasetArgs> = { collapse: false };
  for (let i = 0; i < argv.length; i++) {
    const a = argv[i]!;
    const value = () => {
      const v = argv[++i];
      if (v === undefined) throw new Error(`${a} needs a value`);
      return v;
    };
    switch (a) {
      case '--dataset':
        args.dataset = value();
        break;
      case '--out':
        args.out = value();
        break;
      case '--linkage':
        args.linkage = value();
        break;
      case '--registry':
        args.registry = value();
        break;
      case '--margins':
        args.margins = value()
          .split(',')
          .map((m) => m.split('*').map((s) => s.trim()))
          .filter((m) => m.every(Boolean));
        if (!args.margins.length) throw new Error('--margins: e.g. sex*age_group,region,specialist');
        break;
      case '--trim': {
        const v = value();
        if (v === 'none') args.trim = null;
        else {
          const [lower, upper] = v.split(',').map(Number);
          if (!(lower! > 0 && lower! < 1 && upper! > 1))
            throw new Error('--trim: LOWER,UPPER with 0 < LOWER < 1 < UPPER, or none');
          args.trim = { lower: lower!, upper: upper! };
        }
        break;
      }
      case '--collapse':
        args.collapse = true;
        break;
      case '--item':
        args.item = value();
        break;
      case '--contrast':
        args.contrast = value();
        break;
      case '--stratum':
        args.stratum = value();
        break;
      default:
        throw new Error(`Unknown option ${a}`);
    }
  }
  if (!args.dataset || !args.out)
    throw new Error('Usage: --dataset FILE.json --out DIR [--linkage FILE --registry DIR]');
  if ((args.linkage === undefined) !== (args.registry === undefined))
    throw new Error('--linkage and --registry go together');
  return args as AnalyzeDatasetArgs;
}

export async function analyzeDatasetFile(args: AnalyzeDatasetArgs): Promise<{ paths: string[]; ms: number }> {
  const started = performance.now();
  const dataset = JSON.parse(readFileSync(args.dataset, 'utf8')) as SurveyDataset;
  const options: AnalyzeOptions = {
    collapse: args.collapse,
    ...(args.margins ? { margins: args.margins } : {}),
    ...(args.trim === undefined ? {} : { trim: args.trim }),
    ...(args.stratum === undefined ? {} : { stratum: args.stratum }),
  };
  const results = analyzeSurvey(dataset, options);
  let linked: LinkedResults | null = null;
  if (args.linkage && args.registry) {
    const linkage = parseLinkage(JSON.parse(readFileSync(args.linkage, 'utf8')));
    linked = await linkSurveyToRegistry(dataset, linkage, {
      registryDir: args.registry,
      ...(args.item ? { item: args.item } : {}),
      ...(args.contrast ? { contrast: args.contrast } : {}),
    });
  }
  const generatedAt = new Date().toISOString().slice(0, 10);
  const paths = writeSurveyReports(args.out, {
    results,
    linked,
    generatedAt,
    dataLabel: basename(args.dataset),
  });
  return { paths, ms: performance.now() - started };
}

async function main(): Promise<void> {
  const args = parseAnalyzeDatasetArgs(process.argv.slice(2));
  const { paths, ms } = await analyzeDatasetFile(args);
  console.log(`Analysed in ${(ms / 1000).toFixed(1)} s: ${paths.join(', ')}`);
}

if (process.argv[1] && resolve(process.argv[1]) === fileURLToPath(import.meta.url)) {
  main().catch((error: unknown) => {
    console.error(error instanceof Error ? error.message : error);
    process.exit(1);
  });
}

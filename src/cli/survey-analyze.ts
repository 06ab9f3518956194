/**
 * `npm run survey:analyze -- --survey ID --out DIR [--lang nb|en] [--form long|wide]
 *   [--version V] [--registry DIR] [--collapse]`
 *
 * Analyses one survey straight from the database (DATABASE_URL, or the embedded PGlite in
 * DATA_DIR, opened as `npm run db:migrate` opens it; one process at a time may hold an embedded
 * folder, so stop the server first): loads the dataset (server/surveys/dataset.queries.ts), runs
 * analyzeSurvey, and with `--registry DIR` and linkage keys for the survey the linkage to the same
 * GPs' registry indicators. Writes report.html (English), rapport.html (bokmål), results.json and
 * the export bundle (export/: data.csv, codebooks, DDI XML, load.R/.do/.sps) to DIR.
 */
import { join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { openDatabase } from '../db/connection.js';
import { loadSurveyDataset, loadSurveyFacts } from '../server/surveys/dataset.queries.js';
import { surveyLinkage } from '../server/surveys/linkage.queries.js';
import { readConfig } from '../server/config.js';
import { analyzeSurvey } from '../surveys/analyze/analyze.js';
import { parseLinkage } from '../surveys/analyze/linkage-table.js';
import { linkSurveyToRegistry, type LinkedResults } from '../surveys/analyze/registry-link.js';
import { buildSurveyExport, writeSurveyExport } from '../surveys/export/bundle.js';
import { writeSurveyReports } from '../surveys/report/write.js';

export const USAGE = `Usage: npm run survey:analyze -- --survey ID --out DIR [options]

Analyses one survey from the database (DATABASE_URL, or the embedded database in DATA_DIR; stop
the server first when it uses the embedded folder) and writes to DIR:
  report.html, rapport.html   the report in English and bokmål
  results.json                weights per response, weighted and unweighted shares with 95 % CIs
  export/                     data.csv, codebook.csv/.md/.html, codebook.xml (DDI), load.R/.do/.sps

Options:
  --survey ID        the survey's id (a UUID; the researcher page shows it)
  --out DIR          where the files go (created if missing)
  --lang nb|en       language of the export's labels (default nb; the report comes in both)
  --form long|wide   the export's layout: one row per response, or per respondent (default long)
  --version V        only this questionnaire version (default: the latest fielded, all responses)
  --registry DIR     a registry extract (or the synthetic twin): link the GP survey to the same
                     GPs' registry indicators, when the survey has linkage keys
  --collapse         merge a weighting cell without respondents into its neighbour, instead of
                     stopping (small surveys)
  --help             this text`;

export interface SurveyAnalyzeArgs {
  survey: string;
  out: string;
  lang: 'nb' | 'en';
  form: 'long' | 'wide';
  version?: string;
  registry?: string;
  collapse: boolean;
}

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

/** Parses the arguments; 'help' for --help; throws a one-line message naming the bad option. */
export function parseSurveyAnalyzeArgs(argv: readonly string[]): SurveyAnalyzeArgs | 'help' {
  const args: Partial<SurveyAnalyzeArgs> = { lang: 'nb', form: 'long', collapse: false };
  for (let i = 0; i < argv.length; i++) {
    const a = argv[i]!;
    const value = () => {
      const v = argv[++i];
      if (v === undefined || v.startsWith('--')) throw new Error(`${a} needs a value`);
      return v;
    };
    switch (a) {
      case '--help':
      case '-h':
        return 'help';
      case '--survey':
        args.survey = value();
        if (!UUID.test(args.survey))
          throw new Error(`--survey: "${args.survey}" is not a survey id (a UUID)`);
        break;
      case '--out':
        args.out = value();
        break;
      case '--lang': {
        const v = value();
        if (v !== 'nb' && v !== 'en') throw new Error('--lang must be nb or en');
        args.lang = v;
        break;
      }
      case '--form': {
        const v = value();
        if (v !== 'long' && v !== 'wide') throw new Error('--form must be long or wide');
        args.form = v;
        break;
      }
      case '--version':
        args.version = value();
        break;
      case '--registry':
        args.registry = value();
        break;
      case '--collapse':
        args.collapse = true;
        break;
      default:
        throw new Error(`Unknown option ${a} (see --help)`);
    }
  }
  if (!args.survey) throw new Error('--survey ID is required (see --help)');
  if (!args.out) throw new Error('--out DIR is required (see --help)');
  return args as SurveyAnalyzeArgs;
}

export interface SurveyAnalyzeOutcome {
  paths: string[];
  responses: number;
  linked: boolean;
  notes: string[];
  ms: number;
}

/** Loads, analyses and writes; throws a clear message for an unknown survey or version. */
export async function runSurveyAnalyze(
  db: Parameters<typeof loadSurveyDataset>[0],
  args: SurveyAnalyzeArgs,
  generatedAt = new Date().toISOString().slice(0, 10)
): Promise<SurveyAnalyzeOutcome> {
  const started = performance.now();
  const facts = await loadSurveyFacts(db, args.survey);
  if (!facts) throw new Error(`No survey with id ${args.survey} in this database`);
  if (args.version !== undefined && !facts.versions.includes(args.version))
    throw new Error(
      `Survey ${args.survey} has no version ${args.version} (versions: ${facts.versions.join(', ') || 'none'})`
    );
  const dataset = await loadSurveyDataset(db, args.survey, {
    ...(args.version === undefined ? {} : { version: args.version }),
  });
  if (!dataset) throw new Error(`Survey ${args.survey} has no questionnaire yet`);
  const results = analyzeSurvey(dataset, { collapse: args.collapse });
  const notes: string[] = [];
  let linked: LinkedResults | null = null;
  if (args.registry) {
    const linkage = parseLinkage(await surveyLinkage(db, args.survey));
    if (linkage.entries.length === 0) notes.push('The survey has no linkage keys: no registry linkage.');
    else linked = await linkSurveyToRegistry(dataset, linkage, { registryDir: args.registry });
  }
  const paths = writeSurveyReports(args.out, { results, linked, generatedAt, dataLabel: facts.title });
  const files = buildSurveyExport(dataset, { language: args.lang, form: args.form });
  paths.push(...(await writeSurveyExport(join(args.out, 'export'), files)));
  return {
    paths,
    responses: dataset.responses.length,
    linked: linked !== null,
    notes,
    ms: performance.now() - started,
  };
}

async function main(): Promise<void> {
  const args = parseSurveyAnalyzeArgs(process.argv.slice(2));
  if (args === 'help') {
    console.log(USAGE);
    return;
  }
  const config = readConfig();
  const database = await openDatabase({
    databaseUrl: config.databaseUrl,
    dataDir: join(config.dataDir, 'pglite'),
    allowUnsafeDurability: config.allowUnsafeDurability,
  });
  try {
    const outcome = await runSurveyAnalyze(database.db, args);
    for (const note of outcome.notes) console.log(note);
    console.log(
      `Analysed ${outcome.responses} responses${outcome.linked ? ' (linked to the registry)' : ''} in ${(outcome.ms / 1000).toFixed(2)} s. Wrote:`
    );
    for (const path of outcome.paths) console.log(`  ${path}`);
  } finally {
    await database.close();
  }
}

if (process.argv[1] && resolve(process.argv[1]) === fileURLToPath(import.meta.url)) {
  main().catch((error: unknown) => {
    console.error(`survey:analyze: ${error instanceof Error ? error.message : String(error)}`);
    process.exit(1);
  });
}

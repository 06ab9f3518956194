/**
 * `npm run survey:generate -- --twin DIR --seed N --out FILE.json [--questionnaire FILE]
 *   [--survey-date YYYY-MM-DD] [--response-rate 0.4]`
 * The synthetic GP survey of a registry twin: writes the dataset (FILE.json), the planted truth
 * (FILE.truth.json) and the linkage table (FILE.linkage.json, frame id → registry GP id, read
 * only by the linkage step). The questionnaire defaults to src/content/surveys/gp-national.json.
 */
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { dirname, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { Questionnaire } from 'fhir/r4.js';
import { generateTwinSurvey } from '../generate/from-twin.js';

const DEFAULT_QUESTIONNAIRE = resolve(
  dirname(fileURLToPath(import.meta.url)),
  '../../content/surveys/gp-national.json'
);

export interface SurveyGenerateArgs {
  twin: string;
  seed: number;
  out: string;
  questionnaire: string;
  surveyDate?: string;
  responseRate?: number;
}

export function parseSurveyGenerateArgs(argv: readonly string[]): SurveyGenerateArgs {
  const args: Partial<SurveyGenerateArgs> = { seed: 1, questionnaire: DEFAULT_QUESTIONNAIRE };
  for (let i = 0; i < argv.length; i++) {
    const a = argv[i]!;
    const value = () => {
      const v = argv[++i];
      if (v === undefined) throw new Error(`${a} needs a value`);
      return v;
    };
    switch (a) {
      case '--twin':
        args.twin = value();
        break;
      case '--seed':
        args.seed = Number(value());
        if (!Number.isInteger(args.seed)) throw new Error('--seed must be an integer');
        break;
      case '--out':
        args.out = value();
        break;
      case '--questionnaire':
        args.questionnaire = value();
        break;
      case '--survey-date':
        args.surveyDate = value();
        if (!/^\d{4}-\d{2}-\d{2}$/.test(args.surveyDate)) throw new Error('--survey-date must be YYYY-MM-DD');
        break;
      case '--response-rate':
        args.responseRate = Number(value());
        if (!(args.responseRate > 0 && args.responseRate < 1))
          throw new Error('--response-rate must lie between 0 and 1');
        break;
      default:
        throw new Error(`Unknown option ${a}`);
    }
  }
  if (!args.twin || !args.out)
    throw new Error('Usage: --twin DIR --seed N --out FILE.json [--questionnaire FILE]');
  return args as SurveyGenerateArgs;
}

/** FILE.json → FILE.truth.json, FILE.linkage.json. */
export function companionPath(out: string, kind: 'truth' | 'linkage'): string {
  return out.endsWith('.json') ? `${out.slice(0, -5)}.${kind}.json` : `${out}.${kind}.json`;
}

async function main(): Promise<void> {
  const args = parseSurveyGenerateArgs(process.argv.slice(2));
  if (!existsSync(args.questionnaire))
    throw new Error(`No questionnaire at ${args.questionnaire} (give one with --questionnaire FILE)`);
  const questionnaire = JSON.parse(readFileSync(args.questionnaire, 'utf8')) as Questionnaire;
  const started = performance.now();
  const survey = await generateTwinSurvey({
    twinDir: args.twin,
    seed: args.seed,
    questionnaire,
    ...(args.surveyDate === undefined ? {} : { surveyDate: args.surveyDate }),
    ...(args.responseRate === undefined ? {} : { responseRate: args.responseRate }),
  });
  mkdirSync(dirname(resolve(args.out)), { recursive: true });
  writeFileSync(args.out, `${JSON.stringify(survey.dataset)}\n`);
  writeFileSync(companionPath(args.out, 'truth'), `${JSON.stringify(survey.truth, null, 2)}\n`);
  writeFileSync(companionPath(args.out, 'linkage'), `${JSON.stringify(survey.linkage)}\n`);
  const t = survey.truth;
  console.log(
    `${t.frameSize} GPs invited, ${t.complete} complete and ${t.partial} partial responses (${((performance.now() - started) / 1000).toFixed(1)} s)`
  );
  console.log(
    `Frame share of "${t.association.contrast}" to ${t.association.item}: ${(100 * t.frameShares[t.association.item]![t.association.contrast]!).toFixed(1)} %; among respondents ${(100 * t.respondentShares[t.association.item]![t.association.contrast]!).toFixed(1)} %`
  );
  console.log(
    `Planted association (mean u.talk difference, frame): ${t.association.frameMeanDifference.toFixed(3)}`
  );
  console.log(
    `Wrote ${args.out}, ${companionPath(args.out, 'truth')}, ${companionPath(args.out, 'linkage')}`
  );
}

if (process.argv[1] && resolve(process.argv[1]) === fileURLToPath(import.meta.url)) {
  main().catch((error: unknown) => {
    console.error(error instanceof Error ? error.message : error);
    process.exit(1);
  });
}

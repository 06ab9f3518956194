/**
 * `npm run bench:survey-analysis [-- --invited 5000 --rate 0.4 --runs 5]`: the survey analysis
 * for 5,000 invited GPs and about 2,000 responses (issue 14, goal under 5 s): raking with
 * trimming, shares with linearised CIs for every choice item, cross-tables by every frame
 * characteristic, the report in English and Norwegian, and results.json. The responses are the
 * planted synthetic GP survey on a synthetic national frame, answering the study's GP
 * questionnaire (src/content/surveys/gp-national.json) when it is there, else the test fixture.
 * Prints the median and the slowest of the runs. The registry linkage is not included (its time
 * is the registry cohort's; see bench:registry-analyze).
 */
import { existsSync, readFileSync } from 'node:fs';
import { parseArgs } from 'node:util';
import type { Questionnaire } from 'fhir/r4.js';
import { analyzeSurvey } from '../src/surveys/analyze/analyze.js';
import { FIXTURE_GP_QUESTIONNAIRE } from '../src/surveys/generate/fixture-questionnaire.js';
import { syntheticFrame } from '../src/surveys/generate/frame.js';
import { plantSurvey } from '../src/surveys/generate/plant.js';
import { renderSurveyReport } from '../src/surveys/report/html.js';
import { publishResults } from '../src/surveys/report/results-json.js';

const { values } = parseArgs({
  options: {
    invited: { type: 'string', default: '5000' },
    rate: { type: 'string', default: '0.4' },
    runs: { type: 'string', default: '5' },
  },
});
const invited = Number(values.invited);
const runs = Math.max(1, Number(values.runs));
const STUDY = new URL('../src/content/surveys/gp-national.json', import.meta.url);
const questionnaire: Questionnaire = existsSync(STUDY)
  ? (JSON.parse(readFileSync(STUDY, 'utf8')) as Questionnaire)
  : FIXTURE_GP_QUESTIONNAIRE;
const questionnaireName = existsSync(STUDY)
  ? 'gp-national.json'
  : 'the test fixture (gp-national.json not found)';

let t = performance.now();
const { dataset, truth } = plantSurvey(syntheticFrame(invited, 1), {
  seed: 1,
  surveyId: 'gp-national',
  questionnaire,
  responseRate: Number(values.rate),
});
const generateMs = performance.now() - t;

const times: number[] = [];
let last: ReturnType<typeof analyzeSurvey> | null = null;
for (let i = 0; i < runs; i++) {
  t = performance.now();
  const results = analyzeSurvey(dataset);
  const input = { results, linked: null, generatedAt: '2026-01-01', dataLabel: 'bench' };
  renderSurveyReport(input, 'en');
  renderSurveyReport(input, 'nb');
  JSON.stringify(publishResults(results, null, '2026-01-01'));
  times.push(performance.now() - t);
  last = results;
}
times.sort((a, b) => a - b);
const median = times[Math.floor(times.length / 2)]!;
const r = last!;
console.log(`Survey analysis, ${questionnaireName}`);
console.log(
  `  ${invited.toLocaleString('en-GB')} invited GPs, ${truth.complete.toLocaleString('en-GB')} complete and ${truth.partial} partial responses (generated in ${generateMs.toFixed(0)} ms)`
);
console.log(
  `  ${r.items.length} choice items, ${r.crossTables.length} cross-tables; deff ${r.weighting?.summary.designEffect.toFixed(2)}, ${r.weighting?.totalIterations} raking passes`
);
console.log(
  `  analysis + report (en, nb) + results.json: median ${(median / 1000).toFixed(2)} s, slowest ${(times.at(-1)! / 1000).toFixed(2)} s over ${runs} runs (goal under 5 s)`
);

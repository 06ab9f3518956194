/**
 * Writes a survey's published results to a folder: report.html (English), rapport.html (bokmål)
 * and results.json. One place for what a run publishes, whether the data came from a dataset file
 * (src/surveys/cli/analyze-dataset.ts) or the database (src/cli/survey-analyze.ts).
 */
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { renderSurveyReport, type SurveyReportInput } from './html.js';
import { publishResults } from './results-json.js';

/** Returns the paths written, report.html first. */
export function writeSurveyReports(outDir: string, input: SurveyReportInput): string[] {
  mkdirSync(outDir, { recursive: true });
  const report = join(outDir, 'report.html');
  const rapport = join(outDir, 'rapport.html');
  const results = join(outDir, 'results.json');
  writeFileSync(report, renderSurveyReport(input, 'en'));
  writeFileSync(rapport, renderSurveyReport(input, 'nb'));
  writeFileSync(
    results,
    `${JSON.stringify(publishResults(input.results, input.linked ?? null, input.generatedAt), null, 1)}\n`
  );
  return [report, rapport, results];
}

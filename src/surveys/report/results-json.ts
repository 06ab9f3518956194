/**
 * results.json: the analysis as data (weights per response, weighted and unweighted shares with
 * CIs, the frame comparison, cross-tables, the registry linkage), with what the report hides
 * hidden here too: a cross-table cell under disclosure control leaves as null, never as a count.
 */
import type { SurveyResults } from '../analyze/analyze.js';
import type { LinkedResults } from '../analyze/registry-link.js';

export interface PublishedSurveyResults {
  format: 'gpdep-survey-results/1';
  generatedAt: string;
  results: SurveyResults;
  linked: LinkedResults | null;
}

export function publishResults(
  results: SurveyResults,
  linked: LinkedResults | null,
  generatedAt: string
): PublishedSurveyResults {
  const crossTables = results.crossTables.map((table) => ({
    ...table,
    cells: table.cells.map((cell, i) => {
      const levelHidden = table.hiddenLevels[i]!;
      return {
        ...cell,
        answered: levelHidden ? (null as unknown as number) : cell.answered,
        weightedAnswered: levelHidden ? (null as unknown as number) : cell.weightedAnswered,
        shares: cell.shares.map((share, j) =>
          levelHidden || table.hidden[i]![j]
            ? {
                code: share.code,
                n: null as unknown as number,
                unweighted: { estimate: null, lower: null, upper: null },
                weighted: { estimate: null, lower: null, upper: null, se: null },
              }
            : share
        ),
      };
    }),
  })) as unknown as SurveyResults['crossTables'];
  return { format: 'gpdep-survey-results/1', generatedAt, results: { ...results, crossTables }, linked };
}

/**
 * Multiplicity (issue 13, item 7): the report gives many estimates with 95 % confidence intervals
 * (relative risks, odds ratios of GP characteristics, equity indices), none adjusted for multiple
 * comparisons. The notes say so, with the number of estimates counted from the tables actually
 * built, not a number written by hand (Rothman 1990, Epidemiology 1:43-46; Bender & Lange 2001,
 * J Clin Epidemiol 54:343-349).
 */
import type { CellValue, PublishedTable } from './model.js';

export const MULTIPLICITY_SOURCES =
  'Rothman 1990, Epidemiology 1:43-46; Bender & Lange 2001, J Clin Epidemiol 54:343-349';

/** A text cell "estimate (lower to upper)" as the tables print an interval. */
const INTERVAL_TEXT = /^\S+ \(\S+ to \S+\)$/;

/** Whether a cell holds a published estimate with its interval (not suppressed, not empty). */
export const isIntervalText = (v: CellValue | undefined): boolean =>
  typeof v === 'string' && INTERVAL_TEXT.test(v);

/**
 * The estimates with a 95 % interval in a table: every published "*_rr" cell that has its "*_lo"
 * and "*_hi" beside it, and every text cell of the given columns printed as "x (lo to hi)".
 */
export function countIntervalEstimates(table: PublishedTable, textColumns: readonly string[] = []): number {
  let count = 0;
  table.columns.forEach((c, j) => {
    const rr = c.key.endsWith('_rr');
    if (
      rr &&
      table.columns[j + 1]?.key === c.key.replace(/_rr$/, '_lo') &&
      table.columns[j + 2]?.key === c.key.replace(/_rr$/, '_hi')
    ) {
      for (const row of table.rows)
        if ([row[j], row[j + 1], row[j + 2]].every((v) => typeof v === 'number')) count++;
    } else if (textColumns.includes(c.key)) {
      for (const row of table.rows) if (isIntervalText(row[j])) count++;
    }
  });
  return count;
}

/** Table 8's index columns. */
export const EQUITY_COLUMNS = ['c', 'w', 'e', 'hi', 'sii', 'sii_adj', 'rii', 'rii_adj'] as const;

/** The note under a table with `count` estimates of the kind `what` ("relative risks"). */
export function multiplicityNote(count: number, what: string, nullValue: string): string {
  return (
    `Multiple comparisons: this table gives ${count} ${what}, each with a 95 % confidence interval for that comparison alone, ` +
    `not adjusted for multiplicity: where there is no difference, about 1 in 20 such intervals would still exclude ${nullValue} by chance alone. ` +
    `The estimates are descriptive and hypothesis-generating, not tests of pre-specified hypotheses (${MULTIPLICITY_SOURCES}).`
  );
}

export interface EstimateCounts {
  relativeRisks: number;
  gpOddsRatios: number;
  equityIndices: number;
  total: number;
}

/**
 * The estimates of a run, from its tables: the relative risks of Tables 3.x, the odds ratios of the
 * GP characteristics (Table 7b; Table 7 repeats one characteristic's and is not counted twice) and
 * the equity indices of Table 8.
 */
export function countRunEstimates(tables: readonly PublishedTable[]): EstimateCounts {
  let relativeRisks = 0;
  let gpOddsRatios = 0;
  let equityIndices = 0;
  for (const t of tables) {
    if (t.id.startsWith('table3_')) relativeRisks += countIntervalEstimates(t);
    else if (t.id === 'table7b_gp_characteristics') gpOddsRatios += countIntervalEstimates(t, ['or']);
    else if (t.id === 'table8_equity') equityIndices += countIntervalEstimates(t, EQUITY_COLUMNS);
  }
  return { relativeRisks, gpOddsRatios, equityIndices, total: relativeRisks + gpOddsRatios + equityIndices };
}

/**
 * The framework method (Gale et al., BMC Med Res Methodol 2013;13:117), for the case studies: a
 * matrix of cases (rows) by themes (columns), each cell holding the codings of that theme's codes
 * in that case's sources and a summary the researcher writes from them ("charting"). Built on the
 * same codings as STC and the codebook, so one coding serves every method.
 */
import type { Coding } from './codebook.js';

export interface FrameworkCase {
  id: string;
  /** The case's pseudonym (Case-2), never a name. */
  label: string;
  sourceIds: string[];
}

export interface FrameworkTheme {
  id: string;
  label: string;
  /** The codes charted under this theme. */
  codeIds: string[];
}

export interface CellSummary {
  caseId: string;
  themeId: string;
  text: string;
}

export type CellStatus =
  /** No coding of the theme in the case: an empty cell is a finding too, so it is shown. */
  | 'no-data'
  /** Codings exist but nobody has charted them yet. */
  | 'needs-summary'
  | 'summarised'
  /** A summary without any coding behind it (codings removed since, for example by a withdrawal). */
  | 'summary-without-data';

export interface FrameworkCell {
  caseId: string;
  themeId: string;
  codingIds: string[];
  /** Characters coded, each counted once per coder and source even where codings overlap. */
  codedCharacters: number;
  summary: string | null;
  status: CellStatus;
}

export interface FrameworkMatrix {
  cases: FrameworkCase[];
  themes: FrameworkTheme[];
  /** Row by row: cells[i][j] is case i, theme j. */
  cells: FrameworkCell[][];
  /** Cells still to chart, in row order. */
  toSummarise: Array<{ caseId: string; themeId: string }>;
}

function unionLength(intervals: Array<[number, number]>): number {
  const sorted = [...intervals].sort((a, b) => a[0] - b[0]);
  let total = 0;
  let end = -Infinity;
  for (const [s, e] of sorted) {
    const from = Math.max(s, end);
    if (e > from) total += e - from;
    end = Math.max(end, e);
  }
  return total;
}

export function frameworkMatrix(input: {
  cases: readonly FrameworkCase[];
  themes: readonly FrameworkTheme[];
  codings: readonly Coding[];
  summaries: readonly CellSummary[];
}): FrameworkMatrix {
  const summaries = new Map(input.summaries.map((s) => [`${s.caseId}\u0000${s.themeId}`, s.text]));
  const toSummarise: FrameworkMatrix['toSummarise'] = [];
  const cells = input.cases.map((c) =>
    input.themes.map((t) => {
      const codings = input.codings.filter(
        (k) => c.sourceIds.includes(k.sourceId) && t.codeIds.includes(k.codeId)
      );
      const byCoderSource = new Map<string, Array<[number, number]>>();
      for (const k of codings) {
        const key = `${k.coderId}\u0000${k.sourceId}`;
        byCoderSource.set(key, [...(byCoderSource.get(key) ?? []), [k.start, k.end]]);
      }
      const codedCharacters = [...byCoderSource.values()].reduce((a, iv) => a + unionLength(iv), 0);
      const text = summaries.get(`${c.id}\u0000${t.id}`);
      const summary = text !== undefined && text.trim() ? text : null;
      const status: CellStatus =
        codings.length === 0
          ? summary === null
            ? 'no-data'
            : 'summary-without-data'
          : summary === null
            ? 'needs-summary'
            : 'summarised';
      if (status === 'needs-summary') toSummarise.push({ caseId: c.id, themeId: t.id });
      return {
        caseId: c.id,
        themeId: t.id,
        codingIds: codings.map((k) => k.id),
        codedCharacters,
        summary,
        status,
      };
    })
  );
  return { cases: [...input.cases], themes: [...input.themes], cells, toSummarise };
}

/** What a framework analysis may point at: the study's open transcripts and codes. */
export interface FrameworkContext {
  sourceIds: ReadonlySet<string>;
  codeIds: ReadonlySet<string>;
}

export interface FrameworkProblem {
  /** The document's own path: `cases[1].sourceIds[0]`, `summaries[3].themeId`, … */
  path: string;
  message: string;
}

/**
 * The broken links of a framework analysis: a duplicate case or theme id, a case of an unknown
 * transcript, a theme of an unknown code, a summary of a case or theme that is not in the matrix,
 * two summaries of one cell.
 */
export function frameworkProblems(
  document: {
    cases: readonly FrameworkCase[];
    themes: readonly FrameworkTheme[];
    summaries: readonly CellSummary[];
  },
  context: FrameworkContext
): FrameworkProblem[] {
  const problems: FrameworkProblem[] = [];
  const caseIds = new Set<string>();
  document.cases.forEach((c, i) => {
    if (caseIds.has(c.id)) problems.push({ path: `cases[${i}].id`, message: `is used twice (${c.id})` });
    caseIds.add(c.id);
    c.sourceIds.forEach((s, j) => {
      if (!context.sourceIds.has(s))
        problems.push({
          path: `cases[${i}].sourceIds[${j}]`,
          message: 'is not an open transcript of this study',
        });
    });
  });
  const themeIds = new Set<string>();
  document.themes.forEach((t, i) => {
    if (themeIds.has(t.id)) problems.push({ path: `themes[${i}].id`, message: `is used twice (${t.id})` });
    themeIds.add(t.id);
    t.codeIds.forEach((code, j) => {
      if (!context.codeIds.has(code))
        problems.push({ path: `themes[${i}].codeIds[${j}]`, message: 'is not a code of this study' });
    });
  });
  const cells = new Set<string>();
  document.summaries.forEach((s, i) => {
    if (!caseIds.has(s.caseId))
      problems.push({ path: `summaries[${i}].caseId`, message: 'is not a case of the matrix' });
    if (!themeIds.has(s.themeId))
      problems.push({ path: `summaries[${i}].themeId`, message: 'is not a theme of the matrix' });
    const key = `${s.caseId}\u0000${s.themeId}`;
    if (cells.has(key))
      problems.push({ path: `summaries[${i}]`, message: 'summarises a cell that already has a summary' });
    cells.add(key);
  });
  return problems;
}

/**
 * Reflexive thematic analysis (Braun and Clarke, Qual Res Psychol 2006;3:77-101, and their
 * "Thematic analysis: a practical guide", 2021), on the same codes and codings as STC and the
 * framework method. Its six phases, as the document holds them:
 *
 * 1. familiarisation: notes per transcript;
 * 2. coding: the study's codebook and codings (nothing stored here but which codes a theme uses);
 * 3. generating initial themes: candidate themes, each clustering codes;
 * 4. developing and reviewing themes: a theme is reviewed (kept) or discarded, against the coded
 *    extracts and the whole data set;
 * 5. refining, defining and naming: a defined theme has a name, a central organising concept and a
 *    definition;
 * 6. writing up: the analytic text per defined theme with the data extracts it rests on.
 *
 * Themes are the researcher's interpretation, not a count: nothing here scores or ranks a theme by
 * how many codings it has. Extracts are codings (by id), so a withdrawal that removes a coding
 * removes the extract with it; the theme then shows as needing review. A reflexive journal keeps
 * the researcher's reflections on their own position, dated.
 */

export const THEME_STATUSES = ['candidate', 'reviewed', 'defined', 'discarded'] as const;
export type ThemeStatus = (typeof THEME_STATUSES)[number];

export interface FamiliarisationNote {
  sourceId: string;
  notes: string;
}

export interface ThematicTheme {
  id: string;
  name: string;
  status: ThemeStatus;
  /** The central organising concept: what the theme is about, in one sentence. */
  centralConcept: string;
  definition: string;
  codeIds: string[];
  /** Coding ids chosen as data extracts for the write-up. */
  extractCodingIds: string[];
  writeUp: string;
}

export interface JournalEntry {
  /** YYYY-MM-DD */
  date: string;
  text: string;
}

export interface ThematicAnalysis {
  familiarisation: FamiliarisationNote[];
  themes: ThematicTheme[];
  journal: JournalEntry[];
}

export type ThematicProblemReason =
  | 'duplicate-id'
  | 'unknown-source'
  | 'unknown-code'
  | 'unknown-extract'
  | 'extract-outside-theme'
  | 'defined-without-definition'
  | 'theme-without-codes'
  | 'write-up-before-defined';

export interface ThematicProblem {
  phase: 1 | 2 | 3 | 4 | 5 | 6;
  /** Where: `familiarisation[i]`, `themes[i]`, `themes[i].codeIds[j]`, … (the body's own path). */
  path: string;
  reason: ThematicProblemReason;
  message: string;
}

/** What the analysis may point at: the study's open transcripts, codes and codings. */
export interface ThematicContext {
  sourceIds: ReadonlySet<string>;
  codeIds: ReadonlySet<string>;
  /** Coding id → its code. */
  codingCodes: ReadonlyMap<string, string>;
}

/**
 * Every broken link or skipped step: notes on an unknown transcript, a theme clustering an unknown
 * code or none at all (phase 3 needs codes), an extract that is no coding or a coding of a code
 * outside the theme, a theme marked defined without its concept and definition (phase 5), and a
 * write-up for a theme not yet defined (phase 6 comes after 5).
 */
export function thematicProblems(analysis: ThematicAnalysis, context: ThematicContext): ThematicProblem[] {
  const problems: ThematicProblem[] = [];
  const add = (
    phase: ThematicProblem['phase'],
    path: string,
    reason: ThematicProblemReason,
    message: string
  ) => problems.push({ phase, path, reason, message });
  const seen = new Set<string>();
  analysis.familiarisation.forEach((note, i) => {
    if (!context.sourceIds.has(note.sourceId))
      add(1, `familiarisation[${i}].sourceId`, 'unknown-source', 'is not an open transcript of this study');
  });
  analysis.themes.forEach((theme, i) => {
    const at = `themes[${i}]`;
    if (seen.has(theme.id)) add(3, `${at}.id`, 'duplicate-id', `is used twice (${theme.id})`);
    seen.add(theme.id);
    if (theme.status !== 'discarded' && theme.codeIds.length === 0)
      add(3, `${at}.codeIds`, 'theme-without-codes', 'a theme clusters at least one code');
    theme.codeIds.forEach((codeId, j) => {
      if (!context.codeIds.has(codeId))
        add(3, `${at}.codeIds[${j}]`, 'unknown-code', 'is not a code of this study');
    });
    theme.extractCodingIds.forEach((codingId, j) => {
      const code = context.codingCodes.get(codingId);
      if (code === undefined)
        add(6, `${at}.extractCodingIds[${j}]`, 'unknown-extract', 'is not a coding in this study (any more)');
      else if (!theme.codeIds.includes(code))
        add(
          6,
          `${at}.extractCodingIds[${j}]`,
          'extract-outside-theme',
          'is a coding of a code outside the theme'
        );
    });
    if (theme.status === 'defined' && (!theme.centralConcept.trim() || !theme.definition.trim()))
      add(
        5,
        at,
        'defined-without-definition',
        'a defined theme has a central organising concept and a definition'
      );
    if (theme.writeUp.trim() && theme.status !== 'defined')
      add(6, `${at}.writeUp`, 'write-up-before-defined', 'is written for a theme that is not defined yet');
  });
  return problems;
}

/** The phase a theme has reached (3: candidate, 4: reviewed or discarded, 5: defined, 6: written up). */
export function themePhase(theme: ThematicTheme): 3 | 4 | 5 | 6 {
  if (theme.status === 'candidate') return 3;
  if (theme.status === 'reviewed' || theme.status === 'discarded') return 4;
  return theme.writeUp.trim() && theme.extractCodingIds.length > 0 ? 6 : 5;
}

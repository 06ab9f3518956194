import { describe, expect, it } from 'vitest';
import { thematicProblems, themePhase, type ThematicAnalysis, type ThematicTheme } from './reflexive-ta.js';

const context = {
  sourceIds: new Set(['s1']),
  codeIds: new Set(['time', 'manual']),
  codingCodes: new Map([
    ['k1', 'time'],
    ['k2', 'manual'],
  ]),
};

const theme = (over: Partial<ThematicTheme> = {}): ThematicTheme => ({
  id: 't1',
  name: 'Tiden strekker ikke til',
  status: 'candidate',
  centralConcept: '',
  definition: '',
  codeIds: ['time'],
  extractCodingIds: [],
  writeUp: '',
  ...over,
});

const analysis = (themes: ThematicTheme[]): ThematicAnalysis => ({
  familiarisation: [{ sourceId: 's1', notes: 'Mye om tid.' }],
  themes,
  journal: [],
});

describe('reflexive thematic analysis', () => {
  it('accepts a theme taken through the phases in order', () => {
    const done = theme({
      status: 'defined',
      centralConcept: 'Oppfølging konkurrerer med alt annet i en full dag.',
      definition: 'Hvordan legene beskriver tiden.',
      extractCodingIds: ['k1'],
      writeUp: 'Legene beskrev …',
    });
    expect(thematicProblems(analysis([done]), context)).toEqual([]);
    expect(themePhase(done)).toBe(6);
    expect(themePhase(theme())).toBe(3);
    expect(themePhase(theme({ status: 'discarded' }))).toBe(4);
  });

  it('names each broken link and skipped phase by its path', () => {
    const problems = thematicProblems(
      {
        familiarisation: [{ sourceId: 'elsewhere', notes: 'x' }],
        themes: [
          theme({ codeIds: [] }),
          theme({ id: 't2', codeIds: ['nope'], extractCodingIds: ['k2', 'k9'], writeUp: 'For tidlig.' }),
          theme({ id: 't2', status: 'defined' }),
        ],
        journal: [],
      },
      context
    );
    expect(problems.map((p) => [p.phase, p.path, p.reason])).toEqual([
      [1, 'familiarisation[0].sourceId', 'unknown-source'],
      [3, 'themes[0].codeIds', 'theme-without-codes'],
      [3, 'themes[1].codeIds[0]', 'unknown-code'],
      [6, 'themes[1].extractCodingIds[0]', 'extract-outside-theme'],
      [6, 'themes[1].extractCodingIds[1]', 'unknown-extract'],
      [6, 'themes[1].writeUp', 'write-up-before-defined'],
      [3, 'themes[2].id', 'duplicate-id'],
      [5, 'themes[2]', 'defined-without-definition'],
    ]);
  });

  it('lets a discarded theme keep no codes (it is the record of a decision)', () => {
    expect(thematicProblems(analysis([theme({ status: 'discarded', codeIds: [] })]), context)).toEqual([]);
  });
});

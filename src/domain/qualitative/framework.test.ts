import { describe, expect, it } from 'vitest';
import { frameworkProblems } from './framework.js';

describe('frameworkProblems', () => {
  const context = { sourceIds: new Set(['s1', 's2']), codeIds: new Set(['k1']) };
  it('accepts a matrix whose cases, themes and summaries all point at what exists', () => {
    expect(
      frameworkProblems(
        {
          cases: [{ id: 'c1', label: 'Case-1', sourceIds: ['s1', 's2'] }],
          themes: [{ id: 't1', label: 'Tid', codeIds: ['k1'] }],
          summaries: [{ caseId: 'c1', themeId: 't1', text: 'Om tid.' }],
        },
        context
      )
    ).toEqual([]);
  });
  it('names every broken link by its path', () => {
    const problems = frameworkProblems(
      {
        cases: [
          { id: 'c1', label: 'Case-1', sourceIds: ['s9'] },
          { id: 'c1', label: 'Case-2', sourceIds: [] },
        ],
        themes: [{ id: 't1', label: 'Tid', codeIds: ['k9'] }],
        summaries: [
          { caseId: 'c1', themeId: 't1', text: 'a' },
          { caseId: 'c1', themeId: 't1', text: 'b' },
          { caseId: 'c7', themeId: 't7', text: 'c' },
        ],
      },
      context
    );
    expect(problems.map((p) => p.path)).toEqual([
      'cases[0].sourceIds[0]',
      'cases[1].id',
      'themes[0].codeIds[0]',
      'summaries[1]',
      'summaries[2].caseId',
      'summaries[2].themeId',
    ]);
  });
});

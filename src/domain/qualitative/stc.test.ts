import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { frameworkMatrix } from './framework.js';
import {
  lineRange,
  stcProblems,
  stcProgress,
  traceSentence,
  withdrawMeaningUnits,
  type StcAnalysis,
} from './stc.js';

// A de-identified focus-group excerpt; line numbers below are counted by hand.
const FG1 = [
  'Lege A: Jeg rekker det ikke på tjue minutter.', // line 1
  '', // 2
  'Lege B: Manualen ligger et sted i rotet på kontoret.', // 3
  '', // 4
  'Lege A: Pasienten sa aldri noe om modulene.', // 5
].join('\n');
const TEXTS = new Map([['fg1', FG1]]);
const LENGTHS = new Map([['fg1', FG1.length]]);
const at = (s: string) => {
  const start = FG1.indexOf(s);
  return { start, end: start + s.length };
};

const ANALYSIS: StcAnalysis = {
  impressions: [{ sourceId: 'fg1', themes: ['tidspress', 'manualen borte'] }],
  groups: [
    { id: 'g-tid', name: 'Tid og struktur', parentId: null },
    { id: 'g-mod', name: 'Kjennskap til programmet', parentId: null },
    { id: 'sg-manual', name: 'Manualen', parentId: 'g-mod' },
    { id: 'sg-tilbake', name: 'Tilbakemelding fra pasienten', parentId: 'g-mod' },
  ],
  meaningUnits: [
    { id: 'mu1', sourceId: 'fg1', ...at('Jeg rekker det ikke på tjue minutter.'), groupId: 'g-tid' },
    {
      id: 'mu2',
      sourceId: 'fg1',
      ...at('Manualen ligger et sted i rotet på kontoret.'),
      groupId: 'sg-manual',
    },
    { id: 'mu3', sourceId: 'fg1', ...at('Pasienten sa aldri noe om modulene.'), groupId: 'sg-tilbake' },
  ],
  condensates: [
    {
      id: 'c-tid',
      groupId: 'g-tid',
      text: 'Jeg har for liten tid.',
      meaningUnitIds: ['mu1'],
      goldenQuoteId: 'mu1',
    },
    {
      id: 'c-man',
      groupId: 'sg-manual',
      text: 'Jeg finner ikke manualen.',
      meaningUnitIds: ['mu2'],
      goldenQuoteId: 'mu2',
    },
  ],
  synthesis: [
    {
      id: 'p-mod',
      groupId: 'g-mod',
      sentences: [
        { text: 'Legene visste lite om programmet, og manualen var borte.', condensateIds: ['c-man'] },
      ],
    },
  ],
};

describe('stcProblems', () => {
  it('finds nothing wrong with a sound analysis', () => {
    expect(stcProblems(ANALYSIS, LENGTHS)).toEqual([]);
  });

  it('names the step, the item and the reason of every broken link', () => {
    const broken: StcAnalysis = {
      ...ANALYSIS,
      groups: [...ANALYSIS.groups, { id: 'sg-deep', name: 'For dypt', parentId: 'sg-manual' }],
      meaningUnits: [
        ...ANALYSIS.meaningUnits,
        { id: 'mu-out', sourceId: 'fg1', start: 10, end: FG1.length + 1, groupId: null },
        { id: 'mu-nogroup', sourceId: 'fg1', start: 0, end: 5, groupId: 'g-finnes-ikke' },
      ],
      condensates: [
        ...ANALYSIS.condensates,
        { id: 'c-wrong', groupId: 'sg-manual', text: 'Feil.', meaningUnitIds: ['mu1'], goldenQuoteId: 'mu3' },
        { id: 'c-empty', groupId: 'sg-tilbake', text: 'Tom.', meaningUnitIds: [], goldenQuoteId: null },
      ],
      synthesis: [
        {
          id: 'p-tid',
          groupId: 'g-tid',
          sentences: [
            { text: 'Uten grunnlag.', condensateIds: [] },
            { text: 'Feil tema.', condensateIds: ['c-man'] },
          ],
        },
      ],
    };
    expect(stcProblems(broken, LENGTHS).map((p) => [p.step, p.ref, p.reason])).toEqual([
      [2, 'sg-deep', 'subgroup-of-subgroup'],
      [2, 'mu-out', 'outside-source'],
      [2, 'mu-nogroup', 'unknown-group'],
      [3, 'c-wrong', 'meaning-unit-of-another-group'],
      [3, 'c-wrong', 'golden-quote-not-linked'],
      [3, 'c-empty', 'condensate-without-meaning-units'],
      [4, 'p-tid#1', 'sentence-without-condensate'],
      [4, 'p-tid#2', 'condensate-of-another-theme'],
    ]);
  });
});

describe('stcProgress', () => {
  it('tells each code group\u2019s step and what it waits for', () => {
    const progress = stcProgress(ANALYSIS);
    // Tid: meaning unit and condensate with golden quotation, no synthesis yet: step 3.
    // Kjennskap: "Tilbakemelding" has a meaning unit but no condensate, so it stays at step 2
    // even though a synthesis paragraph exists.
    expect(progress.map((p) => [p.groupId, p.step, p.awaitingCondensate])).toEqual([
      ['g-tid', 3, []],
      ['g-mod', 2, ['sg-tilbake']],
    ]);
  });

  it('reaches step 4 when every subgroup is condensed and every sentence rests on a condensate', () => {
    const done: StcAnalysis = {
      ...ANALYSIS,
      condensates: [
        ...ANALYSIS.condensates,
        {
          id: 'c-tb',
          groupId: 'sg-tilbake',
          text: 'Jeg hører ikke fra pasientene.',
          meaningUnitIds: ['mu3'],
          goldenQuoteId: 'mu3',
        },
      ],
    };
    expect(stcProgress(done).find((p) => p.groupId === 'g-mod')!.step).toBe(4);
  });
});

describe('traceSentence', () => {
  it('leads from a synthesis sentence to the condensate, the quotation and its transcript line', () => {
    const [c] = traceSentence(ANALYSIS, TEXTS, 'p-mod', 0);
    expect(c!.condensateId).toBe('c-man');
    expect(c!.meaningUnits).toEqual([
      {
        meaningUnitId: 'mu2',
        sourceId: 'fg1',
        ...at('Manualen ligger et sted i rotet på kontoret.'),
        quote: 'Manualen ligger et sted i rotet på kontoret.',
        lines: { from: 3, to: 3 },
        isGoldenQuote: true,
      },
    ]);
  });

  it('names a sentence that does not exist', () => {
    expect(() => traceSentence(ANALYSIS, TEXTS, 'p-mod', 3)).toThrow(/no sentence 4/);
  });
});

describe('lineRange', () => {
  it('counts lines by hand-checked examples', () => {
    expect(lineRange('ab\ncd\nef', 3, 5)).toEqual({ from: 2, to: 2 });
    expect(lineRange('ab\ncd\nef', 1, 7)).toEqual({ from: 1, to: 3 });
    // A stretch ending just after a newline ends on the newline's line.
    expect(lineRange('ab\ncd', 0, 3)).toEqual({ from: 1, to: 1 });
  });

  it('agrees with counting newlines before each end (property)', () => {
    fc.assert(
      fc.property(
        fc.string({ unit: fc.constantFrom('a', 'b', '\n'), maxLength: 40 }),
        fc.nat(),
        fc.nat(),
        (text, a, b) => {
          if (text.length === 0) return;
          const start = a % text.length;
          const end = start + 1 + (b % (text.length - start));
          const count = (upTo: number) => text.slice(0, upTo).split('\n').length;
          expect(lineRange(text, start, end)).toEqual({ from: count(start), to: count(end - 1) });
        }
      )
    );
  });
});

describe('withdrawMeaningUnits', () => {
  it('removes the units, clears their golden quotations and names the condensates to review', () => {
    const r = withdrawMeaningUnits(ANALYSIS, ['mu2']);
    expect(r.analysis.meaningUnits.map((u) => u.id)).toEqual(['mu1', 'mu3']);
    expect(r.condensatesToReview).toEqual(['c-man']);
    expect(r.condensatesWithoutUnits).toEqual(['c-man']);
    expect(r.analysis.condensates.find((c) => c.id === 'c-man')).toMatchObject({
      meaningUnitIds: [],
      goldenQuoteId: null,
    });
    // The synthesis sentence that rested on it now traces to no quotation.
    expect(traceSentence(r.analysis, TEXTS, 'p-mod', 0)[0]!.meaningUnits).toEqual([]);
    expect(stcProblems(r.analysis, LENGTHS).map((p) => p.reason)).toEqual([
      'condensate-without-meaning-units',
    ]);
  });
});

describe('frameworkMatrix', () => {
  it('charts codings by case and theme, counting overlapping characters once', () => {
    const m = frameworkMatrix({
      cases: [
        { id: 'k1', label: 'Case-1', sourceIds: ['s1', 's2'] },
        { id: 'k2', label: 'Case-2', sourceIds: ['s3'] },
      ],
      themes: [
        { id: 't-skole', label: 'Skole og arbeid', codeIds: ['skole', 'nav'] },
        { id: 't-lege', label: 'Møtet med legen', codeIds: ['lege'] },
      ],
      codings: [
        // Case 1, theme 1: coder A [0,10) and [5,15) overlap: 15 characters; coder B [0,10): 10 more.
        { id: 'a', codeId: 'skole', sourceId: 's1', coderId: 'A', start: 0, end: 10 },
        { id: 'b', codeId: 'nav', sourceId: 's1', coderId: 'A', start: 5, end: 15 },
        { id: 'c', codeId: 'skole', sourceId: 's1', coderId: 'B', start: 0, end: 10 },
        { id: 'd', codeId: 'lege', sourceId: 's3', coderId: 'A', start: 3, end: 4 },
      ],
      summaries: [
        { caseId: 'k1', themeId: 't-skole', text: 'Sluttet på videregående; venter på NAV.' },
        { caseId: 'k1', themeId: 't-lege', text: 'Skrevet før kodingen ble fjernet.' },
      ],
    });
    expect(m.cells.map((row) => row.map((c) => [c.status, c.codedCharacters]))).toEqual([
      [
        ['summarised', 25],
        ['summary-without-data', 0],
      ],
      [
        ['no-data', 0],
        ['needs-summary', 1],
      ],
    ]);
    expect(m.toSummarise).toEqual([{ caseId: 'k2', themeId: 't-lege' }]);
  });
});

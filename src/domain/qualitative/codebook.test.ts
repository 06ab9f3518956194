import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import {
  CodebookError,
  codebookProblems,
  codeTree,
  descendantIds,
  mergeCodes,
  moveCode,
  splitCode,
  uniteOverlaps,
  type Code,
  type Coding,
} from './codebook.js';

// A small codebook in the spirit of the study: two themes with subcodes.
const CODES: Code[] = [
  { id: 'tid', parentId: null, name: 'Tid og struktur' },
  { id: 'tid-kons', parentId: 'tid', name: 'Tid i konsultasjonen' },
  { id: 'tid-oppf', parentId: 'tid', name: 'Planlagte oppfølginger' },
  { id: 'mod', parentId: null, name: 'Kjennskap til modulene' },
  { id: 'mod-man', parentId: 'mod', name: 'Manualen' },
  { id: 'mod-man-rot', parentId: 'mod-man', name: 'Borte i rotet' },
];

const coding = (
  id: string,
  codeId: string,
  start: number,
  end: number,
  coderId = 'A',
  sourceId = 's1'
): Coding => ({
  id,
  codeId,
  sourceId,
  coderId,
  start,
  end,
});

/** Characters a coder coded with one of `codeIds` in a source, as a set of offsets. */
function covered(
  codings: readonly Coding[],
  coderId: string,
  sourceId: string,
  codeIds: readonly string[]
): Set<number> {
  const out = new Set<number>();
  for (const c of codings)
    if (c.coderId === coderId && c.sourceId === sourceId && codeIds.includes(c.codeId))
      for (let i = c.start; i < c.end; i++) out.add(i);
  return out;
}

describe('codebookProblems', () => {
  it('finds nothing wrong with a sound codebook', () => {
    expect(codebookProblems(CODES)).toEqual([]);
  });

  it('names the code and the reason for each problem', () => {
    const problems = codebookProblems([
      ...CODES,
      { id: 'tid', parentId: null, name: 'Igjen' },
      { id: 'x', parentId: 'finnes-ikke', name: 'Foreldreløs' },
      { id: 'y', parentId: 'tid', name: 'tid i KONSULTASJONEN ' },
      { id: 'z', parentId: null, name: '  ' },
    ]).map((p) => [p.codeId, p.reason]);
    expect(problems).toEqual([
      ['tid', 'duplicate-id'],
      ['z', 'empty-name'],
      ['x', 'unknown-parent'],
      ['y', 'duplicate-sibling-name'],
    ]);
  });

  it('finds a cycle of parents', () => {
    const cyclic: Code[] = [
      { id: 'a', parentId: 'b', name: 'A' },
      { id: 'b', parentId: 'a', name: 'B' },
    ];
    expect(codebookProblems(cyclic).map((p) => p.reason)).toEqual(['cycle', 'cycle']);
  });
});

describe('codeTree', () => {
  it('nests codes and sorts siblings by Norwegian collation', () => {
    const tree = codeTree([
      ...CODES,
      { id: 'aa', parentId: null, name: 'Ærlighet' },
      { id: 'ab', parentId: null, name: 'Åpenhet' },
    ]);
    // Norwegian order: … Z, Æ, Ø, Å.
    expect(tree.map((n) => n.name)).toEqual([
      'Kjennskap til modulene',
      'Tid og struktur',
      'Ærlighet',
      'Åpenhet',
    ]);
    expect(tree[0]!.children[0]!.children[0]).toMatchObject({ id: 'mod-man-rot', depth: 2 });
  });
});

describe('moveCode', () => {
  it('moves a subtree and keeps its children with it', () => {
    const moved = moveCode(CODES, 'mod-man', 'tid');
    expect(moved.find((c) => c.id === 'mod-man')!.parentId).toBe('tid');
    expect(descendantIds(moved, 'tid')).toEqual(new Set(['tid-kons', 'tid-oppf', 'mod-man', 'mod-man-rot']));
  });

  it('refuses a move under the code itself or its own subcode', () => {
    expect(() => moveCode(CODES, 'mod', 'mod-man-rot')).toThrow(CodebookError);
    expect(() => moveCode(CODES, 'mod', 'mod')).toThrow(/under itself/);
  });

  it('refuses a move that gives two siblings the same name', () => {
    const codes = [...CODES, { id: 'm2', parentId: 'mod', name: 'Tid i konsultasjonen' }];
    expect(() => moveCode(codes, 'm2', 'tid')).toThrow(/same parent/);
  });

  it('never leaves a cycle, whatever is moved where (property)', () => {
    fc.assert(
      fc.property(
        fc.constantFrom(...CODES.map((c) => c.id)),
        fc.option(fc.constantFrom(...CODES.map((c) => c.id)), { nil: null }),
        (id, parent) => {
          try {
            const moved = moveCode(CODES, id, parent);
            expect(codebookProblems(moved)).toEqual([]);
          } catch (e) {
            expect(e).toBeInstanceOf(CodebookError);
            expect(parent === id || (parent !== null && descendantIds(CODES, id).has(parent))).toBe(true);
          }
        }
      )
    );
  });
});

describe('mergeCodes', () => {
  it('relabels, unites a coder\u2019s overlapping segments, and keeps the other coder apart', () => {
    // Coder A: "into" covers [10, 20), "from" [15, 30) and [40, 45): after the merge [10, 30) and [40, 45).
    // Coder B: "from" [12, 18) stays a segment of its own (agreement needs the coders apart).
    const codings = [
      coding('1', 'tid-kons', 10, 20),
      coding('2', 'tid-oppf', 15, 30),
      coding('3', 'tid-oppf', 40, 45),
      coding('4', 'tid-oppf', 12, 18, 'B'),
      coding('5', 'mod', 0, 100),
    ];
    const r = mergeCodes(CODES, codings, 'tid-oppf', 'tid-kons');
    expect(r.codes.map((c) => c.id)).not.toContain('tid-oppf');
    expect(r.relabelled).toBe(3);
    expect(r.united).toBe(1);
    const sorted = [...r.codings].sort((a, b) => a.coderId.localeCompare(b.coderId) || a.start - b.start);
    expect(sorted.map((c) => [c.coderId, c.codeId, c.start, c.end])).toEqual([
      ['A', 'mod', 0, 100],
      ['A', 'tid-kons', 10, 30],
      ['A', 'tid-kons', 40, 45],
      ['B', 'tid-kons', 12, 18],
    ]);
  });

  it('moves the merged code\u2019s subcodes under the code it is merged into', () => {
    const r = mergeCodes(CODES, [], 'mod-man', 'tid');
    expect(r.codes.find((c) => c.id === 'mod-man-rot')!.parentId).toBe('tid');
  });

  it('refuses merging a code into itself or into its own subcode', () => {
    expect(() => mergeCodes(CODES, [], 'tid', 'tid')).toThrow(/itself/);
    expect(() => mergeCodes(CODES, [], 'mod', 'mod-man-rot')).toThrow(/own subcode/);
    expect(() => mergeCodes(CODES, [], 'nope', 'tid')).toThrow(/does not exist/);
  });

  it('keeps every coded character of both codes for every coder and source (property)', () => {
    const codingArb = fc
      .record({
        codeId: fc.constantFrom('tid-kons', 'tid-oppf', 'mod'),
        coderId: fc.constantFrom('A', 'B', 'C'),
        sourceId: fc.constantFrom('s1', 's2'),
        start: fc.integer({ min: 0, max: 60 }),
        length: fc.integer({ min: 0, max: 25 }),
      })
      .map((c) => ({
        codeId: c.codeId,
        coderId: c.coderId,
        sourceId: c.sourceId,
        start: c.start,
        end: c.start + c.length,
      }));
    fc.assert(
      fc.property(fc.array(codingArb, { maxLength: 30 }), (raw) => {
        const codings = raw.map((c, i) => ({ ...c, id: `c${i}` }));
        const r = mergeCodes(CODES, codings, 'tid-oppf', 'tid-kons');
        for (const coder of ['A', 'B', 'C'])
          for (const source of ['s1', 's2']) {
            expect(covered(r.codings, coder, source, ['tid-kons'])).toEqual(
              covered(codings, coder, source, ['tid-kons', 'tid-oppf'])
            );
            expect(covered(r.codings, coder, source, ['mod'])).toEqual(
              covered(codings, coder, source, ['mod'])
            );
          }
        expect(r.codings.some((c) => c.codeId === 'tid-oppf')).toBe(false);
      })
    );
  });
});

describe('uniteOverlaps', () => {
  it('unites touching segments ([0,5) and [5,8) cover [0,8)) but not separated ones', () => {
    const r = uniteOverlaps([coding('a', 'x', 0, 5), coding('b', 'x', 5, 8), coding('c', 'x', 9, 10)]);
    expect(r.codings.map((c) => [c.id, c.start, c.end])).toEqual([
      ['a', 0, 8],
      ['c', 9, 10],
    ]);
    expect(r.united).toBe(1);
  });
});

describe('splitCode', () => {
  it('adds a sibling and moves only the chosen codings', () => {
    const codings = [coding('1', 'mod-man', 0, 10), coding('2', 'mod-man', 20, 30), coding('3', 'tid', 0, 5)];
    const r = splitCode(CODES, codings, 'mod-man', { id: 'mod-kurs', name: 'Kurs og opplæring' }, ['2']);
    expect(r.codes.find((c) => c.id === 'mod-kurs')!.parentId).toBe('mod');
    expect(r.codings.map((c) => [c.id, c.codeId])).toEqual([
      ['1', 'mod-man'],
      ['2', 'mod-kurs'],
      ['3', 'tid'],
    ]);
    expect(r.moved).toBe(1);
  });

  it('refuses to move a coding of another code, and a new name a sibling already has', () => {
    const codings = [coding('1', 'mod-man', 0, 10), coding('3', 'tid', 0, 5)];
    expect(() => splitCode(CODES, codings, 'mod-man', { id: 'n', name: 'Ny' }, ['3'])).toThrow(
      /not a coding of code mod-man/
    );
    expect(() => splitCode(CODES, codings, 'mod-man', { id: 'n', name: 'manualen' }, [])).toThrow(
      /same parent/
    );
  });
});

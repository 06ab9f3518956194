import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { findUnsafeText, LONE_SURROGATE_REASON, NUL_REASON, textProblem } from './text-safety.js';

describe('textProblem', () => {
  it.each([
    ['plain text', 'Jeg har sovet dårlig', null],
    ['emoji (a surrogate pair)', 'ok 😀 ok', null],
    ['the replacement character itself', '\uFFFD', null],
    ['a NUL', 'a\u0000b', NUL_REASON],
    ['a lone high surrogate', 'a\uD800b', LONE_SURROGATE_REASON],
    ['a lone high surrogate at the end', 'a\uD83D', LONE_SURROGATE_REASON],
    ['a lone low surrogate', '\uDC00x', LONE_SURROGATE_REASON],
    ['a reversed pair', '\uDE00\uD83D', LONE_SURROGATE_REASON],
  ])('%s', (_name, text, expected) => {
    expect(textProblem(text)).toBe(expected);
  });

  it('accepts exactly the strings that survive a UTF-8 round trip and hold no NUL', () => {
    fc.assert(
      fc.property(fc.string({ unit: 'binary', maxLength: 40 }), (text) => {
        const roundTrips = new TextDecoder().decode(new TextEncoder().encode(text)) === text;
        expect(textProblem(text) === null).toBe(roundTrips && !text.includes('\u0000'));
      }),
      { numRuns: 2000 }
    );
  });

  it('finds a lone surrogate or NUL wherever it is inserted into valid text', () => {
    fc.assert(
      fc.property(
        fc.string({ unit: 'grapheme', maxLength: 20 }),
        fc.string({ unit: 'grapheme', maxLength: 20 }),
        fc.constantFrom('\u0000', '\uD800', '\uDBFF', '\uDC00', '\uDFFF'),
        (before, after, bad) => {
          expect(textProblem(before + bad + after)).not.toBeNull();
        }
      )
    );
  });
});

describe('findUnsafeText', () => {
  it('names each bad field by its path, as validation errors do', () => {
    expect(
      findUnsafeText({
        note: 'x\u0000',
        answers: { thoughts: '\uD800', list: ['ok', 'fine\uDFFF'] },
        items: [{ text: 'ok' }, { text: '\u0000' }],
        fine: 'ok',
        n: 3,
        nothing: null,
      })
    ).toEqual([
      { field: 'note', reason: NUL_REASON },
      { field: 'answers.thoughts', reason: LONE_SURROGATE_REASON },
      { field: 'answers.list[1]', reason: LONE_SURROGATE_REASON },
      { field: 'items[1].text', reason: NUL_REASON },
    ]);
  });

  it('checks property names too, without echoing them', () => {
    expect(findUnsafeText({ answers: { 'a\u0000': 'x' } })).toEqual([
      { field: 'answers', reason: `has a property name that ${NUL_REASON}` },
    ]);
  });

  it('names a bare string by its root, and refuses hostile nesting', () => {
    expect(findUnsafeText('\u0000')).toEqual([{ field: 'body', reason: NUL_REASON }]);
    expect(findUnsafeText('\uD800', '', 'lessonId')).toEqual([
      { field: 'lessonId', reason: LONE_SURROGATE_REASON },
    ]);
    let deep: unknown = '\u0000';
    for (let i = 0; i < 100; i++) deep = [deep];
    expect(findUnsafeText(deep)).toHaveLength(1);
  });

  it('finds nothing in JSON made of well-formed text, and something once a NUL is added', () => {
    fc.assert(
      fc.property(fc.jsonValue({ stringUnit: 'grapheme' }), (value) => {
        expect(findUnsafeText(value)).toEqual([]);
        expect(findUnsafeText({ wrapped: [value, 'x\u0000'] })).toEqual([
          { field: 'wrapped[1]', reason: NUL_REASON },
        ]);
      })
    );
  });
});

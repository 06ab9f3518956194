import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { nextWordEnd, nextWordStart, previousWordEnd, previousWordStart, stretchesOf } from './text-spans.js';

describe('stretchesOf', () => {
  it('cuts a turn at the codings inside it and names the codings covering each stretch', () => {
    expect(
      stretchesOf(10, 30, [
        { id: 'a', start: 5, end: 15 },
        { id: 'b', start: 12, end: 20 },
        { id: 'c', start: 40, end: 50 },
      ])
    ).toEqual([
      { start: 10, end: 12, covering: ['a'] },
      { start: 12, end: 15, covering: ['a', 'b'] },
      { start: 15, end: 20, covering: ['b'] },
      { start: 20, end: 30, covering: [] },
    ]);
  });

  it('covers the turn exactly, and a character is covered by exactly the codings that contain it', () => {
    const coding = fc
      .tuple(fc.integer({ min: 0, max: 60 }), fc.integer({ min: 1, max: 30 }))
      .map(([start, length]) => ({ start, end: start + length }));
    fc.assert(
      fc.property(
        fc.integer({ min: 0, max: 40 }),
        fc.integer({ min: 1, max: 40 }),
        fc.array(coding, { maxLength: 8 }),
        (start, length, spans) => {
          const end = start + length;
          const codings = spans.map((s, i) => ({ ...s, id: `c${i}` }));
          const stretches = stretchesOf(start, end, codings);
          expect(stretches[0]!.start).toBe(start);
          expect(stretches.at(-1)!.end).toBe(end);
          for (let i = 1; i < stretches.length; i++) expect(stretches[i]!.start).toBe(stretches[i - 1]!.end);
          for (const s of stretches)
            for (let ch = s.start; ch < s.end; ch++)
              expect(s.covering).toEqual(codings.filter((c) => c.start <= ch && c.end > ch).map((c) => c.id));
        }
      )
    );
  });
});

describe('moving a selection by word', () => {
  const text = 'Jeg rekker ikke, egentlig.';
  it('moves the end to the end of the next or previous word', () => {
    expect(nextWordEnd(text, 0)).toBe(3);
    expect(nextWordEnd(text, 3)).toBe(10);
    expect(nextWordEnd(text, 11)).toBe(15);
    expect(previousWordEnd(text, 15)).toBe(10);
    expect(previousWordEnd(text, 10)).toBe(3);
    expect(nextWordEnd(text, 25)).toBe(26);
  });
  it('moves the start to the start of the next or previous word', () => {
    expect(nextWordStart(text, 0)).toBe(4);
    expect(nextWordStart(text, 4)).toBe(11);
    expect(previousWordStart(text, 11)).toBe(4);
    expect(previousWordStart(text, 4)).toBe(0);
  });
  it('never leaves the bounds it is given', () => {
    fc.assert(
      fc.property(fc.string({ maxLength: 40 }), fc.nat(), (s, n) => {
        const at = s.length === 0 ? 0 : n % (s.length + 1);
        for (const v of [nextWordEnd(s, at), nextWordStart(s, at)])
          expect(v >= at && v <= s.length).toBe(true);
        for (const v of [previousWordEnd(s, at), previousWordStart(s, at)])
          expect(v >= 0 && v <= at).toBe(true);
      })
    );
  });
});

import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { applyReplacements, mapRange } from './deidentify.js';
import {
  remapAfterRemoval,
  remapAfterReplacements,
  type AppliedReplacement,
  type TurnMove,
} from './offset-remap.js';

const SEP = '\n\n';

/** Turns joined as a transcript is, and the same with some removed; the moves between them. */
function removeTurns(pieces: readonly string[], removed: ReadonlySet<number>) {
  let before = '';
  let after = '';
  const moves: TurnMove[] = [];
  pieces.forEach((piece, i) => {
    if (i > 0) before += SEP;
    const start = before.length;
    before += piece;
    if (removed.has(i)) {
      moves.push({ start, end: before.length, newStart: null });
      return;
    }
    if (after.length > 0 || moves.some((m) => m.newStart !== null)) after += SEP;
    moves.push({ start, end: before.length, newStart: after.length });
    after += piece;
  });
  return { before, after, moves };
}

describe('remapAfterRemoval', () => {
  // "A1" "B2" "C3" joined: A1␤␤B2␤␤C3 (offsets 0-2, 4-6, 8-10); B2 withdraws: A1␤␤C3.
  const { before, after, moves } = removeTurns(['A1', 'B2', 'C3'], new Set([1]));

  it('moves a stretch after the removed turn back by the turn and its separator', () => {
    expect(before).toBe('A1\n\nB2\n\nC3');
    expect(after).toBe('A1\n\nC3');
    const remap = remapAfterRemoval(moves);
    expect(remap(8, 10)).toEqual({ start: 4, end: 6 });
    expect(remap(0, 2)).toEqual({ start: 0, end: 2 });
  });

  it('drops a stretch that touches the removed turn anywhere', () => {
    const remap = remapAfterRemoval(moves);
    expect(remap(4, 5)).toBeNull();
    expect(remap(1, 9)).toBeNull(); // A1 … C3 across B2
    expect(remap(5, 10)).toBeNull();
  });

  it('trims an end that lies in a separator to the kept text', () => {
    const remap = remapAfterRemoval(moves);
    // "C3" with the separator before it: the separator sits between B2 (removed) and C3
    const kept = removeTurns(['A1', 'B2', 'C3'], new Set());
    const none = remapAfterRemoval(kept.moves);
    expect(none(2, 6)).toEqual({ start: 4, end: 6 });
    expect(remap(2, 4)).toBeNull(); // only a separator
  });

  it('keeps the text of every stretch that does not touch a removed turn (property)', () => {
    fc.assert(
      fc.property(
        fc.array(fc.string({ minLength: 1, maxLength: 6 }), { minLength: 1, maxLength: 8 }),
        fc.array(fc.boolean(), { minLength: 8, maxLength: 8 }),
        fc.nat(),
        fc.nat(),
        (pieces, drop, a, b) => {
          const removed = new Set(pieces.map((_, i) => i).filter((i) => drop[i]));
          const { before, after, moves } = removeTurns(pieces, removed);
          const start = a % (before.length + 1);
          const end = start + (b % (before.length - start + 1));
          const result = remapAfterRemoval(moves)(start, end);
          const touchesRemoved = moves.some((m) => m.newStart === null && m.start < end && m.end > start);
          const inText = moves.some((m) => m.newStart !== null && m.start < end && m.end > start);
          if (end === start || touchesRemoved || !inText) {
            expect(result).toBeNull();
            return;
          }
          expect(result).not.toBeNull();
          // the stretch's text, trimmed to the turns it lies in, is the same before and after
          const first = moves.find((m) => m.newStart !== null && m.end > start)!;
          const last = [...moves].reverse().find((m) => m.newStart !== null && m.start < end)!;
          const expected = before.slice(Math.max(start, first.start), Math.min(end, last.end));
          expect(after.slice(result!.start, result!.end)).toBe(expected);
        }
      )
    );
  });
});

/**
 * A text cut into pieces, some kept and some replaced (as de-identification does): the original,
 * the new text and the replacements, non-overlapping (two replaced pieces may touch).
 */
type Piece = { keep: string } | { original: string; replacement: string };
const piece: fc.Arbitrary<Piece> = fc.oneof(
  fc.record({ keep: fc.string({ minLength: 1, maxLength: 6 }) }),
  fc.record({
    original: fc.string({ minLength: 1, maxLength: 6 }),
    replacement: fc.oneof(fc.constantFrom('[Lege A]', '[Kommune 1]', '', 'X'), fc.string({ maxLength: 4 })),
  })
);

function deidentified(pieces: readonly Piece[]) {
  let before = '';
  let after = '';
  const replacements: AppliedReplacement[] = [];
  for (const p of pieces) {
    if ('keep' in p) {
      before += p.keep;
      after += p.keep;
      continue;
    }
    replacements.push({
      start: before.length,
      end: before.length + p.original.length,
      replacement: p.replacement,
    });
    before += p.original;
    after += p.replacement;
  }
  return { before, after, replacements };
}

/** A stretch [start, end) of a text of length n from two arbitrary naturals. */
const stretchOf = (n: number, a: number, b: number) => {
  const start = a % (n + 1);
  return { start, end: start + (b % (n - start + 1)) };
};

describe('remapAfterReplacements', () => {
  // "Kari Hansen ringte fra Fjellvik." → "[Lege A] ringte fra [Kommune 1]."
  const before = 'Kari Hansen ringte fra Fjellvik.';
  const name = { start: 0, end: 11, replacement: '[Lege A]' };
  const place = { start: 23, end: 31, replacement: '[Kommune 1]' };
  const after = '[Lege A] ringte fra [Kommune 1].';
  const remap = remapAfterReplacements([place, name]);
  const moved = (start: number, end: number) => {
    const r = remap(start, end);
    return r && after.slice(r.start, r.end);
  };

  it('moves text outside the replacements by the length they changed', () => {
    expect(moved(before.indexOf('ringte'), before.indexOf('ringte') + 6)).toBe('ringte');
    expect(moved(31, 32)).toBe('.');
  });

  it('snaps an end inside a replaced name outward to the whole replacement', () => {
    expect(moved(5, 18)).toBe('[Lege A] ringte'); // from inside "Hansen"
    expect(moved(12, 27)).toBe('ringte fra [Kommune 1]'); // to inside "Fjellvik"
    expect(moved(2, 3)).toBe('[Lege A]');
  });

  it('gives null for an empty stretch and one that vanishes with a replacement by nothing', () => {
    expect(remap(4, 4)).toBeNull();
    expect(remapAfterReplacements([{ start: 0, end: 5, replacement: '' }])(1, 3)).toBeNull();
  });

  it('refuses overlapping replacements', () => {
    expect(() => remapAfterReplacements([name, { start: 5, end: 12, replacement: 'x' }])).toThrow(RangeError);
  });

  it('is the identity without replacements (property)', () => {
    fc.assert(
      fc.property(fc.nat(200), fc.nat(200), (a, b) => {
        const result = remapAfterReplacements([])(a, b);
        expect(result).toEqual(b > a ? { start: a, end: b } : null);
      })
    );
  });

  it('keeps the text of a stretch outside the replacements exactly, and stays in the new text (property)', () => {
    fc.assert(
      fc.property(fc.array(piece, { maxLength: 10 }), fc.nat(), fc.nat(), (pieces, a, b) => {
        const { before, after, replacements } = deidentified(pieces);
        const { start, end } = stretchOf(before.length, a, b);
        const result = remapAfterReplacements(replacements)(start, end);
        if (result === null) return;
        expect(0 <= result.start && result.start < result.end && result.end <= after.length).toBe(true);
        if (!replacements.some((r) => r.start < end && r.end > start))
          expect(after.slice(result.start, result.end)).toBe(before.slice(start, end));
      })
    );
  });

  it('covers exactly the stretch widened to whole replaced spans, de-identified (property)', () => {
    fc.assert(
      fc.property(fc.array(piece, { maxLength: 10 }), fc.nat(), fc.nat(), (pieces, a, b) => {
        const { before, after, replacements } = deidentified(pieces);
        const { start, end } = stretchOf(before.length, a, b);
        const result = remapAfterReplacements(replacements)(start, end);
        // widen each end that lies inside a replaced span to that span's edge
        const from = replacements.find((r) => r.start < start && start < r.end)?.start ?? start;
        const to = replacements.find((r) => r.start < end && end < r.end)?.end ?? end;
        // the widened stretch with the replacements inside it written
        let expected = '';
        let at = from;
        for (const r of replacements.filter((r) => r.start >= from && r.end <= to)) {
          expected += before.slice(at, r.start) + r.replacement;
          at = r.end;
        }
        expected += before.slice(at, to);
        if (expected === '' || !(end > start)) expect(result).toBeNull();
        else expect(after.slice(result!.start, result!.end)).toBe(expected);
      })
    );
  });

  it("agrees with the de-identification's own offset map, so codings move as turns do (property)", () => {
    fc.assert(
      fc.property(fc.array(piece, { maxLength: 10 }), fc.nat(), fc.nat(), (pieces, a, b) => {
        const { before, after, replacements } = deidentified(pieces);
        const { start, end } = stretchOf(before.length, a, b);
        const applied = applyReplacements(before, replacements);
        expect(applied.text).toBe(after);
        const viaMap = mapRange(applied.map, { start, end });
        const result = remapAfterReplacements(replacements)(start, end);
        expect(result).toEqual(viaMap.end > viaMap.start && end > start ? viaMap : null);
      })
    );
  });
});

import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { remapAfterRemoval, type TurnMove } from './offset-remap.js';

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

/**
 * Where a stretch of transcript text lies after some speaker turns were removed (a withdrawal):
 * the remaining turns are joined again and every later offset moves. Everything that points into a
 * transcript by offsets (codings, STC meaning units, memos on segments) is moved with one rule:
 *
 * - a stretch that overlaps a removed turn anywhere is gone (it may hold the withdrawn person's
 *   words, even if it also spans others');
 * - any other stretch keeps its text: its ends move with the turns they lie in; an end in the
 *   separator between two turns moves to the nearest kept turn's edge, inward.
 */

/** A turn of the text before the removal, and where it starts afterwards (null: removed). */
export interface TurnMove {
  start: number;
  end: number;
  /** Its start in the new text; null when the turn was removed. */
  newStart: number | null;
}

export type Remap = (start: number, end: number) => { start: number; end: number } | null;

/** The mapping for a text whose turns moved as `moves` says (in text order, not overlapping). */
export function remapAfterRemoval(moves: readonly TurnMove[]): Remap {
  const turns = [...moves].sort((a, b) => a.start - b.start);
  return (start, end) => {
    if (!(end > start)) return null;
    // any removed turn overlapping [start, end) takes the stretch with it
    if (turns.some((t) => t.newStart === null && t.start < end && t.end > start)) return null;
    const kept = turns.filter((t) => t.newStart !== null && t.end > t.start);
    // the first kept turn that ends after `start`, the last that starts before `end`
    const first = kept.find((t) => t.end > start);
    const last = [...kept].reverse().find((t) => t.start < end);
    if (!first || !last || first.start >= end || last.end <= start) return null;
    const from = Math.max(start, first.start);
    const to = Math.min(end, last.end);
    const newFrom = first.newStart! + (from - first.start);
    const newTo = last.newStart! + (to - last.start);
    return newTo > newFrom ? { start: newFrom, end: newTo } : null;
  };
}

/** A replacement de-identification wrote: the span of the original text and the text put there. */
export interface AppliedReplacement {
  start: number;
  end: number;
  replacement: string;
}

/**
 * Where a stretch of the original text lies after de-identification wrote `replacements` into it
 * (spans of the original, not overlapping; `[Lege A]` for `Kari Hansen`). Used to lay codings
 * that waited for the review (an imported project's) onto the de-identified text:
 *
 * - an end outside every replaced span moves by the lengths the replacements before it added or
 *   took away, so text outside the replacements is the same text afterwards;
 * - an end inside a replaced span snaps outward to cover the whole replacement (a coding of
 *   "Hansen" covers "[Lege A]": never half a label, never a piece of the name);
 * - a stretch that comes out empty (an empty stretch, or one inside a replacement by nothing) is
 *   null.
 *
 * Throws a RangeError for overlapping or empty spans (a programming error: the replacements come
 * from an applied review). Each call of the result is O(log n).
 */
export function remapAfterReplacements(replacements: readonly AppliedReplacement[]): Remap {
  const spans = [...replacements].sort((a, b) => a.start - b.start);
  const newStart: number[] = [];
  const newEnd: number[] = [];
  let shift = 0;
  spans.forEach((r, i) => {
    if (!(Number.isInteger(r.start) && Number.isInteger(r.end) && r.start >= 0 && r.end > r.start))
      throw new RangeError(`replacement ${r.start}-${r.end} is not a span of the text`);
    if (i > 0 && r.start < spans[i - 1]!.end)
      throw new RangeError(`replacement ${r.start}-${r.end} overlaps the one before it`);
    newStart.push(r.start + shift);
    newEnd.push(r.start + shift + r.replacement.length);
    shift += r.replacement.length - (r.end - r.start);
  });
  /** The offset in the new text; `bias` says which edge of a replacement an offset inside takes. */
  const map = (offset: number, bias: 'start' | 'end'): number => {
    // the last replacement starting before the offset (binary search: sorted, disjoint)
    let lo = 0;
    let hi = spans.length;
    while (lo < hi) {
      const mid = (lo + hi) >> 1;
      if (spans[mid]!.start < offset) lo = mid + 1;
      else hi = mid;
    }
    if (lo === 0) return offset;
    const r = spans[lo - 1]!;
    if (offset < r.end) return bias === 'start' ? newStart[lo - 1]! : newEnd[lo - 1]!;
    return offset + newEnd[lo - 1]! - r.end;
  };
  return (start, end) => {
    if (!(end > start)) return null;
    const from = map(start, 'start');
    const to = map(end, 'end');
    return to > from ? { start: from, end: to } : null;
  };
}

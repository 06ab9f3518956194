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

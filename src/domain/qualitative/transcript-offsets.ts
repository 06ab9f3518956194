/**
 * Where a position in a transcript's raw text (as another tool stored it: speaker labels, times and
 * line breaks inline) lies in the parsed transcript's text (labels and times are metadata here,
 * turns joined by a blank line; transcript.ts). Needed to bring another tool's codings, whose
 * offsets are into the raw text, onto the transcript this platform stores.
 *
 * The map is built by finding each line of each turn, in order, in the raw text, after the turn's
 * speaker label. A raw position in
 * a found line maps to the same character; one outside every line (in a label, a time, the blank
 * between turns) snaps inward: a start to the next line's start, an end to the previous line's
 * end. A line the search cannot find (the parser changed it, e.g. Unicode normalisation) is left
 * out, so positions in it do not map and the caller reports them instead of guessing.
 */
import type { Transcript } from './transcript.js';

interface Piece {
  rawStart: number;
  textStart: number;
  length: number;
}

export interface RawOffsetMap {
  /** A raw range as a range of the transcript text; null when nothing of it maps. */
  range(start: number, end: number): { start: number; end: number } | null;
  /** How many of the transcript's lines were found in the raw text, of how many. */
  found: number;
  lines: number;
}

export function rawOffsetMap(raw: string, transcript: Transcript): RawOffsetMap {
  const pieces: Piece[] = [];
  let cursor = 0;
  let lines = 0;
  for (const turn of transcript.turns) {
    // Past the turn's speaker label first: a short word of speech ("a") must not be found inside
    // the label ("Moderator") and map there.
    if (turn.speaker) {
      const label = raw.indexOf(turn.speaker, cursor);
      if (label >= 0) cursor = label + turn.speaker.length;
    }
    let textAt = turn.start;
    for (const line of transcript.text.slice(turn.start, turn.end).split('\n')) {
      lines++;
      if (line.length > 0) {
        const at = raw.indexOf(line, cursor);
        if (at >= 0) {
          pieces.push({ rawStart: at, textStart: textAt, length: line.length });
          cursor = at + line.length;
        }
      }
      textAt += line.length + 1;
    }
  }
  return {
    found: pieces.length,
    lines,
    range(start, end) {
      if (!(end > start)) return null;
      // the first piece ending after `start`, and the last starting before `end`
      const first = pieces.find((p) => p.rawStart + p.length > start);
      const last = [...pieces].reverse().find((p) => p.rawStart < end);
      if (!first || !last || first.rawStart >= end || last.rawStart + last.length <= start) return null;
      const from = first.textStart + Math.max(0, start - first.rawStart);
      const to = last.textStart + Math.min(last.length, end - last.rawStart);
      return to > from ? { start: from, end: to } : null;
    },
  };
}

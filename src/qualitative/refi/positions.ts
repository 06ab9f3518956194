/**
 * Character positions between the platform (UTF-16 code units, JavaScript string indices) and
 * REFI-QDA files (Unicode code points of the plain text; docs/qualitative/exchange.md, "Positions").
 *
 * Norwegian letters (æ ø å, NFC) are one unit in both; an emoji outside the Basic Multilingual Plane
 * (😊, U+1F60A) is two UTF-16 units and one code point, so every position after it differs by one.
 */

import { RefiError } from './model.js';

/** Code-point offset of a UTF-16 offset; refuses an offset inside a surrogate pair. */
export function utf16ToCodePoint(text: string, offset: number): number {
  if (!Number.isInteger(offset) || offset < 0 || offset > text.length) {
    throw new RangeError(`offset ${String(offset)} is outside the text (length ${String(text.length)})`);
  }
  let points = 0;
  for (let i = 0; i < offset; i++) {
    const unit = text.charCodeAt(i);
    if (unit >= 0xd800 && unit <= 0xdbff && i + 1 < text.length) {
      const next = text.charCodeAt(i + 1);
      if (next >= 0xdc00 && next <= 0xdfff) {
        if (i + 1 === offset) throw new RangeError(`offset ${String(offset)} splits a surrogate pair`);
        i++;
      }
    }
    points++;
  }
  return points;
}

/** UTF-16 offset of a code-point offset. */
export function codePointToUtf16(text: string, points: number): number {
  let offset = 0;
  let seen = 0;
  while (seen < points) {
    if (offset >= text.length) {
      throw new RefiError(
        `position ${String(points)} is beyond the end of the text (${String(seen)} characters)`
      );
    }
    const cp = text.codePointAt(offset)!;
    offset += cp > 0xffff ? 2 : 1;
    seen++;
  }
  return offset;
}

export interface OffsetMapper {
  toCodePoint(offset: number): number;
  toUtf16(points: number): number;
}

/**
 * Converts many offsets of one text: O(log p) per offset after one pass over the text (p = number
 * of characters outside the BMP); identity when there are none, as in most transcripts.
 */
export function offsetMapper(text: string): OffsetMapper {
  // UTF-16 offsets of the high surrogate of each well-formed pair.
  const pairs: number[] = [];
  for (let i = 0; i < text.length - 1; i++) {
    const unit = text.charCodeAt(i);
    if (unit >= 0xd800 && unit <= 0xdbff) {
      const next = text.charCodeAt(i + 1);
      if (next >= 0xdc00 && next <= 0xdfff) {
        pairs.push(i);
        i++;
      }
    }
  }
  const pointLength = text.length - pairs.length;
  /** Number of elements of `sorted` for which `test` holds (a prefix). */
  const countWhile = (test: (value: number, index: number) => boolean): number => {
    let lo = 0;
    let hi = pairs.length;
    while (lo < hi) {
      const mid = (lo + hi) >> 1;
      if (test(pairs[mid]!, mid)) lo = mid + 1;
      else hi = mid;
    }
    return lo;
  };
  return {
    toCodePoint(offset: number): number {
      if (!Number.isInteger(offset) || offset < 0 || offset > text.length) {
        throw new RangeError(`offset ${String(offset)} is outside the text (length ${String(text.length)})`);
      }
      const before = countWhile((p) => p < offset);
      if (before > 0 && pairs[before - 1]! + 1 === offset) {
        throw new RangeError(`offset ${String(offset)} splits a surrogate pair`);
      }
      return offset - before;
    },
    toUtf16(points: number): number {
      if (!Number.isInteger(points) || points < 0 || points > pointLength) {
        throw new RefiError(
          `position ${String(points)} is outside the text (${String(pointLength)} characters)`
        );
      }
      // The pair at UTF-16 offset p starts at code point p − index; pairs starting before `points` add one unit each.
      return points + countWhile((p, index) => p - index < points);
    },
  };
}

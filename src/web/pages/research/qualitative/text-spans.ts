/**
 * The arithmetic of the coding page, apart from React and the DOM so it can be tested alone:
 * cutting a turn into stretches by the codings that cover them (for highlighting), and moving a
 * selection's ends word by word (for coding with the keyboard).
 */

export interface Span {
  start: number;
  end: number;
}

export interface Stretch extends Span {
  /** The ids of the codings covering every character of the stretch (empty: not coded). */
  covering: string[];
}

/**
 * [start, end) cut at every coding boundary inside it; each stretch lists the codings covering it.
 * Stretches are contiguous, in order and together cover [start, end) exactly.
 */
export function stretchesOf(
  start: number,
  end: number,
  codings: ReadonlyArray<Span & { id: string }>
): Stretch[] {
  const inside = codings.filter((c) => c.start < end && c.end > start);
  const cuts = new Set<number>([start, end]);
  for (const c of inside) {
    if (c.start > start) cuts.add(c.start);
    if (c.end < end) cuts.add(c.end);
  }
  const points = [...cuts].sort((a, b) => a - b);
  const out: Stretch[] = [];
  for (let i = 0; i + 1 < points.length; i++) {
    const from = points[i]!;
    const to = points[i + 1]!;
    out.push({
      start: from,
      end: to,
      covering: inside.filter((c) => c.start <= from && c.end >= to).map((c) => c.id),
    });
  }
  return out;
}

const WORD = /[\p{L}\p{N}]/u;
const isWord = (ch: string | undefined) => ch !== undefined && WORD.test(ch);

/** The end of the next word after `at` (or `limit`): where Shift+→ takes the selection's end. */
export function nextWordEnd(text: string, at: number, limit = text.length): number {
  let i = at;
  while (i < limit && !isWord(text[i])) i++;
  while (i < limit && isWord(text[i])) i++;
  return i;
}

/** The end of the word before `at` (or `floor`): where Shift+← takes the selection's end. */
export function previousWordEnd(text: string, at: number, floor = 0): number {
  let i = at;
  // step back over the word we end in, then over the gap before it
  while (i > floor && isWord(text[i - 1])) i--;
  while (i > floor && !isWord(text[i - 1])) i--;
  return i;
}

/** The start of the next word after `at`: where Alt+Shift+→ takes the selection's start. */
export function nextWordStart(text: string, at: number, limit = text.length): number {
  let i = at;
  while (i < limit && isWord(text[i])) i++;
  while (i < limit && !isWord(text[i])) i++;
  return i;
}

/** The start of the word before `at`: where Alt+Shift+← takes the selection's start. */
export function previousWordStart(text: string, at: number, floor = 0): number {
  let i = at;
  while (i > floor && !isWord(text[i - 1])) i--;
  while (i > floor && isWord(text[i - 1])) i--;
  return i;
}

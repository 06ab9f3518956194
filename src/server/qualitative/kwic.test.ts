/**
 * The pure parts of reading transcripts: finding the hits PostgreSQL marked, cutting a
 * keyword-in-context line, and rebuilding a text without one participant's turns. Properties over
 * arbitrary text (fast-check), and one hand-worked example each.
 */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { hitsInMarkedText, KWIC_CONTEXT, kwicLine } from './sources.queries.js';
import { transcriptWithout, withoutParticipant } from './withdrawal.commands.js';

const flat = (s: string) => s.replace(/\s+/g, ' ');
/** Text as a transcript holds it: no START/STOP marks (the parser refuses control characters). */
const transcriptText = fc
  .string({ unit: 'grapheme', maxLength: 300 })
  .map((s) => s.replaceAll('\u0001', '').replaceAll('\u0002', ''));

describe('hitsInMarkedText', () => {
  it('reads the marks of a hand-made headline', () => {
    // "søvnen" starts after "Om " (3 characters) and is 6 long; "søvn" starts at 3 + 6 + 4 = 13.
    const text = 'Om søvnen og søvn.';
    const marked = 'Om \u0001søvnen\u0002 og \u0001søvn\u0002.';
    expect(hitsInMarkedText(text, marked)).toEqual([
      { offset: 3, length: 6 },
      { offset: 13, length: 4 },
    ]);
    // marks that do not give the text back: no hits rather than wrong offsets
    expect(hitsInMarkedText(text, 'Om \u0001søvnen\u0002 og søvn!')).toEqual([]);
  });

  it('gives back exactly the ranges that were marked (property)', () => {
    fc.assert(
      fc.property(transcriptText, fc.array(fc.nat(), { maxLength: 20 }), (text, cuts) => {
        // disjoint non-empty ranges from sorted cut points: [c0,c1), [c2,c3), …
        const points = [...new Set(cuts.map((c) => c % (text.length + 1)))].sort((a, b) => a - b);
        const ranges: Array<{ offset: number; length: number }> = [];
        for (let i = 0; i + 1 < points.length; i += 2) {
          ranges.push({ offset: points[i]!, length: points[i + 1]! - points[i]! });
        }
        let marked = '';
        let at = 0;
        for (const r of ranges) {
          marked += `${text.slice(at, r.offset)}\u0001${text.slice(r.offset, r.offset + r.length)}\u0002`;
          at = r.offset + r.length;
        }
        marked += text.slice(at);
        expect(hitsInMarkedText(text, marked)).toEqual(ranges);
      })
    );
  });
});

describe('kwicLine', () => {
  it('cuts at whitespace within the context', () => {
    // 50 characters of "a " before the hit: the context of 40 starts at a word boundary.
    const text = `${'ab '.repeat(20)}søvn${' cd'.repeat(20)}`;
    const line = kwicLine(text, 60, 4);
    expect(line.hit).toBe('søvn');
    expect(line.before).toBe('ab '.repeat(13));
    expect(line.after).toBe(' cd'.repeat(13));
  });

  it('holds the hit, at most the context each side, and nothing that is not in the text (property)', () => {
    fc.assert(
      fc.property(transcriptText, fc.nat(), fc.nat(), (text, a, b) => {
        // a hit that starts and ends on a non-space character, as a matched word does
        const words = [...text.matchAll(/\S+/g)];
        if (words.length === 0) return;
        const word = words[a % words.length]!;
        const offset = word.index;
        const length = 1 + (b % word[0].length);
        const line = kwicLine(text, offset, length);
        expect(line.hit).toBe(text.slice(offset, offset + length));
        expect(line.before.length).toBeLessThanOrEqual(KWIC_CONTEXT);
        expect(line.after.length).toBeLessThanOrEqual(KWIC_CONTEXT);
        expect(flat(text)).toContain(line.before + flat(line.hit) + line.after);
      })
    );
  });
});

describe('withoutParticipant', () => {
  const turn = (index: number, participant: string | null, start: number, end: number) => ({
    index,
    participant_id: participant,
    label: participant,
    start_offset: start,
    end_offset: end,
    start_ms: null,
    end_ms: null,
  });

  it('drops the turns and moves the later ones up', () => {
    // "Hei" [0,3), separator, "Ja" [5,7), separator, "Nei" [9,12)
    const out = withoutParticipant(
      'Hei\n\nJa\n\nNei',
      [turn(0, 'a', 0, 3), turn(1, 'b', 5, 7), turn(2, 'a', 9, 12)],
      'b'
    );
    expect(out.text).toBe('Hei\n\nNei');
    expect(out.removed).toBe(1);
    expect(out.turns.map((t) => [t.index, t.start_offset, t.end_offset])).toEqual([
      [0, 0, 3],
      [1, 5, 8],
    ]);
  });

  it('keeps every other turn word for word (property)', () => {
    fc.assert(
      fc.property(
        fc.array(fc.tuple(fc.constantFrom('a', 'b', null), transcriptText), { maxLength: 12 }),
        (pieces) => {
          let text = '';
          const turns = pieces.map(([who, piece], i) => {
            if (i > 0) text += '\n\n';
            const start = text.length;
            text += piece;
            return turn(i, who, start, text.length);
          });
          const out = withoutParticipant(text, turns, 'a');
          const kept = pieces.filter(([who]) => who !== 'a');
          expect(out.text).toBe(kept.map(([, piece]) => piece).join('\n\n'));
          expect(out.removed).toBe(pieces.length - kept.length);
          out.turns.forEach((t, i) => {
            expect(t.index).toBe(i);
            expect(out.text.slice(t.start_offset, t.end_offset)).toBe(kept[i]![1]);
            expect(t.participant_id).not.toBe('a');
          });
        }
      )
    );
  });
});

describe('transcriptWithout', () => {
  it('moves the later turns and their cues up by what was removed', () => {
    // "Hei" [0,3) by A; "Ja takk" [5,12) by B; "Nei" [14,17) by A with one cue over all of it.
    // Without B: "Hei\n\nNei", the last turn moves from 14 to 5 (shift -9), and so does its cue.
    const out = transcriptWithout(
      {
        format: 'vtt',
        text: 'Hei\n\nJa takk\n\nNei',
        turns: [
          { index: 0, speaker: 'A', text: 'Hei', start: 0, end: 3 },
          { index: 1, speaker: 'B', text: 'Ja takk', start: 5, end: 12 },
          {
            index: 2,
            speaker: 'A',
            text: 'Nei',
            start: 14,
            end: 17,
            segments: [{ startMs: 1000, endMs: 2000, start: 14, end: 17 }],
          },
        ],
      },
      (t) => t.speaker === 'B'
    );
    expect(out.removed).toBe(1);
    expect(out.transcript.text).toBe('Hei\n\nNei');
    expect(out.transcript.turns.map((t) => [t.index, t.start, t.end])).toEqual([
      [0, 0, 3],
      [1, 5, 8],
    ]);
    expect(out.transcript.turns[1]!.segments).toEqual([{ startMs: 1000, endMs: 2000, start: 5, end: 8 }]);
  });
});

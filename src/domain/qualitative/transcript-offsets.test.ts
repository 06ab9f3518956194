import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { parsePlainText } from './transcript.js';
import { rawOffsetMap } from './transcript-offsets.js';

describe('rawOffsetMap', () => {
  const raw =
    'Moderator: Velkommen.\r\nGP-01: Jeg rekker ikke\r\nå følge opp.\r\n\r\nGP-02: Tjue minutter.\r\n';
  const transcript = parsePlainText(raw);
  const map = rawOffsetMap(raw, transcript);

  it('maps a raw range inside a turn to the same words in the transcript', () => {
    const start = raw.indexOf('rekker ikke');
    const mapped = map.range(start, start + 'rekker ikke'.length)!;
    expect(transcript.text.slice(mapped.start, mapped.end)).toBe('rekker ikke');
    // across a line break inside one turn (CRLF in the raw text, LF in the transcript)
    const across = raw.indexOf('ikke\r\nå');
    const both = map.range(across, across + 'ikke\r\nå'.length)!;
    expect(transcript.text.slice(both.start, both.end)).toBe('ikke\nå');
    expect(map.found).toBe(map.lines);
  });

  it('snaps a range that starts in a speaker label inward', () => {
    const start = raw.indexOf('GP-02');
    const end = raw.indexOf('Tjue') + 'Tjue'.length;
    const mapped = map.range(start, end)!;
    expect(transcript.text.slice(mapped.start, mapped.end)).toBe('Tjue');
    expect(map.range(raw.indexOf('GP-02'), raw.indexOf('GP-02') + 5)).toBeNull();
  });

  it('does not find a short word of speech inside the speaker label before it', () => {
    // Found by the property below (a CI run): "a" lies in "Moderator" too.
    const text = 'Moderator: a\nGP-01: ø';
    const parsed = parsePlainText(text);
    const m = rawOffsetMap(text, parsed);
    const r = m.range(text.indexOf(': a') + 2, text.indexOf(': a') + 3)!;
    expect(parsed.text.slice(r.start, r.end)).toBe('a');
    expect(r.start).toBe(0);
  });

  it('maps every word of a generated transcript onto itself (property)', () => {
    const word = fc.stringMatching(/^[a-zæøå]{1,8}$/);
    const turn = fc.tuple(
      fc.constantFrom('GP-01', 'GP-02', 'Moderator'),
      fc.array(word, { minLength: 1, maxLength: 6 })
    );
    fc.assert(
      fc.property(
        fc.array(turn, { minLength: 1, maxLength: 6 }),
        fc.constantFrom('\n', '\r\n', '\n\n'),
        (turns, nl) => {
          const text = turns.map(([label, words]) => `${label}: ${words.join(' ')}`).join(nl);
          const parsed = parsePlainText(text);
          const m = rawOffsetMap(text, parsed);
          let from = 0;
          for (const [label, words] of turns) {
            from = text.indexOf(`${label}: `, from) + label.length + 2;
            for (const w of words) {
              const at = text.indexOf(w, from);
              const r = m.range(at, at + w.length);
              expect(r && parsed.text.slice(r.start, r.end)).toBe(w);
              from = at + w.length;
            }
          }
        }
      ),
      // More runs than the default: one word in a hundred or so runs into a label.
      { numRuns: 2000 }
    );
  });
});

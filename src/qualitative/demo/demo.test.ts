import { describe, expect, it } from 'vitest';
import { proposeReplacements } from '../../domain/qualitative/deidentify.js';
import { loadDemoSources } from './load.js';
import { DEMO_SOURCES } from './manifest.js';

const sources = await loadDemoSources();

function words(text: string): number {
  return text.split(/\s+/).filter((w) => /[\p{L}\p{N}]/u.test(w)).length;
}

function occurrences(text: string, needle: string): number[] {
  const at: number[] = [];
  for (let i = text.indexOf(needle); i >= 0; i = text.indexOf(needle, i + 1)) at.push(i);
  return at;
}

describe('demo sources', () => {
  it('loads every source in the manifest', () => {
    expect(sources.map((s) => s.manifest.id)).toEqual(DEMO_SOURCES.map((m) => m.id));
  });

  for (const source of sources) {
    const { manifest, transcript } = source;
    describe(manifest.id, () => {
      it('parses into turns that all have a speaker of the manifest', () => {
        const allowed = new Set([...manifest.staffLabels, ...manifest.participants.map((p) => p.pseudonym)]);
        expect(transcript.format).toBe(manifest.format);
        expect(transcript.turns.length).toBeGreaterThan(10);
        for (const turn of transcript.turns) {
          expect(turn.speaker, turn.text.slice(0, 60)).not.toBeNull();
          expect(allowed.has(turn.speaker!), `unknown speaker ${String(turn.speaker)}`).toBe(true);
        }
        // every participant speaks at least once
        const spoke = new Set(transcript.turns.map((t) => t.speaker));
        for (const p of manifest.participants) expect(spoke.has(p.pseudonym), p.pseudonym).toBe(true);
      });

      it('has a word count in its range', () => {
        const n = words(transcript.text);
        expect(n).toBeGreaterThanOrEqual(manifest.words.min);
        expect(n).toBeLessThanOrEqual(manifest.words.max);
      });

      it('says each planted identifier, and de-identification proposes every occurrence', () => {
        const { proposals } = proposeReplacements({
          text: transcript.text,
          participants: manifest.participants.map((p) => ({ pseudonym: p.pseudonym, names: [p.firstName] })),
        });
        const misses: string[] = [];
        for (const id of manifest.identifiers) {
          const at = occurrences(transcript.text, id.text);
          expect(at.length, `${id.text} is not in the text`).toBeGreaterThan(0);
          // an occurrence is caught when proposals cover every one of its word characters
          const caught = at.every((start) => {
            for (let i = start; i < start + id.text.length; i++) {
              if (!/[\p{L}\p{N}]/u.test(transcript.text[i]!)) continue;
              if (!proposals.some((p) => p.start <= i && i < p.end)) return false;
            }
            return true;
          });
          if (!caught && id.missed === undefined) misses.push(`${id.category}: ${id.text}`);
          // a miss recorded in the manifest must still be a miss, so the record stays honest
          if (id.missed !== undefined)
            expect(caught, `${id.text} is caught now; remove "missed"`).toBe(false);
        }
        expect(misses).toEqual([]);
      });
    });
  }
});

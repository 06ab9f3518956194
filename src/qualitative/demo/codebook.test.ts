import { describe, expect, it } from 'vitest';
import { computeAgreement } from '../../domain/qualitative/agreement.js';
import { codebookProblems } from '../../domain/qualitative/codebook.js';
import { DEMO_CODEBOOK, DEMO_CODINGS, resolveQuote } from './codebook.js';
import { loadDemoSources } from './load.js';

const sources = await loadDemoSources();
const fg1 = sources.find((s) => s.manifest.id === 'fg1')!.transcript;

describe('demo codebook', () => {
  it('has 8–14 codes, in a valid hierarchy, each fully described', () => {
    expect(DEMO_CODEBOOK.length).toBeGreaterThanOrEqual(8);
    expect(DEMO_CODEBOOK.length).toBeLessThanOrEqual(14);
    expect(codebookProblems(DEMO_CODEBOOK)).toEqual([]);
    expect(DEMO_CODEBOOK.some((code) => code.parentId !== null)).toBe(true);
    for (const code of DEMO_CODEBOOK) {
      for (const field of [code.definition, code.inclusion, code.exclusion, code.example]) {
        expect(field?.trim().length ?? 0, code.id).toBeGreaterThan(10);
      }
    }
  });

  it('takes every example quotation verbatim from its source', () => {
    for (const code of DEMO_CODEBOOK) {
      const source = sources.find((s) => s.manifest.id === code.exampleSource);
      expect(source, code.exampleSource).toBeDefined();
      expect(source!.transcript.text.includes(code.example!), `${code.id}: ${code.example!}`).toBe(true);
    }
  });
});

describe('two coders on focus group 1', () => {
  const coders = Object.entries(DEMO_CODINGS).map(([coderId, passages]) => ({
    coderId,
    segments: passages.map((p) => ({ codeId: p.codeId, ...resolveQuote(fg1.text, p.quote) })),
  }));

  it('codes only passages of the transcript, with codes of the codebook', () => {
    const ids = new Set(DEMO_CODEBOOK.map((code) => code.id));
    for (const coder of coders) {
      for (const s of coder.segments) {
        expect(ids.has(s.codeId), s.codeId).toBe(true);
        expect(s.end).toBeGreaterThan(s.start);
      }
    }
  });

  it('agree in part: overall alpha and each shared code’s kappa strictly between 0.2 and 0.9', () => {
    const result = computeAgreement({ sourceLength: fg1.text.length, coders });
    const overall = result.overallAlpha.value;
    expect(overall).not.toBeNull();
    expect(overall!).toBeGreaterThan(0.2);
    expect(overall!).toBeLessThan(0.9);
    // 'moduler' and 'oppfolging' hold one identical passage each plus one passage only one coder
    // coded, so they are partial by construction; 'tid' is B's span containing A's.
    for (const id of ['tid', 'moduler', 'oppfolging', 'tilbakemelding']) {
      const kappa = result.codes.find((code) => code.codeId === id)!.kappa.value;
      expect(kappa, id).not.toBeNull();
      expect(kappa!, id).toBeGreaterThan(0.2);
      expect(kappa!, id).toBeLessThan(0.9);
    }
    // 'samtale': the coders chose different passages, so this code shows disagreement
    const samtale = result.codes.find((code) => code.codeId === 'samtale')!.kappa.value!;
    expect(samtale).toBeLessThan(0.2);
  });
});

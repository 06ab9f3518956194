/**
 * Test-only checks shared by the catalog tests: the main catalogs (catalogs.test.ts) and the
 * catalogs a page chunk loads with it (pages/gp/locales, pages/research/surveys/locales).
 */
import { describe, expect, it } from 'vitest';

export type Catalog = { [key: string]: string | Catalog };

/** A nested catalog as dotted keys → texts. */
export function flattenCatalog(catalog: Catalog, prefix = ''): Map<string, string> {
  const out = new Map<string, string>();
  for (const [key, value] of Object.entries(catalog)) {
    const path = prefix ? `${prefix}.${key}` : key;
    if (typeof value === 'string') out.set(path, value);
    else for (const [k, v] of flattenCatalog(value, path)) out.set(k, v);
  }
  return out;
}

/**
 * A chunk's catalogs: the same keys in nb and en, no key of the main catalogs redefined, no empty
 * text, the same interpolation variables in both languages, and no risk level named.
 */
export function describeChunkCatalogs(
  title: string,
  chunk: { nb: Catalog; en: Catalog },
  main: { nb: Catalog; en: Catalog }
): void {
  const own = { nb: flattenCatalog(chunk.nb), en: flattenCatalog(chunk.en) };
  const shared = { nb: flattenCatalog(main.nb), en: flattenCatalog(main.en) };
  describe(title, () => {
    it('nb and en have exactly the same keys', () => {
      expect([...own.en.keys()].filter((key) => !own.nb.has(key))).toEqual([]);
      expect([...own.nb.keys()].filter((key) => !own.en.has(key))).toEqual([]);
    });

    it('never redefine a key of the main catalogs', () => {
      for (const language of ['nb', 'en'] as const)
        expect([...own[language].keys()].filter((key) => shared[language].has(key))).toEqual([]);
    });

    it.each(Object.entries(own))('%s has no empty strings', (_language, entries) => {
      expect([...entries].filter(([, value]) => value.trim() === '').map(([key]) => key)).toEqual([]);
    });

    it('uses the same interpolation variables in both languages', () => {
      const variables = (text: string) => [...text.matchAll(/\{\{\s*(\w+)\s*\}\}/g)].map((m) => m[1]).sort();
      const mismatched = [...own.nb].filter(
        ([key, value]) =>
          JSON.stringify(variables(value)) !== JSON.stringify(variables(own.en.get(key) ?? ''))
      );
      expect(mismatched.map(([key]) => key)).toEqual([]);
    });

    it('never labels a risk level', () => {
      const riskWords = /\b(low|medium|high)[ -]risk\b|\b(lav|middels|høy) risiko\b/i;
      expect([...own.nb, ...own.en].filter(([, value]) => riskWords.test(value)).map(([key]) => key)).toEqual(
        []
      );
    });
  });
}

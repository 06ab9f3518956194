import { describe, expect, it } from 'vitest';
import en from './locales/en.json';
import nb from './locales/nb.json';
import { flattenCatalog } from './testing.js';

const catalogs = { nb: flattenCatalog(nb), en: flattenCatalog(en) };

describe('i18n catalogs', () => {
  it('nb and en have exactly the same keys', () => {
    const nbKeys = [...catalogs.nb.keys()].sort();
    const enKeys = [...catalogs.en.keys()].sort();
    expect(enKeys.filter((key) => !catalogs.nb.has(key))).toEqual([]);
    expect(nbKeys.filter((key) => !catalogs.en.has(key))).toEqual([]);
    expect(nbKeys.length).toBeGreaterThan(100);
  });

  it.each(Object.entries(catalogs))('%s has no empty strings', (_language, entries) => {
    const empty = [...entries].filter(([, value]) => value.trim() === '').map(([key]) => key);
    expect(empty).toEqual([]);
  });

  it('uses the same interpolation variables in both languages', () => {
    const variables = (text: string) => [...text.matchAll(/\{\{\s*(\w+)\s*\}\}/g)].map((m) => m[1]).sort();
    const mismatched = [...catalogs.nb].filter(
      ([key, value]) =>
        JSON.stringify(variables(value)) !== JSON.stringify(variables(catalogs.en.get(key) ?? ''))
    );
    expect(mismatched.map(([key]) => key)).toEqual([]);
  });

  it('never labels a risk level', () => {
    const riskWords = /\b(low|medium|high)[ -]risk\b|\b(lav|middels|høy) risiko\b/i;
    const hits = [...catalogs.nb, ...catalogs.en]
      .filter(([, value]) => riskWords.test(value))
      .map(([key]) => key);
    expect(hits).toEqual([]);
  });
});

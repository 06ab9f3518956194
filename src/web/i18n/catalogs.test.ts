import { describe, expect, it } from 'vitest';
import en from './locales/en.json';
import nb from './locales/nb.json';

type Catalog = { [key: string]: string | Catalog };

function flatten(catalog: Catalog, prefix = ''): Map<string, string> {
  const out = new Map<string, string>();
  for (const [key, value] of Object.entries(catalog)) {
    const path = prefix ? `${prefix}.${key}` : key;
    if (typeof value === 'string') out.set(path, value);
    else for (const [k, v] of flatten(value, path)) out.set(k, v);
  }
  return out;
}

const catalogs = { nb: flatten(nb), en: flatten(en) };

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

import { describe, expect, it } from 'vitest';
import mainEn from '../../../../i18n/locales/en.json';
import mainNb from '../../../../i18n/locales/nb.json';
import en from './en.json';
import nb from './nb.json';

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

const surveys = { nb: flatten(nb), en: flatten(en) };
const main = { nb: flatten(mainNb), en: flatten(mainEn) };

describe('Survey administration catalogs (loaded with the research chunk)', () => {
  it('nb and en have exactly the same keys', () => {
    expect([...surveys.en.keys()].filter((key) => !surveys.nb.has(key))).toEqual([]);
    expect([...surveys.nb.keys()].filter((key) => !surveys.en.has(key))).toEqual([]);
  });

  it('never redefine a key of the main catalogs', () => {
    for (const language of ['nb', 'en'] as const)
      expect([...surveys[language].keys()].filter((key) => main[language].has(key))).toEqual([]);
  });

  it.each(Object.entries(surveys))('%s has no empty strings', (_language, entries) => {
    expect([...entries].filter(([, value]) => value.trim() === '').map(([key]) => key)).toEqual([]);
  });

  it('uses the same interpolation variables in both languages', () => {
    const variables = (text: string) => [...text.matchAll(/\{\{\s*(\w+)\s*\}\}/g)].map((m) => m[1]).sort();
    const mismatched = [...surveys.nb].filter(
      ([key, value]) =>
        JSON.stringify(variables(value)) !== JSON.stringify(variables(surveys.en.get(key) ?? ''))
    );
    expect(mismatched.map(([key]) => key)).toEqual([]);
  });

  it('never labels a risk level', () => {
    const riskWords = /\b(low|medium|high)[ -]risk\b|\b(lav|middels|høy) risiko\b/i;
    expect(
      [...surveys.nb, ...surveys.en].filter(([, value]) => riskWords.test(value)).map(([key]) => key)
    ).toEqual([]);
  });
});

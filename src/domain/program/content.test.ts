/** Content validation for all five modules in both languages: schema, references, parity, plain language. */
import { readdirSync, readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import type { ModuleContent } from './content-schema.js';
import {
  compareLanguages,
  lessonTexts,
  MAX_LIX_NB,
  MIN_FLESCH_EN,
  validateModuleFile,
} from './content-validation.js';
import { englishSyllables, fleschReadingEase, lix } from './readability.js';
import { validateWorkbookAnswers } from './workbook.js';

const dir = fileURLToPath(new URL('../../content/modules/', import.meta.url));
const load = (file: string) => JSON.parse(readFileSync(dir + file, 'utf8')) as ModuleContent;
const MODULES = [1, 2, 3, 4, 5];

describe('module content', () => {
  it('has exactly the ten files: five modules in bokmål and English', () => {
    expect(
      readdirSync(dir)
        .filter((f) => f.endsWith('.json'))
        .sort()
    ).toEqual(MODULES.flatMap((n) => [`m${n}.en.json`, `m${n}.nb.json`]));
  });

  for (const n of MODULES) {
    for (const lang of ['nb', 'en'] as const) {
      it(`m${n}.${lang}: passes the schema, its references hold and its lessons are plain language`, () => {
        const file = `m${n}.${lang}.json`;
        expect(validateModuleFile(file, load(file))).toEqual([]);
        const m = load(file);
        expect(m.language).toBe(lang);
        expect(m.exercises.length).toBeGreaterThanOrEqual(2);
        const texts = lessonTexts(m.lessons);
        if (lang === 'nb') expect(lix(texts)).toBeLessThan(MAX_LIX_NB);
        else expect(fleschReadingEase(texts)).toBeGreaterThan(MIN_FLESCH_EN);
      });
    }
    it(`m${n}: has the same structure and ids in both languages`, () => {
      expect(compareLanguages(load(`m${n}.nb.json`), load(`m${n}.en.json`))).toEqual([]);
    });
  }

  it('names crisis resources in the program, and never grades risk', () => {
    const all = MODULES.map(
      (n) => readFileSync(`${dir}m${n}.nb.json`, 'utf8') + readFileSync(`${dir}m${n}.en.json`, 'utf8')
    ).join('\n');
    expect(all).toContain('116 123');
    expect(all).toContain('22 40 00 40');
    expect(all).not.toMatch(
      /(low|medium|moderate|high) suicide risk|suicide risk is (low|high)|(lav|middels|høy) selvmordsrisiko/i
    );
  });

  it('accepts answers that fit each exercise and refuses the rest, naming the field', () => {
    const m1 = load('m1.nb.json');
    const mood = m1.exercises.find((e) => e.id === 'mood-rating')!;
    expect(validateWorkbookAnswers(mood, { mood: 7, 'what-happened': 'Gikk tur' })).toEqual([]);
    expect(validateWorkbookAnswers(mood, { mood: 11 })).toEqual([
      { field: 'answers.mood', reason: 'must be a whole number from 0 to 10' },
    ]);
    expect(validateWorkbookAnswers(mood, { mood: null })).toEqual([]);
    expect(validateWorkbookAnswers(mood, { unknown: 'x' })[0]!.field).toBe('answers.unknown');
  });
});

describe('readability measures', () => {
  it('computes LIX as words per sentence plus the share of long words', () => {
    // 2 sentences, 9 words, 1 word over six letters: 9/2 + 100*1/9
    expect(lix(['Jeg liker å gå tur.', 'Fjellturer gjør meg glad.'])).toBeCloseTo(4.5 + 100 / 9, 5);
    expect(lix(['Kommunikasjonsutfordringer vedrørende organisasjonsendringer.'])).toBeGreaterThan(60);
  });

  it('counts English syllables well enough for Flesch', () => {
    expect(['cat', 'table', 'depression', 'activity', 'make'].map(englishSyllables)).toEqual([1, 2, 3, 4, 1]);
    expect(fleschReadingEase(['The cat sat on the mat.'])).toBeGreaterThan(100);
    expect(
      fleschReadingEase([
        'Comprehensive psychotherapeutic interventions necessitate considerable organisational commitment.',
      ])
    ).toBeLessThan(0);
  });
});

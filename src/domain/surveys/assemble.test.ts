/**
 * Modular forms: a survey imports the platform's PHQ-9 by reference, and the assembled survey's
 * PHQ-9 is the instrument's (linkIds, LOINC codes, both texts, answer codes), in the survey's
 * language. Crisis display and scoring use the instrument's own codes.
 */
import fc from 'fast-check';
import type { Questionnaire, QuestionnaireItem } from 'fhir/r4.js';
import { describe, expect, it } from 'vitest';
import {
  PHQ9_DIFFICULTY_OPTIONS,
  PHQ9_FREQUENCY_OPTIONS,
  PHQ9_INTRO,
  PHQ9_ITEMS,
  scorePhq9,
  type Phq9ItemScore,
} from '../instruments/phq9.js';
import {
  GAD7_QUESTIONNAIRE,
  PHQ9_QUESTIONNAIRE,
  resolveQuestionnaire,
} from '../instruments/questionnaires.js';
import {
  ASSEMBLE_EXPECTATION_URL,
  ASSEMBLED_FROM_URL,
  assembleQuestionnaire,
  phq9ItemNinePositive,
  SUB_QUESTIONNAIRE_URL,
  surveyPhq9Score,
} from './assemble.js';
import { answerableItems, flattenItems, TRANSLATION_EXTENSION_URL, type SurveyAnswers } from './items.js';

const PHQ9_REF = `${PHQ9_QUESTIONNAIRE.url}|${PHQ9_QUESTIONNAIRE.version}`;
const en = (content: string) => ({
  extension: [
    {
      url: TRANSLATION_EXTENSION_URL,
      extension: [
        { url: 'lang', valueCode: 'en' },
        { url: 'content', valueString: content },
      ],
    },
  ],
});

function importItem(reference: string, extra: Partial<QuestionnaireItem> = {}): QuestionnaireItem {
  return {
    linkId: 'phq9-module',
    type: 'display',
    text: 'PHQ-9 settes inn her',
    _text: en('PHQ-9 goes here'),
    extension: [{ url: SUB_QUESTIONNAIRE_URL, valueCanonical: reference }],
    ...extra,
  };
}

function survey(language: 'nb' | 'en', items: QuestionnaireItem[]): Questionnaire {
  return {
    resourceType: 'Questionnaire',
    url: 'https://gp-dep.example/fhir/Questionnaire/test-survey',
    version: '1.0.0',
    status: 'active',
    language,
    title: 'Test',
    extension: [{ url: ASSEMBLE_EXPECTATION_URL, valueCode: 'assemble-root' }],
    item: [
      { linkId: 'before', type: 'string', text: 'Før', _text: en('Before') },
      { linkId: 'health', type: 'group', text: 'Helse', _text: en('Health'), item: items },
      { linkId: 'after', type: 'string', text: 'Etter', _text: en('After') },
    ],
  };
}

const loincCoding = (score: number, options = PHQ9_FREQUENCY_OPTIONS) => ({
  valueCoding: { system: 'http://loinc.org', code: options.find((o) => o.score === score)!.loinc },
});

describe('assembleQuestionnaire', () => {
  const modular = survey('nb', [importItem(PHQ9_REF)]);
  const before = structuredClone(modular);
  const result = assembleQuestionnaire(modular);
  if (!result.ok) throw new Error(JSON.stringify(result.errors));
  const assembled = result.questionnaire;

  it('puts the instrument’s items where the display item was, with its intro and without its total', () => {
    const group = assembled.item!.find((i) => i.linkId === 'health')!;
    expect(group.item!.map((i) => i.linkId)).toEqual([
      'phq9-intro',
      ...PHQ9_ITEMS.map((i) => i.linkId),
      'phq9-10',
    ]);
    expect(assembled.item!.map((i) => i.linkId)).toEqual(['before', 'health', 'after']);
    // The intro is the instrument's own stem, in the survey's language with English beside it.
    expect(flattenItems(assembled).find((i) => i.linkId === 'phq9-intro')!.text).toEqual(PHQ9_INTRO);
    expect(flattenItems(assembled).some((i) => i.linkId === 'phq9-total')).toBe(false);
    // The input is not changed.
    expect(modular).toEqual(before);
  });

  it('keeps the instrument’s linkIds, codes, both texts, options and required flags', () => {
    const instrument = answerableItems(flattenItems(PHQ9_QUESTIONNAIRE));
    const inSurvey = new Map(flattenItems(assembled).map((i) => [i.linkId, i]));
    expect(instrument).toHaveLength(10);
    for (const item of instrument) {
      const mine = inSurvey.get(item.linkId)!;
      const strip = (i: typeof item) => ({ ...i, parents: [], options: i.options.map((o) => o.code) });
      expect(strip(mine), item.linkId).toEqual(strip(item));
      expect(mine.parents).toEqual(['health']);
      // Answer codes and systems are the instrument's; the labels are its texts in both languages
      // (the published Questionnaire carries only the English display of each LOINC answer).
      const options = item.linkId === 'phq9-10' ? PHQ9_DIFFICULTY_OPTIONS : PHQ9_FREQUENCY_OPTIONS;
      expect(mine.options).toEqual(
        options.map((o) => ({ code: o.loinc, system: 'http://loinc.org', display: o.text }))
      );
      expect(mine.options.map(({ code, system }) => ({ code, system }))).toEqual(
        item.options.map(({ code, system }) => ({ code, system }))
      );
    }
    // Codes are the LOINC codes on the instrument's items, untouched.
    const raw = (q: Questionnaire, linkId: string): QuestionnaireItem | undefined => {
      const walk = (items: readonly QuestionnaireItem[] | undefined): QuestionnaireItem | undefined => {
        for (const i of items ?? []) {
          if (i.linkId === linkId) return i;
          const found = walk(i.item);
          if (found) return found;
        }
        return undefined;
      };
      return walk(q.item);
    };
    for (const item of PHQ9_ITEMS) {
      expect(raw(assembled, item.linkId)!.code).toEqual(raw(PHQ9_QUESTIONNAIRE, item.linkId)!.code);
      expect(raw(assembled, item.linkId)!.code![0]!.code).toBe(item.loinc);
    }
    // In a bokmål survey the primary text is bokmål (PHQ-9 item 1 hand-checked against phq9.ts).
    expect(raw(assembled, 'phq9-1')!.text).toBe('Lite interesse for eller glede av å gjøre ting');
    expect(raw(assembled, 'phq9-1')!.answerOption![0]!.valueCoding!.display).toBe('Ikke i det hele tatt');
  });

  it('records where the items came from and drops the assemble expectation', () => {
    expect(result.assembledFrom).toEqual([PHQ9_REF]);
    expect(assembled.extension).toEqual([{ url: ASSEMBLED_FROM_URL, valueCanonical: PHQ9_REF }]);
    expect(assembled.url).toBe(modular.url);
    expect(assembled.version).toBe('1.0.0');
  });

  it('leaves an English survey’s PHQ-9 in the instrument’s own primary language', () => {
    const english = assembleQuestionnaire(survey('en', [importItem(PHQ9_REF)]));
    if (!english.ok) throw new Error('assembly failed');
    const item = flattenItems(english.questionnaire).find((i) => i.linkId === 'phq9-9')!;
    expect(item.text).toEqual(PHQ9_ITEMS[8]!.text);
    const walk = english.questionnaire.item![1]!.item!.find((i) => i.linkId === 'phq9-9')!;
    expect(walk.text).toBe(PHQ9_ITEMS[8]!.text.en);
    expect(item.options.map((o) => o.display)).toEqual(PHQ9_FREQUENCY_OPTIONS.map((o) => o.text));
  });

  it('imports two instruments in order, each with its own intro', () => {
    const gadRef = `${GAD7_QUESTIONNAIRE.url}|${GAD7_QUESTIONNAIRE.version}`;
    const both = assembleQuestionnaire(
      survey('nb', [importItem(PHQ9_REF), importItem(gadRef, { linkId: 'gad7-module' })])
    );
    if (!both.ok) throw new Error('assembly failed');
    const ids = flattenItems(both.questionnaire).map((i) => i.linkId);
    expect(ids.indexOf('gad7-intro')).toBeGreaterThan(ids.indexOf('phq9-10'));
    expect(ids.filter((id) => id.startsWith('gad7-'))).toHaveLength(8);
    expect(both.assembledFrom).toEqual([PHQ9_REF, gadRef]);
  });

  it('refuses what cannot be assembled, naming the item', () => {
    const errorsOf = (q: Questionnaire, resolve = resolveQuestionnaire) => {
      const r = assembleQuestionnaire(q, resolve);
      return r.ok ? [] : r.errors;
    };
    expect(errorsOf(survey('nb', [importItem(PHQ9_QUESTIONNAIRE.url!)]))).toEqual([
      {
        linkId: 'phq9-module',
        path: 'item[1].item[0]',
        message: expect.stringMatching(/^item "phq9-module": subQuestionnaire ".*phq9" names no version/),
      },
    ]);
    expect(errorsOf(survey('nb', [importItem(`${PHQ9_QUESTIONNAIRE.url}|1999.1`)]))[0]!.message).toMatch(
      /is not a questionnaire published on this platform/
    );
    expect(errorsOf(survey('nb', [importItem(PHQ9_REF, { type: 'group' })]))[0]!.message).toMatch(
      /only a display item can import/
    );
    // A questionnaire that imports itself (through a resolver that knows it).
    const selfRef = 'https://gp-dep.example/fhir/Questionnaire/test-survey|1.0.0';
    const loop = survey('nb', [importItem(selfRef)]);
    expect(errorsOf(loop, (ref) => (ref === selfRef ? loop : undefined))[0]!.message).toMatch(
      /imports itself/
    );
    // A module whose contained ValueSet id is already used.
    const withVs: Questionnaire = {
      ...survey('nb', [importItem('urn:mod|1')]),
      contained: [{ resourceType: 'ValueSet', id: 'scale', status: 'active' }],
    };
    const module: Questionnaire = {
      resourceType: 'Questionnaire',
      status: 'active',
      url: 'urn:mod',
      version: '1',
      contained: [{ resourceType: 'ValueSet', id: 'scale', status: 'active' }],
      item: [{ linkId: 'm1', type: 'string', text: 'x' }],
    };
    expect(errorsOf(withVs, (ref) => (ref === 'urn:mod|1' ? module : undefined))[0]!.message).toMatch(
      /contains a resource with id "scale"/
    );
    // A module inside a module is expanded too, and its contained resources come along.
    const outer: Questionnaire = { ...module, url: 'urn:outer', item: [importItem('urn:inner|1')] };
    const inner: Questionnaire = { ...module, url: 'urn:inner', contained: [] };
    const nested = assembleQuestionnaire(survey('nb', [importItem('urn:outer|1')]), (ref) =>
      ref === 'urn:outer|1' ? outer : ref === 'urn:inner|1' ? inner : undefined
    );
    if (!nested.ok) throw new Error(JSON.stringify(nested.errors));
    expect(flattenItems(nested.questionnaire).map((i) => i.linkId)).toContain('m1');
    expect(nested.assembledFrom).toEqual(['urn:outer|1', 'urn:inner|1']);
    expect(nested.questionnaire.contained).toEqual(module.contained);
  });
});

describe('PHQ-9 answers inside a survey', () => {
  it('item 9 is positive exactly for "several days" or more, by its LOINC answer code', () => {
    expect(
      PHQ9_FREQUENCY_OPTIONS.map((o) => phq9ItemNinePositive({ 'phq9-9': [loincCoding(o.score)] }))
    ).toEqual([false, true, true, true]);
    expect(phq9ItemNinePositive({})).toBe(false);
    expect(phq9ItemNinePositive({ 'phq9-9': [] })).toBe(false);
    // Without a system the code is read as the questionnaire's own (LOINC) code.
    expect(phq9ItemNinePositive({ 'phq9-9': [{ valueCoding: { code: 'LA6571-9' } }] })).toBe(true);
    // A code of another system, or an answer to another item, is not PHQ-9 item 9.
    expect(phq9ItemNinePositive({ 'phq9-9': [{ valueCoding: { system: 'urn:x', code: 'LA6571-9' } }] })).toBe(
      false
    );
    expect(phq9ItemNinePositive({ 'phq9-8': [loincCoding(3)] })).toBe(false);
  });

  it('scores nine answered items with the instrument (hand-worked: 1+2+0+3+1+1+2+0+1 = 11, moderate)', () => {
    const scores = [1, 2, 0, 3, 1, 1, 2, 0, 1];
    const answers: Record<string, SurveyAnswers[string]> = {};
    PHQ9_ITEMS.forEach((item, i) => (answers[item.linkId] = [loincCoding(scores[i]!)]));
    expect(surveyPhq9Score(answers)).toEqual({
      total: 11,
      severity: 'moderate',
      item9Positive: true,
      item9Score: 1,
    });
    answers['phq9-10'] = [loincCoding(2, PHQ9_DIFFICULTY_OPTIONS)];
    expect(surveyPhq9Score(answers)!.total).toBe(11);
    delete answers['phq9-4'];
    expect(surveyPhq9Score(answers)).toBeUndefined();
  });

  it('property: agrees with the instrument’s scorePhq9 for every complete answer set', () => {
    const score = fc.integer({ min: 0, max: 3 });
    fc.assert(
      fc.property(fc.array(score, { minLength: 9, maxLength: 9 }), score, (items, difficulty) => {
        const answers: Record<string, SurveyAnswers[string]> = {};
        PHQ9_ITEMS.forEach((item, i) => (answers[item.linkId] = [loincCoding(items[i]!)]));
        answers['phq9-10'] = [loincCoding(difficulty, PHQ9_DIFFICULTY_OPTIONS)];
        const expected = scorePhq9({
          items: items as Phq9ItemScore[],
          difficulty: difficulty as Phq9ItemScore,
        });
        expect(surveyPhq9Score(answers)).toEqual(expected);
        expect(phq9ItemNinePositive(answers)).toBe(expected.item9Positive);
        delete answers['phq9-10'];
        expect(surveyPhq9Score(answers)).toEqual(expected);
      })
    );
  });
});

/**
 * The survey reading of a FHIR Questionnaire: texts in both languages, options, flattening, and
 * enableWhen as FHIR R4 defines it (codesystem questionnaire-enable-operator: "=" at least one
 * answer equal, "!=" no answer equal, "exists" whether an answer exists equals answerBoolean; an
 * answer to a disabled item counts as no answer).
 */
import fc from 'fast-check';
import type { Extension, Questionnaire, QuestionnaireItem, QuestionnaireItemEnableWhen } from 'fhir/r4.js';
import { describe, expect, it } from 'vitest';
import {
  answerableItems,
  conditionHolds,
  enabledLinkIds,
  flattenItems,
  itemOptions,
  languageFit,
  localText,
  primaryLanguage,
  questionnaireTitle,
  translation,
  TRANSLATION_EXTENSION_URL,
  type SurveyAnswer,
  type SurveyAnswers,
} from './items.js';

const tr = (...pairs: [lang: string, content: string][]) => ({
  extension: pairs.map(([lang, content]): Extension => ({
    url: TRANSLATION_EXTENSION_URL,
    extension: [
      { url: 'lang', valueCode: lang },
      { url: 'content', valueString: content },
    ],
  })),
});

const coding = (code: string, system?: string): SurveyAnswer => ({
  valueCoding: { code, ...(system === undefined ? {} : { system }) },
});

function questionnaire(item: QuestionnaireItem[], extra: Partial<Questionnaire> = {}): Questionnaire {
  return { resourceType: 'Questionnaire', status: 'active', language: 'nb', item, ...extra };
}

const yesNo = [
  { valueCoding: { code: 'yes', display: 'Ja', _display: tr(['en', 'Yes']) } },
  { valueCoding: { code: 'no', display: 'Nei', _display: tr(['en', 'No']) } },
];

describe('texts in bokmål and English', () => {
  it('reads the other language from the translation extension, whichever is primary', () => {
    expect(localText('Hei', tr(['en', 'Hello']), 'nb')).toEqual({ nb: 'Hei', en: 'Hello' });
    expect(localText('Hello', tr(['nb', 'Hei']), 'en')).toEqual({ nb: 'Hei', en: 'Hello' });
    // Region subtags and the macrolanguage `no` fit; case does not matter.
    expect(localText('Hello', tr(['NB-no', 'Hei']), 'en').nb).toBe('Hei');
    expect(localText('Hei', tr(['en-GB', 'Hello']), 'nb').en).toBe('Hello');
    expect(localText('Hello', tr(['no', 'Hei']), 'en').nb).toBe('Hei');
  });

  it('falls back to the primary text when the translation is missing', () => {
    expect(localText('Hei', undefined, 'nb')).toEqual({ nb: 'Hei', en: 'Hei' });
    expect(localText('Hei', tr(['de', 'Hallo']), 'nb')).toEqual({ nb: 'Hei', en: 'Hei' });
    expect(localText(undefined, undefined, 'en')).toEqual({ nb: '', en: '' });
  });

  it('never fills the bokmål slot with nynorsk, and prefers nb over no (bug fixed)', () => {
    // Before the fix any code starting with "n" matched, so a nynorsk translation listed first
    // became the bokmål text.
    expect(localText('Hello', tr(['nn', 'Nynorsk']), 'en').nb).toBe('Hello');
    expect(localText('Hello', tr(['nn', 'Nynorsk'], ['nb', 'Bokmål']), 'en').nb).toBe('Bokmål');
    expect(translation(tr(['no', 'Norsk'], ['nb-NO', 'Bokmål']), 'nb')).toBe('Bokmål');
    expect(translation(tr(['no', 'Norsk']), 'en')).toBeUndefined();
    expect(languageFit('nn', 'nb')).toBe(0);
    expect(languageFit('eng', 'en')).toBe(0);
  });

  it('takes the questionnaire language as primary (nb, no, nb-NO → nb; else en) and reads the title', () => {
    expect(primaryLanguage({ language: 'nb-NO' })).toBe('nb');
    expect(primaryLanguage({ language: 'no' })).toBe('nb');
    expect(primaryLanguage({ language: 'en-GB' })).toBe('en');
    expect(primaryLanguage({})).toBe('nb');
    expect(
      questionnaireTitle(questionnaire([], { language: 'en', title: 'Survey', _title: tr(['nb', 'Skjema']) }))
    ).toEqual({ nb: 'Skjema', en: 'Survey' });
  });
});

describe('answer options', () => {
  it('reads answerOption codings with translated displays, string options and integer options', () => {
    const q = questionnaire([]);
    const withCodings: QuestionnaireItem = {
      linkId: 'a',
      type: 'choice',
      answerOption: [
        { valueCoding: { system: 'urn:s', code: 'yes', display: 'Ja', _display: tr(['en', 'Yes']) } },
        { valueCoding: { code: 'no' } },
        { valueCoding: { display: 'no code: dropped' } },
        { valueString: 'Annet', _valueString: tr(['en', 'Other']) },
        { valueInteger: 3 },
      ],
    };
    expect(itemOptions(q, withCodings)).toEqual([
      { code: 'yes', system: 'urn:s', display: { nb: 'Ja', en: 'Yes' } },
      { code: 'no', display: { nb: 'no', en: 'no' } },
      { code: 'Annet', display: { nb: 'Annet', en: 'Other' } },
      { code: '3', display: { nb: '3', en: '3' } },
    ]);
  });

  it('reads a contained ValueSet (#id), every include in order, designations for the other language', () => {
    const q = questionnaire([], {
      contained: [
        {
          resourceType: 'ValueSet',
          id: 'agree',
          status: 'active',
          compose: {
            include: [
              {
                system: 'urn:agree',
                concept: [
                  {
                    code: 'disagree',
                    display: 'Uenig',
                    designation: [
                      { language: 'nn', value: 'Usamd' },
                      { language: 'en', value: 'Disagree' },
                    ],
                  },
                  { code: 'agree', display: 'Enig', designation: [{ language: 'en-GB', value: 'Agree' }] },
                ],
              },
              { concept: [{ code: 'dont-know' }] },
            ],
          },
        },
        { resourceType: 'ValueSet', id: 'other', status: 'active' },
      ],
    });
    const item: QuestionnaireItem = { linkId: 'a', type: 'choice', answerValueSet: '#agree' };
    expect(itemOptions(q, item)).toEqual([
      { code: 'disagree', system: 'urn:agree', display: { nb: 'Uenig', en: 'Disagree' } },
      { code: 'agree', system: 'urn:agree', display: { nb: 'Enig', en: 'Agree' } },
      { code: 'dont-know', display: { nb: 'dont-know', en: 'dont-know' } },
    ]);
    // An English questionnaire takes its ValueSet's display as English and the nb designation.
    const english = {
      ...q,
      language: 'en',
      contained: [
        {
          resourceType: 'ValueSet' as const,
          id: 'agree',
          status: 'active' as const,
          compose: {
            include: [
              {
                concept: [
                  {
                    code: 'agree',
                    display: 'Agree',
                    designation: [
                      { language: 'nn', value: 'Samd' },
                      { language: 'no', value: 'Enig (no)' },
                      { language: 'nb', value: 'Enig' },
                    ],
                  },
                ],
              },
            ],
          },
        },
      ],
    };
    expect(itemOptions(english, item)).toEqual([{ code: 'agree', display: { nb: 'Enig', en: 'Agree' } }]);
    // Not contained, or not a local reference: no options (the validator says why).
    expect(itemOptions(q, { ...item, answerValueSet: '#missing' })).toEqual([]);
    expect(itemOptions(q, { ...item, answerValueSet: 'http://example.org/ValueSet/agree' })).toEqual([]);
  });
});

describe('flattenItems', () => {
  it('lists every item in document order with its enclosing groups and its limits', () => {
    const q = questionnaire([
      {
        linkId: 'g1',
        type: 'group',
        text: 'Del 1',
        _text: tr(['en', 'Part 1']),
        item: [
          { linkId: 'intro', type: 'display', text: 'Om deg', _text: tr(['en', 'About you']) },
          {
            linkId: 'g2',
            type: 'group',
            item: [
              {
                linkId: 'years',
                type: 'integer',
                required: true,
                extension: [
                  { url: 'http://hl7.org/fhir/StructureDefinition/minValue', valueInteger: 0 },
                  { url: 'http://hl7.org/fhir/StructureDefinition/maxValue', valueInteger: 45 },
                ],
              },
              {
                linkId: 'share',
                type: 'decimal',
                extension: [{ url: 'http://hl7.org/fhir/StructureDefinition/maxValue', valueDecimal: 0.5 }],
              },
            ],
          },
        ],
      },
      { linkId: 'free', type: 'text', maxLength: 500, repeats: false },
      { linkId: 'many', type: 'choice', repeats: true, answerOption: yesNo },
      { linkId: 'total', type: 'integer', readOnly: true },
    ]);
    const items = flattenItems(q);
    expect(items.map((i) => [i.linkId, i.parents])).toEqual([
      ['g1', []],
      ['intro', ['g1']],
      ['g2', ['g1']],
      ['years', ['g1', 'g2']],
      ['share', ['g1', 'g2']],
      ['free', []],
      ['many', []],
      ['total', []],
    ]);
    const byId = new Map(items.map((i) => [i.linkId, i]));
    expect(byId.get('g1')!.text).toEqual({ nb: 'Del 1', en: 'Part 1' });
    expect(byId.get('years')).toMatchObject({ required: true, min: 0, max: 45 });
    expect(byId.get('years')!.text).toEqual({ nb: '', en: '' });
    expect(byId.get('share')).toMatchObject({ max: 0.5 });
    expect(byId.get('share')!.min).toBeUndefined();
    expect(byId.get('free')).toMatchObject({ maxLength: 500, repeats: false, required: false });
    expect(byId.get('many')!.repeats).toBe(true);
    expect(byId.get('many')!.options.map((o) => o.code)).toEqual(['yes', 'no']);
    expect(byId.get('many')!.enableBehavior).toBe('all');
    // Groups, displays and read-only totals take no answer.
    expect(answerableItems(items).map((i) => i.linkId)).toEqual(['years', 'share', 'free', 'many']);
  });
});

describe('enableWhen', () => {
  const when = (w: Partial<QuestionnaireItemEnableWhen>): QuestionnaireItemEnableWhen => ({
    question: 'q',
    operator: '=',
    ...w,
  });

  it('"=" holds when at least one answer equals; "!=" when none does, also with no answer', () => {
    const answers: SurveyAnswers = { q: [coding('a'), coding('b')] };
    expect(conditionHolds(when({ answerCoding: { code: 'b' } }), answers)).toBe(true);
    expect(conditionHolds(when({ answerCoding: { code: 'c' } }), answers)).toBe(false);
    expect(conditionHolds(when({ operator: '!=', answerCoding: { code: 'b' } }), answers)).toBe(false);
    expect(conditionHolds(when({ operator: '!=', answerCoding: { code: 'c' } }), answers)).toBe(true);
    // No answer: "=" is false, "!=" is true (no answer is equal).
    expect(conditionHolds(when({ answerCoding: { code: 'a' } }), {})).toBe(false);
    expect(conditionHolds(when({ operator: '!=', answerCoding: { code: 'a' } }), {})).toBe(true);
    expect(conditionHolds(when({ operator: '!=', answerCoding: { code: 'a' } }), { q: [] })).toBe(true);
  });

  it('"exists" compares whether there is an answer with answerBoolean', () => {
    const cases: [SurveyAnswers, boolean, boolean][] = [
      [{ q: [coding('a')] }, true, true],
      [{ q: [coding('a')] }, false, false],
      [{}, true, false],
      [{}, false, true],
      [{ q: [] }, false, true],
    ];
    for (const [answers, answerBoolean, expected] of cases) {
      expect(conditionHolds(when({ operator: 'exists', answerBoolean }), answers)).toBe(expected);
    }
  });

  it('matches a code in any system when the condition names none, and only in its own when it does', () => {
    const answers: SurveyAnswers = { q: [coding('yes', 'urn:a')] };
    expect(conditionHolds(when({ answerCoding: { code: 'yes' } }), answers)).toBe(true);
    expect(conditionHolds(when({ answerCoding: { code: 'yes', system: 'urn:a' } }), answers)).toBe(true);
    expect(conditionHolds(when({ answerCoding: { code: 'yes', system: 'urn:b' } }), answers)).toBe(false);
    expect(
      conditionHolds(when({ operator: '!=', answerCoding: { code: 'yes', system: 'urn:b' } }), answers)
    ).toBe(true);
  });

  it('orders numbers, decimals and dates, and never orders values of different types', () => {
    const n: SurveyAnswers = { q: [{ valueInteger: 10 }] };
    expect(conditionHolds(when({ operator: '>', answerInteger: 9 }), n)).toBe(true);
    expect(conditionHolds(when({ operator: '>', answerInteger: 10 }), n)).toBe(false);
    expect(conditionHolds(when({ operator: '>=', answerInteger: 10 }), n)).toBe(true);
    expect(conditionHolds(when({ operator: '<', answerDecimal: 10.5 }), n)).toBe(true);
    expect(conditionHolds(when({ operator: '<=', answerInteger: 9 }), n)).toBe(false);
    const d: SurveyAnswers = { q: [{ valueDate: '2024-03-01' }] };
    expect(conditionHolds(when({ operator: '<', answerDate: '2024-12-31' }), d)).toBe(true);
    expect(conditionHolds(when({ operator: '>', answerDate: '2024-12-31' }), d)).toBe(false);
    // A number typed as text is not a number.
    expect(conditionHolds(when({ operator: '>', answerInteger: 1 }), { q: [{ valueString: '5' }] })).toBe(
      false
    );
    expect(conditionHolds(when({ answerBoolean: true }), { q: [{ valueBoolean: true }] })).toBe(true);
    expect(conditionHolds(when({ answerString: 'x' }), { q: [{ valueString: 'x' }] })).toBe(true);
    // A condition without a value never holds (except "!=", vacuously).
    expect(conditionHolds(when({}), { q: [coding('a')] })).toBe(false);
  });

  // A → B (if A = yes) → C (if B = yes); D is enabled when A = no OR C exists (enableBehavior any);
  // the group G (if A != no) holds E.
  const chain = questionnaire([
    { linkId: 'A', type: 'choice', answerOption: yesNo },
    {
      linkId: 'B',
      type: 'choice',
      answerOption: yesNo,
      enableWhen: [{ question: 'A', operator: '=', answerCoding: { code: 'yes' } }],
    },
    {
      linkId: 'C',
      type: 'string',
      enableWhen: [{ question: 'B', operator: '=', answerCoding: { code: 'yes' } }],
    },
    {
      linkId: 'D',
      type: 'string',
      enableBehavior: 'any',
      enableWhen: [
        { question: 'A', operator: '=', answerCoding: { code: 'no' } },
        { question: 'C', operator: 'exists', answerBoolean: true },
      ],
    },
    {
      linkId: 'G',
      type: 'group',
      enableWhen: [{ question: 'A', operator: '!=', answerCoding: { code: 'no' } }],
      item: [{ linkId: 'E', type: 'string' }],
    },
  ]);
  const items = flattenItems(chain);
  const shown = (answers: SurveyAnswers) => [...enabledLinkIds(items, answers)].sort().join('');

  it('follows a chain: an answer to a disabled item does not count', () => {
    // Nothing answered: A, and G (A != no holds with no answer), so E too.
    expect(shown({})).toBe('AEG');
    expect(shown({ A: [coding('yes')] })).toBe('ABEG');
    expect(shown({ A: [coding('yes')], B: [coding('yes')] })).toBe('ABCEG');
    expect(shown({ A: [coding('yes')], B: [coding('yes')], C: [{ valueString: 'x' }] })).toBe('ABCDEG');
    // A changes to "no": B is disabled, so its "yes" no longer enables C, and C's answer no longer
    // satisfies D's second condition; D is still enabled through its first condition; G closes
    // and takes E with it.
    expect(shown({ A: [coding('no')], B: [coding('yes')], C: [{ valueString: 'x' }] })).toBe('AD');
  });

  it('requires every condition by default, and any one with enableBehavior any', () => {
    const both = questionnaire([
      { linkId: 'x', type: 'integer' },
      { linkId: 'y', type: 'integer' },
      {
        linkId: 'all',
        type: 'string',
        enableBehavior: 'all',
        enableWhen: [
          { question: 'x', operator: '>', answerInteger: 0 },
          { question: 'y', operator: '>', answerInteger: 0 },
        ],
      },
      {
        linkId: 'any',
        type: 'string',
        enableBehavior: 'any',
        enableWhen: [
          { question: 'x', operator: '>', answerInteger: 0 },
          { question: 'y', operator: '>', answerInteger: 0 },
        ],
      },
    ]);
    const flat = flattenItems(both);
    const on = (answers: SurveyAnswers) => [...enabledLinkIds(flat, answers)].filter((id) => id.length > 1);
    expect(on({ x: [{ valueInteger: 1 }] })).toEqual(['any']);
    expect(on({ x: [{ valueInteger: 1 }], y: [{ valueInteger: 2 }] })).toEqual(['all', 'any']);
    expect(on({})).toEqual([]);
  });

  it('property: an item is enabled exactly when its group chain is enabled and its own conditions hold', () => {
    // For the chain questionnaire and any answers, enabledLinkIds agrees with a direct reading of
    // the rules on the answers that count (those of enabled items).
    const answer = fc.option(fc.constantFrom('yes', 'no'), { nil: undefined });
    fc.assert(
      fc.property(answer, answer, fc.boolean(), fc.boolean(), (a, b, c, e) => {
        const answers: Record<string, SurveyAnswer[]> = {};
        if (a !== undefined) answers.A = [coding(a)];
        if (b !== undefined) answers.B = [coding(b)];
        if (c) answers.C = [{ valueString: 'c' }];
        if (e) answers.E = [{ valueString: 'e' }];
        const enabled = enabledLinkIds(items, answers);
        const bOn = a === 'yes';
        const cOn = bOn && b === 'yes';
        const dOn = a === 'no' || (cOn && c);
        const gOn = a !== 'no';
        expect(enabled.has('A')).toBe(true);
        expect(enabled.has('B')).toBe(bOn);
        expect(enabled.has('C')).toBe(cOn);
        expect(enabled.has('D')).toBe(dOn);
        expect(enabled.has('G')).toBe(gOn);
        expect(enabled.has('E')).toBe(gOn);
      })
    );
  });
});

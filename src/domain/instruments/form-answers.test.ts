import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { flattenItems, type FlatItem } from '../surveys/items.js';
import { LOINC } from './fhir.js';
import {
  answersToFormValue,
  DATA_ABSENT_REASON,
  formValueToAnswers,
  NOT_APPLICABLE,
} from './form-answers.js';
import { GAD7_ITEMS, GAD7_OPTIONS } from './gad7.js';
import {
  PHQ9_DIFFICULTY_OPTIONS,
  PHQ9_FREQUENCY_OPTIONS,
  PHQ9_ITEMS,
  type AnswerOption,
  type InstrumentItem,
} from './phq9.js';
import { GAD7_QUESTIONNAIRE, PHQ9_QUESTIONNAIRE, WSAS_QUESTIONNAIRE } from './questionnaires.js';
import { WORK_STATUS_TEXT, WORK_STATUSES, WSAS_ITEMS } from './wsas.js';

const flat = (items: FlatItem[], linkId: string): FlatItem => {
  const item = items.find((i) => i.linkId === linkId);
  if (!item) throw new Error(`no item ${linkId}`);
  return item;
};

describe('form value ↔ FHIR answer', () => {
  it('maps a PHQ-9 score to the LOINC answer code of that option', () => {
    // PHQ9_FREQUENCY_OPTIONS: score 2 is "More than half the days", LOINC LA6570-1.
    expect(formValueToAnswers('2', PHQ9_FREQUENCY_OPTIONS)).toEqual([
      { valueCoding: { system: LOINC, code: 'LA6570-1' } },
    ]);
    // Item 10 has its own answer list: score 2 is "Very difficult", LA6575-0 (not LA6574-3,
    // which is score 3 — the LOINC codes are not in score order there).
    expect(formValueToAnswers('2', PHQ9_DIFFICULTY_OPTIONS)).toEqual([
      { valueCoding: { system: LOINC, code: 'LA6575-0' } },
    ]);
    expect(
      answersToFormValue([{ valueCoding: { system: LOINC, code: 'LA6574-3' } }], PHQ9_DIFFICULTY_OPTIONS)
    ).toBe('3');
  });

  it('round-trips every score of every answer list, and no answer as null', () => {
    for (const options of [PHQ9_FREQUENCY_OPTIONS, PHQ9_DIFFICULTY_OPTIONS, GAD7_OPTIONS]) {
      for (const option of options) {
        const value = String(option.score);
        expect(answersToFormValue(formValueToAnswers(value, options), options)).toBe(value);
      }
      expect(formValueToAnswers(null, options)).toEqual([]);
      expect(answersToFormValue([], options)).toBeNull();
    }
  });

  it('round-trips any whole-number WSAS score as valueInteger', () => {
    fc.assert(
      fc.property(fc.integer({ min: 0, max: 8 }), (score) => {
        const answers = formValueToAnswers(String(score));
        expect(answers).toEqual([{ valueInteger: score }]);
        expect(answersToFormValue(answers)).toBe(String(score));
      })
    );
  });

  it('keeps "not applicable" as the data-absent-reason coding, and back', () => {
    const answers = formValueToAnswers(NOT_APPLICABLE);
    expect(answers).toEqual([{ valueCoding: { system: DATA_ABSENT_REASON, code: 'not-applicable' } }]);
    expect(answersToFormValue(answers)).toBe(NOT_APPLICABLE);
  });

  it('reads an answer the item cannot have as no answer, and refuses a score it does not have', () => {
    // A GAD-7 item answered with an integer, a code from another system, or an unknown code.
    expect(answersToFormValue([{ valueInteger: 2 }], GAD7_OPTIONS)).toBeNull();
    expect(
      answersToFormValue([{ valueCoding: { system: 'urn:x', code: 'LA6570-1' } }], GAD7_OPTIONS)
    ).toBeNull();
    expect(
      answersToFormValue([{ valueCoding: { system: LOINC, code: 'LA0000-0' } }], GAD7_OPTIONS)
    ).toBeNull();
    // A WSAS (integer) item answered with a LOINC coding.
    expect(answersToFormValue([{ valueCoding: { system: LOINC, code: 'LA6570-1' } }])).toBeNull();
    expect(() => formValueToAnswers('4', PHQ9_FREQUENCY_OPTIONS)).toThrow(RangeError);
    expect(() => formValueToAnswers('x')).toThrow(RangeError);
  });
});

/**
 * The patient's forms now show the published Questionnaires' texts (through the shared renderer),
 * so those must be the very texts the instrument definitions hold, in both languages, and every
 * coding the mapping produces must be an option the renderer shows for that item.
 */
describe('the published Questionnaires carry the instruments’ texts and codes', () => {
  const cases: [string, FlatItem[], readonly InstrumentItem[], readonly AnswerOption[] | undefined][] = [
    ['PHQ-9', flattenItems(PHQ9_QUESTIONNAIRE), PHQ9_ITEMS, PHQ9_FREQUENCY_OPTIONS],
    ['GAD-7', flattenItems(GAD7_QUESTIONNAIRE), GAD7_ITEMS, GAD7_OPTIONS],
    ['WSAS', flattenItems(WSAS_QUESTIONNAIRE), WSAS_ITEMS, undefined],
  ];

  it.each(cases)('%s: item texts in nb and en', (_, items, definitions) => {
    for (const definition of definitions) {
      expect(flat(items, definition.linkId).text).toEqual(definition.text);
    }
  });

  it.each(cases)(
    '%s: option labels in nb and en, and the mapped coding among them',
    (_, items, definitions, options) => {
      for (const definition of definitions) {
        const item = flat(items, definition.linkId);
        if (options === undefined) {
          expect(item.type).toBe('integer');
          expect([item.min, item.max]).toEqual([0, 8]);
          continue;
        }
        expect(item.options.map((o) => o.display)).toEqual(options.map((o) => o.text));
        for (const option of options) {
          const [answer] = formValueToAnswers(String(option.score), options);
          const coding = answer && 'valueCoding' in answer ? answer.valueCoding : undefined;
          expect(item.options.some((o) => o.code === coding?.code && o.system === coding.system)).toBe(true);
        }
      }
    }
  );

  it('PHQ-9 item 10 and the WSAS work status: texts and options in both languages', () => {
    const phq9 = flattenItems(PHQ9_QUESTIONNAIRE);
    expect(flat(phq9, 'phq9-10').options.map((o) => o.display)).toEqual(
      PHQ9_DIFFICULTY_OPTIONS.map((o) => o.text)
    );
    const work = flat(flattenItems(WSAS_QUESTIONNAIRE), 'work-status');
    expect(work.options.map((o) => [o.code, o.display])).toEqual(
      WORK_STATUSES.map((status) => [status, WORK_STATUS_TEXT[status]])
    );
  });
});

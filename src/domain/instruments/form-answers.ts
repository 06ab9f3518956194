/**
 * Between the patient form's answer to an instrument item and the FHIR answer the shared
 * questionnaire renderer works with (web/components/questionnaire/QuestionnaireItem.tsx).
 *
 * The instrument form keeps each item's answer as the string of its score ("0"…"3" for PHQ-9 and
 * GAD-7, "0"…"8" for WSAS), or "not-applicable" for WSAS work, or null before it is answered. The
 * renderer shows the item of the published Questionnaire (questionnaires.ts) and speaks
 * `QuestionnaireResponse.item.answer`:
 * - a choice item (PHQ-9, GAD-7) answers with the option's LOINC answer coding, found through the
 *   domain's answer options (score ↔ LOINC code), the same codings the Questionnaire publishes;
 * - an integer item (WSAS) answers with `valueInteger`;
 * - "not applicable" is the coding `not-applicable` of FHIR's data-absent-reason code system. It is
 *   form state only: the server gets `null` for that item (wsas.ts), never this coding.
 *
 * Pure module: no I/O. Scores are never computed here.
 */
import type { SurveyAnswer } from '../surveys/items.js';
import { LOINC } from './fhir.js';
import type { AnswerOption } from './phq9.js';

/** A form value: a score as text, another choice value (`not-applicable`), or none yet. */
export type InstrumentFormValue = string | null;

export const NOT_APPLICABLE = 'not-applicable';
export const DATA_ABSENT_REASON = 'http://terminology.hl7.org/CodeSystem/data-absent-reason';

/**
 * The FHIR answers a form value stands for: none for null; the LOINC coding of the option with
 * that score when the item has answer options; `valueInteger` for a whole number otherwise;
 * the data-absent-reason coding for "not applicable". A value that fits none of these is an
 * error in the caller (a score the instrument does not have), not something to send.
 */
export function formValueToAnswers(
  value: InstrumentFormValue,
  options?: readonly AnswerOption[]
): SurveyAnswer[] {
  if (value === null) return [];
  if (value === NOT_APPLICABLE) {
    return [{ valueCoding: { system: DATA_ABSENT_REASON, code: NOT_APPLICABLE } }];
  }
  if (options !== undefined) {
    const option = options.find((o) => String(o.score) === value);
    if (!option) throw new RangeError(`No answer option with score ${value}`);
    return [{ valueCoding: { system: LOINC, code: option.loinc } }];
  }
  if (!/^\d+$/.test(value)) throw new RangeError(`Not a score: ${value}`);
  return [{ valueInteger: Number(value) }];
}

/**
 * The form value of the renderer's answers (the first one: instrument items never repeat), or
 * null for no answer or an answer the item cannot have (a code outside its options).
 */
export function answersToFormValue(
  answers: readonly SurveyAnswer[],
  options?: readonly AnswerOption[]
): InstrumentFormValue {
  const answer = answers[0];
  if (answer === undefined) return null;
  if ('valueCoding' in answer) {
    const { system, code } = answer.valueCoding;
    if (system === DATA_ABSENT_REASON && code === NOT_APPLICABLE) return NOT_APPLICABLE;
    if (options === undefined || (system !== undefined && system !== LOINC)) return null;
    const option = options.find((o) => o.loinc === code);
    return option ? String(option.score) : null;
  }
  if ('valueInteger' in answer && options === undefined) return String(answer.valueInteger);
  return null;
}

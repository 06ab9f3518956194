/**
 * A survey response as a FHIR R4 QuestionnaireResponse: the answers (already checked with
 * `checkAnswers`) placed in the questionnaire's own structure — groups keep their children in
 * `item.item`, a question's child items go under its answer (`answer.item`), as R4 requires — with
 * each item's text in the questionnaire's language and `questionnaire` naming the version answered
 * (`url|version`).
 *
 * Only enabled items with an answer are written (and the groups around them), so an answer to a
 * question the respondent never saw cannot enter the resource. An anonymous response carries no
 * subject, author or source; an identified one carries only its pseudonymous respondent key as an
 * identifier, never a name, e-mail or token.
 *
 * Pure module: no I/O.
 */
import type {
  Questionnaire,
  QuestionnaireItem,
  QuestionnaireResponse,
  QuestionnaireResponseItem,
  QuestionnaireResponseItemAnswer,
} from 'fhir/r4.js';
import {
  enabledLinkIds,
  flattenItems,
  primaryLanguage,
  type SurveyAnswer,
  type SurveyAnswers,
} from './items.js';

/** The system of the pseudonymous respondent key on an identified response. */
export const RESPONDENT_KEY_SYSTEM = 'https://gp-dep.example/fhir/NamingSystem/survey-respondent';

/** `url|version` of the questionnaire (`Questionnaire/<id>|version` when it has no url). */
export function questionnaireCanonical(questionnaire: Questionnaire): string {
  const base = questionnaire.url ?? `Questionnaire/${questionnaire.id ?? 'unknown'}`;
  return questionnaire.version === undefined ? base : `${base}|${questionnaire.version}`;
}

function toFhirAnswer(answer: SurveyAnswer): QuestionnaireResponseItemAnswer {
  if ('valueCoding' in answer) {
    const { system, code, display } = answer.valueCoding;
    return {
      valueCoding: {
        ...(system === undefined ? {} : { system }),
        code,
        ...(display === undefined ? {} : { display }),
      },
    };
  }
  if ('valueString' in answer) return { valueString: answer.valueString };
  if ('valueInteger' in answer) return { valueInteger: answer.valueInteger };
  if ('valueDecimal' in answer) return { valueDecimal: answer.valueDecimal };
  if ('valueDate' in answer) return { valueDate: answer.valueDate };
  return { valueBoolean: answer.valueBoolean };
}

export interface ResponseOptions {
  /** A stable id for the resource (the response row's id). */
  id: string;
  status: 'in-progress' | 'completed';
  /** When the answers were last saved or submitted. */
  authored: Date;
  /** The identified respondent's pseudonymous key; absent for an anonymous response. */
  respondentKey?: string;
}

/**
 * Builds the QuestionnaireResponse. A coded answer gets the option's display text in the
 * questionnaire's language when the answer gave none, so the resource reads on its own.
 */
export function buildQuestionnaireResponse(
  questionnaire: Questionnaire,
  answers: SurveyAnswers,
  options: ResponseOptions
): QuestionnaireResponse {
  const flat = flattenItems(questionnaire);
  const enabled = enabledLinkIds(flat, answers);
  const flatById = new Map(flat.map((f) => [f.linkId, f]));

  const withDisplay = (linkId: string, answer: SurveyAnswer): SurveyAnswer => {
    if (!('valueCoding' in answer) || answer.valueCoding.display !== undefined) return answer;
    const option = flatById.get(linkId)?.options.find((o) => o.code === answer.valueCoding.code);
    if (!option) return answer;
    return {
      valueCoding: { ...answer.valueCoding, display: option.display[primaryLanguage(questionnaire)] },
    };
  };

  const build = (items: readonly QuestionnaireItem[] | undefined): QuestionnaireResponseItem[] =>
    (items ?? []).flatMap((item): QuestionnaireResponseItem[] => {
      if (!enabled.has(item.linkId)) return [];
      const children = build(item.item);
      const given = answers[item.linkId] ?? [];
      const text = item.text === undefined ? {} : { text: item.text };
      if (item.type === 'group') {
        return children.length > 0 ? [{ linkId: item.linkId, ...text, item: children }] : [];
      }
      if (given.length === 0) {
        // A display item or an unanswered question: its children may still hold answers (R4 puts
        // them beside, since there is no answer to nest them under).
        return children.length > 0 && item.type !== 'display'
          ? [{ linkId: item.linkId, ...text, item: children }]
          : [];
      }
      const fhirAnswers = given.map((a) => toFhirAnswer(withDisplay(item.linkId, a)));
      // Nested questions belong to the (first) answer.
      if (children.length > 0) fhirAnswers[0] = { ...fhirAnswers[0]!, item: children };
      return [{ linkId: item.linkId, ...text, answer: fhirAnswers }];
    });

  return {
    resourceType: 'QuestionnaireResponse',
    id: options.id,
    questionnaire: questionnaireCanonical(questionnaire),
    status: options.status,
    authored: options.authored.toISOString(),
    ...(options.respondentKey === undefined
      ? {}
      : { identifier: { system: RESPONDENT_KEY_SYSTEM, value: options.respondentKey } }),
    item: build(questionnaire.item),
  };
}

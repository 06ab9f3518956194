/**
 * A questionnaire as a survey version takes it: validated against the survey subset (every problem
 * at once, each naming the item's linkId: domain/surveys/validate.ts), assembled (a PHQ-9 imported
 * as a subQuestionnaire becomes the instrument's own items: domain/surveys/assemble.ts) and
 * fingerprinted on what respondents see (domain/surveys/version.ts `contentFingerprint`), so the
 * same content is recognised as the same version.
 */
import type { Questionnaire } from 'fhir/r4.js';
import { assembleQuestionnaire } from '../../domain/surveys/assemble.js';
import { answerableItems, flattenItems } from '../../domain/surveys/items.js';
import { validateQuestionnaire } from '../../domain/surveys/validate.js';
import { contentFingerprint } from '../../domain/surveys/version.js';
import { HttpProblem } from '../problem.js';

export interface TakenQuestionnaire {
  /** The assembled form respondents see. */
  questionnaire: Questionnaire & { version: string; url: string };
  fingerprint: string;
}

/** A 400 naming every problem as `questionnaire.<path>` with the validator's sentence. */
export function questionnaireProblem(errors: readonly { path: string; message: string }[]): HttpProblem {
  const shown = errors
    .slice(0, 3)
    .map((e) => e.message)
    .join('; ');
  return new HttpProblem(
    400,
    'Bad Request',
    `The questionnaire cannot be used (${errors.length} problem${errors.length === 1 ? '' : 's'}): ${shown}${errors.length > 3 ? '; …' : ''}`,
    errors.map((e) => ({ field: e.path ? `questionnaire.${e.path}` : 'questionnaire', reason: e.message }))
  );
}

/** Validates and assembles; throws a 400 naming every problem. */
export function takeQuestionnaire(raw: unknown): TakenQuestionnaire {
  const validation = validateQuestionnaire(raw);
  if (!validation.ok) throw questionnaireProblem(validation.errors);
  const assembled = assembleQuestionnaire(validation.questionnaire);
  if (!assembled.ok) throw questionnaireProblem(assembled.errors);
  // The validator refuses a questionnaire without url and version.
  const questionnaire = assembled.questionnaire as TakenQuestionnaire['questionnaire'];
  return { questionnaire, fingerprint: contentFingerprint(questionnaire) };
}

/** How many items take an answer (for the researcher's list of versions). */
export function questionCount(questionnaire: Questionnaire): number {
  return answerableItems(flattenItems(questionnaire)).length;
}

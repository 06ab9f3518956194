/**
 * What the two respondent pages share: the answers, the messages per item from the server's
 * checks (a 400 problem names each item as `answers.<linkId>` or `answers/<linkId>`), and whether
 * the crisis numbers are shown — at once on this device when the survey's PHQ-9 item 9 is above 0
 * (the domain's rule, no request needed), or when the server says so.
 */
import type { Questionnaire } from 'fhir/r4.js';
import { useMemo, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { phq9ItemNinePositive } from '../../../domain/surveys/assemble.js';
import {
  answerableItems,
  enabledLinkIds,
  flattenItems,
  type SurveyAnswer,
  type SurveyAnswers,
} from '../../../domain/surveys/items.js';
import { ApiError } from '../../api/client.js';

/**
 * The linkId a server field name points at (`answers.<linkId>`, possibly with an answer index
 * after it), if it names an item of this questionnaire; linkIds may themselves hold dots.
 */
export function linkIdOfField(field: string, known: ReadonlySet<string>): string | null {
  const rest = /^\/?(?:body[./])?answers[./](.+)$/.exec(field)?.[1];
  if (rest === undefined) return null;
  if (known.has(rest)) return rest;
  const withoutIndex = rest.replace(/[./]\d+$/, '');
  return known.has(withoutIndex) ? withoutIndex : null;
}

/** Only the answers to items shown: what branching hid is not sent. */
export function answersToSend(questionnaire: Questionnaire, answers: SurveyAnswers): SurveyAnswers {
  const items = flattenItems(questionnaire);
  const enabled = enabledLinkIds(items, answers);
  const out: Record<string, readonly SurveyAnswer[]> = {};
  for (const item of answerableItems(items)) {
    const given = answers[item.linkId];
    if (enabled.has(item.linkId) && given && given.length > 0) out[item.linkId] = given;
  }
  return out;
}

export function useSurveyForm(questionnaire: Questionnaire | null, initial: SurveyAnswers = {}) {
  const { t } = useTranslation();
  const [answers, setAnswers] = useState<SurveyAnswers>(initial);
  const [errors, setErrors] = useState<Record<string, string>>({});
  const [serverCrisis, setServerCrisis] = useState(false);
  const localCrisis = useMemo(() => phq9ItemNinePositive(answers), [answers]);

  /** Items that must be answered and are not (shown before anything is sent). */
  const missingRequired = (): Record<string, string> => {
    if (!questionnaire) return {};
    const items = flattenItems(questionnaire);
    const enabled = enabledLinkIds(items, answers);
    const missing: Record<string, string> = {};
    for (const item of answerableItems(items)) {
      if (item.required && enabled.has(item.linkId) && !(answers[item.linkId]?.length ?? 0)) {
        missing[item.linkId] = t('surveyRespondent.required');
      }
    }
    return missing;
  };

  /** Messages per item from a refused request; false when the error named no item. */
  const takeServerErrors = (error: unknown): boolean => {
    if (!(error instanceof ApiError) || !error.problem.errors?.length) return false;
    const known = new Set(questionnaire ? flattenItems(questionnaire).map((item) => item.linkId) : []);
    const next: Record<string, string> = {};
    for (const fieldError of error.problem.errors) {
      const linkId = linkIdOfField(fieldError.field, known);
      if (linkId) next[linkId] = fieldError.reason;
    }
    if (Object.keys(next).length === 0) return false;
    setErrors(next);
    return true;
  };

  return {
    answers,
    setAnswers,
    errors,
    setErrors,
    crisis: localCrisis || serverCrisis,
    setServerCrisis,
    missingRequired,
    takeServerErrors,
    change: (linkId: string, value: readonly SurveyAnswer[]) => {
      setAnswers((previous) => ({ ...previous, [linkId]: value }));
      setErrors((previous) => {
        if (!(linkId in previous)) return previous;
        const { [linkId]: _cleared, ...rest } = previous;
        return rest;
      });
    },
  };
}

/**
 * Why a Questionnaire was refused: the server's validator names every problem (`field` is
 * `questionnaire.<path>`, the reason starts with the item's linkId), listed here in full, above the
 * form, focused when it appears so keyboard and screen-reader users hear it first.
 */
import { Alert, Heading, Paragraph } from '@digdir/designsystemet-react';
import { useEffect, useRef } from 'react';
import { useTranslation } from 'react-i18next';
import { ApiError } from '../../../api/client.js';
import { describeError } from '../../../components/errors.js';

/** What went wrong with a questionnaire: a file that is not JSON, or the server's list of problems. */
export type QuestionnaireFailure = { kind: 'notJson' } | { kind: 'api'; error: unknown };

export function QuestionnaireProblems({ failure, id }: { failure: QuestionnaireFailure | null; id: string }) {
  const { t } = useTranslation();
  const ref = useRef<HTMLDivElement>(null);
  useEffect(() => {
    if (failure) ref.current?.focus();
  }, [failure]);
  if (!failure) return null;
  const problems =
    failure.kind === 'api' && failure.error instanceof ApiError
      ? failure.error.fieldErrors.filter((e) => e.field.startsWith('questionnaire'))
      : [];
  return (
    <Alert
      data-color="danger"
      ref={ref}
      tabIndex={-1}
      id={id}
      data-testid="questionnaire-problems"
      role="alert"
    >
      <Heading level={3} data-size="2xs">
        {problems.length > 0
          ? t('researchSurveyAdmin.problemsHeading', { count: problems.length })
          : t('researchSurveyAdmin.notSaved')}
      </Heading>
      {failure.kind === 'notJson' && <Paragraph>{t('researchSurveyAdmin.notJson')}</Paragraph>}
      {failure.kind === 'api' && problems.length === 0 && (
        <Paragraph>{describeError(t, failure.error)}</Paragraph>
      )}
      {problems.length > 0 && (
        <ul>
          {problems.map((problem, index) => (
            <li key={`${problem.field}-${index}`}>
              {problem.reason} <code>{problem.field}</code>
            </li>
          ))}
        </ul>
      )}
    </Alert>
  );
}

/** The file's text parsed as JSON; null when it is not JSON or not an object. */
export async function readJsonFile(file: File): Promise<Record<string, unknown> | null> {
  try {
    const parsed: unknown = JSON.parse(await file.text());
    return typeof parsed === 'object' && parsed !== null && !Array.isArray(parsed)
      ? (parsed as Record<string, unknown>)
      : null;
  } catch {
    return null;
  }
}

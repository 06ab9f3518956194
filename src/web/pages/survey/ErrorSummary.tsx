/**
 * The list of items that need an answer or a correction, above the form, each a link to its
 * question (the pattern of the Norwegian and UK public design systems): announced when it appears
 * and focused, so keyboard and screen-reader users know what stopped the submit.
 */
import { Alert, Heading } from '@digdir/designsystemet-react';
import type { Questionnaire } from 'fhir/r4.js';
import { useEffect, useMemo, useRef } from 'react';
import { useTranslation } from 'react-i18next';
import { flattenItems } from '../../../domain/surveys/items.js';
import { questionnaireFieldId } from '../../components/questionnaire/QuestionnaireForm.js';
import { useLanguage } from '../../i18n/useLanguage.js';

export function ErrorSummary({
  errors,
  questionnaire,
}: {
  errors: Readonly<Record<string, string>>;
  questionnaire: Questionnaire;
}) {
  const { t } = useTranslation();
  const language = useLanguage();
  const ref = useRef<HTMLDivElement>(null);
  const items = useMemo(() => flattenItems(questionnaire), [questionnaire]);
  const listed = items.filter((item) => errors[item.linkId] !== undefined);
  const count = listed.length;
  useEffect(() => {
    if (count > 0) ref.current?.focus();
  }, [count]);
  if (count === 0) return null;
  return (
    <Alert
      data-color="danger"
      ref={ref}
      tabIndex={-1}
      className="survey-error-summary"
      data-testid="survey-error-summary"
    >
      <Heading level={2} data-size="xs">
        {t('surveyRespondent.errorsHeading', { count })}
      </Heading>
      <ul>
        {listed.map((item) => (
          <li key={item.linkId}>
            <a href={`#${questionnaireFieldId(item.linkId)}`}>
              {item.text[language]}: {errors[item.linkId]}
            </a>
          </li>
        ))}
      </ul>
    </Alert>
  );
}

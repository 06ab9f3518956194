/** GAD-7: seven questions about anxiety over the last two weeks. The server scores it. */
import { Card, Paragraph } from '@digdir/designsystemet-react';
import { useState, type FormEvent } from 'react';
import { useTranslation } from 'react-i18next';
import { GAD7_INTRO, GAD7_ITEMS, GAD7_OPTIONS } from '../../../../domain/instruments/gad7.js';
import { api } from '../../../api/client.js';
import { ChoiceGroup } from '../../../components/ChoiceGroup.js';
import { formatLongDate } from '../../../format.js';
import { useApiData } from '../../../hooks/useApiData.js';
import { useLanguage } from '../../../i18n/useLanguage.js';
import { usePatientId } from '../usePatientId.js';
import {
  MeasurePageFrame,
  MeasureResult,
  MissingSummary,
  SubmitFooter,
  useMeasureSubmit,
} from './MeasureParts.js';

const itemId = (index: number) => `gad7-item-${index + 1}`;

export function Gad7Page() {
  const { t } = useTranslation();
  const language = useLanguage();
  const patientId = usePatientId();
  const [answers, setAnswers] = useState<(number | null)[]>(() => GAD7_ITEMS.map(() => null));
  const [showMissing, setShowMissing] = useState(false);
  const [focusSummary, setFocusSummary] = useState(0);
  const submission = useMeasureSubmit((key) =>
    api.submitGad7(
      patientId,
      answers.map((a) => a ?? 0),
      key
    )
  );
  const { state } = submission;
  // Inside the two-week recall of the last GAD-7 (issue 11 §3), say from when instead of the form.
  const program = useApiData((signal) => api.getProgram(patientId, signal), [patientId]);
  const notBefore = program.data?.answerFrom.gad7 ?? null;

  const missing = answers
    .map((answer, index) =>
      answer === null ? { id: itemId(index), text: t('phq9.missingItem', { number: index + 1 }) } : null
    )
    .filter((item): item is { id: string; text: string } => item !== null);

  function onSubmit(event: FormEvent<HTMLFormElement>) {
    event.preventDefault();
    if (state.kind === 'submitting') return;
    if (missing.length > 0) {
      setShowMissing(true);
      setFocusSummary((n) => n + 1);
      return;
    }
    void submission.submit();
  }

  return (
    <MeasurePageFrame instrument="gad7" title={t('instruments.gad7.heading')}>
      {state.kind === 'done' ? (
        <MeasureResult result={state.result} max={21} explanation={t('measure.gad7Explanation')} />
      ) : notBefore ? (
        <Card data-color="neutral" data-testid="gad7-not-yet">
          <Paragraph>
            {t('measure.notYet', {
              name: t('instruments.gad7.name'),
              date: formatLongDate(notBefore, language),
            })}
          </Paragraph>
        </Card>
      ) : (
        <>
          <Paragraph>{t('instruments.gad7.about')}</Paragraph>
          <Card data-color="neutral" className="phq9-card">
            <form
              className="phq9-form"
              onSubmit={onSubmit}
              noValidate
              aria-label={t('instruments.gad7.name')}
            >
              {showMissing && <MissingSummary items={missing} focusSignal={focusSummary} />}
              <Paragraph className="phq9-form__intro">
                <strong>{GAD7_INTRO[language]}</strong>
              </Paragraph>
              <Paragraph data-size="sm">{t('phq9.required')}</Paragraph>
              {GAD7_ITEMS.map((item, index) => (
                <div key={item.linkId} className="phq9-form__item">
                  <ChoiceGroup
                    id={itemId(index)}
                    name={item.linkId}
                    legend={t('phq9.itemLegend', { number: index + 1, text: item.text[language] })}
                    choices={GAD7_OPTIONS.map((o) => ({ value: String(o.score), label: o.text[language] }))}
                    value={answers[index] === null ? null : String(answers[index])}
                    error={showMissing && answers[index] === null ? t('phq9.chooseAnswer') : null}
                    onChange={(value) => {
                      setAnswers((previous) => previous.map((a, i) => (i === index ? Number(value) : a)));
                      submission.changed();
                    }}
                  />
                </div>
              ))}
              <SubmitFooter state={state} onRetry={() => void submission.submit()} />
            </form>
          </Card>
        </>
      )}
    </MeasurePageFrame>
  );
}

/** GAD-7: seven questions about anxiety over the last two weeks. The server scores it. */
import { Card, Paragraph } from '@digdir/designsystemet-react';
import { useTranslation } from 'react-i18next';
import { GAD7_INTRO, GAD7_ITEMS, GAD7_OPTIONS } from '../../../../domain/instruments/gad7.js';
import { GAD7_FORM_ITEMS } from '../../../../domain/instruments/form-items.js';
import { api, type Measurement } from '../../../api/client.js';
import { formatLongDate } from '../../../format.js';
import { useApiData } from '../../../hooks/useApiData.js';
import { useLanguage } from '../../../i18n/useLanguage.js';
import { usePatientId } from '../usePatientId.js';
import { InstrumentForm, unansweredItems, useInstrumentForm } from './InstrumentForm.js';
import { MeasurePageFrame, MeasureResult } from './MeasureParts.js';

export function Gad7Page() {
  const { t } = useTranslation();
  const language = useLanguage();
  const patientId = usePatientId();
  const form = useInstrumentForm<Measurement>({
    itemCount: GAD7_ITEMS.length,
    validate: unansweredItems,
    send: (answers, key) =>
      api.submitGad7(
        patientId,
        answers.map((answer) => Number(answer ?? 0)),
        key
      ),
  });
  // Inside the two-week recall of the last GAD-7 (issue 11 §3), say from when instead of the form.
  const program = useApiData((signal) => api.getProgram(patientId, signal), [patientId]);
  const notBefore = program.data?.answerFrom.gad7 ?? null;

  return (
    <MeasurePageFrame instrument="gad7" title={t('instruments.gad7.heading')}>
      {form.submit.kind === 'done' ? (
        <MeasureResult result={form.submit.result} max={21} explanation={t('measure.gad7Explanation')} />
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
            <InstrumentForm
              form={form}
              definition={{
                formItems: GAD7_FORM_ITEMS,
                items: GAD7_ITEMS,
                intro: GAD7_INTRO,
                options: GAD7_OPTIONS,
              }}
              idPrefix="gad7"
              headingLevel={2}
              testIdPrefix="measure"
              summaryTestId="measure-missing"
              ariaLabel={t('instruments.gad7.name')}
            />
          </Card>
        </>
      )}
    </MeasurePageFrame>
  );
}

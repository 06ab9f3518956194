/**
 * WSAS: how much the problems get in the way of work, home, social and private leisure, and
 * close relationships (0-8 each), with the work-status question. Work can be "not applicable"
 * (retired, or not working for reasons unrelated to the problems). The server scores it.
 */
import { Card, Paragraph } from '@digdir/designsystemet-react';
import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import { WSAS_FORM_ITEMS, WSAS_WORK_STATUS_FORM_ITEM } from '../../../../domain/instruments/form-items.js';
import {
  WORK_STATUSES,
  workItemMayBeNotApplicable,
  WSAS_ANCHORS,
  WSAS_INTRO,
  WSAS_ITEMS,
  type WorkStatus,
} from '../../../../domain/instruments/wsas.js';
import { api, type Measurement } from '../../../api/client.js';
import type { Choice } from '../../../components/ChoiceGroup.js';
import { ChoiceItem } from '../../../components/questionnaire/ChoiceItem.js';
import { useLanguage } from '../../../i18n/useLanguage.js';
import { usePatientId } from '../usePatientId.js';
import { InstrumentForm, unansweredItems, useInstrumentForm } from './InstrumentForm.js';
import { MeasurePageFrame, MeasureResult } from './MeasureParts.js';
import './WsasPage.css';

const NOT_APPLICABLE = 'not-applicable';
const WORK_STATUS_ID = 'wsas-work-status';

export function WsasPage() {
  const { t } = useTranslation();
  const language = useLanguage();
  const patientId = usePatientId();
  const [workStatus, setWorkStatus] = useState<WorkStatus | null>(null);
  const form = useInstrumentForm<Measurement>({
    itemCount: WSAS_ITEMS.length,
    validate: (answers) => [...(workStatus === null ? ['workStatus'] : []), ...unansweredItems(answers)],
    send: (answers, key) =>
      api.submitWsas(
        patientId,
        {
          items: answers.map((a) => (a === NOT_APPLICABLE || a === null ? null : Number(a))),
          workStatus: workStatus ?? 'working',
        },
        key
      ),
  });

  const scoreChoices: Choice[] = Array.from({ length: 9 }, (_, score) => {
    const anchor = WSAS_ANCHORS.find((a) => a.score === score);
    return { value: String(score), label: anchor ? `${score} – ${anchor.text[language]}` : String(score) };
  });

  return (
    <MeasurePageFrame instrument="wsas" title={t('instruments.wsas.heading')}>
      {form.submit.kind === 'done' ? (
        <MeasureResult
          result={form.submit.result}
          max={40}
          explanation={t('measure.wsasExplanation')}
          extra={
            form.submit.result.itemScores[0] === null ? (
              <Paragraph>{t('measure.wsasWorkNotApplicable')}</Paragraph>
            ) : null
          }
        />
      ) : (
        <>
          <Paragraph>{t('instruments.wsas.about')}</Paragraph>
          <Card data-color="neutral" className="phq9-card">
            <InstrumentForm
              form={form}
              definition={{ formItems: WSAS_FORM_ITEMS, items: WSAS_ITEMS, intro: WSAS_INTRO }}
              idPrefix="wsas"
              headingLevel={2}
              testIdPrefix="measure"
              summaryTestId="measure-missing"
              ariaLabel={t('instruments.wsas.name')}
              introHelp={t('wsas.scaleHelp')}
              missingItemText={(index) => t('wsas.missingItem', { number: index + 1 })}
              // "Not applicable" only where the rule allows it (domain/instruments/wsas.ts).
              choices={(index) =>
                index === 0 && workItemMayBeNotApplicable(workStatus)
                  ? [...scoreChoices, { value: NOT_APPLICABLE, label: t('wsas.notApplicable') }]
                  : scoreChoices
              }
              optionsClassName={(index) => (index === 0 ? 'wsas-options' : undefined)}
              before={{
                fields: [{ field: 'workStatus', id: WORK_STATUS_ID, text: t('wsas.missingWorkStatus') }],
                content: (
                  <div className="phq9-form__item">
                    <ChoiceItem
                      item={WSAS_WORK_STATUS_FORM_ITEM}
                      id={WORK_STATUS_ID}
                      name="wsas-work-status"
                      language={language}
                      // The form's own wording of the question (the options are the Questionnaire's).
                      label={t('wsas.workStatusLegend')}
                      answers={workStatus === null ? [] : [{ valueCoding: { code: workStatus } }]}
                      error={form.isFlagged('workStatus') ? t('phq9.chooseAnswer') : null}
                      onChange={(_, answers) => {
                        const answer = answers[0];
                        const code = answer && 'valueCoding' in answer ? answer.valueCoding.code : null;
                        const status = WORK_STATUSES.find((s) => s === code) ?? null;
                        setWorkStatus(status);
                        // A "not applicable" work answer does not survive a status where work applies.
                        if (!workItemMayBeNotApplicable(status) && form.answers[0] === NOT_APPLICABLE) {
                          form.setItem(0, null);
                        }
                        form.changed('workStatus');
                      }}
                    />
                  </div>
                ),
              }}
            />
          </Card>
        </>
      )}
    </MeasurePageFrame>
  );
}

/**
 * WSAS: how much the problems get in the way of work, home, social and private leisure, and
 * close relationships (0-8 each), with the work-status question. Work can be "not applicable"
 * (retired, or not working for reasons unrelated to the problems). The server scores it.
 */
import { Card, Paragraph } from '@digdir/designsystemet-react';
import { useState, type FormEvent } from 'react';
import { useTranslation } from 'react-i18next';
import {
  WORK_STATUS_TEXT,
  WORK_STATUSES,
  workItemMayBeNotApplicable,
  WSAS_ANCHORS,
  WSAS_INTRO,
  WSAS_ITEMS,
  type WorkStatus,
} from '../../../../domain/instruments/wsas.js';
import { api } from '../../../api/client.js';
import { ChoiceGroup, type Choice } from '../../../components/ChoiceGroup.js';
import { useLanguage } from '../../../i18n/useLanguage.js';
import { usePatientId } from '../usePatientId.js';
import {
  MeasurePageFrame,
  MeasureResult,
  MissingSummary,
  SubmitFooter,
  useMeasureSubmit,
} from './MeasureParts.js';

const NOT_APPLICABLE = 'not-applicable';
const WORK_STATUS_ID = 'wsas-work-status';
const itemId = (index: number) => `wsas-item-${index + 1}`;

/** An answer per item: a score 0-8, "not applicable" (work only), or nothing yet. */
type ItemAnswer = number | typeof NOT_APPLICABLE | null;

export function WsasPage() {
  const { t } = useTranslation();
  const language = useLanguage();
  const patientId = usePatientId();
  const [workStatus, setWorkStatus] = useState<WorkStatus | null>(null);
  const [answers, setAnswers] = useState<ItemAnswer[]>(() => WSAS_ITEMS.map(() => null));
  const [showMissing, setShowMissing] = useState(false);
  const [focusSummary, setFocusSummary] = useState(0);
  const submission = useMeasureSubmit((key) =>
    api.submitWsas(
      patientId,
      {
        items: answers.map((a) => (a === NOT_APPLICABLE || a === null ? null : a)),
        workStatus: workStatus ?? 'working',
      },
      key
    )
  );
  const { state } = submission;

  const scoreChoices: Choice[] = Array.from({ length: 9 }, (_, score) => {
    const anchor = WSAS_ANCHORS.find((a) => a.score === score);
    return { value: String(score), label: anchor ? `${score} – ${anchor.text[language]}` : String(score) };
  });

  const missing = [
    ...(workStatus === null ? [{ id: WORK_STATUS_ID, text: t('wsas.missingWorkStatus') }] : []),
    ...answers.flatMap((answer, index) =>
      answer === null ? [{ id: itemId(index), text: t('wsas.missingItem', { number: index + 1 }) }] : []
    ),
  ];

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

  function setItem(index: number, value: string) {
    const answer: ItemAnswer = value === NOT_APPLICABLE ? NOT_APPLICABLE : Number(value);
    setAnswers((previous) => previous.map((a, i) => (i === index ? answer : a)));
    submission.changed();
  }

  return (
    <MeasurePageFrame instrument="wsas" title={t('instruments.wsas.heading')}>
      {state.kind === 'done' ? (
        <MeasureResult
          result={state.result}
          max={40}
          explanation={t('measure.wsasExplanation')}
          extra={
            state.result.itemScores[0] === null ? (
              <Paragraph>{t('measure.wsasWorkNotApplicable')}</Paragraph>
            ) : null
          }
        />
      ) : (
        <>
          <Paragraph>{t('instruments.wsas.about')}</Paragraph>
          <Card data-color="neutral" className="phq9-card">
            <form
              className="phq9-form"
              onSubmit={onSubmit}
              noValidate
              aria-label={t('instruments.wsas.name')}
            >
              {showMissing && <MissingSummary items={missing} focusSignal={focusSummary} />}
              <Paragraph data-size="sm">{t('phq9.required')}</Paragraph>
              <div className="phq9-form__item">
                <ChoiceGroup
                  id={WORK_STATUS_ID}
                  name="wsas-work-status"
                  legend={t('wsas.workStatusLegend')}
                  choices={WORK_STATUSES.map((status) => ({
                    value: status,
                    label: WORK_STATUS_TEXT[status][language],
                  }))}
                  value={workStatus}
                  error={showMissing && workStatus === null ? t('phq9.chooseAnswer') : null}
                  onChange={(value) => {
                    const status = WORK_STATUSES.find((s) => s === value) ?? null;
                    setWorkStatus(status);
                    // A "not applicable" work answer does not survive a status where work applies.
                    if (!workItemMayBeNotApplicable(status)) {
                      setAnswers((previous) =>
                        previous.map((a, i) => (i === 0 && a === NOT_APPLICABLE ? null : a))
                      );
                    }
                    submission.changed();
                  }}
                />
              </div>
              <Paragraph className="phq9-form__intro">
                <strong>{WSAS_INTRO[language]}</strong>
              </Paragraph>
              <Paragraph data-size="sm">{t('wsas.scaleHelp')}</Paragraph>
              {WSAS_ITEMS.map((item, index) => (
                <div key={item.linkId} className="phq9-form__item">
                  <ChoiceGroup
                    id={itemId(index)}
                    name={item.linkId}
                    legend={t('phq9.itemLegend', { number: index + 1, text: item.text[language] })}
                    choices={
                      // "Not applicable" only where the rule allows it (domain/instruments/wsas.ts).
                      index === 0 && workItemMayBeNotApplicable(workStatus)
                        ? [...scoreChoices, { value: NOT_APPLICABLE, label: t('wsas.notApplicable') }]
                        : scoreChoices
                    }
                    value={answers[index] === null ? null : String(answers[index])}
                    error={showMissing && answers[index] === null ? t('phq9.chooseAnswer') : null}
                    onChange={(value) => setItem(index, value)}
                    optionsClassName={index === 0 ? 'wsas-options' : undefined}
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

/**
 * The treat-to-target decision at about week 4 and week 8: the rule, the patient's numbers, and
 * the GP's choice (continue, more GP talks, consider medication, the municipality's low-threshold
 * service, referral to DPS), recorded with what it changes in the plan.
 */
import { Alert, Button, Paragraph, Textfield } from '@digdir/designsystemet-react';
import { useState, type FormEvent } from 'react';
import type { TFunction } from 'i18next';
import { useTranslation } from 'react-i18next';
import { ChoiceGroup } from '../../../components/ChoiceGroup.js';
import { describeError } from '../../../components/errors.js';
import type { Checkpoint } from '../../../../domain/followup/treat-to-target.js';
import type { DecisionChoice } from '../../../../contract/followup.js';
import { gpApi } from '../gp-api.js';

/** Every choice the contract allows, in the order the GP reads them (the record makes it exhaustive). */
const DECISION_CHOICES = Object.keys({
  continue: true,
  more_gp_talks: true,
  consider_medication: true,
  low_threshold_service: true,
  refer_dps: true,
} satisfies Record<DecisionChoice, true>) as DecisionChoice[];

export function DecisionPoint({
  patientId,
  week,
  baseline,
  latest,
  target,
  onDecided,
}: {
  patientId: string;
  week: Checkpoint;
  baseline: number | null;
  latest: number | null;
  /** From the server, computed by the same function as the worklist's flags. */
  target: { checkpoint: Checkpoint | null; signal: boolean | null; improvementPercent: number | null };
  onDecided: () => void;
}) {
  const { t } = useTranslation();
  // The status belongs to this decision point only when the latest PHQ-9 has reached its week;
  // otherwise the decision needs a new PHQ-9 first.
  const status =
    target.checkpoint === week ? target : { checkpoint: null, signal: null, improvementPercent: null };
  const needsNewPhq9 = baseline !== null && baseline > 0 && target.checkpoint !== week;
  const [choice, setChoice] = useState<DecisionChoice | null>(null);
  const [note, setNote] = useState('');
  const [choiceError, setChoiceError] = useState<string | null>(null);
  const [error, setError] = useState<string | null>(null);
  const [done, setDone] = useState<string | null>(null);
  const [submitting, setSubmitting] = useState(false);

  async function onSubmit(event: FormEvent<HTMLFormElement>) {
    event.preventDefault();
    if (!choice) {
      setChoiceError(t('gp.decision.chooseOne'));
      return;
    }
    setSubmitting(true);
    setError(null);
    try {
      const result = await gpApi.decide(patientId, {
        week,
        choice,
        ...(note.trim() ? { note: note.trim() } : {}),
      });
      setDone(planChangeText(t, result.planChange));
      onDecided();
    } catch (caught) {
      setError(describeError(t, caught));
    } finally {
      setSubmitting(false);
    }
  }

  return (
    <div className="stack-md" data-testid="decision-point">
      <Paragraph>{week === 4 ? t('gp.decision.rule4') : t('gp.decision.rule8')}</Paragraph>
      {status.signal !== null && baseline !== null && latest !== null && (
        <Alert data-color={status.signal ? 'warning' : 'success'}>
          <Paragraph>
            <strong>
              {t('gp.decision.numbers', {
                baseline,
                latest,
                percent: status.improvementPercent ?? 0,
              })}
            </strong>{' '}
            {status.signal
              ? t(week === 4 ? 'gp.decision.signal4' : 'gp.decision.signal8')
              : t('gp.decision.onTarget')}
          </Paragraph>
        </Alert>
      )}
      {needsNewPhq9 && (
        <Alert data-color="info">
          <Paragraph>{t('gp.decision.needsPhq9', { week })}</Paragraph>
        </Alert>
      )}
      {done ? (
        <Alert data-color="success" role="status">
          <Paragraph>{done}</Paragraph>
        </Alert>
      ) : (
        <form className="stack-md" onSubmit={onSubmit} noValidate>
          <ChoiceGroup
            id={`decision-week-${week}`}
            name={`decision-week-${week}`}
            legend={t('gp.decision.legend', { week })}
            choices={DECISION_CHOICES.map((value) => ({
              value,
              label: t(`gp.decision.choice.${value}`),
              description: t(`gp.decision.effect.${value}`),
            }))}
            value={choice}
            error={choiceError}
            onChange={(value) => {
              const found = DECISION_CHOICES.find((c) => c === value);
              if (found) {
                setChoice(found);
                setChoiceError(null);
              }
            }}
          />
          <Textfield
            label={t('gp.decision.note')}
            multiline
            rows={2}
            maxLength={2000}
            value={note}
            onChange={(event) => setNote(event.target.value)}
          />
          {error && (
            <Alert data-color="danger" role="alert">
              <Paragraph>{error}</Paragraph>
            </Alert>
          )}
          <div>
            <Button type="submit" variant="secondary" loading={submitting}>
              {t('gp.decision.submit')}
            </Button>
          </div>
        </form>
      )}
    </div>
  );
}

function planChangeText(t: TFunction, change: string): string {
  switch (change) {
    case 'extra_follow_up_planned':
      return t('gp.decision.changed.extra_follow_up_planned');
    case 'program_continues_alongside_referral':
      return t('gp.decision.changed.program_continues_alongside_referral');
    case 'medication_talk_at_next_follow_up':
      return t('gp.decision.changed.medication_talk_at_next_follow_up');
    default:
      return t('gp.decision.changed.none');
  }
}

/**
 * "How it has gone" on the patient's home page (issue 17): the first and latest PHQ-9 (and GAD-7)
 * and what the change means, in kind, plain words: no "case", no grading. The rule is the one the
 * GP sees (domain/outcomes). When the points have gone up reliably, the crisis panel is shown, as
 * wherever risk could be shown.
 */
import { Paragraph, Tag } from '@digdir/designsystemet-react';
import { useTranslation } from 'react-i18next';
import type { PatientOutcome } from '../../../../contract/outcomes.js';
import { CrisisPanel } from '../../../components/CrisisPanel.js';
import { WORK_STATUS_TEXT, type WorkStatus } from '../../../../domain/instruments/wsas.js';
import { useLanguage } from '../../../i18n/useLanguage.js';
import './MyOutcome.css';

const NAMES = { phq9: 'PHQ-9', gad7: 'GAD-7' } as const;

export function MyOutcome({ outcome }: { outcome: PatientOutcome }) {
  const { t } = useTranslation();
  const language = useLanguage();
  const status =
    outcome.workStatus && outcome.workStatus in WORK_STATUS_TEXT
      ? WORK_STATUS_TEXT[outcome.workStatus as WorkStatus][language]
      : null;
  const flags = outcome.flags;
  return (
    <div className="my-outcome stack-sm" data-testid="my-outcome">
      {outcome.provisional && (
        <Tag
          data-color="info"
          data-size="sm"
          className="my-outcome__provisional"
          data-testid="my-outcome-provisional"
        >
          {t('myOutcome.provisional')}
        </Tag>
      )}
      {!flags && <Paragraph data-testid="my-outcome-not-yet">{t('myOutcome.notYet')}</Paragraph>}
      {outcome.measures.map((m) => (
        <Paragraph key={m.measure} data-testid={`my-outcome-${m.measure}`}>
          {t('myOutcome.scores', { name: NAMES[m.measure], first: m.first, last: m.last })}
        </Paragraph>
      ))}
      {flags && (
        <ul className="my-outcome__points">
          <li data-testid="my-outcome-change">
            {flags.reliable_improvement
              ? t('myOutcome.improved')
              : flags.reliable_deterioration
                ? t('myOutcome.worse')
                : t('myOutcome.noChange')}
          </li>
          {flags.caseness_at_start && (
            <li data-testid="my-outcome-level">
              {t('myOutcome.startHigh')}{' '}
              {flags.recovery ? t('myOutcome.recovered') : t('myOutcome.notRecovered')}
            </li>
          )}
        </ul>
      )}
      {outcome.wsas && (
        <Paragraph data-size="sm">
          {t('myOutcome.wsas', { first: outcome.wsas.first, last: outcome.wsas.last })}
        </Paragraph>
      )}
      {status && <Paragraph data-size="sm">{t('myOutcome.workStatus', { status })}</Paragraph>}
      {flags?.reliable_deterioration && <CrisisPanel headingLevel={3} />}
    </div>
  );
}

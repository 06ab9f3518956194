/**
 * One patient's NHS Talking Therapies outcome for the GP (card and patient page): the five labels,
 * first and last PHQ-9 and GAD-7 with the change and the rule in words, "provisional" while the
 * programme runs, the WSAS and latest work status beside them. Where a reliable deterioration is
 * shown, the crisis resources are shown too, as with item 9; nothing here grades risk.
 */
import { Paragraph, Tag } from '@digdir/designsystemet-react';
import { useTranslation } from 'react-i18next';
import type { PatientOutcome } from '../../../contract/outcomes.js';
import { CrisisNote } from '../../components/CrisisNote.js';
import { useLanguage } from '../../i18n/useLanguage.js';
import { workStatusLabel } from './labels.js';
import './OutcomeSummary.css';

const FLAGS = [
  'caseness_at_start',
  'reliable_improvement',
  'reliable_deterioration',
  'recovery',
  'reliable_recovery',
] as const;

const signed = (n: number) => (n > 0 ? `+${n}` : n < 0 ? `−${-n}` : '0');

export function OutcomeSummary({ outcome }: { outcome: PatientOutcome }) {
  const { t } = useTranslation();
  const language = useLanguage();
  const work = workStatusLabel(outcome.workStatus, language);
  return (
    <div className="outcome-summary stack-sm" data-testid="outcome-summary">
      {outcome.provisional && (
        <Tag
          data-color="warning"
          data-size="sm"
          className="outcome-summary__provisional"
          data-testid="outcome-provisional"
        >
          {t('gp.outcome.provisional')}
        </Tag>
      )}
      {outcome.flags ? (
        <ul className="outcome-flags">
          {FLAGS.map((flag) => {
            const value = outcome.flags![flag];
            const word = value === null ? 'na' : value ? 'yes' : 'no';
            return (
              <li
                key={flag}
                data-testid={`outcome-flag-${flag}`}
                data-value={word}
                className="outcome-flags__item"
              >
                <span className="outcome-flags__name">{t(`gp.outcome.flag.${flag}`)}</span>
                <span className={`outcome-flags__value outcome-flags__value--${word}`}>
                  {t(`gp.outcome.value.${word}`)}
                </span>
              </li>
            );
          })}
        </ul>
      ) : (
        <Paragraph data-size="sm" data-testid="outcome-none">
          {t('gp.outcome.notYet')}
        </Paragraph>
      )}
      {outcome.measures.map((m) => (
        <Paragraph key={m.measure} data-size="sm" data-testid={`outcome-${m.measure}`}>
          <strong>{t(`gp.outcome.measure.${m.measure}`)}</strong>{' '}
          {t('gp.outcome.scores', { first: m.first, last: m.last, change: signed(m.change) })}{' '}
          <span className="outcome-summary__rule">
            {t('gp.outcome.rule', { caseness: m.caseness, reliable: m.reliableChange })}
          </span>
        </Paragraph>
      ))}
      {outcome.basis === 'phq9_only' && (
        <Paragraph data-size="sm" className="outcome-summary__rule">
          {t('gp.outcome.phq9Only')}
        </Paragraph>
      )}
      {(outcome.wsas || work) && (
        <Paragraph data-size="sm" data-testid="outcome-wsas">
          {outcome.wsas && t('gp.outcome.wsas', { first: outcome.wsas.first, last: outcome.wsas.last })}{' '}
          {work && t('gp.outcome.workStatus', { status: work })}
        </Paragraph>
      )}
      {outcome.flags?.reliable_deterioration && <CrisisNote />}
    </div>
  );
}

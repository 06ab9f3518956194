/**
 * Beside every message page (patient and staff): messages are not read outside working hours and
 * are not for urgent matters, and the crisis numbers from the bundled domain constants (no request
 * needed). The patient also reads the expected answer time. Nothing here grades risk.
 */
import { Heading, Paragraph } from '@digdir/designsystemet-react';
import { useId } from 'react';
import { useTranslation } from 'react-i18next';
import { CRISIS_RESOURCES } from '../../../domain/safety/crisis-resources.js';
import { EXPECTED_ANSWER_WORKING_DAYS } from '../../../domain/messaging/messaging.js';
import { useLanguage } from '../../i18n/useLanguage.js';
import '../CrisisNote.css';
import './MessageSafety.css';

export function MessageSafety({
  face,
  workingDays = EXPECTED_ANSWER_WORKING_DAYS,
}: {
  face: 'patient' | 'staff';
  /** From the server's answer when there is one; the bundled rule before it arrives. */
  workingDays?: number;
}) {
  const { t } = useTranslation();
  const language = useLanguage();
  const headingId = useId();
  return (
    <section className="message-safety stack-sm" aria-labelledby={headingId} data-testid="message-safety">
      {face === 'patient' && (
        <Paragraph data-testid="expected-answer">
          <strong>{t('messaging.expectedAnswer', { count: workingDays })}</strong>
        </Paragraph>
      )}
      <Paragraph data-testid="not-urgent">{t('messaging.notUrgent')}</Paragraph>
      <Heading level={2} data-size="2xs" id={headingId}>
        {t('messaging.helpHeading')}
      </Heading>
      <Paragraph data-size="sm">
        {face === 'patient' ? t('messaging.helpIntro') : t('messaging.staffNote')}
      </Paragraph>
      <ul className="crisis-note__list" data-testid="message-crisis-numbers">
        {CRISIS_RESOURCES.map((resource) => (
          <li key={resource.id}>
            <a href={`tel:${resource.dial}`} className="crisis-note__link">
              {resource.display}
            </a>{' '}
            {resource.name[language]}
          </li>
        ))}
      </ul>
    </section>
  );
}

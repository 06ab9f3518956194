/** The GP-facing compact list of crisis resources shown next to urgent rows. */
import { Paragraph } from '@digdir/designsystemet-react';
import { useTranslation } from 'react-i18next';
import { CRISIS_RESOURCES } from '../../domain/safety/crisis-resources.js';
import { useLanguage } from '../i18n/useLanguage.js';
import './CrisisNote.css';

export function CrisisNote() {
  const { t } = useTranslation();
  const language = useLanguage();
  return (
    <div className="crisis-note" data-testid="gp-crisis-note">
      <Paragraph data-size="sm">
        <strong>{t('crisis.gpNoteHeading')}.</strong> {t('crisis.gpNoteIntro')}
      </Paragraph>
      <ul className="crisis-note__list">
        {CRISIS_RESOURCES.map((resource) => (
          <li key={resource.id}>
            <a href={`tel:${resource.dial}`} className="crisis-note__link">
              {resource.display}
            </a>{' '}
            {resource.name[language]}
          </li>
        ))}
      </ul>
    </div>
  );
}

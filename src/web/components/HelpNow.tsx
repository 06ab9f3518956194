/**
 * "Trenger du hjelp nå?" on every patient page (and before login): a disclosure in the header with
 * the crisis numbers and plain words about who reads the answers and when. It renders from the
 * bundled domain constants, so it opens without the network; the workbook's private entries are
 * named too, since they reach no one.
 */
import { useTranslation } from 'react-i18next';
import { CRISIS_RESOURCES } from '../../domain/safety/crisis-resources.js';
import { useLanguage } from '../i18n/useLanguage.js';
import './HelpNow.css';

export function HelpNow() {
  const { t } = useTranslation();
  const language = useLanguage();
  return (
    <details className="help-now" data-testid="help-now">
      <summary className="help-now__summary">{t('helpNow.summary')}</summary>
      <div className="help-now__body">
        <ul className="help-now__list">
          {CRISIS_RESOURCES.map((resource) => (
            <li key={resource.id}>
              <a href={`tel:${resource.dial}`} className="help-now__call">
                {resource.display}
              </a>{' '}
              {resource.name[language]}. {resource.when[language]}
            </li>
          ))}
        </ul>
        <p className="help-now__who">{t('helpNow.whoReads')}</p>
      </div>
    </details>
  );
}

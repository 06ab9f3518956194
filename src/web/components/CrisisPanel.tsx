/**
 * Crisis resources, rendered from the bundled domain constants: no request is needed, so the
 * panel appears even offline. Shown wherever an item-9 answer above 0 is shown. It lists help
 * and the patient's own situation only; it never grades risk.
 *
 * Only the patient face imports this file, so it lands in the same lazily loaded chunk as the
 * PHQ-9 form: once the form is on screen, the panel needs nothing more from the network
 * (scripts/build-size.mjs checks that it is in the module page's JavaScript).
 */
import { Alert, Heading, Paragraph } from '@digdir/designsystemet-react';
import { useId } from 'react';
import { useTranslation } from 'react-i18next';
import { CONTACT_GP_SAME_DAY, CRISIS_RESOURCES } from '../../domain/safety/crisis-resources.js';
import { useLanguage } from '../i18n/useLanguage.js';
import './CrisisNote.css';
import './CrisisPanel.css';

/** The patient-facing panel: announced at once (role="alert"), with a tel: link per resource. */
export function CrisisPanel({
  headingLevel = 2,
  note,
}: {
  headingLevel?: 2 | 3;
  /** Said before the GP line, e.g. that nobody reads an anonymous survey as it comes in. */
  note?: string;
}) {
  const { t } = useTranslation();
  const language = useLanguage();
  const headingId = useId();
  return (
    <Alert
      data-color="warning"
      role="alert"
      aria-labelledby={headingId}
      data-testid="crisis-panel"
      className="crisis-panel"
    >
      <Heading level={headingLevel} data-size="sm" id={headingId}>
        {t('crisis.heading')}
      </Heading>
      <Paragraph>{t('crisis.intro')}</Paragraph>
      <ul className="crisis-list">
        {CRISIS_RESOURCES.map((resource) => (
          <li key={resource.id} className="crisis-list__item">
            <a className="crisis-call" href={`tel:${resource.dial}`}>
              <span className="crisis-call__number">{t('crisis.call', { number: resource.display })}</span>
              <span className="crisis-call__name">{resource.name[language]}</span>
            </a>
            <span className="crisis-call__when">{resource.when[language]}</span>
          </li>
        ))}
      </ul>
      {note && <Paragraph className="crisis-panel__note">{note}</Paragraph>}
      <Paragraph className="crisis-panel__gp">
        <strong>{CONTACT_GP_SAME_DAY[language]}</strong>
      </Paragraph>
    </Alert>
  );
}

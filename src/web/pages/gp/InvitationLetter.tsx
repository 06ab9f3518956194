/**
 * The one-page invitation the GP prints for the patient, in Norwegian or English: what the
 * program is and why it helps, how the GP follows up, the web address and the code (shown once),
 * when it expires, and the crisis numbers with the note that the service is not monitored around
 * the clock. When the letter is on the page, printing prints the letter and nothing else.
 */
import { Button, Heading, Paragraph } from '@digdir/designsystemet-react';
import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import { CRISIS_RESOURCES } from '../../../domain/safety/crisis-resources.js';
import { formatDate } from '../../format.js';
import type { Language } from '../../i18n/index.js';
import { useLanguage } from '../../i18n/useLanguage.js';
import type { GuidanceLevel, Invitation } from '../../../contract/followup.js';
import { LETTER } from './letter-text.js';
import { printOnly } from './print.js';
import { DocumentLanguageToggle } from './DocumentLanguageToggle.js';
import './InvitationLetter.css';

export function InvitationSection({
  invitation,
  patientName,
  gpName,
  practiceName,
  guidanceLevel,
}: {
  invitation: Invitation;
  patientName: string;
  gpName: string;
  practiceName: string | null;
  guidanceLevel: GuidanceLevel;
}) {
  const { t } = useTranslation();
  const uiLanguage = useLanguage();
  const [language, setLanguage] = useState<Language>(uiLanguage);
  return (
    <section
      className="letter-section stack-md"
      aria-labelledby="letter-heading"
      data-testid="invitation-section"
    >
      <div className="letter-tools no-print stack-sm">
        <Heading level={2} data-size="xs" id="letter-heading">
          {t('gp.letter.heading')}
        </Heading>
        <Paragraph data-size="sm">{t('gp.letter.onceOnly')}</Paragraph>
        <div className="letter-tools__row">
          <DocumentLanguageToggle
            value={language}
            onChange={setLanguage}
            label={t('gp.letter.languageLabel')}
          />
          <Button type="button" data-color="accent" onClick={() => printOnly('letter')}>
            {t('gp.letter.print')}
          </Button>
        </div>
      </div>
      <InvitationLetter
        invitation={invitation}
        patientName={patientName}
        gpName={gpName}
        practiceName={practiceName}
        guidanceLevel={guidanceLevel}
        language={language}
      />
    </section>
  );
}

export function InvitationLetter({
  invitation,
  patientName,
  gpName,
  practiceName,
  guidanceLevel,
  language,
}: {
  invitation: Invitation;
  patientName: string;
  gpName: string;
  practiceName: string | null;
  guidanceLevel: GuidanceLevel;
  language: Language;
}) {
  const address = `${window.location.origin}${invitation.path}`;
  const l = language;
  return (
    <article className="invitation-letter" lang={language} data-testid="invitation-letter">
      <header className="invitation-letter__header">
        <span>{practiceName ?? ''}</span>
        <span>{formatDate(new Date().toISOString(), language)}</span>
      </header>
      <h3 className="invitation-letter__title">{LETTER.title[l]}</h3>
      <p>{LETTER.greeting(patientName)[l]}</p>
      <p>{LETTER.recommends(gpName)[l]}</p>
      <h4>{LETTER.whatHeading[l]}</h4>
      <p>{LETTER.what[l]}</p>
      <h4>{LETTER.whyHeading[l]}</h4>
      <p>{LETTER.why[l]}</p>
      <h4>{LETTER.howHeading[l]}</h4>
      <ul>
        {LETTER.how[guidanceLevel].map((line) => (
          <li key={line.en}>{line[l]}</li>
        ))}
      </ul>
      <h4>{LETTER.startHeading[l]}</h4>
      <div className="invitation-letter__start">
        <ol>
          {LETTER.steps(address).map((step, index) => (
            <li key={index}>
              {index === 0 ? (
                <>
                  {step[l].replace(address, '')}
                  <strong className="invitation-letter__address" data-testid="invitation-address">
                    {address}
                  </strong>
                </>
              ) : (
                step[l]
              )}
            </li>
          ))}
        </ol>
        <div className="invitation-letter__code-box">
          <span className="invitation-letter__code-label">{LETTER.codeLabel[l]}</span>
          <span className="invitation-letter__code" data-testid="invitation-code">
            {invitation.code}
          </span>
          <span className="invitation-letter__expiry" data-testid="invitation-expiry">
            {LETTER.validUntil(formatDate(invitation.expiresAt, language))[l]}
          </span>
        </div>
      </div>
      <p className="invitation-letter__small">{LETTER.singleUse[l]}</p>
      <p className="invitation-letter__small">{LETTER.privacy[l]}</p>
      <div className="invitation-letter__safety">
        <h4>{LETTER.safetyHeading[l]}</h4>
        <p>{LETTER.safety[l]}</p>
        <ul className="invitation-letter__crisis">
          {CRISIS_RESOURCES.map((resource) => (
            <li key={resource.id}>
              <strong>{resource.display}</strong> {resource.name[l]}
            </li>
          ))}
        </ul>
      </div>
      <p className="invitation-letter__signature">{LETTER.fromGp(gpName, practiceName ?? '')[l]}</p>
    </article>
  );
}

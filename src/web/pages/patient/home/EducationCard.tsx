/**
 * Education, asked once, optional, with consent (issue 17): a card on the home page once the first
 * module is done, with the purpose (domain EDUCATION_QUESTION_PURPOSE), three answers and "I would
 * rather not answer". An answer is sent only with the consent box ticked. "Not now" hides the card
 * for this visit. The answer can be deleted from "Your answer about education" (EducationAnswer).
 */
import { Button, Card, Checkbox, Heading, Paragraph, ValidationMessage } from '@digdir/designsystemet-react';
import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import { api } from '../../../api/client.js';
import type { EducationStatus } from '../../../../contract/outcomes.js';
import { ChoiceGroup } from '../../../components/ChoiceGroup.js';
import { describeError } from '../../../components/errors.js';
import { formatDate } from '../../../format.js';
import { useLanguage } from '../../../i18n/useLanguage.js';
import {
  EDUCATION_GROUPS,
  EDUCATION_QUESTION_PURPOSE,
  EDUCATION_TEXT,
} from '../../../../domain/outcomes/implementation.js';
import './EducationCard.css';

type Answer = (typeof EDUCATION_GROUPS)[number] | 'declined';

export function EducationCard({
  patientId,
  onAnswered,
}: {
  patientId: string;
  onAnswered: (status: EducationStatus) => void;
}) {
  const { t } = useTranslation();
  const language = useLanguage();
  const [answer, setAnswer] = useState<Answer | null>(null);
  const [consent, setConsent] = useState(false);
  const [error, setError] = useState<string | null>(null);
  const [hidden, setHidden] = useState(false);
  const [busy, setBusy] = useState(false);
  if (hidden) return null;
  const choices = [
    ...EDUCATION_GROUPS.map((g) => ({ value: g, label: EDUCATION_TEXT[g][language] })),
    { value: 'declined', label: t('education.declined') },
  ];
  async function send() {
    if (!answer) return;
    if (answer !== 'declined' && !consent) {
      setError(t('education.consentNeeded'));
      return;
    }
    setBusy(true);
    try {
      onAnswered(await api.answerEducation(patientId, { answer, consent: answer !== 'declined' && consent }));
    } catch (e) {
      setError(describeError(t, e));
    } finally {
      setBusy(false);
    }
  }
  return (
    <Card data-color="neutral" className="education-card" data-testid="education-card">
      <section aria-labelledby="education-heading" className="stack-sm">
        <Heading level={2} data-size="xs" id="education-heading">
          {t('education.heading')}
        </Heading>
        <Paragraph>{EDUCATION_QUESTION_PURPOSE[language]}</Paragraph>
        <ChoiceGroup
          id="education-question"
          name="education"
          legend={t('education.question')}
          choices={choices}
          value={answer}
          onChange={(v) => {
            setAnswer(v as Answer);
            setError(null);
          }}
        />
        {answer && answer !== 'declined' && (
          <Checkbox
            label={t('education.consent')}
            checked={consent}
            onChange={(e) => {
              setConsent(e.target.checked);
              setError(null);
            }}
            data-testid="education-consent"
          />
        )}
        {error && <ValidationMessage>{error}</ValidationMessage>}
        <div className="education-card__actions">
          <Button onClick={() => void send()} disabled={!answer || busy} data-testid="education-send">
            {t('education.send')}
          </Button>
          <Button variant="tertiary" onClick={() => setHidden(true)}>
            {t('education.later')}
          </Button>
        </div>
      </section>
    </Card>
  );
}

/** The patient's own answer, with a button to delete it (part of "my data" on the home page). */
export function EducationAnswer({
  patientId,
  status,
  onChanged,
}: {
  patientId: string;
  status: EducationStatus;
  onChanged: (status: EducationStatus) => void;
}) {
  const { t } = useTranslation();
  const language = useLanguage();
  const [error, setError] = useState<string | null>(null);
  const [deleted, setDeleted] = useState(false);
  return (
    <div className="stack-sm" data-testid="education-answer">
      {status.education ? (
        <>
          <Paragraph>
            {t('education.myAnswer', {
              answer: EDUCATION_TEXT[status.education][language],
              date: status.answeredAt ? formatDate(status.answeredAt, language) : '',
            })}
          </Paragraph>
          <div>
            <Button
              variant="secondary"
              data-size="sm"
              data-testid="education-delete"
              onClick={() => {
                api
                  .deleteEducation(patientId)
                  .then((s) => {
                    setDeleted(true);
                    onChanged(s);
                  })
                  .catch((e: unknown) => setError(describeError(t, e)));
              }}
            >
              {t('education.delete')}
            </Button>
          </div>
        </>
      ) : (
        <Paragraph>{deleted ? t('education.deleted') : t('education.noAnswer')}</Paragraph>
      )}
      {error && <ValidationMessage>{error}</ValidationMessage>}
    </div>
  );
}

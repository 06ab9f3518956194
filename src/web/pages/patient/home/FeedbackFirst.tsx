/**
 * First on the patient's home page (issue 17): new feedback from the GP or guide on an exercise the
 * patient shared, until the patient opens it; and, when there are unread messages, a way to them.
 */
import { Button, Card, Heading, Paragraph } from '@digdir/designsystemet-react';
import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import { messagesApi, type ExerciseFeedback, type SharedEntry } from '../../../api/messages-api.js';
import { AppLink } from '../../../components/AppLink.js';
import { formatDateTime } from '../../../format.js';
import { useApiData } from '../../../hooks/useApiData.js';
import { useLanguage } from '../../../i18n/useLanguage.js';
import './FeedbackFirst.css';

export function FeedbackFirst({ patientId }: { patientId: string }) {
  const { t } = useTranslation();
  const language = useLanguage();
  const shared = useApiData(
    (signal) => messagesApi.sharedEntries(patientId, language, signal),
    [patientId, language]
  );
  const threads = useApiData((signal) => messagesApi.threads(patientId, signal), [patientId]);
  const fresh = (shared.data?.entries ?? []).flatMap((entry) =>
    entry.feedback.filter((f) => !f.openedAt).map((feedback) => ({ entry, feedback }))
  );
  const unread = (threads.data?.threads ?? []).reduce((sum, th) => sum + th.unreadForMe, 0);

  return (
    <>
      {fresh.length > 0 && (
        <section
          aria-labelledby="new-feedback-heading"
          className="feedback-first stack-sm"
          data-testid="new-feedback"
        >
          <Heading level={2} data-size="sm" id="new-feedback-heading">
            {t('feedback.newHeading')}
          </Heading>
          <ul className="feedback-first__list">
            {fresh.map(({ entry, feedback }) => (
              <li key={feedback.id}>
                <FeedbackCard patientId={patientId} entry={entry} feedback={feedback} />
              </li>
            ))}
          </ul>
        </section>
      )}
      {/* Only when something is new: on a phone the next step must stay on the first screen, and the
          header links to the messages always. */}
      {unread > 0 && (
        <Card data-color="neutral" className="messages-link" data-testid="home-messages">
          <Paragraph>
            <AppLink to="/patient/messages">{t('messaging.homeLink')}</AppLink>
            {' · '}
            <strong>{t('messaging.homeUnread', { count: unread })}</strong>
          </Paragraph>
        </Card>
      )}
    </>
  );
}

function FeedbackCard({
  patientId,
  entry,
  feedback,
}: {
  patientId: string;
  entry: SharedEntry;
  feedback: ExerciseFeedback;
}) {
  const { t } = useTranslation();
  const language = useLanguage();
  const [opened, setOpened] = useState(false);
  const [busy, setBusy] = useState(false);
  const role = feedback.authorRole === 'gp' ? t('messaging.roleGp') : t('messaging.roleGuide');
  async function open() {
    setBusy(true);
    try {
      await messagesApi.openFeedback(patientId, feedback.id);
      setOpened(true);
    } finally {
      setBusy(false);
    }
  }
  return (
    <Card data-color="accent" className="feedback-first__card stack-sm" data-testid="feedback-card">
      <Paragraph>
        <strong>{t('feedback.on', { exercise: entry.exerciseTitle })}</strong>
      </Paragraph>
      <Paragraph data-size="sm">
        {t('feedback.from', {
          name: feedback.authorName,
          role,
          date: formatDateTime(feedback.createdAt, language),
        })}
      </Paragraph>
      {opened ? (
        <>
          <Paragraph className="feedback-first__body" data-testid="feedback-body">
            {feedback.body}
          </Paragraph>
          <AppLink to={`/patient/workbook#entry-${entry.entryId}`}>{t('feedback.toWorkbook')}</AppLink>
        </>
      ) : (
        <div>
          <Button type="button" data-size="sm" loading={busy} onClick={() => void open()}>
            {t('feedback.open')}
          </Button>
        </div>
      )}
    </Card>
  );
}

/**
 * Messages and feedback for the care team (issue 17), one page for the GP and the guide: the
 * patient's threads (answer, or start one), the safety words and crisis numbers, and the exercises
 * the patient shared with a comment box. Suggested replies for the module are clicked into the box
 * and edited there; nothing is sent until the GP or guide presses send.
 */
import { Button, Heading, Paragraph, Textfield } from '@digdir/designsystemet-react';
import { useState, type FormEvent } from 'react';
import { useTranslation } from 'react-i18next';
import { useParams } from 'react-router';
import { FEEDBACK_BODY_MAX } from '../../../../domain/messaging/messaging.js';
import { messagesApi, type SharedEntry } from '../../../api/messages-api.js';
import { AppLink } from '../../../components/AppLink.js';
import { LoadError } from '../../../components/LoadError.js';
import { Loading } from '../../../components/Loading.js';
import { MessageSafety } from '../../../components/messages/MessageSafety.js';
import { NewThreadForm } from '../../../components/messages/NewThreadForm.js';
import { serverFieldError, textError, ThreadList } from '../../../components/messages/ThreadList.js';
import { PageHeading } from '../../../components/PageHeading.js';
import { formatDateTime } from '../../../format.js';
import { useApiData } from '../../../hooks/useApiData.js';
import { usePageTitle } from '../../../hooks/usePageTitle.js';
import { useLanguage } from '../../../i18n/useLanguage.js';
import { GpSection } from '../parts.js';
import './StaffMessagesPage.css';

export function StaffMessagesPage({ backTo }: { backTo: (patientId: string) => string }) {
  const { t } = useTranslation();
  const language = useLanguage();
  usePageTitle(t('gp.threads.title'));
  const { patientId = '' } = useParams();
  const threads = useApiData((signal) => messagesApi.threads(patientId, signal), [patientId]);
  const shared = useApiData(
    (signal) => messagesApi.sharedEntries(patientId, language, signal),
    [patientId, language]
  );

  if (threads.status === 'error' && !threads.data) {
    return (
      <div className="page stack-md gp-page">
        <PageHeading>{t('gp.threads.title')}</PageHeading>
        <LoadError error={threads.error} onRetry={threads.reload} />
      </div>
    );
  }
  if (!threads.data) return <Loading />;
  const replies = new Map((shared.data?.suggestedReplies ?? []).map((r) => [r.moduleId, r.replies]));

  return (
    <div className="page stack-lg gp-page staff-messages">
      <div className="stack-sm">
        <AppLink to={backTo(patientId)}>{t('gp.threads.backToPatient')}</AppLink>
        <PageHeading>{t('gp.threads.heading', { name: threads.data.patientName })}</PageHeading>
      </div>
      <MessageSafety face="staff" />
      <GpSection id="threads" title={t('gp.threads.threadsHeading')}>
        <div className="stack-lg">
          <ThreadList patientId={patientId} threads={threads.data.threads} onChanged={threads.reload} />
          <NewThreadForm patientId={patientId} onSent={threads.reload} />
        </div>
      </GpSection>
      <GpSection id="shared" title={t('gp.threads.sharedHeading')}>
        {shared.status === 'error' && <LoadError error={shared.error} onRetry={shared.reload} />}
        {!shared.data && shared.status === 'loading' && <Loading />}
        {shared.data &&
          (shared.data.entries.length === 0 ? (
            <Paragraph className="muted">{t('gp.threads.noShared')}</Paragraph>
          ) : (
            <ul className="staff-shared-entries">
              {shared.data.entries.map((entry) => (
                <li key={entry.entryId}>
                  <SharedEntryCard
                    patientId={patientId}
                    entry={entry}
                    replies={replies.get(entry.moduleId) ?? []}
                    onSent={shared.reload}
                  />
                </li>
              ))}
            </ul>
          ))}
      </GpSection>
    </div>
  );
}

function SharedEntryCard({
  patientId,
  entry,
  replies,
  onSent,
}: {
  patientId: string;
  entry: SharedEntry;
  replies: string[];
  onSent: () => void;
}) {
  const { t } = useTranslation();
  const language = useLanguage();
  const [body, setBody] = useState('');
  const [error, setError] = useState<string | null>(null);
  const [status, setStatus] = useState<'idle' | 'sending' | 'sent' | 'failed'>('idle');
  const headingId = `shared-${entry.entryId}`;

  async function submit(event: FormEvent) {
    event.preventDefault();
    const problem = textError(t, body, FEEDBACK_BODY_MAX);
    setError(problem);
    if (problem) return;
    setStatus('sending');
    try {
      await messagesApi.addFeedback(patientId, entry.entryId, { body });
      setBody('');
      setStatus('sent');
      onSent();
    } catch (caught) {
      setError(serverFieldError(caught, 'body'));
      setStatus('failed');
    }
  }

  return (
    <article
      className="staff-shared-entry stack-sm"
      aria-labelledby={headingId}
      data-testid="staff-shared-entry"
    >
      <Heading level={3} data-size="2xs" id={headingId}>
        {entry.exerciseTitle} · {formatDateTime(entry.updatedAt, language)}
      </Heading>
      {entry.answers.length > 0 && (
        <dl className="staff-shared-entry__answers">
          {entry.answers.map((a) => (
            <div key={a.label}>
              <dt>{a.label}</dt>
              <dd>{Array.isArray(a.value) ? a.value.join(', ') : String(a.value)}</dd>
            </div>
          ))}
        </dl>
      )}
      {entry.feedback.length > 0 && (
        <ul className="staff-shared-entry__feedback">
          {entry.feedback.map((f) => (
            <li key={f.id} data-testid="given-feedback">
              <Paragraph data-size="sm" className="muted">
                {f.authorName} · {formatDateTime(f.createdAt, language)} ·{' '}
                {f.openedAt
                  ? t('gp.threads.opened', { date: formatDateTime(f.openedAt, language) })
                  : t('gp.threads.notOpened')}
              </Paragraph>
              <Paragraph className="staff-shared-entry__text">{f.body}</Paragraph>
            </li>
          ))}
        </ul>
      )}
      <form className="stack-sm" onSubmit={(event) => void submit(event)} noValidate>
        {replies.length > 0 && (
          <div className="stack-sm">
            <Paragraph data-size="sm">{t('gp.threads.suggestions')}</Paragraph>
            <ul className="suggested-replies">
              {replies.map((reply) => (
                <li key={reply}>
                  <Button
                    type="button"
                    variant="secondary"
                    data-size="sm"
                    data-testid="suggested-reply"
                    onClick={() =>
                      setBody((current) => (current.trim() ? `${current.trim()} ${reply}` : reply))
                    }
                  >
                    {reply}
                  </Button>
                </li>
              ))}
            </ul>
          </div>
        )}
        <Textfield
          label={t('gp.threads.comment')}
          multiline
          rows={4}
          value={body}
          error={error ?? undefined}
          onChange={(event) => setBody(event.target.value)}
          data-testid="feedback-body"
        />
        {status === 'sent' && <Paragraph role="status">{t('gp.threads.feedbackSent')}</Paragraph>}
        <div>
          <Button type="submit" data-size="sm" loading={status === 'sending'}>
            {t('gp.threads.sendFeedback')}
          </Button>
        </div>
      </form>
    </article>
  );
}

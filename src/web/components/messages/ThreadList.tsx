/**
 * A patient's message threads, for the patient and for the care team alike: each thread with its
 * messages, who wrote them, when the other side read them, and a reply box. A thread shown with
 * messages the reader has not read is marked read (a receipt the other side sees): showing it in
 * full is reading it.
 */
import { Button, Heading, Paragraph, Tag, Textfield } from '@digdir/designsystemet-react';
import { useEffect, useRef, useState, type FormEvent } from 'react';
import type { TFunction } from 'i18next';
import { useTranslation } from 'react-i18next';
import { MESSAGE_BODY_MAX } from '../../../domain/messaging/messaging.js';
import { ApiError } from '../../api/client.js';
import { messagesApi, type MessageThread, type ThreadMessage } from '../../api/messages-api.js';
import { formatDateTime } from '../../format.js';
import { useLanguage } from '../../i18n/useLanguage.js';
import './ThreadList.css';

export function ThreadList({
  patientId,
  threads,
  onChanged,
}: {
  patientId: string;
  threads: MessageThread[];
  onChanged: () => void;
}) {
  const { t } = useTranslation();
  const marking = useRef(new Set<string>());
  // Shown in full is read: one receipt request per thread with unread messages.
  useEffect(() => {
    const unread = threads.filter((th) => th.unreadForMe > 0 && !marking.current.has(th.id));
    if (unread.length === 0) return;
    for (const th of unread) marking.current.add(th.id);
    void Promise.all(unread.map((th) => messagesApi.markRead(patientId, th.id).catch(() => null))).then(() =>
      onChanged()
    );
  }, [threads, patientId, onChanged]);

  if (threads.length === 0) return <Paragraph data-testid="no-threads">{t('messaging.noThreads')}</Paragraph>;
  return (
    <ul className="thread-list">
      {threads.map((thread) => (
        <li key={thread.id}>
          <ThreadCard patientId={patientId} thread={thread} onChanged={onChanged} />
        </li>
      ))}
    </ul>
  );
}

function ThreadCard({
  patientId,
  thread,
  onChanged,
}: {
  patientId: string;
  thread: MessageThread;
  onChanged: () => void;
}) {
  const { t } = useTranslation();
  const headingId = `thread-${thread.id}-heading`;
  return (
    <article
      className="thread-card stack-sm"
      id={`thread-${thread.id}`}
      aria-labelledby={headingId}
      data-testid="thread"
      data-subject={thread.subject}
    >
      <div className="thread-card__head">
        <Heading level={3} data-size="xs" id={headingId}>
          {thread.subject}
        </Heading>
        {thread.unanswered && (
          <Tag data-color="warning" data-size="sm" data-testid="thread-waiting">
            {t('messaging.waiting')}
          </Tag>
        )}
      </div>
      <ol className="thread-card__messages">
        {thread.messages.map((message) => (
          <MessageItem key={message.id} message={message} />
        ))}
      </ol>
      <ReplyForm patientId={patientId} threadId={thread.id} subject={thread.subject} onSent={onChanged} />
    </article>
  );
}

function MessageItem({ message }: { message: ThreadMessage }) {
  const { t } = useTranslation();
  const language = useLanguage();
  const role =
    message.authorRole === 'gp'
      ? t('messaging.roleGp')
      : message.authorRole === 'guide'
        ? t('messaging.roleGuide')
        : t('messaging.rolePatient');
  return (
    <li
      className={`thread-message${message.mine ? ' thread-message--mine' : ''}`}
      data-testid="thread-message"
      data-author-role={message.authorRole}
    >
      <Paragraph data-size="sm" className="thread-message__meta">
        <strong>{message.mine ? t('messaging.you') : `${message.authorName} (${role})`}</strong>
        {' · '}
        {t('messaging.sentAt', { date: formatDateTime(message.sentAt, language) })}
      </Paragraph>
      <Paragraph className="thread-message__body">{message.body}</Paragraph>
      {message.mine && (
        <Paragraph data-size="sm" className="thread-message__receipt" data-testid="read-receipt">
          {message.readByOtherSideAt
            ? t('messaging.readAt', { date: formatDateTime(message.readByOtherSideAt, language) })
            : t('messaging.notRead')}
        </Paragraph>
      )}
    </li>
  );
}

/** Client-side check of a message text: the server checks the same and names the field. */
export function textError(t: TFunction, value: string, max: number): string | null {
  const required: string = t('messaging.required');
  const tooLong: string = t('messaging.tooLong', { limit: max });
  if (value.trim() === '') return required;
  if (value.length > max) return tooLong;
  return null;
}

/** The server's words for a field, when it named one. */
export function serverFieldError(error: unknown, field: string): string | null {
  if (error instanceof ApiError) {
    const found = error.problem.errors?.find((e) => e.field === field);
    if (found) return found.reason;
  }
  return null;
}

function ReplyForm({
  patientId,
  threadId,
  subject,
  onSent,
}: {
  patientId: string;
  threadId: string;
  subject: string;
  onSent: () => void;
}) {
  const { t } = useTranslation();
  const [body, setBody] = useState('');
  const [error, setError] = useState<string | null>(null);
  const [failed, setFailed] = useState(false);
  const [sending, setSending] = useState(false);
  async function submit(event: FormEvent) {
    event.preventDefault();
    const problem = textError(t, body, MESSAGE_BODY_MAX);
    setError(problem);
    setFailed(false);
    if (problem) return;
    setSending(true);
    try {
      await messagesApi.reply(patientId, threadId, { body });
      setBody('');
      onSent();
    } catch (caught) {
      setError(serverFieldError(caught, 'body'));
      setFailed(true);
    } finally {
      setSending(false);
    }
  }
  return (
    <form className="thread-reply stack-sm" onSubmit={(event) => void submit(event)} noValidate>
      <Textfield
        label={t('messaging.replyLabel')}
        description={subject}
        multiline
        rows={3}
        value={body}
        error={error ?? undefined}
        onChange={(event) => setBody(event.target.value)}
        data-testid="reply-body"
      />
      {failed && !error && (
        <Paragraph data-size="sm" role="alert">
          {t('messaging.error')}
        </Paragraph>
      )}
      <div>
        <Button type="submit" data-size="sm" loading={sending}>
          {sending ? t('messaging.sending') : t('messaging.reply')}
        </Button>
      </div>
    </form>
  );
}

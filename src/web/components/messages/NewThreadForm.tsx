/** Starting a thread: a subject and a message, checked as the server checks them, then sent. */
import { Button, Heading, Paragraph, Textfield } from '@digdir/designsystemet-react';
import { useId, useState, type FormEvent } from 'react';
import { useTranslation } from 'react-i18next';
import { MESSAGE_BODY_MAX, MESSAGE_SUBJECT_MAX } from '../../../domain/messaging/messaging.js';
import { messagesApi } from '../../api/messages-api.js';
import { serverFieldError, textError } from './ThreadList.js';
import './NewThreadForm.css';

export function NewThreadForm({ patientId, onSent }: { patientId: string; onSent: () => void }) {
  const { t } = useTranslation();
  const headingId = useId();
  const [subject, setSubject] = useState('');
  const [body, setBody] = useState('');
  const [errors, setErrors] = useState<{ subject?: string | null; body?: string | null }>({});
  const [status, setStatus] = useState<'idle' | 'sending' | 'sent' | 'failed'>('idle');

  async function submit(event: FormEvent) {
    event.preventDefault();
    const found = {
      subject: textError(t, subject, MESSAGE_SUBJECT_MAX),
      body: textError(t, body, MESSAGE_BODY_MAX),
    };
    setErrors(found);
    if (found.subject || found.body) return;
    setStatus('sending');
    try {
      await messagesApi.startThread(patientId, { subject, body });
      setSubject('');
      setBody('');
      setStatus('sent');
      onSent();
    } catch (caught) {
      setErrors({ subject: serverFieldError(caught, 'subject'), body: serverFieldError(caught, 'body') });
      setStatus('failed');
    }
  }

  return (
    <section aria-labelledby={headingId} className="new-thread stack-sm">
      <Heading level={2} data-size="xs" id={headingId}>
        {t('messaging.newThread')}
      </Heading>
      <form className="stack-sm" onSubmit={(event) => void submit(event)} noValidate>
        <Textfield
          label={t('messaging.subject')}
          value={subject}
          error={errors.subject ?? undefined}
          onChange={(event) => setSubject(event.target.value)}
        />
        <Textfield
          label={t('messaging.body')}
          multiline
          rows={5}
          value={body}
          error={errors.body ?? undefined}
          onChange={(event) => setBody(event.target.value)}
        />
        {status === 'sent' && (
          <Paragraph role="status" data-testid="message-sent">
            {t('messaging.sent')}
          </Paragraph>
        )}
        {status === 'failed' && !errors.subject && !errors.body && (
          <Paragraph role="alert">{t('messaging.error')}</Paragraph>
        )}
        <div>
          <Button type="submit" loading={status === 'sending'}>
            {status === 'sending' ? t('messaging.sending') : t('messaging.send')}
          </Button>
        </div>
      </form>
    </section>
  );
}

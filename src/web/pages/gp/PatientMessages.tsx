/**
 * The patient's messages to the GP, on the patient page and the follow-up card: unread ones first,
 * each with a "mark as read" button. A message leaves the worklist only when a GP marks it read;
 * opening the page does not (the answer to "no feedback from patients": it cannot slip by).
 */
import { Button, Card, Heading, Paragraph, Tag } from '@digdir/designsystemet-react';
import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import { describeError } from '../../components/errors.js';
import { formatDateTime } from '../../format.js';
import { useApiData } from '../../hooks/useApiData.js';
import { useLanguage } from '../../i18n/useLanguage.js';
import { gpApi } from './gp-api.js';
import { GpSection } from './parts.js';

export function PatientMessages({ patientId }: { patientId: string }) {
  const { t } = useTranslation();
  const language = useLanguage();
  const messages = useApiData((signal) => gpApi.patientMessages(patientId, signal), [patientId]);
  const [pending, setPending] = useState<string | null>(null);
  const [error, setError] = useState<string | null>(null);
  const items = messages.data?.items ?? [];
  const unread = items.filter((m) => !m.readAt);
  if (items.length === 0) return null;

  async function markRead(responseId: string) {
    setPending(responseId);
    setError(null);
    try {
      await gpApi.markPatientMessageRead(patientId, responseId);
      messages.reload();
    } catch (caught) {
      setError(describeError(t, caught));
    } finally {
      setPending(null);
    }
  }

  return (
    <GpSection
      id="messages"
      title={t('gp.messages.heading')}
      testId="patient-messages"
      aside={
        unread.length > 0 ? (
          <Tag data-color="warning" data-size="sm">
            {t('gp.messages.unread', { count: unread.length })}
          </Tag>
        ) : undefined
      }
    >
      <ul className="plain-list stack-sm">
        {items.slice(0, 5).map((message) => (
          <li key={message.responseId}>
            <Card data-color={message.readAt ? 'neutral' : 'warning'} className="stack-xs">
              <Heading level={3} data-size="2xs">
                {t('gp.messages.sent', { date: formatDateTime(message.sentAt, language) })}
              </Heading>
              {/* Patient-written text: rendered as a text node, never as HTML. */}
              <Paragraph data-testid="patient-message-text">{message.text}</Paragraph>
              {message.readAt ? (
                <Paragraph data-size="sm" className="muted">
                  {t('gp.messages.readBy', {
                    name: message.readByName ?? '',
                    date: formatDateTime(message.readAt, language),
                  })}
                </Paragraph>
              ) : (
                <div>
                  <Button
                    type="button"
                    variant="secondary"
                    data-size="sm"
                    loading={pending === message.responseId}
                    onClick={() => void markRead(message.responseId)}
                  >
                    {t('gp.messages.markRead')}
                  </Button>
                </div>
              )}
            </Card>
          </li>
        ))}
      </ul>
      {error && <Paragraph role="alert">{error}</Paragraph>}
    </GpSection>
  );
}

/**
 * In-app reminders (the only place their details are shown: messages sent outside the app say
 * nothing about health). Unread ones first, each with "mark as read". If the server does not
 * offer reminders (404), the section is not shown at all.
 */
import { Button, Heading, Paragraph, Tag } from '@digdir/designsystemet-react';
import { useState } from 'react';
import type { TFunction } from 'i18next';
import { useTranslation } from 'react-i18next';
import { api, ApiError, type Reminder } from '../../../api/client.js';
import { AppLink } from '../../../components/AppLink.js';
import { describeError } from '../../../components/errors.js';
import { LoadError } from '../../../components/LoadError.js';
import { formatDateTime } from '../../../format.js';
import { useApiData } from '../../../hooks/useApiData.js';
import { useLanguage } from '../../../i18n/useLanguage.js';
import { isModuleId } from '../module/module-id.js';
import { instrumentName, moduleNumberOf } from '../program-labels.js';
import { reminderInstrument } from './next-step.js';
import './RemindersSection.css';

export function RemindersSection({ patientId }: { patientId: string }) {
  const { t } = useTranslation();
  const reminders = useApiData((signal) => api.listReminders(patientId, signal), [patientId]);
  const [readIds, setReadIds] = useState<ReadonlySet<string>>(new Set());
  const [showRead, setShowRead] = useState(false);
  const [message, setMessage] = useState('');
  const [error, setError] = useState<string | null>(null);

  if (reminders.status === 'error' && reminders.error instanceof ApiError && reminders.error.status === 404) {
    return null;
  }
  if (reminders.status === 'loading' && !reminders.data) return null;

  const items = (reminders.data?.items ?? []).map((r) => (readIds.has(r.id) ? { ...r, read: true } : r));
  const unread = items.filter((r) => !r.read);
  const read = items.filter((r) => r.read);

  async function markRead(reminder: Reminder) {
    setError(null);
    try {
      await api.markReminderRead(patientId, reminder.id);
      setReadIds((previous) => new Set(previous).add(reminder.id));
      setMessage(t('reminders.markedRead'));
      document.getElementById('reminders-heading')?.focus();
    } catch (e) {
      setError(describeError(t, e));
    }
  }

  return (
    <section aria-labelledby="reminders-heading" id="reminders" className="stack-sm">
      <Heading level={2} data-size="sm" id="reminders-heading" tabIndex={-1} className="focus-target">
        {t('reminders.heading')}
        {unread.length > 0 && (
          <span className="ds-sr-only">{` (${t('reminders.unreadCount', { count: unread.length })})`}</span>
        )}
      </Heading>
      {reminders.status === 'error' ? (
        <LoadError error={reminders.error} onRetry={reminders.reload} />
      ) : unread.length === 0 ? (
        <Paragraph>{t('reminders.none')}</Paragraph>
      ) : (
        <ul className="reminder-list" data-testid="reminders">
          {unread.map((reminder) => (
            <ReminderItem key={reminder.id} reminder={reminder} onRead={() => void markRead(reminder)} />
          ))}
        </ul>
      )}
      {error && (
        <Paragraph role="alert" className="error-text">
          {error}
        </Paragraph>
      )}
      <div role="status" className="live-region">
        {message}
      </div>
      {read.length > 0 && (
        <div className="stack-sm">
          <Button
            type="button"
            variant="tertiary"
            data-size="sm"
            aria-expanded={showRead}
            onClick={() => setShowRead((v) => !v)}
          >
            {showRead ? t('reminders.hideRead') : t('reminders.showRead', { count: read.length })}
          </Button>
          {showRead && (
            <ul className="reminder-list reminder-list--read">
              {read.map((reminder) => (
                <ReminderItem key={reminder.id} reminder={reminder} />
              ))}
            </ul>
          )}
        </div>
      )}
    </section>
  );
}

function ReminderItem({ reminder, onRead }: { reminder: Reminder; onRead?: () => void }) {
  const { t } = useTranslation();
  const language = useLanguage();
  const { text, to } = reminderText(t, reminder);
  const textId = `reminder-${reminder.id}`;
  return (
    <li className="reminder" data-read={reminder.read}>
      <div className="reminder__body">
        <Paragraph id={textId}>{to ? <AppLink to={to}>{text}</AppLink> : text}</Paragraph>
        <Paragraph data-size="sm" className="muted">
          {formatDateTime(reminder.createdAt, language)}
          {reminder.read && (
            <>
              {' '}
              <Tag data-color="neutral" data-size="sm">
                {t('reminders.read')}
              </Tag>
            </>
          )}
        </Paragraph>
      </div>
      {onRead && (
        <Button type="button" variant="secondary" data-size="sm" onClick={onRead} aria-describedby={textId}>
          {t('reminders.markRead')}
        </Button>
      )}
    </li>
  );
}

function reminderText(t: TFunction, reminder: Reminder): { text: string; to: string | null } {
  switch (reminder.kind) {
    case 'module_available':
      return isModuleId(reminder.reference)
        ? {
            text: t('reminders.moduleAvailable', { number: moduleNumberOf(reminder.reference) }),
            to: `/patient/program/${reminder.reference}`,
          }
        : { text: t('reminders.moduleAvailableGeneric'), to: '/patient/program' };
    case 'measure_due': {
      const instrument = reminderInstrument(reminder.reference);
      if (!instrument) return { text: t('reminders.measureDueGeneric'), to: null };
      const moduleId = reminder.reference.split(':')[2];
      const to =
        instrument === 'phq9'
          ? isModuleId(moduleId)
            ? `/patient/program/${moduleId}`
            : '#phq9'
          : `/patient/measure/${instrument}`;
      return { text: t('reminders.measureDue', { name: instrumentName(t, instrument) }), to };
    }
    case 'followup_soon':
      return { text: t('reminders.followUpSoon'), to: '#follow-up' };
    case 'inactive':
      return { text: t('reminders.inactive'), to: '/patient/program' };
    default:
      return { text: t('reminders.generic'), to: null };
  }
}

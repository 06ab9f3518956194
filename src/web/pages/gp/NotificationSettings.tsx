/**
 * "Varsel om hastesaker" on the practice page: where urgent-case notifications go (the GP's own
 * e-mail and mobile number, the practice's shared e-mail), the practice's response deadline in
 * one sentence, and "Send en testmelding" to check that mail arrives. The same rules as the
 * server (domain/safety) are checked before sending; every problem is listed in an error summary
 * that links to its field, and shown at the field.
 *
 * Over 400 lines because the two forms (own and practice) share one error summary and one set of
 * field rules; the rules themselves are in domain/safety.
 */
import { Alert, Button, Fieldset, Heading, Paragraph, Textfield } from '@digdir/designsystemet-react';
import type { TFunction } from 'i18next';
import { useEffect, useRef, useState, type FormEvent, type MouseEvent } from 'react';
import { useTranslation } from 'react-i18next';
import {
  emailProblem,
  normalisePhone,
  ownNotificationProblems,
} from '../../../domain/safety/notification-settings.js';
import {
  NEXT_DAY_BY_EARLIEST,
  NEXT_DAY_BY_LATEST,
  responseStandardProblems,
  TIME_PATTERN,
} from '../../../domain/safety/response-standard.js';
import { ApiError } from '../../api/client.js';
import { describeError } from '../../components/errors.js';
import { LoadError } from '../../components/LoadError.js';
import { Loading } from '../../components/Loading.js';
import { useApiData } from '../../hooks/useApiData.js';
import type {
  OwnNotificationSettings,
  PracticeNotificationSettings,
  ResponseStandardValue,
  TestMessage,
} from '../../../contract/gp.js';
import { notificationSettingsApi } from './gp-api.js';
import { GpSection, MessageLine, type Message } from './parts.js';

/** Field name (as the server names it) → the message shown. */
type FieldErrors = Record<string, string>;

const IDS: Record<string, string> = {
  email: 'notify-own-email',
  phone: 'notify-own-phone',
  urgentEmail: 'notify-practice-email',
  'responseStandard.sameDayCutoff': 'notify-same-day-cutoff',
  'responseStandard.sameDayBy': 'notify-same-day-by',
  'responseStandard.nextDayBy': 'notify-next-day-by',
};

export function NotificationSettings() {
  const { t } = useTranslation();
  const own = useApiData((signal) => notificationSettingsApi.own(signal), []);
  return (
    <GpSection
      id="notification-settings"
      title={t('gp.notifySettings.heading')}
      testId="notification-settings"
    >
      <div className="stack-lg">
        <Paragraph data-size="sm">{t('gp.notifySettings.intro')}</Paragraph>
        {own.status === 'error' && <LoadError error={own.error} onRetry={own.reload} />}
        {!own.data && own.status === 'loading' && <Loading />}
        {own.data && <OwnForm initial={own.data} />}
        {own.data?.practiceId && <PracticeSection practiceId={own.data.practiceId} />}
      </div>
    </GpSection>
  );
}

function OwnForm({ initial }: { initial: OwnNotificationSettings }) {
  const { t } = useTranslation();
  const [email, setEmail] = useState(initial.email);
  const [phone, setPhone] = useState(initial.phone);
  const [errors, setErrors] = useState<FieldErrors>({});
  const [focusSummary, setFocusSummary] = useState(0);
  const [message, setMessage] = useState<Message>(null);
  const [saving, setSaving] = useState(false);
  const test = useTestMessage(email, 'own', (text) => {
    setErrors({ email: text });
    setFocusSummary((n) => n + 1);
  });

  async function onSubmit(event: FormEvent<HTMLFormElement>) {
    event.preventDefault();
    const body = { email: email.trim(), phone: normalisePhone(phone) };
    const next = messagesFor(
      t,
      ownNotificationProblems(body).map((p) => p.field)
    );
    setErrors(next);
    setMessage(null);
    if (Object.keys(next).length > 0) {
      setFocusSummary((n) => n + 1);
      return;
    }
    setSaving(true);
    try {
      const saved = await notificationSettingsApi.saveOwn(body);
      setEmail(saved.email);
      setPhone(saved.phone);
      setMessage({ kind: 'success', text: t('gp.notifySettings.ownSaved') });
    } catch (error) {
      const fields = serverFieldErrors(t, error);
      if (fields) {
        setErrors(fields);
        setFocusSummary((n) => n + 1);
      } else setMessage({ kind: 'danger', text: describeError(t, error) });
    } finally {
      setSaving(false);
    }
  }

  return (
    <form className="stack-sm" onSubmit={onSubmit} noValidate aria-labelledby="notify-own-heading">
      <Heading level={3} data-size="2xs" id="notify-own-heading">
        {t('gp.notifySettings.ownHeading')}
      </Heading>
      <ErrorSummary errors={errors} focusSignal={focusSummary} />
      <Textfield
        id={IDS.email}
        label={t('gp.notifySettings.ownEmail')}
        description={t('gp.notifySettings.ownEmailHelp')}
        type="email"
        autoComplete="email"
        maxLength={254}
        value={email}
        error={errors.email}
        onChange={(event) => setEmail(event.target.value)}
      />
      <Textfield
        id={IDS.phone}
        label={t('gp.notifySettings.ownPhone')}
        description={t('gp.notifySettings.ownPhoneHelp')}
        type="tel"
        autoComplete="tel"
        maxLength={24}
        value={phone}
        error={errors.phone}
        onChange={(event) => setPhone(event.target.value)}
      />
      {!email.trim() && !phone.trim() && (
        <Alert data-color="warning" data-testid="own-no-address">
          <Paragraph data-size="sm">{t('gp.notifySettings.ownNoAddress')}</Paragraph>
        </Alert>
      )}
      <div className="dialog-actions">
        <Button type="submit" variant="secondary" loading={saving} disabled={saving}>
          {t('gp.notifySettings.saveOwn')}
        </Button>
        {test.button}
      </div>
      <MessageLine message={message} />
      {test.status}
    </form>
  );
}

function PracticeSection({ practiceId }: { practiceId: string }) {
  const settings = useApiData((signal) => notificationSettingsApi.practice(practiceId, signal), [practiceId]);
  if (settings.status === 'error' && !settings.data)
    return <LoadError error={settings.error} onRetry={settings.reload} />;
  if (!settings.data) return <Loading />;
  return <PracticeForm initial={settings.data} />;
}

function PracticeForm({ initial }: { initial: PracticeNotificationSettings }) {
  const { t } = useTranslation();
  const [urgentEmail, setUrgentEmail] = useState(initial.urgentEmail);
  const [standard, setStandard] = useState<ResponseStandardValue>(initial.responseStandard);
  const [saved, setSaved] = useState(initial);
  const [errors, setErrors] = useState<FieldErrors>({});
  const [focusSummary, setFocusSummary] = useState(0);
  const [message, setMessage] = useState<Message>(null);
  const [saving, setSaving] = useState(false);
  const test = useTestMessage(urgentEmail, 'practice', (text) => {
    setErrors({ urgentEmail: text });
    setFocusSummary((n) => n + 1);
  });

  const setTime = (field: keyof ResponseStandardValue) => (value: string) =>
    setStandard((previous) => ({ ...previous, [field]: value }));

  async function onSubmit(event: FormEvent<HTMLFormElement>) {
    event.preventDefault();
    const body = { urgentEmail: urgentEmail.trim(), responseStandard: standard };
    const problems = [
      ...(emailProblem(body.urgentEmail) ? ['urgentEmail'] : []),
      ...responseStandardProblems(standard).map((p) => `responseStandard.${p.field}`),
    ];
    const next = messagesFor(t, problems, standard);
    setErrors(next);
    setMessage(null);
    if (problems.length > 0) {
      setFocusSummary((n) => n + 1);
      return;
    }
    setSaving(true);
    try {
      const result = await notificationSettingsApi.savePractice(initial.practiceId, body);
      setSaved(result);
      setUrgentEmail(result.urgentEmail);
      setStandard(result.responseStandard);
      setMessage({ kind: 'success', text: t('gp.notifySettings.practiceSaved') });
    } catch (error) {
      const fields = serverFieldErrors(t, error, standard);
      if (fields) {
        setErrors(fields);
        setFocusSummary((n) => n + 1);
      } else setMessage({ kind: 'danger', text: describeError(t, error) });
    } finally {
      setSaving(false);
    }
  }

  return (
    <form
      className="stack-sm"
      onSubmit={onSubmit}
      noValidate
      aria-labelledby="notify-practice-heading"
      data-testid="practice-notification-form"
    >
      <Heading level={3} data-size="2xs" id="notify-practice-heading">
        {t('gp.notifySettings.practiceHeading')}
      </Heading>
      <Paragraph data-size="sm" className="muted">
        {t('gp.notifySettings.practiceIntro')}
      </Paragraph>
      <ErrorSummary errors={errors} focusSignal={focusSummary} />
      <Textfield
        id={IDS.urgentEmail}
        label={t('gp.notifySettings.practiceEmail')}
        description={t('gp.notifySettings.practiceEmailHelp')}
        type="email"
        maxLength={254}
        value={urgentEmail}
        error={errors.urgentEmail}
        onChange={(event) => setUrgentEmail(event.target.value)}
      />
      {!urgentEmail.trim() && (
        <Alert data-color="warning" data-testid="practice-no-address">
          <Paragraph data-size="sm">{t('gp.notifySettings.practiceNoAddress')}</Paragraph>
        </Alert>
      )}
      {saved.gpsWithoutAddress.length > 0 && (
        <Alert data-color="warning">
          <Paragraph data-size="sm">
            {t('gp.notifySettings.gpsWithoutAddress', { names: saved.gpsWithoutAddress.join(', ') })}
          </Paragraph>
        </Alert>
      )}
      <Fieldset>
        <Fieldset.Legend>{t('gp.notifySettings.deadlineLegend')}</Fieldset.Legend>
        <Fieldset.Description>
          <span data-testid="deadline-sentence">{deadlineSentence(t, saved.responseStandard)}</span>{' '}
          {t('gp.notifySettings.deadlineHelp')}
        </Fieldset.Description>
        <div className="field-pair">
          <TimeField
            field="sameDayCutoff"
            value={standard.sameDayCutoff}
            error={errors['responseStandard.sameDayCutoff']}
            onChange={setTime('sameDayCutoff')}
          />
          <TimeField
            field="sameDayBy"
            value={standard.sameDayBy}
            error={errors['responseStandard.sameDayBy']}
            onChange={setTime('sameDayBy')}
          />
          <TimeField
            field="nextDayBy"
            value={standard.nextDayBy}
            error={errors['responseStandard.nextDayBy']}
            onChange={setTime('nextDayBy')}
          />
        </div>
      </Fieldset>
      <div className="dialog-actions">
        <Button type="submit" variant="secondary" loading={saving} disabled={saving}>
          {t('gp.notifySettings.savePractice')}
        </Button>
        {test.button}
      </div>
      <MessageLine message={message} />
      {test.status}
    </form>
  );
}

function TimeField({
  field,
  value,
  error,
  onChange,
}: {
  field: keyof ResponseStandardValue;
  value: string;
  error: string | undefined;
  onChange: (value: string) => void;
}) {
  const { t } = useTranslation();
  return (
    <Textfield
      id={IDS[`responseStandard.${field}`]}
      label={t(`gp.notifySettings.${field}`)}
      type="time"
      value={value}
      error={error}
      onChange={(event) => onChange(event.target.value)}
    />
  );
}

/** "Svar samme arbeidsdag; etter 16:00 innen 10:00 neste arbeidsdag." */
function deadlineSentence(t: T, s: ResponseStandardValue): string {
  if (s.sameDayBy === s.sameDayCutoff)
    return t('gp.notifySettings.deadlineSentenceSame', { cutoff: s.sameDayCutoff, nextDayBy: s.nextDayBy });
  return t('gp.notifySettings.deadlineSentence', {
    cutoff: s.sameDayCutoff,
    sameDayBy: s.sameDayBy,
    nextDayBy: s.nextDayBy,
  });
}

type T = TFunction;
const TIME = new RegExp(TIME_PATTERN);

/**
 * Plain words for each field the rules (or the server) refused. A well-formed time that is
 * refused breaks the order or morning rule; any other is not a time.
 */
function messagesFor(t: T, fields: string[], standard?: ResponseStandardValue): FieldErrors {
  const out: FieldErrors = {};
  for (const field of fields) {
    if (out[field] || !IDS[field]) continue;
    if (field === 'email' || field === 'urgentEmail') out[field] = t('gp.notifySettings.errors.email');
    else if (field === 'phone') out[field] = t('gp.notifySettings.errors.phone');
    else if (field === 'responseStandard.sameDayBy' && standard && TIME.test(standard.sameDayBy))
      out[field] = t('gp.notifySettings.errors.sameDayBy');
    else if (field === 'responseStandard.nextDayBy' && standard && TIME.test(standard.nextDayBy))
      out[field] = t('gp.notifySettings.errors.nextDayBy', {
        earliest: NEXT_DAY_BY_EARLIEST,
        latest: NEXT_DAY_BY_LATEST,
      });
    else out[field] = t('gp.notifySettings.errors.time');
  }
  return out;
}

/** The server's field problems in the form's words, or null for any other error. */
function serverFieldErrors(t: T, error: unknown, standard?: ResponseStandardValue): FieldErrors | null {
  if (!(error instanceof ApiError) || error.status !== 400) return null;
  const known = messagesFor(
    t,
    error.fieldErrors.map((e) => e.field),
    standard
  );
  return Object.keys(known).length > 0 ? known : null;
}

/** The form's problems as links to their fields, focused after a refused save. */
function ErrorSummary({ errors, focusSignal }: { errors: FieldErrors; focusSignal: number }) {
  const { t } = useTranslation();
  const ref = useRef<HTMLDivElement>(null);
  useEffect(() => {
    if (focusSignal > 0) ref.current?.focus();
  }, [focusSignal]);
  const entries = Object.entries(errors);
  if (entries.length === 0) return null;
  function focusField(event: MouseEvent<HTMLAnchorElement>, id: string) {
    event.preventDefault();
    document.getElementById(id)?.focus();
  }
  return (
    <div ref={ref} tabIndex={-1} data-testid="notification-error-summary">
      <Alert data-color="danger">
        <Heading level={4} data-size="2xs">
          {t('gp.notifySettings.errorSummary')}
        </Heading>
        <ul>
          {entries.map(([field, text]) => (
            <li key={field}>
              <a
                href={`#${IDS[field]}`}
                className="ds-link"
                onClick={(event) => focusField(event, IDS[field]!)}
              >
                {text}
              </a>
            </li>
          ))}
        </ul>
      </Alert>
    </div>
  );
}

/**
 * "Send en testmelding" to the address in the field (saved or not): queued in the outbox, then
 * followed until the mail server has taken it or refused it. Gives the button and the status line.
 */
function useTestMessage(email: string, target: 'own' | 'practice', onInvalid: (text: string) => void) {
  const { t } = useTranslation();
  const [status, setStatus] = useState<Message>(null);
  const [busy, setBusy] = useState(false);
  const alive = useRef(true);
  useEffect(() => {
    alive.current = true;
    return () => {
      alive.current = false;
    };
  }, []);

  async function send() {
    const to = email.trim();
    if (!to || emailProblem(to)) {
      onInvalid(t(to ? 'gp.notifySettings.errors.email' : 'gp.notifySettings.testNeedsEmail'));
      return;
    }
    setBusy(true);
    setStatus(null);
    try {
      const { id } = await notificationSettingsApi.sendTest({ email: to, target });
      setStatus({ kind: 'info', text: t('gp.notifySettings.testQueued', { email: to }) });
      let outcome: TestMessage | undefined;
      for (let i = 0; i < 20 && alive.current; i += 1) {
        await new Promise((resolve) => setTimeout(resolve, i < 5 ? 500 : 1500));
        const latest = await notificationSettingsApi.own();
        outcome = latest.recentTests.find((m) => m.id === id);
        if (outcome && outcome.state !== 'sending') break;
      }
      if (!alive.current) return;
      if (outcome?.state === 'sent')
        setStatus({ kind: 'success', text: t('gp.notifySettings.testSent', { email: to }) });
      else if (outcome?.state === 'failed')
        setStatus({
          kind: 'danger',
          text: t('gp.notifySettings.testFailed', { email: to, error: outcome.error ?? '' }),
        });
      else setStatus({ kind: 'info', text: t('gp.notifySettings.testSending', { email: to }) });
    } catch (error) {
      if (alive.current) setStatus({ kind: 'danger', text: describeError(t, error) });
    } finally {
      if (alive.current) setBusy(false);
    }
  }

  return {
    button: (
      <Button type="button" variant="tertiary" loading={busy} disabled={busy} onClick={() => void send()}>
        {t('gp.notifySettings.sendTest')}
        <span className="ds-sr-only">
          {' '}
          {t('gp.notifySettings.sendTestTo', { email: email.trim() || '–' })}
        </span>
      </Button>
    ),
    status: (
      <div data-testid={`notification-test-status-${target}`}>
        <MessageLine message={status} />
      </div>
    ),
  };
}

/**
 * "I am away": from, to, and who covers — a named colleague or the whole practice (the shared
 * inbox). While it lasts, the cover sees this GP's urgent items on their worklist.
 */
import { Button, Field, Label, Paragraph, Select, Textfield } from '@digdir/designsystemet-react';
import { useId, useState, type FormEvent } from 'react';
import { useTranslation } from 'react-i18next';
import { ApiError } from '../../api/client.js';
import { describeError } from '../../components/errors.js';
import { LoadError } from '../../components/LoadError.js';
import { formatDate } from '../../format.js';
import { useApiData } from '../../hooks/useApiData.js';
import { useLanguage } from '../../i18n/useLanguage.js';
import type { Absence } from '../../../contract/gp.js';
import { gpApi } from './gp-api.js';
import { GpSection, MessageLine, type Message } from './parts.js';
import { addDays, endOfOsloDay, osloDateInput, startOfOsloDay } from './time.js';
import './AbsenceSection.css';

export function AbsenceSection({ onChanged }: { onChanged: () => void }) {
  const { t } = useTranslation();
  const language = useLanguage();
  const absences = useApiData((signal) => gpApi.absences(signal), []);
  const today = osloDateInput(new Date());
  const [from, setFrom] = useState(today);
  const [to, setTo] = useState(osloDateInput(addDays(new Date(), 7)));
  const [delegate, setDelegate] = useState('');
  const [errors, setErrors] = useState<{ from?: string; to?: string }>({});
  const [message, setMessage] = useState<Message>(null);
  const [busy, setBusy] = useState<string | null>(null);
  const selectId = useId();

  async function onSubmit(event: FormEvent<HTMLFormElement>) {
    event.preventDefault();
    const next: typeof errors = {};
    if (!from) next.from = t('gp.absence.fromMissing');
    if (!to) next.to = t('gp.absence.toMissing');
    else if (from && to < from) next.to = t('gp.absence.toBeforeFrom');
    setErrors(next);
    if (next.from || next.to) return;
    // From today: at once. A later day: from the start of that day. Until the end of the last day.
    const startsAt = from === today ? new Date() : startOfOsloDay(from);
    const endsAt = endOfOsloDay(to);
    setBusy('create');
    setMessage(null);
    try {
      const created = await gpApi.createAbsence({
        startsAt: startsAt.toISOString(),
        endsAt: endsAt.toISOString(),
        delegateUserId: delegate || null,
      });
      setMessage({
        kind: 'success',
        text: t('gp.absence.created', {
          to: formatDate(endsAtDisplay(created.endsAt), language),
          cover: created.delegate?.displayName ?? t('gp.absence.wholePractice'),
        }),
      });
      absences.reload();
      onChanged();
    } catch (error) {
      if (error instanceof ApiError && error.fieldErrors.some((e) => e.field === 'endsAt'))
        setErrors({ to: t('gp.absence.toBeforeFrom') });
      else setMessage({ kind: 'danger', text: describeError(t, error) });
    } finally {
      setBusy(null);
    }
  }

  async function end(absence: Absence) {
    setBusy(absence.id);
    setMessage(null);
    try {
      await gpApi.endAbsence(absence.id);
      setMessage({ kind: 'success', text: t('gp.absence.ended') });
      absences.reload();
      onChanged();
    } catch (error) {
      setMessage({ kind: 'danger', text: describeError(t, error) });
    } finally {
      setBusy(null);
    }
  }

  return (
    <GpSection id="absence" title={t('gp.absence.heading')} testId="absence-section">
      <div className="stack-md">
        <Paragraph data-size="sm" className="muted">
          {t('gp.absence.intro')}
        </Paragraph>
        <MessageLine message={message} />
        {absences.status === 'error' && <LoadError error={absences.error} onRetry={absences.reload} />}
        {absences.data && absences.data.items.length > 0 && (
          <ul className="absence-list">
            {absences.data.items.map((absence) => (
              <li key={absence.id} className="absence-list__item" data-testid="absence">
                <Paragraph data-size="sm">
                  {t('gp.absence.period', {
                    from: formatDate(absence.startsAt, language),
                    to: formatDate(endsAtDisplay(absence.endsAt), language),
                  })}
                  <br />
                  {t('gp.absence.coveredBy', {
                    cover: absence.delegate?.displayName ?? t('gp.absence.wholePractice'),
                  })}
                </Paragraph>
                <Button
                  type="button"
                  variant="secondary"
                  data-size="sm"
                  loading={busy === absence.id}
                  disabled={busy !== null}
                  onClick={() => void end(absence)}
                >
                  {new Date(absence.startsAt) <= new Date() ? t('gp.absence.end') : t('gp.absence.cancel')}
                </Button>
              </li>
            ))}
          </ul>
        )}
        <form className="stack-sm absence-form" onSubmit={onSubmit} noValidate>
          <div className="field-pair">
            <Textfield
              label={t('gp.absence.from')}
              type="date"
              value={from}
              min={today}
              error={errors.from}
              onChange={(event) => setFrom(event.target.value)}
            />
            <Textfield
              label={t('gp.absence.to')}
              type="date"
              value={to}
              min={from || today}
              error={errors.to}
              onChange={(event) => setTo(event.target.value)}
            />
          </div>
          <Field>
            <Label htmlFor={selectId}>{t('gp.absence.cover')}</Label>
            <Select id={selectId} value={delegate} onChange={(event) => setDelegate(event.target.value)}>
              <Select.Option value="">{t('gp.absence.wholePracticeOption')}</Select.Option>
              {absences.data?.colleagues.map((colleague) => (
                <Select.Option key={colleague.id} value={colleague.id}>
                  {colleague.displayName}
                </Select.Option>
              ))}
            </Select>
          </Field>
          <Button type="submit" variant="secondary" loading={busy === 'create'} disabled={busy !== null}>
            {t('gp.absence.submit')}
          </Button>
        </form>
      </div>
    </GpSection>
  );
}

/** An absence ends at midnight after its last day: show that last day, not the next one. */
function endsAtDisplay(iso: string): string {
  return new Date(new Date(iso).getTime() - 60_000).toISOString();
}

/**
 * Before a talk with the GP (within two days of a planned follow-up): answer the PHQ-9 and write
 * two short things — what I want to talk about, and one thing I tried since last time. The GP's
 * follow-up card opens with them, so the talk starts from the patient's own agenda.
 */
import { Alert, Button, Card, Heading, Paragraph, Textfield } from '@digdir/designsystemet-react';
import { useState, type FormEvent } from 'react';
import { useTranslation } from 'react-i18next';
import type { Agenda, AgendaBody, SavedAgenda } from '../../../../contract/followup.js';
import { apiRequest, type FollowUp } from '../../../api/client.js';
import { AppLink } from '../../../components/AppLink.js';
import { describeError } from '../../../components/errors.js';
import { LoadError } from '../../../components/LoadError.js';
import { Loading } from '../../../components/Loading.js';
import { formatDateTime, formatLongDate, formatTime } from '../../../format.js';
import { useApiData } from '../../../hooks/useApiData.js';
import { useLanguage } from '../../../i18n/useLanguage.js';
import './AgendaCard.css';

const DAY = 24 * 60 * 60 * 1000;
export const AGENDA_WINDOW_DAYS = 2;

/** Whether to ask for the agenda now: the follow-up is in the future and at most two days away. */
export function agendaDue(followUp: FollowUp | null, now: Date): boolean {
  if (!followUp) return false;
  const until = new Date(followUp.plannedAt).getTime() - now.getTime();
  return until > 0 && until <= AGENDA_WINDOW_DAYS * DAY;
}

const agendaPath = (patientId: string, followUpId: string) =>
  `/api/patients/${encodeURIComponent(patientId)}/follow-ups/${encodeURIComponent(followUpId)}/agenda`;

export function AgendaCard({
  patientId,
  followUp,
  phq9AnsweredAt,
}: {
  patientId: string;
  followUp: FollowUp;
  /** When the latest PHQ-9 was answered, to say whether it is done for this talk. */
  phq9AnsweredAt: string | null;
}) {
  const { t } = useTranslation();
  const language = useLanguage();
  const stored = useApiData(
    (signal) => apiRequest<Agenda>('GET', agendaPath(patientId, followUp.id), { signal }),
    [patientId, followUp.id]
  );
  const [now] = useState(() => Date.now());
  const phq9Fresh =
    phq9AnsweredAt !== null && now - new Date(phq9AnsweredAt).getTime() <= AGENDA_WINDOW_DAYS * DAY;

  return (
    <Card data-color="accent" className="agenda-card stack-md" data-testid="agenda-card">
      <div className="stack-sm">
        <Heading level={3} data-size="xs">
          {t('agenda.heading')}
        </Heading>
        <Paragraph>
          {t('agenda.intro', {
            date: formatLongDate(followUp.plannedAt, language),
            time: formatTime(followUp.plannedAt, language),
          })}
        </Paragraph>
      </div>
      <ol className="agenda-card__steps">
        <li>
          {phq9Fresh ? <span>{t('agenda.phq9Done')}</span> : <AppLink to="#phq9">{t('agenda.phq9')}</AppLink>}
        </li>
        <li>{t('agenda.writeTwo')}</li>
      </ol>
      {stored.data ? (
        <AgendaForm key={followUp.id} patientId={patientId} followUpId={followUp.id} initial={stored.data} />
      ) : stored.status === 'error' ? (
        <LoadError error={stored.error} onRetry={stored.reload} />
      ) : (
        <Loading />
      )}
    </Card>
  );
}

function AgendaForm({
  patientId,
  followUpId,
  initial,
}: {
  patientId: string;
  followUpId: string;
  initial: Agenda;
}) {
  const { t } = useTranslation();
  const language = useLanguage();
  const [talkAbout, setTalkAbout] = useState(initial.talkAbout);
  const [tried, setTried] = useState(initial.tried);
  const [savedAt, setSavedAt] = useState<string | null>(initial.updatedAt);
  const [error, setError] = useState<string | null>(null);
  const [saving, setSaving] = useState(false);

  async function onSubmit(event: FormEvent<HTMLFormElement>) {
    event.preventDefault();
    setSaving(true);
    setError(null);
    try {
      const result = await apiRequest<SavedAgenda>('PUT', agendaPath(patientId, followUpId), {
        body: { talkAbout: talkAbout.trim(), tried: tried.trim() } satisfies AgendaBody,
      });
      setSavedAt(result.updatedAt);
    } catch (caught) {
      setError(describeError(t, caught));
    } finally {
      setSaving(false);
    }
  }

  return (
    <form className="stack-sm" onSubmit={onSubmit} noValidate>
      <Textfield
        label={t('agenda.talkAbout')}
        multiline
        rows={3}
        maxLength={1000}
        value={talkAbout}
        onChange={(event) => setTalkAbout(event.target.value)}
      />
      <Textfield
        label={t('agenda.tried')}
        multiline
        rows={2}
        maxLength={1000}
        value={tried}
        onChange={(event) => setTried(event.target.value)}
      />
      <Paragraph data-size="sm" className="muted">
        {t('agenda.gpSees')}
      </Paragraph>
      {error && (
        <Alert data-color="danger" role="alert">
          <Paragraph>{error}</Paragraph>
        </Alert>
      )}
      <div className="agenda-card__actions">
        <Button
          type="submit"
          data-color="accent"
          loading={saving}
          disabled={!talkAbout.trim() && !tried.trim()}
        >
          {savedAt ? t('agenda.update') : t('agenda.send')}
        </Button>
        <span role="status" className="agenda-card__status">
          {savedAt ? t('agenda.saved', { date: formatDateTime(savedAt, language) }) : ''}
        </span>
      </div>
    </form>
  );
}

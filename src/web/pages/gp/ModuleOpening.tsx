/**
 * The week between modules, for the GP (issue 11 §3): when the patient's next module opens by
 * itself, and the one way to open it sooner, with a reason that is kept and shown on the timeline.
 * Pacing gives the patient time to practise between modules; the GP may know better (the patient
 * is away next week, or has time now), and that is the GP's call, written down.
 */
import { Alert, Button, Card, Heading, Paragraph, Textfield } from '@digdir/designsystemet-react';
import { useState, type FormEvent } from 'react';
import { useTranslation } from 'react-i18next';
import type { ProgramView } from '../../api/client.js';
import { ApiError } from '../../api/client.js';
import { describeError } from '../../components/errors.js';
import { formatLongDate } from '../../format.js';
import { useLanguage } from '../../i18n/useLanguage.js';
import { gpApi } from './gp-api.js';
import { moduleLabel } from './labels.js';

export function ModuleOpening({
  patientId,
  program,
  onOpened,
}: {
  patientId: string;
  program: ProgramView;
  onOpened: () => void;
}) {
  const { t } = useTranslation();
  const language = useLanguage();
  const [asking, setAsking] = useState(false);
  const [reason, setReason] = useState('');
  const [reasonError, setReasonError] = useState<string | null>(null);
  const [error, setError] = useState<string | null>(null);
  const [working, setWorking] = useState(false);
  const waiting = program.modules.find((m) => m.state === 'waiting');
  if (!waiting?.opensAt) return null;
  const module = moduleLabel(t, waiting.id);

  async function onSubmit(event: FormEvent<HTMLFormElement>) {
    event.preventDefault();
    if (!reason.trim()) {
      setReasonError(t('gp.moduleOpening.reasonRequired'));
      return;
    }
    setWorking(true);
    setError(null);
    setReasonError(null);
    try {
      await gpApi.openModuleEarly(patientId, waiting!.id, reason.trim());
      setAsking(false);
      setReason('');
      onOpened();
    } catch (caught) {
      const field =
        caught instanceof ApiError ? caught.fieldErrors.find((e) => e.field === 'reason') : undefined;
      if (field) setReasonError(t('gp.moduleOpening.reasonRequired'));
      else setError(describeError(t, caught));
    } finally {
      setWorking(false);
    }
  }

  return (
    <Card data-color="neutral" className="stack-sm" data-testid="module-opening">
      <Heading level={2} data-size="2xs">
        {t('gp.moduleOpening.heading', { module })}
      </Heading>
      <Paragraph>
        {t('gp.moduleOpening.opensOn', { module, date: formatLongDate(waiting.opensAt, language) })}
      </Paragraph>
      {error && (
        <Alert data-color="danger" role="alert">
          {error}
        </Alert>
      )}
      {asking ? (
        <form className="stack-sm" onSubmit={(e) => void onSubmit(e)} noValidate>
          <Textfield
            label={t('gp.moduleOpening.reasonLabel')}
            description={t('gp.moduleOpening.reasonHelp')}
            value={reason}
            maxLength={500}
            error={reasonError ?? undefined}
            onChange={(e) => setReason(e.target.value)}
          />
          <div className="dialog-actions">
            <Button type="submit" data-color="accent" loading={working}>
              {t('gp.moduleOpening.confirm', { module })}
            </Button>
            <Button type="button" variant="tertiary" onClick={() => setAsking(false)}>
              {t('gp.moduleOpening.cancel')}
            </Button>
          </div>
        </form>
      ) : (
        <div>
          <Button type="button" variant="secondary" onClick={() => setAsking(true)}>
            {t('gp.moduleOpening.open', { module })}
          </Button>
        </div>
      )}
    </Card>
  );
}

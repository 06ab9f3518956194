/**
 * Breaking the glass (issue 16), on the practice page: when a patient of the practice needs help
 * now and neither their GP nor a cover can give it, a GP opens the patient for two hours, with a
 * reason and a note (domain/access/emergency-access.ts). The form says plainly that the access is
 * logged and shown to the patient; the server asks for a fresh re-authentication first (the
 * shared API client shows that dialog).
 */
import { Alert, Button, Paragraph, Textfield } from '@digdir/designsystemet-react';
import { useState, type FormEvent } from 'react';
import { useTranslation } from 'react-i18next';
import { useNavigate } from 'react-router';
import {
  EMERGENCY_ACCESS_HOURS,
  EMERGENCY_NOTE_MIN_LENGTH,
  EMERGENCY_REASONS,
  type EmergencyReason,
} from '../../../domain/access/emergency-access.js';
import { personNumberProblem } from '../../../domain/identifiers/norwegian-ids.js';
import { ApiError } from '../../api/client.js';
import { ChoiceGroup } from '../../components/ChoiceGroup.js';
import { describeError } from '../../components/errors.js';
import { gpApi } from './gp-api.js';
import { patientPagePath } from './paths.js';

type Errors = Partial<Record<'personNumber' | 'reason' | 'note', string>>;

export function EmergencyAccessSection() {
  const { t } = useTranslation();
  const navigate = useNavigate();
  const [personNumber, setPersonNumber] = useState('');
  const [reason, setReason] = useState<EmergencyReason | null>(null);
  const [note, setNote] = useState('');
  const [errors, setErrors] = useState<Errors>({});
  const [failure, setFailure] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);

  async function onSubmit(event: FormEvent<HTMLFormElement>) {
    event.preventDefault();
    const number = personNumber.replace(/\s/g, '');
    const next: Errors = {};
    if (personNumberProblem(number)) next.personNumber = t('gp.emergency.personNumberInvalid');
    if (!reason) next.reason = t('gp.emergency.reasonMissing');
    if (note.trim().length < EMERGENCY_NOTE_MIN_LENGTH)
      next.note = t('gp.emergency.noteTooShort', { count: EMERGENCY_NOTE_MIN_LENGTH });
    setErrors(next);
    setFailure(null);
    if (Object.keys(next).length > 0 || !reason) return;
    setBusy(true);
    try {
      const granted = await gpApi.breakTheGlass({ personNumber: number, reason, note });
      void navigate(patientPagePath(granted.patientId));
    } catch (caught) {
      setFailure(
        caught instanceof ApiError && caught.status === 404
          ? t('gp.emergency.notFound')
          : describeError(t, caught)
      );
    } finally {
      setBusy(false);
    }
  }

  return (
    <form className="stack-md" onSubmit={(event) => void onSubmit(event)} noValidate>
      <Paragraph>{t('gp.emergency.intro', { hours: EMERGENCY_ACCESS_HOURS })}</Paragraph>
      <Textfield
        label={t('gp.emergency.personNumber')}
        inputMode="numeric"
        autoComplete="off"
        value={personNumber}
        onChange={(event) => setPersonNumber(event.target.value)}
        error={errors.personNumber}
      />
      <ChoiceGroup
        id="emergency-reason"
        name="emergency-reason"
        legend={t('gp.emergency.reason')}
        choices={EMERGENCY_REASONS.map((value) => ({ value, label: t(`gp.emergency.reasons.${value}`) }))}
        value={reason}
        error={errors.reason ?? null}
        onChange={(value) => setReason(value as EmergencyReason)}
      />
      <Textfield
        label={t('gp.emergency.note')}
        description={t('gp.emergency.noteHelp')}
        multiline
        rows={3}
        maxLength={2000}
        value={note}
        onChange={(event) => setNote(event.target.value)}
        error={errors.note}
      />
      {failure && (
        <Alert data-color="danger" role="alert">
          <Paragraph>{failure}</Paragraph>
        </Alert>
      )}
      <div>
        <Button type="submit" variant="secondary" data-color="danger" disabled={busy} aria-busy={busy}>
          {t('gp.emergency.submit')}
        </Button>
      </div>
    </form>
  );
}

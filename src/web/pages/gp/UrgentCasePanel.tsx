/**
 * The patient's open urgent case, at the top of the patient page and the follow-up card: when it
 * opened, its deadline, whether it was passed on, every item-9 answer in it, whom the notifications
 * reached, the crisis numbers, and the form that closes it with what was done (contact,
 * assessment, plan). Nothing here grades the patient's risk; the GP's record is what counts.
 */
import { Alert, Button, Card, Heading, Paragraph, Tag, Textfield } from '@digdir/designsystemet-react';
import { useState, type FormEvent } from 'react';
import { useTranslation } from 'react-i18next';
import {
  URGENT_CONTACT_LABELS,
  URGENT_CONTACTS,
  URGENT_TEXT_MAX,
  type UrgentContact,
} from '../../../domain/safety/urgent-case.js';
import { ChoiceGroup } from '../../components/ChoiceGroup.js';
import { CrisisNote } from '../../components/CrisisNote.js';
import { describeError } from '../../components/errors.js';
import { formatDateTime } from '../../format.js';
import { useApiData } from '../../hooks/useApiData.js';
import { useLanguage } from '../../i18n/useLanguage.js';
import type { UrgentCase } from '../../../contract/urgent.js';
import { gpApi } from './gp-api.js';

export function UrgentCasePanel({ patientId, onClosed }: { patientId: string; onClosed?: () => void }) {
  const cases = useApiData((signal) => gpApi.urgentCases(patientId, signal), [patientId]);
  const [closedNow, setClosedNow] = useState(false);
  const { t } = useTranslation();
  const open = cases.data?.open ?? null;
  if (!open) {
    return closedNow ? (
      <Alert data-color="success" role="status">
        <Paragraph>{t('gp.urgent.closed')}</Paragraph>
      </Alert>
    ) : null;
  }
  return (
    <OpenCase
      patientId={patientId}
      urgent={open}
      onClosed={() => {
        setClosedNow(true);
        cases.reload();
        onClosed?.();
      }}
    />
  );
}

function OpenCase({
  patientId,
  urgent,
  onClosed,
}: {
  patientId: string;
  urgent: UrgentCase;
  onClosed: () => void;
}) {
  const { t } = useTranslation();
  const language = useLanguage();
  const [contact, setContact] = useState<UrgentContact | null>(null);
  const [assessment, setAssessment] = useState('');
  const [plan, setPlan] = useState('');
  const [errors, setErrors] = useState<Partial<Record<'contact' | 'assessment' | 'plan', string>>>({});
  const [error, setError] = useState<string | null>(null);
  const [submitting, setSubmitting] = useState(false);

  async function onSubmit(event: FormEvent<HTMLFormElement>) {
    event.preventDefault();
    const found: typeof errors = {};
    if (!contact) found.contact = t('gp.urgent.chooseContact');
    if (!assessment.trim()) found.assessment = t('gp.urgent.required');
    if (!plan.trim()) found.plan = t('gp.urgent.required');
    setErrors(found);
    if (Object.keys(found).length > 0 || !contact) return;
    setSubmitting(true);
    setError(null);
    try {
      await gpApi.closeUrgentCase(patientId, urgent.id, { contact, assessment, plan });
      onClosed();
    } catch (caught) {
      setError(describeError(t, caught));
      setSubmitting(false);
    }
  }

  return (
    <section id="urgent" aria-labelledby="urgent-heading" data-testid="urgent-case">
      <Card data-color="danger" className="stack-md urgent-case">
        <div className="stack-sm">
          <Heading level={2} data-size="xs" id="urgent-heading">
            {t('gp.urgent.heading')}
          </Heading>
          <Paragraph>
            {t('gp.urgent.openedAt', { date: formatDateTime(urgent.openedAt, language) })} ·{' '}
            {t('gp.urgent.dueAt', { date: formatDateTime(urgent.dueAt, language) })}
          </Paragraph>
          <div className="dialog-actions">
            {urgent.overdue && <Tag data-color="danger">{t('gp.urgent.overdue')}</Tag>}
            {urgent.escalatedTo && (
              <Tag data-color="warning">
                {urgent.escalatedTo === 'cover'
                  ? t('gp.urgent.escalatedCover')
                  : t('gp.urgent.escalatedPractice')}
              </Tag>
            )}
          </div>
        </div>
        <div>
          <Heading level={3} data-size="2xs">
            {t('gp.urgent.answers')}
          </Heading>
          <ul className="plain-list">
            {urgent.answers.map((a) => (
              <li key={a.answeredAt}>
                {t('gp.urgent.answer', { date: formatDateTime(a.answeredAt, language), score: a.item9Score })}
              </li>
            ))}
          </ul>
        </div>
        <CrisisNote />
        <div>
          <Heading level={3} data-size="2xs">
            {t('gp.urgent.deliveries')}
          </Heading>
          {urgent.deliveries.length === 0 ? (
            <Paragraph data-size="sm">{t('gp.urgent.noDeliveries')}</Paragraph>
          ) : (
            <ul className="plain-list" data-testid="urgent-deliveries">
              {urgent.deliveries.map((d, i) => (
                <li key={i}>
                  {d.recipientName ?? '–'} ({t(`gp.urgent.channel.${d.channel}`)}):{' '}
                  <strong>{t(`gp.urgent.delivery.${d.state}`)}</strong>
                  {d.error && d.state !== 'sent' ? ` – ${d.error}` : ''}
                </li>
              ))}
            </ul>
          )}
        </div>
        <form className="stack-md" onSubmit={(event) => void onSubmit(event)} noValidate>
          <Heading level={3} data-size="2xs">
            {t('gp.urgent.recordHeading')}
          </Heading>
          <Paragraph data-size="sm">{t('gp.urgent.recordIntro')}</Paragraph>
          <ChoiceGroup
            id="urgent-contact"
            name="urgent-contact"
            legend={t('gp.urgent.contact')}
            choices={URGENT_CONTACTS.map((c) => ({ value: c, label: URGENT_CONTACT_LABELS[c][language] }))}
            value={contact}
            error={errors.contact ?? null}
            onChange={(value) => setContact(value as UrgentContact)}
          />
          <Textfield
            label={t('gp.urgent.assessment')}
            multiline
            rows={3}
            maxLength={URGENT_TEXT_MAX}
            value={assessment}
            error={errors.assessment}
            onChange={(event) => setAssessment(event.target.value)}
          />
          <Textfield
            label={t('gp.urgent.plan')}
            multiline
            rows={2}
            maxLength={URGENT_TEXT_MAX}
            value={plan}
            error={errors.plan}
            onChange={(event) => setPlan(event.target.value)}
          />
          {error && (
            <Alert data-color="danger" role="alert">
              <Paragraph>{error}</Paragraph>
            </Alert>
          )}
          <div>
            <Button type="submit" loading={submitting}>
              {t('gp.urgent.submit')}
            </Button>
          </div>
        </form>
      </Card>
    </section>
  );
}

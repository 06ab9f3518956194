/**
 * On the patient page: the guides assigned to the patient (issue 17). The patient's own GP assigns
 * a guide of the practice and ends the assignment; the guide then reaches messages and shared
 * exercises only, for as long as it lasts.
 */
import { Button, Field, Label, Paragraph, Select } from '@digdir/designsystemet-react';
import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import { messagesApi } from '../../../api/messages-api.js';
import { describeError } from '../../../components/errors.js';
import { LoadError } from '../../../components/LoadError.js';
import { Loading } from '../../../components/Loading.js';
import { formatDate } from '../../../format.js';
import { useApiData } from '../../../hooks/useApiData.js';
import { useLanguage } from '../../../i18n/useLanguage.js';
import { GpSection, MessageLine, type Message } from '../parts.js';
import './GuidesSection.css';

export function GuidesSection({ patientId }: { patientId: string }) {
  const { t } = useTranslation();
  const language = useLanguage();
  const guides = useApiData((signal) => messagesApi.guides(patientId, signal), [patientId]);
  const [choice, setChoice] = useState('');
  const [message, setMessage] = useState<Message>(null);
  const [busy, setBusy] = useState(false);

  async function act(work: () => Promise<unknown>) {
    setBusy(true);
    setMessage(null);
    try {
      await work();
      guides.reload();
    } catch (error) {
      setMessage({ kind: 'danger', text: describeError(t, error) });
    } finally {
      setBusy(false);
    }
  }

  const open = guides.data?.assignments.filter((a) => !a.endsAt) ?? [];
  const assignable =
    guides.data?.available.filter((g) => !open.some((a) => a.guideUserId === g.userId)) ?? [];
  return (
    <GpSection id="guides" title={t('gp.guides.heading')} testId="guides-section">
      <div className="stack-sm">
        <Paragraph data-size="sm" className="muted">
          {t('gp.guides.intro')}
        </Paragraph>
        <MessageLine message={message} />
        {guides.status === 'error' && <LoadError error={guides.error} onRetry={guides.reload} />}
        {!guides.data && guides.status === 'loading' && <Loading />}
        {guides.data && (
          <>
            {open.length === 0 ? (
              <Paragraph>{t('gp.guides.none')}</Paragraph>
            ) : (
              <ul className="guide-list">
                {open.map((a) => (
                  <li key={a.id} data-testid="guide-assignment">
                    <span>
                      {t('gp.guides.assigned', {
                        name: a.guideName,
                        by: a.assignedByName,
                        date: formatDate(a.startsAt, language),
                      })}
                    </span>
                    <Button
                      type="button"
                      variant="secondary"
                      data-size="sm"
                      disabled={busy}
                      aria-label={t('gp.guides.endFor', { name: a.guideName })}
                      onClick={() => void act(() => messagesApi.endGuide(patientId, a.id))}
                    >
                      {t('gp.guides.end')}
                    </Button>
                  </li>
                ))}
              </ul>
            )}
            {guides.data.available.length === 0 ? (
              <Paragraph data-size="sm">{t('gp.guides.noneAvailable')}</Paragraph>
            ) : (
              assignable.length > 0 && (
                <div className="guide-assign">
                  <Field>
                    <Label>{t('gp.guides.choose')}</Label>
                    <Select value={choice} onChange={(event) => setChoice(event.target.value)}>
                      <Select.Option value="">—</Select.Option>
                      {assignable.map((g) => (
                        <Select.Option key={g.userId} value={g.userId}>
                          {g.name}
                        </Select.Option>
                      ))}
                    </Select>
                  </Field>
                  <Button
                    type="button"
                    data-size="sm"
                    disabled={!choice || busy}
                    onClick={() =>
                      void act(async () => {
                        await messagesApi.assignGuide(patientId, { guideUserId: choice });
                        setChoice('');
                      })
                    }
                  >
                    {t('gp.guides.assign')}
                  </Button>
                </div>
              )
            )}
          </>
        )}
      </div>
    </GpSection>
  );
}

/**
 * "Send the note to the record" (issue 16; answers "the recommendation never recorded" and "no
 * time"): when the GP opened this card from their record system (SMART launch), the saved note
 * goes into the EPJ with one press, and the card says where it landed. Otherwise nothing shows and
 * the copy button above is the way, as before; when the EPJ's permission has run out or the EPJ
 * refuses, the card says so in words and copying still works.
 */
import { Alert, Button, Paragraph } from '@digdir/designsystemet-react';
import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import type { NoteSentToRecord } from '../../../../contract/smart.js';
import { ApiError } from '../../../api/client.js';
import { describeError } from '../../../components/errors.js';
import { formatTime } from '../../../format.js';
import { useApiData } from '../../../hooks/useApiData.js';
import { useLanguage } from '../../../i18n/useLanguage.js';
import { gpApi } from '../gp-api.js';

export function SendToRecord({ patientId, followUpId }: { patientId: string; followUpId: string }) {
  const { t } = useTranslation();
  const language = useLanguage();
  const connection = useApiData((signal) => gpApi.recordConnection(patientId, signal), [patientId]);
  const [sent, setSent] = useState<NoteSentToRecord | null>(null);
  const [error, setError] = useState<string | null>(null);
  const [detail, setDetail] = useState<string | null>(null);
  const [sending, setSending] = useState(false);
  const data = connection.data;
  if (!data) return null;
  const earlier = data.sentNotes.find((n) => n.followUpId === followUpId);
  const delivered = sent ?? (earlier ? { ...earlier, alreadySent: true } : null);

  if (delivered)
    return (
      <Alert data-color="success" data-testid="note-in-record">
        <Paragraph>
          {t('gp.record.sent', {
            time: formatTime(delivered.sentAt, language),
            reference: delivered.documentReference,
          })}
        </Paragraph>
      </Alert>
    );
  if (data.expired)
    return (
      <Alert data-color="info">
        <Paragraph>{t('gp.record.expired')}</Paragraph>
      </Alert>
    );
  if (!data.connected) return null;

  async function send() {
    setSending(true);
    setError(null);
    try {
      setSent(await gpApi.sendNoteToRecord(patientId, followUpId));
    } catch (caught) {
      // 409: not launched here, or the EPJ's permission ran out; 502: the EPJ said no or did not
      // answer (its own words, for whoever supports the EPJ, under ours).
      if (caught instanceof ApiError && (caught.status === 409 || caught.status === 502))
        setError(t(caught.status === 409 ? 'gp.record.notPossible' : 'gp.record.epjRefused'));
      else setError(describeError(t, caught));
      setDetail(caught instanceof ApiError && caught.status === 502 ? (caught.problem.detail ?? null) : null);
    } finally {
      setSending(false);
    }
  }

  return (
    <div className="stack-sm">
      <Paragraph data-size="sm">{t('gp.record.intro')}</Paragraph>
      <Button variant="primary" onClick={() => void send()} disabled={sending} aria-busy={sending}>
        {sending ? t('gp.record.sending') : t('gp.record.send')}
      </Button>
      {error && (
        <Alert data-color="danger" role="alert">
          <Paragraph>{error}</Paragraph>
          {detail && <Paragraph data-size="sm">{t('gp.record.technical', { detail })}</Paragraph>}
          <Paragraph>{t('gp.record.copyInstead')}</Paragraph>
        </Alert>
      )}
    </div>
  );
}

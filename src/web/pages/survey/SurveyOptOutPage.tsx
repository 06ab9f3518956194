/**
 * Opt-out from a survey's e-mails (/undersokelse/avmeld#<token>): one button, honoured at once
 * (no reminder after it). The token is read from the address's `#` part and removed from the
 * address bar.
 */
import { Alert, Button, Paragraph } from '@digdir/designsystemet-react';
import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import { ApiError } from '../../api/client.js';
import { describeError } from '../../components/errors.js';
import { PageHeading } from '../../components/PageHeading.js';
import { usePageTitle } from '../../hooks/usePageTitle.js';
import { surveyApi, takeTokenFromAddress } from './survey-api.js';
import './survey.css';

export default function SurveyOptOutPage() {
  const { t } = useTranslation();
  usePageTitle(t('surveyRespondent.optOutTitle'));
  const [token] = useState(() => takeTokenFromAddress());
  const [done, setDone] = useState(false);
  const [error, setError] = useState<string | null>(token ? null : t('surveyRespondent.noToken'));
  const [sending, setSending] = useState(false);

  const optOut = async () => {
    if (!token) return;
    setSending(true);
    setError(null);
    try {
      await surveyApi.optOut(token);
      setDone(true);
    } catch (caught) {
      setError(
        caught instanceof ApiError && caught.status === 404
          ? t('surveyRespondent.unknownLink')
          : describeError(t, caught)
      );
    } finally {
      setSending(false);
    }
  };

  return (
    <div className="survey-page stack">
      <PageHeading>{t('surveyRespondent.optOutTitle')}</PageHeading>
      {done ? (
        <Alert data-color="success" role="status">
          <Paragraph>{t('surveyRespondent.optedOut')}</Paragraph>
        </Alert>
      ) : (
        <>
          <Paragraph>{t('surveyRespondent.optOutText')}</Paragraph>
          {error && (
            <Alert data-color="warning" role="alert">
              <Paragraph>{error}</Paragraph>
            </Alert>
          )}
          {token && (
            <div>
              <Button type="button" onClick={() => void optOut()} disabled={sending}>
                {t('surveyRespondent.optOutButton')}
              </Button>
            </div>
          )}
        </>
      )}
    </div>
  );
}

/**
 * The patient's own login, for the GP: whether they have an account, and the one way to help a
 * patient who has lost access. A code from the GP never changes a password that exists, so a
 * lost account is reset instead: every session ends and the password is cleared before a
 * one-time code is shown here. The reset is written to the audit log as the GP's act and shown
 * to the patient (domain/access/patient-account.ts).
 */
import { Alert, Button, Card, Heading, Paragraph } from '@digdir/designsystemet-react';
import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import type { Patient } from '../../api/client.js';
import { describeError } from '../../components/errors.js';
import { formatDate } from '../../format.js';
import { useLanguage } from '../../i18n/useLanguage.js';
import type { Invitation } from '../../../contract/followup.js';
import { gpApi } from './gp-api.js';
import { GpSection } from './parts.js';
import './InvitationLetter.css';

export function AccountAccess({
  patientId,
  account,
  onChanged,
}: {
  patientId: string;
  account: Patient['account'];
  onChanged: () => void;
}) {
  const { t } = useTranslation();
  const language = useLanguage();
  const [confirming, setConfirming] = useState(false);
  const [working, setWorking] = useState(false);
  const [code, setCode] = useState<Invitation | null>(null);
  const [error, setError] = useState<string | null>(null);

  async function reset() {
    setWorking(true);
    setError(null);
    try {
      setCode(await gpApi.recoverAccount(patientId));
      setConfirming(false);
      onChanged();
    } catch (caught) {
      setError(describeError(t, caught));
    } finally {
      setWorking(false);
    }
  }

  return (
    <GpSection id="account" title={t('gp.account.heading')}>
      <div className="stack-sm" data-testid="account-access">
        <Paragraph>{t(`gp.account.state.${account.state}`)}</Paragraph>
        {account.lastRecovery && (
          <Paragraph data-size="sm" className="muted">
            {t('gp.account.lastRecovery', {
              date: formatDate(account.lastRecovery.at, language),
              by: account.lastRecovery.byName,
            })}
          </Paragraph>
        )}
        {error && (
          <Alert data-color="danger" role="alert">
            <Paragraph>{error}</Paragraph>
          </Alert>
        )}
        {code && (
          <Card data-color="accent" data-testid="recovery-code-card">
            <Heading level={3} data-size="2xs">
              {t('gp.account.codeHeading')}
            </Heading>
            <Paragraph>
              <strong className="invitation-letter__code" data-testid="recovery-code">
                {code.code}
              </strong>
            </Paragraph>
            <Paragraph data-size="sm">
              {t('gp.account.codeHelp', {
                address: `${window.location.origin}${code.path}`,
                date: formatDate(code.expiresAt, language),
              })}
            </Paragraph>
          </Card>
        )}
        {!code && (account.state === 'active' || account.state === 'awaiting_password') && (
          <>
            <Paragraph data-size="sm" className="muted">
              {t('gp.account.resetHelp')}
            </Paragraph>
            {!confirming ? (
              <div>
                <Button type="button" variant="secondary" onClick={() => setConfirming(true)}>
                  {t('gp.account.reset')}
                </Button>
              </div>
            ) : (
              <div className="stack-sm" role="group" aria-label={t('gp.account.confirmLabel')}>
                <Paragraph>{t('gp.account.confirm')}</Paragraph>
                <div className="dialog-actions">
                  <Button type="button" data-color="danger" loading={working} onClick={() => void reset()}>
                    {t('gp.account.confirmYes')}
                  </Button>
                  <Button type="button" variant="tertiary" onClick={() => setConfirming(false)}>
                    {t('gp.account.confirmNo')}
                  </Button>
                </div>
              </div>
            )}
          </>
        )}
      </div>
    </GpSection>
  );
}

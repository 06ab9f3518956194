/**
 * A staff user's own second factors (issue 16): which they have, adding an authenticator app
 * (QR code and the secret as text, confirmed with a code) or a passkey, removing one, and the
 * recovery codes, shown once. Adding and removing ask for a fresh confirmation of who the user is
 * (the step-up dialog opens by itself when the server asks for it).
 */
import { Alert, Button, Card, Heading, Paragraph, Textfield } from '@digdir/designsystemet-react';
import { useEffect, useMemo, useRef, useState, type FormEvent } from 'react';
import { useTranslation } from 'react-i18next';
import { ApiError } from '../../api/client.js';
import { secondFactorApi, type TotpEnrolment } from '../../api/second-factor-api.js';
import { useSession } from '../../app/session.js';
import { describeError } from '../../components/errors.js';
import { LoadError } from '../../components/LoadError.js';
import { Loading } from '../../components/Loading.js';
import { PageHeading } from '../../components/PageHeading.js';
import { formatDateTime } from '../../format.js';
import { useApiData } from '../../hooks/useApiData.js';
import { usePageTitle } from '../../hooks/usePageTitle.js';
import { useLanguage } from '../../i18n/useLanguage.js';
import { qrPath, qrSymbol, qrViewBoxSide } from '../research/surveys/qr.js';
import './SecuritySettingsPage.css';

export default function SecuritySettingsPage() {
  const { t } = useTranslation();
  const language = useLanguage();
  const { session, enrolled } = useSession();
  usePageTitle(t('security.title'));
  const factors = useApiData((signal) => secondFactorApi.list(signal), []);
  const [codes, setCodes] = useState<string[] | null>(null);
  const [notice, setNotice] = useState<string | null>(null);
  const [error, setError] = useState<string | null>(null);
  const [passkeyLabel, setPasskeyLabel] = useState('');
  const [busy, setBusy] = useState(false);
  const [enrolment, setEnrolment] = useState<TotpEnrolment | null>(null);
  const mustEnrol = session.status === 'authenticated' && session.enrolmentRequired === true;

  function added(result: { recoveryCodes: string[] | null }, message: string) {
    setNotice(message);
    if (result.recoveryCodes) setCodes(result.recoveryCodes);
    enrolled();
    factors.reload();
  }

  async function run(work: () => Promise<void>) {
    if (busy) return;
    setBusy(true);
    setError(null);
    setNotice(null);
    try {
      await work();
    } catch (caught) {
      if (caught instanceof ApiError && caught.status === 403) setError(t('security.notConfirmed'));
      else if (caught instanceof ApiError && caught.status === 409) setError(t('security.keepOne'));
      else if (caught instanceof Error && (caught.name === 'NotAllowedError' || caught.name === 'AbortError'))
        setError(t('secondFactor.passkeyCancelled'));
      else setError(describeError(t, caught));
    } finally {
      setBusy(false);
    }
  }

  return (
    <div className="stack-lg security-page">
      <PageHeading>{t('security.heading')}</PageHeading>
      <Paragraph>{t('security.intro')}</Paragraph>
      {mustEnrol && (
        <Alert data-color="warning">
          <Paragraph>{t('security.mustEnrol')}</Paragraph>
        </Alert>
      )}
      {notice && (
        <Alert data-color="success" role="status">
          <Paragraph>{notice}</Paragraph>
        </Alert>
      )}
      {error && (
        <Alert data-color="danger" role="alert">
          <Paragraph>{error}</Paragraph>
        </Alert>
      )}
      {codes && <RecoveryCodesShown codes={codes} onDone={() => setCodes(null)} />}

      <section aria-labelledby="factors-heading" className="stack-md">
        <Heading level={2} data-size="sm" id="factors-heading">
          {t('security.factorsHeading')}
        </Heading>
        {factors.status === 'error' && <LoadError error={factors.error} onRetry={factors.reload} />}
        {!factors.data && factors.status === 'loading' && <Loading />}
        {factors.data && factors.data.factors.length === 0 && <Paragraph>{t('security.none')}</Paragraph>}
        {factors.data && factors.data.factors.length > 0 && (
          <ul className="security-page__factors">
            {factors.data.factors.map((factor) => (
              <li key={factor.id}>
                <Card data-color="neutral" className="stack-sm">
                  <Heading level={3} data-size="2xs">
                    {t(`security.kind.${factor.kind}`)}: {factor.label}
                  </Heading>
                  <Paragraph data-size="sm">
                    {t('security.added', { when: formatDateTime(factor.createdAt, language) })}
                    {' · '}
                    {factor.lastUsedAt
                      ? t('security.lastUsed', { when: formatDateTime(factor.lastUsedAt, language) })
                      : t('security.neverUsed')}
                  </Paragraph>
                  <Button
                    type="button"
                    variant="secondary"
                    data-color="danger"
                    data-size="sm"
                    onClick={() =>
                      void run(async () => {
                        await secondFactorApi.remove(factor.id);
                        setNotice(t('security.removed', { label: factor.label }));
                        factors.reload();
                      })
                    }
                  >
                    {t('security.remove', { label: factor.label })}
                  </Button>
                </Card>
              </li>
            ))}
          </ul>
        )}
        {factors.data && factors.data.factors.length > 0 && (
          <div className="stack-sm">
            <Paragraph>{t('security.codesLeft', { count: factors.data.recoveryCodesLeft })}</Paragraph>
            <Button
              type="button"
              variant="secondary"
              onClick={() =>
                void run(async () => {
                  setCodes((await secondFactorApi.renewRecoveryCodes()).recoveryCodes);
                  factors.reload();
                })
              }
            >
              {t('security.renewCodes')}
            </Button>
          </div>
        )}
      </section>

      <section aria-labelledby="totp-heading" className="stack-md">
        <Heading level={2} data-size="sm" id="totp-heading">
          {t('security.totp.heading')}
        </Heading>
        <Paragraph>{t('security.totp.intro')}</Paragraph>
        {enrolment ? (
          <TotpEnrolmentForm
            enrolment={enrolment}
            onCancel={() => setEnrolment(null)}
            onConfirmed={(result) => {
              setEnrolment(null);
              added(result, t('security.totp.added'));
            }}
          />
        ) : (
          <Button
            type="button"
            data-color="accent"
            loading={busy}
            onClick={() => void run(async () => setEnrolment(await secondFactorApi.startTotp()))}
          >
            {t('security.totp.start')}
          </Button>
        )}
      </section>

      <section aria-labelledby="passkey-heading" className="stack-md">
        <Heading level={2} data-size="sm" id="passkey-heading">
          {t('security.passkey.heading')}
        </Heading>
        <Paragraph>{t('security.passkey.intro')}</Paragraph>
        <form
          className="stack-md"
          noValidate
          onSubmit={(event) => {
            event.preventDefault();
            void run(async () => {
              added(await secondFactorApi.registerPasskey(passkeyLabel), t('security.passkey.added'));
              setPasskeyLabel('');
            });
          }}
        >
          <Textfield
            label={t('security.passkey.label')}
            description={t('security.passkey.labelHelp')}
            name="passkey-label"
            maxLength={60}
            value={passkeyLabel}
            onChange={(event) => setPasskeyLabel(event.target.value)}
          />
          <Button type="submit" data-color="accent" loading={busy}>
            {t('security.passkey.add')}
          </Button>
        </form>
      </section>
    </div>
  );
}

function TotpEnrolmentForm({
  enrolment,
  onCancel,
  onConfirmed,
}: {
  enrolment: TotpEnrolment;
  onCancel: () => void;
  onConfirmed: (result: { recoveryCodes: string[] | null }) => void;
}) {
  const { t } = useTranslation();
  const headingRef = useRef<HTMLHeadingElement>(null);
  const [code, setCode] = useState('');
  const [label, setLabel] = useState('');
  const [codeError, setCodeError] = useState<string | null>(null);
  const [error, setError] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);
  const qr = useMemo(() => {
    const symbol = qrSymbol(enrolment.otpauthUri);
    return { side: qrViewBoxSide(symbol), path: qrPath(symbol) };
  }, [enrolment.otpauthUri]);
  useEffect(() => headingRef.current?.focus(), []);

  async function onSubmit(event: FormEvent<HTMLFormElement>) {
    event.preventDefault();
    if (busy) return;
    setCodeError(null);
    setError(null);
    if (!/^\d{6}$/.test(code.replace(/\s/g, ''))) {
      setCodeError(t('security.totp.codeFormat'));
      return;
    }
    setBusy(true);
    try {
      onConfirmed(await secondFactorApi.confirmTotp(enrolment.id, code.replace(/\s/g, ''), label));
    } catch (caught) {
      if (caught instanceof ApiError && caught.status === 400) setCodeError(t('security.totp.codeWrong'));
      else setError(describeError(t, caught));
      setBusy(false);
    }
  }

  return (
    <Card data-color="neutral" className="stack-md">
      <Heading level={3} data-size="xs" ref={headingRef} tabIndex={-1}>
        {t('security.totp.scanHeading')}
      </Heading>
      <ol className="stack-sm security-page__steps">
        <li>{t('security.totp.step1')}</li>
        <li>{t('security.totp.step2')}</li>
        <li>{t('security.totp.step3')}</li>
      </ol>
      <svg
        className="security-page__qr"
        viewBox={`0 0 ${qr.side} ${qr.side}`}
        role="img"
        aria-label={t('security.totp.qrLabel')}
        shapeRendering="crispEdges"
      >
        <rect width={qr.side} height={qr.side} fill="#fff" />
        <path d={qr.path} fill="#000" />
      </svg>
      <Paragraph>
        {t('security.totp.manual')}{' '}
        <code className="security-page__secret" data-testid="totp-secret">
          {enrolment.secret.replace(/(.{4})/g, '$1 ').trim()}
        </code>
      </Paragraph>
      {error && (
        <Alert data-color="danger" role="alert">
          <Paragraph>{error}</Paragraph>
        </Alert>
      )}
      <form className="stack-md" onSubmit={onSubmit} noValidate>
        <Textfield
          label={t('security.totp.name')}
          description={t('security.totp.nameHelp')}
          name="totp-label"
          maxLength={60}
          value={label}
          onChange={(event) => setLabel(event.target.value)}
        />
        <Textfield
          label={t('security.totp.code')}
          description={t('security.totp.codeHelp')}
          name="totp-code"
          inputMode="numeric"
          autoComplete="one-time-code"
          value={code}
          error={codeError ?? undefined}
          onChange={(event) => setCode(event.target.value)}
        />
        <div className="security-page__actions">
          <Button type="submit" data-color="accent" loading={busy}>
            {t('security.totp.confirm')}
          </Button>
          <Button type="button" variant="secondary" onClick={onCancel}>
            {t('security.totp.cancel')}
          </Button>
        </div>
      </form>
    </Card>
  );
}

function RecoveryCodesShown({ codes, onDone }: { codes: string[]; onDone: () => void }) {
  const { t } = useTranslation();
  const headingRef = useRef<HTMLHeadingElement>(null);
  useEffect(() => headingRef.current?.focus(), [codes]);
  return (
    <Alert data-color="info" className="stack-sm">
      <Heading level={2} data-size="xs" ref={headingRef} tabIndex={-1}>
        {t('security.codes.heading')}
      </Heading>
      <Paragraph>{t('security.codes.intro')}</Paragraph>
      <ol className="security-page__codes" data-testid="recovery-codes">
        {codes.map((code) => (
          <li key={code}>
            <code>{code}</code>
          </li>
        ))}
      </ol>
      <Button type="button" variant="secondary" onClick={onDone}>
        {t('security.codes.done')}
      </Button>
    </Alert>
  );
}

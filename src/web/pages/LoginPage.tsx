import { Alert, Button, Card, Heading, Paragraph, Textfield } from '@digdir/designsystemet-react';
import { useState, type FormEvent } from 'react';
import { useTranslation } from 'react-i18next';
import { Navigate, useNavigate, useSearchParams } from 'react-router';
import { HELSEID_FAILURES, ID_PORTEN_FAILURES } from '../../contract/auth.js';
import { EPJ_LAUNCH_FAILURES } from '../../contract/smart.js';
import { api, ApiError, NetworkError, type SessionDocument as SessionResponse } from '../api/client.js';
import { secondFactorApi } from '../api/second-factor-api.js';
import { ProveForm } from '../components/ProveForm.js';
import { SECURITY_PATH } from './security/paths.js';
import { Shell } from '../components/Shell.js';
import { ROLE_HOME, useSession } from '../app/session.js';
import { describeError } from '../components/errors.js';
import { PageHeading } from '../components/PageHeading.js';
import { useApiData } from '../hooks/useApiData.js';
import { usePageTitle } from '../hooks/usePageTitle.js';
import { useLanguage } from '../i18n/useLanguage.js';
import './LoginPage.css';

export function LoginPage() {
  const { t } = useTranslation();
  const { session, signedIn } = useSession();
  const navigate = useNavigate();
  const [username, setUsername] = useState('');
  const [password, setPassword] = useState('');
  const [error, setError] = useState<string | null>(null);
  const [submitting, setSubmitting] = useState(false);
  /** The password was right; the second factor comes next (issue 16). */
  const [secondStep, setSecondStep] = useState<readonly ('totp' | 'passkey')[] | null>(null);
  usePageTitle(t('login.title'));
  const language = useLanguage();
  const providers = useApiData((signal) => api.getLoginProviders(signal), []);
  // Back from ID-porten without a session: the reason, in words (server/auth/id-porten.ts).
  const [params] = useSearchParams();
  const idPortenReason = ID_PORTEN_FAILURES.find((reason) => reason === params.get('idporten'));
  const idPortenError = idPortenReason ? t(`login.idPorten.failure.${idPortenReason}`) : null;
  // Back from a launch in the GP's record system that did not open (server/smart/epj-launch.ts).
  const epjReason = EPJ_LAUNCH_FAILURES.find((reason) => reason === params.get('epj'));
  // Back from HelseID without a session (server/auth/helseid.ts).
  const helseIdReason = HELSEID_FAILURES.find((reason) => reason === params.get('helseid'));
  const helseIdError = helseIdReason ? t(`login.helseId.failure.${helseIdReason}`) : null;

  if (session.status === 'authenticated') return <Navigate to={ROLE_HOME[session.user.role]} replace />;
  const notice =
    session.status === 'anonymous' && session.reason === 'expired'
      ? t('login.sessionExpired')
      : session.status === 'anonymous' && session.reason === 'logged_out'
        ? t('login.loggedOut')
        : null;

  function finish(answer: SessionResponse) {
    const { user, csrfToken } = answer;
    // The contract shares the session shape with GET /api/auth/session (nulls when nobody is
    // logged in); a successful login always carries both.
    if (!user || !csrfToken) throw new Error('The login answer carried no session');
    signedIn(user, csrfToken, answer.enrolmentRequired === true);
    void navigate(answer.enrolmentRequired ? SECURITY_PATH : ROLE_HOME[user.role], { replace: true });
  }

  async function onSubmit(event: FormEvent<HTMLFormElement>) {
    event.preventDefault();
    if (submitting) return;
    if (!username.trim() || !password) {
      setError(t('login.missingFields'));
      return;
    }
    setSubmitting(true);
    setError(null);
    try {
      const answer = await api.login(username.trim(), password);
      if (answer.secondFactor) {
        setPassword('');
        setSubmitting(false);
        setSecondStep(answer.secondFactor.methods);
        return;
      }
      finish(answer);
    } catch (caught) {
      setPassword('');
      if (caught instanceof ApiError && caught.status === 401) setError(t('login.invalidCredentials'));
      else if (caught instanceof ApiError && caught.problem.type.endsWith('/password-login-off'))
        setError(t('login.passwordOff'));
      else if (caught instanceof ApiError && caught.status === 429) {
        // Say which limit it is, in plain words (server/auth/auth.routes.ts LOGIN_PROBLEM).
        const minutes = Math.max(1, Math.ceil((caught.retryAfterSeconds ?? 60) / 60));
        const type = caught.problem.type;
        if (type.endsWith('/login-locked-new-devices'))
          setError(t('login.lockedNewDevices', { count: minutes }));
        else if (type.endsWith('/login-locked-this-device'))
          setError(t('login.lockedThisDevice', { count: minutes }));
        else if (type.endsWith('/login-ip-limit'))
          setError(t('login.ipLimit', { count: Math.max(1, caught.retryAfterSeconds ?? 60) }));
        else
          setError(
            caught.retryAfterSeconds
              ? t('login.tooManyAttemptsWait', { count: minutes })
              : t('login.tooManyAttempts')
          );
      } else if (caught instanceof NetworkError) setError(t('errors.network'));
      else setError(describeError(t, caught));
      setSubmitting(false);
    }
  }

  return (
    <Shell>
      <div className="login">
        <Card className="login__card" data-color="neutral">
          <PageHeading>{t('login.heading')}</PageHeading>
          <Paragraph>{t('login.intro')}</Paragraph>
          {epjReason && !error && (
            <Alert data-color="danger" role="alert">
              <Heading level={2} data-size="2xs">
                {t('login.epj.heading')}
              </Heading>
              <Paragraph>{t(`login.epj.failure.${epjReason}`)}</Paragraph>
            </Alert>
          )}
          {notice && (
            <Alert data-color="info" className="login__notice">
              <Paragraph>{notice}</Paragraph>
            </Alert>
          )}
          {idPortenError && !error && (
            <Alert data-color="danger" role="alert">
              <Heading level={2} data-size="2xs">
                {t('login.idPorten.failureHeading')}
              </Heading>
              <Paragraph>{idPortenError}</Paragraph>
            </Alert>
          )}
          {helseIdError && !error && (
            <Alert data-color="danger" role="alert">
              <Heading level={2} data-size="2xs">
                {t('login.helseId.failureHeading')}
              </Heading>
              <Paragraph>{helseIdError}</Paragraph>
            </Alert>
          )}
          {providers.data?.helseId && (
            <div className="stack-sm login__provider">
              <Paragraph>{t('login.helseId.intro')}</Paragraph>
              <Button asChild data-color="accent" variant="secondary">
                <a href={`/api/auth/helseid/start?lang=${language}`}>{t('login.helseId.button')}</a>
              </Button>
            </div>
          )}
          {providers.data?.idPorten && (
            <div className="stack-sm login__provider">
              <Paragraph>{t('login.idPorten.intro')}</Paragraph>
              <Button asChild data-color="accent" variant="primary">
                <a href={`/api/auth/idporten/start?lang=${language}`}>{t('login.idPorten.button')}</a>
              </Button>
            </div>
          )}
          {(providers.data?.idPorten || providers.data?.helseId) && providers.data.password !== 'off' && (
            <Paragraph data-size="sm">{t('login.idPorten.orPassword')}</Paragraph>
          )}
          {error && (
            <Alert data-color="danger" role="alert">
              <Heading level={2} data-size="2xs">
                {t('login.errorHeading')}
              </Heading>
              <Paragraph>{error}</Paragraph>
            </Alert>
          )}
          {providers.data?.password === 'staff' && !secondStep && (
            <Paragraph>{t('login.passwordStaffOnly')}</Paragraph>
          )}
          {secondStep ? (
            <ProveForm
              methods={[...secondStep, 'recovery']}
              heading={t('secondFactor.loginHeading')}
              intro={t(
                secondStep.includes('totp') ? 'secondFactor.loginIntro' : 'secondFactor.loginIntroPasskey'
              )}
              onProve={async (body) => finish(await secondFactorApi.prove(body))}
              onPasskey={async () => finish(await secondFactorApi.provePasskey())}
              onExpired={() => setSecondStep(null)}
            >
              <Button type="button" variant="secondary" onClick={() => setSecondStep(null)}>
                {t('secondFactor.startOver')}
              </Button>
            </ProveForm>
          ) : providers.data?.password === 'off' ? null : (
            <form className="stack-md" onSubmit={onSubmit} noValidate>
              <Textfield
                label={t('login.username')}
                name="username"
                autoComplete="username"
                autoCapitalize="none"
                spellCheck={false}
                required
                value={username}
                onChange={(event) => setUsername(event.target.value)}
              />
              <Textfield
                label={t('login.password')}
                name="password"
                type="password"
                autoComplete="current-password"
                required
                value={password}
                onChange={(event) => setPassword(event.target.value)}
              />
              <Button type="submit" data-color="accent" loading={submitting} className="login__submit">
                {submitting ? t('login.submitting') : t('login.submit')}
              </Button>
            </form>
          )}
        </Card>
        <Alert data-color="info" className="login__demo">
          <Heading level={2} data-size="2xs">
            {t('login.demoHeading')}
          </Heading>
          <Paragraph>{t('app.demoNotice')}</Paragraph>
        </Alert>
      </div>
    </Shell>
  );
}

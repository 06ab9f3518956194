/**
 * The public invitation page (/invitasjon): the patient types the code from the GP's letter (with
 * or without dashes), chooses a password (and a username, when they have no account yet), and is
 * signed in and taken to their home page. No login needed; the code itself is never in the URL.
 */
import { Alert, Button, Card, Heading, Paragraph, Textfield } from '@digdir/designsystemet-react';
import { useState, type FormEvent } from 'react';
import { useTranslation } from 'react-i18next';
import { useNavigate } from 'react-router';
import { CRISIS_RESOURCES } from '../../../domain/safety/crisis-resources.js';
import type { InvitationRedeemed, RedeemInvitationBody } from '../../../contract/followup.js';
import { api, apiRequest, ApiError, NetworkError, setCsrfToken } from '../../api/client.js';
import { useSession } from '../../app/session.js';
import { describeError } from '../../components/errors.js';
import { PageHeading } from '../../components/PageHeading.js';
import { Shell } from '../../components/Shell.js';
import { usePageTitle } from '../../hooks/usePageTitle.js';
import { useLanguage } from '../../i18n/useLanguage.js';
import './invitation.css';
import '../../components/CrisisNote.css';
import '../LoginPage.css';

const PASSWORD_MIN = 12;
const USERNAME_PATTERN = /^[a-zA-Z0-9._-]{3,64}$/;

type Errors = Partial<Record<'code' | 'username' | 'password' | 'repeat', string>>;

/** What the patient typed, as the server wants it: upper case, no spaces (dashes may stay). */
export function cleanCode(typed: string): string {
  return typed.toUpperCase().replace(/[^A-Z0-9-]/g, '');
}

export default function InvitationPage() {
  const { t } = useTranslation();
  const language = useLanguage();
  const { signedIn } = useSession();
  const navigate = useNavigate();
  usePageTitle(t('invitation.title'));
  const [code, setCode] = useState('');
  const [username, setUsername] = useState('');
  const [needsUsername, setNeedsUsername] = useState(false);
  const [password, setPassword] = useState('');
  const [repeat, setRepeat] = useState('');
  const [errors, setErrors] = useState<Errors>({});
  const [error, setError] = useState<string | null>(null);
  const [submitting, setSubmitting] = useState(false);

  function validate(): Errors {
    const next: Errors = {};
    const cleaned = cleanCode(code).replace(/-/g, '');
    if (cleaned.length < 6) next.code = t('invitation.codeMissing');
    if (needsUsername && !USERNAME_PATTERN.test(username.trim()))
      next.username = t('invitation.usernameInvalid');
    if (password.length < PASSWORD_MIN)
      next.password = t('invitation.passwordShort', { count: PASSWORD_MIN });
    else if (repeat !== password) next.repeat = t('invitation.repeatMismatch');
    return next;
  }

  async function onSubmit(event: FormEvent<HTMLFormElement>) {
    event.preventDefault();
    if (submitting) return;
    const found = validate();
    setErrors(found);
    setError(null);
    if (Object.keys(found).length > 0) return;
    setSubmitting(true);
    try {
      const result = await apiRequest<InvitationRedeemed>('POST', '/api/invitations/redeem', {
        body: {
          code: cleanCode(code),
          password,
          ...(needsUsername ? { username: username.trim() } : {}),
        } satisfies RedeemInvitationBody,
      });
      setCsrfToken(result.csrfToken);
      const session = await api.getSession();
      if (!session.user || !session.csrfToken) throw new Error('No session after redeeming the invitation');
      signedIn(session.user, session.csrfToken);
      // The username is shown once on the home page: a patient who joined with a code has never
      // typed it, and needs it to log in next time.
      void navigate('/patient', { replace: true, state: { newUsername: result.username } });
    } catch (caught) {
      setSubmitting(false);
      if (caught instanceof ApiError) {
        const fields = caught.fieldErrors;
        const next: Errors = {};
        for (const field of fields) {
          if (field.field === 'code')
            next.code = caught.status === 409 ? t('invitation.hasAccount') : t('invitation.codeInvalid');
          if (field.field === 'username') {
            setNeedsUsername(true);
            next.username =
              caught.status === 409 ? t('invitation.usernameTaken') : t('invitation.usernameNeeded');
          }
          if (field.field === 'password')
            next.password = /common/.test(field.reason)
              ? t('invitation.passwordCommon')
              : t('invitation.passwordShort', { count: PASSWORD_MIN });
        }
        if (Object.keys(next).length > 0) {
          setErrors(next);
          return;
        }
        setError(caught.status === 429 ? t('errors.tooManyRequests') : describeError(t, caught));
      } else if (caught instanceof NetworkError) setError(t('errors.network'));
      else setError(describeError(t, caught));
    }
  }

  return (
    <Shell>
      <div className="login invitation-page">
        <Card className="login__card" data-color="neutral">
          <PageHeading>{t('invitation.heading')}</PageHeading>
          <Paragraph>{t('invitation.intro')}</Paragraph>
          {error && (
            <Alert data-color="danger" role="alert">
              <Paragraph>{error}</Paragraph>
            </Alert>
          )}
          <form className="stack-md" onSubmit={onSubmit} noValidate>
            <Textfield
              label={t('invitation.code')}
              description={t('invitation.codeHelp')}
              name="invitation-code"
              autoComplete="one-time-code"
              autoCapitalize="characters"
              spellCheck={false}
              className="invitation-page__code"
              maxLength={24}
              value={code}
              error={errors.code}
              onChange={(event) => setCode(event.target.value)}
            />
            {needsUsername && (
              <Textfield
                label={t('invitation.username')}
                description={t('invitation.usernameHelp')}
                name="username"
                autoComplete="username"
                autoCapitalize="none"
                spellCheck={false}
                value={username}
                error={errors.username}
                onChange={(event) => setUsername(event.target.value)}
              />
            )}
            <Textfield
              label={t('invitation.password')}
              description={t('invitation.passwordHelp', { count: PASSWORD_MIN })}
              name="new-password"
              type="password"
              autoComplete="new-password"
              value={password}
              error={errors.password}
              onChange={(event) => setPassword(event.target.value)}
            />
            <Textfield
              label={t('invitation.repeat')}
              name="repeat-password"
              type="password"
              autoComplete="new-password"
              value={repeat}
              error={errors.repeat}
              onChange={(event) => setRepeat(event.target.value)}
            />
            <Button type="submit" data-color="accent" loading={submitting} className="login__submit">
              {submitting ? t('invitation.submitting') : t('invitation.submit')}
            </Button>
          </form>
        </Card>
        <Alert data-color="info" className="stack-sm">
          <Heading level={2} data-size="2xs">
            {t('invitation.safetyHeading')}
          </Heading>
          <Paragraph data-size="sm">{t('invitation.safety')}</Paragraph>
          <ul className="crisis-note__list">
            {CRISIS_RESOURCES.map((resource) => (
              <li key={resource.id}>
                <a href={`tel:${resource.dial}`} className="crisis-note__link">
                  {resource.display}
                </a>{' '}
                {resource.name[language]}
              </li>
            ))}
          </ul>
        </Alert>
      </div>
    </Shell>
  );
}

/**
 * Proving who you are with a second factor (issue 16): a code from the authenticator app, a
 * passkey, a recovery code, or (step-up of a user without factors) the password. Used by the
 * login page's second step and by the step-up dialog. The heading takes focus when it appears, so
 * a screen reader user hears where they are; a refused answer is named on its field.
 */
import { Alert, Button, Heading, Paragraph, Textfield } from '@digdir/designsystemet-react';
import { useEffect, useRef, useState, type FormEvent, type ReactNode } from 'react';
import { useTranslation } from 'react-i18next';
import { ApiError, NetworkError } from '../api/client.js';
import type { ProveBody } from '../api/second-factor-api.js';
import { describeError } from './errors.js';

export type ProveMethod = ProveBody['method'];

const WRONG = 'https://gp-dep.example/problems/second-factor-wrong';
const EXPIRED = 'https://gp-dep.example/problems/second-factor-login-expired';

export function ProveForm({
  methods,
  heading,
  intro,
  onProve,
  onPasskey,
  onExpired,
  children,
}: {
  methods: readonly ProveMethod[];
  heading: string;
  intro: string;
  onProve: (body: ProveBody) => Promise<void>;
  onPasskey: () => Promise<void>;
  /** The half-finished login is gone (expired, or too many tries): start again. */
  onExpired?: () => void;
  children?: ReactNode;
}) {
  const { t } = useTranslation();
  const headingRef = useRef<HTMLHeadingElement>(null);
  const typed = methods.filter((m): m is 'totp' | 'password' => m === 'totp' || m === 'password');
  const [mode, setMode] = useState<'totp' | 'recovery' | 'password' | null>(
    typed[0] ?? (methods.includes('recovery') && !methods.includes('passkey') ? 'recovery' : null)
  );
  const [value, setValue] = useState('');
  const [fieldError, setFieldError] = useState<string | null>(null);
  const [error, setError] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);

  useEffect(() => headingRef.current?.focus(), []);

  function explain(caught: unknown): void {
    if (caught instanceof ApiError && caught.problem.type === EXPIRED) {
      setError(t('secondFactor.expired'));
      onExpired?.();
    } else if (caught instanceof ApiError && caught.problem.type === WRONG)
      setFieldError(mode === 'password' ? t('secondFactor.wrongPassword') : t('secondFactor.wrongCode'));
    else if (caught instanceof ApiError && caught.status === 429) {
      const minutes = Math.max(1, Math.ceil((caught.retryAfterSeconds ?? 60) / 60));
      setError(t('secondFactor.locked', { count: minutes }));
    } else if (caught instanceof NetworkError) setError(t('errors.network'));
    else if (caught instanceof DOMException || (caught instanceof Error && caught.name === 'NotAllowedError'))
      setError(t('secondFactor.passkeyCancelled'));
    else if (caught instanceof ApiError) setError(describeError(t, caught));
    else setError(t('secondFactor.passkeyCancelled'));
  }

  async function onSubmit(event: FormEvent<HTMLFormElement>) {
    event.preventDefault();
    if (busy || !mode) return;
    setError(null);
    setFieldError(null);
    if (!value.trim()) {
      setFieldError(t(`secondFactor.missing.${mode}`));
      return;
    }
    setBusy(true);
    try {
      await onProve(
        mode === 'password' ? { method: 'password', password: value } : { method: mode, code: value }
      );
    } catch (caught) {
      explain(caught);
      setValue('');
    } finally {
      setBusy(false);
    }
  }

  async function provePasskey() {
    if (busy) return;
    setError(null);
    setFieldError(null);
    setBusy(true);
    try {
      await onPasskey();
    } catch (caught) {
      explain(caught);
    } finally {
      setBusy(false);
    }
  }

  return (
    <div className="stack-md">
      <Heading level={2} data-size="sm" ref={headingRef} tabIndex={-1} id="prove-heading">
        {heading}
      </Heading>
      <Paragraph>{intro}</Paragraph>
      {error && (
        <Alert data-color="danger" role="alert">
          <Paragraph>{error}</Paragraph>
        </Alert>
      )}
      {methods.includes('passkey') && (
        <Button type="button" data-color="accent" onClick={() => void provePasskey()} loading={busy && !mode}>
          {t('secondFactor.usePasskey')}
        </Button>
      )}
      {mode && (
        <form className="stack-md" onSubmit={onSubmit} noValidate>
          <Textfield
            label={t(`secondFactor.field.${mode}`)}
            description={t(`secondFactor.fieldHelp.${mode}`)}
            name={mode === 'password' ? 'password' : 'code'}
            type={mode === 'password' ? 'password' : 'text'}
            autoComplete={
              mode === 'totp' ? 'one-time-code' : mode === 'password' ? 'current-password' : 'off'
            }
            inputMode={mode === 'totp' ? 'numeric' : 'text'}
            autoCapitalize="none"
            spellCheck={false}
            value={value}
            error={fieldError ?? undefined}
            onChange={(event) => setValue(event.target.value)}
          />
          <Button type="submit" data-color="accent" loading={busy}>
            {t('secondFactor.confirm')}
          </Button>
        </form>
      )}
      <div className="stack-sm">
        {methods.includes('totp') && mode !== 'totp' && (
          <Button type="button" variant="tertiary" onClick={() => switchTo('totp')}>
            {t('secondFactor.switch.totp')}
          </Button>
        )}
        {methods.includes('recovery') && mode !== 'recovery' && (
          <Button type="button" variant="tertiary" onClick={() => switchTo('recovery')}>
            {t('secondFactor.switch.recovery')}
          </Button>
        )}
      </div>
      {children}
    </div>
  );

  function switchTo(next: 'totp' | 'recovery') {
    setMode(next);
    setValue('');
    setFieldError(null);
    setError(null);
  }
}

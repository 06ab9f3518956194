/**
 * The step-up dialog (issue 16): when the server answers an action with "confirm who you are
 * again" (403, step-up-required; the actions are the server's: domain/access/step-up.ts), the API
 * client asks this dialog, the user proves it with their second factor (or the password, if they
 * have none), and the client sends the request once more. Cancelling leaves the action undone.
 */
import { Dialog } from '@digdir/designsystemet-react';
import { useCallback, useEffect, useRef, useState, type ReactNode } from 'react';
import { useTranslation } from 'react-i18next';
import { setStepUpHandler } from '../api/client.js';
import { secondFactorApi, type StepUpStatus } from '../api/second-factor-api.js';
import { useApiData } from '../hooks/useApiData.js';
import { LoadError } from './LoadError.js';
import { Loading } from './Loading.js';
import { ProveForm } from './ProveForm.js';

export function StepUpProvider({ children }: { children: ReactNode }) {
  const { t } = useTranslation();
  const [open, setOpen] = useState(false);
  // One dialog for any number of refused requests at once: they all wait for the same answer.
  const pending = useRef<{ promise: Promise<boolean>; resolve: (ok: boolean) => void } | null>(null);

  useEffect(() => {
    setStepUpHandler(() => {
      if (!pending.current) {
        let resolve!: (ok: boolean) => void;
        const promise = new Promise<boolean>((r) => (resolve = r));
        pending.current = { promise, resolve };
        setOpen(true);
      }
      return pending.current.promise;
    });
    return () => setStepUpHandler(null);
  }, []);

  const finish = useCallback((ok: boolean) => {
    pending.current?.resolve(ok);
    pending.current = null;
    setOpen(false);
  }, []);

  return (
    <>
      {children}
      <Dialog
        open={open}
        onClose={() => finish(false)}
        closeButton={t('stepUp.cancel')}
        aria-labelledby="prove-heading"
        data-testid="step-up-dialog"
      >
        {open && (
          <Dialog.Block>
            <StepUpForm onDone={() => finish(true)} />
          </Dialog.Block>
        )}
      </Dialog>
    </>
  );
}

function StepUpForm({ onDone }: { onDone: () => void }) {
  const { t } = useTranslation();
  const status = useApiData<StepUpStatus>((signal) => secondFactorApi.stepUpStatus(signal), []);
  if (status.status === 'error') return <LoadError error={status.error} onRetry={status.reload} />;
  if (!status.data) return <Loading />;
  return (
    <ProveForm
      methods={status.data.methods}
      heading={t('stepUp.heading')}
      intro={t('stepUp.intro')}
      onProve={async (body) => {
        await secondFactorApi.stepUp(body);
        onDone();
      }}
      onPasskey={async () => {
        await secondFactorApi.stepUpPasskey();
        onDone();
      }}
    />
  );
}

/**
 * The save row of an analysis edited as one document (STC, framework, thematic): the document is
 * saved whole with the revision it started from; when a colleague saved in between the server
 * says 409, nothing is overwritten, and the page offers the newest version instead.
 */
import { Alert, Button, Paragraph } from '@digdir/designsystemet-react';
import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import { ApiError } from '../../../api/client.js';
import { AppLink } from '../../../components/AppLink.js';
import { LoadError } from '../../../components/LoadError.js';
import { Loading } from '../../../components/Loading.js';
import { ProblemMessage } from './ProblemMessage.js';
import { studyPath } from './StudyWork.js';

export function SaveBar({
  dirty,
  busy,
  error,
  onSave,
  onLoadNewest,
}: {
  dirty: boolean;
  busy: boolean;
  error: unknown;
  onSave: () => void;
  onLoadNewest: () => void;
}) {
  const { t } = useTranslation();
  const stale = error instanceof ApiError && error.status === 409;
  return (
    <div className="stack-sm qual-save">
      <div aria-live="polite">
        {stale && <Alert data-color="warning">{t('qualWork.staleSave')}</Alert>}
        {error !== null && !stale && <ProblemMessage error={error} />}
        {!dirty && error === null && <Paragraph data-size="sm">{t('qualWork.allSaved')}</Paragraph>}
      </div>
      <div className="button-row">
        <Button loading={busy} disabled={!dirty} onClick={onSave}>
          {t('qualWork.saveAnalysis')}
        </Button>
        {stale && (
          <Button variant="secondary" onClick={onLoadNewest}>
            {t('qualWork.loadNewest')}
          </Button>
        )}
      </div>
    </div>
  );
}

/** A new id for a part of a document the page makes (a case, a theme, a condensate). */
export const newPartId = (prefix: string) =>
  `${prefix}-${Date.now().toString(36)}${Math.random().toString(36).slice(2, 6)}`;

/**
 * An analysis edited as one document: the page's copy, whether it differs from the stored one, and
 * saving it whole (the caller's `persist` sends the revision it started from). After a save the
 * page reloads the stored analysis, which remounts the editor on the new revision.
 */
export function useDocumentEditor<D>(initial: D, persist: (doc: D) => Promise<unknown>, onSaved: () => void) {
  const [doc, setDoc] = useState<D>(initial);
  const [dirty, setDirty] = useState(false);
  const [error, setError] = useState<unknown>(null);
  const [busy, setBusy] = useState(false);
  const change = (next: (d: D) => D) => {
    setDoc(next);
    setDirty(true);
  };
  async function save() {
    setBusy(true);
    setError(null);
    try {
      await persist(doc);
      setDirty(false);
      onSaved();
    } catch (caught) {
      setError(caught);
    } finally {
      setBusy(false);
    }
  }
  return { doc, change, dirty, busy, error, save };
}

/**
 * What an analysis page shows while its data load: the first failure (with a way back to the
 * study and a retry), or the spinner; null once everything is there.
 */
export function LoadingOrFailed({
  studyId,
  loads,
}: {
  studyId: string;
  loads: ReadonlyArray<{ status: string; data: unknown; error: unknown; reload: () => void }>;
}) {
  const { t } = useTranslation();
  const failed = loads.find((d) => d.status === 'error' && !d.data);
  if (failed)
    return (
      <div className="page stack-lg">
        <AppLink to={studyPath(studyId)}>{t('qual.back')}</AppLink>
        <LoadError error={failed.error} onRetry={failed.reload} />
      </div>
    );
  return loads.some((d) => !d.data) ? <Loading /> : null;
}

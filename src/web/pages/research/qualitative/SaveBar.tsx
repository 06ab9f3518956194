/**
 * The save row of an analysis edited as one document (STC, framework, thematic): the document is
 * saved whole with the revision it started from; when a colleague saved in between the server
 * says 409, nothing is overwritten, and the page offers the newest version instead.
 */
import { Alert, Button, Paragraph } from '@digdir/designsystemet-react';
import { useTranslation } from 'react-i18next';
import { ApiError } from '../../../api/client.js';
import { ProblemMessage } from './ProblemMessage.js';

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

import { Alert, Button, Paragraph } from '@digdir/designsystemet-react';
import { useTranslation } from 'react-i18next';
import { describeError } from './errors.js';

/** A failed load: what went wrong and a retry button. */
export function LoadError({ error, onRetry }: { error: unknown; onRetry: () => void }) {
  const { t } = useTranslation();
  return (
    <Alert data-color="danger" role="alert" className="stack-sm">
      <Paragraph>
        {t('errors.loadFailed')} {describeError(t, error)}
      </Paragraph>
      <Button type="button" variant="secondary" data-size="sm" onClick={onRetry}>
        {t('errors.retry')}
      </Button>
    </Alert>
  );
}

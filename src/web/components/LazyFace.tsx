/**
 * Each face of the app (patient, GP, research, admin) is its own lazily loaded chunk, so a
 * patient downloads no GP or admin code. While a chunk loads, a spinner shows; if it cannot be
 * loaded (offline, or a new version was deployed meanwhile), the user gets a reload button.
 */
import { Alert, Button, Paragraph } from '@digdir/designsystemet-react';
import { Component, Suspense, type ErrorInfo, type ReactNode } from 'react';
import { useTranslation } from 'react-i18next';
import { Loading } from './Loading.js';

export function LazyFace({ children }: { children: ReactNode }) {
  return (
    <ChunkErrorBoundary>
      <Suspense fallback={<Loading />}>{children}</Suspense>
    </ChunkErrorBoundary>
  );
}

class ChunkErrorBoundary extends Component<{ children: ReactNode }, { failed: boolean }> {
  override state = { failed: false };

  static getDerivedStateFromError(): { failed: boolean } {
    return { failed: true };
  }

  override componentDidCatch(error: unknown, info: ErrorInfo): void {
    console.error('A part of the app failed to load', error, info.componentStack);
  }

  override render(): ReactNode {
    return this.state.failed ? <ChunkError /> : this.props.children;
  }
}

function ChunkError() {
  const { t } = useTranslation();
  return (
    <Alert data-color="danger" role="alert" className="stack-sm">
      <Paragraph>{t('errors.chunkFailed')}</Paragraph>
      <Button type="button" variant="secondary" data-size="sm" onClick={() => location.reload()}>
        {t('errors.reload')}
      </Button>
    </Alert>
  );
}

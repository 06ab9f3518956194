import { Paragraph } from '@digdir/designsystemet-react';
import type { ReactNode } from 'react';
import { useTranslation } from 'react-i18next';
import type { User } from '../api/client.js';
import { SiteHeader } from './SiteHeader.js';
import './Shell.css';

/** Page frame: skip link, header (with nav when signed in), the main landmark and a footer. */
export function Shell({ user = null, children }: { user?: User | null; children: ReactNode }) {
  const { t } = useTranslation();
  return (
    <div className="app">
      <SiteHeader user={user} />
      <main id="main" className="app-main" tabIndex={-1}>
        {children}
      </main>
      <footer className="site-footer">
        <Paragraph data-size="sm">{t('app.footer')}</Paragraph>
      </footer>
    </div>
  );
}

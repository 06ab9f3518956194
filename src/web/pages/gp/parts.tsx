/** Small pieces shared by the GP pages: breadcrumbs, a titled section, a message line. */
import { Alert, Heading, Paragraph } from '@digdir/designsystemet-react';
import type { ReactNode } from 'react';
import { useTranslation } from 'react-i18next';
import { AppLink } from '../../components/AppLink.js';

export interface Crumb {
  label: string;
  to?: string;
}

/** "Arbeidsliste › Pasienter › Kari Aasen": the last crumb is the current page. */
export function GpBreadcrumbs({ crumbs }: { crumbs: Crumb[] }) {
  const { t } = useTranslation();
  return (
    <nav aria-label={t('gp.nav.breadcrumbs')} className="breadcrumbs no-print">
      <ol>
        <li>
          <AppLink to="/gp">{t('gp.worklist.title')}</AppLink>
        </li>
        {crumbs.map((crumb, index) =>
          crumb.to && index < crumbs.length - 1 ? (
            <li key={crumb.label}>
              <AppLink to={crumb.to}>{crumb.label}</AppLink>
            </li>
          ) : (
            <li key={crumb.label} aria-current="page">
              {crumb.label}
            </li>
          )
        )}
      </ol>
    </nav>
  );
}

/** A region with its own heading (h2), so the page outline and landmarks read well. */
export function GpSection({
  id,
  title,
  aside,
  children,
  className,
  testId,
}: {
  id: string;
  title: ReactNode;
  aside?: ReactNode;
  children: ReactNode;
  className?: string;
  testId?: string;
}) {
  return (
    <section
      aria-labelledby={`${id}-heading`}
      id={id}
      className={['gp-section', className].filter(Boolean).join(' ')}
      data-testid={testId}
    >
      <div className="gp-section__head">
        <Heading level={2} data-size="xs" id={`${id}-heading`}>
          {title}
        </Heading>
        {aside}
      </div>
      <div className="gp-section__body">{children}</div>
    </section>
  );
}

export type Message = { kind: 'success' | 'danger' | 'info'; text: string } | null;

/** A polite live region: a success or error line after an action. */
export function MessageLine({ message }: { message: Message }) {
  return (
    <div aria-live="polite" className="live-region">
      {message && (
        <Alert data-color={message.kind} data-testid="gp-message">
          <Paragraph>{message.text}</Paragraph>
        </Alert>
      )}
    </div>
  );
}

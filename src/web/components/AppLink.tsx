import { Link } from '@digdir/designsystemet-react';
import type { ReactNode } from 'react';
import { Link as RouterLink } from 'react-router';

/**
 * A Designsystemet link to an app route, or to an anchor on the current page ("#phq9"), which
 * the browser scrolls to and moves the focus start point to by itself.
 */
export function AppLink({
  to,
  children,
  className,
}: {
  to: string;
  children: ReactNode;
  className?: string;
}) {
  return (
    // Accent explicitly: inside a neutral card a link would otherwise inherit the card's grey.
    <Link asChild className={className} data-color="accent">
      {to.startsWith('#') ? <a href={to}>{children}</a> : <RouterLink to={to}>{children}</RouterLink>}
    </Link>
  );
}

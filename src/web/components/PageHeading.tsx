import { Heading } from '@digdir/designsystemet-react';
import { useEffect, useRef, type ReactNode } from 'react';
import './PageHeading.css';

let firstPageShown = false;

/**
 * The page's one <h1>. After client-side navigation focus moves here, so screen reader and
 * keyboard users start at the top of the new page (not on the first page load).
 */
export function PageHeading({ children }: { children: ReactNode }) {
  const ref = useRef<HTMLHeadingElement>(null);
  useEffect(() => {
    if (!firstPageShown) {
      firstPageShown = true;
      return;
    }
    ref.current?.focus();
  }, []);
  return (
    <Heading level={1} data-size="lg" ref={ref} tabIndex={-1} className="page-heading">
      {children}
    </Heading>
  );
}

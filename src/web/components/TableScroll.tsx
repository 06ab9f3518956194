import type { ReactNode } from 'react';
import './TableScroll.css';

/**
 * Lets a wide table scroll sideways inside itself on narrow screens instead of making the whole
 * page scroll. Focusable and named so keyboard users can scroll it too (WCAG 2.1.1).
 */
export function TableScroll({ label, children }: { label: string; children: ReactNode }) {
  return (
    <div className="table-scroll" role="region" aria-label={label} tabIndex={0}>
      {children}
    </div>
  );
}

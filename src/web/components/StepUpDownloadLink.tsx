/**
 * A download of data leaving the platform (an export): the server asks for a fresh confirmation
 * of who the user is first (step-up, domain/access/step-up.ts). A plain link cannot be retried
 * after a refusal, so this one asks before it goes: if the last confirmation is stale, the
 * step-up dialog opens, and the download starts once the user has confirmed.
 */
import type { MouseEvent, ReactNode } from 'react';
import { ensureStepUp } from '../api/client.js';

export function StepUpDownloadLink({ href, children }: { href: string; children: ReactNode }) {
  async function onClick(event: MouseEvent<HTMLAnchorElement>) {
    if (event.defaultPrevented || event.button !== 0 || event.metaKey || event.ctrlKey || event.shiftKey)
      return;
    event.preventDefault();
    try {
      if (!(await ensureStepUp())) return;
    } catch {
      // The status could not be read: let the download try, the server decides.
    }
    const link = document.createElement('a');
    link.href = href;
    link.download = '';
    document.body.append(link);
    link.click();
    link.remove();
  }
  return (
    <a href={href} download onClick={(event) => void onClick(event)}>
      {children}
    </a>
  );
}

/**
 * Prints one part of a page: marks <html data-print="plan"> for the print stylesheet (gp.css),
 * which then shows only that part, and removes the mark when the print dialog closes.
 */
export function printOnly(part: 'plan' | 'letter'): void {
  const root = document.documentElement;
  root.dataset.print = part;
  const clear = () => {
    delete root.dataset.print;
    window.removeEventListener('afterprint', clear);
  };
  window.addEventListener('afterprint', clear);
  window.print();
}

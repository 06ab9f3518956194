/** Dates shown in Norwegian time, formatted for the UI language. */
import type { Language } from './i18n/index.js';

const LOCALES: Record<Language, string> = { nb: 'nb-NO', en: 'en-GB' };
const TIME_ZONE = 'Europe/Oslo';

function parse(iso: string): Date | null {
  const date = new Date(iso);
  return Number.isNaN(date.getTime()) ? null : date;
}

export function formatDate(iso: string, language: Language): string {
  const date = parse(iso);
  if (!date) return iso;
  return new Intl.DateTimeFormat(LOCALES[language], { dateStyle: 'medium', timeZone: TIME_ZONE }).format(
    date
  );
}

export function formatDateTime(iso: string, language: Language): string {
  const date = parse(iso);
  if (!date) return iso;
  return new Intl.DateTimeFormat(LOCALES[language], {
    dateStyle: 'medium',
    timeStyle: 'short',
    timeZone: TIME_ZONE,
  }).format(date);
}

export function formatNumber(value: number, language: Language): string {
  return new Intl.NumberFormat(LOCALES[language]).format(value);
}

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

/** "tirsdag 3. februar 2026" / "Tuesday 3 February 2026" */
export function formatLongDate(iso: string, language: Language): string {
  const date = parse(iso);
  if (!date) return iso;
  return new Intl.DateTimeFormat(LOCALES[language], {
    weekday: 'long',
    day: 'numeric',
    month: 'long',
    year: 'numeric',
    timeZone: TIME_ZONE,
  }).format(date);
}

/** "10:30" */
export function formatTime(iso: string, language: Language): string {
  const date = parse(iso);
  if (!date) return iso;
  return new Intl.DateTimeFormat(LOCALES[language], {
    hour: '2-digit',
    minute: '2-digit',
    timeZone: TIME_ZONE,
  }).format(date);
}

/** "3. feb." / "3 Feb" — short dates for chart axes. */
export function formatShortDate(date: Date, language: Language): string {
  return new Intl.DateTimeFormat(LOCALES[language], {
    day: 'numeric',
    month: 'short',
    timeZone: TIME_ZONE,
  }).format(date);
}

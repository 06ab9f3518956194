/** Dates as the browser's date and time inputs want them (local time), and back. */
import { useState } from 'react';

const pad = (n: number) => String(n).padStart(2, '0');

/** "2026-11-23" in local time, for <input type="date">. */
export function localDateInput(date: Date): string {
  return `${date.getFullYear()}-${pad(date.getMonth() + 1)}-${pad(date.getDate())}`;
}

/** "10:15" in local time, for <input type="time">. */
export function localTimeInput(date: Date): string {
  return `${pad(date.getHours())}:${pad(date.getMinutes())}`;
}

/** Local midnight at the start of a "YYYY-MM-DD" day. */
export function startOfLocalDay(day: string): Date {
  const [y, m, d] = day.split('-').map(Number);
  return new Date(y ?? 1970, (m ?? 1) - 1, d ?? 1);
}

/** A local date and time ("2026-11-23", "10:15") as a Date, or null when either is missing. */
export function fromLocalInputs(day: string, time: string): Date | null {
  if (!/^\d{4}-\d{2}-\d{2}$/.test(day) || !/^\d{2}:\d{2}$/.test(time)) return null;
  const [h, min] = time.split(':').map(Number);
  const date = startOfLocalDay(day);
  date.setHours(h ?? 0, min ?? 0, 0, 0);
  return Number.isNaN(date.getTime()) ? null : date;
}

export function addDays(date: Date, days: number): Date {
  const next = new Date(date);
  next.setDate(next.getDate() + days);
  return next;
}

const LOCALES = { nb: 'nb-NO', en: 'en-GB' } as const;

/** "fre. 27. nov." / "Fri 27 Nov": a day in a compact list, in Norwegian time. */
export function formatDayShort(iso: string, language: 'nb' | 'en'): string {
  const date = new Date(iso);
  if (Number.isNaN(date.getTime())) return iso;
  return new Intl.DateTimeFormat(LOCALES[language], {
    weekday: 'short',
    day: 'numeric',
    month: 'short',
    timeZone: 'Europe/Oslo',
  }).format(date);
}

/** The time the component first rendered: stable across re-renders (render stays pure). */
export function useNow(): number {
  const [now] = useState(() => Date.now());
  return now;
}

/**
 * Dates for the browser's date and time inputs, and back, always in Norwegian time (Europe/Oslo)
 * whatever the browser's own zone: a GP on a laptop set to another zone who types 13:00 means
 * 13:00 at the practice. One definition of the conversion: domain/followup/oslo-time.ts.
 */
import { useState } from 'react';
import { addCalendarDays, osloDateAndTime, osloInstant } from '../../../domain/followup/oslo-time.js';

/** "2026-11-23": the Oslo calendar day of an instant, for <input type="date">. */
export function osloDateInput(date: Date): string {
  return osloDateAndTime(date).date;
}

/** "10:15": the Oslo time of an instant, for <input type="time">. */
export function osloTimeInput(date: Date): string {
  return osloDateAndTime(date).time;
}

/** Midnight in Oslo at the start of a "YYYY-MM-DD" day. */
export function startOfOsloDay(day: string): Date {
  return osloInstant(day, '00:00');
}

/** Midnight in Oslo at the start of the day after a "YYYY-MM-DD" day (the end of that day). */
export function endOfOsloDay(day: string): Date {
  return osloInstant(addCalendarDays(day, 1), '00:00');
}

/** An Oslo date and time ("2026-11-23", "10:15") as an instant, or null when either is malformed. */
export function fromOsloInputs(day: string, time: string): Date | null {
  if (!/^\d{4}-\d{2}-\d{2}$/.test(day) || !/^\d{2}:\d{2}$/.test(time)) return null;
  const date = osloInstant(day, time);
  return Number.isNaN(date.getTime()) ? null : date;
}

export function addDays(date: Date, days: number): Date {
  return new Date(date.getTime() + days * 86_400_000);
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

/**
 * Which reminders a patient should have, from the state of their program. Each reminder has a
 * stable reference, so the job that creates them is idempotent: run it as often as you like and
 * each reminder is created (and sent) once.
 *
 * What is sent outside the app (e-mail, SMS) never says anything about health: it only says there
 * is something new and asks the patient to log in (security-requirements R-K4). The specific
 * reminder ("module 2 is ready") is shown only inside the app, after login.
 */
import type { Instrument, MeasureDue, ModuleId, ModuleState } from './progress.js';

export type ReminderKind = 'module_available' | 'measure_due' | 'followup_soon' | 'inactive';

export interface WantedReminder {
  kind: ReminderKind;
  reference: string;
}

export const FOLLOWUP_REMINDER_HOURS = 48;
export const INACTIVE_DAYS = 14;
const HOUR_MS = 60 * 60 * 1000;

export interface ReminderInput {
  status: string;
  modules: readonly { id: ModuleId; state: ModuleState; lessonsViewed: readonly string[] }[];
  measuresDue: readonly MeasureDue[];
  /** The latest answer of each instrument, so a four-weekly measure gets a new reference each time. */
  lastAnswered: Partial<Record<Instrument, Date>>;
  nextFollowUp: { id: string; plannedAt: Date } | null;
  lastActivityAt: Date | null;
  now: Date;
}

export function wantedReminders(input: ReminderInput): WantedReminder[] {
  if (input.status !== 'active' && input.status !== 'finished') return [];
  const wanted: WantedReminder[] = [];
  for (const m of input.modules) {
    if (m.state === 'available' && m.lessonsViewed.length === 0)
      wanted.push({ kind: 'module_available', reference: m.id });
  }
  for (const due of input.measuresDue) {
    const episode =
      due.reason === 'four_weekly'
        ? (input.lastAnswered[due.instrument]?.toISOString().slice(0, 10) ?? '')
        : (due.moduleId ?? '');
    wanted.push({ kind: 'measure_due', reference: `${due.instrument}:${due.reason}:${episode}` });
  }
  if (input.nextFollowUp) {
    const hoursAway = (input.nextFollowUp.plannedAt.getTime() - input.now.getTime()) / HOUR_MS;
    if (hoursAway > 0 && hoursAway <= FOLLOWUP_REMINDER_HOURS)
      wanted.push({ kind: 'followup_soon', reference: input.nextFollowUp.id });
  }
  if (input.status === 'active' && input.lastActivityAt) {
    const idleDays = (input.now.getTime() - input.lastActivityAt.getTime()) / (24 * HOUR_MS);
    if (idleDays >= INACTIVE_DAYS)
      wanted.push({ kind: 'inactive', reference: input.lastActivityAt.toISOString().slice(0, 10) });
  }
  return wanted;
}

/** The only text that leaves the platform: no health information, no details, just "log in". */
export const OUTBOUND_REMINDER = {
  subject: 'GP-DEP',
  body: 'Du har noe nytt i GP-DEP. Logg inn for å se det.\nYou have something new in GP-DEP. Log in to see it.',
} as const;

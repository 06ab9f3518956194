/**
 * Day and week boundaries in Norwegian time (Europe/Oslo, with summer time), for the GP's
 * "today" and "this week": a follow-up at 00:30 Norwegian time belongs to that day, not the
 * previous UTC day.
 */

const ZONE = 'Europe/Oslo';

/**
 * Made once: building an Intl.DateTimeFormat costs far more than using one, and the worklist,
 * cards and reminders ask for offsets many times a request (it was 4 % of a server's CPU under load).
 */
const OSLO_PARTS = new Intl.DateTimeFormat('en-GB', {
  timeZone: ZONE,
  hourCycle: 'h23',
  year: 'numeric',
  month: '2-digit',
  day: '2-digit',
  hour: '2-digit',
  minute: '2-digit',
});

/** Minutes Oslo is ahead of UTC at an instant (60 in winter, 120 in summer). */
export function osloOffsetMinutes(at: Date): number {
  const parts = OSLO_PARTS.formatToParts(at);
  const get = (type: string) => Number(parts.find((p) => p.type === type)!.value);
  const asUtc = Date.UTC(get('year'), get('month') - 1, get('day'), get('hour'), get('minute'));
  return Math.round((asUtc - Math.floor(at.getTime() / 60_000) * 60_000) / 60_000);
}

/** Midnight in Oslo of the Oslo calendar day `daysFromNow` after the day of `now`. */
function osloMidnight(now: Date, daysFromNow: number): Date {
  const local = new Date(now.getTime() + osloOffsetMinutes(now) * 60_000);
  const midnightAsUtc = Date.UTC(
    local.getUTCFullYear(),
    local.getUTCMonth(),
    local.getUTCDate() + daysFromNow
  );
  // Convert back with the offset in force at that midnight (it differs across a DST change).
  const guess = new Date(midnightAsUtc - osloOffsetMinutes(new Date(midnightAsUtc)) * 60_000);
  return new Date(midnightAsUtc - osloOffsetMinutes(guess) * 60_000);
}

export interface OsloDayBounds {
  startOfToday: Date;
  endOfToday: Date;
  /** The end of Sunday of this week (Monday-Sunday weeks, as in Norway). */
  endOfWeek: Date;
}

export function osloDayBounds(now: Date): OsloDayBounds {
  const local = new Date(now.getTime() + osloOffsetMinutes(now) * 60_000);
  const weekday = (local.getUTCDay() + 6) % 7; // Monday 0 … Sunday 6
  return {
    startOfToday: osloMidnight(now, 0),
    endOfToday: osloMidnight(now, 1),
    endOfWeek: osloMidnight(now, 7 - weekday),
  };
}

/** The instant of HH:MM Oslo time on an Oslo calendar date 'YYYY-MM-DD' (summer time handled). */
export function osloInstant(date: string, hhmm: string): Date {
  const asUtc = new Date(`${date}T${hhmm}:00Z`).getTime();
  const guess = new Date(asUtc - osloOffsetMinutes(new Date(asUtc)) * 60_000);
  return new Date(asUtc - osloOffsetMinutes(guess) * 60_000);
}

/** The Oslo calendar date ('YYYY-MM-DD') and time ('HH:MM') of an instant. */
export function osloDateAndTime(at: Date): { date: string; time: string } {
  const local = new Date(at.getTime() + osloOffsetMinutes(at) * 60_000).toISOString();
  return { date: local.slice(0, 10), time: local.slice(11, 16) };
}

/** The calendar date `days` after an Oslo calendar date. */
export function addCalendarDays(date: string, days: number): string {
  return new Date(new Date(`${date}T00:00:00Z`).getTime() + days * 86_400_000).toISOString().slice(0, 10);
}

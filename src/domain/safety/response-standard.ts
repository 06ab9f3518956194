/**
 * The practice's response standard for an urgent case (an item-9 answer above 0): by when a
 * person must have acted on it before it escalates. Default, as agreed for the pilot: the same
 * working day; a case opened after 16:00, or on a day off, by 10:00 the next working day. All
 * times are Norwegian time (Europe/Oslo); weekends and Norwegian public holidays are days off.
 *
 * Public holidays (lov om helligdager og helligdagsfred § 2; lov om 1. og 17. mai som offentlige
 * høytidsdager): 1 January, Maundy Thursday, Good Friday, Easter Sunday and Monday, 1 May,
 * 17 May, Ascension Day, Whit Sunday and Monday, 25 and 26 December.
 */
import { osloInstant, osloOffsetMinutes } from '../followup/oslo-time.js';

export { osloInstant };

export interface ResponseStandard {
  /** Cases opened before this time (HH:MM, Oslo) on a working day are due the same day… */
  sameDayCutoff: string;
  /** …by this time (HH:MM, Oslo); later cases are due by `nextDayBy` the next working day. */
  sameDayBy: string;
  nextDayBy: string;
}

export const DEFAULT_RESPONSE_STANDARD: ResponseStandard = {
  sameDayCutoff: '16:00',
  sameDayBy: '16:00',
  nextDayBy: '10:00',
};

/** A time of day as HH:MM, 24-hour (the source of the server's schema pattern too). */
export const TIME_PATTERN = '^([01][0-9]|2[0-3]):([0-5][0-9])$';
const TIME = new RegExp(TIME_PATTERN);

/**
 * The next working day's deadline is a morning time: a case that waited overnight is acted on
 * when the practice opens, not at the end of the next day.
 */
export const NEXT_DAY_BY_EARLIEST = '06:00';
export const NEXT_DAY_BY_LATEST = '12:00';

/** Field problems for a response standard a practice sets (empty when valid). */
export function responseStandardProblems(s: ResponseStandard): { field: string; reason: string }[] {
  const problems: { field: string; reason: string }[] = [];
  for (const field of ['sameDayCutoff', 'sameDayBy', 'nextDayBy'] as const) {
    if (!TIME.test(s[field])) problems.push({ field, reason: 'must be a time of day as HH:MM (24-hour)' });
  }
  if (problems.length === 0 && minutesOf(s.sameDayBy) < minutesOf(s.sameDayCutoff)) {
    problems.push({ field: 'sameDayBy', reason: 'must not be earlier than sameDayCutoff' });
  }
  if (
    TIME.test(s.nextDayBy) &&
    (minutesOf(s.nextDayBy) < minutesOf(NEXT_DAY_BY_EARLIEST) ||
      minutesOf(s.nextDayBy) > minutesOf(NEXT_DAY_BY_LATEST))
  ) {
    problems.push({
      field: 'nextDayBy',
      reason: `must be a morning time, from ${NEXT_DAY_BY_EARLIEST} to ${NEXT_DAY_BY_LATEST}`,
    });
  }
  return problems;
}

function minutesOf(hhmm: string): number {
  const [, h, m] = TIME.exec(hhmm)!;
  return Number(h) * 60 + Number(m);
}

/** Easter Sunday (Gregorian), as a UTC date at midnight: the anonymous Gregorian algorithm. */
export function easterSunday(year: number): Date {
  const a = year % 19;
  const b = Math.floor(year / 100);
  const c = year % 100;
  const d = Math.floor(b / 4);
  const e = b % 4;
  const f = Math.floor((b + 8) / 25);
  const g = Math.floor((b - f + 1) / 3);
  const h = (19 * a + b - d - g + 15) % 30;
  const i = Math.floor(c / 4);
  const k = c % 4;
  const l = (32 + 2 * e + 2 * i - h - k) % 7;
  const m = Math.floor((a + 11 * h + 22 * l) / 451);
  const month = Math.floor((h + l - 7 * m + 114) / 31);
  const day = ((h + l - 7 * m + 114) % 31) + 1;
  return new Date(Date.UTC(year, month - 1, day));
}

/** Norway's public holidays in a year, as 'YYYY-MM-DD'. */
export function norwegianPublicHolidays(year: number): string[] {
  const easter = easterSunday(year).getTime();
  const fromEaster = (days: number) => new Date(easter + days * 86_400_000).toISOString().slice(0, 10);
  const fixed = (month: number, day: number) =>
    `${year}-${String(month).padStart(2, '0')}-${String(day).padStart(2, '0')}`;
  return [
    fixed(1, 1),
    fromEaster(-3), // skjærtorsdag
    fromEaster(-2), // langfredag
    fromEaster(0), // 1. påskedag
    fromEaster(1), // 2. påskedag
    fixed(5, 1),
    fixed(5, 17),
    fromEaster(39), // Kristi himmelfartsdag
    fromEaster(49), // 1. pinsedag
    fromEaster(50), // 2. pinsedag
    fixed(12, 25),
    fixed(12, 26),
  ].sort();
}

/** Oslo calendar date 'YYYY-MM-DD' and minutes since Oslo midnight at an instant. */
function osloLocal(at: Date): { date: string; minutes: number } {
  const local = new Date(at.getTime() + osloOffsetMinutes(at) * 60_000);
  return {
    date: local.toISOString().slice(0, 10),
    minutes: local.getUTCHours() * 60 + local.getUTCMinutes(),
  };
}

/** Is this Oslo calendar date ('YYYY-MM-DD') a working day? */
export function isWorkingDay(date: string): boolean {
  const day = new Date(`${date}T00:00:00Z`).getUTCDay();
  if (day === 0 || day === 6) return false;
  return !norwegianPublicHolidays(Number(date.slice(0, 4))).includes(date);
}

function nextDate(date: string): string {
  return new Date(new Date(`${date}T00:00:00Z`).getTime() + 86_400_000).toISOString().slice(0, 10);
}

/** By when a case opened at `openedAt` must be acted on. */
export function responseDeadline(
  openedAt: Date,
  standard: ResponseStandard = DEFAULT_RESPONSE_STANDARD
): Date {
  const { date, minutes } = osloLocal(openedAt);
  if (isWorkingDay(date) && minutes < minutesOf(standard.sameDayCutoff)) {
    return osloInstant(date, standard.sameDayBy);
  }
  let day = nextDate(date);
  while (!isWorkingDay(day)) day = nextDate(day);
  return osloInstant(day, standard.nextDayBy);
}

import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import {
  DEFAULT_RESPONSE_STANDARD,
  easterSunday,
  isWorkingDay,
  norwegianPublicHolidays,
  osloInstant,
  responseDeadline,
  responseStandardProblems,
} from './response-standard.js';

const oslo = (date: string, time: string) => osloInstant(date, time);

describe('response standard for urgent cases', () => {
  it('knows Easter and the Norwegian public holidays (checked against the almanac)', () => {
    expect(easterSunday(2024).toISOString().slice(0, 10)).toBe('2024-03-31');
    expect(easterSunday(2025).toISOString().slice(0, 10)).toBe('2025-04-20');
    expect(easterSunday(2026).toISOString().slice(0, 10)).toBe('2026-04-05');
    expect(easterSunday(2027).toISOString().slice(0, 10)).toBe('2027-03-28');
    expect(norwegianPublicHolidays(2026)).toEqual([
      '2026-01-01',
      '2026-04-02',
      '2026-04-03',
      '2026-04-05',
      '2026-04-06',
      '2026-05-01',
      '2026-05-14',
      '2026-05-17',
      '2026-05-24',
      '2026-05-25',
      '2026-12-25',
      '2026-12-26',
    ]);
    expect(isWorkingDay('2026-12-04')).toBe(true); // a Friday
    expect(isWorkingDay('2026-12-05')).toBe(false); // Saturday
    expect(isWorkingDay('2026-05-14')).toBe(false); // Ascension Day, a Thursday
  });

  it('is due the same working day before 16:00, and by 10:00 the next working day after it', () => {
    expect(responseDeadline(oslo('2026-12-03', '09:15'))).toEqual(oslo('2026-12-03', '16:00'));
    expect(responseDeadline(oslo('2026-12-03', '15:59'))).toEqual(oslo('2026-12-03', '16:00'));
    expect(responseDeadline(oslo('2026-12-03', '16:00'))).toEqual(oslo('2026-12-04', '10:00'));
    // Friday evening → Monday 10:00; Saturday → Monday
    expect(responseDeadline(oslo('2026-12-04', '18:30'))).toEqual(oslo('2026-12-07', '10:00'));
    expect(responseDeadline(oslo('2026-12-05', '11:00'))).toEqual(oslo('2026-12-07', '10:00'));
    // Christmas: 24 Dec (a Thursday) after 16:00 → 25 and 26 are holidays, 27 a Sunday → Monday 28
    expect(responseDeadline(oslo('2026-12-24', '17:00'))).toEqual(oslo('2026-12-28', '10:00'));
    // Easter 2026: Wednesday 1 April evening → Tuesday 7 April
    expect(responseDeadline(oslo('2026-04-01', '20:00'))).toEqual(oslo('2026-04-07', '10:00'));
    // Summer time: 16:00 Oslo is 14:00 UTC in June
    expect(responseDeadline(oslo('2026-06-10', '08:00')).toISOString()).toBe('2026-06-10T14:00:00.000Z');
  });

  it('never sets a deadline before the case opened, nor more than five days later (property)', () => {
    fc.assert(
      fc.property(
        fc.date({ min: new Date('2024-01-01'), max: new Date('2030-12-31'), noInvalidDate: true }),
        (at) => {
          const due = responseDeadline(at);
          expect(due.getTime()).toBeGreaterThan(at.getTime());
          expect(due.getTime() - at.getTime()).toBeLessThan(6 * 86_400_000);
        }
      ),
      { numRuns: 300 }
    );
  });

  it('checks a practice’s own standard, naming the field', () => {
    expect(responseStandardProblems(DEFAULT_RESPONSE_STANDARD)).toEqual([]);
    expect(
      responseStandardProblems({ sameDayCutoff: '25:00', sameDayBy: '16:00', nextDayBy: '10:00' })
    ).toEqual([{ field: 'sameDayCutoff', reason: 'must be a time of day as HH:MM (24-hour)' }]);
    expect(
      responseStandardProblems({ sameDayCutoff: '16:00', sameDayBy: '15:00', nextDayBy: '10:00' })
    ).toEqual([{ field: 'sameDayBy', reason: 'must not be earlier than sameDayCutoff' }]);
  });
});

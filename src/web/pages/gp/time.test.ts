import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { endOfOsloDay, fromOsloInputs, osloDateInput, osloTimeInput, startOfOsloDay } from './time.js';

// The browser's own zone must not matter: run the conversions as if in New York and in Tokyo.
// (Node reads TZ afresh when it changes.)
describe.each(['America/New_York', 'Asia/Tokyo', 'UTC'])(
  'date and time inputs in a browser set to %s',
  (zone) => {
    let before: string | undefined;
    beforeEach(() => {
      before = process.env.TZ;
      process.env.TZ = zone;
    });
    afterEach(() => {
      process.env.TZ = before;
    });

    it('takes 13:00 as 13:00 in Norway, winter and summer', () => {
      expect(fromOsloInputs('2026-12-07', '13:00')?.toISOString()).toBe('2026-12-07T12:00:00.000Z');
      expect(fromOsloInputs('2026-06-08', '13:00')?.toISOString()).toBe('2026-06-08T11:00:00.000Z');
      expect(fromOsloInputs('2026-06-08', '1300')).toBeNull();
    });

    it('shows an instant as the Norwegian date and time', () => {
      const at = new Date('2026-12-07T23:30:00Z'); // 00:30 on 8 December in Oslo
      expect(osloDateInput(at)).toBe('2026-12-08');
      expect(osloTimeInput(at)).toBe('00:30');
    });

    it('bounds a day at Norwegian midnight, across the change to summer time', () => {
      expect(startOfOsloDay('2026-03-29').toISOString()).toBe('2026-03-28T23:00:00.000Z');
      expect(endOfOsloDay('2026-03-29').toISOString()).toBe('2026-03-29T22:00:00.000Z');
    });
  }
);

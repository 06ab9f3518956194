import { describe, expect, it } from 'vitest';
import {
  EMAIL_REASON,
  emailProblem,
  normalisePhone,
  ownNotificationProblems,
  PHONE_REASON,
  phoneProblem,
} from './notification-settings.js';
import { DEFAULT_RESPONSE_STANDARD, responseStandardProblems } from './response-standard.js';

describe('notification addresses', () => {
  it('takes plain e-mail addresses, and empty to clear', () => {
    for (const ok of ['', 'post@demo.gpdep.invalid', 'lege.berg+hast@legekontor.no', 'a@b.co'])
      expect(emailProblem(ok), ok).toBeNull();
    for (const bad of [
      'post',
      'post@',
      '@legekontor.no',
      'post@legekontor',
      'a b@c.no',
      'a@b.no\r\nBcc: x@y.no',
    ])
      expect(emailProblem(bad), bad).toBe(EMAIL_REASON);
    expect(emailProblem(`${'a'.repeat(250)}@b.no`)).toBe('must be at most 254 characters');
  });

  it('takes a mobile number in international form only, and empty to clear', () => {
    for (const ok of ['', '+4791234567', '+46701234567']) expect(phoneProblem(ok), ok).toBeNull();
    for (const bad of ['91234567', '4791234567', '+47 912 34 567', '+47912', '+4791234567890123'])
      expect(phoneProblem(bad), bad).toBe(PHONE_REASON);
  });

  it('tidies a number as people write it, but never guesses a country code', () => {
    expect(normalisePhone(' +47 912 34 567 ')).toBe('+4791234567');
    expect(normalisePhone('0047 (912) 34-567')).toBe('+4791234567');
    expect(normalisePhone('912 34 567')).toBe('91234567');
    expect(phoneProblem(normalisePhone('912 34 567'))).toBe(PHONE_REASON);
  });

  it('names each field that is wrong', () => {
    expect(ownNotificationProblems({ email: 'x', phone: '123' }).map((p) => p.field)).toEqual([
      'email',
      'phone',
    ]);
    expect(ownNotificationProblems({ email: '', phone: '' })).toEqual([]);
  });
});

describe('the response standard a practice sets', () => {
  it('wants the next working day deadline in the morning, 06:00 to 12:00', () => {
    for (const nextDayBy of ['06:00', '08:30', '12:00'])
      expect(responseStandardProblems({ ...DEFAULT_RESPONSE_STANDARD, nextDayBy }), nextDayBy).toEqual([]);
    for (const nextDayBy of ['05:59', '12:01', '16:00', '00:00'])
      expect(responseStandardProblems({ ...DEFAULT_RESPONSE_STANDARD, nextDayBy }), nextDayBy).toEqual([
        { field: 'nextDayBy', reason: 'must be a morning time, from 06:00 to 12:00' },
      ]);
  });

  it('reports a time that is not one once, as not a time', () => {
    expect(responseStandardProblems({ ...DEFAULT_RESPONSE_STANDARD, nextDayBy: '25:00' })).toEqual([
      { field: 'nextDayBy', reason: 'must be a time of day as HH:MM (24-hour)' },
    ]);
  });
});

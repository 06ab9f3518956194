import { describe, expect, it } from 'vitest';
import {
  daysWaiting,
  EXPECTED_ANSWER_WORKING_DAYS,
  expectedAnswerTime,
  isUnanswered,
  newMessageNotice,
} from './messaging.js';

describe('messages between visits', () => {
  it('states one expected answer time: two working days', () => {
    expect(EXPECTED_ANSWER_WORKING_DAYS).toBe(2);
    expect(expectedAnswerTime()).toEqual({ workingDays: 2 });
  });

  it('counts whole days waited, at the boundary', () => {
    const sent = new Date('2026-12-01T10:00:00Z');
    expect(daysWaiting(sent, new Date('2026-12-01T10:00:00Z'))).toBe(0);
    expect(daysWaiting(sent, new Date('2026-12-02T09:59:59Z'))).toBe(0);
    expect(daysWaiting(sent, new Date('2026-12-02T10:00:00Z'))).toBe(1);
    expect(daysWaiting(sent, new Date('2026-12-03T10:00:00Z'))).toBe(2);
    // A clock that is behind never gives a negative age.
    expect(daysWaiting(sent, new Date('2026-11-30T10:00:00Z'))).toBe(0);
  });

  it('calls a thread unanswered only when the patient wrote last', () => {
    expect(isUnanswered({ lastFromPatient: true })).toBe(true);
    expect(isUnanswered({ lastFromPatient: false })).toBe(false);
  });

  it('says in a notification only that there is a message, and where to log in', () => {
    const notice = newMessageNotice('https://gpdep.example/login');
    expect(notice.subject).toBe('Du har en ny melding i GP-DEP');
    expect(notice.text).toContain('Du har en ny melding i GP-DEP');
    expect(notice.text).toContain('https://gpdep.example/login');
  });
});

import { describe, expect, it } from 'vitest';
import { OUTBOUND_REMINDER, wantedReminders, type ReminderInput } from './reminders.js';

const now = new Date('2026-11-23T10:00:00Z');
const input = (over: Partial<ReminderInput>): ReminderInput => ({
  status: 'active',
  modules: [],
  measuresDue: [],
  lastAnswered: {},
  nextFollowUp: null,
  lastActivityAt: now,
  now,
  ...over,
});

describe('reminders wanted', () => {
  it('reminds of a follow-up within 48 hours, not earlier and not after it', () => {
    const at = (hours: number) => ({ id: 'f1', plannedAt: new Date(now.getTime() + hours * 3600_000) });
    expect(wantedReminders(input({ nextFollowUp: at(48) }))).toEqual([
      { kind: 'followup_soon', reference: 'f1' },
    ]);
    expect(wantedReminders(input({ nextFollowUp: at(48.1) }))).toEqual([]);
    expect(wantedReminders(input({ nextFollowUp: at(-1) }))).toEqual([]);
  });

  it('reminds after exactly 14 days without activity', () => {
    const days = (d: number) => new Date(now.getTime() - d * 24 * 3600_000);
    expect(wantedReminders(input({ lastActivityAt: days(13.9) }))).toEqual([]);
    expect(wantedReminders(input({ lastActivityAt: days(14) }))).toEqual([
      { kind: 'inactive', reference: days(14).toISOString().slice(0, 10) },
    ]);
  });

  it('gives a four-weekly measure a new reference each time, so it is sent again next time', () => {
    const due = [{ instrument: 'wsas' as const, reason: 'four_weekly' as const }];
    const a = wantedReminders(input({ measuresDue: due, lastAnswered: { wsas: new Date('2026-10-01') } }));
    const b = wantedReminders(input({ measuresDue: due, lastAnswered: { wsas: new Date('2026-10-29') } }));
    expect(a[0]!.reference).not.toBe(b[0]!.reference);
  });

  it('wants nothing for a patient who has not started or has stopped', () => {
    expect(
      wantedReminders(
        input({ status: 'recommended', measuresDue: [{ instrument: 'phq9', reason: 'baseline' }] })
      )
    ).toEqual([]);
    expect(
      wantedReminders(input({ status: 'stopped', measuresDue: [{ instrument: 'phq9', reason: 'baseline' }] }))
    ).toEqual([]);
  });

  it('sends only "log in" outside the app: no scores, no instruments, no diagnosis', () => {
    expect(OUTBOUND_REMINDER.body).not.toMatch(/PHQ|GAD|WSAS|depres|angst|anx|score|\d/i);
  });
});

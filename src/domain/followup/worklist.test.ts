import { describe, expect, it } from 'vitest';
import { sortWorklist, worklistItems, type PatientWorklistFacts } from './worklist.js';

const DAY = 24 * 3600_000;
const start = new Date('2026-09-01T08:00:00Z');
const day = (n: number) => new Date(start.getTime() + n * DAY);
const facts = (over: Partial<PatientWorklistFacts>): PatientWorklistFacts => ({
  patientId: 'p',
  programStatus: 'active',
  startedAt: start,
  phq9: [],
  openItem9Alerts: [],
  lastActivityAt: null,
  invitation: null,
  missedFollowUps: [],
  ...over,
});
const reasons = (f: PatientWorklistFacts, now = day(100)) => worklistItems(f, now).map((i) => i.reason);

describe('worklist rules at their boundaries', () => {
  it('flags a PHQ-9 worse by exactly 5 points, not by 4', () => {
    expect(
      reasons(
        facts({
          phq9: [
            { answeredAt: day(0), total: 10 },
            { answeredAt: day(14), total: 15 },
          ],
        })
      )
    ).toContain('phq9_worse');
    expect(
      reasons(
        facts({
          phq9: [
            { answeredAt: day(0), total: 10 },
            { answeredAt: day(14), total: 14 },
          ],
        })
      )
    ).not.toContain('phq9_worse');
  });

  it('flags no improvement at exactly 4 weeks, not at 27 days, and not if the score fell by a point', () => {
    const at = (d: number, total: number) =>
      facts({
        phq9: [
          { answeredAt: day(0), total: 14 },
          { answeredAt: day(d), total },
        ],
      });
    expect(reasons(at(28, 14))).toContain('no_improvement_4w');
    expect(reasons(at(27, 14))).not.toContain('no_improvement_4w');
    expect(reasons(at(28, 13))).not.toContain('no_improvement_4w');
  });

  it('flags under 50% improvement at 8 weeks: a drop of exactly 50% is on target', () => {
    const at = (d: number, total: number) =>
      facts({
        phq9: [
          { answeredAt: day(0), total: 16 },
          { answeredAt: day(d), total },
        ],
      });
    expect(reasons(at(56, 8))).not.toContain('under_50_percent_8w'); // exactly 50%
    expect(reasons(at(56, 9))).toContain('under_50_percent_8w'); // 43.75%
    expect(reasons(at(55, 9))).not.toContain('under_50_percent_8w'); // not yet 8 weeks
  });

  it('flags exactly 14 days without activity, not 13', () => {
    expect(reasons(facts({ lastActivityAt: day(86) }), day(100))).toContain('inactive_14d');
    expect(reasons(facts({ lastActivityAt: day(87) }), day(100))).not.toContain('inactive_14d');
  });

  it('flags an invitation unused after exactly 7 days, and never a used one', () => {
    expect(
      reasons(
        facts({ programStatus: 'recommended', invitation: { createdAt: day(93), usedAt: null } }),
        day(100)
      )
    ).toContain('invitation_unused_7d');
    expect(
      reasons(
        facts({ programStatus: 'recommended', invitation: { createdAt: day(94), usedAt: null } }),
        day(100)
      )
    ).not.toContain('invitation_unused_7d');
    expect(reasons(facts({ invitation: { createdAt: day(1), usedAt: day(2) } }), day(100))).not.toContain(
      'invitation_unused_7d'
    );
  });

  it('flags a planned follow-up whose time has passed', () => {
    expect(reasons(facts({ missedFollowUps: [{ id: 'f', plannedAt: day(99) }] }), day(100))).toContain(
      'follow_up_not_held'
    );
    expect(reasons(facts({ missedFollowUps: [{ id: 'f', plannedAt: day(101) }] }), day(100))).not.toContain(
      'follow_up_not_held'
    );
  });

  it('flags an unanswered thread with its age in whole days, and nothing without one', () => {
    const f = facts({
      lastActivityAt: day(99),
      unansweredThreads: [{ threadId: 't1', lastMessageAt: day(98) }],
    });
    const items = worklistItems(f, day(100));
    expect(items.map((i) => i.reason)).toEqual(['unanswered_message']);
    expect(items[0]!.detail).toEqual({ threadId: 't1', days: 2 });
    const justSent = worklistItems(
      facts({ lastActivityAt: day(99), unansweredThreads: [{ threadId: 't1', lastMessageAt: day(100) }] }),
      day(100)
    );
    expect(justSent[0]!.detail.days).toBe(0);
    expect(reasons(facts({ lastActivityAt: day(99), unansweredThreads: [] }))).toEqual([]);
  });

  it('sorts an unanswered message after item 9 and worsening, before treat to target', () => {
    const sorted = sortWorklist([
      { patientId: 'p', reason: 'no_improvement_4w', at: day(1), detail: {} },
      { patientId: 'p', reason: 'unanswered_message', at: day(2), detail: {} },
      { patientId: 'p', reason: 'item9_positive', at: day(3), detail: {} },
    ]);
    expect(sorted.map((i) => i.reason)).toEqual([
      'item9_positive',
      'unanswered_message',
      'no_improvement_4w',
    ]);
  });

  it('puts item 9 first, whatever else is there', () => {
    const items = sortWorklist([
      ...worklistItems(facts({ patientId: 'a', lastActivityAt: day(1) }), day(100)),
      ...worklistItems(
        facts({ patientId: 'b', openItem9Alerts: [{ alertId: 'x', answeredAt: day(99), item9Score: 1 }] }),
        day(100)
      ),
      ...worklistItems(
        facts({
          patientId: 'c',
          phq9: [
            { answeredAt: day(0), total: 5 },
            { answeredAt: day(90), total: 12 },
          ],
        }),
        day(100)
      ),
    ]);
    expect(items.map((i) => `${i.patientId}:${i.reason}`)).toEqual([
      'b:item9_positive',
      'c:phq9_worse',
      'c:under_50_percent_8w',
      'a:inactive_14d',
    ]);
  });
});

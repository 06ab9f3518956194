import { describe, expect, it } from 'vitest';
import { ageGroup, funnelCounts, furthestStage, type ImplementationFacts } from './implementation.js';

const none: ImplementationFacts = {
  recommendedAt: '2026-01-01',
  invitationUsedAt: null,
  startedAt: null,
  module1DoneAt: null,
  firstFollowUpHeldAt: null,
  finishedAt: null,
};

describe('the implementation funnel', () => {
  it('stops at the first stage not reached, even when a later one happened', () => {
    expect(furthestStage(none)).toBe('recommended');
    const selfGuided = {
      ...none,
      invitationUsedAt: '2026-01-02',
      startedAt: '2026-01-02',
      module1DoneAt: '2026-01-09',
      finishedAt: '2026-03-01',
    };
    expect(furthestStage(selfGuided)).toBe('module1_done');
    expect(furthestStage({ ...selfGuided, firstFollowUpHeldAt: '2026-01-15' })).toBe('finished');
  });

  it('counts cumulatively, so it never widens', () => {
    const counts = funnelCounts([
      none,
      { ...none, invitationUsedAt: '2026-01-02', startedAt: '2026-01-02' },
      { ...none, startedAt: '2026-01-02' },
    ]);
    expect(counts).toEqual({
      recommended: 3,
      invitation_used: 1,
      started: 1,
      module1_done: 0,
      first_follow_up_held: 0,
      finished: 0,
    });
  });
});

describe('age groups line up with the registry analyses', () => {
  it('puts each boundary in the upper group', () => {
    expect([18, 29, 30, 49, 50, 69, 70, 95].map(ageGroup)).toEqual([
      '18-29',
      '18-29',
      '30-39',
      '40-49',
      '50-59',
      '60-69',
      '70+',
      '70+',
    ]);
  });
});

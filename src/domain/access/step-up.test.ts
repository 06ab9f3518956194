import { describe, expect, it } from 'vitest';
import { STEP_UP_MAX_AGE_SECONDS, stepUpActionOf, stepUpFresh, stepUpFreshUntil } from './step-up.js';

describe('which actions need a step-up', () => {
  it('makes every state change under /api/admin/ an admin change, declared or not', () => {
    for (const method of ['POST', 'PUT', 'PATCH', 'DELETE'])
      expect(stepUpActionOf({ method, url: '/api/admin/users/:userId/disable' })).toBe('admin_change');
  });

  it('lets admins read without one', () => {
    expect(stepUpActionOf({ method: 'GET', url: '/api/admin/users' })).toBeNull();
    expect(stepUpActionOf({ method: 'GET', url: '/api/admin/audit/verify' })).toBeNull();
  });

  it('takes what a route declares (exports)', () => {
    expect(
      stepUpActionOf({ method: 'GET', url: '/api/research/x/quotations.docx', declared: 'export' })
    ).toBe('export');
    expect(stepUpActionOf({ method: 'POST', url: '/api/research/surveys' })).toBeNull();
  });
});

describe('how fresh', () => {
  const at = new Date('2026-12-05T12:00:00Z');
  it(`is fresh for ${STEP_UP_MAX_AGE_SECONDS / 60} minutes, not a moment longer`, () => {
    expect(stepUpFresh(at, at)).toBe(true);
    expect(stepUpFresh(at, new Date(at.getTime() + STEP_UP_MAX_AGE_SECONDS * 1000 - 1))).toBe(true);
    expect(stepUpFresh(at, new Date(at.getTime() + STEP_UP_MAX_AGE_SECONDS * 1000))).toBe(false);
    expect(stepUpFreshUntil(at).getTime()).toBe(at.getTime() + 600_000);
  });
});

import { describe, expect, it } from 'vitest';
import { decideDashboardAccess } from './outcome-dashboards.js';
import type { Actor } from './policy.js';

const gp: Actor = { userId: 'gp-1', role: 'gp', displayName: 'Dr A', practiceId: 'practice-a' };
const researcher: Actor = { userId: 'r-1', role: 'researcher', displayName: 'R', practiceId: null };

describe('who sees which outcome dashboard', () => {
  it('a GP: their own figures, their practice, and the platform with only their own point picked out', () => {
    expect(decideDashboardAccess(gp, 'own')).toEqual({
      allowed: true,
      filter: { gpUserId: 'gp-1' },
      ownPoint: 'gp-1',
    });
    expect(decideDashboardAccess(gp, 'practice')).toEqual({
      allowed: true,
      filter: { practiceId: 'practice-a' },
      ownPoint: null,
    });
    expect(decideDashboardAccess(gp, 'platform')).toEqual({ allowed: true, filter: 'all', ownPoint: 'gp-1' });
  });

  it('a GP without a practice has no practice figures', () => {
    expect(decideDashboardAccess({ ...gp, practiceId: null }, 'practice')).toEqual({ allowed: false });
  });

  it('a researcher: the platform only, with no GP picked out', () => {
    expect(decideDashboardAccess(researcher, 'platform')).toEqual({
      allowed: true,
      filter: 'all',
      ownPoint: null,
    });
    expect(decideDashboardAccess(researcher, 'own').allowed).toBe(false);
    expect(decideDashboardAccess(researcher, 'practice').allowed).toBe(false);
  });

  it('patients, admins and the user group: nothing', () => {
    for (const role of ['patient', 'admin', 'user_group'] as const) {
      for (const scope of ['own', 'practice', 'platform'] as const) {
        expect(decideDashboardAccess({ ...gp, role }, scope).allowed).toBe(false);
      }
    }
  });
});

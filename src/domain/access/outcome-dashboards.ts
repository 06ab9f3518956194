/**
 * Who sees which outcome dashboard (issue 17): one rule, read by the routes' handlers.
 *
 * - A GP sees their own figures (patients they recommended), their practice's aggregate, and the
 *   platform-wide comparison, in which every other GP is an anonymous point.
 * - A researcher sees the platform-wide figures with every GP as an anonymous point.
 * - Nobody else sees any of them (patients, admins, the user group).
 * No dashboard ever names a GP or lists a patient: aggregates only, small cells suppressed.
 */
import type { Actor } from './policy.js';

export const DASHBOARD_SCOPES = ['own', 'practice', 'platform'] as const;
export type DashboardScope = (typeof DASHBOARD_SCOPES)[number];

export type DashboardDecision =
  | {
      allowed: true;
      /** Whose patients the figures count: one GP, one practice, or everyone. */
      filter: { gpUserId: string } | { practiceId: string } | 'all';
      /** Whether the caller's own GP point may be picked out in the comparison (their own only). */
      ownPoint: string | null;
    }
  | { allowed: false };

export function decideDashboardAccess(actor: Actor, scope: DashboardScope): DashboardDecision {
  if (actor.role === 'gp') {
    if (scope === 'own') return { allowed: true, filter: { gpUserId: actor.userId }, ownPoint: actor.userId };
    if (scope === 'practice')
      return actor.practiceId
        ? { allowed: true, filter: { practiceId: actor.practiceId }, ownPoint: null }
        : { allowed: false };
    return { allowed: true, filter: 'all', ownPoint: actor.userId };
  }
  if (actor.role === 'researcher' && scope === 'platform')
    return { allowed: true, filter: 'all', ownPoint: null };
  return { allowed: false };
}

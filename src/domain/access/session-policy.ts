/**
 * Session lifetimes per role (security-requirements R-B6): an idle timeout and an absolute
 * lifetime, both enforced on the server. Patients' answers are saved as they go, so a timeout
 * loses nothing already submitted.
 */
import type { Role } from './policy.js';

export interface SessionLifetime {
  idleSeconds: number;
  absoluteSeconds: number;
}

const MINUTE = 60;
const HOUR = 60 * MINUTE;

export const SESSION_LIFETIMES: Readonly<Record<Role, SessionLifetime>> = {
  patient: { idleSeconds: 15 * MINUTE, absoluteSeconds: 12 * HOUR },
  gp: { idleSeconds: 30 * MINUTE, absoluteSeconds: 10 * HOUR },
  researcher: { idleSeconds: 15 * MINUTE, absoluteSeconds: 8 * HOUR },
  admin: { idleSeconds: 15 * MINUTE, absoluteSeconds: 8 * HOUR },
  user_group: { idleSeconds: 15 * MINUTE, absoluteSeconds: 8 * HOUR },
  // A guide works like the GP: clinical staff through a working day.
  guide: { idleSeconds: 30 * MINUTE, absoluteSeconds: 10 * HOUR },
};

export type SessionState = 'active' | 'idle_expired' | 'absolute_expired' | 'revoked';

export function sessionState(
  session: { lastSeenAt: Date; idleTimeoutSeconds: number; absoluteExpiresAt: Date; revokedAt: Date | null },
  now: Date
): SessionState {
  if (session.revokedAt) return 'revoked';
  if (now.getTime() >= session.absoluteExpiresAt.getTime()) return 'absolute_expired';
  if (now.getTime() - session.lastSeenAt.getTime() >= session.idleTimeoutSeconds * 1000)
    return 'idle_expired';
  return 'active';
}

/**
 * Per-account backoff after failed logins: free tries first, then a wait that doubles per failure,
 * capped, so an attacker can slow a user down but never lock them out for good (R-B8).
 */
export const LOGIN_FREE_FAILURES = 5;
export const LOGIN_MAX_BACKOFF_SECONDS = 15 * MINUTE;

export function loginBackoffSeconds(consecutiveFailures: number): number {
  if (consecutiveFailures < LOGIN_FREE_FAILURES) return 0;
  return Math.min(2 ** (consecutiveFailures - LOGIN_FREE_FAILURES), LOGIN_MAX_BACKOFF_SECONDS);
}

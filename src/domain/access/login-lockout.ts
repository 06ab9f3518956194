/**
 * Brute-force protection that strangers cannot turn against the real user (issue 10, item 3),
 * after OWASP's "Slow Down Online Guessing Attacks with Device Cookies". A browser that has
 * logged in to an account before carries a signed device cookie for that account; wrong passwords
 * from it lock out only that device. Wrong passwords from anywhere else (no valid device cookie)
 * lock out untrusted clients for the account, and the real user's own browser is not held by that.
 * Both lockouts back off exponentially after five failures, capped at 15 minutes (R-B8).
 */
import { loginBackoffSeconds } from './session-policy.js';

export type LoginGate =
  { allowed: true } | { allowed: false; lockedOut: 'this_device' | 'new_devices'; retryAfterSeconds: number };

/**
 * May this attempt go ahead? A trusted device (a valid device cookie for this username) is held
 * only by its own lockout; any other client by the account's lockout for untrusted clients.
 */
export function loginGate(facts: {
  trustedDevice: boolean;
  deviceLockedUntil: Date | null;
  untrustedLockedUntil: Date | null;
  now: Date;
}): LoginGate {
  const until = facts.trustedDevice ? facts.deviceLockedUntil : facts.untrustedLockedUntil;
  if (until && until.getTime() > facts.now.getTime()) {
    return {
      allowed: false,
      lockedOut: facts.trustedDevice ? 'this_device' : 'new_devices',
      retryAfterSeconds: Math.ceil((until.getTime() - facts.now.getTime()) / 1000),
    };
  }
  return { allowed: true };
}

/** The lockout after one more failure: failures so far and until when. */
export function afterFailedLogin(
  previousFailures: number,
  now: Date
): { failures: number; lockedUntil: Date } {
  const failures = previousFailures + 1;
  return { failures, lockedUntil: new Date(now.getTime() + loginBackoffSeconds(failures) * 1000) };
}

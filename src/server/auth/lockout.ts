/**
 * The login lockouts as the password login and the second factor share them: one set of counters
 * per username and browser (domain/access/login-lockout.ts), so a wrong code from the
 * authenticator app counts exactly as a wrong password does.
 */
import type { Kysely, Transaction } from 'kysely';
import { afterFailedLogin, loginGate, type LoginGate } from '../../domain/access/login-lockout.js';
import type { Database } from '../../db/schema.js';

/** What the lockouts know of one username and browser (domain/access/login-lockout.ts). */
export interface LockoutState {
  username: string;
  /** The trusted-device nonce hash of this browser for this username, or null (untrusted). */
  deviceHash: string | null;
  deviceFailures: number;
  deviceLockedUntil: Date | null;
  throttleFailures: number;
  throttleLockedUntil: Date | null;
}

export async function readLockout(
  db: Kysely<Database>,
  username: string,
  deviceHash: string | null
): Promise<LockoutState> {
  const [throttle, device] = await Promise.all([
    db
      .selectFrom('login_throttle')
      .select(['failures', 'next_allowed_at'])
      .where('username', '=', username)
      .executeTakeFirst(),
    deviceHash
      ? db
          .selectFrom('login_devices')
          .select(['failures', 'locked_until'])
          .where('nonce_hash', '=', deviceHash)
          .executeTakeFirst()
      : Promise.resolve(undefined),
  ]);
  return {
    username,
    deviceHash,
    deviceFailures: device?.failures ?? 0,
    deviceLockedUntil: device?.locked_until ? new Date(device.locked_until) : null,
    throttleFailures: throttle?.failures ?? 0,
    throttleLockedUntil: throttle ? new Date(throttle.next_allowed_at) : null,
  };
}

export function lockoutGate(state: LockoutState, now: Date): LoginGate {
  return loginGate({
    trustedDevice: state.deviceHash !== null,
    deviceLockedUntil: state.deviceLockedUntil,
    untrustedLockedUntil: state.throttleLockedUntil,
    now,
  });
}

/**
 * Records one attempt against the lockouts: a failure backs off, a success clears them, and a
 * neutral outcome (a right password whose second factor is still to come) changes nothing, so a
 * right password cannot clear the failures of the codes guessed after it. Failures from a trusted
 * device count against that device only; anywhere else against the account's untrusted clients.
 */
export async function recordLockout(
  trx: Transaction<Database>,
  state: LockoutState,
  outcome: 'success' | 'failure' | 'neutral',
  now: Date
): Promise<void> {
  if (outcome === 'neutral') return;
  const success = outcome === 'success';
  if (state.deviceHash) {
    const next = success ? { failures: 0, lockedUntil: null } : afterFailedLogin(state.deviceFailures, now);
    await trx
      .insertInto('login_devices')
      .values({
        nonce_hash: state.deviceHash,
        username: state.username,
        failures: next.failures,
        locked_until: next.lockedUntil,
        last_used_at: now,
      })
      .onConflict((oc) =>
        oc.column('nonce_hash').doUpdateSet({
          failures: next.failures,
          locked_until: next.lockedUntil,
          last_used_at: now,
        })
      )
      .execute();
  } else if (success) {
    await trx.deleteFrom('login_throttle').where('username', '=', state.username).execute();
  } else {
    const { failures, lockedUntil } = afterFailedLogin(state.throttleFailures, now);
    await trx
      .insertInto('login_throttle')
      .values({ username: state.username, failures, next_allowed_at: lockedUntil })
      .onConflict((oc) => oc.column('username').doUpdateSet({ failures, next_allowed_at: lockedUntil }))
      .execute();
  }
}

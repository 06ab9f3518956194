/**
 * A right password of a staff user with a second factor: not a session, a pending login. It lives
 * in the database (any instance can finish it), bound to the browser by the hash of a random
 * cookie, for PENDING_LOGIN_SECONDS and PENDING_LOGIN_MAX_ATTEMPTS tries. Nothing but the
 * second-factor endpoints reads that cookie, so no other route can be reached with it.
 */
import { randomBytes } from 'node:crypto';
import type { Kysely, Transaction } from 'kysely';
import { PENDING_LOGIN_SECONDS, type SecondFactorKind } from '../../domain/access/second-factor.js';
import type { Database } from '../../db/schema.js';
import { hashToken } from './sessions.js';

export const PENDING_LOGIN_COOKIE = '__Host-gpdep_pending_login';

/** The kinds of the user's confirmed factors (each kind once). */
export async function confirmedFactorKinds(
  db: Kysely<Database> | Transaction<Database>,
  userId: string
): Promise<SecondFactorKind[]> {
  const rows = await db
    .selectFrom('second_factors')
    .select('kind')
    .distinct()
    .where('user_id', '=', userId)
    .where('confirmed_at', 'is not', null)
    .orderBy('kind', 'desc')
    .execute();
  return rows.map((r) => r.kind);
}

/** Stores a pending login; returns the cookie's value (only its hash is stored). */
export async function startPendingLogin(
  trx: Transaction<Database>,
  args: { userId: string; username: string; deviceHash: string | null; now: Date }
): Promise<string> {
  const cookie = randomBytes(32).toString('base64url');
  await trx
    .insertInto('pending_logins')
    .values({
      cookie_hash: hashToken(cookie),
      user_id: args.userId,
      username: args.username,
      device_nonce_hash: args.deviceHash,
      created_at: args.now,
      expires_at: new Date(args.now.getTime() + PENDING_LOGIN_SECONDS * 1000),
    })
    .execute();
  // Old ones go as new ones come (nothing else reads them).
  await trx.deleteFrom('pending_logins').where('expires_at', '<', args.now).execute();
  return cookie;
}

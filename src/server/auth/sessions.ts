/**
 * Server-side sessions: the cookie holds a 256-bit random token; the database holds only its
 * SHA-256. The CSRF token is an HMAC of the session, so it needs no storage and dies with it.
 */
import { createHash, createHmac, randomBytes, timingSafeEqual } from 'node:crypto';
import type { Kysely } from 'kysely';
import type { Actor, Role } from '../../domain/access/policy.js';
import { SESSION_LIFETIMES, sessionState } from '../../domain/access/session-policy.js';
import type { Database } from '../../db/schema.js';

export const SESSION_COOKIE = '__Host-gpdep_session';

export function hashToken(token: string): string {
  return createHash('sha256').update(token).digest('hex');
}

export function csrfTokenFor(csrfKey: Buffer, tokenHash: string): string {
  return createHmac('sha256', csrfKey).update(tokenHash).digest('base64url');
}

export function csrfTokenMatches(expected: string, given: string | undefined): boolean {
  if (!given) return false;
  const a = Buffer.from(expected);
  const b = Buffer.from(given);
  return a.length === b.length && timingSafeEqual(a, b);
}

/** SameSite=Lax for patients (they arrive from reminder links); Strict for everyone else. */
export function cookieSameSite(role: Role): 'lax' | 'strict' {
  return role === 'patient' ? 'lax' : 'strict';
}

export async function createSession(
  db: Kysely<Database>,
  user: { id: string; role: Role },
  now: Date,
  options: { enrolmentRequired?: boolean } = {}
): Promise<{ token: string; tokenHash: string }> {
  const token = randomBytes(32).toString('base64url');
  const tokenHash = hashToken(token);
  const lifetime = SESSION_LIFETIMES[user.role];
  await db
    .insertInto('sessions')
    .values({
      token_hash: tokenHash,
      user_id: user.id,
      created_at: now,
      last_seen_at: now,
      idle_timeout_seconds: lifetime.idleSeconds,
      absolute_expires_at: new Date(now.getTime() + lifetime.absoluteSeconds * 1000),
      ...(options.enrolmentRequired ? { enrolment_required: true } : {}),
    })
    .execute();
  return { token, tokenHash };
}

/** Only refresh last_seen_at once a minute, so reads do not all turn into writes. */
const TOUCH_INTERVAL_MS = 60_000;

export async function resolveSession(
  db: Kysely<Database>,
  token: string,
  now: Date
): Promise<{
  actor: Actor;
  tokenHash: string;
  /** When the user last proved who they are: the login, or a later step-up. */
  authenticatedAt: Date;
  enrolmentRequired: boolean;
} | null> {
  const tokenHash = hashToken(token);
  const row = await db
    .selectFrom('sessions')
    .innerJoin('users', 'users.id', 'sessions.user_id')
    .select([
      'sessions.last_seen_at',
      'sessions.idle_timeout_seconds',
      'sessions.absolute_expires_at',
      'sessions.revoked_at',
      'sessions.created_at',
      'sessions.reauthenticated_at',
      'sessions.enrolment_required',
      'users.id as user_id',
      'users.role',
      'users.display_name',
      'users.practice_id',
      'users.disabled_at',
    ])
    .where('sessions.token_hash', '=', tokenHash)
    .executeTakeFirst();
  if (!row) return null;
  const state = sessionState(
    {
      lastSeenAt: new Date(row.last_seen_at),
      idleTimeoutSeconds: row.idle_timeout_seconds,
      absoluteExpiresAt: new Date(row.absolute_expires_at),
      revokedAt: row.revoked_at ? new Date(row.revoked_at) : null,
    },
    now
  );
  if (state !== 'active' || row.disabled_at) {
    if (state !== 'revoked') await revokeSession(db, tokenHash, now);
    return null;
  }
  if (now.getTime() - new Date(row.last_seen_at).getTime() > TOUCH_INTERVAL_MS) {
    await db.updateTable('sessions').set({ last_seen_at: now }).where('token_hash', '=', tokenHash).execute();
  }
  return {
    tokenHash,
    authenticatedAt: new Date(row.reauthenticated_at ?? row.created_at),
    enrolmentRequired: row.enrolment_required,
    actor: {
      userId: row.user_id,
      role: row.role,
      displayName: row.display_name,
      practiceId: row.practice_id,
    },
  };
}

export async function revokeSession(db: Kysely<Database>, tokenHash: string, now: Date): Promise<void> {
  await db
    .updateTable('sessions')
    .set({ revoked_at: now })
    .where('token_hash', '=', tokenHash)
    .where('revoked_at', 'is', null)
    .execute();
}

export async function revokeUserSessions(db: Kysely<Database>, userId: string, now: Date): Promise<void> {
  await db
    .updateTable('sessions')
    .set({ revoked_at: now })
    .where('user_id', '=', userId)
    .where('revoked_at', 'is', null)
    .execute();
}

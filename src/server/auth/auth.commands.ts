/**
 * Logging in and out (issue 12 §1). Login has no actor yet, so it cannot take a request's data
 * context: it takes its dependencies explicitly (`authDeps(app)`) and appends its audit event
 * through `withAuditedTransaction`, the one audit entry point. The route keeps the HTTP part:
 * cookies, the Retry-After header, the status codes.
 */
import type { FastifyInstance } from 'fastify';
import type { Kysely } from 'kysely';
import { LOGIN_PROBLEM, type SessionUser } from '../../contract/auth.js';
import { passwordLoginAllowed, type PasswordLoginPolicy } from '../../domain/access/password-login.js';
import type { Role } from '../../domain/access/policy.js';
import {
  afterPassword,
  type SecondFactorKind,
  type SecondFactorPolicy,
} from '../../domain/access/second-factor.js';
import type { Database } from '../../db/schema.js';
import type { DataContext } from '../access/data-context.js';
import { withAuditedTransaction } from '../audit/audit-log.js';
import type { ServerSecrets } from '../context.js';
import { HttpProblem } from '../problem.js';
import { loadSessionUser } from './auth.queries.js';
import { lockoutGate, readLockout, recordLockout } from './lockout.js';
import { confirmedFactorKinds, startPendingLogin } from './pending-login.js';
import { issueDeviceCookie, trustedDeviceNonceHash } from './device-cookie.js';
import { dummyPasswordHash, verifyPassword } from './passwords.js';
import { createSession, csrfTokenFor, revokeSession } from './sessions.js';

/** What logging in needs from the application: the database, the keys, one clock reading. */
export interface AuthDeps {
  db: Kysely<Database>;
  secrets: ServerSecrets;
  now: Date;
}

export function authDeps(app: FastifyInstance): AuthDeps {
  return { db: app.db, secrets: app.secrets, now: app.now() };
}

export type LoginOutcome =
  | { kind: 'locked'; lockedOut: 'this_device' | 'new_devices'; retryAfterSeconds: number }
  | { kind: 'failed' }
  /** The password was right, but this role may not log in with a password here (PASSWORD_LOGIN). */
  | { kind: 'password_login_off'; role: Role }
  | {
      kind: 'ok';
      user: SessionUser;
      role: Role;
      /** The new session's token (the cookie's value) and its CSRF token. */
      token: string;
      csrfToken: string;
      /** A fresh device cookie: this browser is trusted for this account from now on. */
      deviceCookie: string;
      /** The policy demands a second factor and the user has none: only enrolment is open. */
      enrolmentRequired: boolean;
    }
  /** The password was right; no session until the second factor (the pending login's cookie). */
  | { kind: 'second_factor'; pendingCookie: string; methods: SecondFactorKind[] };

/**
 * Checks the lockouts, the password, and records the attempt (device or account throttle, and the
 * audit event) in one transaction. On success the earlier session of this browser is revoked and a
 * new one created: a cookie planted before login is never promoted (fixation). Staff with a second
 * factor get no session yet: a pending login that waits for the factor (second-factor.ts).
 */
export async function login(
  deps: AuthDeps,
  args: {
    username: string;
    password: string;
    deviceCookie: string | undefined;
    priorSessionTokenHash: string | null;
    requestId: string;
    /** Who may use a password at all (domain/access/password-login.ts); default everyone. */
    passwordPolicy?: PasswordLoginPolicy;
    /** Whether staff must have a second factor (domain/access/second-factor.ts); default optional. */
    secondFactorPolicy?: SecondFactorPolicy;
  }
): Promise<LoginOutcome> {
  const { db, secrets, now } = deps;
  const username = args.username.trim().toLowerCase();
  // A browser that has logged in to this account before is held only by its own lockout
  // (domain/access/login-lockout.ts); strangers' failures cannot lock the real user out.
  const deviceHash = trustedDeviceNonceHash(secrets.csrfKey, username, args.deviceCookie);
  const lockout = await readLockout(db, username, deviceHash);
  const gate = lockoutGate(lockout, now);
  if (!gate.allowed)
    return { kind: 'locked', lockedOut: gate.lockedOut, retryAfterSeconds: gate.retryAfterSeconds };
  const user = await db
    .selectFrom('users')
    .select(['id', 'role', 'display_name', 'practice_id', 'password_hash', 'disabled_at'])
    .where('username', '=', username)
    .executeTakeFirst();
  // Always verify one hash, so an unknown username takes as long as a wrong password.
  const passwordOk = await verifyPassword(user?.password_hash ?? (await dummyPasswordHash()), args.password);
  const credentialsOk = Boolean(user && user.password_hash && !user.disabled_at && passwordOk);
  // Checked after the password, so the answer says nothing about an account to someone without it.
  const switchedOff = credentialsOk && !passwordLoginAllowed(args.passwordPolicy ?? 'all', user!.role);
  const success = credentialsOk && !switchedOff;
  const factors = success ? await confirmedFactorKinds(db, user!.id) : [];
  const next = success
    ? afterPassword({
        role: user!.role,
        policy: args.secondFactorPolicy ?? 'optional',
        confirmedFactors: factors.length,
      })
    : null;

  const pendingCookie = await withAuditedTransaction(db, secrets.auditKey, now, async (trx, record) => {
    await recordLockout(
      trx,
      lockout,
      !success ? 'failure' : next === 'second_factor' ? 'neutral' : 'success',
      now
    );
    const event = {
      actorUserId: user?.id ?? null,
      actorRole: user?.role ?? 'anonymous',
      actorName: user?.display_name ?? 'unknown user',
      actorPracticeId: user?.practice_id ?? null,
      patientId: null,
      action: 'login',
      dataCategory: switchedOff ? 'password login switched off' : 'session',
      accessBasis: deviceHash ? 'password+device' : 'password',
      outcome: success ? 'allowed' : 'failed',
      requestId: args.requestId,
    } as const;
    if (next !== 'second_factor') {
      record([event]);
      return null;
    }
    // The right password of a user with a factor: no session, a pending login for the factor.
    record([{ ...event, dataCategory: 'second factor', accessBasis: 'password (second factor next)' }]);
    return startPendingLogin(trx, { userId: user!.id, username, deviceHash, now });
  });
  if (switchedOff) return { kind: 'password_login_off', role: user!.role };
  if (!success || !user) return { kind: 'failed' };
  if (args.priorSessionTokenHash) await revokeSession(db, args.priorSessionTokenHash, now);
  if (pendingCookie) return { kind: 'second_factor', pendingCookie, methods: factors };
  const deviceCookie = issueDeviceCookie(secrets.csrfKey, username);
  const { token, tokenHash } = await createSession(db, { id: user.id, role: user.role }, now, {
    enrolmentRequired: next === 'enrol_first',
  });
  return {
    kind: 'ok',
    user: await loadSessionUser(db, user.id),
    role: user.role,
    token,
    csrfToken: csrfTokenFor(secrets.csrfKey, tokenHash),
    deviceCookie,
    enrolmentRequired: next === 'enrol_first',
  };
}

/** Ends this session and logs the logout. */
export async function logout(ctx: DataContext, tokenHash: string): Promise<void> {
  await revokeSession(ctx.db, tokenHash, ctx.now);
  await ctx.withAudit(async (_trx, audit) =>
    audit({ action: 'logout', dataCategory: 'session', patientIds: [null], basis: 'role' })
  );
}

/** The problem a locked-out login answers with (the login page words it by its type). */
export function lockedOutProblem(
  kind: 'this_device' | 'new_devices',
  retryAfterSeconds: number
): HttpProblem {
  const minutes = Math.max(1, Math.ceil(retryAfterSeconds / 60));
  const problem = new HttpProblem(
    429,
    'Too Many Requests',
    kind === 'new_devices'
      ? `Too many wrong passwords have been tried for this account from devices it has not been used on before. Try again in ${minutes} minute(s). On a device where you have logged in before, you can log in now.`
      : `Too many wrong passwords have been tried on this device. Try again in ${minutes} minute(s).`
  );
  problem.type = kind === 'new_devices' ? LOGIN_PROBLEM.newDevicesLocked : LOGIN_PROBLEM.thisDeviceLocked;
  return problem;
}

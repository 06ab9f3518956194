/**
 * A staff user logging in on the command line (`npm run platform:extract -- --as USERNAME`): the
 * same login as the web's (auth.commands.ts login, then second-factor.ts finishSecondFactorLogin
 * with a TOTP or recovery code for a user who has a factor), so the lockouts, the password policy,
 * the second-factor policy and the login's audit lines all apply. The session it gets is used for
 * nothing but the command's DataContext and is revoked when the command ends.
 */
import type { Kysely } from 'kysely';
import type { PasswordLoginPolicy } from '../../domain/access/password-login.js';
import type { Actor, Role } from '../../domain/access/policy.js';
import type { SecondFactorPolicy } from '../../domain/access/second-factor.js';
import type { Database } from '../../db/schema.js';
import type { DataContext } from '../access/data-context.js';
import { eventsFor, withAuditedTransaction, type AuditWhat, type NewAuditEvent } from '../audit/audit-log.js';
import type { ServerSecrets } from '../context.js';
import { login } from './auth.commands.js';
import { finishSecondFactorLogin, type SecondFactorConfig } from './second-factor.js';
import { hashToken, revokeSession } from './sessions.js';

export class CommandLineLoginError extends Error {
  override name = 'CommandLineLoginError';
}

export interface CommandLineSession {
  ctx: DataContext;
  /** Ends the session (logout); call when the command is done. */
  close(): Promise<void>;
}

/** A DataContext for work done on the command line as `actor`: audit lines in the actor's name. */
export function commandLineContext(
  db: Kysely<Database>,
  auditKey: Buffer,
  actor: Actor,
  now: Date,
  requestId: string
): DataContext {
  const toEvents = (what: AuditWhat): NewAuditEvent[] => eventsFor(actor, what, 'role', requestId);
  return {
    actor,
    now,
    patientAccess: null,
    db,
    requestId,
    withAudit: (work) =>
      withAuditedTransaction(db, auditKey, now, (trx, record) => work(trx, (what) => record(toEvents(what)))),
    recordRead: (what) =>
      withAuditedTransaction(db, auditKey, now, async (_trx, record) => record(toEvents(what))),
  };
}

/**
 * Logs `username` in with `password` (and, if the user has a second factor, the code `askCode`
 * gives: a TOTP code or a recovery code) and returns a context for that user, who must have `role`.
 */
export async function loginOnCommandLine(args: {
  db: Kysely<Database>;
  secrets: ServerSecrets;
  secondFactor: SecondFactorConfig;
  passwordPolicy: PasswordLoginPolicy;
  secondFactorPolicy: SecondFactorPolicy;
  username: string;
  password: string;
  askCode: () => Promise<string>;
  role: Role;
  requestId: string;
  now?: Date;
}): Promise<CommandLineSession> {
  const now = args.now ?? new Date();
  const deps = { db: args.db, secrets: args.secrets, now };
  const first = await login(deps, {
    username: args.username,
    password: args.password,
    deviceCookie: undefined,
    priorSessionTokenHash: null,
    requestId: args.requestId,
    passwordPolicy: args.passwordPolicy,
    secondFactorPolicy: args.secondFactorPolicy,
  });
  let outcome:
    | { token: string; role: Role; user: { id: string; displayName: string; practiceId?: string | null } }
    | undefined;
  if (first.kind === 'locked')
    throw new CommandLineLoginError(`Too many failed logins: try again in ${first.retryAfterSeconds} s.`);
  if (first.kind === 'failed') throw new CommandLineLoginError('The username or password is not right.');
  if (first.kind === 'password_login_off')
    throw new CommandLineLoginError('Password login is switched off for this role (PASSWORD_LOGIN).');
  if (first.kind === 'ok') {
    if (first.enrolmentRequired) {
      await revokeSession(args.db, hashToken(first.token), now);
      throw new CommandLineLoginError('This user must set up a second factor in the web app first.');
    }
    outcome = first;
  } else {
    const code = (await args.askCode()).trim();
    const method = /^\d{6}$/.test(code) ? 'totp' : 'recovery';
    const second = await finishSecondFactorLogin(deps, args.secondFactor, {
      cookie: first.pendingCookie,
      body: { method, code },
      requestId: args.requestId,
    });
    if (second.kind !== 'ok')
      throw new CommandLineLoginError(
        second.kind === 'locked'
          ? `Too many failed logins: try again in ${second.retryAfterSeconds} s.`
          : 'The second-factor code is not right.'
      );
    outcome = second;
  }
  const tokenHash = hashToken(outcome.token);
  if (outcome.role !== args.role) {
    await revokeSession(args.db, tokenHash, now);
    throw new CommandLineLoginError(`${args.username} is not a ${args.role}.`);
  }
  const user = await args.db
    .selectFrom('users')
    .select(['id', 'display_name', 'practice_id', 'role'])
    .where('id', '=', outcome.user.id)
    .executeTakeFirstOrThrow();
  const actor: Actor = {
    userId: user.id,
    role: user.role,
    displayName: user.display_name,
    practiceId: user.practice_id,
  };
  return {
    ctx: commandLineContext(args.db, args.secrets.auditKey, actor, now, args.requestId),
    close: () => revokeSession(args.db, tokenHash, new Date()),
  };
}

/**
 * Second factors for staff (issue 16): enrolling a TOTP authenticator or a passkey, recovery
 * codes, proving a factor to finish a password login, and step-up re-authentication. The rules
 * are in domain/access/second-factor.ts and step-up.ts; this file keeps the secrets and the
 * database in step with them:
 *
 * - a TOTP secret is generated here, shown once, and stored sealed (factor-crypto.ts); a code is
 *   checked with otplib at the server's clock, ±1 step, and the step it matched is recorded in
 *   the same statement that accepts it, so the same code never works twice (replay);
 * - a passkey is checked with @simplewebauthn/server against a challenge stored in the database,
 *   bound to the pending login or session that asked for it, used once, 5 minutes at most;
 * - recovery codes are stored as hashes and consumed by the statement that accepts them;
 * - every wrong code counts against the login lockouts (lockout.ts) as a wrong password does.
 *
 * Every enrolment, removal, success and failure is written to the audit log.
 */
import { randomUUID } from 'node:crypto';
import {
  generateAuthenticationOptions,
  generateRegistrationOptions,
  verifyAuthenticationResponse,
  verifyRegistrationResponse,
} from '@simplewebauthn/server';
import type { AuthenticatorTransportFuture, RegistrationResponseJSON } from '@simplewebauthn/server';
import type { Kysely, Transaction } from 'kysely';
import { generateSecret, generateURI, verify as verifyTotpCode } from 'otplib';
import type {
  PasskeyRegisterBody,
  ProveBody,
  SecondFactorList,
  SecondFactorSummary,
} from '../../contract/second-factor.js';
import { SECOND_FACTOR_PROBLEM } from '../../contract/second-factor.js';
import type { SessionUser } from '../../contract/auth.js';
import type { Role } from '../../domain/access/policy.js';
import {
  mayRemoveFactor,
  PENDING_LOGIN_MAX_ATTEMPTS,
  RECOVERY_CODE_COUNT,
  TOTP_PERIOD_SECONDS,
  TOTP_SKEW_STEPS,
  totpStepAccepted,
  type SecondFactorPolicy,
} from '../../domain/access/second-factor.js';
import { stepUpFresh, stepUpFreshUntil } from '../../domain/access/step-up.js';
import type { Database } from '../../db/schema.js';
import type { DataContext } from '../access/data-context.js';
import { withAuditedTransaction } from '../audit/audit-log.js';
import type { ServerSecrets } from '../context.js';
import { badRequest, HttpProblem, notFound } from '../problem.js';
import type { AuthDeps } from './auth.commands.js';
import { loadSessionUser } from './auth.queries.js';
import { issueDeviceCookie, trustedDeviceNonceHash } from './device-cookie.js';
import { factorKeyOf, hashRecoveryCode, newRecoveryCode, openSecret, sealSecret } from './factor-crypto.js';
import { lockoutGate, readLockout, recordLockout } from './lockout.js';
import { verifyPassword } from './passwords.js';
import { confirmedFactorKinds } from './pending-login.js';
import { createSession, csrfTokenFor, hashToken } from './sessions.js';

/** How this server runs second factors: the policy, and who it is to WebAuthn. */
export interface SecondFactorConfig {
  policy: SecondFactorPolicy;
  /** The WebAuthn relying party id: the site's host name (WEBAUTHN_RP_ID, or PUBLIC_URL's host). */
  rpId: string;
  /** The origins a passkey's answer may come from (PUBLIC_URL's origin). */
  origins: string[];
  /** The name an authenticator app and a passkey prompt show. */
  rpName: string;
}

export function secondFactorConfigFor(
  publicUrl: string,
  options: { policy?: SecondFactorPolicy; rpId?: string | undefined } = {}
): SecondFactorConfig {
  const url = new URL(publicUrl);
  return {
    policy: options.policy ?? 'optional',
    rpId: options.rpId ?? url.hostname,
    origins: [url.origin],
    rpName: 'GP-DEP',
  };
}

const CHALLENGE_SECONDS = 5 * 60;
type Db = Kysely<Database> | Transaction<Database>;
type Method = ProveBody['method'];

/** Each way of proving it, as the audit log names it. */
const METHOD_BASIS = {
  totp: { basis: 'totp' },
  recovery: { basis: 'recovery code' },
  passkey: { basis: 'passkey' },
  password: { basis: 'password' },
} as const satisfies Record<Method, { basis: string }>;

function wrongCode(detail: string, field: string | null = null): HttpProblem {
  const problem = field
    ? badRequest([{ field, reason: detail }])
    : new HttpProblem(401, 'Unauthorized', detail);
  problem.type = SECOND_FACTOR_PROBLEM.wrongCode;
  return problem;
}

// ---------------------------------------------------------------------------------------------
// Proving a factor

/** A TOTP code against the user's confirmed authenticators; the factor's id when one accepts it. */
async function acceptTotp(db: Db, key: Buffer, userId: string, typed: string, now: Date) {
  const code = typed.replace(/\s/g, '');
  if (!/^\d{6}$/.test(code)) return null;
  const factors = await db
    .selectFrom('second_factors')
    .select(['id', 'totp_secret_sealed', 'totp_last_step'])
    .where('user_id', '=', userId)
    .where('kind', '=', 'totp')
    .where('confirmed_at', 'is not', null)
    .execute();
  for (const factor of factors) {
    const accepted = await acceptTotpFor(db, key, factor, code, now);
    if (accepted) return factor.id;
  }
  return null;
}

async function acceptTotpFor(
  db: Db,
  key: Buffer,
  factor: { id: string; totp_secret_sealed: string | null; totp_last_step: string | number | bigint | null },
  code: string,
  now: Date
): Promise<boolean> {
  const last = factor.totp_last_step === null ? null : Number(factor.totp_last_step);
  const result = await verifyTotpCode({
    secret: openSecret(key, factor.id, factor.totp_secret_sealed!),
    token: code,
    epoch: Math.floor(now.getTime() / 1000),
    period: TOTP_PERIOD_SECONDS,
    epochTolerance: TOTP_SKEW_STEPS * TOTP_PERIOD_SECONDS,
    ...(last === null ? {} : { afterTimeStep: last }),
  });
  if (!result.valid || !('timeStep' in result)) return false;
  const step = result.timeStep;
  if (!totpStepAccepted(step, now, last)) return false;
  // The step is recorded by the statement that accepts it: two requests with one code, one wins.
  const claimed = await db
    .updateTable('second_factors')
    .set({ totp_last_step: step, last_used_at: now })
    .where('id', '=', factor.id)
    .where((eb) => eb.or([eb('totp_last_step', 'is', null), eb('totp_last_step', '<', step)]))
    .returning('id')
    .executeTakeFirst();
  return Boolean(claimed);
}

async function acceptRecoveryCode(db: Db, userId: string, typed: string, now: Date): Promise<boolean> {
  const used = await db
    .updateTable('recovery_codes')
    .set({ used_at: now })
    .where('user_id', '=', userId)
    .where('code_hash', '=', hashRecoveryCode(typed))
    .where('used_at', 'is', null)
    .returning('id')
    .executeTakeFirst();
  return Boolean(used);
}

/** The challenge a WebAuthn answer signed, read from its clientDataJSON (checked again by the library). */
function challengeOf(clientDataJSON: string): string | null {
  try {
    const data = JSON.parse(Buffer.from(clientDataJSON, 'base64url').toString('utf8')) as {
      challenge?: unknown;
    };
    return typeof data.challenge === 'string' ? data.challenge : null;
  } catch {
    return null;
  }
}

/** Takes a stored challenge for use, once: it must be this one's, for this purpose, unexpired. */
async function claimChallenge(
  db: Db,
  args: {
    challenge: string | null;
    purpose: 'register' | 'login' | 'step_up';
    userId: string;
    boundTo: string;
    now: Date;
  }
): Promise<boolean> {
  if (!args.challenge) return false;
  const claimed = await db
    .updateTable('webauthn_challenges')
    .set({ used_at: args.now })
    .where('challenge', '=', args.challenge)
    .where('purpose', '=', args.purpose)
    .where('user_id', '=', args.userId)
    .where('bound_to', '=', args.boundTo)
    .where('used_at', 'is', null)
    .where('expires_at', '>', args.now)
    .returning('challenge')
    .executeTakeFirst();
  return Boolean(claimed);
}

async function storeChallenge(
  db: Db,
  args: {
    challenge: string;
    purpose: 'register' | 'login' | 'step_up';
    userId: string;
    boundTo: string;
    now: Date;
  }
): Promise<void> {
  await db
    .insertInto('webauthn_challenges')
    .values({
      challenge: args.challenge,
      purpose: args.purpose,
      user_id: args.userId,
      bound_to: args.boundTo,
      created_at: args.now,
      expires_at: new Date(args.now.getTime() + CHALLENGE_SECONDS * 1000),
    })
    .execute();
  await db.deleteFrom('webauthn_challenges').where('expires_at', '<', args.now).execute();
}

async function acceptPasskey(
  db: Db,
  config: SecondFactorConfig,
  args: {
    userId: string;
    response: NonNullable<ProveBody['response']>;
    purpose: 'login' | 'step_up';
    boundTo: string;
    now: Date;
  }
): Promise<string | null> {
  const challenge = challengeOf(args.response.response.clientDataJSON);
  if (!(await claimChallenge(db, { ...args, challenge }))) return null;
  const factor = await db
    .selectFrom('second_factors')
    .select(['id', 'credential_id', 'public_key', 'sign_count', 'transports'])
    .where('user_id', '=', args.userId)
    .where('kind', '=', 'passkey')
    .where('credential_id', '=', args.response.id)
    .where('confirmed_at', 'is not', null)
    .executeTakeFirst();
  if (!factor) return null;
  try {
    const result = await verifyAuthenticationResponse({
      response: args.response,
      expectedChallenge: challenge!,
      expectedOrigin: config.origins,
      expectedRPID: config.rpId,
      credential: {
        id: factor.credential_id!,
        publicKey: new Uint8Array(Buffer.from(factor.public_key!, 'base64url')),
        counter: Number(factor.sign_count),
        transports: factor.transports as AuthenticatorTransportFuture[],
      },
      requireUserVerification: false,
    });
    if (!result.verified) return null;
    await db
      .updateTable('second_factors')
      .set({ sign_count: result.authenticationInfo.newCounter, last_used_at: args.now })
      .where('id', '=', factor.id)
      .execute();
    return factor.id;
  } catch {
    // A wrong signature, origin, RP id or counter: the answer is simply not accepted.
    return null;
  }
}

type Proven = { ok: true; method: Method } | { ok: false; method: Method };

/** Checks one proof of a user's factor (or, where allowed, the password). */
async function prove(
  db: Db,
  secrets: ServerSecrets,
  config: SecondFactorConfig,
  args: {
    userId: string;
    body: ProveBody;
    purpose: 'login' | 'step_up';
    boundTo: string;
    now: Date;
    /** The password hash, when the password is an allowed proof (step-up without factors). */
    passwordHash: string | null;
  }
): Promise<Proven> {
  const { body, userId, now } = args;
  const method = body.method;
  switch (method) {
    case 'totp':
      return {
        ok: Boolean(body.code && (await acceptTotp(db, factorKeyOf(secrets), userId, body.code, now))),
        method,
      };
    case 'recovery':
      return { ok: Boolean(body.code && (await acceptRecoveryCode(db, userId, body.code, now))), method };
    case 'passkey':
      return {
        ok: Boolean(body.response && (await acceptPasskey(db, config, { ...args, response: body.response }))),
        method,
      };
    case 'password':
      return {
        ok: Boolean(
          args.passwordHash && body.password && (await verifyPassword(args.passwordHash, body.password))
        ),
        method,
      };
  }
}

// ---------------------------------------------------------------------------------------------
// Finishing a password login

export type SecondFactorLoginOutcome =
  | { kind: 'expired' }
  | { kind: 'locked'; lockedOut: 'this_device' | 'new_devices'; retryAfterSeconds: number }
  | { kind: 'failed'; attemptsLeft: number }
  | {
      kind: 'ok';
      user: SessionUser;
      role: Role;
      token: string;
      csrfToken: string;
      deviceCookie: string;
    };

async function pendingLoginOf(db: Db, cookie: string | undefined, now: Date) {
  if (!cookie) return undefined;
  return db
    .selectFrom('pending_logins as p')
    .innerJoin('users as u', 'u.id', 'p.user_id')
    .select([
      'p.cookie_hash',
      'p.user_id',
      'p.username',
      'p.device_nonce_hash',
      'p.attempts',
      'u.role',
      'u.display_name',
      'u.practice_id',
      'u.disabled_at',
    ])
    .where('p.cookie_hash', '=', hashToken(cookie))
    .where('p.expires_at', '>', now)
    .executeTakeFirst();
}

/** WebAuthn options for a pending login's passkey (null: no pending login, or no passkey). */
export async function pendingLoginPasskeyOptions(
  deps: AuthDeps,
  config: SecondFactorConfig,
  cookie: string | undefined
): Promise<object | null> {
  const pending = await pendingLoginOf(deps.db, cookie, deps.now);
  if (!pending || pending.disabled_at) return null;
  return authenticationOptions(deps.db, config, {
    userId: pending.user_id,
    purpose: 'login',
    boundTo: pending.cookie_hash,
    now: deps.now,
  });
}

async function authenticationOptions(
  db: Db,
  config: SecondFactorConfig,
  args: { userId: string; purpose: 'login' | 'step_up'; boundTo: string; now: Date }
): Promise<object | null> {
  const passkeys = await db
    .selectFrom('second_factors')
    .select(['credential_id', 'transports'])
    .where('user_id', '=', args.userId)
    .where('kind', '=', 'passkey')
    .where('confirmed_at', 'is not', null)
    .execute();
  if (passkeys.length === 0) return null;
  const options = await generateAuthenticationOptions({
    rpID: config.rpId,
    allowCredentials: passkeys.map((p) => ({
      id: p.credential_id!,
      transports: p.transports as AuthenticatorTransportFuture[],
    })),
    userVerification: 'preferred',
    timeout: CHALLENGE_SECONDS * 1000,
  });
  await storeChallenge(db, { ...args, challenge: options.challenge });
  return options;
}

/**
 * Finishes a password login with the second factor: the pending login must be this browser's and
 * unexpired; the lockouts are checked as at login; a wrong proof counts against them and against
 * the pending login's tries; the right one ends the pending login and starts the session.
 */
export async function finishSecondFactorLogin(
  deps: AuthDeps,
  config: SecondFactorConfig,
  args: { cookie: string | undefined; body: ProveBody; requestId: string }
): Promise<SecondFactorLoginOutcome> {
  const { db, secrets, now } = deps;
  const pending = await pendingLoginOf(db, args.cookie, now);
  if (!pending || pending.disabled_at) return { kind: 'expired' };
  const lockout = await readLockout(db, pending.username, pending.device_nonce_hash);
  const gate = lockoutGate(lockout, now);
  if (!gate.allowed)
    return { kind: 'locked', lockedOut: gate.lockedOut, retryAfterSeconds: gate.retryAfterSeconds };

  const outcome = await withAuditedTransaction(db, secrets.auditKey, now, async (trx, record) => {
    // The password is not a second factor.
    const proven: Proven =
      args.body.method === 'password'
        ? { ok: false, method: 'password' }
        : await prove(trx, secrets, config, {
            userId: pending.user_id,
            body: args.body,
            purpose: 'login',
            boundTo: pending.cookie_hash,
            now,
            passwordHash: null,
          });
    await recordLockout(trx, lockout, proven.ok ? 'success' : 'failure', now);
    const who = {
      actorUserId: pending.user_id,
      actorRole: pending.role,
      actorName: pending.display_name,
      actorPracticeId: pending.practice_id,
      patientId: null,
      action: 'login',
      requestId: args.requestId,
    } as const;
    if (!proven.ok) {
      const attempts = pending.attempts + 1;
      if (attempts >= PENDING_LOGIN_MAX_ATTEMPTS)
        await trx.deleteFrom('pending_logins').where('cookie_hash', '=', pending.cookie_hash).execute();
      else
        await trx
          .updateTable('pending_logins')
          .set({ attempts })
          .where('cookie_hash', '=', pending.cookie_hash)
          .execute();
      record([
        {
          ...who,
          dataCategory: 'second factor',
          accessBasis: METHOD_BASIS[proven.method].basis,
          outcome: 'failed',
        },
      ]);
      return { kind: 'failed' as const, attemptsLeft: Math.max(0, PENDING_LOGIN_MAX_ATTEMPTS - attempts) };
    }
    await trx.deleteFrom('pending_logins').where('cookie_hash', '=', pending.cookie_hash).execute();
    record([
      { ...who, dataCategory: 'session', accessBasis: METHOD_BASIS[proven.method].basis, outcome: 'allowed' },
      ...(proven.method === 'recovery'
        ? [
            {
              ...who,
              dataCategory: 'recovery code used',
              accessBasis: 'recovery code',
              outcome: 'allowed',
            } as const,
          ]
        : []),
    ]);
    return { kind: 'ok' as const };
  });
  if (outcome.kind === 'failed') return outcome;
  const { token, tokenHash } = await createSession(db, { id: pending.user_id, role: pending.role }, now);
  return {
    kind: 'ok',
    user: await loadSessionUser(db, pending.user_id),
    role: pending.role,
    token,
    csrfToken: csrfTokenFor(secrets.csrfKey, tokenHash),
    deviceCookie: issueDeviceCookie(secrets.csrfKey, pending.username),
  };
}

// ---------------------------------------------------------------------------------------------
// Step-up

/** How the actor re-authenticates: their factors, or the password when they have none. */
async function stepUpMethods(db: Db, userId: string): Promise<Method[]> {
  const kinds = await confirmedFactorKinds(db, userId);
  if (kinds.length === 0) return ['password'];
  return [...kinds, 'recovery'];
}

export async function stepUpStatus(
  ctx: DataContext,
  authenticatedAt: Date | undefined
): Promise<{ freshUntil: string | null; methods: Method[] }> {
  const fresh = authenticatedAt && stepUpFresh(authenticatedAt, ctx.now);
  return {
    freshUntil: fresh ? stepUpFreshUntil(authenticatedAt).toISOString() : null,
    methods: await stepUpMethods(ctx.db, ctx.actor.userId),
  };
}

export async function stepUpPasskeyOptions(
  ctx: DataContext,
  config: SecondFactorConfig,
  sessionTokenHash: string
): Promise<object> {
  const options = await authenticationOptions(ctx.db, config, {
    userId: ctx.actor.userId,
    purpose: 'step_up',
    boundTo: sessionTokenHash,
    now: ctx.now,
  });
  if (!options) throw notFound();
  return options;
}

export type StepUpOutcome =
  | { kind: 'ok'; freshUntil: string; methods: Method[] }
  | { kind: 'failed' }
  | { kind: 'locked'; lockedOut: 'this_device' | 'new_devices'; retryAfterSeconds: number };

/**
 * Re-authenticates the session's user: a second factor, or the password for a user who has none.
 * Wrong ones count against the login lockouts; the right one marks the session fresh.
 */
export async function stepUp(
  ctx: DataContext,
  secrets: ServerSecrets,
  config: SecondFactorConfig,
  args: { sessionTokenHash: string; body: ProveBody; deviceCookie: string | undefined }
): Promise<StepUpOutcome> {
  const user = await ctx.db
    .selectFrom('users')
    .select(['username', 'password_hash'])
    .where('id', '=', ctx.actor.userId)
    .executeTakeFirstOrThrow();
  const methods = await stepUpMethods(ctx.db, ctx.actor.userId);
  const deviceHash = trustedDeviceNonceHash(secrets.csrfKey, user.username, args.deviceCookie);
  const lockout = await readLockout(ctx.db, user.username, deviceHash);
  const gate = lockoutGate(lockout, ctx.now);
  if (!gate.allowed)
    return { kind: 'locked', lockedOut: gate.lockedOut, retryAfterSeconds: gate.retryAfterSeconds };
  return ctx.withAudit(async (trx, audit) => {
    const proven: Proven = !methods.includes(args.body.method)
      ? { ok: false, method: args.body.method }
      : await prove(trx, secrets, config, {
          userId: ctx.actor.userId,
          body: args.body,
          purpose: 'step_up',
          boundTo: args.sessionTokenHash,
          now: ctx.now,
          passwordHash: user.password_hash,
        });
    await recordLockout(trx, lockout, proven.ok ? 'success' : 'failure', ctx.now);
    audit({
      action: 'login',
      dataCategory: 'step-up',
      patientIds: [null],
      basis: METHOD_BASIS[proven.method].basis,
      outcome: proven.ok ? 'allowed' : 'failed',
    });
    if (proven.method === 'recovery' && proven.ok)
      audit({
        action: 'login',
        dataCategory: 'recovery code used',
        patientIds: [null],
        basis: 'recovery code',
      });
    if (!proven.ok) return { kind: 'failed' as const };
    await trx
      .updateTable('sessions')
      .set({ reauthenticated_at: ctx.now })
      .where('token_hash', '=', args.sessionTokenHash)
      .execute();
    return { kind: 'ok' as const, freshUntil: stepUpFreshUntil(ctx.now).toISOString(), methods };
  });
}

// ---------------------------------------------------------------------------------------------
// Enrolment and removal

function summary(row: {
  id: string;
  kind: 'totp' | 'passkey';
  label: string;
  created_at: Date | string;
  last_used_at: Date | string | null;
}): SecondFactorSummary {
  return {
    id: row.id,
    kind: row.kind,
    label: row.label,
    createdAt: new Date(row.created_at).toISOString(),
    lastUsedAt: row.last_used_at ? new Date(row.last_used_at).toISOString() : null,
  };
}

export async function listFactors(ctx: DataContext, config: SecondFactorConfig): Promise<SecondFactorList> {
  const [factors, codes] = await Promise.all([
    ctx.db
      .selectFrom('second_factors')
      .select(['id', 'kind', 'label', 'created_at', 'last_used_at'])
      .where('user_id', '=', ctx.actor.userId)
      .where('confirmed_at', 'is not', null)
      .orderBy('created_at')
      .execute(),
    ctx.db
      .selectFrom('recovery_codes')
      .select((eb) => eb.fn.countAll<string>().as('left'))
      .where('user_id', '=', ctx.actor.userId)
      .where('used_at', 'is', null)
      .executeTakeFirstOrThrow(),
  ]);
  return { factors: factors.map(summary), recoveryCodesLeft: Number(codes.left), policy: config.policy };
}

/** Starts a TOTP enrolment: a new secret, shown once; usable when confirmed with a code. */
export async function startTotpEnrolment(
  ctx: DataContext,
  secrets: ServerSecrets,
  config: SecondFactorConfig
): Promise<{ id: string; secret: string; otpauthUri: string }> {
  const user = await ctx.db
    .selectFrom('users')
    .select('username')
    .where('id', '=', ctx.actor.userId)
    .executeTakeFirstOrThrow();
  const id = randomUUID();
  const secret = generateSecret({ length: 20 });
  await ctx.db.transaction().execute(async (trx) => {
    // One enrolment at a time: an unfinished earlier one is dropped.
    await trx
      .deleteFrom('second_factors')
      .where('user_id', '=', ctx.actor.userId)
      .where('confirmed_at', 'is', null)
      .execute();
    await trx
      .insertInto('second_factors')
      .values({
        id,
        user_id: ctx.actor.userId,
        kind: 'totp',
        label: 'Authenticator',
        created_at: ctx.now,
        totp_secret_sealed: sealSecret(factorKeyOf(secrets), id, secret),
      })
      .execute();
  });
  return {
    id,
    secret,
    otpauthUri: generateURI({
      issuer: config.rpName,
      label: user.username,
      secret,
      period: TOTP_PERIOD_SECONDS,
    }),
  };
}

/** New recovery codes for the user (the old ones go); the codes themselves are returned once. */
async function issueRecoveryCodes(trx: Transaction<Database>, userId: string, now: Date): Promise<string[]> {
  await trx.deleteFrom('recovery_codes').where('user_id', '=', userId).execute();
  const codes = Array.from({ length: RECOVERY_CODE_COUNT }, () => newRecoveryCode());
  await trx
    .insertInto('recovery_codes')
    .values(codes.map((code) => ({ user_id: userId, code_hash: hashRecoveryCode(code), created_at: now })))
    .execute();
  return codes;
}

/**
 * After a factor is confirmed: the user's first factor brings recovery codes (unless unused ones
 * remain), and a session that could only enrol is now a full one.
 */
async function afterFactorAdded(
  trx: Transaction<Database>,
  userId: string,
  now: Date
): Promise<string[] | null> {
  const left = await trx
    .selectFrom('recovery_codes')
    .select('id')
    .where('user_id', '=', userId)
    .where('used_at', 'is', null)
    .executeTakeFirst();
  await trx
    .updateTable('sessions')
    .set({ enrolment_required: false })
    .where('user_id', '=', userId)
    .where('enrolment_required', '=', true)
    .execute();
  return left ? null : issueRecoveryCodes(trx, userId, now);
}

export async function confirmTotp(
  ctx: DataContext,
  secrets: ServerSecrets,
  args: { factorId: string; code: string; label?: string | undefined }
): Promise<{ factor: SecondFactorSummary; recoveryCodes: string[] | null }> {
  return ctx.withAudit(async (trx, audit) => {
    const factor = await trx
      .selectFrom('second_factors')
      .select(['id', 'totp_secret_sealed', 'totp_last_step'])
      .where('id', '=', args.factorId)
      .where('user_id', '=', ctx.actor.userId)
      .where('kind', '=', 'totp')
      .where('confirmed_at', 'is', null)
      .executeTakeFirst();
    if (!factor) throw notFound();
    const code = args.code.replace(/\s/g, '');
    if (!/^\d{6}$/.test(code) || !(await acceptTotpFor(trx, factorKeyOf(secrets), factor, code, ctx.now)))
      throw wrongCode('is not the code the app shows now', 'code');
    const row = await trx
      .updateTable('second_factors')
      .set({ confirmed_at: ctx.now, label: args.label?.trim() || 'Authenticator' })
      .where('id', '=', factor.id)
      .returning(['id', 'kind', 'label', 'created_at', 'last_used_at'])
      .executeTakeFirstOrThrow();
    const recoveryCodes = await afterFactorAdded(trx, ctx.actor.userId, ctx.now);
    audit({ action: 'create', dataCategory: 'second factor', patientIds: [null], basis: 'totp' });
    if (recoveryCodes) audit({ action: 'create', dataCategory: 'recovery codes', patientIds: [null] });
    return { factor: summary(row), recoveryCodes };
  });
}

export async function passkeyRegistrationOptions(
  ctx: DataContext,
  config: SecondFactorConfig,
  sessionTokenHash: string
): Promise<object> {
  const [user, existing] = await Promise.all([
    ctx.db
      .selectFrom('users')
      .select(['username', 'display_name'])
      .where('id', '=', ctx.actor.userId)
      .executeTakeFirstOrThrow(),
    ctx.db
      .selectFrom('second_factors')
      .select(['credential_id', 'transports'])
      .where('user_id', '=', ctx.actor.userId)
      .where('kind', '=', 'passkey')
      .execute(),
  ]);
  const options = await generateRegistrationOptions({
    rpName: config.rpName,
    rpID: config.rpId,
    userName: user.username,
    userDisplayName: user.display_name,
    userID: new TextEncoder().encode(ctx.actor.userId),
    attestationType: 'none',
    timeout: CHALLENGE_SECONDS * 1000,
    excludeCredentials: existing.map((p) => ({
      id: p.credential_id!,
      transports: p.transports as AuthenticatorTransportFuture[],
    })),
    authenticatorSelection: { residentKey: 'preferred', userVerification: 'preferred' },
  });
  await storeChallenge(ctx.db, {
    challenge: options.challenge,
    purpose: 'register',
    userId: ctx.actor.userId,
    boundTo: sessionTokenHash,
    now: ctx.now,
  });
  return options;
}

export async function registerPasskey(
  ctx: DataContext,
  config: SecondFactorConfig,
  args: {
    sessionTokenHash: string;
    label?: string | undefined;
    /** As the browser sent it; transports it names that the library does not know are kept as text. */
    response: PasskeyRegisterBody['response'];
  }
): Promise<{ factor: SecondFactorSummary; recoveryCodes: string[] | null }> {
  const challenge = challengeOf(args.response.response.clientDataJSON);
  return ctx.withAudit(async (trx, audit) => {
    const claimed = await claimChallenge(trx, {
      challenge,
      purpose: 'register',
      userId: ctx.actor.userId,
      boundTo: args.sessionTokenHash,
      now: ctx.now,
    });
    if (!claimed) throw wrongCode('does not answer a challenge of this session (or it expired)', 'response');
    let info;
    try {
      const result = await verifyRegistrationResponse({
        response: args.response as RegistrationResponseJSON,
        expectedChallenge: challenge!,
        expectedOrigin: config.origins,
        expectedRPID: config.rpId,
        requireUserVerification: false,
      });
      if (!result.verified) throw new Error('not verified');
      info = result.registrationInfo;
    } catch {
      throw wrongCode('is not a valid passkey registration for this site', 'response');
    }
    const row = await trx
      .insertInto('second_factors')
      .values({
        user_id: ctx.actor.userId,
        kind: 'passkey',
        label: args.label?.trim() || 'Passkey',
        created_at: ctx.now,
        confirmed_at: ctx.now,
        credential_id: info.credential.id,
        public_key: Buffer.from(info.credential.publicKey).toString('base64url'),
        sign_count: info.credential.counter,
        transports: JSON.stringify(info.credential.transports ?? []),
      })
      .returning(['id', 'kind', 'label', 'created_at', 'last_used_at'])
      .executeTakeFirstOrThrow();
    const recoveryCodes = await afterFactorAdded(trx, ctx.actor.userId, ctx.now);
    audit({ action: 'create', dataCategory: 'second factor', patientIds: [null], basis: 'passkey' });
    if (recoveryCodes) audit({ action: 'create', dataCategory: 'recovery codes', patientIds: [null] });
    return { factor: summary(row), recoveryCodes };
  });
}

/** Removes one of the actor's factors (after a step-up); the last one takes the recovery codes with it. */
export async function removeFactor(
  ctx: DataContext,
  config: SecondFactorConfig,
  factorId: string
): Promise<void> {
  await ctx.withAudit(async (trx, audit) => {
    const factors = await trx
      .selectFrom('second_factors')
      .select(['id', 'kind'])
      .where('user_id', '=', ctx.actor.userId)
      .where('confirmed_at', 'is not', null)
      .execute();
    const factor = factors.find((f) => f.id === factorId);
    if (!factor) throw notFound();
    if (!mayRemoveFactor({ policy: config.policy, confirmedFactors: factors.length }))
      throw new HttpProblem(
        409,
        'Conflict',
        'Staff must keep at least one second factor here: add another first.'
      );
    await trx.deleteFrom('second_factors').where('id', '=', factorId).execute();
    if (factors.length === 1)
      await trx.deleteFrom('recovery_codes').where('user_id', '=', ctx.actor.userId).execute();
    audit({
      action: 'delete',
      dataCategory: 'second factor',
      patientIds: [null],
      basis: factor.kind === 'totp' ? 'totp' : 'passkey',
    });
  });
}

/** New recovery codes (after a step-up): the old ones stop working. */
export async function renewRecoveryCodes(ctx: DataContext): Promise<string[]> {
  return ctx.withAudit(async (trx, audit) => {
    if ((await confirmedFactorKinds(trx, ctx.actor.userId)).length === 0)
      throw new HttpProblem(409, 'Conflict', 'Recovery codes come with a second factor: add one first.');
    const codes = await issueRecoveryCodes(trx, ctx.actor.userId, ctx.now);
    audit({ action: 'create', dataCategory: 'recovery codes', patientIds: [null] });
    return codes;
  });
}

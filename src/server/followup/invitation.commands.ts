/**
 * Invitation codes as use cases (issue 12 §1): the GP issues a new code for a recommended patient
 * who cannot log in yet, or starts an account recovery (sessions ended, password cleared, recovery
 * code issued), each with its audit event in one transaction; the patient redeems a code at home,
 * sets a password and is logged in. Redeeming is a public route (no actor, so no `request.data`):
 * it gets the database, the keys and the time through `publicDeps`.
 */
import type { FastifyInstance } from 'fastify';
import type { Kysely } from 'kysely';
import type { Invitation, RedeemInvitationBody } from '../../contract/followup.js';
import type { Database } from '../../db/schema.js';
import {
  mayIssueFirstLoginCode,
  mayStartRecovery,
  redeemOutcome,
  type PatientAccountState,
} from '../../domain/access/patient-account.js';
import type { DataContext } from '../access/data-context.js';
import { withAuditedTransaction } from '../audit/audit-log.js';
import { hashPassword, passwordProblems } from '../auth/passwords.js';
import { createSession, csrfTokenFor } from '../auth/sessions.js';
import { badRequest, HttpProblem } from '../problem.js';
import { hashInvitationCode, loadPatientAccountState, replaceInvitation } from './invitation-codes.js';

/** Where the patient types the code. The code itself is never put in a URL. */
const INVITATION_PATH = '/invitasjon';

/** A code was asked for a patient who already logs in (or whose account is closed). */
function hasCredentialsForGp(state: PatientAccountState): HttpProblem {
  return new HttpProblem(
    409,
    'Conflict',
    state === 'disabled'
      ? 'This account is closed by an administrator.'
      : 'The patient already has an account and logs in with it. If they have lost access, reset their access instead.'
  );
}

/** A new code for a recommended patient who has no password (the old unused one stops working). */
export async function issueInvitation(
  ctx: DataContext,
  patientId: string,
  invitationKey: Buffer
): Promise<Invitation> {
  const now = ctx.now;
  const { code, expiresAt } = await ctx.withAudit(async (trx, audit) => {
    const enrolment = await trx
      .selectFrom('program_enrolments')
      .select('status')
      .where('patient_id', '=', patientId)
      .executeTakeFirst();
    if (!enrolment) throw new HttpProblem(409, 'Conflict', 'Recommend the program first.');
    const account = await loadPatientAccountState(trx, patientId);
    if (!mayIssueFirstLoginCode(account.state)) throw hasCredentialsForGp(account.state);
    const issued = await replaceInvitation(
      trx,
      invitationKey,
      patientId,
      ctx.actor.userId,
      now,
      // After a recovery the next code is still a recovery code: it sets a password again.
      account.state === 'awaiting_password' ? 'recovery' : 'first_login'
    );
    audit({ action: 'create', dataCategory: 'invitation', patientIds: [patientId] });
    return issued;
  });
  return { code, expiresAt: expiresAt.toISOString(), path: INVITATION_PATH };
}

/** The patient lost access: their sessions end and password is cleared before the code exists. */
export async function startAccountRecovery(
  ctx: DataContext,
  patientId: string,
  invitationKey: Buffer
): Promise<Invitation> {
  const now = ctx.now;
  const { code, expiresAt } = await ctx.withAudit(async (trx, audit) => {
    const account = await loadPatientAccountState(trx, patientId);
    if (!mayStartRecovery(account.state) || !account.userId) {
      throw new HttpProblem(
        409,
        'Conflict',
        account.state === 'none'
          ? 'The patient has no account yet: give them an invitation code instead.'
          : 'This account is closed by an administrator and cannot be recovered here.'
      );
    }
    // Whoever holds the old password or a session is shut out before the new code exists.
    await trx
      .updateTable('sessions')
      .set({ revoked_at: now })
      .where('user_id', '=', account.userId)
      .where('revoked_at', 'is', null)
      .execute();
    await trx.updateTable('users').set({ password_hash: null }).where('id', '=', account.userId).execute();
    const issued = await replaceInvitation(trx, invitationKey, patientId, ctx.actor.userId, now, 'recovery');
    audit({
      action: 'update',
      dataCategory: 'account recovery: sessions ended, password cleared, recovery code issued',
      patientIds: [patientId],
    });
    return issued;
  });
  return { code, expiresAt: expiresAt.toISOString(), path: INVITATION_PATH };
}

/** What redeeming needs without an authenticated request. */
export interface PublicDeps {
  readonly db: Kysely<Database>;
  readonly auditKey: Buffer;
  /** Keys the invitation codes' HMAC and the session's CSRF token. */
  readonly csrfKey: Buffer;
  readonly now: Date;
}

/** The dependencies of a public route, read once from the app (one clock reading per request). */
export function publicDeps(app: FastifyInstance): PublicDeps {
  return { db: app.db, auditKey: app.secrets.auditKey, csrfKey: app.secrets.csrfKey, now: app.now() };
}

/**
 * The patient redeems a code and sets a password (creating their user if they have none); the code
 * is used up and a session is opened. The route sets `token` as the session cookie.
 */
export async function redeemInvitation(
  deps: PublicDeps,
  input: RedeemInvitationBody & { requestId: string }
): Promise<{ username: string; csrfToken: string; token: string }> {
  const { db, auditKey, csrfKey, now } = deps;
  const problems = passwordProblems(input.password).map((reason) => ({
    field: 'password',
    reason,
  }));
  if (problems.length > 0) throw badRequest(problems);
  const codeHash = hashInvitationCode(csrfKey, input.code);
  const invalid = () =>
    new HttpProblem(400, 'Bad Request', 'The code is not valid. Check it, or ask your GP for a new one.', [
      { field: 'code', reason: 'is not valid or has expired' },
    ]);
  const passwordHash = await hashPassword(input.password);
  const user = await withAuditedTransaction(db, auditKey, now, async (trx, record) => {
    const invitation = await trx
      .selectFrom('invitations')
      .select(['id', 'patient_id', 'expires_at', 'used_at', 'revoked_at', 'purpose'])
      .where('code_hash', '=', codeHash)
      .forUpdate()
      .executeTakeFirst();
    if (
      !invitation ||
      invitation.used_at ||
      invitation.revoked_at ||
      new Date(invitation.expires_at).getTime() <= now.getTime()
    )
      throw invalid();
    const patient = await trx
      .selectFrom('patients')
      .select(['id', 'user_id', 'display_name'])
      .where('id', '=', invitation.patient_id)
      .executeTakeFirstOrThrow();
    const account = await loadPatientAccountState(trx, patient.id);
    const outcome = redeemOutcome(account.state);
    if (outcome === 'refuse_has_credentials' || outcome === 'refuse_disabled') {
      // The code stays as it is: it can never change an account that has a password.
      throw new HttpProblem(
        409,
        'Conflict',
        outcome === 'refuse_has_credentials'
          ? 'You already have an account. Log in with your username and password. If you have lost your password, ask your GP to reset your access.'
          : 'This account is closed. Contact your GP’s office.',
        [{ field: 'code', reason: 'belongs to an account that already has a password' }]
      );
    }
    let userId = patient.user_id;
    let username: string;
    if (outcome === 'set_password' && userId) {
      // The SQL repeats the rule, so a race with a password set meanwhile cannot overwrite it.
      const updated = await trx
        .updateTable('users')
        .set({ password_hash: passwordHash })
        .where('id', '=', userId)
        .where('password_hash', 'is', null)
        .returning('username')
        .executeTakeFirst();
      if (!updated) throw new HttpProblem(409, 'Conflict', 'The account changed meanwhile. Try to log in.');
      username = updated.username;
      await trx
        .updateTable('sessions')
        .set({ revoked_at: now })
        .where('user_id', '=', userId)
        .where('revoked_at', 'is', null)
        .execute();
    } else {
      if (!input.username)
        throw badRequest([{ field: 'username', reason: 'is required: choose a username' }]);
      username = input.username.toLowerCase();
      const taken = await trx
        .selectFrom('users')
        .select('id')
        .where('username', '=', username)
        .executeTakeFirst();
      if (taken)
        throw new HttpProblem(409, 'Conflict', 'That username is taken. Choose another.', [
          { field: 'username', reason: 'is already in use' },
        ]);
      const created = await trx
        .insertInto('users')
        .values({
          username,
          display_name: patient.display_name,
          role: 'patient',
          password_hash: passwordHash,
          practice_id: null,
        })
        .returning('id')
        .executeTakeFirstOrThrow();
      userId = created.id;
      await trx.updateTable('patients').set({ user_id: userId }).where('id', '=', patient.id).execute();
    }
    await trx.updateTable('invitations').set({ used_at: now }).where('id', '=', invitation.id).execute();
    record([
      {
        actorUserId: userId,
        actorRole: 'patient',
        actorName: patient.display_name,
        actorPracticeId: null,
        patientId: patient.id,
        action: 'update',
        dataCategory:
          invitation.purpose === 'recovery'
            ? 'recovery code used, new password set'
            : 'invitation used, password set',
        accessBasis: 'invitation',
        outcome: 'allowed',
        requestId: input.requestId,
      },
    ]);
    return { id: userId, username };
  });
  const { token, tokenHash } = await createSession(db, { id: user.id, role: 'patient' }, now);
  return { username: user.username, csrfToken: csrfTokenFor(csrfKey, tokenHash), token };
}

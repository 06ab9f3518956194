/**
 * Patient login with ID-porten (issue 16), through `openid-client` (authorization code flow with
 * PKCE, `state` and `nonce`, `acr_values` for the level of assurance). The login attempt waits in
 * the database (any instance can finish it) and is bound to the browser by a cookie. The ID token's
 * signature (against the provider's published keys), issuer, audience, nonce and times are checked
 * by openid-client, with the server's clock; whom the `pid` lets in is domain/access/id-porten-login.ts.
 *
 * Every refusal has a reason the login page words for the patient; no refusal creates a session.
 */
import { randomBytes } from 'node:crypto';
import * as oidc from 'openid-client';
import { decideIdPortenLogin, type IdPortenAcr } from '../../domain/access/id-porten-login.js';
import type { ID_PORTEN_FAILURES } from '../../contract/auth.js';
import { withAuditedTransaction } from '../audit/audit-log.js';
import type { AuthDeps } from './auth.commands.js';
import {
  beginAttempt,
  claimAttempt,
  exchangeCode,
  loginRefuser,
  oidcClient,
  rememberProviderSession,
  type OidcClientConfig,
} from './oidc.js';
import { createSession, csrfTokenFor } from './sessions.js';

export { OIDC_ATTEMPT_COOKIE } from './oidc.js';

export interface IdPortenConfig extends OidcClientConfig {
  /** Client authentication `client_secret_post`. */
  clientSecret: string;
  /** The lowest level of assurance accepted. */
  acr: IdPortenAcr;
}

/** Why a login through ID-porten did not happen (the login page has words for each). */
export type IdPortenFailure = (typeof ID_PORTEN_FAILURES)[number];
// (The rule's refusals are passed as failures below: one missing from the list does not compile.)

const clientFor = (config: IdPortenConfig, now: Date) =>
  oidcClient(config, now, oidc.ClientSecretPost(config.clientSecret));

/** The same dependencies as the password login (auth.commands.ts `authDeps`). */
export type LoginDeps = AuthDeps;

/** Starts a login: the attempt is stored, the browser gets its cookie and the provider's URL. */
export async function startIdPortenLogin(
  deps: LoginDeps,
  config: IdPortenConfig,
  locale: 'nb' | 'en'
): Promise<{ url: string; cookie: string }> {
  const client = await clientFor(config, deps.now);
  const { cookie, state, nonce, codeChallenge } = await beginAttempt(deps, 'idporten');
  const url = oidc.buildAuthorizationUrl(client, {
    redirect_uri: config.redirectUri,
    scope: 'openid',
    response_type: 'code',
    state,
    nonce,
    code_challenge: codeChallenge,
    code_challenge_method: 'S256',
    acr_values: config.acr,
    ui_locales: locale === 'nb' ? 'nb' : 'en',
  });
  return { url: url.href, cookie };
}

export type IdPortenOutcome =
  | { kind: 'ok'; token: string; csrfToken: string; firstLogin: boolean }
  | { kind: 'refused'; reason: IdPortenFailure };

/**
 * Finishes a login from the provider's redirect: the attempt must be this browser's, unused and
 * unexpired, with the same `state`; the code is exchanged once; the ID token must verify; then the
 * `pid` decides (id-porten-login.ts). A first login with an open invitation makes the account.
 */
export async function finishIdPortenLogin(
  deps: LoginDeps,
  config: IdPortenConfig,
  args: { cookie: string | undefined; query: Record<string, string | undefined>; requestId: string }
): Promise<IdPortenOutcome> {
  const { db, now } = deps;
  const refuse = loginRefuser<IdPortenFailure>(deps, {
    provider: 'idporten',
    role: 'patient',
    anonymousName: 'ID-porten login',
    requestId: args.requestId,
  });
  const claimed = await claimAttempt(deps, 'idporten', args.cookie, args.query);
  if (!claimed.ok) return refuse(claimed.reason);
  const { attempt } = claimed;

  let claims: oidc.IDToken | undefined;
  let idToken: string | undefined;
  try {
    const client = await clientFor(config, now);
    const tokens = await exchangeCode(client, config, args.query, attempt);
    claims = tokens.claims();
    idToken = tokens.id_token;
  } catch {
    // A replayed or expired code, a bad signature, wrong audience, issuer or nonce, a token from
    // the future or the past: all are "the provider's answer could not be trusted".
    return refuse('token');
  }
  if (!claims) return refuse('token');

  const pid = typeof claims.pid === 'string' ? claims.pid : undefined;
  const patient = pid
    ? await db
        .selectFrom('patients as p')
        .leftJoin('users as u', 'u.id', 'p.user_id')
        .select(['p.id', 'p.user_id', 'p.display_name', 'u.disabled_at'])
        .where('p.national_id', '=', pid)
        .executeTakeFirst()
    : undefined;
  const invitation = patient
    ? await db
        .selectFrom('invitations')
        .select('id')
        .where('patient_id', '=', patient.id)
        .where('purpose', '=', 'first_login')
        .where('used_at', 'is', null)
        .where('revoked_at', 'is', null)
        .where('expires_at', '>', now)
        .orderBy('created_at', 'desc')
        .executeTakeFirst()
    : undefined;
  const decision = decideIdPortenLogin({
    acr: claims.acr,
    requiredAcr: config.acr,
    pid,
    patient: patient
      ? {
          userId: patient.user_id,
          userDisabled: Boolean(patient.disabled_at),
          hasOpenInvitation: Boolean(invitation),
        }
      : null,
  });
  const who = patient
    ? { userId: patient.user_id, patientId: patient.id, name: patient.display_name, practiceId: null }
    : undefined;
  if (!decision.allowed) return refuse(decision.reason, who);

  const firstLogin = decision.kind === 'first_login';
  const highAssurance = claims.acr === 'idporten-loa-high';
  const userId = await withAuditedTransaction(db, deps.secrets.auditKey, now, async (trx, record) => {
    let id = patient!.user_id;
    if (firstLogin) {
      // The account is made by the GP's invitation, now used; it has no password (ID-porten only).
      const created = await trx
        .insertInto('users')
        .values({
          username: `idporten-${randomBytes(6).toString('hex')}`,
          display_name: patient!.display_name,
          role: 'patient',
          password_hash: null,
          practice_id: null,
        })
        .returning('id')
        .executeTakeFirstOrThrow();
      id = created.id;
      const linked = await trx
        .updateTable('patients')
        .set({ user_id: id })
        .where('id', '=', patient!.id)
        .where('user_id', 'is', null)
        .executeTakeFirst();
      if (Number(linked.numUpdatedRows) !== 1) throw new Error('The patient got an account meanwhile');
      await trx.updateTable('invitations').set({ used_at: now }).where('id', '=', invitation!.id).execute();
    }
    record([
      {
        actorUserId: id,
        actorRole: 'patient',
        actorName: patient!.display_name,
        actorPracticeId: null,
        patientId: firstLogin ? patient!.id : null,
        action: 'login',
        dataCategory: firstLogin ? 'invitation used, ID-porten login' : 'session',
        accessBasis: highAssurance ? 'ID-porten, high' : 'ID-porten, substantial',
        outcome: 'allowed',
        requestId: args.requestId,
      },
    ]);
    return id!;
  });
  const { token, tokenHash } = await createSession(db, { id: userId, role: 'patient' }, now);
  await rememberProviderSession(deps, { tokenHash, provider: 'idporten', idToken, claims });
  return {
    kind: 'ok',
    token,
    csrfToken: csrfTokenFor(deps.secrets.csrfKey, tokenHash),
    firstLogin,
  };
}

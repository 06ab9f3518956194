/**
 * Patient login with ID-porten (issue 16), through `openid-client` (authorization code flow with
 * PKCE, `state` and `nonce`, `acr_values` for the level of assurance). The login attempt waits in
 * the database (any instance can finish it) and is bound to the browser by a cookie. The ID token's
 * signature (against the provider's published keys), issuer, audience, nonce and times are checked
 * by openid-client, with the server's clock; whom the `pid` lets in is domain/access/id-porten-login.ts.
 *
 * Every refusal has a reason the login page words for the patient; no refusal creates a session.
 */
import { createHash, randomBytes } from 'node:crypto';
import * as oidc from 'openid-client';
import { decideIdPortenLogin, type IdPortenAcr } from '../../domain/access/id-porten-login.js';
import type { ID_PORTEN_FAILURES } from '../../contract/auth.js';
import { withAuditedTransaction } from '../audit/audit-log.js';
import type { AuthDeps } from './auth.commands.js';
import { createSession, csrfTokenFor } from './sessions.js';

export interface IdPortenConfig {
  /** The provider's issuer (https://idporten.no in production; ver2 for testing). */
  issuer: string;
  clientId: string;
  /** Client authentication `client_secret_post`. */
  clientSecret: string;
  /** This platform's callback, as registered with the provider: https://<host>/api/auth/idporten/callback */
  redirectUri: string;
  /** The lowest level of assurance accepted. */
  acr: IdPortenAcr;
  /** Tests only: a provider on plain http (127.0.0.1). */
  allowInsecureHttp?: boolean;
  /** Tests only: the HTTP client openid-client uses (to see or alter the provider's answers). */
  fetch?: typeof fetch;
}

export const OIDC_ATTEMPT_COOKIE = '__Host-gpdep_oidc';
const ATTEMPT_MINUTES = 10;

/** Why a login through ID-porten did not happen (the login page has words for each). */
export type IdPortenFailure = (typeof ID_PORTEN_FAILURES)[number];
// (The rule's refusals are passed as failures below: one missing from the list does not compile.)

const hash = (value: string) => createHash('sha256').update(value).digest('hex');

let discovered: { issuer: string; metadata: Promise<oidc.ServerMetadata> } | null = null;

/** The provider's metadata, discovered once per issuer (retried after a failure). */
function serverMetadata(config: IdPortenConfig): Promise<oidc.ServerMetadata> {
  if (discovered?.issuer !== config.issuer) {
    const metadata = oidc
      .discovery(new URL(config.issuer), config.clientId, config.clientSecret, undefined, {
        ...(config.allowInsecureHttp ? { execute: [oidc.allowInsecureRequests] } : {}),
        ...(config.fetch ? { [oidc.customFetch]: config.fetch } : {}),
      })
      .then((c) => c.serverMetadata());
    metadata.catch(() => {
      discovered = null;
    });
    discovered = { issuer: config.issuer, metadata };
  }
  return discovered.metadata;
}

/** A client configuration whose time checks use the server's clock (`now`). */
async function clientFor(config: IdPortenConfig, now: Date): Promise<oidc.Configuration> {
  const client = new oidc.Configuration(
    await serverMetadata(config),
    config.clientId,
    { [oidc.clockSkew]: Math.round((now.getTime() - Date.now()) / 1000) },
    oidc.ClientSecretPost(config.clientSecret)
  );
  if (config.allowInsecureHttp) oidc.allowInsecureRequests(client);
  if (config.fetch) client[oidc.customFetch] = config.fetch;
  // The ID token's signature is checked against the provider's keys too, not only trusted because
  // it came over TLS from the token endpoint (openid-client's default, which OIDC Core allows).
  oidc.enableNonRepudiationChecks(client);
  return client;
}

/** The same dependencies as the password login (auth.commands.ts `authDeps`). */
export type LoginDeps = AuthDeps;

/** Starts a login: the attempt is stored, the browser gets its cookie and the provider's URL. */
export async function startIdPortenLogin(
  deps: LoginDeps,
  config: IdPortenConfig,
  locale: 'nb' | 'en'
): Promise<{ url: string; cookie: string }> {
  const client = await clientFor(config, deps.now);
  const cookie = randomBytes(32).toString('base64url');
  const state = oidc.randomState();
  const nonce = oidc.randomNonce();
  const verifier = oidc.randomPKCECodeVerifier();
  await deps.db
    .insertInto('oidc_login_attempts')
    .values({
      cookie_hash: hash(cookie),
      provider: 'idporten',
      state,
      nonce,
      code_verifier: verifier,
      created_at: deps.now,
      expires_at: new Date(deps.now.getTime() + ATTEMPT_MINUTES * 60_000),
    })
    .execute();
  // Old attempts go as new ones come (nothing else reads them).
  await deps.db.deleteFrom('oidc_login_attempts').where('expires_at', '<', deps.now).execute();
  const url = oidc.buildAuthorizationUrl(client, {
    redirect_uri: config.redirectUri,
    scope: 'openid',
    response_type: 'code',
    state,
    nonce,
    code_challenge: await oidc.calculatePKCECodeChallenge(verifier),
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
  const refuse = async (
    reason: IdPortenFailure,
    who?: { userId: string | null; patientId: string | null; name: string }
  ) => {
    await withAuditedTransaction(db, deps.secrets.auditKey, now, async (_trx, record) =>
      record([
        {
          actorUserId: who?.userId ?? null,
          actorRole: who?.userId ? 'patient' : 'anonymous',
          actorName: who?.name ?? 'ID-porten login',
          actorPracticeId: null,
          patientId: who?.patientId ?? null,
          action: 'login',
          dataCategory: 'session',
          accessBasis: `idporten (refused: ${reason})`,
          outcome: 'failed',
          requestId: args.requestId,
        },
      ])
    );
    return { kind: 'refused' as const, reason };
  };
  if (!args.cookie) return refuse('state');
  const attempt = await db
    .selectFrom('oidc_login_attempts')
    .selectAll()
    .where('cookie_hash', '=', hash(args.cookie))
    .executeTakeFirst();
  if (!attempt || new Date(attempt.expires_at) <= now || attempt.state !== args.query.state)
    return refuse('state');
  // Used once: the first callback with this attempt wins, any replay is refused.
  const claimed = await db
    .updateTable('oidc_login_attempts')
    .set({ used_at: now })
    .where('cookie_hash', '=', attempt.cookie_hash)
    .where('used_at', 'is', null)
    .returning('cookie_hash')
    .executeTakeFirst();
  if (!claimed) return refuse('used');
  if (args.query.error) return refuse('provider');

  let claims: oidc.IDToken | undefined;
  try {
    const client = await clientFor(config, now);
    const current = new URL(config.redirectUri);
    for (const [k, v] of Object.entries(args.query)) if (v !== undefined) current.searchParams.set(k, v);
    const tokens = await oidc.authorizationCodeGrant(client, current, {
      pkceCodeVerifier: attempt.code_verifier,
      expectedState: attempt.state,
      expectedNonce: attempt.nonce,
      idTokenExpected: true,
    });
    claims = tokens.claims();
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
    ? { userId: patient.user_id, patientId: patient.id, name: patient.display_name }
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
  return {
    kind: 'ok',
    token,
    csrfToken: csrfTokenFor(deps.secrets.csrfKey, tokenHash),
    firstLogin,
  };
}

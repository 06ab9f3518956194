/**
 * SMART App Launch 2, EHR launch (issue 16): the GP's record system (EPJ) opens the follow-up card
 * on the patient it has open, without another login.
 *
 * 1. The EPJ opens `/api/smart/launch?iss=<its FHIR base>&launch=<opaque>`. Only an EPJ this server
 *    is configured to trust is followed (an unknown `iss` could otherwise vouch for anybody).
 * 2. Its `.well-known/smart-configuration` gives the authorisation server; the browser goes there
 *    with `launch`, `aud`, PKCE, `state` and `nonce` (openid-client does the protocol). The attempt
 *    waits in the database, bound to the browser by the same cookie as an ID-porten login.
 * 3. The callback exchanges the code once; the ID token is verified against the EPJ's keys; the
 *    token response names the patient (`patient`) and the ID token the user (`fhirUser`).
 * 4. The EPJ's Practitioner (HPR number) and Patient (fødselsnummer/d-nummer) are read with the
 *    access token; domain/access/epj-launch.ts decides with the platform's own access rule.
 * 5. A GP session starts; the EPJ's context and token (sealed to the session cookie) are kept so
 *    the note can be written back (record-writeback.ts).
 */
import * as oidc from 'openid-client';
import type { EPJ_LAUNCH_FAILURES } from '../../contract/smart.js';
import { decideEpjLaunch } from '../../domain/access/epj-launch.js';
import { decidePatientAccess, type Actor } from '../../domain/access/policy.js';
import {
  fhirLogicalId,
  hprNumberOf,
  personNumberOf,
  practitionerIdFromFhirUser,
} from '../../domain/fhir/epj-context.js';
import { TREATING_GP } from '../access/rules.js';
import { loadPatientAccessFactsMany } from '../access/patient-facts.js';
import { withAuditedTransaction } from '../audit/audit-log.js';
import type { AuthDeps } from '../auth/auth.commands.js';
import { beginAttempt, claimAttempt, exchangeCode } from '../auth/oidc.js';
import { createSession, csrfTokenFor, revokeSession } from '../auth/sessions.js';
import { sealForSession } from './sealed-token.js';

/** One record system this platform accepts launches from. */
export interface EpjConnection {
  /** The EPJ's FHIR base URL: the `iss` of its launches (compared exactly, without a trailing /). */
  fhirBaseUrl: string;
  /** This platform's client id at the EPJ's authorisation server. */
  clientId: string;
  /** With a secret: a confidential client (client_secret_basic); without: public, PKCE only. */
  clientSecret?: string;
}

export interface SmartLaunchConfig {
  epjs: EpjConnection[];
  /** This platform's callback, as registered with each EPJ: https://<host>/api/smart/callback */
  redirectUri: string;
  /** Tests only: EPJs on plain http (127.0.0.1). */
  allowInsecureHttp?: boolean;
  /** Tests only: the HTTP client (to see or alter the EPJ's answers). */
  fetch?: typeof fetch;
}

export type EpjLaunchFailure = (typeof EPJ_LAUNCH_FAILURES)[number];

/** What the platform asks the EPJ for (SMART v2 scopes): who, which patient, and writing notes. */
export const SMART_SCOPE =
  'launch openid fhirUser patient/Patient.r user/Practitioner.r patient/DocumentReference.c';

const withoutSlash = (url: string) => url.replace(/\/+$/, '');

/** The EPJ connection for an `iss`, or undefined when this server does not trust it. */
export function trustedEpj(config: SmartLaunchConfig, iss: string): EpjConnection | undefined {
  return config.epjs.find((e) => withoutSlash(e.fhirBaseUrl) === withoutSlash(iss));
}

interface SmartConfiguration {
  issuer: string;
  authorization_endpoint: string;
  token_endpoint: string;
  jwks_uri: string;
  capabilities: string[];
}

const discovered = new Map<string, Promise<SmartConfiguration>>();

/** The EPJ's SMART configuration (fetched once per EPJ; retried after a failure). */
function smartConfiguration(config: SmartLaunchConfig, epj: EpjConnection): Promise<SmartConfiguration> {
  const base = withoutSlash(epj.fhirBaseUrl);
  let found = discovered.get(base);
  if (!found) {
    found = (async () => {
      const response = await (config.fetch ?? fetch)(`${base}/.well-known/smart-configuration`, {
        headers: { accept: 'application/json' },
      });
      if (!response.ok) throw new Error(`smart-configuration: HTTP ${response.status}`);
      const body = (await response.json()) as Partial<SmartConfiguration>;
      for (const field of ['issuer', 'authorization_endpoint', 'token_endpoint', 'jwks_uri'] as const) {
        if (typeof body[field] !== 'string') throw new Error(`smart-configuration: no ${field}`);
      }
      const capabilities = Array.isArray(body.capabilities) ? body.capabilities : [];
      for (const needed of ['launch-ehr', 'sso-openid-connect'])
        if (!capabilities.includes(needed)) throw new Error(`smart-configuration: no ${needed}`);
      return { ...(body as SmartConfiguration), capabilities };
    })();
    found.catch(() => discovered.delete(base));
    discovered.set(base, found);
  }
  return found;
}

async function clientFor(config: SmartLaunchConfig, epj: EpjConnection, now: Date) {
  const smart = await smartConfiguration(config, epj);
  const client = new oidc.Configuration(
    {
      issuer: smart.issuer,
      authorization_endpoint: smart.authorization_endpoint,
      token_endpoint: smart.token_endpoint,
      jwks_uri: smart.jwks_uri,
    },
    epj.clientId,
    { [oidc.clockSkew]: Math.round((now.getTime() - Date.now()) / 1000) },
    epj.clientSecret ? oidc.ClientSecretBasic(epj.clientSecret) : oidc.None()
  );
  if (config.allowInsecureHttp) oidc.allowInsecureRequests(client);
  if (config.fetch) client[oidc.customFetch] = config.fetch;
  // The ID token names the user: its signature is checked against the EPJ's keys.
  oidc.enableNonRepudiationChecks(client);
  return client;
}

export type LaunchStart =
  { kind: 'redirect'; url: string; cookie: string } | { kind: 'refused'; reason: EpjLaunchFailure };

/** Step 1-2: a launch from a trusted EPJ becomes a redirect to its authorisation server. */
export async function startEpjLaunch(
  deps: AuthDeps,
  config: SmartLaunchConfig,
  args: { iss: string; launch: string; requestId: string }
): Promise<LaunchStart> {
  const epj = trustedEpj(config, args.iss);
  if (!epj) {
    await auditRefusal(deps, args.requestId, 'untrusted_epj');
    return { kind: 'refused', reason: 'untrusted_epj' };
  }
  let client: oidc.Configuration;
  try {
    client = await clientFor(config, epj, deps.now);
  } catch {
    await auditRefusal(deps, args.requestId, 'provider');
    return { kind: 'refused', reason: 'provider' };
  }
  const attempt = await beginAttempt(deps, 'smart', {
    iss: withoutSlash(epj.fhirBaseUrl),
    launch: args.launch,
  });
  const url = oidc.buildAuthorizationUrl(client, {
    redirect_uri: config.redirectUri,
    response_type: 'code',
    scope: SMART_SCOPE,
    launch: args.launch,
    // The FHIR server the token is for (SMART: `aud`), so an EPJ's token is not usable elsewhere.
    aud: withoutSlash(epj.fhirBaseUrl),
    state: attempt.state,
    nonce: attempt.nonce,
    code_challenge: attempt.codeChallenge,
    code_challenge_method: 'S256',
  });
  return { kind: 'redirect', url: url.href, cookie: attempt.cookie };
}

export type LaunchOutcome =
  | { kind: 'ok'; token: string; csrfToken: string; patientId: string; openAt: string }
  | { kind: 'refused'; reason: EpjLaunchFailure };

async function auditRefusal(
  deps: AuthDeps,
  requestId: string,
  reason: EpjLaunchFailure,
  who?: { userId: string; name: string; practiceId: string | null },
  patientId: string | null = null
) {
  await withAuditedTransaction(deps.db, deps.secrets.auditKey, deps.now, async (_trx, record) =>
    record([
      {
        actorUserId: who?.userId ?? null,
        actorRole: who ? 'gp' : 'anonymous',
        actorName: who?.name ?? 'EPJ launch',
        actorPracticeId: who?.practiceId ?? null,
        patientId,
        action: 'login',
        dataCategory: 'session',
        accessBasis: `EPJ launch (refused: ${reason})`,
        outcome: 'failed',
        requestId,
      },
    ])
  );
}

/** Reads one resource from the EPJ's FHIR server with its access token. */
async function readEpj(
  config: SmartLaunchConfig,
  base: string,
  path: string,
  accessToken: string
): Promise<unknown> {
  const response = await (config.fetch ?? fetch)(`${base}/${path}`, {
    headers: { accept: 'application/fhir+json', authorization: `Bearer ${accessToken}` },
  });
  if (!response.ok) throw new Error(`EPJ ${path}: HTTP ${response.status}`);
  return response.json();
}

/** Step 3-5: the EPJ's redirect back becomes a GP session on the patient's card, or a reason. */
export async function finishEpjLaunch(
  deps: AuthDeps,
  config: SmartLaunchConfig,
  args: {
    cookie: string | undefined;
    query: Record<string, string | undefined>;
    requestId: string;
    /** This browser's earlier session, revoked at the launch as a login revokes it (fixation). */
    priorSessionTokenHash: string | null;
  }
): Promise<LaunchOutcome> {
  const { db, now } = deps;
  const refuse = async (
    reason: EpjLaunchFailure,
    who?: Parameters<typeof auditRefusal>[3],
    patientId?: string
  ) => {
    await auditRefusal(deps, args.requestId, reason, who, patientId ?? null);
    return { kind: 'refused' as const, reason };
  };
  const claimed = await claimAttempt(deps, 'smart', args.cookie, args.query);
  if (!claimed.ok) return refuse(claimed.reason);
  const epj = trustedEpj(config, claimed.attempt.context.iss ?? '');
  // The EPJ was trusted at the start; it may have been removed from the configuration since.
  if (!epj) return refuse('untrusted_epj');
  const base = withoutSlash(epj.fhirBaseUrl);

  let tokens: Awaited<ReturnType<typeof exchangeCode>>;
  let claims: oidc.IDToken | undefined;
  try {
    tokens = await exchangeCode(await clientFor(config, epj, now), config, args.query, claimed.attempt);
    claims = tokens.claims();
  } catch {
    return refuse('token');
  }
  const epjPatientId = fhirLogicalId(tokens.patient);
  const practitionerId = practitionerIdFromFhirUser(claims?.fhirUser, base);
  if (!claims || !epjPatientId || !practitionerId) return refuse('no_context');

  let practitioner: unknown;
  let epjPatient: unknown;
  try {
    [practitioner, epjPatient] = await Promise.all([
      readEpj(config, base, `Practitioner/${practitionerId}`, tokens.access_token),
      readEpj(config, base, `Patient/${epjPatientId}`, tokens.access_token),
    ]);
  } catch {
    return refuse('record');
  }

  const hprNumber = hprNumberOf(practitioner);
  const personNumber = personNumberOf(epjPatient);
  const gp = hprNumber
    ? await db
        .selectFrom('users')
        .select(['id', 'display_name', 'practice_id', 'disabled_at'])
        .where('hpr_number', '=', hprNumber)
        .where('role', '=', 'gp')
        .executeTakeFirst()
    : undefined;
  const patient = personNumber
    ? await db.selectFrom('patients').select('id').where('national_id', '=', personNumber).executeTakeFirst()
    : undefined;
  const actor: Actor | null = gp
    ? { userId: gp.id, role: 'gp', displayName: gp.display_name, practiceId: gp.practice_id }
    : null;
  const facts =
    patient && actor ? (await loadPatientAccessFactsMany(db, now, [patient.id])).get(patient.id) : undefined;
  const access = actor && facts ? decidePatientAccess(actor, TREATING_GP.patient.relations, facts) : null;
  const decision = decideEpjLaunch({
    hprNumber,
    gp: gp ? { userId: gp.id, disabled: Boolean(gp.disabled_at) } : null,
    personNumber,
    patient: patient ? { patientId: patient.id } : null,
    gpMayOpenPatient: Boolean(access?.allowed),
  });
  const who = gp ? { userId: gp.id, name: gp.display_name, practiceId: gp.practice_id } : undefined;
  // A refused open of a patient who exists is on that patient's access log, like any refused read.
  if (!decision.allowed)
    return refuse(decision.reason, who, decision.reason === 'not_your_patient' ? patient?.id : undefined);

  if (args.priorSessionTokenHash) await revokeSession(db, args.priorSessionTokenHash, now);
  const session = await createSession(db, { id: decision.gpUserId, role: 'gp' }, now);
  const expiresIn = typeof tokens.expires_in === 'number' ? tokens.expires_in : 300;
  const next = await withAuditedTransaction(db, deps.secrets.auditKey, now, async (trx, record) => {
    await trx
      .insertInto('epj_launch_sessions')
      .values({
        session_token_hash: session.tokenHash,
        fhir_base_url: base,
        epj_patient_id: epjPatientId,
        epj_practitioner_reference: `Practitioner/${practitionerId}`,
        patient_id: decision.patientId,
        scope: typeof tokens.scope === 'string' ? tokens.scope : '',
        sealed_access_token: sealForSession(tokens.access_token, session),
        access_token_expires_at: new Date(now.getTime() + expiresIn * 1000),
        created_at: now,
      })
      .execute();
    record([
      {
        actorUserId: decision.gpUserId,
        actorRole: 'gp',
        actorName: gp!.display_name,
        actorPracticeId: gp!.practice_id,
        patientId: null,
        action: 'login',
        dataCategory: 'session',
        accessBasis: 'EPJ launch (SMART)',
        outcome: 'allowed',
        requestId: args.requestId,
      },
    ]);
    // The card of the next planned follow-up, if there is one; else the patient's page.
    return trx
      .selectFrom('follow_ups')
      .select('id')
      .where('patient_id', '=', decision.patientId)
      .where('status', '=', 'planned')
      .orderBy('planned_at')
      .limit(1)
      .executeTakeFirst();
  });
  const patientPage = `/gp/patients/${decision.patientId}`;
  return {
    kind: 'ok',
    token: session.token,
    csrfToken: csrfTokenFor(deps.secrets.csrfKey, session.tokenHash),
    patientId: decision.patientId,
    openAt: next ? `${patientPage}/follow-ups/${next.id}` : patientPage,
  };
}

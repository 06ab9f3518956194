/**
 * The access layer: the one place where every request is authenticated and checked against the
 * route's declared rule, before any handler runs (deny by default).
 *
 * Order per request: session cookie → actor; public routes pass; no actor → 401; a state-changing
 * request must be same-origin and carry the session's CSRF token → else 403; wrong role → 403
 * (404 on routes about a patient); then, before input validation, the relation to the patient in
 * the path is checked (self, or on the GP's list) → else 404, logged as a denied access. On a
 * qualitative study's routes (a `:studyId` in the path) the actor must be a member of the study →
 * else 404, so a study cannot be discovered; a member whose study role the route does not name → 403.
 * A session that must first enrol a second factor reaches only the enrolment routes → else 403.
 * Last, a step-up action (domain/access/step-up.ts: admin changes, exports, factor changes) needs
 * a fresh re-authentication → else 403 with the step-up problem type.
 *
 * A half-finished login (right password, second factor still to come) is no session at all: its
 * cookie is read only by the second-factor endpoints (auth/second-factor.routes.ts).
 */
import fp from 'fastify-plugin';
import type { FastifyInstance, FastifyRequest } from 'fastify';
import { sql } from 'kysely';
import {
  decidePatientAccess,
  decideRouteAccess,
  type PatientAccessFacts,
  type RouteAccess,
} from '../../domain/access/policy.js';
import { SECOND_FACTOR_PROBLEM } from '../../contract/second-factor.js';
import { STEP_UP_PROBLEM_TYPE, stepUpActionOf, stepUpFresh } from '../../domain/access/step-up.js';
import { eventsForRequest, withAuditedTransaction } from '../audit/audit-log.js';
import { csrfTokenFor, csrfTokenMatches, resolveSession, SESSION_COOKIE } from '../auth/sessions.js';
import { forbidden, notFound, unauthorized } from '../problem.js';
import type { QualStudyRole } from '../../db/schema.js';
import { buildDataContext, type DataContext } from './data-context.js';
import { loadPatientAccessFactsMany } from './patient-facts.js';

export interface RouteInventoryEntry {
  method: string;
  url: string;
  access: RouteAccess;
}

const STATE_CHANGING = new Set(['POST', 'PUT', 'PATCH', 'DELETE']);
const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

/**
 * How a user takes part in a study: as a member in a study role, or as a member of its user group
 * (who reads and comments on shared syntheses, never on transcripts).
 */
export type StudyPart = QualStudyRole | 'user_group';

/** A qualitative study's route: which study parts may use it (on top of `config.access`). */
export interface StudyAccess {
  roles: readonly StudyPart[];
}

/** The actor's part in the study in the path, once the access layer has checked it. */
export interface StudyAccessGrant {
  studyId: string;
  role: StudyPart;
}

declare module 'fastify' {
  interface FastifyContextConfig {
    /** Required on (and only on) routes with a `:studyId`: the study roles that may use it. */
    study?: StudyAccess;
    /**
     * Open to a session that must first enrol a second factor (STAFF_SECOND_FACTOR=required and
     * none yet): the factor routes, the session and logout. Every other route refuses it.
     */
    secondFactorSetup?: true;
  }
  interface FastifyRequest {
    /** Set by the access layer on a study's routes, after the membership check. */
    studyAccess: StudyAccessGrant | null;
  }
  interface FastifyInstance {
    /** Every route with its access rule; the access-control test matrix is generated from it. */
    routeInventory: RouteInventoryEntry[];
  }
}

/** The access facts of one patient (undefined: no such patient); see patient-facts.ts. */
export async function loadPatientAccessFacts(
  app: FastifyInstance,
  patientId: string
): Promise<PatientAccessFacts | undefined> {
  return (await loadPatientAccessFactsMany(app.db, app.now(), [patientId])).get(patientId);
}

function assertSameOrigin(request: FastifyRequest): void {
  const fetchSite = request.headers['sec-fetch-site'];
  if (fetchSite !== undefined && fetchSite !== 'same-origin' && fetchSite !== 'none') {
    throw forbidden('Cross-site requests are not accepted.');
  }
  const origin = request.headers.origin;
  if (origin !== undefined) {
    let same: boolean;
    try {
      const parsed = new URL(origin);
      // Normalise default ports on both sides: `Host: example.org:443` equals `https://example.org`.
      same = parsed.host === new URL(`${parsed.protocol}//${request.headers.host ?? ''}`).host;
    } catch {
      same = false;
    }
    if (!same) throw forbidden('Cross-site requests are not accepted.');
  }
}

/**
 * Failed attempts on an existing patient are logged (loggkontroll), whichever check refused them;
 * the patient's own view of the log shows allowed accesses only.
 */
async function recordDenied(app: FastifyInstance, request: FastifyRequest, patientId: string): Promise<void> {
  await withAuditedTransaction(app.db, app.secrets.auditKey, app.now(), async (_trx, record) =>
    record(
      eventsForRequest(request, {
        action: 'access',
        dataCategory: request.routeOptions.url ?? 'unknown',
        patientIds: [patientId],
        outcome: 'denied',
        basis: 'none',
      })
    )
  );
}

/** A refused attempt on a qualitative study (no patient: the study is named by the route). */
async function recordDeniedStudy(app: FastifyInstance, request: FastifyRequest): Promise<void> {
  await withAuditedTransaction(app.db, app.secrets.auditKey, app.now(), async (_trx, record) =>
    record(
      eventsForRequest(request, {
        action: 'access',
        dataCategory: 'qualitative study',
        patientIds: [null],
        outcome: 'denied',
        basis: 'none',
      })
    )
  );
}

/** A refusal by role on a patient route: logged when the patient in the path exists. */
async function logDeniedPatientAccess(app: FastifyInstance, request: FastifyRequest): Promise<void> {
  const patientId = (request.params as { patientId?: string } | undefined)?.patientId;
  if (!patientId || !UUID.test(patientId)) return;
  const exists = await app.db
    .selectFrom('patients')
    .select('id')
    .where('id', '=', patientId)
    .executeTakeFirst();
  if (exists) await recordDenied(app, request, patientId);
}

/** Where the access layer keeps the request's data context (read through `request.data`). */
const DATA_CONTEXT = Symbol('dataContext');
type WithDataContext = FastifyRequest & { [DATA_CONTEXT]?: DataContext };

async function accessPlugin(app: FastifyInstance): Promise<void> {
  app.decorate('routeInventory', [] as RouteInventoryEntry[]);
  app.decorateRequest('data', {
    getter(this: FastifyRequest): DataContext {
      const self = this as WithDataContext;
      // Built once per request, after every access check has passed (see preHandler below).
      return (self[DATA_CONTEXT] ??= buildDataContext(this));
    },
  });
  app.decorateRequest('actor', null);
  app.decorateRequest('session', null);
  app.decorateRequest('patientAccess', null);
  app.decorateRequest('studyAccess', null);

  app.addHook('onRoute', (route) => {
    const access = route.config?.access;
    const methods = Array.isArray(route.method) ? route.method : [route.method];
    if (!access) {
      throw new Error(`Route ${methods.join(',')} ${route.url} declares no access rule (config.access)`);
    }
    const aboutPatient = route.url.includes(':patientId');
    if (aboutPatient !== Boolean(!access.public && access.patient)) {
      throw new Error(`Route ${route.url}: a :patientId route must declare patient relations, and only it`);
    }
    if (route.url.includes(':studyId') !== Boolean(route.config?.study)) {
      throw new Error(`Route ${route.url}: a :studyId route must declare its study roles, and only it`);
    }
    for (const method of methods) {
      if (method !== 'HEAD') app.routeInventory.push({ method, url: route.url, access });
    }
  });

  app.addHook('onRequest', async (request, reply) => {
    const token = request.cookies[SESSION_COOKIE];
    if (token) {
      const resolved = await resolveSession(app.db, token, app.now());
      if (resolved) {
        request.actor = resolved.actor;
        request.session = {
          tokenHash: resolved.tokenHash,
          csrfToken: csrfTokenFor(app.secrets.csrfKey, resolved.tokenHash),
          authenticatedAt: resolved.authenticatedAt,
          enrolmentRequired: resolved.enrolmentRequired,
        };
      } else {
        reply.clearCookie(SESSION_COOKIE, { path: '/' });
      }
    }
    const access = request.routeOptions.config.access;
    if (!access) return; // unknown route: the not-found handler answers
    const stateChanging = STATE_CHANGING.has(request.method);
    if (stateChanging) assertSameOrigin(request);
    const decision = decideRouteAccess(request.actor, access);
    if (access.public) return;
    if (!decision.allowed && decision.reason === 'unauthenticated') throw unauthorized();
    if (stateChanging) {
      const given = request.headers['x-csrf-token'];
      if (!csrfTokenMatches(request.session!.csrfToken, typeof given === 'string' ? given : undefined)) {
        throw forbidden('Missing or invalid CSRF token.');
      }
    }
    if (request.session?.enrolmentRequired && !request.routeOptions.config.secondFactorSetup) {
      const problem = forbidden('Set up a second factor (an authenticator app or a passkey) first.');
      problem.type = SECOND_FACTOR_PROBLEM.enrolmentRequired;
      throw problem;
    }
    if (!decision.allowed) {
      if (access.patient) {
        // A role that never reaches patient data (a researcher, an admin) trying a patient route
        // is logged like any other refused attempt on that patient.
        await logDeniedPatientAccess(app, request);
        throw notFound();
      }
      throw forbidden();
    }
  });

  // Before input validation, so someone else's patient answers 404 whatever the body holds.
  app.addHook('preValidation', async (request) => {
    const access = request.routeOptions.config.access;
    if (!access || access.public || !access.patient || !request.actor) return;
    const { patientId } = request.params as { patientId: string };
    if (!UUID.test(patientId)) throw notFound();
    const facts = await loadPatientAccessFacts(app, patientId);
    const decision = decidePatientAccess(request.actor, access.patient.relations, facts);
    if (!decision.allowed) {
      if (facts) await recordDenied(app, request, patientId);
      throw notFound();
    }
    request.patientAccess = { patientId, basis: decision.basis, listGpUserIds: facts!.activeGpUserIds };
  });

  // A qualitative study: members only, whatever the body holds. A study id that is not a UUID is
  // left to input validation (400 naming the field); it cannot name a study either way.
  app.addHook('preValidation', async (request) => {
    const study = request.routeOptions.config.study;
    if (!study || !request.actor) return;
    const { studyId } = request.params as { studyId: string };
    if (!UUID.test(studyId)) return;
    const member: { role: StudyPart } | undefined =
      request.actor.role === 'user_group'
        ? await app.db
            .selectFrom('qual_user_group_members')
            .select(sql<'user_group'>`'user_group'`.as('role'))
            .where('study_id', '=', studyId)
            .where('user_id', '=', request.actor.userId)
            .executeTakeFirst()
        : await app.db
            .selectFrom('qual_study_members')
            .select('role')
            .where('study_id', '=', studyId)
            .where('user_id', '=', request.actor.userId)
            .executeTakeFirst();
    if (!member) {
      // An attempt on a study that exists is logged as refused (the answer is the same 404).
      const exists = await app.db
        .selectFrom('qual_studies')
        .select('id')
        .where('id', '=', studyId)
        .executeTakeFirst();
      if (exists) await recordDeniedStudy(app, request);
      throw notFound();
    }
    if (!study.roles.includes(member.role)) {
      await recordDeniedStudy(app, request);
      throw forbidden('Your role in this study does not allow this.');
    }
    request.studyAccess = { studyId, role: member.role };
  });

  // Step-up (domain/access/step-up.ts): after the relation and membership checks, so someone with
  // no access still gets the same 404; a stale session gets 403 with a type the web app answers
  // with a re-authentication dialog and a retry.
  app.addHook('preValidation', async (request) => {
    const access = request.routeOptions.config.access;
    if (!access || access.public || !request.session) return;
    const action = stepUpActionOf({
      method: request.method,
      url: request.routeOptions.url ?? '',
      declared: access.stepUp,
    });
    if (!action) return;
    const at = request.session.authenticatedAt;
    if (at && stepUpFresh(at, app.now())) return;
    const problem = forbidden(
      'Confirm who you are again before this: enter a code from your authenticator app, use your passkey, or give your password.'
    );
    problem.type = STEP_UP_PROBLEM_TYPE;
    throw problem;
  });

  // Every check has passed: the handler's queries and commands work through this one context.
  app.addHook('preHandler', async (request) => {
    if (request.actor) (request as WithDataContext)[DATA_CONTEXT] = buildDataContext(request);
  });
}

export default fp(accessPlugin, { name: 'access' });

/**
 * What a feature's queries and commands get from an authenticated request (issue 12 §1): the
 * actor (never null here: the access layer already refused anonymous requests), one `now` for the
 * whole request, the patient relation the access layer established, and the database only through
 * audited entry points. Modelled on Medplum's repository: auditing is part of the data access, so
 * a use case cannot write patient data and forget the log line.
 *
 * Routes build nothing themselves: `request.data` is attached by the access layer, and the
 * `*.routes.ts` lint rule forbids touching the database from a route (eslint.config.js).
 */
import type { FastifyRequest } from 'fastify';
import type { Kysely, Transaction } from 'kysely';
import type { Actor } from '../../domain/access/policy.js';
import type { Database } from '../../db/schema.js';
import { auditedTransaction, type AuditWhat } from '../audit/audit-log.js';
import { HttpProblem } from '../problem.js';

/** Declares what a piece of work did, for the audit log (one call per kind of access). */
export type Audit = (what: AuditWhat) => void;

export interface DataContext {
  readonly actor: Actor;
  /** One clock reading for the whole request: every row and audit line of it carries the same time. */
  readonly now: Date;
  /** Set on routes about one patient (`:patientId`), after the relation check. */
  readonly patientAccess: FastifyRequest['patientAccess'];
  /** Set on a qualitative study's routes (`:studyId`), after the membership check. */
  readonly studyAccess?: FastifyRequest['studyAccess'];
  /** For reads; anything that reads patient data also calls `recordRead` (or reads in `withAudit`). */
  readonly db: Kysely<Database>;
  /** Runs `work` in one transaction; the events it declares with `audit(…)` commit with it. */
  withAudit<T>(work: (trx: Transaction<Database>, audit: Audit) => Promise<T>): Promise<T>;
  /** For reads that change nothing: the audit events in a transaction of their own. */
  recordRead(what: AuditWhat): Promise<void>;
  /** The request id, for outbox rows and logs that point back to this request. */
  readonly requestId: string;
}

/** Builds the context for an authenticated request (called once, by the access layer). */
export function buildDataContext(request: FastifyRequest): DataContext {
  const actor = request.actor;
  if (!actor) {
    // Only reachable if a route reads `request.data` on a public route: a programming error.
    throw new HttpProblem(500, 'Internal Server Error', 'This route has no authenticated actor.');
  }
  const app = request.server;
  const now = app.now();
  return {
    actor,
    now,
    patientAccess: request.patientAccess,
    studyAccess: request.studyAccess,
    db: app.db,
    requestId: request.id,
    withAudit: (work) => auditedTransaction(request, now, work),
    // A read's audit line carries the same `now` as everything else in the request.
    recordRead: (what) => auditedTransaction(request, now, async (_trx, audit) => audit(what)),
  };
}

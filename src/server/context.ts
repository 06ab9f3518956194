/** What the access layer attaches to each request, and what each route must declare. */
import type { Kysely } from 'kysely';
import type { AccessBasis, Actor, RouteAccess } from '../domain/access/policy.js';
import type { Database } from '../db/schema.js';
import type { AuditAnchorStore } from './audit/anchor-store.js';
import type { DataContext } from './access/data-context.js';
import type { NotificationDispatcher } from './notify/dispatcher.js';

export interface SessionInfo {
  tokenHash: string;
  csrfToken: string;
  /** When the user last proved who they are (login or step-up): for step-up actions. */
  authenticatedAt?: Date;
  /** The policy demands a second factor and the user has none: only enrolment is open. */
  enrolmentRequired?: boolean;
}

export interface PatientAccessGrant {
  patientId: string;
  basis: AccessBasis;
  /** The patient's own GPs today (the list relation): owners of anything planned for them. */
  listGpUserIds: readonly string[];
}

export interface ServerSecrets {
  /** HMAC key of the audit hash chain; kept outside the database. */
  auditKey: Buffer;
  /** Key that derives each session's CSRF token from the session. */
  csrfKey: Buffer;
  /**
   * Key that seals staff TOTP secrets (SECOND_FACTOR_KEY; in the demo in DATA_DIR/secrets.json).
   * Without it (tests that build their own secrets) one is derived from the CSRF key.
   */
  factorKey?: Buffer;
}

declare module 'fastify' {
  interface FastifyContextConfig {
    /** Who may use this route. Required: the server refuses to start without it. */
    access?: RouteAccess;
  }
  interface FastifyRequest {
    actor: Actor | null;
    session: SessionInfo | null;
    /** Set by the access layer on routes about one patient, after the relation check. */
    patientAccess: PatientAccessGrant | null;
    /**
     * The authenticated actor's way to the data (actor, now, audited transactions), built by the
     * access layer; reading it on a public route is a programming error and answers 500.
     */
    readonly data: DataContext;
  }
  interface FastifyInstance {
    db: Kysely<Database>;
    secrets: ServerSecrets;
    now: () => Date;
    /** Audit checkpoints outside the database (null: none configured). */
    auditAnchors: AuditAnchorStore | null;
    /** Sends the notification outbox (urgent cases); kick() after a commit that queued some. */
    notifier: NotificationDispatcher;
  }
}

/**
 * Writing the audit log. Every read, write or export of a patient's data appends one event per
 * patient, in the same transaction as the data access, so there is no access without its log
 * line. Appending takes no shared lock (issue 18): each event gets its id from a sequence and its
 * own MAC, and the chainer (audit-chain.ts) links committed events into the hash chain about a
 * second later. The patient's access log reads audit_events, so it shows a read at once.
 */
import type { FastifyRequest } from 'fastify';
import { sql, type Kysely, type Transaction } from 'kysely';
import { eventMac, eventMacKey, type AuditEventContent } from '../../domain/audit/hash-chain.js';
import type { Database } from '../../db/schema.js';

export {
  chainPendingAuditEvents,
  startAuditChainer,
  verifyStoredAuditChain,
  writeAuditCheckpoint,
  type StoredChainVerification,
} from './audit-chain.js';

export type AuditAction = 'read' | 'create' | 'update' | 'delete' | 'export' | 'login' | 'logout' | 'access';

export type NewAuditEvent = Omit<AuditEventContent, 'seq' | 'occurredAt'>;

/** The derived MAC key per audit key, made once rather than per transaction. */
const macKeys = new WeakMap<Buffer, Buffer>();
function macKeyFor(key: Buffer): Buffer {
  let macKey = macKeys.get(key);
  if (!macKey) {
    macKey = eventMacKey(key);
    macKeys.set(key, macKey);
  }
  return macKey;
}

/**
 * Appends events inside `trx`. Private on purpose: every caller goes through
 * `withAuditedTransaction` (or the request-shaped helpers over it), so the append exists once.
 * The ids come from the sequence first, because the MAC covers the id: an event cannot be copied
 * to another id, nor edited, without the key. Nothing here waits for another transaction.
 */
async function appendAuditEvents(
  trx: Transaction<Database>,
  key: Buffer,
  occurredAt: Date,
  events: readonly NewAuditEvent[]
): Promise<void> {
  if (events.length === 0) return;
  const ids = await sql<{ seq: string | number }>`
    select nextval('audit_event_seq') as seq from generate_series(1, ${events.length}::int)
  `.execute(trx);
  const seqs = ids.rows.map((row) => Number(row.seq)).sort((a, b) => a - b);
  const macKey = macKeyFor(key);
  const rows = events.map((event, i) => {
    const content: AuditEventContent = { ...event, seq: seqs[i]!, occurredAt };
    return {
      seq: content.seq,
      occurred_at: occurredAt,
      actor_user_id: event.actorUserId,
      actor_role: event.actorRole,
      actor_name: event.actorName,
      actor_practice_id: event.actorPracticeId,
      patient_id: event.patientId,
      action: event.action,
      data_category: event.dataCategory,
      access_basis: event.accessBasis,
      outcome: event.outcome,
      request_id: event.requestId,
      event_mac: eventMac(macKey, content),
    };
  });
  // Insert in chunks to stay well under the bind-parameter limit on long lists.
  for (let i = 0; i < rows.length; i += 500) {
    await trx
      .insertInto('audit_events')
      .values(rows.slice(i, i + 500))
      .execute();
  }
}

/** What one audited piece of work records: the events for the request, described once. */
export interface AuditWhat {
  action: AuditAction;
  dataCategory: string;
  patientIds: readonly (string | null)[];
  outcome?: 'allowed' | 'denied' | 'failed';
  basis?: string;
}

/**
 * Audit events for what an actor did to one or more patients' data: the one mapping, used for a
 * request, for work on the command line and for the demo seed; `defaultBasis` is the basis when
 * `what` names none.
 */
export function eventsFor(
  actor: { userId: string; role: string; displayName: string; practiceId: string | null } | null,
  what: AuditWhat,
  defaultBasis: string,
  requestId: string | null
): NewAuditEvent[] {
  return what.patientIds.map((patientId) => ({
    actorUserId: actor?.userId ?? null,
    actorRole: actor?.role ?? 'anonymous',
    actorName: actor?.displayName ?? 'anonymous',
    actorPracticeId: actor?.practiceId ?? null,
    patientId,
    action: what.action,
    dataCategory: what.dataCategory,
    accessBasis: what.basis ?? defaultBasis,
    outcome: what.outcome ?? 'allowed',
    requestId,
  }));
}

/** Audit events for what the current request's actor did to one or more patients' data. */
export function eventsForRequest(request: FastifyRequest, what: AuditWhat): NewAuditEvent[] {
  return eventsFor(request.actor, what, request.patientAccess?.basis ?? 'role', request.id);
}

/**
 * The one place audit events are appended (issue 12). Runs `work` in one transaction; the events
 * it records with `record(…)` are appended in that same transaction, so a change and its audit
 * lines commit together or not at all. `record` may be called conditionally or with what the
 * work found out; nothing recorded means nothing appended.
 */
export async function withAuditedTransaction<T>(
  db: Kysely<Database>,
  key: Buffer,
  now: Date,
  work: (trx: Transaction<Database>, record: (events: readonly NewAuditEvent[]) => void) => Promise<T>
): Promise<T> {
  return db.transaction().execute(async (trx) => {
    const recorded: NewAuditEvent[] = [];
    const result = await work(trx, (events) => recorded.push(...events));
    await appendAuditEvents(trx, key, now, recorded);
    return result;
  });
}

/**
 * `withAuditedTransaction` for a request: `audit(…)` describes what the request's actor did, and
 * the events carry the actor, the access basis and the request id.
 */
export async function auditedTransaction<T>(
  request: FastifyRequest,
  now: Date,
  work: (trx: Transaction<Database>, audit: (what: AuditWhat) => void) => Promise<T>
): Promise<T> {
  const app = request.server;
  return withAuditedTransaction(app.db, app.secrets.auditKey, now, (trx, record) =>
    work(trx, (what) => record(eventsForRequest(request, what)))
  );
}

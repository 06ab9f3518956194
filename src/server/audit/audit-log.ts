/**
 * Writing and checking the audit log. Every read, write or export of a patient's data appends one
 * event per patient, in the same transaction as the data access, so there is no access without
 * its log line. The chain head row is locked while appending, so concurrent writers on PostgreSQL
 * line up and the chain never forks.
 */
import type { FastifyRequest } from 'fastify';
import type { Kysely, Selectable, Transaction } from 'kysely';
import { signCheckpoint, verifyCheckpoints } from '../../domain/audit/checkpoint.js';
import type { AuditAnchorStore } from './anchor-store.js';
import {
  chainHash,
  verifyAuditChain,
  type AuditEventContent,
  type ChainVerification,
} from '../../domain/audit/hash-chain.js';
import type { Database } from '../../db/schema.js';

export type AuditAction = 'read' | 'create' | 'update' | 'delete' | 'export' | 'login' | 'logout' | 'access';

export type NewAuditEvent = Omit<AuditEventContent, 'seq' | 'occurredAt'>;

/**
 * Appends events to the chain inside `trx`. Private on purpose: every caller goes through
 * `withAuditedTransaction` (or the request-shaped helpers over it), so the append exists once.
 */
async function appendAuditEvents(
  trx: Transaction<Database>,
  key: Buffer,
  occurredAt: Date,
  events: readonly NewAuditEvent[]
): Promise<void> {
  if (events.length === 0) return;
  const head = await trx
    .selectFrom('audit_chain_head')
    .select(['last_seq', 'last_hash'])
    .where('id', '=', 1)
    .forUpdate()
    .executeTakeFirstOrThrow();
  let seq = Number(head.last_seq);
  let prevHash = head.last_hash;
  const rows = events.map((event) => {
    seq += 1;
    const content: AuditEventContent = { ...event, seq, occurredAt };
    const hash = chainHash(key, prevHash, content);
    const row = {
      seq,
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
      prev_hash: prevHash,
      hash,
    };
    prevHash = hash;
    return row;
  });
  // Insert in chunks to stay well under the bind-parameter limit on long lists.
  for (let i = 0; i < rows.length; i += 500) {
    await trx
      .insertInto('audit_events')
      .values(rows.slice(i, i + 500))
      .execute();
  }
  await trx
    .updateTable('audit_chain_head')
    .set({ last_seq: seq, last_hash: prevHash })
    .where('id', '=', 1)
    .execute();
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

/**
 * Takes a checkpoint of the chain head (sequence, hash, row count, time), signs it and appends it
 * to the anchor store, unless nothing was added since the last one this process wrote. The head
 * row stays locked until the line is written: head and count come from one moment (no append can
 * slip in between), and several servers writing checkpoints append them in sequence order.
 */
export async function writeAuditCheckpoint(
  db: Kysely<Database>,
  key: Buffer,
  store: AuditAnchorStore,
  now: Date,
  lastWrittenSeq = -1
): Promise<number> {
  return db.transaction().execute(async (trx) => {
    const head = await trx
      .selectFrom('audit_chain_head')
      .select(['last_seq', 'last_hash'])
      .where('id', '=', 1)
      .forUpdate()
      .executeTakeFirstOrThrow();
    const seq = Number(head.last_seq);
    if (seq === lastWrittenSeq) return seq;
    const count = await trx
      .selectFrom('audit_events')
      .select((eb) => eb.fn.countAll<number>().as('n'))
      .executeTakeFirstOrThrow();
    await store.append(
      signCheckpoint(key, { seq, headHash: head.last_hash, rowCount: Number(count.n), at: now.toISOString() })
    );
    return seq;
  });
}

export type StoredChainVerification = ChainVerification & {
  /** Checkpoints checked (0 without an anchor store). */
  checkpoints: number;
  /** Why it failed, in words (the chain or a checkpoint). */
  problem: string | null;
};

/**
 * Verifies the chain row by row, then every checkpoint in the anchor store against the rows: the
 * chain alone cannot see rows cut off its end, nor a chain recomputed by someone with the key.
 */
export async function verifyStoredAuditChain(
  db: Kysely<Database>,
  key: Buffer,
  anchors?: AuditAnchorStore | null
): Promise<StoredChainVerification> {
  const rows = await db.selectFrom('audit_events').selectAll().orderBy('seq').execute();
  const chain = verifyChainRows(key, rows);
  if (!chain.ok)
    return { ...chain, checkpoints: 0, problem: `chain broken at seq ${chain.brokenAtSeq}: ${chain.reason}` };
  if (!anchors) return { ...chain, checkpoints: 0, problem: null };
  const { checkpoints, unreadable } = await anchors.readAll();
  const failed = (reason: string, count: number): StoredChainVerification => ({
    ok: false,
    eventCount: chain.eventCount,
    brokenAtSeq: 0,
    reason,
    checkpoints: count,
    problem: reason,
  });
  if (unreadable.length > 0) {
    return failed(
      `checkpoint store altered: line(s) ${unreadable.slice(0, 10).join(', ')}${unreadable.length > 10 ? ', …' : ''} are not checkpoints`,
      checkpoints.length
    );
  }
  const result = verifyCheckpoints(
    key,
    checkpoints,
    new Map(rows.map((r) => [Number(r.seq), r.hash])),
    rows.length
  );
  if (!result.ok) return failed(result.reason, result.checkpoints);
  return { ...chain, checkpoints: result.checkpoints, problem: null };
}

function verifyChainRows(key: Buffer, rows: Selectable<Database['audit_events']>[]): ChainVerification {
  return verifyAuditChain(
    key,
    rows.map((row) => ({
      seq: Number(row.seq),
      occurredAt: new Date(row.occurred_at),
      actorUserId: row.actor_user_id,
      actorRole: row.actor_role,
      actorName: row.actor_name,
      actorPracticeId: row.actor_practice_id,
      patientId: row.patient_id,
      action: row.action,
      dataCategory: row.data_category,
      accessBasis: row.access_basis,
      outcome: row.outcome,
      requestId: row.request_id,
      prevHash: row.prev_hash,
      hash: row.hash,
    }))
  );
}

/**
 * Tamper evidence for the audit log: each event carries h_i = HMAC-SHA-256(k, h_{i-1} || event_i),
 * with the key kept outside the database. Anyone who edits, deletes or reorders a row without the
 * key breaks the chain at that row (security-requirements R-C3).
 */
import { createHmac, timingSafeEqual } from 'node:crypto';

export const GENESIS_HASH = 'genesis';

/** The content of one audit event that the hash covers. No health data ever goes in here. */
export interface AuditEventContent {
  seq: number;
  occurredAt: Date;
  actorUserId: string | null;
  actorRole: string;
  actorName: string;
  actorPracticeId: string | null;
  patientId: string | null;
  action: string;
  dataCategory: string;
  accessBasis: string;
  outcome: 'allowed' | 'denied' | 'failed';
  requestId: string | null;
}

/** A fixed field order, so the same event always hashes the same. */
export function canonicalAuditEvent(event: AuditEventContent): string {
  return JSON.stringify([
    event.seq,
    event.occurredAt.toISOString(),
    event.actorUserId,
    event.actorRole,
    event.actorName,
    event.actorPracticeId,
    event.patientId,
    event.action,
    event.dataCategory,
    event.accessBasis,
    event.outcome,
    event.requestId,
  ]);
}

export function chainHash(key: Buffer, prevHash: string, event: AuditEventContent): string {
  return createHmac('sha256', key)
    .update(prevHash)
    .update('\n')
    .update(canonicalAuditEvent(event))
    .digest('hex');
}

export interface StoredAuditEvent extends AuditEventContent {
  prevHash: string;
  hash: string;
}

export type ChainVerification =
  | { ok: true; eventCount: number; headHash: string }
  | { ok: false; eventCount: number; brokenAtSeq: number; reason: string };

/**
 * Verifies events in sequence order, starting from the genesis hash. Reports the first row where
 * the sequence has a gap, the link to the previous row is wrong, or the row's own hash is wrong.
 */
export function verifyAuditChain(key: Buffer, events: Iterable<StoredAuditEvent>): ChainVerification {
  let expectedPrev = GENESIS_HASH;
  let expectedSeq = 1;
  let count = 0;
  for (const event of events) {
    count += 1;
    if (event.seq !== expectedSeq) {
      return { ok: false, eventCount: count, brokenAtSeq: event.seq, reason: `expected seq ${expectedSeq}` };
    }
    if (event.prevHash !== expectedPrev) {
      return {
        ok: false,
        eventCount: count,
        brokenAtSeq: event.seq,
        reason: 'link to previous event broken',
      };
    }
    const recomputed = chainHash(key, event.prevHash, event);
    if (!sameHex(recomputed, event.hash)) {
      return {
        ok: false,
        eventCount: count,
        brokenAtSeq: event.seq,
        reason: 'event content does not match its hash',
      };
    }
    expectedPrev = event.hash;
    expectedSeq += 1;
  }
  return { ok: true, eventCount: count, headHash: expectedPrev };
}

function sameHex(a: string, b: string): boolean {
  const left = Buffer.from(a, 'hex');
  const right = Buffer.from(b, 'hex');
  return left.length === right.length && left.length > 0 && timingSafeEqual(left, right);
}

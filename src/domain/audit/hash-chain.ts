/**
 * Tamper evidence for the audit log, with the key kept outside the database (security-requirements
 * R-C3). Two HMACs, so that appending needs no shared lock (issue 18):
 *
 * - Each event is signed alone when it is appended: mac = HMAC(k_event, event). Any number of
 *   transactions append at once; an event edited or inserted without the key fails its MAC, even
 *   in the second before it is linked.
 * - A chainer links events in batches into one chain, in the order it finds them committed:
 *   link_p = HMAC(k, "v2", link_{p-1}, p, event, mac) at chain position p. Anyone who deletes,
 *   reorders or edits a linked row without the key breaks the chain at that row.
 *
 * Links made before batched chaining (each event hashed as it was appended, position = seq) keep
 * their hash, h_i = HMAC(k, h_{i-1} || event_i), and verify as the chain's opening stretch.
 */
import { createHmac, timingSafeEqual } from 'node:crypto';

export const GENESIS_HASH = 'genesis';

/** The content of one audit event that the hashes cover. No health data ever goes in here. */
export interface AuditEventContent {
  /** The event's id, from a database sequence: unique, rising, with gaps (rolled-back transactions). */
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

/** An event as stored: its content and the MAC it was appended with (null on events from before). */
export interface SignedAuditEvent extends AuditEventContent {
  eventMac: string | null;
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

/** A key of its own for event MACs, derived from the audit key (never the same bytes). */
export function eventMacKey(auditKey: Buffer): Buffer {
  return createHmac('sha256', auditKey).update('gpdep audit event mac v1').digest();
}

/** The MAC an event is appended with; `macKey` is `eventMacKey(auditKey)`. */
export function eventMac(macKey: Buffer, event: AuditEventContent): string {
  return createHmac('sha256', macKey).update(canonicalAuditEvent(event)).digest('hex');
}

/**
 * The hash of the link at chain `position`. The "v2" prefix keeps it apart from the older hash:
 * that one starts with the previous hash, which is hex or "genesis", never "v2".
 */
export function linkHash(
  key: Buffer,
  prevHash: string,
  position: number,
  event: AuditEventContent,
  mac: string | null
): string {
  return createHmac('sha256', key)
    .update(`v2\n${prevHash}\n${position}\n`)
    .update(canonicalAuditEvent(event))
    .update(`\n${mac ?? ''}`)
    .digest('hex');
}

/** The hash of events chained as they were appended, before batched chaining (migration 0032). */
export function legacyChainHash(key: Buffer, prevHash: string, event: AuditEventContent): string {
  return createHmac('sha256', key)
    .update(prevHash)
    .update('\n')
    .update(canonicalAuditEvent(event))
    .digest('hex');
}

/** One link of the chain as stored, with the event it links (null when that row is gone). */
export interface ChainLink {
  position: number;
  eventSeq: number;
  prevHash: string;
  hash: string;
  event: SignedAuditEvent | null;
}

export type ChainVerification =
  | { ok: true; eventCount: number; headHash: string }
  | {
      ok: false;
      eventCount: number;
      /** The event (audit_events.seq) where the chain breaks. */
      brokenAtSeq: number;
      /** Its chain position (0 when the event is not linked at all). */
      brokenAtPosition: number;
      reason: string;
    };

/** Whether an event carries the MAC only the key holder can make. */
export function eventMacValid(macKey: Buffer, event: SignedAuditEvent): boolean {
  return event.eventMac !== null && sameHex(eventMac(macKey, event), event.eventMac);
}

/**
 * Verifies links in position order from the genesis hash. Reports the first link where a position
 * is missing, the linked event is gone or linked twice, the link to the previous one is wrong, the
 * link's hash does not match the event, or the event lacks the MAC the application appends with.
 * Older links (legacy hash, no MAC) are accepted only before the first new-style link.
 */
export function verifyAuditChain(key: Buffer, links: Iterable<ChainLink>): ChainVerification {
  const macKey = eventMacKey(key);
  let expectedPrev = GENESIS_HASH;
  let expectedPosition = 1;
  let legacyStretch = true;
  let count = 0;
  const linked = new Set<number>();
  for (const link of links) {
    count += 1;
    const fail = (reason: string): ChainVerification => ({
      ok: false,
      eventCount: count,
      brokenAtSeq: link.eventSeq,
      brokenAtPosition: link.position,
      reason,
    });
    if (link.position !== expectedPosition) return fail(`expected position ${expectedPosition}`);
    const event = link.event;
    if (!event) return fail(`the event linked at position ${link.position} is missing`);
    if (linked.has(event.seq)) return fail(`event linked a second time, at position ${link.position}`);
    linked.add(event.seq);
    if (link.prevHash !== expectedPrev) return fail('link to previous event broken');
    if (sameHex(linkHash(key, link.prevHash, link.position, event, event.eventMac), link.hash)) {
      legacyStretch = false;
      if (!eventMacValid(macKey, event)) return fail(UNSIGNED);
    } else if (!(
      legacyStretch &&
      event.eventMac === null &&
      event.seq === link.position &&
      sameHex(legacyChainHash(key, link.prevHash, event), link.hash)
    )) {
      return fail('event content does not match its hash');
    }
    expectedPrev = link.hash;
    expectedPosition += 1;
  }
  return { ok: true, eventCount: count, headHash: expectedPrev };
}

/** Why an event's own MAC fails: it was not appended by the application as stored. */
export const UNSIGNED =
  'event not signed by the application (MAC missing or wrong): edited, or inserted without the key';

function sameHex(a: string, b: string): boolean {
  const left = Buffer.from(a, 'hex');
  const right = Buffer.from(b, 'hex');
  return left.length === right.length && left.length > 0 && timingSafeEqual(left, right);
}

import { randomBytes } from 'node:crypto';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import {
  eventMac,
  eventMacKey,
  GENESIS_HASH,
  legacyChainHash,
  linkHash,
  UNSIGNED,
  verifyAuditChain,
  type AuditEventContent,
  type ChainLink,
  type SignedAuditEvent,
} from './hash-chain.js';

const key = randomBytes(32);

function content(seq: number): AuditEventContent {
  return {
    seq,
    occurredAt: new Date(Date.UTC(2026, 10, 23, 10, seq % 60)),
    actorUserId: 'u1',
    actorRole: 'gp',
    actorName: 'Dr Test',
    actorPracticeId: 'p1',
    patientId: `patient-${seq % 3}`,
    action: 'read',
    dataCategory: 'PHQ-9 responses',
    accessBasis: 'gp_list',
    outcome: 'allowed',
    requestId: `r${seq}`,
  };
}

/** Events as appended now: each with its MAC. */
const signed = (seq: number, k = key): SignedAuditEvent => ({
  ...content(seq),
  eventMac: eventMac(eventMacKey(k), content(seq)),
});

/** Links from before migration 0032: position = seq, legacy hash, no MAC. */
function legacyChain(n: number): ChainLink[] {
  let prev = GENESIS_HASH;
  return Array.from({ length: n }, (_, i) => {
    const event: SignedAuditEvent = { ...content(i + 1), eventMac: null };
    const hash = legacyChainHash(key, prev, event);
    const link = { position: i + 1, eventSeq: i + 1, prevHash: prev, hash, event };
    prev = hash;
    return link;
  });
}

/** The chainer's links: `events` in the order given, after `before`. */
function linkOnto(before: ChainLink[], events: SignedAuditEvent[], k = key): ChainLink[] {
  const chain = [...before];
  for (const event of events) {
    const prevHash = chain.at(-1)?.hash ?? GENESIS_HASH;
    const position = chain.length + 1;
    chain.push({
      position,
      eventSeq: event.seq,
      prevHash,
      hash: linkHash(k, prevHash, position, event, event.eventMac),
      event,
    });
  }
  return chain;
}

const seqs = (from: number, n: number) => Array.from({ length: n }, (_, i) => signed(from + i));

describe('audit hash chain', () => {
  it('verifies the old chain, the new one, and the new one continuing the old', () => {
    expect(verifyAuditChain(key, legacyChain(20))).toMatchObject({ ok: true, eventCount: 20 });
    expect(verifyAuditChain(key, linkOnto([], seqs(1, 10)))).toMatchObject({ ok: true, eventCount: 10 });
    const both = linkOnto(legacyChain(5), seqs(6, 5));
    expect(verifyAuditChain(key, both)).toEqual({ ok: true, eventCount: 10, headHash: both.at(-1)!.hash });
  });

  it('uses a MAC key of its own, derived from the audit key', () => {
    expect(eventMacKey(key).equals(key)).toBe(false);
    expect(eventMacKey(key).equals(eventMacKey(key))).toBe(true);
  });

  it('finds an edited row, old or new', () => {
    const chain = linkOnto(legacyChain(5), seqs(6, 5));
    const old = [...chain];
    old[2] = { ...old[2]!, event: { ...old[2]!.event!, action: 'export' } };
    expect(verifyAuditChain(key, old)).toMatchObject({ ok: false, brokenAtSeq: 3, brokenAtPosition: 3 });
    const recent = [...chain];
    recent[7] = { ...recent[7]!, event: { ...recent[7]!.event!, actorName: 'Someone else' } };
    expect(verifyAuditChain(key, recent)).toMatchObject({
      ok: false,
      brokenAtSeq: 8,
      reason: 'event content does not match its hash',
    });
  });

  it('finds a deleted link and a deleted event', () => {
    const chain = linkOnto([], seqs(1, 10));
    const cut = [...chain];
    cut.splice(6, 1);
    expect(verifyAuditChain(key, cut)).toMatchObject({
      ok: false,
      brokenAtSeq: 8,
      reason: 'expected position 7',
    });
    const gone = [...chain];
    gone[3] = { ...gone[3]!, event: null };
    expect(verifyAuditChain(key, gone)).toMatchObject({
      ok: false,
      brokenAtSeq: 4,
      reason: 'the event linked at position 4 is missing',
    });
  });

  it('finds links swapped, and an event linked twice', () => {
    const chain = linkOnto([], seqs(1, 4));
    const swapped = [chain[0]!, { ...chain[2]!, position: 2 }, { ...chain[1]!, position: 3 }, chain[3]!];
    expect(verifyAuditChain(key, swapped)).toMatchObject({ ok: false, brokenAtPosition: 2 });
    const twice = linkOnto([], [signed(1), signed(2), signed(1)]);
    expect(verifyAuditChain(key, twice)).toMatchObject({ ok: false, brokenAtPosition: 3, brokenAtSeq: 1 });
  });

  it('finds a row whose hash was recomputed without the key', () => {
    const chain = linkOnto([], seqs(1, 5));
    const forged = linkOnto(
      chain.slice(0, 2),
      [{ ...signed(3), actorName: 'Someone else' }],
      randomBytes(32)
    );
    expect(verifyAuditChain(key, [...forged, ...chain.slice(3)])).toMatchObject({
      ok: false,
      brokenAtSeq: 3,
    });
  });

  it('finds an event the chainer linked that the application never signed', () => {
    // Inserted behind the application (no MAC, or one made with another key), then linked.
    for (const event of [
      { ...content(3), eventMac: null },
      signed(3, randomBytes(32)),
      { ...signed(3), patientId: 'patient-x' },
    ]) {
      const chain = linkOnto([], [signed(1), signed(2), event, signed(4)]);
      expect(verifyAuditChain(key, chain)).toEqual({
        ok: false,
        eventCount: 3,
        brokenAtSeq: 3,
        brokenAtPosition: 3,
        reason: UNSIGNED,
      });
    }
  });

  it('accepts old-style links only at the start of the chain', () => {
    // An old-style link after a new one (which only the key holder could make) is refused.
    const chain = linkOnto(legacyChain(2), [signed(3)]);
    const prevHash = chain.at(-1)!.hash;
    const event: SignedAuditEvent = { ...content(4), eventMac: null };
    chain.push({ position: 4, eventSeq: 4, prevHash, hash: legacyChainHash(key, prevHash, event), event });
    expect(verifyAuditChain(key, chain)).toMatchObject({ ok: false, brokenAtPosition: 4 });
  });

  it('finds a flipped byte in a stored hash', () => {
    const chain = linkOnto([], seqs(1, 3));
    const last = chain[2]!;
    chain[2] = { ...last, hash: (last.hash[0] === 'a' ? 'b' : 'a') + last.hash.slice(1) };
    expect(verifyAuditChain(key, chain)).toMatchObject({ ok: false, brokenAtSeq: 3 });
  });

  it('verifies events linked in any commit order, and finds any one field changed at its event', () => {
    const fields = ['actorName', 'patientId', 'action', 'requestId', 'occurredAt', 'seq'] as const;
    fc.assert(
      fc.property(
        // Ids with gaps (rolled-back transactions), linked in the order they committed.
        fc.uniqueArray(fc.integer({ min: 1, max: 10_000 }), { minLength: 1, maxLength: 30 }),
        fc.nat(),
        fc.constantFrom(...fields),
        (ids, pick, field) => {
          const chain = linkOnto(
            legacyChain(3),
            ids.map((id) => signed(id + 3))
          );
          expect(verifyAuditChain(key, chain)).toMatchObject({ ok: true, eventCount: ids.length + 3 });
          const at = pick % chain.length;
          const event = chain[at]!.event!;
          const edited: SignedAuditEvent = {
            ...event,
            [field]:
              field === 'occurredAt'
                ? new Date(event.occurredAt.getTime() + 1000)
                : field === 'seq'
                  ? event.seq + 100_000
                  : `${String(event[field])}x`,
          };
          const tampered = chain.map((l, i) => (i === at ? { ...l, event: edited } : l));
          expect(verifyAuditChain(key, tampered)).toMatchObject({ ok: false, brokenAtPosition: at + 1 });
        }
      ),
      { numRuns: 200 }
    );
  });
});

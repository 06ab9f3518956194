import { randomBytes } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import {
  chainHash,
  GENESIS_HASH,
  verifyAuditChain,
  type AuditEventContent,
  type StoredAuditEvent,
} from './hash-chain.js';

const key = randomBytes(32);

function buildChain(n: number): StoredAuditEvent[] {
  let prev = GENESIS_HASH;
  return Array.from({ length: n }, (_, i) => {
    const content: AuditEventContent = {
      seq: i + 1,
      occurredAt: new Date(Date.UTC(2026, 10, 23, 10, i)),
      actorUserId: 'u1',
      actorRole: 'gp',
      actorName: 'Dr Test',
      actorPracticeId: 'p1',
      patientId: `patient-${i % 3}`,
      action: 'read',
      dataCategory: 'PHQ-9 responses',
      accessBasis: 'gp_list',
      outcome: 'allowed',
      requestId: `r${i}`,
    };
    const hash = chainHash(key, prev, content);
    const event = { ...content, prevHash: prev, hash };
    prev = hash;
    return event;
  });
}

describe('audit hash chain', () => {
  it('verifies an untouched chain', () => {
    expect(verifyAuditChain(key, buildChain(20))).toMatchObject({ ok: true, eventCount: 20 });
  });

  it('finds an edited row', () => {
    const chain = buildChain(10);
    chain[4] = { ...chain[4]!, action: 'export' };
    expect(verifyAuditChain(key, chain)).toMatchObject({ ok: false, brokenAtSeq: 5 });
  });

  it('finds a deleted row', () => {
    const chain = buildChain(10);
    chain.splice(6, 1);
    expect(verifyAuditChain(key, chain)).toMatchObject({ ok: false, brokenAtSeq: 8 });
  });

  it('finds a row whose hash was recomputed without the key', () => {
    const chain = buildChain(5);
    const forged = { ...chain[2]!, actorName: 'Someone else' };
    forged.hash = chainHash(randomBytes(32), forged.prevHash, forged);
    chain[2] = forged;
    expect(verifyAuditChain(key, chain)).toMatchObject({ ok: false, brokenAtSeq: 3 });
  });

  it('finds a flipped byte in a stored hash', () => {
    const chain = buildChain(3);
    const last = chain[2]!;
    chain[2] = { ...last, hash: (last.hash[0] === 'a' ? 'b' : 'a') + last.hash.slice(1) };
    expect(verifyAuditChain(key, chain)).toMatchObject({ ok: false, brokenAtSeq: 3 });
  });
});

/**
 * Checkpoints anchor the audit chain outside the database (issue 10, item 5). The chain's HMAC
 * catches a changed row, but someone with the database owner's rights can cut rows off the end
 * and rewind the chain head, and the chain still verifies. A checkpoint records, at a moment,
 * the head's sequence number and hash and the row count, signed with a key derived from the
 * audit key (so the database owner, who lacks the key, cannot forge one), and is appended to a
 * place the database cannot rewrite. Verification then demands that every checkpointed row is
 * still there with the same hash.
 */
import { createHmac, timingSafeEqual } from 'node:crypto';

export interface AuditCheckpoint {
  seq: number;
  headHash: string;
  rowCount: number;
  /** ISO time it was taken. */
  at: string;
  signature: string;
}

/** A key of its own for checkpoints, derived from the audit key (never the same bytes). */
export function checkpointKey(auditKey: Buffer): Buffer {
  return createHmac('sha256', auditKey).update('gpdep audit checkpoint v1').digest();
}

function payload(c: Omit<AuditCheckpoint, 'signature'>): string {
  return JSON.stringify([c.seq, c.headHash, c.rowCount, c.at]);
}

export function signCheckpoint(auditKey: Buffer, c: Omit<AuditCheckpoint, 'signature'>): AuditCheckpoint {
  const signature = createHmac('sha256', checkpointKey(auditKey)).update(payload(c)).digest('hex');
  return { ...c, signature };
}

export function checkpointSignatureValid(auditKey: Buffer, c: AuditCheckpoint): boolean {
  const expected = Buffer.from(signCheckpoint(auditKey, c).signature, 'hex');
  const given = Buffer.from(typeof c.signature === 'string' ? c.signature : '', 'hex');
  return expected.length === given.length && timingSafeEqual(expected, given);
}

export type CheckpointVerification =
  | { ok: true; checkpoints: number }
  | { ok: false; checkpoints: number; reason: string; checkpointAt: string | null };

/**
 * Checks checkpoints against the rows: every signature, their order, and that the row at each
 * checkpoint's sequence number is there with the recorded hash and that no row up to it is gone.
 * `rows` maps seq to hash for the stored chain.
 */
export function verifyCheckpoints(
  auditKey: Buffer,
  checkpoints: readonly AuditCheckpoint[],
  rows: ReadonlyMap<number, string>,
  storedRowCount: number
): CheckpointVerification {
  let previousSeq = 0;
  for (const c of checkpoints) {
    const fail = (reason: string): CheckpointVerification => ({
      ok: false,
      checkpoints: checkpoints.length,
      reason,
      checkpointAt: typeof c.at === 'string' ? c.at : null,
    });
    if (!checkpointSignatureValid(auditKey, c)) return fail('a checkpoint does not carry a valid signature');
    if (c.seq < previousSeq) return fail(`checkpoints out of order: ${c.seq} after ${previousSeq}`);
    previousSeq = c.seq;
    if (c.seq === 0) continue;
    const hash = rows.get(c.seq);
    if (hash === undefined) {
      return fail(
        `rows missing: the checkpoint taken ${c.at} says the log reached seq ${c.seq} (head hash ${c.headHash.slice(0, 12)}…), but that row is gone`
      );
    }
    if (hash !== c.headHash) {
      return fail(`the row at seq ${c.seq} has another hash than the checkpoint taken ${c.at} recorded`);
    }
    if (storedRowCount < c.rowCount) {
      return fail(`rows missing: ${c.rowCount} at the checkpoint taken ${c.at}, ${storedRowCount} now`);
    }
  }
  return { ok: true, checkpoints: checkpoints.length };
}

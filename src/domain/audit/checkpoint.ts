/**
 * Checkpoints anchor the audit chain outside the database (issue 10, item 5). The chain's HMAC
 * catches a changed row, but someone with the database owner's rights can cut rows off the end
 * and rewind the chain head, and the chain still verifies. A checkpoint records, at a moment,
 * the head's sequence number and hash and the row count, signed with a key derived from the
 * audit key (so the database owner, who lacks the key, cannot forge one), and is appended to a
 * place the database cannot rewrite. Verification then demands that every checkpointed row is
 * still there with the same hash.
 *
 * Someone who also holds the key can sign new checkpoints, but cannot take back the ones already
 * shipped: an old checkpoint still names the row that was cut or rewritten.
 */
import { createHmac, timingSafeEqual } from 'node:crypto';
import { GENESIS_HASH } from './hash-chain.js';

export interface AuditCheckpoint {
  /** Absent for a checkpoint; 'restore' for a restore record (see RESTORE RECORDS below). */
  kind?: 'restore';
  /** A restore record only: the signature of the line it was appended after ('' when first). */
  follows?: string;
  seq: number;
  headHash: string;
  rowCount: number;
  /** ISO time it was taken. */
  at: string;
  signature: string;
}

/** A checkpoint as read back, with its line number in the anchor store (1-based). */
export interface StoredCheckpoint {
  line: number;
  checkpoint: AuditCheckpoint;
}

/** A key of its own for checkpoints, derived from the audit key (never the same bytes). */
export function checkpointKey(auditKey: Buffer): Buffer {
  return createHmac('sha256', auditKey).update('gpdep audit checkpoint v1').digest();
}

function payload(c: Omit<AuditCheckpoint, 'signature'>): string {
  // A restore record's payload starts with a word, a checkpoint's with a number: neither
  // signature can pass for the other.
  if (c.kind === 'restore')
    return JSON.stringify(['restore', c.seq, c.headHash, c.rowCount, c.at, c.follows ?? '']);
  return JSON.stringify([c.seq, c.headHash, c.rowCount, c.at]);
}

export function signCheckpoint(auditKey: Buffer, c: Omit<AuditCheckpoint, 'signature'>): AuditCheckpoint {
  const signature = createHmac('sha256', checkpointKey(auditKey)).update(payload(c)).digest('hex');
  if (c.kind === 'restore') {
    const { seq, headHash, rowCount, at } = c;
    return { kind: 'restore', follows: c.follows ?? '', seq, headHash, rowCount, at, signature };
  }
  return { seq: c.seq, headHash: c.headHash, rowCount: c.rowCount, at: c.at, signature };
}

/*
 * RESTORE RECORDS. Restoring a backup rolls the database back: checkpoints written after the
 * backup name rows the restored database no longer has, and the restored server numbers its new
 * events from the backup's head again. `db:restore` then appends a restore record: "the log was
 * restored to head seq X with hash H", signed like a checkpoint and bound to the line before it
 * (`follows`), so a copy of an old record appended later does not verify. Verification treats a
 * checkpoint (or an earlier restore record) whose seq lies past a later restore record's seq as
 * describing events before the restore: its signature is checked, its rows are not. Everything
 * else is checked as before, the restore record's own head included. Cutting the log therefore
 * still needs the key (to sign a restore record), and even then leaves a visible record.
 */
export function signRestoreRecord(
  auditKey: Buffer,
  r: { seq: number; headHash: string; at: string; follows: string }
): AuditCheckpoint {
  return signCheckpoint(auditKey, { kind: 'restore', ...r, rowCount: r.seq });
}

export function checkpointSignatureValid(auditKey: Buffer, c: AuditCheckpoint): boolean {
  const expected = Buffer.from(signCheckpoint(auditKey, c).signature, 'hex');
  const given = Buffer.from(typeof c.signature === 'string' ? c.signature : '', 'hex');
  return expected.length === given.length && timingSafeEqual(expected, given);
}

/**
 * Reads one line of an anchor store; null when it is not shaped like a checkpoint (a line that
 * cannot be read is reported by the caller, never skipped).
 */
export function parseCheckpointLine(line: string): AuditCheckpoint | null {
  let value: unknown;
  try {
    value = JSON.parse(line);
  } catch {
    return null;
  }
  if (typeof value !== 'object' || value === null || Array.isArray(value)) return null;
  const c = value as Record<string, unknown>;
  const isCount = (v: unknown): v is number => typeof v === 'number' && Number.isSafeInteger(v) && v >= 0;
  if (!isCount(c.seq) || !isCount(c.rowCount)) return null;
  if (typeof c.headHash !== 'string' || typeof c.at !== 'string' || typeof c.signature !== 'string')
    return null;
  if (Number.isNaN(Date.parse(c.at))) return null;
  const checkpoint = {
    seq: c.seq,
    headHash: c.headHash,
    rowCount: c.rowCount,
    at: c.at,
    signature: c.signature,
  };
  if (c.kind === undefined) return checkpoint;
  if (c.kind !== 'restore' || typeof c.follows !== 'string') return null;
  return { kind: 'restore', follows: c.follows, ...checkpoint };
}

export type CheckpointVerification =
  | { ok: true; checkpoints: number; restores?: number; beforeRestore?: number }
  | { ok: false; checkpoints: number; reason: string; line: number; checkpointAt: string };

const short = (hash: string) => (hash.length > 16 ? `${hash.slice(0, 16)}…` : hash);

/**
 * Checks checkpoints (in the order written) against the rows:
 * - every signature;
 * - each checkpoint is consistent in itself (the log is numbered 1..n, so rowCount equals seq,
 *   and an empty log's head is the genesis hash);
 * - checkpoints never go backwards: seq only grows, line after line (writers hold the chain
 *   head while appending, so this holds with several servers sharing a store); times are not
 *   compared, as servers' clocks may differ;
 * - the row at each checkpoint's seq is there with exactly the recorded hash, and the table still
 *   has at least that many rows;
 * - restore records (see above): each follows the line it names; the order starts again from its
 *   seq; lines past a later restore's seq are counted as before the restore, their rows not asked.
 * `rows` maps seq to hash for the stored chain; `storedRowCount` is the table's row count.
 */
export function verifyCheckpoints(
  auditKey: Buffer,
  checkpoints: readonly StoredCheckpoint[],
  rows: ReadonlyMap<number, string>,
  storedRowCount: number
): CheckpointVerification {
  let lastSeq = 0;
  for (const seq of rows.keys()) if (seq > lastSeq) lastSeq = seq;
  // For each line, the lowest seq any later restore record went back to.
  const restoredTo: number[] = [];
  let lowest = Infinity;
  for (let i = checkpoints.length - 1; i >= 0; i -= 1) {
    restoredTo[i] = lowest;
    const c = checkpoints[i]!.checkpoint;
    if (c.kind === 'restore') lowest = Math.min(lowest, c.seq);
  }
  let restores = 0;
  let beforeRestore = 0;
  let previous: StoredCheckpoint | null = null;
  for (const [i, entry] of checkpoints.entries()) {
    const { line, checkpoint: c } = entry;
    const fail = (reason: string): CheckpointVerification => ({
      ok: false,
      checkpoints: checkpoints.length,
      reason: `checkpoint on line ${line} (taken ${c.at}): ${reason}`,
      line,
      checkpointAt: c.at,
    });
    if (!checkpointSignatureValid(auditKey, c))
      return fail('its signature is not valid (forged or altered line)');
    if (c.rowCount !== c.seq)
      return fail(`it says head seq ${c.seq} but ${c.rowCount} rows; a checkpoint must have both equal`);
    if (c.seq === 0 && c.headHash !== GENESIS_HASH) return fail('an empty log must have the genesis head');
    if (c.kind === 'restore') {
      restores += 1;
      if (c.follows !== (checkpoints[i - 1]?.checkpoint.signature ?? ''))
        return fail('this restore record does not follow the line it was written after (copied here?)');
    } else if (previous && c.seq < previous.checkpoint.seq) {
      return fail(
        `the log went backwards: head seq ${c.seq} after line ${previous.line} (taken ${previous.checkpoint.at}) said seq ${previous.checkpoint.seq}`
      );
    }
    previous = entry;
    if (c.seq > restoredTo[i]!) {
      beforeRestore += 1;
      continue;
    }
    if (c.seq === 0) continue;
    const hash = rows.get(c.seq);
    if (hash === undefined || storedRowCount < c.seq) {
      return fail(
        `rows after seq ${Math.min(lastSeq, c.seq - 1)} missing: it says head ${c.seq} had hash ${short(c.headHash)} and ${c.rowCount} rows; the table has ${storedRowCount}`
      );
    }
    if (hash !== c.headHash) {
      return fail(
        `the row at seq ${c.seq} was rewritten: it had hash ${short(c.headHash)}, the table now has ${short(hash)}`
      );
    }
  }
  if (restores === 0) return { ok: true, checkpoints: checkpoints.length };
  return { ok: true, checkpoints: checkpoints.length, restores, beforeRestore };
}

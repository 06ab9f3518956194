/**
 * The audit side of `db:restore` (docs/backup.md): the restored database's chain must verify with
 * the audit key, and, with a restore record naming its head appended, every checkpoint in the
 * anchor store must verify against it (those written after the backup count as before the
 * restore; see RESTORE RECORDS in src/domain/audit/checkpoint.ts). Only then is the record
 * appended; a restored database that does not match the checkpoints gets none, so the server's
 * audit verification goes on reporting the mismatch.
 */
import type { Kysely } from 'kysely';
import { signRestoreRecord, type AuditCheckpoint } from '../../domain/audit/checkpoint.js';
import type { Database } from '../../db/schema.js';
import type { AuditAnchorStore } from './anchor-store.js';
import { verifyStoredAuditChain } from './audit-log.js';

export interface RecordedRestore {
  record: AuditCheckpoint;
  /** Checkpoints in the store checked (signatures; rows unless before the restore). */
  checkpoints: number;
  /** Checkpoints past the restored head: they describe events the restored database lacks. */
  afterBackup: number;
}

export class RestoreNotRecordedError extends Error {
  constructor(message: string) {
    super(`${message} No restore record was written.`);
    this.name = 'RestoreNotRecordedError';
  }
}

export async function recordRestore(
  db: Kysely<Database>,
  auditKey: Buffer,
  anchors: AuditAnchorStore,
  now: Date
): Promise<RecordedRestore> {
  const chain = await verifyStoredAuditChain(db, auditKey, null);
  if (!chain.ok)
    throw new RestoreNotRecordedError(
      `The restored audit chain does not verify with this audit key (${chain.problem}): the wrong key, or an altered backup.`
    );
  const { checkpoints, unreadable } = await anchors.readAll();
  if (unreadable.length > 0)
    throw new RestoreNotRecordedError(
      `The anchor store has lines that are not checkpoints (${unreadable.slice(0, 5).join(', ')}).`
    );
  const record = signRestoreRecord(auditKey, {
    seq: chain.eventCount,
    headHash: chain.headHash,
    at: now.toISOString(),
    follows: checkpoints.at(-1)?.checkpoint.signature ?? '',
  });
  // The store as it will read with the record, checked against the restored rows before writing.
  const withRecord: AuditAnchorStore = {
    append: () => Promise.reject(new Error('read-only view')),
    readAll: async () => ({
      checkpoints: [...checkpoints, { line: checkpoints.length + 1, checkpoint: record }],
      unreadable: [],
    }),
  };
  const check = await verifyStoredAuditChain(db, auditKey, withRecord);
  if (!check.ok)
    throw new RestoreNotRecordedError(
      `The restored database does not match the audit checkpoints: ${check.problem}.`
    );
  await anchors.append(record);
  return {
    record,
    checkpoints: check.checkpoints,
    afterBackup: checkpoints.filter((c) => c.checkpoint.seq > record.seq).length,
  };
}

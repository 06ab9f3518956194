/**
 * A backup is a folder: the dump (pg_dump's custom format, or the embedded database's data folder
 * as a gzipped tarball) and manifest.json, which says what the dump holds and how to check it
 * later: when it was taken, from which kind of database, the migrations it had, the audit chain's
 * head at that moment, and the dump's size and SHA-256. It never holds a secret: the audit key
 * and the other keys are backed up apart from the data (docs/backup.md, key management).
 *
 * The SHA-256 catches a damaged or swapped dump before anything is restored. It is not a
 * signature (anyone can recompute it); what protects the audit log's content is the chain's HMAC
 * and the checkpoints outside the database, checked after the restore.
 */
import { createHash } from 'node:crypto';
import { createReadStream } from 'node:fs';
import { readFile, stat, writeFile } from 'node:fs/promises';
import { basename, join } from 'node:path';

export const BACKUP_FORMAT = 'gpdep-backup/1';
export const MANIFEST_FILE = 'manifest.json';

export type BackupKind = 'postgres' | 'pglite';

/** The audit chain's last row and the row count, read in the same snapshot as the dump. */
export interface AuditHead {
  seq: number;
  hash: string;
  rowCount: number;
  /** Events in the dump appended but not yet linked into the chain; linked after a restore. */
  unlinked: number;
}

export interface BackupManifest {
  format: typeof BACKUP_FORMAT;
  createdAt: string;
  database: { kind: BackupKind; serverVersion: string };
  /** Migrations applied in the backed-up database, in order. */
  migrations: string[];
  auditHead: AuditHead;
  file: { name: string; bytes: number; sha256: string };
}

/** Why a backup cannot be restored, in a sentence for the operator. */
export class BackupRejectedError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'BackupRejectedError';
  }
}

export async function sha256File(path: string): Promise<string> {
  const hash = createHash('sha256');
  for await (const chunk of createReadStream(path)) hash.update(chunk as Buffer);
  return hash.digest('hex');
}

export async function describeDumpFile(path: string): Promise<BackupManifest['file']> {
  return { name: basename(path), bytes: (await stat(path)).size, sha256: await sha256File(path) };
}

export async function writeManifest(dir: string, manifest: BackupManifest): Promise<void> {
  await writeFile(join(dir, MANIFEST_FILE), `${JSON.stringify(manifest, null, 2)}\n`, { mode: 0o600 });
}

function isManifest(value: unknown): value is BackupManifest {
  const m = value as Partial<BackupManifest> | null;
  return (
    typeof m === 'object' &&
    m !== null &&
    m.format === BACKUP_FORMAT &&
    typeof m.createdAt === 'string' &&
    (m.database?.kind === 'postgres' || m.database?.kind === 'pglite') &&
    Array.isArray(m.migrations) &&
    m.migrations.every((name) => typeof name === 'string') &&
    typeof m.auditHead?.seq === 'number' &&
    typeof m.auditHead.hash === 'string' &&
    typeof m.auditHead.rowCount === 'number' &&
    typeof m.auditHead.unlinked === 'number' &&
    typeof m.file?.name === 'string' &&
    basename(m.file.name) === m.file.name &&
    typeof m.file.bytes === 'number' &&
    typeof m.file.sha256 === 'string'
  );
}

/**
 * Reads a backup folder's manifest and checks the dump against it (size and SHA-256); throws
 * BackupRejectedError, naming the problem, before anything is restored.
 */
export async function readBackup(dir: string): Promise<{ manifest: BackupManifest; dumpPath: string }> {
  let text: string;
  try {
    text = await readFile(join(dir, MANIFEST_FILE), 'utf8');
  } catch {
    throw new BackupRejectedError(`${dir} is not a GP-DEP backup: it has no readable ${MANIFEST_FILE}.`);
  }
  let manifest: unknown;
  try {
    manifest = JSON.parse(text);
  } catch {
    throw new BackupRejectedError(`${join(dir, MANIFEST_FILE)} is not valid JSON.`);
  }
  if (!isManifest(manifest))
    throw new BackupRejectedError(
      `${join(dir, MANIFEST_FILE)} is not a ${BACKUP_FORMAT} manifest (made by another version, or altered).`
    );
  const dumpPath = join(dir, manifest.file.name);
  let bytes: number;
  try {
    bytes = (await stat(dumpPath)).size;
  } catch {
    throw new BackupRejectedError(`The dump ${dumpPath} named in the manifest is missing.`);
  }
  const sha256 = await sha256File(dumpPath);
  if (bytes !== manifest.file.bytes || sha256 !== manifest.file.sha256)
    throw new BackupRejectedError(
      `The dump ${dumpPath} does not match its manifest (${bytes} bytes, SHA-256 ${sha256.slice(0, 16)}…; ` +
        `the manifest says ${manifest.file.bytes} bytes, ${manifest.file.sha256.slice(0, 16)}…): ` +
        'it was damaged or altered after the backup. Nothing was restored.'
    );
  return { manifest, dumpPath };
}

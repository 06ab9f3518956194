/**
 * `db:backup` and `db:restore` for both kinds of database (docs/backup.md). The CLIs and the tests
 * call these; the audit side of a restore (verifying the restored chain against the checkpoints
 * and signing the restore record) is the caller's `afterLoad`, as it needs the audit key.
 */
import { mkdir, readdir, rm } from 'node:fs/promises';
import { Kysely, PostgresDialect } from 'kysely';
import pg from 'pg';
import { knownMigrationNames } from '../migrate.js';
import type { Database } from '../schema.js';
import { describeHead, kyselyQuery, readAuditHead, sameHead } from './describe.js';
import {
  BACKUP_FORMAT,
  BackupRejectedError,
  describeDumpFile,
  readBackup,
  writeManifest,
  type BackupKind,
  type BackupManifest,
} from './manifest.js';
import { backupPglite, restorePglite, withPglite } from './pglite.js';
import { backupPostgres, restorePostgres } from './postgres.js';

export type DatabaseLocation =
  { kind: 'postgres'; databaseUrl: string } | { kind: 'pglite'; dataDir: string };

export interface BackupOptions {
  source: DatabaseLocation;
  /** A new or empty folder for the dump and its manifest. */
  outDir: string;
  /** Folder holding pg_dump and pg_restore (else found beside the server's version, or on PATH). */
  pgBin?: string | undefined;
  now?: Date;
}

export async function backupDatabase(options: BackupOptions): Promise<BackupManifest> {
  const createdAt = (options.now ?? new Date()).toISOString();
  await mkdir(options.outDir, { recursive: true, mode: 0o700 });
  if ((await readdir(options.outDir)).length > 0)
    throw new BackupRejectedError(`The backup folder ${options.outDir} is not empty: give a new one.`);
  try {
    const { source } = options;
    const taken =
      source.kind === 'postgres'
        ? await backupPostgres(source.databaseUrl, options.outDir, options.pgBin)
        : await backupPglite(source.dataDir, options.outDir);
    const manifest: BackupManifest = {
      format: BACKUP_FORMAT,
      createdAt,
      database: { kind: source.kind, serverVersion: taken.serverVersion },
      migrations: taken.migrations,
      auditHead: taken.auditHead,
      file: await describeDumpFile(taken.file),
    };
    await writeManifest(options.outDir, manifest);
    return manifest;
  } catch (error) {
    // No half backup left behind to be mistaken for a good one.
    await rm(options.outDir, { recursive: true, force: true });
    throw error;
  }
}

export interface RestoreOptions {
  backupDir: string;
  target: DatabaseLocation;
  /** Replace what the target holds (else a non-empty target is refused). */
  force?: boolean;
  pgBin?: string | undefined;
}

const KIND_NAME: Record<BackupKind, string> = {
  postgres: 'a PostgreSQL database (restore it with --target-url)',
  pglite: 'the embedded database (restore it into a DATA_DIR, without --target-url)',
};

/**
 * Checks the backup (manifest, size, SHA-256, kind, migrations this version knows), restores it
 * into the target, checks that the restored audit head is the manifest's, then runs `afterLoad`
 * on the restored database (as its owner) and returns what it returns.
 */
export async function restoreDatabase<T>(
  options: RestoreOptions,
  afterLoad: (db: Kysely<Database>, manifest: BackupManifest) => Promise<T>
): Promise<{ manifest: BackupManifest; result: T }> {
  const { manifest, dumpPath } = await readBackup(options.backupDir);
  const { target } = options;
  if (manifest.database.kind !== target.kind)
    throw new BackupRejectedError(`This is a backup of ${KIND_NAME[manifest.database.kind]}.`);
  const known = new Set(knownMigrationNames());
  const unknown = manifest.migrations.filter((name) => !known.has(name));
  if (unknown.length > 0)
    throw new BackupRejectedError(
      `This backup was taken by a newer GP-DEP (migrations ${unknown.join(', ')} are unknown to this version): ` +
        'restore it with that version.'
    );
  const checked = async (db: Kysely<Database>) => {
    const head = await readAuditHead(kyselyQuery(db));
    if (!sameHead(head, manifest.auditHead))
      throw new BackupRejectedError(
        `The restored audit log ends at ${describeHead(head)}, not at ${describeHead(manifest.auditHead)} as the ` +
          'manifest says: the dump does not belong to this manifest.'
      );
    return afterLoad(db, manifest);
  };
  const force = options.force ?? false;
  if (target.kind === 'pglite') {
    const result = await restorePglite(target.dataDir, dumpPath, { force }, checked);
    return { manifest, result };
  }
  await restorePostgres(target.databaseUrl, dumpPath, { force, pgBin: options.pgBin });
  return { manifest, result: await withDatabase(target, checked) };
}

/**
 * Runs `work` on a database as it is, as its owner, without migrating it: for the restore's
 * checks, and to record a restore made by other means (PostgreSQL point-in-time recovery).
 */
export async function withDatabase<T>(
  location: DatabaseLocation,
  work: (db: Kysely<Database>) => Promise<T>
): Promise<T> {
  if (location.kind === 'pglite') return withPglite(location.dataDir, work);
  const pool = new pg.Pool({ connectionString: location.databaseUrl, max: 2 });
  pool.on('error', () => {});
  const db = new Kysely<Database>({ dialect: new PostgresDialect({ pool }) });
  try {
    return await work(db);
  } finally {
    await db.destroy();
  }
}

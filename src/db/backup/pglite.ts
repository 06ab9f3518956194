/**
 * Backup and restore of the embedded database (PGlite in a folder). A consistent copy needs that
 * nobody writes while it is taken: the tool takes the folder's lock (the one a server holds while
 * it runs, data-folder-lock.ts), opens the database, checkpoints it and has PGlite write its data
 * folder as a gzipped tarball (dumpDataDir). A running server holds the lock, so the tool refuses
 * and asks for it to be stopped: only the process that owns the folder could copy it while it
 * runs, and the server has no backup endpoint. A restore loads the tarball into an empty folder,
 * under the same lock.
 */
import { existsSync } from 'node:fs';
import { readFile, readdir, rm, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { PGlite } from '@electric-sql/pglite';
import { Kysely } from 'kysely';
import { dataFolderLockHeld, lockDataFolder } from '../data-folder-lock.js';
import { PGliteDialect } from '../pglite-dialect.js';
import type { Database } from '../schema.js';
import { readAuditHead, readMigrations, type RunQuery } from './describe.js';
import { BackupRejectedError, type AuditHead } from './manifest.js';

export const PGLITE_DUMP_FILE = 'pglite-datadir.tar.gz';

function serverRunningMessage(dataDir: string, what: string): string {
  return (
    `The embedded database in ${dataDir} is in use by a running GP-DEP server. Stop the server first ` +
    `(${what} needs the folder to itself, so no write is half in the copy), then run the command again.`
  );
}

/** Runs `work` holding the folder's lock; fails at once if a live server holds it. */
async function underLock<T>(dataDir: string, what: string, work: () => Promise<T>): Promise<T> {
  if (await dataFolderLockHeld(dataDir)) throw new BackupRejectedError(serverRunningMessage(dataDir, what));
  let lost: Error | null = null;
  const release = await lockDataFolder(dataDir, (error) => (lost = error));
  try {
    const result = await work();
    if (lost)
      throw new Error(
        `The lock on ${dataDir} was lost during the ${what} (${(lost as Error).message}); run it again.`
      );
    return result;
  } finally {
    await release().catch(() => {});
  }
}

const pgliteQuery =
  (pglite: PGlite): RunQuery =>
  async (text) =>
    (await pglite.query<Record<string, unknown>>(text)).rows;

export async function backupPglite(
  dataDir: string,
  outDir: string
): Promise<{ file: string; serverVersion: string; migrations: string[]; auditHead: AuditHead }> {
  if (!existsSync(join(dataDir, 'PG_VERSION')))
    throw new BackupRejectedError(`There is no embedded database in ${dataDir} (no PG_VERSION file).`);
  return underLock(dataDir, 'backup', async () => {
    const pglite = await PGlite.create(dataDir);
    try {
      const query = pgliteQuery(pglite);
      const migrations = await readMigrations(query);
      const auditHead = await readAuditHead(query);
      const version = await query('show server_version');
      // Every change into the data files first, so the copy needs no WAL replay when loaded.
      await pglite.exec('checkpoint');
      const tarball = await pglite.dumpDataDir('gzip');
      const file = join(outDir, PGLITE_DUMP_FILE);
      await writeFile(file, Buffer.from(await tarball.arrayBuffer()), { mode: 0o600 });
      return { file, serverVersion: String(version[0]?.server_version ?? ''), migrations, auditHead };
    } finally {
      await pglite.close();
    }
  });
}

/** Runs `work` on the embedded database in `dataDir` as it is (no migrations), under its lock. */
export async function withPglite<T>(dataDir: string, work: (db: Kysely<Database>) => Promise<T>): Promise<T> {
  if (!existsSync(join(dataDir, 'PG_VERSION')))
    throw new BackupRejectedError(`There is no embedded database in ${dataDir} (no PG_VERSION file).`);
  return underLock(dataDir, 'restore record', async () => {
    const pglite = await PGlite.create(dataDir);
    const db = new Kysely<Database>({ dialect: new PGliteDialect(pglite) });
    try {
      return await work(db);
    } finally {
      await db.destroy();
      await pglite.close();
    }
  });
}

/**
 * Loads a backup into `dataDir`, which must be empty (or `force`: its contents are removed
 * first), then calls `afterLoad` with the restored database open and the folder still locked.
 */
export async function restorePglite<T>(
  dataDir: string,
  dumpPath: string,
  options: { force: boolean },
  afterLoad: (db: Kysely<Database>) => Promise<T>
): Promise<T> {
  return underLock(dataDir, 'restore', async () => {
    // The lock file sits beside the folder, so the folder itself holds only the database.
    const entries = await readdir(dataDir);
    if (entries.length > 0) {
      if (!options.force)
        throw new BackupRejectedError(
          `The target folder ${dataDir} is not empty (${entries.length} entries, e.g. ${entries.slice(0, 3).join(', ')}). ` +
            'Restore into an empty DATA_DIR, or add --force to replace the embedded database in it.'
        );
      for (const entry of entries) await rm(join(dataDir, entry), { recursive: true, force: true });
    }
    const tarball = new File([await readFile(dumpPath)], PGLITE_DUMP_FILE, { type: 'application/x-gzip' });
    const pglite = await PGlite.create(dataDir, { loadDataDir: tarball });
    const db = new Kysely<Database>({ dialect: new PGliteDialect(pglite) });
    try {
      return await afterLoad(db);
    } finally {
      await db.destroy();
      await pglite.close();
    }
  });
}

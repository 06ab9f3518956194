/**
 * Opens the database: PGlite in a folder on disk (the embedded default, for trying the system and
 * for tests) or a PostgreSQL server when a connection string is given (real use).
 *
 * Migrations run first with the owner's rights; then every connection switches to the role
 * `gpdep_app`, which may only SELECT and INSERT on the audit log.
 */
import { mkdirSync } from 'node:fs';
import { PGlite } from '@electric-sql/pglite';
import { Kysely, PostgresDialect } from 'kysely';
import pg from 'pg';
import { lockDataFolder } from './data-folder-lock.js';
import {
  DURABILITY_SETTINGS,
  durabilityMessage,
  unsafeDurabilitySettings,
  type DurabilitySettings,
} from './durability.js';
import { migrateToLatest } from './migrate.js';
import { PGliteDialect } from './pglite-dialect.js';
import type { Database } from './schema.js';

export const APP_DB_ROLE = 'gpdep_app';

export interface DatabaseConfig {
  /** postgres://… — use a PostgreSQL server. */
  databaseUrl?: string | undefined;
  /** Folder for the embedded PGlite database, or `memory://` for a throwaway one. */
  dataDir?: string | undefined;
  /**
   * Accept a PostgreSQL server that would lose acknowledged writes on a crash (fsync,
   * synchronous_commit or full_page_writes off): for throwaway test clusters only.
   */
  allowUnsafeDurability?: boolean;
  /** Where pool errors are reported (a lost connection is logged, never a crash). */
  onPoolError?: (error: Error) => void;
  /** Called if the embedded folder's lock is lost while the server runs: stop writing at once. */
  onDataFolderLockLost?: (error: Error) => void;
  /**
   * A `memory://` database starts as a copy of this PGlite data folder dump (`dumpDataDir`)
   * instead of an empty cluster: the API tests copy one migrated database rather than creating a
   * cluster and running every migration per test. Migrations still run (a no-op when current).
   */
  memoryTemplate?: Blob | undefined;
}

/** How busy the connections are, for the metrics endpoint (docs/observability.md). */
export interface DatabasePoolStats {
  /** Connections open (PGlite: its one connection). */
  total: number;
  /** Open and not in use. */
  idle: number;
  /** Queries waiting for a connection: above zero for long means the pool is too small. */
  waiting: number;
}

export interface OpenDatabase {
  db: Kysely<Database>;
  kind: 'pglite' | 'postgres';
  close(): Promise<void>;
  poolStats(): DatabasePoolStats;
}

export async function openDatabase(config: DatabaseConfig): Promise<OpenDatabase> {
  if (config.databaseUrl) return openPostgres(config.databaseUrl, config);
  return openPglite(config.dataDir ?? './data/pglite', config);
}

async function openPglite(dataDir: string, config: DatabaseConfig): Promise<OpenDatabase> {
  const inMemory = dataDir.startsWith('memory://');
  // The lock comes first: a second server must not touch the folder at all.
  const release = inMemory
    ? async () => {}
    : await lockDataFolder(
        dataDir,
        config.onDataFolderLockLost ??
          ((error) => {
            console.error(
              `The lock on ${dataDir} was lost (${error.message}); stopping to protect the data.`
            );
            process.exit(1);
          })
      );
  if (!inMemory) mkdirSync(dataDir, { recursive: true });
  let pglite: PGlite;
  try {
    pglite =
      inMemory && config.memoryTemplate
        ? await PGlite.create({ loadDataDir: config.memoryTemplate })
        : await PGlite.create(dataDir);
  } catch (error) {
    await release();
    throw error;
  }
  const dialect = new PGliteDialect(pglite);
  const db = new Kysely<Database>({ dialect });
  await migrateToLatest(db as Kysely<unknown>);
  await pglite.exec(`set role ${APP_DB_ROLE}`);
  return {
    db,
    kind: 'pglite',
    async close() {
      await db.destroy();
      await pglite.close();
      await release();
    },
    poolStats: () => dialect.stats(),
  };
}

/** Reads the durability settings and refuses unsafe ones unless allowed (see durability.ts). */
async function checkDurability(databaseUrl: string, allowUnsafe: boolean): Promise<void> {
  const client = new pg.Client({ connectionString: databaseUrl });
  await client.connect();
  try {
    const settings: Record<string, string> = {};
    for (const name of DURABILITY_SETTINGS) {
      const result = await client.query<Record<string, string>>(`show ${name}`);
      settings[name] = String(result.rows[0]?.[name] ?? '');
    }
    const unsafe = unsafeDurabilitySettings(settings as unknown as DurabilitySettings);
    if (unsafe.length > 0 && !allowUnsafe) throw new Error(durabilityMessage(unsafe));
  } finally {
    await client.end();
  }
}

async function openPostgres(databaseUrl: string, config: DatabaseConfig): Promise<OpenDatabase> {
  await checkDurability(databaseUrl, config.allowUnsafeDurability ?? false);
  const reportPoolError =
    config.onPoolError ?? ((error: Error) => console.error(`PostgreSQL connection lost: ${error.message}`));
  const ownerPool = new pg.Pool({ connectionString: databaseUrl, max: 1 });
  ownerPool.on('error', reportPoolError);
  const ownerDb = new Kysely<unknown>({ dialect: new PostgresDialect({ pool: ownerPool }) });
  try {
    await migrateToLatest(ownerDb);
  } finally {
    await ownerDb.destroy();
  }
  const pool = new pg.Pool({ connectionString: databaseUrl, max: 10 });
  // An idle connection that the server closes (a restart, a failover) emits 'error' on the pool;
  // unhandled, it ends the process. Handled, the pool drops it and opens a new one on demand.
  pool.on('error', reportPoolError);
  // Runs before any other statement on each new connection (pg queues queries per client).
  pool.on('connect', (client) => {
    // A checked-out connection that dies mid-query rejects that query; its 'error' must not crash us.
    client.on('error', reportPoolError);
    client.query(`set role ${APP_DB_ROLE}`).catch(() => client.release(new Error('set role failed')));
  });
  const db = new Kysely<Database>({ dialect: new PostgresDialect({ pool }) });
  return {
    db,
    kind: 'postgres',
    async close() {
      await db.destroy();
    },
    poolStats: () => ({ total: pool.totalCount, idle: pool.idleCount, waiting: pool.waitingCount }),
  };
}

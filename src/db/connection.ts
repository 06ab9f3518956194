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
import { migrateToLatest } from './migrate.js';
import { PGliteDialect } from './pglite-dialect.js';
import type { Database } from './schema.js';

export const APP_DB_ROLE = 'gpdep_app';

export interface DatabaseConfig {
  /** postgres://… — use a PostgreSQL server. */
  databaseUrl?: string | undefined;
  /** Folder for the embedded PGlite database, or `memory://` for a throwaway one. */
  dataDir?: string | undefined;
}

export interface OpenDatabase {
  db: Kysely<Database>;
  kind: 'pglite' | 'postgres';
  close(): Promise<void>;
}

export async function openDatabase(config: DatabaseConfig): Promise<OpenDatabase> {
  if (config.databaseUrl) return openPostgres(config.databaseUrl);
  return openPglite(config.dataDir ?? './data/pglite');
}

async function openPglite(dataDir: string): Promise<OpenDatabase> {
  if (!dataDir.startsWith('memory://')) mkdirSync(dataDir, { recursive: true });
  const pglite = await PGlite.create(dataDir);
  const db = new Kysely<Database>({ dialect: new PGliteDialect(pglite) });
  await migrateToLatest(db as Kysely<unknown>);
  await pglite.exec(`set role ${APP_DB_ROLE}`);
  return {
    db,
    kind: 'pglite',
    async close() {
      await db.destroy();
      await pglite.close();
    },
  };
}

async function openPostgres(databaseUrl: string): Promise<OpenDatabase> {
  const ownerPool = new pg.Pool({ connectionString: databaseUrl, max: 1 });
  const ownerDb = new Kysely<unknown>({ dialect: new PostgresDialect({ pool: ownerPool }) });
  try {
    await migrateToLatest(ownerDb);
  } finally {
    await ownerDb.destroy();
  }
  const pool = new pg.Pool({ connectionString: databaseUrl, max: 10 });
  // Runs before any other statement on each new connection (pg queues queries per client).
  pool.on('connect', (client) => {
    client.query(`set role ${APP_DB_ROLE}`).catch(() => client.release(new Error('set role failed')));
  });
  const db = new Kysely<Database>({ dialect: new PostgresDialect({ pool }) });
  return {
    db,
    kind: 'postgres',
    async close() {
      await db.destroy();
    },
  };
}

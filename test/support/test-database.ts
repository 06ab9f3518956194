/**
 * A fresh, migrated database for one test file: an in-memory PGlite by default, or a new database
 * on the PostgreSQL server in DATABASE_URL (created here, dropped afterwards), so the same API
 * tests run on both.
 */
import { randomBytes } from 'node:crypto';
import { readFile } from 'node:fs/promises';
import pg from 'pg';
import { inject } from 'vitest';
import { openDatabase, type OpenDatabase } from '../../src/db/connection.js';

export interface TestDatabase extends OpenDatabase {
  /** A connection string for owner-level access (PostgreSQL only), for tamper tests. */
  ownerUrl: string | null;
}

let memoryTemplate: Promise<Blob> | undefined;

/** The migrated dump of pglite-template.global-setup.ts, read once per test file; none without it. */
function migratedTemplate(): Promise<Blob> | undefined {
  const file = inject('pgliteTemplateFile');
  if (!file) return undefined;
  memoryTemplate ??= readFile(file).then((bytes) => new Blob([bytes]));
  return memoryTemplate;
}

export async function createTestDatabase(): Promise<TestDatabase> {
  const serverUrl = process.env.DATABASE_URL;
  if (!serverUrl) {
    const database = await openDatabase({ dataDir: 'memory://', memoryTemplate: await migratedTemplate() });
    return { ...database, ownerUrl: null };
  }
  const name = `gpdep_test_${randomBytes(6).toString('hex')}`;
  const admin = new pg.Client({ connectionString: serverUrl });
  await admin.connect();
  await admin.query(`create database ${name}`);
  await admin.end();
  const url = new URL(serverUrl);
  url.pathname = `/${name}`;
  // The test cluster runs with fsync off for speed (scripts/ci/start-postgres.sh): allowed here only.
  const database = await openDatabase({ databaseUrl: url.toString(), allowUnsafeDurability: true });
  return {
    ...database,
    ownerUrl: url.toString(),
    async close() {
      await database.close();
      const dropper = new pg.Client({ connectionString: serverUrl });
      await dropper.connect();
      await dropper.query(`drop database if exists ${name} with (force)`);
      await dropper.end();
    },
  };
}

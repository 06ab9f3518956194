/**
 * Migrations run once across instances (issue 18): three server processes started at the same
 * moment on an empty PostgreSQL database all come up ready, and every migration ran exactly once:
 * Kysely's migrator takes a PostgreSQL advisory lock (PostgresAdapter.acquireMigrationLock), so
 * the second and third wait, then find nothing left to do. Without the lock two would create the
 * same tables and one would crash.
 */
import { randomBytes } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import pg from 'pg';
import { afterAll, describe, expect, it } from 'vitest';
import { startServer, testSecretsEnv, type ServerProcess } from '../../test/support/server-process.js';
import { KNOWN_MIGRATIONS } from '../db/migrate.js';

const serverUrl = process.env.DATABASE_URL;
const started: ServerProcess[] = [];
const folders: string[] = [];
let databaseName: string | null = null;

afterAll(async () => {
  for (const server of started) if (server.child.exitCode === null) server.child.kill('SIGKILL');
  await Promise.all(started.map((s) => s.exited));
  for (const folder of folders) rmSync(folder, { recursive: true, force: true });
  if (serverUrl && databaseName) {
    const admin = new pg.Client({ connectionString: serverUrl });
    await admin.connect();
    await admin.query(`drop database if exists ${databaseName} with (force)`);
    await admin.end();
  }
});

async function waitReady(server: ServerProcess): Promise<number> {
  const deadline = Date.now() + 120_000;
  for (;;) {
    if (server.child.exitCode !== null)
      throw new Error(`server exited (${server.child.exitCode}):\n${server.output()}`);
    try {
      const response = await fetch(`${server.url}/api/health/ready`);
      if (response.ok) return response.status;
    } catch {
      // not listening yet
    }
    if (Date.now() > deadline) throw new Error(`server not ready in time:\n${server.output()}`);
    await new Promise((r) => setTimeout(r, 200));
  }
}

describe.skipIf(!serverUrl)(
  'migrations with several instances (needs DATABASE_URL: a real PostgreSQL)',
  () => {
    it('three instances started at once on an empty database all become ready, each migration run once', async () => {
      databaseName = `gpdep_migrate_${randomBytes(5).toString('hex')}`;
      const admin = new pg.Client({ connectionString: serverUrl });
      await admin.connect();
      await admin.query(`create database ${databaseName}`);
      await admin.end();
      const url = new URL(serverUrl!);
      url.pathname = `/${databaseName}`;
      const anchors = mkdtempSync(join(tmpdir(), 'gpdep-anchors-'));
      folders.push(anchors);
      // One service: the same secrets and checkpoint folder for all three.
      const env = {
        ...testSecretsEnv(),
        DATABASE_URL: url.toString(),
        GPDEP_ALLOW_UNSAFE_DURABILITY: '1',
        AUDIT_ANCHOR_DIR: anchors,
        // Demo seeding is not built for concurrent starts (the cluster launcher seeds through one
        // instance first); this test is about migrations.
        SEED_DEMO: '0',
      };
      const servers = await Promise.all([1, 2, 3].map(() => startServer(env, { waitReady: false })));
      started.push(...servers);
      expect(await Promise.all(servers.map(waitReady))).toEqual([200, 200, 200]);

      const check = new pg.Client({ connectionString: url.toString() });
      await check.connect();
      try {
        const rows = await check.query<{ name: string }>('select name from kysely_migration order by name');
        const names = rows.rows.map((r) => r.name);
        expect(names).toEqual([...KNOWN_MIGRATIONS].sort());
        expect(new Set(names).size).toBe(names.length);
      } finally {
        await check.end();
      }
      for (const server of servers) {
        expect(server.output()).not.toMatch(/cannot start|Migration .* failed|already exists|error/i);
      }
    }, 180_000);
  }
);

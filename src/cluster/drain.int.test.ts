/**
 * Graceful drain (issue 18): on SIGTERM the server's readiness turns 503 at once (the balancer
 * stops sending), it keeps answering for DRAIN_SECONDS, and then stops cleanly (exit 0). Runs on
 * the embedded database, or on PostgreSQL when DATABASE_URL is set.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { startServer, testSecretsEnv, type ServerProcess } from '../../test/support/server-process.js';
import { createTestDatabase, type TestDatabase } from '../../test/support/test-database.js';

let server: ServerProcess | null = null;
let database: TestDatabase | null = null;
const folder = mkdtempSync(join(tmpdir(), 'gpdep-drain-'));
afterAll(async () => {
  if (server && server.child.exitCode === null) server.child.kill('SIGKILL');
  await database?.close();
  rmSync(folder, { recursive: true, force: true });
});

describe('SIGTERM', () => {
  it('turns readiness to 503 at once, keeps serving during the drain, then exits 0', async () => {
    const env: Record<string, string> = { DATA_DIR: folder, SEED_DEMO: '0', DRAIN_SECONDS: '3' };
    if (process.env.DATABASE_URL) {
      database = await createTestDatabase();
      Object.assign(env, testSecretsEnv(), {
        DATABASE_URL: database.ownerUrl!,
        GPDEP_ALLOW_UNSAFE_DURABILITY: '1',
        AUDIT_ANCHOR_DIR: join(folder, 'anchors'),
      });
    }
    server = await startServer(env);
    expect((await fetch(`${server.url}/api/health/ready`)).status).toBe(200);

    const signalledAt = Date.now();
    server.child.kill('SIGTERM');
    await new Promise((r) => setTimeout(r, 300));
    const ready = await fetch(`${server.url}/api/health/ready`);
    expect(ready.status).toBe(503);
    expect(ready.headers.get('content-type')).toMatch(/^application\/problem\+json/);
    // Each answer now closes its connection, so no keep-alive socket outlives the drain.
    expect(ready.headers.get('connection')).toBe('close');
    expect(((await ready.json()) as { errors: { field: string }[] }).errors.map((e) => e.field)).toEqual([
      'draining',
    ]);
    // Still serving requests that arrive during the drain.
    expect((await fetch(`${server.url}/api/health/live`)).status).toBe(200);
    expect((await fetch(`${server.url}/api/auth/session`)).status).toBe(200);

    expect(await server.exited).toBe(0);
    expect(Date.now() - signalledAt).toBeGreaterThanOrEqual(3000);
  }, 120_000);
});

/**
 * The server as a process (issue 10, items 6 and the kill -9 acceptance): one writer per embedded
 * data folder, and no acknowledged write lost when the server is killed with -9 during 1,000
 * concurrent writes, on the embedded database and (with DATABASE_URL) on PostgreSQL.
 */
import { randomBytes, randomUUID } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import pg from 'pg';
import { afterAll, describe, expect, it } from 'vitest';
import {
  loginOverHttp,
  startServer,
  testSecretsEnv,
  type ServerProcess,
} from '../../test/support/server-process.js';

const started: ServerProcess[] = [];
const folders: string[] = [];
afterAll(async () => {
  for (const server of started) if (server.child.exitCode === null) server.child.kill('SIGKILL');
  for (const folder of folders) rmSync(folder, { recursive: true, force: true });
});

async function start(env: Record<string, string>, options?: { waitReady?: boolean }) {
  const server = await startServer(env, options);
  started.push(server);
  return server;
}

function workbookBody(index: number) {
  return JSON.stringify({
    moduleId: 'm1',
    exerciseId: 'five-part-model',
    answers: { situation: `write ${index}` },
    revision: 1,
    sharedWithGp: false,
  });
}

/**
 * Fires `count` workbook saves, `concurrency` at a time, kills the server with -9 once `killAfter`
 * have been acknowledged, and returns the ids the server acknowledged (2xx) before it died.
 */
async function writeUntilKilled(server: ServerProcess, count: number, killAfter: number): Promise<string[]> {
  const session = await loginOverHttp(server.url, 'pasient11');
  const ids = Array.from({ length: count }, () => randomUUID());
  const acknowledged: string[] = [];
  let next = 0;
  let killed = false;
  const worker = async () => {
    while (next < ids.length) {
      const index = next++;
      const id = ids[index]!;
      try {
        const response = await fetch(`${server.url}/api/patients/${session.patientId}/workbook/${id}`, {
          method: 'PUT',
          headers: {
            'content-type': 'application/json',
            cookie: session.cookie,
            'x-csrf-token': session.csrfToken,
            origin: server.url,
          },
          body: workbookBody(index),
        });
        if (response.status >= 200 && response.status < 300) acknowledged.push(id);
      } catch {
        // The connection died with the server: not acknowledged.
      }
      if (!killed && acknowledged.length >= killAfter) {
        killed = true;
        server.child.kill('SIGKILL');
      }
    }
  };
  await Promise.all(Array.from({ length: 50 }, worker));
  // Too few acknowledged to reach the kill point: kill now, and let the caller's count fail.
  if (!killed) server.child.kill('SIGKILL');
  await server.exited;
  return acknowledged;
}

async function storedIds(server: ServerProcess): Promise<Set<string>> {
  const session = await loginOverHttp(server.url, 'pasient11');
  const response = await fetch(`${server.url}/api/patients/${session.patientId}/workbook`, {
    headers: { cookie: session.cookie },
  });
  expect(response.status).toBe(200);
  const body = (await response.json()) as { items: { id: string }[] };
  return new Set(body.items.map((i) => i.id));
}

describe('one writer per embedded data folder', () => {
  it('refuses a second server on the same folder with a clear message, and the first goes on', async () => {
    const dataDir = mkdtempSync(join(tmpdir(), 'gpdep-lock-'));
    folders.push(dataDir);
    const first = await start({ DATA_DIR: dataDir, DATABASE_URL: '' });
    const second = await start({ DATA_DIR: dataDir, DATABASE_URL: '' }, { waitReady: false });
    expect(await second.exited).toBe(1);
    expect(second.output()).toMatch(/data folder .* is in use by another GP-DEP server/);
    // The first server still reads and writes.
    const session = await loginOverHttp(first.url, 'pasient11');
    const id = randomUUID();
    const saved = await fetch(`${first.url}/api/patients/${session.patientId}/workbook/${id}`, {
      method: 'PUT',
      headers: {
        'content-type': 'application/json',
        cookie: session.cookie,
        'x-csrf-token': session.csrfToken,
        origin: first.url,
      },
      body: workbookBody(0),
    });
    expect(saved.status).toBe(200);
    expect((await storedIds(first)).has(id)).toBe(true);
    first.child.kill('SIGTERM');
    expect(await first.exited).toBe(0);
  }, 240_000);
});

describe('kill -9 during 1,000 concurrent writes', () => {
  it('loses no acknowledged write on the embedded database (and the restart gets the folder back)', async () => {
    const dataDir = mkdtempSync(join(tmpdir(), 'gpdep-kill-'));
    folders.push(dataDir);
    // DATABASE_URL empty: the embedded database, also when the suite runs against PostgreSQL.
    const server = await start({ DATA_DIR: dataDir, DATABASE_URL: '' });
    const acknowledged = await writeUntilKilled(server, 1000, 300);
    expect(acknowledged.length).toBeGreaterThanOrEqual(300);
    const again = await start({ DATA_DIR: dataDir, DATABASE_URL: '' });
    const stored = await storedIds(again);
    const lost = acknowledged.filter((id) => !stored.has(id));
    console.log(`embedded: ${acknowledged.length} writes acknowledged before kill -9, ${lost.length} lost`);
    expect(lost).toEqual([]);
    again.child.kill('SIGTERM');
    await again.exited;
  }, 300_000);

  it.runIf(process.env.DATABASE_URL)(
    'loses no acknowledged write on PostgreSQL',
    async () => {
      const serverUrl = process.env.DATABASE_URL!;
      const name = `gpdep_kill_${randomBytes(5).toString('hex')}`;
      const admin = new pg.Client({ connectionString: serverUrl });
      await admin.connect();
      await admin.query(`create database ${name}`);
      await admin.end();
      const url = new URL(serverUrl);
      url.pathname = `/${name}`;
      const env = {
        DATABASE_URL: url.toString(),
        SEED_DEMO: '1',
        // The test cluster runs with fsync off; the server's own process is what is killed here.
        GPDEP_ALLOW_UNSAFE_DURABILITY: '1',
        DATA_DIR: mkdtempSync(join(tmpdir(), 'gpdep-kill-pg-')),
        ...testSecretsEnv(),
      };
      folders.push(env.DATA_DIR);
      try {
        const server = await start(env);
        const acknowledged = await writeUntilKilled(server, 1000, 300);
        const again = await start(env);
        const stored = await storedIds(again);
        const lost = acknowledged.filter((id) => !stored.has(id));
        console.log(
          `PostgreSQL: ${acknowledged.length} writes acknowledged before kill -9, ${lost.length} lost`
        );
        expect(acknowledged.length).toBeGreaterThanOrEqual(300);
        expect(lost).toEqual([]);
        again.child.kill('SIGTERM');
        await again.exited;
      } finally {
        const dropper = new pg.Client({ connectionString: serverUrl });
        await dropper.connect();
        await dropper.query(`drop database if exists ${name} with (force)`);
        await dropper.end();
      }
    },
    300_000
  );
});

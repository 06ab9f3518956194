/**
 * The real server as a child process (src/cli/serve.ts through tsx), for tests that kill it,
 * restart it, or start a second one on the same data: exactly what `npm start` runs, minus the
 * build. The demo is seeded; the registry twin is skipped (an empty extract folder is given).
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { mkdirSync, mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { freePort } from '../../src/cluster/cluster.js';
import { sessionOf } from '../../src/cluster/load-fixture.js';

/** One free-port probe for the tests and the cluster launcher. */
export { freePort };

const ROOT = fileURLToPath(new URL('../../', import.meta.url));

export interface ServerProcess {
  child: ChildProcess;
  url: string;
  output: () => string;
  exited: Promise<number | null>;
}

/** Secrets for a PostgreSQL run (with the embedded database they live in DATA_DIR). */
export function testSecretsEnv(): Record<string, string> {
  return {
    AUDIT_HMAC_KEY: randomBytes(32).toString('base64'),
    CSRF_KEY: randomBytes(32).toString('base64'),
    SECOND_FACTOR_KEY: randomBytes(32).toString('base64'),
  };
}

export async function startServer(
  env: Record<string, string>,
  options: { waitReady?: boolean; port?: number } = {}
) {
  const port = options.port ?? (await freePort());
  const registry = mkdtempSync(join(tmpdir(), 'gpdep-proc-registry-'));
  mkdirSync(join(registry, 'persons'));
  let output = '';
  const child = spawn(process.execPath, ['--import', 'tsx', 'src/cli/serve.ts'], {
    cwd: ROOT,
    env: {
      ...process.env,
      PORT: String(port),
      HOST: '127.0.0.1',
      SEED_DEMO: '1',
      LOG_LEVEL: 'warn',
      WEB_ROOT: join(registry, 'no-web'),
      REGISTRY_DATA_DIR: registry,
      LOGIN_RATE_LIMIT: '10000',
      ...env,
    },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  child.stdout?.on('data', (chunk: Buffer) => (output += chunk.toString()));
  child.stderr?.on('data', (chunk: Buffer) => (output += chunk.toString()));
  const exited = new Promise<number | null>((resolve) => child.once('exit', (code) => resolve(code)));
  const server: ServerProcess = { child, url: `http://127.0.0.1:${port}`, output: () => output, exited };
  if (options.waitReady !== false) {
    const deadline = Date.now() + 120_000;
    for (;;) {
      if (child.exitCode !== null) throw new Error(`server exited (${child.exitCode}):\n${output}`);
      try {
        if ((await fetch(`${server.url}/api/health`)).ok) break;
      } catch {
        // not listening yet
      }
      if (Date.now() > deadline) throw new Error(`server not ready in time:\n${output}`);
      await new Promise((r) => setTimeout(r, 250));
    }
  }
  return server;
}

/** Logs in over HTTP and returns what a browser would keep: the session cookie and CSRF token. */
export async function loginOverHttp(url: string, username: string, password = 'gpdep-demo-2026') {
  const response = await fetch(`${url}/api/auth/login`, {
    method: 'POST',
    headers: { 'content-type': 'application/json', origin: url },
    body: JSON.stringify({ username, password }),
  });
  if (response.status !== 200)
    throw new Error(`login ${username}: ${response.status} ${await response.text()}`);
  return sessionOf(response);
}

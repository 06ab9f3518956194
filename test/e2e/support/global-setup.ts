/**
 * Browser-suite set-up: build once (web + server into dist/), start the real server on a free port
 * with a fresh DATA_DIR (it seeds the demo practice on first start), wait for /api/health, hand
 * the base URL to the tests, and stop the server afterwards.
 *
 * The server logs at info, as JSON, to `serverLogFile`; the sessions record the text they send in
 * `sentTextFile` (support/sent-text.ts); the suite's last file (server-log.last.e2e.test.ts) checks
 * that none of that text is in the log.
 */
import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import { createWriteStream, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { TestProject } from 'vitest/node';
import { startMailSink } from '../../support/mail-sink.js';
import { freePort } from '../../../src/cluster/cluster.js';

declare module 'vitest' {
  export interface ProvidedContext {
    baseUrl: string;
    /** Where the suite's SMTP server writes each message it receives, one JSON file each. */
    mailDir: string;
    /** The server's TEST_CLOCK_FILE: an offset in ms from the real time (support/server-clock.ts). */
    clockFile: string;
    /** The server's whole stdout and stderr: JSON log lines at info, and what it prints at start. */
    serverLogFile: string;
    /** Text the browser sessions sent to the server, one JSON string a line (support/sent-text.ts). */
    sentTextFile: string;
  }
}

const ROOT = fileURLToPath(new URL('../../../', import.meta.url));
const STARTUP_TIMEOUT_MS = 90_000;

async function waitForHealth(url: string, child: ChildProcess, logFile: string): Promise<void> {
  const deadline = Date.now() + STARTUP_TIMEOUT_MS;
  while (Date.now() < deadline) {
    if (child.exitCode !== null) {
      throw new Error(
        `The server exited with code ${child.exitCode} before it was ready:\n${readLog(logFile)}`
      );
    }
    try {
      const response = await fetch(`${url}/api/health`);
      if (response.status === 200) return;
    } catch {
      // Not listening yet.
    }
    await new Promise((r) => setTimeout(r, 250));
  }
  throw new Error(
    `The server did not answer /api/health within ${STARTUP_TIMEOUT_MS / 1000} s:\n${readLog(logFile)}`
  );
}

function readLog(file: string): string {
  try {
    return readFileSync(file, 'utf8').split('\n').slice(-40).join('\n');
  } catch {
    return '(no server log)';
  }
}

export default async function setup(project: TestProject): Promise<() => Promise<void>> {
  if (!process.env.E2E_SKIP_BUILD) {
    // NODE_ENV is 'test' inside Vitest; the app must be built as in production (React's production build).
    const build = spawnSync('npm', ['run', 'build'], {
      cwd: ROOT,
      stdio: 'inherit',
      env: { ...process.env, NODE_ENV: 'production' },
    });
    if (build.status !== 0) throw new Error(`npm run build failed (exit ${build.status})`);
  }

  const dataDir = mkdtempSync(join(tmpdir(), 'gpdep-e2e-'));
  const logFile = join(dataDir, 'server.log');
  const log = createWriteStream(logFile);
  const port = await freePort();
  const baseUrl = `http://127.0.0.1:${port}`;
  const mailDir = join(dataDir, 'mail');
  mkdirSync(mailDir);
  // The suite's SMTP server writes each message it receives to a file the tests read.
  let received = 0;
  const mail = await startMailSink({
    onMail: (message) => {
      received += 1;
      writeFileSync(join(mailDir, `${String(received).padStart(4, '0')}.json`), JSON.stringify(message));
    },
  });
  const clockFile = join(dataDir, 'clock-offset-ms');
  const sentTextFile = join(dataDir, 'sent-text.jsonl');
  writeFileSync(sentTextFile, '');

  // Always the embedded database in a fresh folder, seeded with the demo practice.
  const env: NodeJS.ProcessEnv = {
    ...process.env,
    PORT: String(port),
    HOST: '127.0.0.1',
    DATA_DIR: dataDir,
    NODE_ENV: 'test',
    // The suite logs in many times from one address; the per-IP login limit is tested in the API tests.
    LOGIN_RATE_LIMIT: '500',
    SEED_DEMO: '1',
    // Every request's line, as production writes it: the last test greps it for what was typed.
    LOG_LEVEL: 'info',
    LOG_FORMAT: 'json',
    SMTP_URL: `smtp://127.0.0.1:${mail.port}`,
    PUBLIC_URL: baseUrl,
    TEST_CLOCK_FILE: clockFile,
  };
  delete env.DATABASE_URL;
  const child = spawn(process.execPath, ['dist/server/cli/serve.js'], {
    cwd: ROOT,
    env,
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  child.stdout?.pipe(log);
  child.stderr?.pipe(log);

  try {
    await waitForHealth(baseUrl, child, logFile);
  } catch (error) {
    child.kill('SIGKILL');
    await mail.close();
    throw error;
  }
  project.provide('baseUrl', baseUrl);
  project.provide('clockFile', clockFile);
  project.provide('mailDir', mailDir);
  project.provide('serverLogFile', logFile);
  project.provide('sentTextFile', sentTextFile);

  return async () => {
    if (child.exitCode === null) {
      const exited = new Promise<void>((r) => child.once('exit', () => r()));
      child.kill('SIGTERM');
      const timer = setTimeout(() => child.kill('SIGKILL'), 10_000);
      await exited;
      clearTimeout(timer);
    }
    log.end();
    await mail.close();
    if (!process.env.E2E_KEEP_DATA) rmSync(dataDir, { recursive: true, force: true });
  };
}

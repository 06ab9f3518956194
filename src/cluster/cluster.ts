/**
 * Starts GP-DEP as several server processes on one PostgreSQL database behind HAProxy (issue 18):
 * the library the kill-an-instance test, `npm run bench:load` and `npm run cluster` share.
 *
 * Every instance gets the same secrets and audit-anchor folder (they are one service). Demo
 * seeding is not safe to run from several processes at once (each would see an empty database and
 * insert the same users), so with seedDemo the first instance starts alone, seeds and becomes
 * ready, and the others start after it with SEED_DEMO=0. Migrations need no such care: Kysely's
 * migrator holds a PostgreSQL advisory lock while it runs.
 */
import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { haproxyConfig } from './haproxy-config.js';

const ROOT = fileURLToPath(new URL('../../', import.meta.url));

export interface ClusterInstance {
  name: string;
  port: number;
  url: string;
  child: ChildProcess;
  output: () => string;
  exited: Promise<number | null>;
}

export interface Cluster {
  /** The balancer's address: what clients use. */
  url: string;
  instances: ClusterInstance[];
  /** HAProxy's own output (its warnings, e.g. a server going down). */
  haproxyOutput: () => string;
  /** Kills one instance at once (SIGKILL): no drain, in-flight requests are cut. */
  killInstance(index: number): Promise<void>;
  /** Waits until the balancer answers ready (another instance takes the traffic). */
  waitReady(timeoutMs?: number): Promise<void>;
  /** Stops every instance (SIGTERM, drain skipped) and the balancer. */
  stop(): Promise<void>;
}

export interface ClusterOptions {
  instances: number;
  databaseUrl: string;
  /** Environment every instance shares (secrets, AUDIT_ANCHOR_DIR, limits, …). */
  env?: Record<string, string>;
  /** Seed the demo practice (through the first instance, before the others start). */
  seedDemo?: boolean;
  /** The balancer's port (default: a free one). */
  port?: number;
  /** Server log level (default warn). */
  logLevel?: string;
  /** How long to wait for everything to become ready (default 180 s). */
  readyTimeoutMs?: number;
  /** Progress lines. */
  log?: (line: string) => void;
}

/** The haproxy binary, or null when it is not installed (tests skip then). */
export function findHaproxy(): string | null {
  for (const candidate of [
    process.env.HAPROXY_BIN,
    '/usr/sbin/haproxy',
    '/usr/bin/haproxy',
    '/usr/local/sbin/haproxy',
  ]) {
    if (candidate && existsSync(candidate)) return candidate;
  }
  const which = spawnSync('sh', ['-c', 'command -v haproxy'], { encoding: 'utf8' });
  return which.status === 0 && which.stdout.trim() ? which.stdout.trim() : null;
}

export function freePort(): Promise<number> {
  return new Promise((resolvePort, reject) => {
    const probe = createServer();
    probe.once('error', reject);
    probe.listen(0, '127.0.0.1', () => {
      const address = probe.address();
      const port = typeof address === 'object' && address ? address.port : 0;
      probe.close(() => resolvePort(port));
    });
  });
}

/**
 * The server entry: the compiled one when built (faster start, less memory), else through tsx.
 * CLUSTER_NODE_ARGS adds Node options Node refuses in NODE_OPTIONS, e.g. `--cpu-prof` to profile
 * each instance under load (the profile is written when the instance stops).
 */
function serverCommand(): string[] {
  const nodeArgs = (process.env.CLUSTER_NODE_ARGS ?? '').split(/\s+/).filter(Boolean);
  const built = join(ROOT, 'dist/server/cli/serve.js');
  if (process.env.CLUSTER_USE_DIST === '1' && existsSync(built)) return [...nodeArgs, built];
  return [...nodeArgs, '--import', 'tsx', join(ROOT, 'src/cli/serve.ts')];
}

async function waitUntil(
  check: () => Promise<boolean>,
  timeoutMs: number,
  what: () => string
): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    if (await check().catch(() => false)) return;
    if (Date.now() > deadline)
      throw new Error(`${what()}: not ready within ${Math.round(timeoutMs / 1000)} s`);
    await new Promise((r) => setTimeout(r, 200));
  }
}

async function isReady(url: string): Promise<boolean> {
  const response = await fetch(`${url}/api/health/ready`, { signal: AbortSignal.timeout(3000) });
  await response.arrayBuffer();
  return response.status === 200;
}

/** Starts one server process; resolves once it listens and is ready. */
export async function startInstance(
  name: string,
  env: Record<string, string>,
  timeoutMs: number
): Promise<ClusterInstance> {
  const port = await freePort();
  let output = '';
  const child = spawn(process.execPath, serverCommand(), {
    cwd: ROOT,
    env: { ...process.env, ...env, PORT: String(port), HOST: '127.0.0.1' },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  child.stdout?.on('data', (chunk: Buffer) => (output += chunk.toString()));
  child.stderr?.on('data', (chunk: Buffer) => (output += chunk.toString()));
  const exited = new Promise<number | null>((resolve) => child.once('exit', (code) => resolve(code)));
  const instance: ClusterInstance = {
    name,
    port,
    url: `http://127.0.0.1:${port}`,
    child,
    output: () => output,
    exited,
  };
  // An instance that exits while starting (a refused database, a taken port) fails at once with
  // its output, rather than after the whole ready timeout.
  const exitedEarly = exited.then((code) => {
    throw new Error(`${name} exited (${code ?? child.signalCode}) before it was ready:\n${output}`);
  });
  await Promise.race([
    waitUntil(
      // After an exit, stop polling (exitedEarly has already failed the race).
      async () => child.exitCode !== null || child.signalCode !== null || isReady(instance.url),
      timeoutMs,
      () => `${name}\n${output}`
    ),
    exitedEarly,
  ]).catch((error: unknown) => {
    child.kill('SIGKILL');
    throw error;
  });
  return instance;
}

export async function startCluster(options: ClusterOptions): Promise<Cluster> {
  const haproxy = findHaproxy();
  if (!haproxy) throw new Error('haproxy is not installed (Debian: apt-get install haproxy)');
  const log = options.log ?? (() => {});
  const timeoutMs = options.readyTimeoutMs ?? 180_000;
  const work = mkdtempSync(join(tmpdir(), 'gpdep-cluster-'));
  const registry = join(work, 'registry');
  mkdirSync(join(registry, 'persons'), { recursive: true });
  const shared: Record<string, string> = {
    DATABASE_URL: options.databaseUrl,
    LOG_LEVEL: options.logLevel ?? 'warn',
    DATA_DIR: join(work, 'data'),
    // One anchor folder for the service: every instance appends checkpoints of the one chain.
    AUDIT_ANCHOR_DIR: join(work, 'audit-anchors'),
    // An empty extract: the synthetic registry twin is not generated (it takes a minute).
    REGISTRY_DATA_DIR: registry,
    WEB_ROOT: join(work, 'no-web'),
    DRAIN_SECONDS: '2',
    ...options.env,
  };
  const instances: ClusterInstance[] = [];
  let balancer: ChildProcess | null = null;
  let haproxyLog = '';
  const stopAll = async () => {
    const all = [...instances.map((i) => ({ child: i.child, exited: i.exited }))];
    for (const { child } of all)
      if (child.exitCode === null && child.signalCode === null) child.kill('SIGINT');
    await Promise.race([Promise.all(all.map((a) => a.exited)), new Promise((r) => setTimeout(r, 15_000))]);
    for (const { child } of all)
      if (child.exitCode === null && child.signalCode === null) child.kill('SIGKILL');
    if (balancer && balancer.exitCode === null) {
      const gone = new Promise((r) => balancer!.once('exit', r));
      balancer.kill('SIGTERM');
      await Promise.race([gone, new Promise((r) => setTimeout(r, 5000))]);
    }
    rmSync(work, { recursive: true, force: true });
  };
  try {
    const seedDemo = options.seedDemo ?? false;
    const names = Array.from({ length: options.instances }, (_, i) => `app${i + 1}`);
    log(`starting ${names[0]}${seedDemo ? ' (migrates and seeds the demo)' : ''}`);
    instances.push(await startInstance(names[0]!, { ...shared, SEED_DEMO: seedDemo ? '1' : '0' }, timeoutMs));
    log(`starting ${names.length - 1} more instance(s)`);
    instances.push(
      ...(await Promise.all(
        names.slice(1).map((name) => startInstance(name, { ...shared, SEED_DEMO: '0' }, timeoutMs))
      ))
    );
    const port = options.port ?? (await freePort());
    const configFile = join(work, 'haproxy.cfg');
    writeFileSync(
      configFile,
      haproxyConfig({
        bind: { host: '127.0.0.1', port },
        instances: instances.map((i) => ({ name: i.name, host: '127.0.0.1', port: i.port })),
      })
    );
    balancer = spawn(haproxy, ['-W', '-db', '-f', configFile], { stdio: ['ignore', 'pipe', 'pipe'] });
    balancer.stdout?.on('data', (chunk: Buffer) => (haproxyLog += chunk.toString()));
    balancer.stderr?.on('data', (chunk: Buffer) => (haproxyLog += chunk.toString()));
    const url = `http://127.0.0.1:${port}`;
    await waitUntil(
      async () => {
        if (balancer!.exitCode !== null)
          throw new Error(`haproxy exited (${balancer!.exitCode}):\n${haproxyLog}`);
        return isReady(url);
      },
      timeoutMs,
      () => `haproxy\n${haproxyLog}`
    );
    log(`${instances.length} instance(s) behind HAProxy at ${url}`);
    return {
      url,
      instances,
      haproxyOutput: () => haproxyLog,
      async killInstance(index: number) {
        const instance = instances[index];
        if (!instance) throw new Error(`no instance ${index}`);
        instance.child.kill('SIGKILL');
        await instance.exited;
      },
      waitReady: (ms = 30_000) =>
        waitUntil(
          () => isReady(url),
          ms,
          () => 'the balancer'
        ),
      stop: stopAll,
    };
  } catch (error) {
    await stopAll();
    throw error;
  }
}

/**
 * Configuration from the environment, and the server's secrets. With the embedded database the
 * secrets are created once in DATA_DIR/secrets.json (outside the database files, mode 0600); with
 * PostgreSQL they must be given as environment variables, so a lost folder never breaks the chain.
 */
import { randomBytes } from 'node:crypto';
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import type { ServerSecrets } from './context.js';

export interface ServerConfig {
  port: number;
  host: string;
  dataDir: string;
  databaseUrl: string | undefined;
  seedDemo: boolean;
  webRoot: string;
  /** Login attempts per IP per minute. */
  loginRateLimit: number;
  /** Registry extract (Parquet) for the researcher page, and where its reports go. */
  registryDataDir: string;
  registryReportsDir: string;
  /** GPDEP_ALLOW_UNSAFE_DURABILITY=1: accept fsync/synchronous_commit/full_page_writes off (test clusters). */
  allowUnsafeDurability: boolean;
  /** AUDIT_ANCHOR_DIR: where audit checkpoints are appended (outside the database). */
  auditAnchorDir: string;
  /** NODE_ENV=production or DATABASE_URL set: keys and anchors must not live in the data folder. */
  production: boolean;
}

export function readConfig(env: NodeJS.ProcessEnv = process.env): ServerConfig {
  const port = Number(env.PORT ?? 3000);
  if (!Number.isInteger(port) || port < 0 || port > 65535)
    throw new Error(`PORT must be a port number, got ${env.PORT}`);
  const databaseUrl = env.DATABASE_URL || undefined;
  return {
    port,
    host: env.HOST ?? '127.0.0.1',
    dataDir: resolve(env.DATA_DIR ?? './data'),
    databaseUrl,
    // Demo data by default on the embedded database only; a real server gets it only when asked.
    seedDemo: env.SEED_DEMO ? env.SEED_DEMO === '1' || env.SEED_DEMO === 'true' : !databaseUrl,
    webRoot: resolve(env.WEB_ROOT ?? './dist/web'),
    loginRateLimit: Number(env.LOGIN_RATE_LIMIT ?? 20),
    registryDataDir: resolve(env.REGISTRY_DATA_DIR ?? join(env.DATA_DIR ?? './data', 'registry')),
    registryReportsDir: resolve(join(env.DATA_DIR ?? './data', 'registry-reports')),
    allowUnsafeDurability: env.GPDEP_ALLOW_UNSAFE_DURABILITY === '1',
    auditAnchorDir: resolve(env.AUDIT_ANCHOR_DIR ?? join(env.DATA_DIR ?? './data', 'audit-anchors')),
    production: env.NODE_ENV === 'production' || Boolean(databaseUrl),
  };
}

function keyFromEnv(value: string | undefined, name: string): Buffer | undefined {
  if (!value) return undefined;
  const key = Buffer.from(value, 'base64');
  if (key.length < 32) throw new Error(`${name} must be at least 32 bytes, base64-encoded`);
  return key;
}

/**
 * Production keeps the audit key out of the data it protects: whoever can copy or alter the data
 * folder must not also hold the key that signs the chain and its checkpoints. So in production
 * (NODE_ENV=production, or any DATABASE_URL) the keys come from the environment, and the
 * checkpoints may not be written inside the embedded database's folder.
 */
export function productionProblems(config: ServerConfig, env: NodeJS.ProcessEnv = process.env): string[] {
  if (!config.production) return [];
  const problems: string[] = [];
  if (!env.AUDIT_HMAC_KEY || !env.CSRF_KEY) {
    problems.push(
      'give AUDIT_HMAC_KEY and CSRF_KEY in the environment (32+ random bytes, base64); in production they may not be read from DATA_DIR/secrets.json, beside the data they protect'
    );
  }
  const pgliteDir = join(config.dataDir, 'pglite');
  if (config.auditAnchorDir === pgliteDir || config.auditAnchorDir.startsWith(`${pgliteDir}/`)) {
    problems.push(
      `AUDIT_ANCHOR_DIR (${config.auditAnchorDir}) may not lie inside the database folder ${pgliteDir}`
    );
  }
  return problems;
}

export function loadSecrets(config: ServerConfig, env: NodeJS.ProcessEnv = process.env): ServerSecrets {
  const problems = productionProblems(config, env);
  if (problems.length > 0) throw new Error(`Refusing to start in production: ${problems.join('; ')}.`);
  const auditKey = keyFromEnv(env.AUDIT_HMAC_KEY, 'AUDIT_HMAC_KEY');
  const csrfKey = keyFromEnv(env.CSRF_KEY, 'CSRF_KEY');
  if (auditKey && csrfKey) return { auditKey, csrfKey };
  mkdirSync(config.dataDir, { recursive: true });
  const file = join(config.dataDir, 'secrets.json');
  if (!existsSync(file)) {
    const fresh = {
      auditKey: randomBytes(32).toString('base64'),
      csrfKey: randomBytes(32).toString('base64'),
    };
    writeFileSync(file, JSON.stringify(fresh), { mode: 0o600 });
  }
  const stored = JSON.parse(readFileSync(file, 'utf8')) as { auditKey: string; csrfKey: string };
  return {
    auditKey: auditKey ?? Buffer.from(stored.auditKey, 'base64'),
    csrfKey: csrfKey ?? Buffer.from(stored.csrfKey, 'base64'),
  };
}

/**
 * Configuration from the environment, and the server's secrets. With the embedded demo the
 * secrets are created once in DATA_DIR/secrets.json (outside the database files, mode 0600); in
 * production they must be given in the environment (or the audit key in a file outside DATA_DIR),
 * so whoever holds the data folder does not also hold the key, and a lost folder never breaks the
 * chain.
 */
import { ID_PORTEN_ACR } from '../domain/access/id-porten-login.js';
import { PASSWORD_LOGIN_POLICIES, type PasswordLoginPolicy } from '../domain/access/password-login.js';
import { SECOND_FACTOR_POLICIES, type SecondFactorPolicy } from '../domain/access/second-factor.js';
import type { IdPortenConfig } from './auth/id-porten.js';
import type { EpjConnection, SmartLaunchConfig } from './smart/epj-launch.js';
import { clientKeyAlg, type ClientPrivateJwk, type HelseIdConfig } from './auth/helseid.js';
import { HELSEID_SECURITY_LEVELS } from '../domain/access/helseid-login.js';
import { randomBytes } from 'node:crypto';
import { existsSync, mkdirSync, readFileSync, realpathSync, writeFileSync } from 'node:fs';
import { dirname, join, relative, resolve, isAbsolute } from 'node:path';
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
  /** AUDIT_HMAC_KEY_FILE: a file holding the audit key (base64), e.g. a mounted secret. */
  auditKeyFile: string | undefined;
  /** NODE_ENV=production or DATABASE_URL set: keys and anchors must not live in the data folder. */
  production: boolean;
  /** Patient login with ID-porten (IDPORTEN_*), or null when not configured. */
  idPorten: IdPortenConfig | null;
  /** GP login with HelseID (HELSEID_*), or null when not configured. */
  helseId: HelseIdConfig | null;
  /** PASSWORD_LOGIN: all (default), staff (patients use ID-porten) or off. */
  passwordLogin: PasswordLoginPolicy;
  /** Launches from GPs' record systems (SMART_EPJS), or null when none is configured. */
  smart: SmartLaunchConfig | null;
  /**
   * STAFF_SECOND_FACTOR: optional (default; staff who enrolled a factor are asked for it) or
   * required (staff without one are sent to enrol first); WEBAUTHN_RP_ID: the passkeys' relying
   * party id (default: the host name of PUBLIC_URL).
   */
  secondFactor: { policy: SecondFactorPolicy; rpId: string | undefined };
}

/**
 * The record systems (EPJs) allowed to launch the app, from SMART_EPJS: a JSON list of
 * `{ "fhirBaseUrl": "https://…/fhir", "clientId": "…", "clientSecret": "…" }` (the secret is left
 * out for a public client). SMART_REDIRECT_URI defaults to PUBLIC_URL + /api/smart/callback;
 * SMART_ALLOW_INSECURE_HTTP=1 (EPJs on plain http) only outside production.
 */
function smartFromEnv(env: NodeJS.ProcessEnv, production: boolean, port: number): SmartLaunchConfig | null {
  if (!env.SMART_EPJS) return null;
  let parsed: unknown;
  try {
    parsed = JSON.parse(env.SMART_EPJS);
  } catch {
    throw new Error('SMART_EPJS must be a JSON list of { fhirBaseUrl, clientId, clientSecret? }');
  }
  if (!Array.isArray(parsed) || parsed.length === 0)
    throw new Error('SMART_EPJS must be a non-empty JSON list of { fhirBaseUrl, clientId, clientSecret? }');
  const insecure = env.SMART_ALLOW_INSECURE_HTTP === '1';
  if (insecure && production) throw new Error('SMART_ALLOW_INSECURE_HTTP is not allowed in production');
  const epjs: EpjConnection[] = parsed.map((entry: unknown, i) => {
    const e = (entry ?? {}) as Record<string, unknown>;
    let url: URL;
    try {
      url = new URL(String(e.fhirBaseUrl));
    } catch {
      throw new Error(`SMART_EPJS[${i}].fhirBaseUrl must be a URL`);
    }
    if (url.protocol !== 'https:' && !insecure) throw new Error(`SMART_EPJS[${i}].fhirBaseUrl must be https`);
    if (typeof e.clientId !== 'string' || !e.clientId)
      throw new Error(`SMART_EPJS[${i}].clientId is required`);
    if (e.clientSecret !== undefined && typeof e.clientSecret !== 'string')
      throw new Error(`SMART_EPJS[${i}].clientSecret must be a string`);
    return {
      fhirBaseUrl: url.href.replace(/\/+$/, ''),
      clientId: e.clientId,
      ...(e.clientSecret ? { clientSecret: e.clientSecret } : {}),
    };
  });
  const publicUrl = (env.PUBLIC_URL ?? `http://localhost:${port}`).replace(/\/$/, '');
  return {
    epjs,
    redirectUri: env.SMART_REDIRECT_URI ?? `${publicUrl}/api/smart/callback`,
    allowInsecureHttp: insecure,
  };
}

/**
 * ID-porten from the environment: IDPORTEN_ISSUER, IDPORTEN_CLIENT_ID, IDPORTEN_CLIENT_SECRET, and
 * optionally IDPORTEN_REDIRECT_URI (default PUBLIC_URL + /api/auth/idporten/callback) and
 * IDPORTEN_ACR (idporten-loa-substantial or idporten-loa-high; default substantial) and
 * IDPORTEN_POST_LOGOUT_REDIRECT_URI (default PUBLIC_URL + /login). All or none;
 * IDPORTEN_ALLOW_INSECURE_HTTP=1 (a provider on plain http) only outside production.
 */
function passwordLoginFromEnv(env: NodeJS.ProcessEnv): PasswordLoginPolicy {
  const value = env.PASSWORD_LOGIN ?? 'all';
  if (!(PASSWORD_LOGIN_POLICIES as readonly string[]).includes(value))
    throw new Error(`PASSWORD_LOGIN must be one of ${PASSWORD_LOGIN_POLICIES.join(', ')}, got ${value}`);
  return value as PasswordLoginPolicy;
}

function idPortenFromEnv(env: NodeJS.ProcessEnv, production: boolean, port: number): IdPortenConfig | null {
  const names = ['IDPORTEN_ISSUER', 'IDPORTEN_CLIENT_ID', 'IDPORTEN_CLIENT_SECRET'] as const;
  const set = names.filter((n) => env[n]);
  if (set.length === 0) return null;
  const missing = names.filter((n) => !env[n]);
  if (missing.length) throw new Error(`ID-porten is half configured: set ${missing.join(', ')} too`);
  const acr = env.IDPORTEN_ACR ?? 'idporten-loa-substantial';
  if (!(ID_PORTEN_ACR as readonly string[]).includes(acr))
    throw new Error(`IDPORTEN_ACR must be one of ${ID_PORTEN_ACR.join(', ')}, got ${acr}`);
  const insecure = env.IDPORTEN_ALLOW_INSECURE_HTTP === '1';
  if (insecure && production) throw new Error('IDPORTEN_ALLOW_INSECURE_HTTP is not allowed in production');
  const publicUrl = (env.PUBLIC_URL ?? `http://localhost:${port}`).replace(/\/$/, '');
  return {
    issuer: env.IDPORTEN_ISSUER!,
    clientId: env.IDPORTEN_CLIENT_ID!,
    clientSecret: env.IDPORTEN_CLIENT_SECRET!,
    redirectUri: env.IDPORTEN_REDIRECT_URI ?? `${publicUrl}/api/auth/idporten/callback`,
    acr: acr as IdPortenConfig['acr'],
    postLogoutRedirectUri: env.IDPORTEN_POST_LOGOUT_REDIRECT_URI ?? `${publicUrl}/login`,
    allowInsecureHttp: insecure,
  };
}

/** The HelseID client's private key: a JWK given inline (HELSEID_CLIENT_JWK) or in a file. */
function helseIdClientJwk(env: NodeJS.ProcessEnv): ClientPrivateJwk {
  if (env.HELSEID_CLIENT_JWK && env.HELSEID_CLIENT_JWK_FILE)
    throw new Error('give HELSEID_CLIENT_JWK or HELSEID_CLIENT_JWK_FILE, not both');
  let text = env.HELSEID_CLIENT_JWK;
  if (env.HELSEID_CLIENT_JWK_FILE) {
    try {
      text = readFileSync(resolve(env.HELSEID_CLIENT_JWK_FILE), 'utf8');
    } catch (error) {
      throw new Error(
        `HELSEID_CLIENT_JWK_FILE (${env.HELSEID_CLIENT_JWK_FILE}) cannot be read: ${(error as Error).message}`,
        { cause: error }
      );
    }
  }
  let jwk: ClientPrivateJwk;
  try {
    jwk = JSON.parse(text ?? '') as ClientPrivateJwk;
  } catch {
    throw new Error('The HelseID client key (HELSEID_CLIENT_JWK or its file) must be a JWK in JSON');
  }
  if (typeof jwk !== 'object' || jwk === null || !jwk.kty || !jwk.d)
    throw new Error('The HelseID client key must be a private JWK (with "kty" and "d")');
  clientKeyAlg(jwk);
  return jwk;
}

/**
 * HelseID from the environment: HELSEID_ISSUER, HELSEID_CLIENT_ID and the client's private key
 * (HELSEID_CLIENT_JWK: the JWK as JSON, or HELSEID_CLIENT_JWK_FILE: a file holding it), and
 * optionally HELSEID_REDIRECT_URI (default PUBLIC_URL + /api/auth/helseid/callback),
 * HELSEID_POST_LOGOUT_REDIRECT_URI (default PUBLIC_URL + /login), HELSEID_MIN_SECURITY_LEVEL (4,
 * the default, or 3) and HELSEID_SCOPE. All or none; HELSEID_ALLOW_INSECURE_HTTP=1 only outside
 * production.
 */
function helseIdFromEnv(env: NodeJS.ProcessEnv, production: boolean, port: number): HelseIdConfig | null {
  const names = ['HELSEID_ISSUER', 'HELSEID_CLIENT_ID'] as const;
  const keyGiven = Boolean(env.HELSEID_CLIENT_JWK || env.HELSEID_CLIENT_JWK_FILE);
  const set = names.filter((n) => env[n]);
  if (set.length === 0 && !keyGiven) return null;
  const missing: string[] = names.filter((n) => !env[n]);
  if (!keyGiven) missing.push('HELSEID_CLIENT_JWK (or HELSEID_CLIENT_JWK_FILE)');
  if (missing.length) throw new Error(`HelseID is half configured: set ${missing.join(', ')} too`);
  const level = Number(env.HELSEID_MIN_SECURITY_LEVEL ?? 4);
  if (!(HELSEID_SECURITY_LEVELS as readonly number[]).includes(level))
    throw new Error(
      `HELSEID_MIN_SECURITY_LEVEL must be one of ${HELSEID_SECURITY_LEVELS.join(', ')}, got ${env.HELSEID_MIN_SECURITY_LEVEL}`
    );
  const insecure = env.HELSEID_ALLOW_INSECURE_HTTP === '1';
  if (insecure && production) throw new Error('HELSEID_ALLOW_INSECURE_HTTP is not allowed in production');
  const publicUrl = (env.PUBLIC_URL ?? `http://localhost:${port}`).replace(/\/$/, '');
  return {
    issuer: env.HELSEID_ISSUER!,
    clientId: env.HELSEID_CLIENT_ID!,
    clientPrivateJwk: helseIdClientJwk(env),
    redirectUri: env.HELSEID_REDIRECT_URI ?? `${publicUrl}/api/auth/helseid/callback`,
    postLogoutRedirectUri: env.HELSEID_POST_LOGOUT_REDIRECT_URI ?? `${publicUrl}/login`,
    minSecurityLevel: level as HelseIdConfig['minSecurityLevel'],
    ...(env.HELSEID_SCOPE ? { scope: env.HELSEID_SCOPE } : {}),
    allowInsecureHttp: insecure,
  };
}

export function readConfig(env: NodeJS.ProcessEnv = process.env): ServerConfig {
  const port = Number(env.PORT ?? 3000);
  if (!Number.isInteger(port) || port < 0 || port > 65535)
    throw new Error(`PORT must be a port number, got ${env.PORT}`);
  const databaseUrl = env.DATABASE_URL || undefined;
  const production = env.NODE_ENV === 'production' || Boolean(databaseUrl);
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
    auditAnchorDir: resolve(env.AUDIT_ANCHOR_DIR || join(env.DATA_DIR ?? './data', 'audit-anchors')),
    auditKeyFile: env.AUDIT_HMAC_KEY_FILE ? resolve(env.AUDIT_HMAC_KEY_FILE) : undefined,
    production,
    idPorten: idPortenFromEnv(env, production, port),
    helseId: helseIdFromEnv(env, production, port),
    passwordLogin: passwordLoginFromEnv(env),
    smart: smartFromEnv(env, production, port),
    secondFactor: { policy: secondFactorPolicyFromEnv(env), rpId: env.WEBAUTHN_RP_ID || undefined },
  };
}

function secondFactorPolicyFromEnv(env: NodeJS.ProcessEnv): SecondFactorPolicy {
  const value = env.STAFF_SECOND_FACTOR ?? 'optional';
  if (!(SECOND_FACTOR_POLICIES as readonly string[]).includes(value))
    throw new Error(`STAFF_SECOND_FACTOR must be one of ${SECOND_FACTOR_POLICIES.join(', ')}, got ${value}`);
  return value as SecondFactorPolicy;
}

function keyFromEnv(value: string | undefined, name: string): Buffer | undefined {
  if (!value) return undefined;
  const key = Buffer.from(value, 'base64');
  if (key.length < 32) throw new Error(`${name} must be at least 32 bytes, base64-encoded`);
  return key;
}

/** The path with symlinks resolved as far as it exists, so a link cannot hide where it points. */
function realish(path: string): string {
  let existing = path;
  while (!existsSync(existing) && dirname(existing) !== existing) existing = dirname(existing);
  try {
    return join(realpathSync(existing), relative(existing, path));
  } catch {
    return path;
  }
}

function inside(path: string, folder: string): boolean {
  const rel = relative(realish(folder), realish(path));
  return rel === '' || (!rel.startsWith('..') && !isAbsolute(rel));
}

/**
 * Production keeps the audit key and the checkpoints away from the data they protect: whoever can
 * copy or alter the data folder must not also hold the key that signs the chain and its
 * checkpoints, nor be able to rewrite the checkpoints. Production is NODE_ENV=production or any
 * DATABASE_URL. Then:
 * - the audit key comes from AUDIT_HMAC_KEY, or AUDIT_HMAC_KEY_FILE outside DATA_DIR, never from
 *   DATA_DIR/secrets.json; CSRF_KEY and SECOND_FACTOR_KEY from the environment;
 * - AUDIT_ANCHOR_DIR lies outside the database's folder: with the embedded database that is all
 *   of DATA_DIR (so it must be set); with PostgreSQL the database lives on its own server, and
 *   the default DATA_DIR/audit-anchors on the application's machine is outside its reach.
 * Each problem names the variable to change.
 */
export function productionProblems(config: ServerConfig, env: NodeJS.ProcessEnv = process.env): string[] {
  if (!config.production) return [];
  const problems: string[] = [];
  if (!env.AUDIT_HMAC_KEY && !config.auditKeyFile) {
    problems.push(
      'give AUDIT_HMAC_KEY (32+ random bytes, base64) in the environment, or AUDIT_HMAC_KEY_FILE naming a file outside DATA_DIR; in production the audit key may not be read from DATA_DIR/secrets.json, beside the data it protects'
    );
  }
  if (config.auditKeyFile && inside(config.auditKeyFile, config.dataDir)) {
    problems.push(
      `AUDIT_HMAC_KEY_FILE (${config.auditKeyFile}) lies inside DATA_DIR (${config.dataDir}); keep the audit key apart from the data it protects`
    );
  }
  if (!env.CSRF_KEY) {
    problems.push('give CSRF_KEY (32+ random bytes, base64) in the environment');
  }
  if (!env.SECOND_FACTOR_KEY) {
    problems.push(
      'give SECOND_FACTOR_KEY (32+ random bytes, base64) in the environment; it seals the staff TOTP secrets'
    );
  }
  const databaseFolder = config.databaseUrl ? join(config.dataDir, 'pglite') : config.dataDir;
  if (inside(config.auditAnchorDir, databaseFolder)) {
    problems.push(
      config.databaseUrl
        ? `AUDIT_ANCHOR_DIR (${config.auditAnchorDir}) may not lie inside the database folder ${databaseFolder}`
        : `AUDIT_ANCHOR_DIR (${config.auditAnchorDir}) may not lie inside DATA_DIR (${config.dataDir}), which holds the embedded database: set AUDIT_ANCHOR_DIR to other storage`
    );
  }
  return problems;
}

/** The audit key from AUDIT_HMAC_KEY or AUDIT_HMAC_KEY_FILE (not both), if given. */
export function auditKeyFromEnv(config: ServerConfig, env: NodeJS.ProcessEnv): Buffer | undefined {
  if (env.AUDIT_HMAC_KEY && config.auditKeyFile)
    throw new Error('give AUDIT_HMAC_KEY or AUDIT_HMAC_KEY_FILE, not both');
  if (config.auditKeyFile) {
    let text: string;
    try {
      text = readFileSync(config.auditKeyFile, 'utf8');
    } catch (error) {
      throw new Error(
        `AUDIT_HMAC_KEY_FILE (${config.auditKeyFile}) cannot be read: ${(error as Error).message}`,
        { cause: error }
      );
    }
    // An empty file is a mistake (a secret not mounted yet), never "no key": refuse, or production
    // would quietly fall back to a key written beside the data.
    if (text.trim() === '')
      throw new Error(`AUDIT_HMAC_KEY_FILE (${config.auditKeyFile}) is empty; it must hold the audit key`);
    return keyFromEnv(text.trim(), 'AUDIT_HMAC_KEY_FILE');
  }
  return keyFromEnv(env.AUDIT_HMAC_KEY, 'AUDIT_HMAC_KEY');
}

export function loadSecrets(config: ServerConfig, env: NodeJS.ProcessEnv = process.env): ServerSecrets {
  const problems = productionProblems(config, env);
  if (problems.length > 0)
    throw new Error(
      `Refusing to start in production (NODE_ENV=production or DATABASE_URL set): ${problems.join('; ')}.`
    );
  const auditKey = auditKeyFromEnv(config, env);
  const csrfKey = keyFromEnv(env.CSRF_KEY, 'CSRF_KEY');
  const factorKey = keyFromEnv(env.SECOND_FACTOR_KEY, 'SECOND_FACTOR_KEY');
  if (auditKey && csrfKey && factorKey) return { auditKey, csrfKey, factorKey };
  // The demo only: keys created once beside the data (not tamper-proof against whoever has the folder).
  mkdirSync(config.dataDir, { recursive: true });
  const file = join(config.dataDir, 'secrets.json');
  if (!existsSync(file)) {
    const fresh = {
      auditKey: randomBytes(32).toString('base64'),
      csrfKey: randomBytes(32).toString('base64'),
      factorKey: randomBytes(32).toString('base64'),
    };
    writeFileSync(file, JSON.stringify(fresh), { mode: 0o600 });
  }
  const stored = JSON.parse(readFileSync(file, 'utf8')) as {
    auditKey: string;
    csrfKey: string;
    factorKey?: string;
  };
  if (!stored.factorKey) {
    // A demo folder from before second factors: its key is added once, beside the others.
    stored.factorKey = randomBytes(32).toString('base64');
    writeFileSync(file, JSON.stringify(stored), { mode: 0o600 });
  }
  return {
    auditKey: auditKey ?? Buffer.from(stored.auditKey, 'base64'),
    csrfKey: csrfKey ?? Buffer.from(stored.csrfKey, 'base64'),
    factorKey: factorKey ?? Buffer.from(stored.factorKey, 'base64'),
  };
}

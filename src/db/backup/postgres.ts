/**
 * Backup and restore on PostgreSQL with its own tools: pg_dump's custom format (-Fc), restored by
 * pg_restore in one transaction. The dump is taken in a snapshot exported by our own connection,
 * which reads the manifest's migrations and audit head in that same snapshot, so the manifest
 * describes exactly what the dump holds even while servers keep writing.
 *
 * Roles are not in a database's dump (they belong to the cluster), but the grants to `gpdep_app`
 * are. A restore creates the role first when the cluster lacks it (as the foundation migration
 * does), then restores objects owned by the connecting user (--no-owner: the role the server's
 * DATABASE_URL uses, which runs the migrations), with their grants.
 */
import { execFile, spawn } from 'node:child_process';
import { join } from 'node:path';
import { promisify } from 'node:util';
import pg from 'pg';
import { APP_DB_ROLE } from '../connection.js';
import { readAuditHead, readMigrations, type RunQuery } from './describe.js';
import { BackupRejectedError, type AuditHead } from './manifest.js';

export const POSTGRES_DUMP_FILE = 'database.pgdump';

/** A connection string without its password (that goes in PGPASSWORD, never on a command line). */
function toolConnection(databaseUrl: string): { dbname: string; env: Record<string, string> } {
  const url = new URL(databaseUrl);
  const password = decodeURIComponent(url.password);
  url.password = '';
  return { dbname: url.toString(), env: password ? { PGPASSWORD: password } : {} };
}

function databaseName(databaseUrl: string): string {
  const url = new URL(databaseUrl);
  return `${decodeURIComponent(url.pathname.slice(1))} on ${url.hostname}:${url.port || 5432}`;
}

async function serverVersion(client: pg.Client): Promise<{ major: number; version: string }> {
  const num = await client.query<{ server_version_num: string }>('show server_version_num');
  const text = await client.query<{ server_version: string }>('show server_version');
  return {
    major: Math.floor(Number(num.rows[0]!.server_version_num) / 10_000),
    version: text.rows[0]!.server_version,
  };
}

/**
 * pg_dump or pg_restore no older than the server (an older one refuses, or drops what it does
 * not know): PG_BIN if given, else Debian's folder for the server's major version, else PATH.
 */
export async function findPgTool(
  tool: 'pg_dump' | 'pg_restore',
  serverMajor: number,
  pgBin?: string
): Promise<string> {
  const candidates = pgBin ? [join(pgBin, tool)] : [`/usr/lib/postgresql/${serverMajor}/bin/${tool}`, tool];
  const tooOld: string[] = [];
  for (const candidate of candidates) {
    let output: string;
    try {
      output = (await promisify(execFile)(candidate, ['--version'])).stdout;
    } catch {
      continue;
    }
    const major = Number(/\b(\d+)(?:\.\d+)?/.exec(output)?.[1] ?? 0);
    if (major >= serverMajor) return candidate;
    tooOld.push(`${candidate} is version ${major}`);
  }
  throw new Error(
    `${tool} for PostgreSQL ${serverMajor} was not found${tooOld.length ? ` (${tooOld.join('; ')}, older than the server)` : ''}: ` +
      `install the client tools (Debian: postgresql-client-${serverMajor}) or set PG_BIN to the folder holding pg_dump and pg_restore.`
  );
}

function runTool(path: string, args: string[], env: Record<string, string>): Promise<void> {
  return new Promise((resolve, reject) => {
    const child = spawn(path, args, { env: { ...process.env, ...env }, stdio: ['ignore', 'ignore', 'pipe'] });
    let stderr = '';
    child.stderr.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
    child.once('error', reject);
    child.once('exit', (code) => {
      if (code === 0) resolve();
      else
        reject(
          new Error(`${path} failed (exit ${code}): ${stderr.trim().split('\n').slice(-5).join(' / ')}`)
        );
    });
  });
}

export async function backupPostgres(
  databaseUrl: string,
  outDir: string,
  pgBin?: string
): Promise<{ file: string; serverVersion: string; migrations: string[]; auditHead: AuditHead }> {
  const client = new pg.Client({ connectionString: databaseUrl });
  await client.connect();
  try {
    const server = await serverVersion(client);
    const pgDump = await findPgTool('pg_dump', server.major, pgBin);
    // The snapshot lives as long as this transaction: pg_dump must finish before it ends.
    await client.query('begin transaction isolation level repeatable read, read only');
    const snapshot = (await client.query<{ id: string }>('select pg_export_snapshot() as id')).rows[0]!.id;
    const query: RunQuery = async (text) => (await client.query<Record<string, unknown>>(text)).rows;
    const migrations = await readMigrations(query);
    const auditHead = await readAuditHead(query);
    const file = join(outDir, POSTGRES_DUMP_FILE);
    const { dbname, env } = toolConnection(databaseUrl);
    await runTool(
      pgDump,
      ['--format=custom', `--snapshot=${snapshot}`, '--no-password', `--file=${file}`, `--dbname=${dbname}`],
      env
    );
    await client.query('commit');
    return { file, serverVersion: server.version, migrations, auditHead };
  } finally {
    await client.end();
  }
}

/** Tables, views, sequences… outside PostgreSQL's own schemas: what makes a database not empty. */
async function userRelations(client: pg.Client): Promise<string[]> {
  const result = await client.query<{ name: string }>(
    `select n.nspname || '.' || c.relname as name
       from pg_class c join pg_namespace n on n.oid = c.relnamespace
      where n.nspname not in ('pg_catalog', 'information_schema', 'pg_toast')
        and n.nspname not like 'pg\\_temp\\_%' and n.nspname not like 'pg\\_toast\\_temp\\_%'
      order by 1`
  );
  return result.rows.map((row) => row.name);
}

/** --force: every schema of ours and everything in it goes; an empty public schema comes back. */
async function emptyDatabase(client: pg.Client): Promise<void> {
  const schemas = await client.query<{ nspname: string }>(
    `select nspname from pg_namespace
      where nspname not in ('pg_catalog', 'information_schema', 'pg_toast')
        and nspname not like 'pg\\_temp\\_%' and nspname not like 'pg\\_toast\\_temp\\_%'`
  );
  await client.query('begin');
  for (const { nspname } of schemas.rows)
    await client.query(`drop schema ${client.escapeIdentifier(nspname)} cascade`);
  await client.query('create schema public');
  await client.query('commit');
}

/** The runtime role, when the cluster lacks it (a new cluster): as the foundation migration makes it. */
async function ensureAppRole(client: pg.Client): Promise<void> {
  await client.query(`
    do $$
    begin
      if not exists (select 1 from pg_roles where rolname = '${APP_DB_ROLE}') then
        create role ${APP_DB_ROLE} nologin;
      end if;
    exception when duplicate_object or unique_violation then null;
    end
    $$;`);
}

/**
 * Restores a dump into the database at `targetUrl`: refused unless it is empty, or `force` (then
 * emptied first). pg_restore runs in one transaction and stops at the first error, so a failed
 * restore leaves nothing half done.
 */
export async function restorePostgres(
  targetUrl: string,
  dumpPath: string,
  options: { force: boolean; pgBin?: string | undefined }
): Promise<void> {
  const client = new pg.Client({ connectionString: targetUrl });
  await client.connect();
  let pgRestore: string;
  try {
    const server = await serverVersion(client);
    pgRestore = await findPgTool('pg_restore', server.major, options.pgBin);
    const existing = await userRelations(client);
    if (existing.length > 0) {
      if (!options.force)
        throw new BackupRejectedError(
          `The target database ${databaseName(targetUrl)} is not empty (${existing.length} tables and other relations, ` +
            `e.g. ${existing.slice(0, 3).join(', ')}). Restore into a new, empty database (createdb), or add --force ` +
            'to drop everything in it first.'
        );
      await emptyDatabase(client);
    }
    await ensureAppRole(client);
  } finally {
    await client.end();
  }
  const { dbname, env } = toolConnection(targetUrl);
  await runTool(
    pgRestore,
    [
      '--no-owner',
      '--exit-on-error',
      '--single-transaction',
      '--no-password',
      `--dbname=${dbname}`,
      dumpPath,
    ],
    env
  );
}

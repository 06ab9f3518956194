/**
 * Backup and restore (issue 18, operations): the real server makes demo data, audit events and
 * checkpoints; a backup is taken (the embedded database only while no server runs, PostgreSQL
 * online with pg_dump); the server goes on, so the anchor file gets checkpoints the backup lacks;
 * the backup is restored into a fresh database and a restore record signed; then the restored
 * chain and every checkpoint verify, and a server on the restored database serves logins and
 * audits as before. A damaged dump and a non-empty target are refused.
 *
 * The embedded round trip runs on the default (PGlite) run, the PostgreSQL one when DATABASE_URL
 * names a cluster (fresh databases are created on it with CREATE DATABASE).
 */
import { randomBytes } from 'node:crypto';
import { cpSync, existsSync, mkdtempSync, readFileSync, readdirSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import pg from 'pg';
import { afterAll, describe, expect, it } from 'vitest';
import { parseCheckpointLine } from '../../domain/audit/checkpoint.js';
import { FileAnchorStore } from '../../server/audit/anchor-store.js';
import { verifyStoredAuditChain, withAuditedTransaction } from '../../server/audit/audit-log.js';
import { recordRestore } from '../../server/audit/restore-record.js';
import { openDatabase } from '../connection.js';
import { knownMigrationNames } from '../migrate.js';
import {
  loginOverHttp,
  startServer,
  testSecretsEnv,
  type ServerProcess,
} from '../../../test/support/server-process.js';
import { backupDatabase, restoreDatabase, withDatabase, type DatabaseLocation } from './backup-restore.js';
import { restoredLogEnd } from './describe.js';
import type { BackupManifest } from './manifest.js';

const secrets = testSecretsEnv();
const auditKey = Buffer.from(secrets.AUDIT_HMAC_KEY!, 'base64');
const root = mkdtempSync(join(tmpdir(), 'gpdep-backup-test-'));
const anchorDir = join(root, 'anchors');
const anchors = new FileAnchorStore(anchorDir);
const running: ServerProcess[] = [];

afterAll(() => {
  for (const server of running) if (server.child.exitCode === null) server.child.kill('SIGKILL');
});

async function serve(env: Record<string, string>): Promise<ServerProcess> {
  const server = await startServer({ AUDIT_ANCHOR_DIR: anchorDir, ...secrets, ...env });
  running.push(server);
  return server;
}

/** A clean stop: the server writes its last checkpoint on SIGTERM. */
async function stop(server: ServerProcess): Promise<void> {
  server.child.kill('SIGTERM');
  expect(await server.exited).toBe(0);
}

/** A patient reads their answers and their GP reads them too: audited reads of patient data. */
async function someActivity(url: string): Promise<void> {
  const patient = await loginOverHttp(url, 'pasient01');
  const gp = await loginOverHttp(url, 'lege.berg');
  for (const who of [patient, gp]) {
    const response = await fetch(`${url}/api/patients/${patient.patientId}/questionnaire-responses`, {
      headers: { cookie: who.cookie },
    });
    expect(response.status).toBe(200);
  }
}

async function lastCheckpointSeq(): Promise<number> {
  const { checkpoints } = await anchors.readAll();
  return Math.max(...checkpoints.map((c) => c.checkpoint.seq));
}

/** A copy of the anchor file, in a folder of its own: whole, or without its last line. */
function anchorsCopy({ withoutLastLine = false } = {}): FileAnchorStore {
  const lines = readFileSync(anchors.file, 'utf8').trimEnd().split('\n');
  const copy = new FileAnchorStore(mkdtempSync(join(root, 'anchors-copy-')));
  writeFileSync(copy.file, `${(withoutLastLine ? lines.slice(0, -1) : lines).join('\n')}\n`);
  return copy;
}

/** The anchor file without its last line (the restore record). */
const anchorsWithoutLastLine = () => anchorsCopy({ withoutLastLine: true });

/** A copy of the backup with one byte of the dump changed. */
function tamperedCopy(backupDir: string, manifest: BackupManifest): string {
  const dir = join(root, `tampered-${randomBytes(4).toString('hex')}`);
  cpSync(backupDir, dir, { recursive: true });
  const dump = join(dir, manifest.file.name);
  const bytes = readFileSync(dump);
  const middle = Math.floor(bytes.length / 2);
  bytes[middle] = bytes[middle]! ^ 0xff;
  writeFileSync(dump, bytes);
  return dir;
}

/**
 * The checks after a restore, the same on both kinds: the restored chain and every checkpoint
 * verify with the restore record, and would not without it (the design can fail).
 */
async function expectRestoredLogVerifies(target: DatabaseLocation, manifest: BackupManifest) {
  const restored = await openDatabase(
    target.kind === 'pglite'
      ? { dataDir: target.dataDir }
      : { databaseUrl: target.databaseUrl, allowUnsafeDurability: true }
  );
  try {
    const result = await verifyStoredAuditChain(restored.db, auditKey, anchors);
    expect(result).toMatchObject({ ok: true, problem: null, eventCount: restoredLogEnd(manifest.auditHead) });
    expect(result.checkpoints).toBeGreaterThan(2);
    const withoutRecord = await verifyStoredAuditChain(restored.db, auditKey, anchorsWithoutLastLine());
    expect(withoutRecord.ok).toBe(false);
    expect(withoutRecord.problem).toContain(`rows after seq ${restoredLogEnd(manifest.auditHead)} missing`);
  } finally {
    await restored.close();
  }
}

/** After the restore the server numbers new events from the backup's head again; all verifies. */
async function expectServerOnRestoredDatabase(env: Record<string, string>, target: DatabaseLocation) {
  const headAtRestore = Number(
    parseCheckpointLine(readFileSync(anchors.file, 'utf8').trimEnd().split('\n').at(-1)!)!.seq
  );
  const server = await serve(env);
  await someActivity(server.url);
  await stop(server);
  const lines = readFileSync(anchors.file, 'utf8').trimEnd().split('\n').map(parseCheckpointLine);
  expect(lines.at(-1)).toMatchObject({ seq: expect.any(Number) });
  expect(lines.at(-1)!.kind).toBeUndefined();
  expect(lines.at(-1)!.seq).toBeGreaterThan(headAtRestore);
  const reopened = await openDatabase(
    target.kind === 'pglite'
      ? { dataDir: target.dataDir }
      : { databaseUrl: target.databaseUrl, allowUnsafeDurability: true }
  );
  try {
    expect(await verifyStoredAuditChain(reopened.db, auditKey, anchors)).toMatchObject({
      ok: true,
      problem: null,
    });
  } finally {
    await reopened.close();
  }
}

describe.skipIf(Boolean(process.env.DATABASE_URL))(
  'backup and restore of the embedded database (runs on the PGlite run; DATABASE_URL is set)',
  () => {
    const dataA = join(root, 'a');
    const source: DatabaseLocation = { kind: 'pglite', dataDir: join(dataA, 'pglite') };
    const backupDir = join(root, 'backup-pglite');
    const embedded = { DATABASE_URL: '' };

    it(
      'refuses while a server runs, copies a stopped one, and the restore verifies',
      { timeout: 600_000 },
      async () => {
        const first = await serve({ ...embedded, DATA_DIR: dataA });
        await someActivity(first.url);
        await expect(backupDatabase({ source, outDir: backupDir })).rejects.toThrow(
          /in use by a running GP-DEP server\. Stop the server first/
        );
        expect(existsSync(backupDir)).toBe(false);
        await stop(first);

        const manifest = await backupDatabase({ source, outDir: backupDir });
        expect(manifest).toMatchObject({
          database: { kind: 'pglite' },
          migrations: knownMigrationNames(),
          file: { name: 'pglite-datadir.tar.gz', sha256: expect.stringMatching(/^[0-9a-f]{64}$/) },
        });
        expect(manifest.auditHead.seq).toBeGreaterThan(0);
        expect(manifest.auditHead.rowCount).toBe(manifest.auditHead.seq);
        expect(readFileSync(join(backupDir, 'manifest.json'), 'utf8')).not.toContain(secrets.AUDIT_HMAC_KEY!);

        // Life goes on after the backup: checkpoints the backup does not have.
        const second = await serve({ ...embedded, DATA_DIR: dataA });
        await someActivity(second.url);
        await stop(second);
        expect(await lastCheckpointSeq()).toBeGreaterThan(manifest.auditHead.seq);

        const tamperedTarget: DatabaseLocation = { kind: 'pglite', dataDir: join(root, 't', 'pglite') };
        await expect(
          restoreDatabase(
            { backupDir: tamperedCopy(backupDir, manifest), target: tamperedTarget },
            async () => {}
          )
        ).rejects.toThrow(/does not match its manifest.*Nothing was restored/);
        expect(existsSync(tamperedTarget.dataDir) && readdirSync(tamperedTarget.dataDir).length > 0).toBe(
          false
        );

        const dataB = join(root, 'b');
        const target: DatabaseLocation = { kind: 'pglite', dataDir: join(dataB, 'pglite') };
        const { result } = await restoreDatabase({ backupDir, target }, (db) =>
          recordRestore(db, auditKey, anchors, new Date())
        );
        expect(result.record).toMatchObject({ kind: 'restore', seq: restoredLogEnd(manifest.auditHead) });
        expect(result.afterBackup).toBeGreaterThan(0);
        await expectRestoredLogVerifies(target, manifest);

        await expect(restoreDatabase({ backupDir, target }, async () => {})).rejects.toThrow(
          /is not empty .* add --force/
        );
        await expectServerOnRestoredDatabase({ ...embedded, DATA_DIR: dataB }, target);
      }
    );
  }
);

describe.runIf(Boolean(process.env.DATABASE_URL))(
  'backup and restore on PostgreSQL (runs when DATABASE_URL names a cluster)',
  () => {
    const serverUrl = process.env.DATABASE_URL!;
    const created: string[] = [];
    const freshDatabase = async (): Promise<string> => {
      const name = `gpdep_backup_${randomBytes(5).toString('hex')}`;
      const admin = new pg.Client({ connectionString: serverUrl });
      await admin.connect();
      await admin.query(`create database ${name}`);
      await admin.end();
      created.push(name);
      const url = new URL(serverUrl);
      url.pathname = `/${name}`;
      return url.toString();
    };
    afterAll(async () => {
      const admin = new pg.Client({ connectionString: serverUrl });
      await admin.connect();
      for (const name of created) await admin.query(`drop database if exists ${name} with (force)`);
      await admin.end();
    });
    const pgEnv = (databaseUrl: string) => ({
      DATABASE_URL: databaseUrl,
      GPDEP_ALLOW_UNSAFE_DURABILITY: '1',
      DATA_DIR: mkdtempSync(join(root, 'pg-data-')),
    });

    it(
      'dumps online in one snapshot, restores into a new database, and the restore verifies and serves',
      { timeout: 600_000 },
      async () => {
        const sourceUrl = await freshDatabase();
        const backupDir = join(root, 'backup-postgres');
        const server = await serve(pgEnv(sourceUrl));
        await someActivity(server.url);
        // Online: pg_dump and the manifest read the same snapshot while the server runs.
        const manifest = await backupDatabase({
          source: { kind: 'postgres', databaseUrl: sourceUrl },
          outDir: backupDir,
          pgBin: process.env.PG_BIN,
        });
        expect(manifest).toMatchObject({
          database: { kind: 'postgres', serverVersion: expect.stringMatching(/^\d+/) },
          migrations: knownMigrationNames(),
          file: { name: 'database.pgdump' },
        });
        expect(manifest.auditHead.seq).toBeGreaterThan(0);
        await someActivity(server.url);
        await stop(server);
        expect(await lastCheckpointSeq()).toBeGreaterThan(restoredLogEnd(manifest.auditHead));

        const target: DatabaseLocation = { kind: 'postgres', databaseUrl: await freshDatabase() };
        await expect(
          restoreDatabase({ backupDir: tamperedCopy(backupDir, manifest), target }, async () => {})
        ).rejects.toThrow(/does not match its manifest/);

        const { result } = await restoreDatabase({ backupDir, target, pgBin: process.env.PG_BIN }, (db) =>
          recordRestore(db, auditKey, anchors, new Date())
        );
        expect(result.record.seq).toBe(restoredLogEnd(manifest.auditHead));
        expect(result.afterBackup).toBeGreaterThan(0);
        await expectRestoredLogVerifies(target, manifest);
        await expect(restoreDatabase({ backupDir, target }, async () => {})).rejects.toThrow(
          /is not empty .* add --force/
        );

        // The grants to gpdep_app came back: the server (SET ROLE gpdep_app) logs people in.
        await expectServerOnRestoredDatabase(pgEnv(target.databaseUrl), target);

        // --force replaces a non-empty database, leaving nothing of it behind.
        const used: DatabaseLocation = { kind: 'postgres', databaseUrl: await freshDatabase() };
        const client = new pg.Client({ connectionString: used.databaseUrl });
        await client.connect();
        await client.query(
          'create table left_over (id int); create schema stray; create table stray.t (id int)'
        );
        await client.end();
        await restoreDatabase(
          { backupDir, target: used, force: true, pgBin: process.env.PG_BIN },
          async () => {}
        );
        const after = new pg.Client({ connectionString: used.databaseUrl });
        await after.connect();
        try {
          const leftOver = await after.query(
            `select to_regclass('public.left_over') as t, to_regnamespace('stray') as s, to_regclass('public.users') as users`
          );
          expect(leftOver.rows[0]).toEqual({ t: null, s: null, users: 'users' });
          await after.query('set role gpdep_app');
          expect((await after.query('select count(*)::int as n from users')).rows[0].n).toBeGreaterThan(0);
        } finally {
          await after.end();
        }

        // A rollback made by other means (point-in-time recovery; here the --force copy at the
        // backup's head) is recorded with --record-only: the database as it is, verified, signed.
        const recorded = await withDatabase(used, (db) => recordRestore(db, auditKey, anchors, new Date()));
        expect(recorded.record.seq).toBe(restoredLogEnd(manifest.auditHead));
        expect(recorded.afterBackup).toBeGreaterThan(0);
        await expectRestoredLogVerifies(used, manifest);

        // An event appended but not yet linked when the snapshot is taken (no chainer runs here)
        // is in the dump: the manifest counts it, and the restored log ends after it.
        await withDatabase({ kind: 'postgres', databaseUrl: sourceUrl }, (db) =>
          withAuditedTransaction(db, auditKey, new Date(), async (_trx, record) =>
            record([
              {
                actorUserId: null,
                actorRole: 'system',
                actorName: 'backup test',
                actorPracticeId: null,
                patientId: null,
                action: 'read',
                dataCategory: 'audit log',
                accessBasis: 'backup test',
                outcome: 'allowed',
                requestId: null,
              },
            ])
          )
        );
        const unlinkedDir = join(root, 'backup-postgres-unlinked');
        const withUnlinked = await backupDatabase({
          source: { kind: 'postgres', databaseUrl: sourceUrl },
          outDir: unlinkedDir,
          pgBin: process.env.PG_BIN,
        });
        expect(withUnlinked.auditHead.unlinked).toBeGreaterThanOrEqual(1);
        const unlinkedTarget: DatabaseLocation = { kind: 'postgres', databaseUrl: await freshDatabase() };
        const { result: linkedAfter } = await restoreDatabase(
          { backupDir: unlinkedDir, target: unlinkedTarget, pgBin: process.env.PG_BIN },
          (db) => recordRestore(db, auditKey, anchorsCopy(), new Date())
        );
        expect(linkedAfter.record.seq).toBe(withUnlinked.auditHead.seq + withUnlinked.auditHead.unlinked);
      }
    );
  }
);

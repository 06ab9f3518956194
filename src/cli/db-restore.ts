/**
 * `npm run db:restore -- <backup folder> [--target-url postgres://…] [--force]`: restores a backup
 * made by db:backup. A PostgreSQL backup goes into the database at --target-url, an embedded one
 * into DATA_DIR/pglite; either must be empty unless --force. Then the restored audit chain is
 * verified with the audit key against the checkpoints in AUDIT_ANCHOR_DIR, and a signed restore
 * record is appended there (docs/backup.md). The server must not be running on the target.
 *
 * `npm run db:restore -- --record-only [--target-url postgres://…]`: only the last step, for a
 * database rolled back by other means (PostgreSQL point-in-time recovery): the target (else
 * DATABASE_URL, else DATA_DIR/pglite) is verified and its head recorded as a restore.
 */
import { existsSync, readFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { parseArgs } from 'node:util';
import { restoreDatabase, withDatabase, type DatabaseLocation } from '../db/backup/backup-restore.js';
import { FileAnchorStore } from '../server/audit/anchor-store.js';
import { recordRestore } from '../server/audit/restore-record.js';
import { auditKeyFromEnv, readConfig, type ServerConfig } from '../server/config.js';

const USAGE =
  'usage: npm run db:restore -- <backup folder> [--target-url postgres://…] [--force]\n' +
  '       npm run db:restore -- --record-only [--target-url postgres://…]';

/**
 * The audit key, to sign the restore record: AUDIT_HMAC_KEY or AUDIT_HMAC_KEY_FILE, or outside
 * production the demo's DATA_DIR/secrets.json if it is there. Never a new key: one made up now
 * would not verify the restored chain.
 */
function auditKeyForRestore(config: ServerConfig): Buffer | null {
  const fromEnv = auditKeyFromEnv(config, process.env);
  if (fromEnv) return fromEnv;
  const demoSecrets = join(config.dataDir, 'secrets.json');
  if (config.production || !existsSync(demoSecrets)) return null;
  const stored = JSON.parse(readFileSync(demoSecrets, 'utf8')) as { auditKey?: string };
  return stored.auditKey ? Buffer.from(stored.auditKey, 'base64') : null;
}

try {
  const { values, positionals } = parseArgs({
    allowPositionals: true,
    options: {
      'target-url': { type: 'string' },
      force: { type: 'boolean', default: false },
      'record-only': { type: 'boolean', default: false },
    },
  });
  const recordOnly = values['record-only'];
  if (positionals.length !== (recordOnly ? 0 : 1)) throw new Error(USAGE);
  const config = readConfig();
  const auditKey = auditKeyForRestore(config);
  if (!auditKey)
    throw new Error(
      'db:restore needs the audit key to verify the restored log and sign the restore record: set AUDIT_HMAC_KEY ' +
        'or AUDIT_HMAC_KEY_FILE from your key store (for the demo, put its secrets.json back in DATA_DIR first).'
    );
  const anchors = new FileAnchorStore(config.auditAnchorDir);
  const targetUrl = values['target-url'] ?? (recordOnly ? config.databaseUrl : undefined);
  const target: DatabaseLocation = targetUrl
    ? { kind: 'postgres', databaseUrl: targetUrl }
    : { kind: 'pglite', dataDir: join(config.dataDir, 'pglite') };
  if (recordOnly) {
    const result = await withDatabase(target, (db) => recordRestore(db, auditKey, anchors, new Date()));
    console.log(`The database's audit log (head seq ${result.record.seq}) verifies with the audit key and the checkpoints;
  ${result.afterBackup} checkpoint(s) past that head now count as before the restore.
  recorded: a signed restore record appended to ${anchors.file}`);
    process.exit(0);
  }
  const { manifest, result } = await restoreDatabase(
    { backupDir: resolve(positionals[0]!), target, force: values.force, pgBin: process.env.PG_BIN },
    (db) => recordRestore(db, auditKey, anchors, new Date())
  );
  console.log(`Restored the backup taken ${manifest.createdAt} into ${
    target.kind === 'postgres' ? 'the target database' : target.dataDir
  }.
  audit log:    ${result.record.seq} events, chain verified with the audit key
  checkpoints:  ${result.checkpoints} in ${anchors.file} verified; ${result.afterBackup} of them were written after the backup and now count as before the restore
  recorded:     a signed restore record (seq ${result.record.seq}) appended to ${anchors.file}
Start the server as usual; it applies any newer migrations at start.`);
  if (result.checkpoints === 1)
    console.warn(
      `Note: ${anchors.file} held no earlier checkpoints. If this installation had an anchor file, point AUDIT_ANCHOR_DIR at it.`
    );
} catch (error) {
  console.error(`db:restore: ${(error as Error).message}`);
  process.exit(1);
}

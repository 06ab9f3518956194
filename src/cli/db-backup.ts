/**
 * `npm run db:backup [-- --out <folder>]`: backs up the database the server uses (PostgreSQL at
 * DATABASE_URL with pg_dump, or the embedded one in DATA_DIR, which must not be in use) into a new
 * folder with a manifest. Keys are not in it: back them up apart (docs/backup.md).
 */
import { join, resolve } from 'node:path';
import { parseArgs } from 'node:util';
import { backupDatabase } from '../db/backup/backup-restore.js';
import { readConfig } from '../server/config.js';

const { values } = parseArgs({ options: { out: { type: 'string' } } });
const config = readConfig();
const now = new Date();
const kind = config.databaseUrl ? 'postgres' : 'pglite';
const outDir = resolve(
  values.out ?? join('backups', `gpdep-${kind}-${now.toISOString().replace(/[-:]|\.\d+/g, '')}`)
);
try {
  const manifest = await backupDatabase({
    source: config.databaseUrl
      ? { kind: 'postgres', databaseUrl: config.databaseUrl }
      : { kind: 'pglite', dataDir: join(config.dataDir, 'pglite') },
    outDir,
    pgBin: process.env.PG_BIN,
    now,
  });
  const mb = (manifest.file.bytes / 1e6).toFixed(1);
  console.log(`Backup written to ${outDir}
  database:   ${kind === 'postgres' ? 'PostgreSQL' : 'embedded PGlite'} ${manifest.database.serverVersion}, ${manifest.migrations.length} migrations (last ${manifest.migrations.at(-1)})
  audit log:  head seq ${manifest.auditHead.seq}, ${manifest.auditHead.rowCount} events linked${
    manifest.auditHead.unlinked > 0
      ? `, ${manifest.auditHead.unlinked} more not yet linked (linked after a restore)`
      : ''
  }
  dump:       ${manifest.file.name}, ${mb} MB, sha256 ${manifest.file.sha256}
The audit key and the other keys are not in the backup: keep them in your key store, apart from it.`);
} catch (error) {
  console.error(`db:backup: ${(error as Error).message}`);
  process.exit(1);
}

/** `npm run db:migrate`: brings the database (DATABASE_URL, or PGlite in DATA_DIR) to the latest schema. */
import { join } from 'node:path';
import { openDatabase } from '../db/connection.js';
import { readConfig } from '../server/config.js';

const config = readConfig();
const database = await openDatabase({
  databaseUrl: config.databaseUrl,
  dataDir: join(config.dataDir, 'pglite'),
  allowUnsafeDurability: config.allowUnsafeDurability,
});
await database.close();
console.log('Database schema is up to date.');

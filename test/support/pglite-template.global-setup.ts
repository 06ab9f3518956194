/**
 * Once per run of the API suite on the embedded database: one PGlite cluster with every
 * migration, dumped to a file that each test's database starts from (test-database.ts).
 * Creating a PGlite cluster and migrating it took 5-10 s per test on two cores; starting from
 * the dump takes about 2. On PostgreSQL (DATABASE_URL) every test still gets a fresh database.
 */
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { PGlite } from '@electric-sql/pglite';
import { Kysely } from 'kysely';
import type { TestProject } from 'vitest/node';
import { migrateToLatest } from '../../src/db/migrate.js';
import { PGliteDialect } from '../../src/db/pglite-dialect.js';

declare module 'vitest' {
  export interface ProvidedContext {
    /** The migrated PGlite dump test databases start from; unset on PostgreSQL. */
    pgliteTemplateFile: string | undefined;
  }
}

export default async function setup(project: TestProject): Promise<(() => void) | undefined> {
  if (process.env.DATABASE_URL) {
    project.provide('pgliteTemplateFile', undefined);
    return undefined;
  }
  const pglite = await PGlite.create('memory://');
  const db = new Kysely<unknown>({ dialect: new PGliteDialect(pglite) });
  try {
    await migrateToLatest(db);
    const dump = await pglite.dumpDataDir('none');
    const dir = mkdtempSync(join(tmpdir(), 'gpdep-pglite-template-'));
    const file = join(dir, 'migrated.tar');
    writeFileSync(file, Buffer.from(await dump.arrayBuffer()));
    project.provide('pgliteTemplateFile', file);
    return () => rmSync(dir, { recursive: true, force: true });
  } finally {
    await db.destroy();
    await pglite.close();
  }
}

/**
 * Liveness and readiness for a load balancer (issue 18). Live: the process answers. Ready: this
 * instance should get traffic: the database answers `select 1`, it holds every migration this
 * build knows (an instance of a newer build must not serve an older schema), and the instance is
 * not draining for a shutdown. A newer database (migrations this build does not know) is fine:
 * during a rolling upgrade the old instances keep serving until they are replaced.
 */
import { sql, type Kysely } from 'kysely';
import { KNOWN_MIGRATIONS } from '../../db/migrate.js';
import type { Database } from '../../db/schema.js';

export type ReadinessCheckName = 'database' | 'migrations' | 'draining';

export interface ReadinessReport {
  ready: boolean;
  /** Each check and whether it passed; a failed one says why (never any data). */
  checks: Record<ReadinessCheckName, { ok: boolean; detail?: string }>;
}

/** How long a readiness probe may wait for the database before it counts as unreachable. */
const DATABASE_TIMEOUT_MS = 2000;

export class Readiness {
  #draining = false;
  /** Once all migrations were seen, they stay there: later probes skip that query. */
  #migrationsCurrent = false;

  constructor(
    private readonly db: Kysely<Database>,
    private readonly knownMigrations: readonly string[] = KNOWN_MIGRATIONS
  ) {}

  /** From now on readiness answers 503, so the balancer stops sending new requests here. */
  startDraining(): void {
    this.#draining = true;
  }

  get draining(): boolean {
    return this.#draining;
  }

  async check(): Promise<ReadinessReport> {
    const checks: ReadinessReport['checks'] = {
      database: { ok: false },
      migrations: { ok: false },
      draining: this.#draining ? { ok: false, detail: 'shutting down' } : { ok: true },
    };
    try {
      await withTimeout(sql`select 1`.execute(this.db), DATABASE_TIMEOUT_MS);
      checks.database = { ok: true };
    } catch {
      // The public answer names the check, not the driver's message (addresses, hosts).
      checks.database = { ok: false, detail: `unreachable or no answer within ${DATABASE_TIMEOUT_MS} ms` };
    }
    if (checks.database.ok) checks.migrations = await this.migrationsCheck();
    else checks.migrations = { ok: false, detail: 'not checked (no database)' };
    return { ready: Object.values(checks).every((c) => c.ok), checks };
  }

  private async migrationsCheck(): Promise<{ ok: boolean; detail?: string }> {
    if (this.#migrationsCurrent) return { ok: true };
    try {
      const rows = await withTimeout(
        sql<{ name: string }>`select name from kysely_migration`.execute(this.db),
        DATABASE_TIMEOUT_MS
      );
      const present = new Set(rows.rows.map((r) => r.name));
      const missing = this.knownMigrations.filter((name) => !present.has(name));
      if (missing.length > 0)
        return { ok: false, detail: `${missing.length} migration(s) not applied, first ${missing[0]}` };
      this.#migrationsCurrent = true;
      return { ok: true };
    } catch {
      return { ok: false, detail: 'the migration table cannot be read' };
    }
  }
}

function withTimeout<T>(promise: Promise<T>, ms: number): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(new Error(`no answer within ${ms} ms`)), ms);
  });
  return Promise.race([promise, timeout]).finally(() => clearTimeout(timer));
}

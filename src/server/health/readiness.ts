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

export interface ReadinessOptions {
  /** The migrations this build knows (default: all of src/db/migrate.ts). */
  knownMigrations?: readonly string[];
  /** How long the database probe may take (default 2 s). */
  timeoutMs?: number;
  /**
   * A probe that times out within this long after the last one that answered counts as busy,
   * not unreachable (default 30 s). Under heavy load the probe queues for a pool connection behind
   * real requests; taking a busy instance out would only push its load onto the others (and
   * with one instance, refuse everyone). An error from the database, or no answer for longer,
   * is a failure at once.
   */
  busyGraceMs?: number;
  /** The database probe (default `select 1` on the app's database; tests slow it down). */
  probe?: () => Promise<unknown>;
}

class ProbeTimeout extends Error {}

export class Readiness {
  #draining = false;
  /** Once all migrations were seen, they stay there: later probes skip that query. */
  #migrationsCurrent = false;
  #lastAnsweredAt = Number.NEGATIVE_INFINITY;
  private readonly knownMigrations: readonly string[];
  private readonly timeoutMs: number;
  private readonly busyGraceMs: number;
  private readonly probe: () => Promise<unknown>;

  constructor(
    private readonly db: Kysely<Database>,
    options: ReadinessOptions = {}
  ) {
    this.knownMigrations = options.knownMigrations ?? KNOWN_MIGRATIONS;
    this.timeoutMs = options.timeoutMs ?? 2000;
    this.busyGraceMs = options.busyGraceMs ?? 30_000;
    this.probe = options.probe ?? (() => sql`select 1`.execute(this.db));
  }

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
      await withTimeout(this.probe(), this.timeoutMs);
      this.#lastAnsweredAt = Date.now();
      checks.database = { ok: true };
    } catch (error) {
      const busy = error instanceof ProbeTimeout && Date.now() - this.#lastAnsweredAt <= this.busyGraceMs;
      // The public answer names the check, not the driver's message (addresses, hosts).
      checks.database = busy
        ? { ok: true, detail: `busy: no answer within ${this.timeoutMs} ms, but answering recently` }
        : { ok: false, detail: `unreachable or no answer within ${this.timeoutMs} ms` };
    }
    if (checks.database.ok && !checks.database.detail) checks.migrations = await this.migrationsCheck();
    else if (checks.database.ok)
      checks.migrations = this.#migrationsCurrent
        ? { ok: true }
        : { ok: false, detail: 'not checked (database busy)' };
    else checks.migrations = { ok: false, detail: 'not checked (no database)' };
    return { ready: Object.values(checks).every((c) => c.ok), checks };
  }

  private async migrationsCheck(): Promise<{ ok: boolean; detail?: string }> {
    if (this.#migrationsCurrent) return { ok: true };
    try {
      const rows = await withTimeout(
        sql<{ name: string }>`select name from kysely_migration`.execute(this.db),
        this.timeoutMs
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
    timer = setTimeout(() => reject(new ProbeTimeout(`no answer within ${ms} ms`)), ms);
  });
  return Promise.race([promise, timeout]).finally(() => clearTimeout(timer));
}

/**
 * A @fastify/rate-limit store in the database (issue 18): every server instance behind the
 * balancer counts into the same rows, so a client gets the limit once, not once per instance.
 * It follows the in-memory store's rules: a window starts at a key's first hit and lasts the
 * route's timeWindow; the next hit after it starts a new one. One atomic upsert per request
 * (`insert … on conflict do update … returning`), so concurrent hits on several instances are
 * all counted. The clock is the database's, the one clock every instance shares.
 *
 * Keys are hashed with the route they belong to: no address or user id is stored in the clear,
 * and two routes' limits never share a count. Old rows are pruned now and then.
 */
import { createHash } from 'node:crypto';
import { sql, type Kysely, type RawBuilder } from 'kysely';
import type { Database } from '../../db/schema.js';

type Callback = (error: Error | null, result?: { current: number; ttl: number }) => void;

/** What the plugin passes to the store's constructor and child(): the merged route options. */
interface StoreOptions {
  continueExceeding?: boolean;
  exponentialBackoff?: boolean;
  routeInfo?: { method?: string | string[]; url?: string };
}

/** Rows whose window ended this long ago (and at least a window ago) are deleted. */
const PRUNE_AFTER_MS = 60 * 60 * 1000;
/** Each instance prunes at most this often. */
const PRUNE_EVERY_MS = 60 * 1000;

interface SharedState {
  db: Kysely<Database>;
  longestWindowMs: number;
  lastPruneMs: number;
  onError: (error: Error) => void;
}

/** The hashed key of a client on one route (or the plugin-wide scope). */
export function rateLimitKey(scope: string, clientKey: string): string {
  return createHash('sha256').update(scope).update('\u0000').update(clientKey).digest('base64url');
}

/**
 * Returns the store class to pass as `store` to @fastify/rate-limit (the plugin constructs it
 * with its options; the database comes in through the closure).
 */
export function databaseRateLimitStore(
  db: Kysely<Database>,
  onError: (error: Error) => void = () => {}
): new (options: object) => DatabaseRateLimitStore {
  const shared: SharedState = { db, longestWindowMs: 0, lastPruneMs: Date.now(), onError };
  return class extends DatabaseRateLimitStore {
    constructor(options: object) {
      super(shared, options, 'global');
    }
  };
}

/** Milliseconds left in the row's window (c.window_start + window). */
function ttlMs(window: RawBuilder<unknown>): RawBuilder<number> {
  return sql<number>`greatest(0, ceil(extract(epoch from (c.window_start + ${window} - clock_timestamp())) * 1000))::int`;
}

export class DatabaseRateLimitStore {
  constructor(
    private readonly shared: SharedState,
    options: StoreOptions,
    private readonly scope: string
  ) {
    // Backoff variants would need other SQL; none of our routes uses them, so refuse rather than
    // silently count differently from what the route asked for.
    if (options.continueExceeding || options.exponentialBackoff)
      throw new Error(
        'The database rate-limit store supports neither continueExceeding nor exponentialBackoff'
      );
  }

  incr(key: string, callback: Callback, timeWindow: number): void {
    this.shared.longestWindowMs = Math.max(this.shared.longestWindowMs, timeWindow);
    const hashed = rateLimitKey(this.scope, key);
    const window = sql`${timeWindow}::float8 * interval '1 millisecond'`;
    // excluded.window_start is this statement's one reading of the clock.
    sql<{ hits: number; ttl_ms: number }>`
      insert into rate_limit_counters as c (key, window_start, hits)
      values (${hashed}, clock_timestamp(), 1)
      on conflict (key) do update set
        hits = case when c.window_start + ${window} <= excluded.window_start then 1 else c.hits + 1 end,
        window_start = case when c.window_start + ${window} <= excluded.window_start
                            then excluded.window_start else c.window_start end
      returning hits, ${ttlMs(window)} as ttl_ms
    `
      .execute(this.shared.db)
      .then((result) => {
        const row = result.rows[0]!;
        callback(null, { current: row.hits, ttl: row.ttl_ms });
        this.pruneNowAndThen();
      })
      .catch((error: unknown) => callback(error as Error));
  }

  /** The current count without counting (the plugin's `increment: false`). */
  read(key: string, callback: Callback, timeWindow: number): void {
    const hashed = rateLimitKey(this.scope, key);
    const window = sql`${timeWindow}::float8 * interval '1 millisecond'`;
    sql<{ hits: number; ttl_ms: number }>`
      select hits, ${ttlMs(window)} as ttl_ms
      from rate_limit_counters as c
      where key = ${hashed} and c.window_start + ${window} > clock_timestamp()
    `
      .execute(this.shared.db)
      .then((result) => {
        const row = result.rows[0];
        callback(null, row ? { current: row.hits, ttl: row.ttl_ms } : { current: 0, ttl: 0 });
      })
      .catch((error: unknown) => callback(error as Error));
  }

  /** A route's own store: the same table, its own scope (method and path). */
  child(routeOptions: object): DatabaseRateLimitStore {
    // At run time the plugin passes the merged route options with `routeInfo` (its typings say
    // the route options themselves).
    const options = routeOptions as StoreOptions;
    const info = options.routeInfo ?? {};
    const method = Array.isArray(info.method) ? info.method.join(',') : (info.method ?? '');
    return new DatabaseRateLimitStore(this.shared, options, `${method} ${info.url ?? ''}`);
  }

  private pruneNowAndThen(): void {
    const nowMs = Date.now();
    if (nowMs - this.shared.lastPruneMs < PRUNE_EVERY_MS) return;
    this.shared.lastPruneMs = nowMs;
    const keepMs = Math.max(PRUNE_AFTER_MS, 2 * this.shared.longestWindowMs);
    sql`delete from rate_limit_counters where window_start < clock_timestamp() - ${keepMs}::float8 * interval '1 millisecond'`
      .execute(this.shared.db)
      .catch((error: unknown) => this.shared.onError(error as Error));
  }
}

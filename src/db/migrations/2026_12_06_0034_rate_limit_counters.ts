/**
 * Rate-limit counters in the database (issue 18), so that several server instances behind one
 * balancer share one count per client instead of each allowing the full limit. One row per
 * limited route and client (the key is a hash: no address or user id is stored in the clear);
 * the window starts at the first hit, as in @fastify/rate-limit's in-memory store.
 *
 * And the runtime role may read which migrations ran, for the readiness check.
 */
import { sql, type Kysely } from 'kysely';

export async function up(db: Kysely<unknown>): Promise<void> {
  await sql`
    create table rate_limit_counters (
      key text primary key check (length(key) <= 128),
      window_start timestamptz not null,
      hits integer not null check (hits >= 0)
    );
    -- Pruning deletes the rows whose window ended long ago.
    create index rate_limit_counters_window_start on rate_limit_counters (window_start);

    grant select, insert, update, delete on rate_limit_counters to gpdep_app;
    -- Readiness (GET /api/health/ready) checks that every migration of the build has run.
    grant select on kysely_migration to gpdep_app;
  `.execute(db);
}

export async function down(db: Kysely<unknown>): Promise<void> {
  await sql`revoke select on kysely_migration from gpdep_app; drop table if exists rate_limit_counters`.execute(
    db
  );
}

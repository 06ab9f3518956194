/**
 * Device cookies (issue 10, item 3): the lockout of one trusted browser, by the hash of its
 * cookie's nonce. The lockout of untrusted clients per account stays in login_throttle.
 */
import { sql, type Kysely } from 'kysely';

export async function up(db: Kysely<unknown>): Promise<void> {
  await sql`
    create table login_devices (
      nonce_hash text primary key,
      username text not null,
      failures integer not null default 0,
      locked_until timestamptz,
      last_used_at timestamptz not null
    );
    create index login_devices_by_username on login_devices (username);
    grant select, insert, update, delete on login_devices to gpdep_app;
  `.execute(db);
}

export async function down(db: Kysely<unknown>): Promise<void> {
  await sql`drop table if exists login_devices;`.execute(db);
}

/**
 * Logins through an OpenID provider (issue 16: ID-porten for patients). Between sending the
 * browser to the provider and its return, the login attempt waits here, not in the server's
 * memory, so any instance can finish it: the `state` and `nonce` sent, the PKCE code verifier, and
 * the hash of the random value in the browser's attempt cookie (the attempt is bound to the browser
 * that started it). An attempt is used once and expires after 10 minutes.
 */
import { sql, type Kysely } from 'kysely';

export async function up(db: Kysely<unknown>): Promise<void> {
  await sql`
    create table oidc_login_attempts (
      cookie_hash text primary key,
      provider text not null check (provider in ('idporten')),
      state text not null,
      nonce text not null,
      code_verifier text not null,
      created_at timestamptz not null,
      expires_at timestamptz not null,
      used_at timestamptz
    );
    create index oidc_login_attempts_expiry on oidc_login_attempts (expires_at);

    grant select, insert, update, delete on oidc_login_attempts to gpdep_app;
  `.execute(db);
}

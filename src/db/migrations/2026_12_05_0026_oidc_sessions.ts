/**
 * Logging out of the provider too (issue 16): a platform session started through ID-porten or
 * HelseID remembers which provider session it came from, so that
 *
 * - logout can send the browser to the provider's end-session endpoint with the ID token as
 *   `id_token_hint` (OpenID Connect RP-Initiated Logout 1.0), and
 * - the provider's back-channel logout (OpenID Connect Back-Channel Logout 1.0) can name the
 *   provider session (`sid`) or the person (`sub`) and have the matching platform sessions revoked.
 *
 * The row goes with the session (cascade) and is deleted at logout. `oidc_logout_tokens` holds the
 * `jti` of each accepted logout token until it has expired, so a replayed token does nothing.
 */
import { sql, type Kysely } from 'kysely';

export async function up(db: Kysely<unknown>): Promise<void> {
  await sql`
    create table oidc_sessions (
      session_token_hash text primary key references sessions (token_hash) on delete cascade,
      provider text not null check (provider in ('idporten', 'helseid')),
      issuer text not null,
      subject text not null,
      sid text,
      id_token text not null,
      created_at timestamptz not null
    );
    create index oidc_sessions_sid on oidc_sessions (issuer, sid);
    create index oidc_sessions_subject on oidc_sessions (issuer, subject);

    create table oidc_logout_tokens (
      issuer text not null,
      jti text not null,
      expires_at timestamptz not null,
      primary key (issuer, jti)
    );
    create index oidc_logout_tokens_expiry on oidc_logout_tokens (expires_at);

    grant select, insert, update, delete on oidc_sessions to gpdep_app;
    grant select, insert, update, delete on oidc_logout_tokens to gpdep_app;
  `.execute(db);
}

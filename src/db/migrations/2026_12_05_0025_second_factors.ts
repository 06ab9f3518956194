/**
 * Second factors for staff on password login (issue 16): TOTP and passkeys (WebAuthn), recovery
 * codes, the half-finished password login that waits for its second factor, WebAuthn challenges,
 * and on the session when it was last (re-)authenticated, for step-up.
 *
 * - `second_factors`: one row per factor. A TOTP secret is stored sealed (AES-256-GCM with the
 *   server's factor key), never in plain text; `totp_last_step` is the last time step used, so the
 *   same code cannot be used twice. A factor is usable once confirmed (`confirmed_at`). A passkey
 *   keeps its credential id, COSE public key and signature counter.
 * - `recovery_codes`: only SHA-256 hashes of high-entropy one-time codes; `used_at` once used.
 * - `pending_logins`: a right password of a user with a factor, bound to the browser by the hash
 *   of a random cookie; no session exists until the factor is given. Expires after 5 minutes.
 * - `webauthn_challenges`: a challenge is stored (any instance can finish), bound to the pending
 *   login or session that asked for it, used once, expires after 5 minutes.
 * - `sessions.reauthenticated_at`: the last step-up; `enrolment_required`: the policy demands a
 *   factor and this user has none yet, so only enrolment is open to the session.
 */
import { sql, type Kysely } from 'kysely';

export async function up(db: Kysely<unknown>): Promise<void> {
  await sql`
    create table second_factors (
      id uuid primary key default gen_random_uuid(),
      user_id uuid not null references users (id) on delete cascade,
      kind text not null check (kind in ('totp', 'passkey')),
      label text not null,
      created_at timestamptz not null,
      confirmed_at timestamptz,
      last_used_at timestamptz,
      totp_secret_sealed text,
      totp_last_step bigint,
      credential_id text unique,
      public_key text,
      sign_count bigint,
      transports jsonb not null default '[]',
      check ((kind = 'totp') = (totp_secret_sealed is not null)),
      check ((kind = 'passkey') = (credential_id is not null and public_key is not null and sign_count is not null))
    );
    create index second_factors_user on second_factors (user_id);

    create table recovery_codes (
      id uuid primary key default gen_random_uuid(),
      user_id uuid not null references users (id) on delete cascade,
      code_hash text not null unique,
      created_at timestamptz not null,
      used_at timestamptz
    );
    create index recovery_codes_user on recovery_codes (user_id);

    create table pending_logins (
      cookie_hash text primary key,
      user_id uuid not null references users (id) on delete cascade,
      username text not null,
      device_nonce_hash text,
      attempts integer not null default 0,
      created_at timestamptz not null,
      expires_at timestamptz not null
    );
    create index pending_logins_expiry on pending_logins (expires_at);

    create table webauthn_challenges (
      challenge text primary key,
      purpose text not null check (purpose in ('register', 'login', 'step_up')),
      user_id uuid not null references users (id) on delete cascade,
      bound_to text not null,
      created_at timestamptz not null,
      expires_at timestamptz not null,
      used_at timestamptz
    );
    create index webauthn_challenges_expiry on webauthn_challenges (expires_at);

    alter table sessions add column reauthenticated_at timestamptz;
    alter table sessions add column enrolment_required boolean not null default false;

    grant select, insert, update, delete on second_factors, recovery_codes, pending_logins,
      webauthn_challenges to gpdep_app;
  `.execute(db);
}

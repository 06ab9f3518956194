/**
 * Access rules for a pilot (issue 10):
 * - an invitation has a purpose: a first login (the patient has no password yet) or a recovery
 *   the GP started for a patient who lost access (every session ended, the password cleared);
 *   redeeming never changes the credentials of an account that has them;
 * - `alert_views` goes: opening a page recorded alerts as "seen", which was read as handled.
 *   Who opened what is in the audit log; acknowledging is an explicit act.
 */
import { sql, type Kysely } from 'kysely';

export async function up(db: Kysely<unknown>): Promise<void> {
  await sql`
    alter table invitations add column purpose text not null default 'first_login'
      check (purpose in ('first_login', 'recovery'));
    drop table if exists alert_views;
  `.execute(db);
}

export async function down(db: Kysely<unknown>): Promise<void> {
  await sql`
    alter table invitations drop column if exists purpose;
    create table if not exists alert_views (
      alert_id uuid not null references safety_alerts (id),
      user_id uuid not null references users (id),
      seen_at timestamptz not null,
      primary key (alert_id, user_id)
    );
    grant select, insert, update, delete on alert_views to gpdep_app;
  `.execute(db);
}

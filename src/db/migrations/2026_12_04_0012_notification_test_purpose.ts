/**
 * A test message through the notification outbox (issue 11 §1, the settings screen): a practice
 * checks that mail reaches an address before an urgent case depends on it. It goes the same way
 * as an urgent notification (outbox, channel, attempts recorded), with purpose 'test', no case,
 * and no health content. For a test, recipient_user_id is the GP who asked for it.
 */
import { sql, type Kysely } from 'kysely';

export async function up(db: Kysely<unknown>): Promise<void> {
  await sql`
    alter table notifications drop constraint notifications_purpose_check;
    alter table notifications add constraint notifications_purpose_check
      check (purpose in ('urgent_new', 'urgent_escalation', 'test'));
    -- A test belongs to no case; every urgent notification still belongs to one.
    alter table notifications add constraint notifications_case_unless_test
      check ((purpose = 'test') = (case_id is null));
  `.execute(db);
}

export async function down(db: Kysely<unknown>): Promise<void> {
  await sql`
    delete from notification_attempts
      where notification_id in (select id from notifications where purpose = 'test');
    delete from notifications where purpose = 'test';
    alter table notifications drop constraint if exists notifications_case_unless_test;
    alter table notifications drop constraint notifications_purpose_check;
    alter table notifications add constraint notifications_purpose_check
      check (purpose in ('urgent_new', 'urgent_escalation'));
  `.execute(db);
}

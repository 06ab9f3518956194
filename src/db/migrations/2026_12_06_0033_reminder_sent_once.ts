/**
 * One 'sent' delivery per reminder (issue 18, jobs exactly once): the delivery job checks for a
 * sent row before sending, and this index makes the record itself single even if two holders of
 * the same reminder ever overlapped (a job expired while its first holder was still sending).
 * Failed attempts stay as many rows as there were attempts.
 */
import { sql, type Kysely } from 'kysely';

export async function up(db: Kysely<unknown>): Promise<void> {
  await sql`
    create unique index reminder_deliveries_sent_once on reminder_deliveries (reminder_id)
      where status = 'sent'
  `.execute(db);
}

export async function down(db: Kysely<unknown>): Promise<void> {
  await sql`drop index if exists reminder_deliveries_sent_once`.execute(db);
}

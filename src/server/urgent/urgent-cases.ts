/**
 * Urgent cases: opened (or joined) when an item-9 answer above 0 is stored, in the same
 * transaction, with a deadline from the practice's response standard and a notification row per
 * recipient and channel (an outbox, sent right after the commit by the dispatcher); escalated
 * when the deadline passes without a GP recording what was done; closed only with that record.
 */
import { sql, type Kysely, type Transaction } from 'kysely';
import type { Database } from '../../db/schema.js';
import type { UrgentCaseRecord } from '../../domain/safety/urgent-case.js';
import { DEFAULT_RESPONSE_STANDARD, responseDeadline } from '../../domain/safety/response-standard.js';
import type { UrgentNoticePurpose, UrgentRecipientKind } from '../../domain/safety/urgent-notice.js';

type Db = Kysely<Database> | Transaction<Database>;

interface Recipient {
  userId: string | null;
  kind: UrgentRecipientKind;
  email: string | null;
  phone: string | null;
}

/** The patient's own GPs today, and the practice they belong to. */
async function patientGps(db: Db, patientId: string, now: Date) {
  const today = now.toISOString().slice(0, 10);
  return db
    .selectFrom('gp_list_entries as l')
    .innerJoin('users as u', 'u.id', 'l.gp_user_id')
    .select(['u.id', 'u.practice_id', 'u.notify_email', 'u.notify_phone'])
    .where('l.patient_id', '=', patientId)
    .where('l.valid_from', '<=', sql<Date>`${today}::date`)
    .where((eb) => eb.or([eb('l.valid_to', 'is', null), eb('l.valid_to', '>=', sql<Date>`${today}::date`)]))
    .where('u.disabled_at', 'is', null)
    .execute();
}

/** Colleagues covering now for any of these GPs (a named colleague only; practice-wide cover is the practice). */
async function activeCover(db: Db, gpIds: string[], now: Date) {
  if (gpIds.length === 0) return [];
  return db
    .selectFrom('gp_absences as a')
    .innerJoin('users as d', 'd.id', 'a.delegate_user_id')
    .select(['d.id', 'd.notify_email', 'd.notify_phone'])
    .where('a.gp_user_id', 'in', gpIds)
    .where('a.starts_at', '<=', now)
    .where('a.ends_at', '>', now)
    .where('d.disabled_at', 'is', null)
    .execute();
}

async function enqueue(
  trx: Db,
  caseId: string,
  purpose: UrgentNoticePurpose,
  recipients: Recipient[],
  now: Date
): Promise<void> {
  const rows: Parameters<typeof insertRows>[1] = [];
  const seen = new Set<string>();
  for (const r of recipients) {
    const targets: ['email' | 'sms', string | null][] = [
      ['email', r.email],
      ['sms', r.phone],
    ];
    if (!r.email && !r.phone) {
      // Recorded as a failure, so the practice page shows that this person was not reached.
      rows.push({
        ...base(caseId, purpose, r, now),
        channel: 'email',
        recipient: '',
        gave_up_at: now,
        last_error: 'no e-mail address or phone number on file',
      });
      continue;
    }
    for (const [channel, address] of targets) {
      if (!address || seen.has(`${channel}:${address}`)) continue;
      seen.add(`${channel}:${address}`);
      rows.push({
        ...base(caseId, purpose, r, now),
        channel,
        recipient: address,
        gave_up_at: null,
        last_error: null,
      });
    }
  }
  await insertRows(trx, rows);
}

function base(caseId: string, purpose: UrgentNoticePurpose, r: Recipient, now: Date) {
  return {
    case_id: caseId,
    purpose,
    recipient_user_id: r.userId,
    recipient_kind: r.kind,
    created_at: now,
    next_attempt_at: now,
    sent_at: null,
  };
}

async function insertRows(
  trx: Db,
  rows: (ReturnType<typeof base> & {
    channel: 'email' | 'sms';
    recipient: string;
    gave_up_at: Date | null;
    last_error: string | null;
  })[]
): Promise<void> {
  if (rows.length > 0) await trx.insertInto('notifications').values(rows).execute();
}

/**
 * Called in the transaction that stores an item-9 answer above 0: joins the patient's open case
 * or opens one (due by the practice's standard) and queues the notifications for a new case.
 */
export async function openOrJoinUrgentCase(
  trx: Transaction<Database>,
  args: { patientId: string; alertId: string; now: Date }
): Promise<{ caseId: string; opened: boolean }> {
  const { patientId, alertId, now } = args;
  const open = await trx
    .selectFrom('urgent_cases')
    .select('id')
    .where('patient_id', '=', patientId)
    .where('closed_at', 'is', null)
    .forUpdate()
    .executeTakeFirst();
  if (open) {
    await trx.updateTable('safety_alerts').set({ case_id: open.id }).where('id', '=', alertId).execute();
    return { caseId: open.id, opened: false };
  }
  const gps = await patientGps(trx, patientId, now);
  const practice = await trx
    .selectFrom('patients as p')
    .leftJoin('practices as pr', 'pr.id', 'p.practice_id')
    .select(['pr.urgent_email', 'pr.response_standard'])
    .where('p.id', '=', patientId)
    .executeTakeFirst();
  const standard = practice?.response_standard ?? DEFAULT_RESPONSE_STANDARD;
  const created = await trx
    .insertInto('urgent_cases')
    .values({ patient_id: patientId, opened_at: now, due_at: responseDeadline(now, standard) })
    .returning('id')
    .executeTakeFirstOrThrow();
  await trx.updateTable('safety_alerts').set({ case_id: created.id }).where('id', '=', alertId).execute();
  const cover = await activeCover(
    trx,
    gps.map((g) => g.id),
    now
  );
  const recipients: Recipient[] = [
    ...gps.map((g) => ({ userId: g.id, kind: 'gp' as const, email: g.notify_email, phone: g.notify_phone })),
    ...cover.map((c) => ({
      userId: c.id,
      kind: 'cover' as const,
      email: c.notify_email,
      phone: c.notify_phone,
    })),
  ];
  if (practice?.urgent_email) {
    recipients.push({ userId: null, kind: 'practice_address', email: practice.urgent_email, phone: null });
  }
  await enqueue(trx, created.id, 'urgent_new', recipients, now);
  return { caseId: created.id, opened: true };
}

/**
 * Escalates every open case past its deadline that has not been escalated: to the colleague who
 * covers for the patient's GP now, or else to every GP in the practice and the practice address.
 * Safe to run on several servers at once: each case is locked and skipped if another has it.
 */
export async function escalateOverdueCases(db: Kysely<Database>, now: Date): Promise<number> {
  let escalated = 0;
  for (;;) {
    const done = await db.transaction().execute(async (trx) => {
      const due = await trx
        .selectFrom('urgent_cases')
        .select(['id', 'patient_id'])
        .where('closed_at', 'is', null)
        .where('escalated_at', 'is', null)
        .where('due_at', '<=', now)
        .orderBy('due_at')
        .limit(1)
        .forUpdate()
        .skipLocked()
        .executeTakeFirst();
      if (!due) return false;
      const gps = await patientGps(trx, due.patient_id, now);
      const cover = await activeCover(
        trx,
        gps.map((g) => g.id),
        now
      );
      let recipients: Recipient[];
      let to: 'cover' | 'practice';
      if (cover.length > 0) {
        to = 'cover';
        recipients = cover.map((c) => ({
          userId: c.id,
          kind: 'cover',
          email: c.notify_email,
          phone: c.notify_phone,
        }));
      } else {
        to = 'practice';
        const practice = await trx
          .selectFrom('patients as p')
          .leftJoin('practices as pr', 'pr.id', 'p.practice_id')
          .select(['p.practice_id', 'pr.urgent_email'])
          .where('p.id', '=', due.patient_id)
          .executeTakeFirstOrThrow();
        const colleagues = practice.practice_id
          ? await trx
              .selectFrom('users')
              .select(['id', 'notify_email', 'notify_phone'])
              .where('role', '=', 'gp')
              .where('practice_id', '=', practice.practice_id)
              .where('disabled_at', 'is', null)
              .execute()
          : [];
        recipients = colleagues.map((c) => ({
          userId: c.id,
          kind: gps.some((g) => g.id === c.id) ? 'gp' : 'practice_gp',
          email: c.notify_email,
          phone: c.notify_phone,
        }));
        if (practice.urgent_email) {
          recipients.push({
            userId: null,
            kind: 'practice_address',
            email: practice.urgent_email,
            phone: null,
          });
        }
      }
      await trx
        .updateTable('urgent_cases')
        .set({ escalated_at: now, escalated_to: to })
        .where('id', '=', due.id)
        .execute();
      await enqueue(trx, due.id, 'urgent_escalation', recipients, now);
      return true;
    });
    if (!done) return escalated;
    escalated += 1;
  }
}

/** Closes the open case with what was done; every alert in it is acknowledged with it. */
export async function closeUrgentCase(
  trx: Transaction<Database>,
  args: { patientId: string; caseId: string; userId: string; now: Date; record: UrgentCaseRecord }
): Promise<boolean> {
  const closed = await trx
    .updateTable('urgent_cases')
    .set({
      closed_at: args.now,
      closed_by: args.userId,
      contact: args.record.contact,
      assessment: args.record.assessment,
      plan: args.record.plan,
    })
    .where('id', '=', args.caseId)
    .where('patient_id', '=', args.patientId)
    .where('closed_at', 'is', null)
    .returning('id')
    .executeTakeFirst();
  if (!closed) return false;
  await trx
    .updateTable('safety_alerts')
    .set({ acknowledged_at: args.now, acknowledged_by: args.userId })
    .where('case_id', '=', args.caseId)
    .where('acknowledged_at', 'is', null)
    .execute();
  return true;
}

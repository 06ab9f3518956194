/**
 * Reminders in two steps, so each can run as its own job (src/server/jobs):
 *
 * - `scanReminders` creates the reminders the domain rules want, once each by their stable
 *   reference (the unique key on (patient, kind, reference) decides, so two scans at once create
 *   each reminder once), and closes those whose reason has gone.
 * - `deliverReminder` sends one reminder outside the app and records it in reminder_deliveries. It
 *   looks for a recorded delivery first, and a unique index allows one 'sent' row per reminder: a
 *   second job for the same reminder sends nothing. The one gap is a crash after the mail server
 *   accepted the message and before the row is written (then the retry sends it again).
 *
 * `undeliveredReminderIds` finds the reminders that were never attempted (a crash between creating
 * a reminder and queueing its delivery), so the next scan queues them again.
 *
 * `runReminderJob` runs both in one call with one sender (tests, and anything without the queue).
 */
import type { Kysely } from 'kysely';
import { OUTBOUND_REMINDER, wantedReminders } from '../../domain/program/reminders.js';
import type { Instrument } from '../../domain/program/progress.js';
import type { Database } from '../../db/schema.js';
import { loadProgram } from '../program/program-state.js';
import type { ReminderSender } from './reminder-sender.js';

/** Reminders older than this and never attempted are left alone (stale news is not news). */
const DELIVERY_WINDOW_MS = 2 * 24 * 60 * 60_000;

export interface ReminderRunResult {
  patients: number;
  created: number;
  sent: number;
  failed: number;
}

export async function runReminderJob(
  db: Kysely<Database>,
  sender: ReminderSender,
  now: Date
): Promise<ReminderRunResult> {
  const scan = await scanReminders(db, now);
  const result: ReminderRunResult = { ...scan, sent: 0, failed: 0 };
  for (const id of await undeliveredReminderIds(db, now)) {
    try {
      const outcome = await deliverReminder(db, id, () => sender, now);
      if (outcome === 'sent') result.sent += 1;
    } catch {
      result.failed += 1;
    }
  }
  return result;
}

export interface ReminderScanResult {
  patients: number;
  created: number;
}

/** Creates the reminders that are due (each once) and closes those whose reason has gone. */
export async function scanReminders(db: Kysely<Database>, now: Date): Promise<ReminderScanResult> {
  const patients = await db
    .selectFrom('program_enrolments as e')
    .innerJoin('patients as p', 'p.id', 'e.patient_id')
    .select(['e.patient_id'])
    .where('e.status', 'in', ['active', 'finished'])
    .execute();
  const result: ReminderScanResult = { patients: patients.length, created: 0 };
  for (const patient of patients) {
    const program = await loadProgram(db, patient.patient_id, now);
    const activity = await db
      .selectFrom('audit_events')
      .select((eb) => eb.fn.max('occurred_at').as('last'))
      .where('patient_id', '=', patient.patient_id)
      .where('actor_role', '=', 'patient')
      .executeTakeFirst();
    const lastAnswered: Partial<Record<Instrument, Date>> = {};
    for (const m of program.facts.measurements) {
      if (!lastAnswered[m.instrument] || m.answeredAt > lastAnswered[m.instrument]!)
        lastAnswered[m.instrument] = m.answeredAt;
    }
    const wanted = wantedReminders({
      status: program.status,
      modules: program.modules,
      measuresDue: program.measuresDue,
      lastAnswered,
      nextFollowUp: program.nextFollowUp
        ? { id: program.nextFollowUp.id, plannedAt: new Date(program.nextFollowUp.plannedAt) }
        : null,
      lastActivityAt: activity?.last
        ? new Date(activity.last)
        : program.startedAt
          ? new Date(program.startedAt)
          : null,
      now,
    });
    // A reminder whose reason has gone (the module started, the form answered) is closed by itself.
    const stillWanted = new Set(wanted.map((w) => `${w.kind}|${w.reference}`));
    const open = await db
      .selectFrom('reminders')
      .select(['id', 'kind', 'reference'])
      .where('patient_id', '=', patient.patient_id)
      .where('read_at', 'is', null)
      .execute();
    const resolved = open.filter((r) => !stillWanted.has(`${r.kind}|${r.reference}`)).map((r) => r.id);
    if (resolved.length > 0)
      await db.updateTable('reminders').set({ read_at: now }).where('id', 'in', resolved).execute();
    for (const reminder of wanted) {
      const created = await db
        .insertInto('reminders')
        .values({
          patient_id: patient.patient_id,
          kind: reminder.kind,
          reference: reminder.reference,
          created_at: now,
        })
        .onConflict((oc) => oc.columns(['patient_id', 'kind', 'reference']).doNothing())
        .returning('id')
        .executeTakeFirst();
      if (created) result.created += 1;
    }
  }
  return result;
}

/** Reminders for patients with an account that no delivery was ever attempted for. */
export async function undeliveredReminderIds(db: Kysely<Database>, now: Date): Promise<string[]> {
  const rows = await db
    .selectFrom('reminders as r')
    .innerJoin('patients as p', 'p.id', 'r.patient_id')
    .select('r.id')
    .where('p.user_id', 'is not', null)
    .where('r.read_at', 'is', null)
    .where('r.created_at', '>', new Date(now.getTime() - DELIVERY_WINDOW_MS))
    .where((eb) =>
      eb.not(
        eb.exists(
          eb.selectFrom('reminder_deliveries as d').select('d.id').whereRef('d.reminder_id', '=', 'r.id')
        )
      )
    )
    .orderBy('r.created_at')
    .execute();
  return rows.map((r) => r.id);
}

export type ReminderDeliveryOutcome = 'sent' | 'already_sent' | 'no_account';

/**
 * Sends one reminder through the sender chosen for the patient's notify address (e-mail when the
 * patient gave one and e-mail is configured, else the log) and records the attempt. A failure is
 * recorded with its reason and thrown, so the job queue retries it with backoff.
 */
export async function deliverReminder(
  db: Kysely<Database>,
  reminderId: string,
  senderFor: (notifyEmail: string | null) => ReminderSender,
  now: Date
): Promise<ReminderDeliveryOutcome> {
  const sent = await db
    .selectFrom('reminder_deliveries')
    .select('id')
    .where('reminder_id', '=', reminderId)
    .where('status', '=', 'sent')
    .executeTakeFirst();
  if (sent) return 'already_sent';
  const target = await db
    .selectFrom('reminders as r')
    .innerJoin('patients as p', 'p.id', 'r.patient_id')
    .leftJoin('users as u', 'u.id', 'p.user_id')
    .select(['p.user_id', 'u.notify_email'])
    .where('r.id', '=', reminderId)
    .executeTakeFirst();
  if (!target?.user_id) return 'no_account'; // no account (or no reminder): nothing to send to
  const sender = senderFor(target.notify_email);
  try {
    await sender.send({ toUserId: target.user_id, toAddress: target.notify_email, ...OUTBOUND_REMINDER });
  } catch (e) {
    const error = e instanceof Error ? e.message.slice(0, 200) : 'unknown error';
    await db
      .insertInto('reminder_deliveries')
      .values({
        reminder_id: reminderId,
        channel: sender.channel,
        attempted_at: now,
        status: 'failed',
        error,
      })
      .execute();
    throw e;
  }
  // Written at once after the provider accepted: the narrow window in which a crash sends twice.
  // The partial unique index (one 'sent' row per reminder) keeps the record itself single.
  await db
    .insertInto('reminder_deliveries')
    .values({
      reminder_id: reminderId,
      channel: sender.channel,
      attempted_at: now,
      status: 'sent',
      error: null,
    })
    .onConflict((oc) => oc.column('reminder_id').where('status', '=', 'sent').doNothing())
    .execute();
  return 'sent';
}

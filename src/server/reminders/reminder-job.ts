/**
 * The reminder job: for every patient with a running program, create the reminders the domain
 * rules want (once each, by their stable reference) and deliver each new one through the sender,
 * recording the attempt. Safe to run repeatedly and from several processes: the unique key on
 * (patient, kind, reference) decides who creates a reminder, and only its creator sends it.
 */
import type { Kysely } from 'kysely';
import { OUTBOUND_REMINDER, wantedReminders } from '../../domain/program/reminders.js';
import type { Instrument } from '../../domain/program/progress.js';
import type { Database } from '../../db/schema.js';
import { loadProgram } from '../program/program-state.js';
import type { ReminderSender } from './reminder-sender.js';

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
  const patients = await db
    .selectFrom('program_enrolments as e')
    .innerJoin('patients as p', 'p.id', 'e.patient_id')
    .select(['e.patient_id', 'p.user_id'])
    .where('e.status', 'in', ['active', 'finished'])
    .execute();
  const result: ReminderRunResult = { patients: patients.length, created: 0, sent: 0, failed: 0 };
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
      if (!created) continue;
      result.created += 1;
      if (!patient.user_id) continue; // no account yet: nothing to send to
      let status: 'sent' | 'failed' = 'sent';
      let error: string | null = null;
      try {
        await sender.send({ toUserId: patient.user_id, ...OUTBOUND_REMINDER });
        result.sent += 1;
      } catch (e) {
        status = 'failed';
        error = e instanceof Error ? e.message.slice(0, 200) : 'unknown error';
        result.failed += 1;
      }
      await db
        .insertInto('reminder_deliveries')
        .values({ reminder_id: created.id, channel: sender.channel, attempted_at: now, status, error })
        .execute();
    }
  }
  return result;
}

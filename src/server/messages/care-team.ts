/**
 * A patient's care team for guidance between visits: the GPs with the patient on their list today
 * and the guides assigned now (at the patient's practice, not disabled). The same facts the
 * access layer uses (access/patient-facts.ts), here with names and notification addresses.
 */
import { sql, type Kysely, type Transaction } from 'kysely';
import type { Database } from '../../db/schema.js';

type Db = Kysely<Database> | Transaction<Database>;

export interface CareTeamPerson {
  userId: string;
  name: string;
  role: 'gp' | 'guide';
  email: string | null;
  phone: string | null;
}

export async function careTeamOf(db: Db, patientId: string, now: Date): Promise<CareTeamPerson[]> {
  const today = now.toISOString().slice(0, 10);
  const [gps, guides] = await Promise.all([
    db
      .selectFrom('gp_list_entries as l')
      .innerJoin('users as u', 'u.id', 'l.gp_user_id')
      .select(['u.id', 'u.display_name', 'u.notify_email', 'u.notify_phone'])
      .where('l.patient_id', '=', patientId)
      .where('l.valid_from', '<=', sql<Date>`${today}::date`)
      .where((eb) => eb.or([eb('l.valid_to', 'is', null), eb('l.valid_to', '>=', sql<Date>`${today}::date`)]))
      .where('u.disabled_at', 'is', null)
      .execute(),
    openGuideAssignments(db, now)
      .where('g.patient_id', '=', patientId)
      .select(['u.id', 'u.display_name', 'u.notify_email', 'u.notify_phone'])
      .execute(),
  ]);
  return [
    ...gps.map((g) => ({ ...g, role: 'gp' as const })),
    ...guides.map((g) => ({ ...g, role: 'guide' as const })),
  ].map((p) => ({
    userId: p.id,
    name: p.display_name,
    role: p.role,
    email: p.notify_email,
    phone: p.notify_phone,
  }));
}

/** Guide assignments open now, joined to a guide of the patient's own practice who is not disabled. */
export function openGuideAssignments(db: Db, now: Date) {
  return db
    .selectFrom('guide_assignments as g')
    .innerJoin('patients as p', 'p.id', 'g.patient_id')
    .innerJoin('users as u', (join) =>
      join
        .onRef('u.id', '=', 'g.guide_user_id')
        .onRef('u.practice_id', '=', 'p.practice_id')
        .on('u.role', '=', 'guide')
        .on('u.disabled_at', 'is', null)
    )
    .where('g.starts_at', '<=', now)
    .where((eb) => eb.or([eb('g.ends_at', 'is', null), eb('g.ends_at', '>', now)]));
}

/**
 * Queues "you have a new message" for the other side, in the caller's transaction: to the care
 * team when the patient wrote, to the patient when someone of the care team did. Only to the
 * addresses each person has set (their notification settings); no address, no notification. The
 * row holds no subject or text: the dispatcher writes the words (domain/messaging), which carry
 * no health content.
 */
export async function queueMessageNotifications(
  trx: Transaction<Database>,
  args: { patientId: string; fromPatient: boolean; authorUserId: string; now: Date }
): Promise<number> {
  const { patientId, fromPatient, authorUserId, now } = args;
  const recipients: {
    userId: string;
    kind: 'gp' | 'guide' | 'patient';
    email: string | null;
    phone: string | null;
  }[] = [];
  if (fromPatient) {
    for (const person of await careTeamOf(trx, patientId, now)) {
      recipients.push({ userId: person.userId, kind: person.role, email: person.email, phone: person.phone });
    }
  } else {
    const patient = await trx
      .selectFrom('patients as p')
      .innerJoin('users as u', 'u.id', 'p.user_id')
      .select(['u.id', 'u.notify_email', 'u.notify_phone'])
      .where('p.id', '=', patientId)
      .where('u.disabled_at', 'is', null)
      .executeTakeFirst();
    if (patient) {
      recipients.push({
        userId: patient.id,
        kind: 'patient',
        email: patient.notify_email,
        phone: patient.notify_phone,
      });
    }
  }
  const rows = recipients
    .filter((r) => r.userId !== authorUserId)
    .flatMap((r) =>
      (
        [
          ['email', r.email],
          ['sms', r.phone],
        ] as const
      )
        .filter(([, address]) => Boolean(address))
        .map(([channel, address]) => ({
          case_id: null,
          purpose: 'message_new' as const,
          channel,
          recipient: address!,
          recipient_user_id: r.userId,
          recipient_kind: r.kind,
          created_at: now,
          next_attempt_at: now,
          sent_at: null,
          gave_up_at: null,
          last_error: null,
        }))
    );
  if (rows.length > 0) await trx.insertInto('notifications').values(rows).execute();
  return rows.length;
}

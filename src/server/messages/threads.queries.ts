/**
 * Reading a patient's message threads (issue 17): every thread with its messages, who wrote each,
 * and when the other side read it (read receipts). Reading marks nothing read: that is an explicit
 * act (threads.commands.ts markThreadRead), so opening a list never answers for anyone.
 */
import type { Kysely, Transaction } from 'kysely';
import type { MessageThread, MessageThreadList } from '../../contract/messages.js';
import type { Actor } from '../../domain/access/policy.js';
import type { Database } from '../../db/schema.js';
import { expectedAnswerTime, isUnanswered } from '../../domain/messaging/messaging.js';
import type { DataContext } from '../access/data-context.js';
import { careTeamOf } from './care-team.js';

type Db = Kysely<Database> | Transaction<Database>;

/** The threads of one patient as `actor` sees them; only `threadIds` when given. */
export async function loadThreads(
  db: Db,
  patientId: string,
  actor: Actor,
  threadIds?: readonly string[]
): Promise<MessageThread[]> {
  let query = db
    .selectFrom('message_threads')
    .selectAll()
    .where('patient_id', '=', patientId)
    .orderBy('last_message_at', 'desc');
  if (threadIds) {
    if (threadIds.length === 0) return [];
    query = query.where('id', 'in', threadIds);
  }
  const threads = await query.execute();
  if (threads.length === 0) return [];
  const messages = await db
    .selectFrom('thread_messages as m')
    .innerJoin('users as u', 'u.id', 'm.author_user_id')
    .select([
      'm.id',
      'm.thread_id',
      'm.author_user_id',
      'm.author_role',
      'm.body',
      'm.sent_at',
      'u.display_name',
    ])
    .where(
      'm.thread_id',
      'in',
      threads.map((t) => t.id)
    )
    .orderBy('m.sent_at')
    .orderBy('m.id')
    .execute();
  const reads = messages.length
    ? await db
        .selectFrom('message_reads as r')
        .innerJoin('users as u', 'u.id', 'r.reader_user_id')
        .select(['r.message_id', 'r.reader_user_id', 'r.read_at', 'u.role'])
        .where(
          'r.message_id',
          'in',
          messages.map((m) => m.id)
        )
        .execute()
    : [];
  const readsOf = new Map<string, typeof reads>();
  for (const read of reads) readsOf.set(read.message_id, [...(readsOf.get(read.message_id) ?? []), read]);
  const actorIsPatient = actor.role === 'patient';
  return threads.map((thread) => {
    const own = messages.filter((m) => m.thread_id === thread.id);
    let unreadForMe = 0;
    const shaped = own.map((m) => {
      const fromPatient = m.author_role === 'patient';
      const receipts = readsOf.get(m.id) ?? [];
      // The other side: the patient for the care team's messages, anyone of the care team for the patient's.
      const otherSide = receipts
        .filter((r) => (fromPatient ? r.role !== 'patient' : r.role === 'patient'))
        .map((r) => new Date(r.read_at).getTime());
      const fromOtherSide = actorIsPatient ? !fromPatient : fromPatient;
      if (fromOtherSide && !receipts.some((r) => r.reader_user_id === actor.userId)) unreadForMe += 1;
      return {
        id: m.id,
        authorRole: m.author_role,
        authorName: m.display_name,
        mine: m.author_user_id === actor.userId,
        body: m.body,
        sentAt: new Date(m.sent_at).toISOString(),
        readByOtherSideAt: otherSide.length ? new Date(Math.min(...otherSide)).toISOString() : null,
      };
    });
    return {
      id: thread.id,
      subject: thread.subject,
      createdAt: new Date(thread.created_at).toISOString(),
      lastMessageAt: new Date(thread.last_message_at).toISOString(),
      unanswered: isUnanswered({ lastFromPatient: thread.last_from_patient }),
      unreadForMe,
      messages: shaped,
    };
  });
}

export async function listThreads(ctx: DataContext, patientId: string): Promise<MessageThreadList> {
  const [patient, team, threads] = await Promise.all([
    ctx.db
      .selectFrom('patients')
      .select('display_name')
      .where('id', '=', patientId)
      .executeTakeFirstOrThrow(),
    careTeamOf(ctx.db, patientId, ctx.now),
    loadThreads(ctx.db, patientId, ctx.actor),
  ]);
  await ctx.recordRead({ action: 'read', dataCategory: 'message threads', patientIds: [patientId] });
  return {
    patientName: patient.display_name,
    expectedAnswer: expectedAnswerTime(),
    careTeam: team.map((p) => ({ name: p.name, role: p.role })),
    threads,
  };
}

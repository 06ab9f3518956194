/**
 * Writing in a patient's message threads (issue 17): the patient or anyone of the care team starts
 * a thread or replies; reading is marked only by an explicit act of the reader (a read receipt per
 * message, for the other side to see). Each message queues a notification with no health content
 * for the other side (care-team.ts), in the same transaction as the message and its audit line.
 * The text is never logged.
 */
import type { MessageThread, ReplyBody, StartThreadBody } from '../../contract/messages.js';
import type { DataContext } from '../access/data-context.js';
import { notFound } from '../problem.js';
import { queueMessageNotifications } from './care-team.js';
import { loadThreads } from './threads.queries.js';

function authorRole(ctx: DataContext): 'patient' | 'gp' | 'guide' {
  const role = ctx.actor.role;
  if (role === 'patient' || role === 'gp' || role === 'guide') return role;
  // The routes admit no other role; this is a programming error, not a user's.
  throw new Error(`A ${role} cannot write messages`);
}

export async function startThread(
  ctx: DataContext,
  patientId: string,
  body: StartThreadBody
): Promise<{ thread: MessageThread; notified: number }> {
  const { now, actor } = ctx;
  const role = authorRole(ctx);
  const result = await ctx.withAudit(async (trx, audit) => {
    const thread = await trx
      .insertInto('message_threads')
      .values({
        patient_id: patientId,
        subject: body.subject,
        created_by: actor.userId,
        created_at: now,
        last_message_at: now,
        last_from_patient: role === 'patient',
      })
      .returning('id')
      .executeTakeFirstOrThrow();
    await trx
      .insertInto('thread_messages')
      .values({
        thread_id: thread.id,
        author_user_id: actor.userId,
        author_role: role,
        body: body.body,
        sent_at: now,
      })
      .execute();
    const notified = await queueMessageNotifications(trx, {
      patientId,
      fromPatient: role === 'patient',
      authorUserId: actor.userId,
      now,
    });
    audit({ action: 'create', dataCategory: 'message thread', patientIds: [patientId] });
    return { threadId: thread.id, notified };
  });
  const [thread] = await loadThreads(ctx.db, patientId, actor, [result.threadId]);
  return { thread: thread!, notified: result.notified };
}

export async function replyInThread(
  ctx: DataContext,
  patientId: string,
  threadId: string,
  body: ReplyBody
): Promise<{ thread: MessageThread; notified: number }> {
  const { now, actor } = ctx;
  const role = authorRole(ctx);
  const notified = await ctx.withAudit(async (trx, audit) => {
    const thread = await trx
      .updateTable('message_threads')
      .set({ last_message_at: now, last_from_patient: role === 'patient' })
      .where('id', '=', threadId)
      .where('patient_id', '=', patientId)
      .returning('id')
      .executeTakeFirst();
    // Another patient's thread, or none: the same 404.
    if (!thread) throw notFound();
    await trx
      .insertInto('thread_messages')
      .values({
        thread_id: threadId,
        author_user_id: actor.userId,
        author_role: role,
        body: body.body,
        sent_at: now,
      })
      .execute();
    // Writing in a thread answers what came before: what the other side wrote is read now.
    await markReadIn(trx, threadId, actor.userId, role === 'patient', now);
    audit({ action: 'create', dataCategory: 'message', patientIds: [patientId] });
    return queueMessageNotifications(trx, {
      patientId,
      fromPatient: role === 'patient',
      authorUserId: actor.userId,
      now,
    });
  });
  const [thread] = await loadThreads(ctx.db, patientId, actor, [threadId]);
  return { thread: thread!, notified };
}

/** Read receipts for every message of the other side in the thread that this reader has not read. */
async function markReadIn(
  trx: Parameters<Parameters<DataContext['withAudit']>[0]>[0],
  threadId: string,
  readerUserId: string,
  readerIsPatient: boolean,
  now: Date
): Promise<number> {
  const unread = await trx
    .selectFrom('thread_messages as m')
    .select('m.id')
    .where('m.thread_id', '=', threadId)
    .where('m.author_role', readerIsPatient ? '!=' : '=', 'patient')
    .where(({ not, exists, selectFrom }) =>
      not(
        exists(
          selectFrom('message_reads as r')
            .select('r.message_id')
            .whereRef('r.message_id', '=', 'm.id')
            .where('r.reader_user_id', '=', readerUserId)
        )
      )
    )
    .execute();
  if (unread.length === 0) return 0;
  await trx
    .insertInto('message_reads')
    .values(unread.map((m) => ({ message_id: m.id, reader_user_id: readerUserId, read_at: now })))
    .onConflict((oc) => oc.doNothing())
    .execute();
  return unread.length;
}

export async function markThreadRead(
  ctx: DataContext,
  patientId: string,
  threadId: string
): Promise<MessageThread> {
  const { now, actor } = ctx;
  await ctx.withAudit(async (trx, audit) => {
    const thread = await trx
      .selectFrom('message_threads')
      .select('id')
      .where('id', '=', threadId)
      .where('patient_id', '=', patientId)
      .executeTakeFirst();
    if (!thread) throw notFound();
    const marked = await markReadIn(trx, threadId, actor.userId, actor.role === 'patient', now);
    if (marked > 0)
      audit({ action: 'update', dataCategory: 'message read receipt', patientIds: [patientId] });
    // Opening a thread is a read of its messages, receipts or not.
    audit({ action: 'read', dataCategory: 'message thread', patientIds: [patientId] });
  });
  const [thread] = await loadThreads(ctx.db, patientId, actor, [threadId]);
  return thread!;
}

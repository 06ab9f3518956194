/**
 * Feedback on a shared exercise (issue 17): the GP or an assigned guide comments on a workbook
 * entry the patient shared (never on one they did not); the patient opening it is recorded, so new
 * feedback stays first on their home page until then. A comment queues a notification with no
 * health content for the patient. The text is never logged.
 */
import type { ExerciseFeedback, FeedbackBody } from '../../contract/messages.js';
import type { DataContext } from '../access/data-context.js';
import { notFound } from '../problem.js';
import { queueMessageNotifications } from './care-team.js';

export async function addFeedback(
  ctx: DataContext,
  patientId: string,
  entryId: string,
  body: FeedbackBody
): Promise<{ feedback: ExerciseFeedback; notified: number }> {
  const { now, actor } = ctx;
  if (actor.role !== 'gp' && actor.role !== 'guide') throw new Error(`A ${actor.role} cannot give feedback`);
  const role = actor.role;
  return ctx.withAudit(async (trx, audit) => {
    const entry = await trx
      .selectFrom('workbook_entries')
      .select('id')
      .where('id', '=', entryId)
      .where('patient_id', '=', patientId)
      .where('shared_with_gp', '=', true)
      .executeTakeFirst();
    // Not this patient's, not shared, or none at all: the same 404.
    if (!entry) throw notFound();
    const row = await trx
      .insertInto('exercise_feedback')
      .values({
        patient_id: patientId,
        entry_id: entryId,
        author_user_id: actor.userId,
        author_role: role,
        body: body.body,
        created_at: now,
        opened_at: null,
      })
      .returning('id')
      .executeTakeFirstOrThrow();
    const notified = await queueMessageNotifications(trx, {
      patientId,
      fromPatient: false,
      authorUserId: actor.userId,
      now,
    });
    audit({ action: 'create', dataCategory: 'exercise feedback', patientIds: [patientId] });
    return {
      feedback: {
        id: row.id,
        authorName: actor.displayName,
        authorRole: role,
        body: body.body,
        createdAt: now.toISOString(),
        openedAt: null,
      },
      notified,
    };
  });
}

/** The patient opened a piece of feedback: it leaves the top of their home page. */
export async function openFeedback(
  ctx: DataContext,
  patientId: string,
  feedbackId: string
): Promise<ExerciseFeedback> {
  const { now } = ctx;
  return ctx.withAudit(async (trx, audit) => {
    const found = await trx
      .selectFrom('exercise_feedback as f')
      .innerJoin('users as u', 'u.id', 'f.author_user_id')
      .select(['f.id', 'f.author_role', 'f.body', 'f.created_at', 'f.opened_at', 'u.display_name'])
      .where('f.id', '=', feedbackId)
      .where('f.patient_id', '=', patientId)
      .executeTakeFirst();
    if (!found) throw notFound();
    let openedAt = found.opened_at ? new Date(found.opened_at) : null;
    if (!openedAt) {
      openedAt = now;
      await trx
        .updateTable('exercise_feedback')
        .set({ opened_at: now })
        .where('id', '=', feedbackId)
        .execute();
      audit({ action: 'update', dataCategory: 'exercise feedback opened', patientIds: [patientId] });
    }
    return {
      id: found.id,
      authorName: found.display_name,
      authorRole: found.author_role,
      body: found.body,
      createdAt: new Date(found.created_at).toISOString(),
      openedAt: openedAt.toISOString(),
    };
  });
}

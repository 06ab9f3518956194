/**
 * Shared workbook entries with the care team's feedback (issue 17): what the patient chose to share,
 * each with the comments of their GP or guide and whether the patient has opened them. The care
 * team also gets 2-3 suggested replies per module (module content, gp.feedbackReplies) to start a
 * comment from; the patient gets none.
 */
import { MODULE_CONTENT } from '../../content/modules.js';
import type { ExerciseFeedback, SharedEntryList } from '../../contract/messages.js';
import type { FollowUpModuleId } from '../../contract/followup.js';
import type { Locale } from '../../domain/instruments/phq9.js';
import { MODULE_IDS, type ModuleId } from '../../domain/program/progress.js';
import type { DataContext } from '../access/data-context.js';

export async function listSharedEntries(
  ctx: DataContext,
  patientId: string,
  lang: Locale
): Promise<SharedEntryList> {
  const [entries, feedback] = await Promise.all([
    ctx.db
      .selectFrom('workbook_entries')
      .selectAll()
      .where('patient_id', '=', patientId)
      .where('shared_with_gp', '=', true)
      .orderBy('updated_at', 'desc')
      .execute(),
    ctx.db
      .selectFrom('exercise_feedback as f')
      .innerJoin('users as u', 'u.id', 'f.author_user_id')
      .select([
        'f.id',
        'f.entry_id',
        'f.author_role',
        'f.body',
        'f.created_at',
        'f.opened_at',
        'u.display_name',
      ])
      .where('f.patient_id', '=', patientId)
      .orderBy('f.created_at')
      .execute(),
  ]);
  await ctx.recordRead({
    action: 'read',
    dataCategory: 'shared workbook entries and feedback',
    patientIds: [patientId],
  });
  const feedbackOf = new Map<string, ExerciseFeedback[]>();
  for (const f of feedback) {
    feedbackOf.set(f.entry_id, [
      ...(feedbackOf.get(f.entry_id) ?? []),
      {
        id: f.id,
        authorName: f.display_name,
        authorRole: f.author_role,
        body: f.body,
        createdAt: new Date(f.created_at).toISOString(),
        openedAt: f.opened_at ? new Date(f.opened_at).toISOString() : null,
      },
    ]);
  }
  const modulesShared = new Set(entries.map((e) => e.module_id));
  return {
    entries: entries
      .filter((e) => (MODULE_IDS as readonly string[]).includes(e.module_id))
      .map((e) => {
        const exercise = MODULE_CONTENT[e.module_id as ModuleId][lang].exercises.find(
          (x) => x.id === e.exercise_id
        );
        return {
          entryId: e.id,
          moduleId: e.module_id as FollowUpModuleId,
          exerciseId: e.exercise_id,
          exerciseTitle: exercise?.title ?? e.exercise_id,
          updatedAt: new Date(e.updated_at).toISOString(),
          answers: (exercise?.fields ?? [])
            .map((f) => ({
              label: f.label,
              value: (e.answers[f.id] ?? null) as string | number | string[] | null,
            }))
            .filter((a) => a.value !== null && a.value !== ''),
          feedback: feedbackOf.get(e.id) ?? [],
        };
      }),
    suggestedReplies:
      ctx.actor.role === 'patient'
        ? []
        : MODULE_IDS.filter((id) => modulesShared.has(id)).map((id) => ({
            moduleId: id,
            replies: [...MODULE_CONTENT[id][lang].gp.feedbackReplies],
          })),
  };
}

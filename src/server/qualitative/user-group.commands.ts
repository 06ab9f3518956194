/**
 * The user group (issue 15): the lead adds its members (accounts in the user-group role), shares a
 * synthesis draft with them, and they comment per paragraph.
 *
 * A share freezes the synthesis text as it stood (paragraph id, theme name, the sentences), never
 * condensates, meaning units or transcripts: the user group reads results, not data. Comments are
 * kept with the share they were made on, so a later draft cannot change what they commented on.
 */
import type {
  AddUserGroupMemberBody,
  CommentBody,
  ShareBody,
  ShareView,
  UserGroupComment,
  UserGroupMember,
} from '../../contract/qualitative-stc.js';
import type { StcAnalysis } from '../../domain/qualitative/stc.js';
import type { DataContext } from '../access/data-context.js';
import { badRequest, HttpProblem, notFound } from '../problem.js';
import { json } from './sources.commands.js';
import { studyOf } from './studies.queries.js';
import { shareGrant, viewShare, type SharedParagraph } from './user-group.queries.js';

export async function addUserGroupMember(
  ctx: DataContext,
  body: AddUserGroupMemberBody
): Promise<UserGroupMember> {
  const { studyId } = studyOf(ctx);
  return ctx.withAudit(async (trx, audit) => {
    const user = await trx
      .selectFrom('users')
      .select(['id', 'display_name', 'role', 'disabled_at'])
      .where('id', '=', body.userId)
      .executeTakeFirst();
    if (!user || user.role !== 'user_group' || user.disabled_at !== null)
      throw badRequest([{ field: 'userId', reason: 'is not an active account in the user-group role' }]);
    await trx
      .insertInto('qual_user_group_members')
      .values({ study_id: studyId, user_id: user.id, added_by: ctx.actor.userId, added_at: ctx.now })
      .onConflict((oc) => oc.columns(['study_id', 'user_id']).doNothing())
      .execute();
    audit({ action: 'update', dataCategory: 'qualitative user group member', patientIds: [null] });
    return { userId: user.id, displayName: user.display_name };
  });
}

/** The paragraphs of a synthesis as the user group reads them: theme and text, nothing behind it. */
export function sharedParagraphs(analysis: StcAnalysis): SharedParagraph[] {
  const names = new Map(analysis.groups.map((g) => [g.id, g.name]));
  return analysis.synthesis
    .filter((p) => p.sentences.length > 0)
    .map((p) => ({
      id: p.id,
      theme: names.get(p.groupId) ?? '',
      text: p.sentences.map((s) => s.text.trim()).join(' '),
    }));
}

export async function shareSynthesis(
  ctx: DataContext,
  analysisId: string,
  body: ShareBody
): Promise<ShareView> {
  const { studyId } = studyOf(ctx);
  const shareId = await ctx.withAudit(async (trx, audit) => {
    const analysis = await trx
      .selectFrom('qual_stc_analyses')
      .select(['id', 'revision', 'document'])
      .where('id', '=', analysisId)
      .where('study_id', '=', studyId)
      .executeTakeFirst();
    if (!analysis) throw notFound();
    const paragraphs = sharedParagraphs(json<StcAnalysis>(analysis.document));
    if (!paragraphs.length)
      throw new HttpProblem(409, 'Conflict', 'The analysis has no synthesis text yet (STC step 4) to share.');
    const share = await trx
      .insertInto('qual_synthesis_shares')
      .values({
        study_id: studyId,
        analysis_id: analysisId,
        revision: analysis.revision,
        paragraphs: JSON.stringify(paragraphs),
        message: body.message.trim(),
        shared_by: ctx.actor.userId,
        shared_at: ctx.now,
      })
      .returning('id')
      .executeTakeFirstOrThrow();
    audit({ action: 'create', dataCategory: 'qualitative synthesis shared', patientIds: [null] });
    return share.id;
  });
  return viewShare(ctx, shareId);
}

export async function commentOnShare(
  ctx: DataContext,
  shareId: string,
  body: CommentBody
): Promise<UserGroupComment> {
  const { studyId } = shareGrant(ctx);
  return ctx.withAudit(async (trx, audit) => {
    const share = await trx
      .selectFrom('qual_synthesis_shares')
      .select(['id', 'paragraphs'])
      .where('id', '=', shareId)
      .where('study_id', '=', studyId)
      .executeTakeFirst();
    if (!share) throw notFound();
    if (!json<SharedParagraph[]>(share.paragraphs).some((p) => p.id === body.paragraphId))
      throw badRequest([{ field: 'paragraphId', reason: 'is not a paragraph of this shared synthesis' }]);
    const text = body.text.trim();
    if (!text) throw badRequest([{ field: 'text', reason: 'must not be blank' }]);
    const row = await trx
      .insertInto('qual_user_group_comments')
      .values({
        share_id: shareId,
        paragraph_id: body.paragraphId,
        author_id: ctx.actor.userId,
        text,
        created_at: ctx.now,
      })
      .returning(['id'])
      .executeTakeFirstOrThrow();
    audit({ action: 'create', dataCategory: 'qualitative user group comment', patientIds: [null] });
    return {
      id: row.id,
      paragraphId: body.paragraphId,
      author: ctx.actor.displayName,
      text,
      createdAt: ctx.now.toISOString(),
    };
  });
}

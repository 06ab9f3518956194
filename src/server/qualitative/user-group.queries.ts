/**
 * What the user group reads (issue 15): the studies whose user group the signed-in user is in, a
 * study's shared syntheses, and one share with its comments. The study's members read the same
 * (to see the comments); nobody reads a transcript here.
 */
import type { ShareList, ShareView, UserGroupStudies } from '../../contract/qualitative-stc.js';
import type { DataContext } from '../access/data-context.js';
import { HttpProblem, notFound } from '../problem.js';
import { json } from './sources.commands.js';

export interface SharedParagraph {
  id: string;
  theme: string;
  text: string;
}

/** The study of a shares route, for a member or a user-group member alike. */
export function shareGrant(ctx: DataContext): { studyId: string } {
  if (!ctx.studyAccess) throw new HttpProblem(500, 'Internal Server Error', 'This route has no study.');
  return { studyId: ctx.studyAccess.studyId };
}

export async function myUserGroupStudies(ctx: DataContext): Promise<UserGroupStudies> {
  const rows = await ctx.db
    .selectFrom('qual_user_group_members as m')
    .innerJoin('qual_studies as s', 's.id', 'm.study_id')
    .leftJoin('qual_synthesis_shares as sh', 'sh.study_id', 's.id')
    .select(['s.id', 's.title', (eb) => eb.fn.count<string>('sh.id').as('shares')])
    .where('m.user_id', '=', ctx.actor.userId)
    .groupBy(['s.id', 's.title'])
    .orderBy('s.title')
    .execute();
  await ctx.recordRead({ action: 'read', dataCategory: 'qualitative studies', patientIds: [null] });
  return { studies: rows.map((r) => ({ id: r.id, title: r.title, shares: Number(r.shares) })) };
}

export async function listShares(ctx: DataContext): Promise<ShareList> {
  const { studyId } = shareGrant(ctx);
  const study = await ctx.db
    .selectFrom('qual_studies')
    .select('title')
    .where('id', '=', studyId)
    .executeTakeFirstOrThrow();
  const rows = await ctx.db
    .selectFrom('qual_synthesis_shares as sh')
    .innerJoin('qual_stc_analyses as a', 'a.id', 'sh.analysis_id')
    .innerJoin('users as u', 'u.id', 'sh.shared_by')
    .leftJoin('qual_user_group_comments as c', 'c.share_id', 'sh.id')
    .select([
      'sh.id',
      'sh.revision',
      'sh.shared_at',
      'a.title as analysis_title',
      'u.display_name as shared_by',
      (eb) => eb.fn.count<string>('c.id').as('comments'),
    ])
    .where('sh.study_id', '=', studyId)
    .groupBy(['sh.id', 'sh.revision', 'sh.shared_at', 'a.title', 'u.display_name'])
    .orderBy('sh.shared_at', 'desc')
    .orderBy('sh.id')
    .execute();
  await ctx.recordRead({ action: 'read', dataCategory: 'qualitative synthesis shares', patientIds: [null] });
  return {
    studyTitle: study.title,
    shares: rows.map((r) => ({
      id: r.id,
      analysisTitle: r.analysis_title,
      revision: r.revision,
      sharedAt: new Date(r.shared_at).toISOString(),
      sharedBy: r.shared_by,
      comments: Number(r.comments),
    })),
  };
}

export async function viewShare(ctx: DataContext, shareId: string): Promise<ShareView> {
  const { studyId } = shareGrant(ctx);
  const share = await ctx.db
    .selectFrom('qual_synthesis_shares as sh')
    .innerJoin('qual_stc_analyses as a', 'a.id', 'sh.analysis_id')
    .innerJoin('qual_studies as s', 's.id', 'sh.study_id')
    .innerJoin('users as u', 'u.id', 'sh.shared_by')
    .select([
      'sh.id',
      'sh.revision',
      'sh.message',
      'sh.shared_at',
      'sh.paragraphs',
      'a.title as analysis_title',
      's.title as study_title',
      'u.display_name as shared_by',
    ])
    .where('sh.id', '=', shareId)
    .where('sh.study_id', '=', studyId)
    .executeTakeFirst();
  if (!share) throw notFound();
  const comments = await ctx.db
    .selectFrom('qual_user_group_comments as c')
    .innerJoin('users as u', 'u.id', 'c.author_id')
    .select(['c.id', 'c.paragraph_id', 'c.text', 'c.created_at', 'u.display_name'])
    .where('c.share_id', '=', shareId)
    .orderBy('c.created_at')
    .orderBy('c.id')
    .execute();
  await ctx.recordRead({ action: 'read', dataCategory: 'qualitative synthesis shared', patientIds: [null] });
  return {
    id: share.id,
    studyTitle: share.study_title,
    analysisTitle: share.analysis_title,
    revision: share.revision,
    message: share.message,
    sharedAt: new Date(share.shared_at).toISOString(),
    sharedBy: share.shared_by,
    paragraphs: json<SharedParagraph[]>(share.paragraphs),
    comments: comments.map((c) => ({
      id: c.id,
      paragraphId: c.paragraph_id,
      author: c.display_name,
      text: c.text,
      createdAt: new Date(c.created_at).toISOString(),
    })),
  };
}

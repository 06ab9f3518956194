/**
 * Fielding use cases of the researcher (issue 14, "Invitations", "Anonymous surveys"): invite the
 * frame to a wave (one invitation per member and wave, its token stored only as a hash, its e-mail
 * queued in the survey outbox), record bounces reported after sending, and create a practice's
 * link for an anonymous survey.
 */
import { randomUUID } from 'node:crypto';
import type {
  BouncesRecorded,
  InvitationsBody,
  InvitationsCreated,
  PracticeLink,
  PracticeLinkBody,
} from '../../contract/surveys.js';
import type { DataContext } from '../access/data-context.js';
import { badRequest, HttpProblem } from '../problem.js';
import { lockSurvey } from './surveys.commands.js';
import { toPracticeLink } from './surveys.queries.js';
import { hashToken, invitationToken, newPracticeSlug } from './tokens.js';

export const DEFAULT_WAVE = 'baseline';

export async function createInvitations(
  ctx: DataContext,
  surveyId: string,
  body: InvitationsBody,
  serverKey: Buffer
): Promise<InvitationsCreated> {
  const wave = body.wave ?? DEFAULT_WAVE;
  return ctx.withAudit(async (trx, audit) => {
    const survey = await lockSurvey(trx, surveyId);
    if (survey.kind !== 'identified') {
      throw new HttpProblem(
        409,
        'Conflict',
        'An anonymous survey sends no invitations: create practice links.'
      );
    }
    if (survey.status !== 'open') {
      throw new HttpProblem(
        409,
        'Conflict',
        survey.status === 'draft'
          ? 'Open the survey first: invitations go out for an open survey only.'
          : 'The survey is closed: open it again before inviting.'
      );
    }
    const members = await trx
      .selectFrom('survey_frame_members as m')
      .select(['m.id', 'm.email', 'm.opted_out_at', 'm.bounced_at'])
      .where('m.survey_id', '=', surveyId)
      .where((eb) =>
        eb.not(
          eb.exists(
            eb
              .selectFrom('survey_invitations as i')
              .select('i.id')
              .whereRef('i.frame_member_id', '=', 'm.id')
              .where('i.wave', '=', wave)
          )
        )
      )
      .orderBy('m.imported_at')
      .orderBy('m.frame_id')
      .execute();
    const invitable = members.filter((m) => m.opted_out_at === null && m.bounced_at === null);
    const total = await trx
      .selectFrom('survey_frame_members')
      .select((eb) => eb.fn.countAll<number>().as('n'))
      .where('survey_id', '=', surveyId)
      .executeTakeFirstOrThrow();
    for (let i = 0; i < invitable.length; i += 500) {
      const chunk = invitable.slice(i, i + 500).map((m) => ({ member: m, id: randomUUID() }));
      await trx
        .insertInto('survey_invitations')
        .values(
          chunk.map(({ member, id }) => ({
            id,
            survey_id: surveyId,
            frame_member_id: member.id,
            wave,
            token_hash: hashToken(invitationToken(serverKey, id)),
            created_at: ctx.now,
          }))
        )
        .execute();
      await trx
        .insertInto('survey_emails')
        .values(
          chunk.map(({ member, id }) => ({
            survey_id: surveyId,
            invitation_id: id,
            sequence: 0,
            recipient: member.email,
            created_at: ctx.now,
            next_attempt_at: ctx.now,
          }))
        )
        .execute();
    }
    audit({
      action: 'create',
      dataCategory: `survey invitations (${wave}): ${invitable.length} queued`,
      patientIds: [null],
    });
    return { wave, created: invitable.length, skipped: Number(total.n) - invitable.length };
  });
}

/** Marks the addresses as bounced: no more e-mail to them, and their invitations show as bounced. */
export async function recordBounces(
  ctx: DataContext,
  surveyId: string,
  emails: readonly string[]
): Promise<BouncesRecorded> {
  const wanted = [...new Set(emails.map((e) => e.trim().toLowerCase()))];
  return ctx.withAudit(async (trx, audit) => {
    await lockSurvey(trx, surveyId);
    const members = await trx
      .selectFrom('survey_frame_members')
      .select(['id', 'email', 'bounced_at'])
      .where('survey_id', '=', surveyId)
      .execute();
    const byEmail = new Map(members.map((m) => [m.email.toLowerCase(), m]));
    const found = wanted.map((e) => byEmail.get(e)).filter((m) => m !== undefined);
    const newly = found.filter((m) => m.bounced_at === null).map((m) => m.id);
    for (let i = 0; i < newly.length; i += 1000) {
      const ids = newly.slice(i, i + 1000);
      await markBounced(trx, ids, ctx.now);
    }
    audit({ action: 'update', dataCategory: `survey bounces recorded: ${newly.length}`, patientIds: [null] });
    return { recorded: newly.length, unknown: wanted.length - found.length };
  });
}

/** Bounced members: no further e-mail; invitations not yet answered show as bounced. */
export async function markBounced(
  trx: Parameters<Parameters<DataContext['withAudit']>[0]>[0],
  memberIds: readonly string[],
  now: Date
): Promise<void> {
  if (memberIds.length === 0) return;
  await trx
    .updateTable('survey_frame_members')
    .set({ bounced_at: now })
    .where('id', 'in', memberIds)
    .where('bounced_at', 'is', null)
    .execute();
  const invitations = trx
    .selectFrom('survey_invitations')
    .select('id')
    .where('frame_member_id', 'in', memberIds);
  await trx
    .updateTable('survey_invitations')
    .set({ status: 'bounced' })
    .where('frame_member_id', 'in', memberIds)
    .where('status', 'in', ['queued', 'sent'])
    .execute();
  await trx
    .updateTable('survey_emails')
    .set({ cancelled_at: now })
    .where('invitation_id', 'in', invitations)
    .where('sent_at', 'is', null)
    .where('gave_up_at', 'is', null)
    .where('cancelled_at', 'is', null)
    .execute();
}

export async function createPracticeLink(
  ctx: DataContext,
  surveyId: string,
  body: PracticeLinkBody,
  publicUrl: string
): Promise<PracticeLink> {
  const wave = body.wave ?? DEFAULT_WAVE;
  return ctx.withAudit(async (trx, audit) => {
    const survey = await lockSurvey(trx, surveyId);
    if (survey.kind !== 'anonymous') {
      throw new HttpProblem(
        409,
        'Conflict',
        'An identified survey is answered through personal invitations, not a practice link.'
      );
    }
    const practice = await trx
      .selectFrom('practices')
      .select(['id', 'name'])
      .where('id', '=', body.practiceId)
      .executeTakeFirst();
    if (!practice) throw badRequest([{ field: 'practiceId', reason: 'is not a practice on this platform' }]);
    const existing = await trx
      .selectFrom('survey_practice_links')
      .select(['practice_id', 'wave', 'slug'])
      .where('survey_id', '=', surveyId)
      .where('practice_id', '=', practice.id)
      .where('wave', '=', wave)
      .executeTakeFirst();
    const link =
      existing ??
      (await trx
        .insertInto('survey_practice_links')
        .values({
          survey_id: surveyId,
          practice_id: practice.id,
          slug: newPracticeSlug(),
          wave,
          created_by: ctx.actor.userId,
          created_at: ctx.now,
        })
        .returning(['practice_id', 'wave', 'slug'])
        .executeTakeFirstOrThrow());
    if (!existing) {
      audit({ action: 'create', dataCategory: 'survey practice link', patientIds: [null] });
    }
    return toPracticeLink({ ...link, name: practice.name }, publicUrl);
  });
}

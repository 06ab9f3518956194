/**
 * Changing a qualitative study (issue 15): creating it (the creator becomes its lead), adding
 * members, registering participants with their identity key, recording consent (a new information
 * letter is a new version), destroying an identity key, and creating events. Each change and its
 * audit line commit together (`ctx.withAudit`).
 */
import type {
  AddMemberBody,
  ConsentRecorded,
  CreateEventBody,
  CreateStudyBody,
  EventSummary,
  IdentityKey,
  RecordConsentBody,
  RegisterParticipantBody,
  StudyMember,
  StudySummary,
} from '../../contract/qualitative.js';
import type { DataContext } from '../access/data-context.js';
import { badRequest, HttpProblem, notFound } from '../problem.js';
import { studyOf } from './studies.queries.js';

function conflict(detail: string): HttpProblem {
  return new HttpProblem(409, 'Conflict', detail);
}

export async function createStudy(ctx: DataContext, body: CreateStudyBody): Promise<StudySummary> {
  return ctx.withAudit(async (trx, audit) => {
    const study = await trx
      .insertInto('qual_studies')
      .values({ title: body.title, created_by: ctx.actor.userId, created_at: ctx.now })
      .returning(['id', 'title', 'created_at'])
      .executeTakeFirstOrThrow();
    await trx
      .insertInto('qual_study_members')
      .values({
        study_id: study.id,
        user_id: ctx.actor.userId,
        role: 'lead',
        added_by: ctx.actor.userId,
        added_at: ctx.now,
      })
      .execute();
    audit({ action: 'create', dataCategory: 'qualitative study', patientIds: [null] });
    return { id: study.id, title: study.title, role: 'lead', createdAt: ctx.now.toISOString() };
  });
}

/** Adds (or changes the role of) a researcher in the study. A study keeps at least one lead. */
export async function addMember(ctx: DataContext, body: AddMemberBody): Promise<StudyMember> {
  const { studyId } = studyOf(ctx);
  return ctx.withAudit(async (trx, audit) => {
    const user = await trx
      .selectFrom('users')
      .select(['id', 'display_name', 'role', 'disabled_at'])
      .where('id', '=', body.userId)
      .executeTakeFirst();
    if (!user || user.role !== 'researcher' || user.disabled_at !== null) {
      throw badRequest([{ field: 'userId', reason: 'is not an active researcher' }]);
    }
    if (body.userId === ctx.actor.userId && body.role !== 'lead') {
      throw badRequest([{ field: 'role', reason: 'would leave the study without you as its lead' }]);
    }
    await trx
      .insertInto('qual_study_members')
      .values({
        study_id: studyId,
        user_id: body.userId,
        role: body.role,
        added_by: ctx.actor.userId,
        added_at: ctx.now,
      })
      .onConflict((oc) => oc.columns(['study_id', 'user_id']).doUpdateSet({ role: body.role }))
      .execute();
    audit({ action: 'update', dataCategory: 'qualitative study member', patientIds: [null] });
    return { userId: user.id, displayName: user.display_name, role: body.role };
  });
}

export async function registerParticipant(
  ctx: DataContext,
  body: RegisterParticipantBody
): Promise<{ id: string; pseudonym: string }> {
  const { studyId } = studyOf(ctx);
  return ctx.withAudit(async (trx, audit) => {
    const taken = await trx
      .selectFrom('qual_participants')
      .select('id')
      .where('study_id', '=', studyId)
      .where('pseudonym', '=', body.pseudonym)
      .executeTakeFirst();
    if (taken) throw conflict(`The pseudonym ${body.pseudonym} is already used in this study.`);
    const participant = await trx
      .insertInto('qual_participants')
      .values({ study_id: studyId, pseudonym: body.pseudonym, kind: body.kind, created_at: ctx.now })
      .returning(['id', 'pseudonym'])
      .executeTakeFirstOrThrow();
    if (body.identityKey !== undefined) {
      await trx
        .insertInto('qual_identity_keys')
        .values({
          participant_id: participant.id,
          key_text: body.identityKey,
          created_by: ctx.actor.userId,
          created_at: ctx.now,
        })
        .execute();
    }
    audit({ action: 'create', dataCategory: 'qualitative participant', patientIds: [null] });
    return participant;
  });
}

/** The participant, if it belongs to the study the access layer admitted the actor to. */
async function participantOf(ctx: DataContext, participantId: string) {
  const { studyId } = studyOf(ctx);
  const participant = await ctx.db
    .selectFrom('qual_participants')
    .select(['id', 'pseudonym', 'withdrawn_at'])
    .where('id', '=', participantId)
    .where('study_id', '=', studyId)
    .executeTakeFirst();
  if (!participant) throw notFound();
  return participant;
}

export async function recordConsent(
  ctx: DataContext,
  participantId: string,
  body: RecordConsentBody
): Promise<ConsentRecorded> {
  const participant = await participantOf(ctx, participantId);
  if (participant.withdrawn_at !== null) throw conflict('The participant has withdrawn from the study.');
  if (body.how === 'signed_form' && !body.file) {
    throw badRequest([{ field: 'file', reason: 'is required for a signed form (upload the scanned form)' }]);
  }
  if (body.how === 'recorded' && body.file) {
    throw badRequest([{ field: 'file', reason: 'is only for a signed form (how = signed_form)' }]);
  }
  if (new Date(body.givenAt).getTime() > ctx.now.getTime()) {
    throw badRequest([{ field: 'givenAt', reason: 'is in the future' }]);
  }
  const bytes = body.file ? Buffer.from(body.file.content, 'base64') : null;
  if (bytes && bytes.length === 0) throw badRequest([{ field: 'file.content', reason: 'is empty' }]);
  return ctx.withAudit(async (trx, audit) => {
    const existing = await trx
      .selectFrom('qual_consents')
      .select('id')
      .where('participant_id', '=', participantId)
      .where('letter_version', '=', body.letterVersion)
      .executeTakeFirst();
    if (existing) throw conflict(`Consent to letter version ${body.letterVersion} is already recorded.`);
    const row = await trx
      .insertInto('qual_consents')
      .values({
        participant_id: participantId,
        letter_version: body.letterVersion,
        given_at: body.givenAt,
        how: body.how,
        file_name: body.file?.name ?? null,
        file_bytes: bytes,
        keep_original: body.keepOriginal,
        recorded_by: ctx.actor.userId,
        recorded_at: ctx.now,
      })
      .returning('id')
      .executeTakeFirstOrThrow();
    audit({ action: 'create', dataCategory: 'qualitative consent', patientIds: [null] });
    return {
      id: row.id,
      participantId,
      letterVersion: body.letterVersion,
      givenAt: new Date(body.givenAt).toISOString(),
      how: body.how,
      keepOriginal: body.keepOriginal,
      fileStored: bytes !== null,
    };
  });
}

/** Destroys the identity key: the name is gone for good; when and by whom is kept. */
export async function destroyIdentityKey(ctx: DataContext, participantId: string): Promise<IdentityKey> {
  const participant = await participantOf(ctx, participantId);
  return ctx.withAudit(async (trx, audit) => {
    const key = await trx
      .selectFrom('qual_identity_keys')
      .select(['destroyed_at'])
      .where('participant_id', '=', participantId)
      .executeTakeFirst();
    if (!key) throw notFound();
    if (key.destroyed_at === null) {
      await trx
        .updateTable('qual_identity_keys')
        .set({ key_text: null, destroyed_at: ctx.now, destroyed_by: ctx.actor.userId })
        .where('participant_id', '=', participantId)
        .execute();
      audit({ action: 'delete', dataCategory: 'qualitative identity key destroyed', patientIds: [null] });
    }
    return {
      participantId,
      pseudonym: participant.pseudonym,
      key: null,
      destroyedAt: new Date(key.destroyed_at ?? ctx.now).toISOString(),
    };
  });
}

export async function createEvent(ctx: DataContext, body: CreateEventBody): Promise<EventSummary> {
  const { studyId } = studyOf(ctx);
  return ctx.withAudit(async (trx, audit) => {
    const taken = await trx
      .selectFrom('qual_events')
      .select('id')
      .where('study_id', '=', studyId)
      .where('kind', '=', body.kind)
      .where('number', '=', body.number)
      .executeTakeFirst();
    if (taken) throw conflict(`There already is a ${body.kind.replace('_', ' ')} number ${body.number}.`);
    const row = await trx
      .insertInto('qual_events')
      .values({
        study_id: studyId,
        kind: body.kind,
        number: body.number,
        held_on: body.heldOn,
        created_at: ctx.now,
      })
      .returning('id')
      .executeTakeFirstOrThrow();
    audit({ action: 'create', dataCategory: 'qualitative event', patientIds: [null] });
    return { id: row.id, kind: body.kind, number: body.number, heldOn: body.heldOn };
  });
}

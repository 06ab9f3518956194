/**
 * Reading a qualitative study (issue 15): the actor's studies, one study's members, participants,
 * events and sources, and a participant's identity key (the lead's routes only). The access layer
 * has checked membership before any of these run (`ctx.studyAccess`); every query is still scoped
 * by the study id, so an id of another study's object answers 404.
 */
import { sql } from 'kysely';
import type { IdentityKey, StudyDetail, StudyList } from '../../contract/qualitative.js';
import type { DataContext } from '../access/data-context.js';
import { HttpProblem, notFound } from '../problem.js';

/** The study the access layer admitted the actor to (a route without `:studyId` has none). */
export function studyOf(ctx: DataContext): { studyId: string; role: 'lead' | 'coder' | 'reader' } {
  const grant = ctx.studyAccess;
  if (!grant) throw new HttpProblem(500, 'Internal Server Error', 'This route has no study.');
  // The user group reads shared syntheses only (share.queries.ts), never what a member reads.
  if (grant.role === 'user_group')
    throw new HttpProblem(500, 'Internal Server Error', 'This route is for the study members.');
  return { studyId: grant.studyId, role: grant.role };
}

export async function listStudies(ctx: DataContext): Promise<StudyList> {
  const rows = await ctx.db
    .selectFrom('qual_studies as s')
    .innerJoin('qual_study_members as m', 'm.study_id', 's.id')
    .select(['s.id', 's.title', 's.created_at', 'm.role'])
    .where('m.user_id', '=', ctx.actor.userId)
    .orderBy('s.created_at', 'desc')
    .orderBy('s.id')
    .execute();
  await ctx.recordRead({ action: 'read', dataCategory: 'qualitative studies', patientIds: [null] });
  return {
    studies: rows.map((r) => ({
      id: r.id,
      title: r.title,
      role: r.role,
      createdAt: new Date(r.created_at).toISOString(),
    })),
  };
}

export async function getStudy(ctx: DataContext): Promise<StudyDetail> {
  const { studyId, role } = studyOf(ctx);
  const study = await ctx.db
    .selectFrom('qual_studies')
    .select(['id', 'title'])
    .where('id', '=', studyId)
    .executeTakeFirst();
  if (!study) throw notFound();
  const members = await ctx.db
    .selectFrom('qual_study_members as m')
    .innerJoin('users as u', 'u.id', 'm.user_id')
    .select(['m.user_id', 'u.display_name', 'm.role'])
    .where('m.study_id', '=', studyId)
    .orderBy('m.added_at')
    .orderBy('m.user_id')
    .execute();
  const participants = await ctx.db
    .selectFrom('qual_participants')
    .select(['id', 'pseudonym', 'kind', 'withdrawn_at'])
    .where('study_id', '=', studyId)
    .orderBy('pseudonym')
    .execute();
  const consents = participants.length
    ? await ctx.db
        .selectFrom('qual_consents')
        .select(['id', 'participant_id', 'letter_version', 'keep_original', 'given_at'])
        .select((eb) => eb('file_bytes', 'is not', null).as('has_form'))
        .where(
          'participant_id',
          'in',
          participants.map((p) => p.id)
        )
        .where('withdrawn_at', 'is', null)
        .orderBy('given_at', 'desc')
        .execute()
    : [];
  const events = await ctx.db
    .selectFrom('qual_events')
    .select(['id', 'kind', 'number'])
    .select(sql<string>`to_char(held_on, 'YYYY-MM-DD')`.as('held_on'))
    .where('study_id', '=', studyId)
    .orderBy('kind')
    .orderBy('number')
    .execute();
  const sources = await ctx.db
    .selectFrom('qual_sources')
    .select(['id', 'title', 'event_id', 'language', 'format', 'status', 'original_deleted_at'])
    .select((eb) => eb('original_text', 'is not', null).as('original_kept'))
    .where('study_id', '=', studyId)
    .orderBy('imported_at')
    .orderBy('id')
    .execute();
  await ctx.recordRead({ action: 'read', dataCategory: 'qualitative study', patientIds: [null] });
  return {
    id: study.id,
    title: study.title,
    role,
    members: members.map((m) => ({ userId: m.user_id, displayName: m.display_name, role: m.role })),
    participants: participants.map((p) => {
      // the latest consent still in force
      const consent = consents.find((c) => c.participant_id === p.id);
      return {
        id: p.id,
        pseudonym: p.pseudonym,
        kind: p.kind,
        withdrawn: p.withdrawn_at !== null,
        consentVersion: consent?.letter_version ?? null,
        keepOriginal: consent?.keep_original ?? false,
        // the signed form is the lead's to read
        consentFormId: role === 'lead' && consent?.has_form ? consent.id : null,
      };
    }),
    events: events.map((e) => ({ id: e.id, kind: e.kind, number: e.number, heldOn: e.held_on })),
    sources: sources.map((s) => ({
      id: s.id,
      title: s.title,
      eventId: s.event_id,
      language: s.language,
      format: s.format,
      status: s.status,
      originalKept: Boolean(s.original_kept),
    })),
  };
}

/** The lead reads a participant's identity key (real name); the read is audited. */
export async function readIdentityKey(ctx: DataContext, participantId: string): Promise<IdentityKey> {
  const { studyId } = studyOf(ctx);
  const row = await ctx.db
    .selectFrom('qual_participants as p')
    .leftJoin('qual_identity_keys as k', 'k.participant_id', 'p.id')
    .select(['p.id', 'p.pseudonym', 'k.key_text', 'k.destroyed_at'])
    .where('p.id', '=', participantId)
    .where('p.study_id', '=', studyId)
    .executeTakeFirst();
  if (!row) throw notFound();
  await ctx.recordRead({ action: 'read', dataCategory: 'qualitative identity key', patientIds: [null] });
  return {
    participantId: row.id,
    pseudonym: row.pseudonym,
    key: row.key_text ?? null,
    destroyedAt: row.destroyed_at ? new Date(row.destroyed_at).toISOString() : null,
  };
}

const FORM_TYPES: Record<string, string> = {
  pdf: 'application/pdf',
  png: 'image/png',
  jpg: 'image/jpeg',
  jpeg: 'image/jpeg',
  tif: 'image/tiff',
  tiff: 'image/tiff',
};

/** A signed consent form as uploaded (the lead only; the read is audited). */
export async function readConsentForm(
  ctx: DataContext,
  participantId: string,
  consentId: string
): Promise<{ fileName: string; contentType: string; bytes: Uint8Array }> {
  const { studyId } = studyOf(ctx);
  const row = await ctx.db
    .selectFrom('qual_consents as c')
    .innerJoin('qual_participants as p', 'p.id', 'c.participant_id')
    .select(['c.file_name', 'c.file_bytes'])
    .where('c.id', '=', consentId)
    .where('p.id', '=', participantId)
    .where('p.study_id', '=', studyId)
    .executeTakeFirst();
  if (!row || row.file_name === null || row.file_bytes === null) throw notFound();
  await ctx.recordRead({ action: 'read', dataCategory: 'qualitative consent', patientIds: [null] });
  const ending = /\.([A-Za-z]+)$/.exec(row.file_name)?.[1]?.toLowerCase() ?? '';
  return {
    // the stored name is the researcher's; the download gets a safe one
    fileName: `samtykke-${consentId.slice(0, 8)}${ending in FORM_TYPES ? `.${ending}` : ''}`,
    contentType: FORM_TYPES[ending] ?? 'application/octet-stream',
    bytes: new Uint8Array(row.file_bytes),
  };
}

/**
 * A transcript's way into the study (issue 15): import (.txt, .vtt, .srt through the domain's
 * parsers, .docx through mammoth), de-identification proposals made at once with the study's
 * replacement table and the participants' identity keys, the lead's decision on each proposal, and
 * applying the review: only when every proposal is decided (`isFullyReviewed`) does the source get
 * its de-identified text and open for coding. The original is then deleted unless every
 * participant's consent allows keeping it; the deletion is recorded.
 */
import type { Transaction } from 'kysely';
import type {
  DecideBody,
  ImportSourceBody,
  SourceReview,
  SourceSummary,
} from '../../contract/qualitative.js';
import type { Database } from '../../db/schema.js';
import {
  acceptedReplacements,
  applyReplacements,
  deidentifyTranscript,
  editProblem,
  isFullyReviewed,
  proposeReplacements,
  proposeSpeakerLabels,
  reviewStatus,
  speakerReplacements,
  tableAfterReview,
  type Decisions,
  type Participant,
  type Proposal,
  type ReplacementEntry,
  type SpeakerProposal,
} from '../../domain/qualitative/deidentify.js';
import {
  parseTranscript,
  TranscriptError,
  type Transcript,
  type TranscriptTurn,
} from '../../domain/qualitative/transcript.js';
import type { DataContext } from '../access/data-context.js';
import { badRequest, HttpProblem, notFound } from '../problem.js';
import { readDocxTranscript } from './docx.js';
import { applyPendingImports, replacementsApplied } from './pending-imports.js';
import { studyOf } from './studies.queries.js';

/** What the import proposed, stored on the source until the review is applied. */
export interface StoredProposals {
  text: Proposal[];
  speakers: SpeakerProposal[];
  /** The tentative table (the study's table plus labels for originals it did not hold). */
  table: ReplacementEntry[];
}

const FORMATS = { txt: 'txt', vtt: 'vtt', srt: 'srt', docx: 'docx' } as const;

function conflict(detail: string): HttpProblem {
  return new HttpProblem(409, 'Conflict', detail);
}

function formatOf(fileName: string): keyof typeof FORMATS {
  const ending = /\.([A-Za-z]+)$/.exec(fileName)?.[1]?.toLowerCase();
  if (ending && ending in FORMATS) return ending as keyof typeof FORMATS;
  throw badRequest([
    { field: 'fileName', reason: 'must end in .txt, .vtt, .srt or .docx (the ending chooses the reader)' },
  ]);
}

/** Reads the file; a problem with it is a 400 naming `content` and the reason, nothing stored. */
async function readTranscript(fileName: string, content: string): Promise<Transcript> {
  const format = formatOf(fileName);
  const bytes = Buffer.from(content, 'base64');
  if (bytes.length === 0) throw badRequest([{ field: 'content', reason: 'is empty' }]);
  try {
    if (format === 'docx') return await readDocxTranscript(bytes);
    return parseTranscript(bytes, { format, fileName });
  } catch (error) {
    if (error instanceof TranscriptError) {
      const where = error.field === 'file' ? '' : `${error.field} `;
      throw badRequest([{ field: 'content', reason: `${where}${error.reason}`.trim() }]);
    }
    throw error;
  }
}

/** The participants' pseudonyms and, while their identity key exists, their names. */
export async function participantsFor(
  trx: Transaction<Database>,
  studyId: string,
  participantIds: readonly string[]
): Promise<Array<Participant & { id: string }>> {
  if (participantIds.length === 0) return [];
  const rows = await trx
    .selectFrom('qual_participants as p')
    .leftJoin('qual_identity_keys as k', 'k.participant_id', 'p.id')
    .select(['p.id', 'p.pseudonym', 'p.withdrawn_at', 'k.key_text'])
    .where('p.study_id', '=', studyId)
    .where('p.id', 'in', participantIds)
    .execute();
  participantIds.forEach((id, i) => {
    const row = rows.find((r) => r.id === id);
    if (!row)
      throw badRequest([{ field: `participantIds[${i}]`, reason: 'is not a participant of this study' }]);
    if (row.withdrawn_at !== null) {
      throw badRequest([{ field: `participantIds[${i}]`, reason: 'has withdrawn from the study' }]);
    }
  });
  return rows.map((r) => ({
    id: r.id,
    pseudonym: r.pseudonym,
    names: (r.key_text ?? '').split(/\s+/).filter(Boolean),
  }));
}

/**
 * Every participant of the study (withdrawn ones too) as the proposer sees them: a name from one
 * focus group mentioned in another becomes that participant's pseudonym, not a new label.
 */
export async function studyParticipants(trx: Transaction<Database>, studyId: string): Promise<Participant[]> {
  const rows = await trx
    .selectFrom('qual_participants as p')
    .leftJoin('qual_identity_keys as k', 'k.participant_id', 'p.id')
    .select(['p.pseudonym', 'k.key_text'])
    .where('p.study_id', '=', studyId)
    .orderBy('p.pseudonym')
    .execute();
  return rows.map((r) => ({
    pseudonym: r.pseudonym,
    names: (r.key_text ?? '').split(/\s+/).filter(Boolean),
  }));
}

export async function studyTable(trx: Transaction<Database>, studyId: string): Promise<ReplacementEntry[]> {
  const rows = await trx
    .selectFrom('qual_deid_replacements')
    .select(['key', 'original', 'kind', 'replacement'])
    .where('study_id', '=', studyId)
    .orderBy('key')
    .execute();
  return rows.map((r) => ({ ...r, kind: r.kind as ReplacementEntry['kind'] }));
}

/**
 * De-identifies free text that came from outside without a review of its own (the memos of an
 * imported REFI-QDA project): every proposal is taken, with the study's participants and
 * replacement table, so the same names get the same labels as in the transcripts. Taking every
 * proposal can replace an ordinary capitalised word too; for a memo that errs on the safe side.
 */
export async function memoDeidentifier(
  trx: Transaction<Database>,
  studyId: string
): Promise<(text: string) => string> {
  const participants = await studyParticipants(trx, studyId);
  const table = await studyTable(trx, studyId);
  return (text) => {
    const { proposals } = proposeReplacements({ text, participants, table });
    return applyReplacements(text, proposals).text;
  };
}

export async function importSource(ctx: DataContext, body: ImportSourceBody): Promise<SourceSummary> {
  const { studyId } = studyOf(ctx);
  const format = formatOf(body.fileName);
  // Read before the transaction: a bad file stores nothing and holds no lock.
  const transcript = await readTranscript(body.fileName, body.content);
  return ctx.withAudit(async (trx, audit) => {
    if (body.eventId !== undefined) {
      const event = await trx
        .selectFrom('qual_events')
        .select('id')
        .where('id', '=', body.eventId)
        .where('study_id', '=', studyId)
        .executeTakeFirst();
      if (!event) throw badRequest([{ field: 'eventId', reason: 'is not an event of this study' }]);
    }
    const participants = await participantsFor(trx, studyId, body.participantIds);
    const id = await insertSourceForReview(trx, ctx, studyId, {
      title: body.title,
      language: body.language,
      eventId: body.eventId ?? null,
      format,
      transcript,
      participantIds: participants.map((p) => p.id),
    });
    audit({ action: 'create', dataCategory: 'qualitative transcript imported', patientIds: [null] });
    return {
      id,
      title: body.title,
      eventId: body.eventId ?? null,
      language: body.language,
      format,
      status: 'deidentifying',
      originalKept: true,
    };
  });
}

/**
 * Stores a parsed transcript under review, with its de-identification proposals made at once
 * against every participant of the study and the study's replacement table (also for a
 * transcript that came in a REFI-QDA project). Returns its id.
 */
export async function insertSourceForReview(
  trx: Transaction<Database>,
  ctx: DataContext,
  studyId: string,
  source: {
    title: string;
    language: 'nb' | 'en';
    eventId: string | null;
    format: keyof typeof FORMATS;
    transcript: Transcript;
    participantIds: readonly string[];
  }
): Promise<string> {
  const everyone = await studyParticipants(trx, studyId);
  const table = await studyTable(trx, studyId);
  const proposed = proposeReplacements({ text: source.transcript.text, participants: everyone, table });
  const speakers = proposeSpeakerLabels(source.transcript, everyone, proposed.table);
  const stored: StoredProposals = { text: proposed.proposals, speakers, table: proposed.table };
  const row = await trx
    .insertInto('qual_sources')
    .values({
      study_id: studyId,
      event_id: source.eventId,
      title: source.title,
      language: source.language,
      format: source.format,
      status: 'deidentifying',
      text: null,
      original_text: source.transcript.text,
      original_turns: JSON.stringify(source.transcript.turns),
      proposals: JSON.stringify(stored),
      imported_by: ctx.actor.userId,
      imported_at: ctx.now,
    })
    .returning('id')
    .executeTakeFirstOrThrow();
  if (source.participantIds.length) {
    await trx
      .insertInto('qual_source_participants')
      .values(
        source.participantIds.map((participantId) => ({ source_id: row.id, participant_id: participantId }))
      )
      .execute();
  }
  return row.id;
}

interface SourceUnderReview {
  id: string;
  status: 'importing' | 'deidentifying' | 'open_for_coding';
  original_text: string | null;
  original_turns: unknown;
  proposals: unknown;
}

export async function sourceOfStudy(
  db: DataContext['db'] | Transaction<Database>,
  studyId: string,
  sourceId: string
): Promise<SourceUnderReview> {
  const source = await db
    .selectFrom('qual_sources')
    .select(['id', 'status', 'original_text', 'original_turns', 'proposals'])
    .where('id', '=', sourceId)
    .where('study_id', '=', studyId)
    .executeTakeFirst();
  if (!source) throw notFound();
  return source;
}

/** JSON columns: pg parses jsonb, PGlite too; a string is parsed here for safety. */
export function json<T>(value: unknown): T {
  return (typeof value === 'string' ? JSON.parse(value) : value) as T;
}

export async function decisionsOf(
  db: DataContext['db'] | Transaction<Database>,
  sourceId: string
): Promise<
  Array<{
    proposal_id: string;
    action: 'accept' | 'edit' | 'reject';
    replacement: string | null;
    decided_by: string;
  }>
> {
  return db
    .selectFrom('qual_deid_decisions')
    .select(['proposal_id', 'action', 'replacement', 'decided_by'])
    .where('source_id', '=', sourceId)
    .execute();
}

export function toDecisions(
  rows: ReadonlyArray<{
    proposal_id: string;
    action: 'accept' | 'edit' | 'reject';
    replacement: string | null;
  }>
): Decisions {
  const out: Record<string, Decisions[string]> = {};
  for (const r of rows) {
    out[r.proposal_id] =
      r.action === 'edit' ? { action: 'edit', replacement: r.replacement ?? '' } : { action: r.action };
  }
  return out;
}

/** Records the lead's decisions (a later decision on the same proposal replaces the earlier). */
export async function decideProposals(
  ctx: DataContext,
  sourceId: string,
  body: DecideBody
): Promise<{ decided: number; total: number }> {
  const { studyId } = studyOf(ctx);
  return ctx.withAudit(async (trx, audit) => {
    const source = await sourceOfStudy(trx, studyId, sourceId);
    if (source.status !== 'deidentifying') throw conflict('This transcript is not under review.');
    const stored = json<StoredProposals>(source.proposals);
    const ids = new Set([...stored.text.map((p) => p.id), ...stored.speakers.map((p) => p.id)]);
    body.decisions.forEach((d, i) => {
      if (!ids.has(d.proposalId)) {
        throw badRequest([
          { field: `decisions[${i}].proposalId`, reason: 'is not a proposal of this transcript' },
        ]);
      }
      if (d.action === 'edit') {
        const problem =
          d.replacement === undefined ? 'is required to edit a proposal' : editProblem(d.replacement);
        if (problem) throw badRequest([{ field: `decisions[${i}].replacement`, reason: problem }]);
      } else if (d.replacement !== undefined) {
        throw badRequest([{ field: `decisions[${i}].replacement`, reason: 'is only for action edit' }]);
      }
    });
    for (const d of body.decisions) {
      const values = {
        action: d.action,
        replacement: d.action === 'edit' ? d.replacement! : null,
        decided_by: ctx.actor.userId,
        decided_at: ctx.now,
      };
      await trx
        .insertInto('qual_deid_decisions')
        .values({ source_id: sourceId, proposal_id: d.proposalId, ...values })
        .onConflict((oc) => oc.columns(['source_id', 'proposal_id']).doUpdateSet(values))
        .execute();
    }
    audit({ action: 'update', dataCategory: 'qualitative de-identification decisions', patientIds: [null] });
    const status = reviewStatus(
      [...stored.text, ...stored.speakers],
      toDecisions(await decisionsOf(trx, sourceId))
    );
    return { decided: status.decided, total: status.total };
  });
}

/**
 * Applies the review: refused (409, naming how many are left) until every proposal is decided.
 * Writes the de-identified text and its turns, extends the study's replacement table, opens the
 * source for coding and deletes the original unless every participant's consent allows keeping it.
 */
export async function applyReview(ctx: DataContext, sourceId: string): Promise<SourceReview> {
  const { studyId } = studyOf(ctx);
  return ctx.withAudit(async (trx, audit) => {
    const source = await sourceOfStudy(trx, studyId, sourceId);
    if (source.status !== 'deidentifying' || source.original_text === null) {
      throw conflict('This transcript is not under review.');
    }
    const stored = json<StoredProposals>(source.proposals);
    const decisions = toDecisions(await decisionsOf(trx, sourceId));
    const all = [...stored.text, ...stored.speakers];
    if (!isFullyReviewed(all, decisions)) {
      const left = reviewStatus(all, decisions).pending.length;
      throw conflict(`${left} of ${all.length} proposals are not decided yet; decide each one first.`);
    }
    const turns = json<TranscriptTurn[]>(source.original_turns);
    const original: Transcript = { format: 'txt', text: source.original_text, turns };
    const { transcript, map } = deidentifyTranscript(
      original,
      acceptedReplacements(stored.text, decisions),
      speakerReplacements(stored.speakers, decisions)
    );
    const previous = await studyTable(trx, studyId);
    for (const entry of tableAfterReview(
      previous,
      { proposals: stored.text, table: stored.table },
      decisions
    )) {
      await trx
        .insertInto('qual_deid_replacements')
        .values({ study_id: studyId, ...entry })
        .onConflict((oc) => oc.columns(['study_id', 'key']).doUpdateSet({ replacement: entry.replacement }))
        .execute();
    }
    const participants = await trx
      .selectFrom('qual_source_participants as sp')
      .innerJoin('qual_participants as p', 'p.id', 'sp.participant_id')
      .select(['p.id', 'p.pseudonym'])
      .where('sp.source_id', '=', sourceId)
      .execute();
    // The consent in force is the latest one given and not withdrawn (a new information letter
    // replaces the earlier one, so v2 without "keep the original" overrides v1 with it).
    const consents = participants.length
      ? await trx
          .selectFrom('qual_consents')
          .select(['participant_id', 'keep_original'])
          .where(
            'participant_id',
            'in',
            participants.map((p) => p.id)
          )
          .where('withdrawn_at', 'is', null)
          .orderBy('given_at', 'desc')
          .orderBy('recorded_at', 'desc')
          .execute()
      : [];
    const allowsKeeping = (participantId: string) =>
      consents.find((c) => c.participant_id === participantId)?.keep_original === true;
    if (transcript.turns.length) {
      await trx
        .insertInto('qual_source_turns')
        .values(
          transcript.turns.map((t) => ({
            source_id: sourceId,
            index: t.index,
            participant_id: participants.find((p) => p.pseudonym === t.speaker)?.id ?? null,
            label: t.speaker === null ? null : t.speaker.slice(0, 80),
            start_offset: t.start,
            end_offset: t.end,
            start_ms: t.startMs ?? null,
            end_ms: t.endMs ?? null,
          }))
        )
        .execute();
    }
    // Kept only with every participant's consent (and a source without participants keeps none).
    const keep = participants.length > 0 && participants.every((p) => allowsKeeping(p.id));
    await trx
      .updateTable('qual_sources')
      .set({
        status: 'open_for_coding',
        text: transcript.text,
        opened_at: ctx.now,
        ...(keep ? {} : { original_text: null, original_turns: null, original_deleted_at: ctx.now }),
      })
      .where('id', '=', sourceId)
      .execute();
    // Hook for an imported REFI-QDA project (refi-import.commands.ts): the codings and memos that
    // came with this transcript from another tool waited in qual_pending_imports, at offsets into
    // the original; they move with the replacements just written (remapAfterReplacements) onto the
    // de-identified text and become the importing researcher's. A source not imported so has none.
    const moved = await applyPendingImports(
      trx,
      ctx,
      studyId,
      sourceId,
      replacementsApplied(map, transcript.text),
      await memoDeidentifier(trx, studyId)
    );
    if (moved.codings) audit({ action: 'create', dataCategory: 'qualitative codings', patientIds: [null] });
    audit({ action: 'update', dataCategory: 'qualitative transcript opened for coding', patientIds: [null] });
    if (!keep) {
      audit({
        action: 'delete',
        dataCategory: 'qualitative original transcript deleted',
        patientIds: [null],
      });
    }
    return {
      sourceId,
      status: 'open_for_coding',
      originalText: null,
      proposals: [],
      decided: all.length,
      total: all.length,
    };
  });
}

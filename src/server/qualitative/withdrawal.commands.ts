/**
 * A participant withdraws (issue 15): their consents end, their turns are removed from every open
 * transcript (the text is rebuilt from the remaining turns, so every later offset shifts with
 * it), an original kept with their consent is deleted, and a record is kept of who, when and how
 * much was removed, never what was said.
 *
 * A transcript still under review loses their turns from its original (turns labelled with their
 * pseudonym, or with a label the review proposes to become it), and its review starts again: the
 * proposals are made anew on the shorter text and earlier decisions, made on other offsets, go.
 */
import type { Transaction } from 'kysely';
import type { WithdrawalRecord } from '../../contract/qualitative.js';
import type { Database, QualSourceTurnsTable } from '../../db/schema.js';
import { proposeReplacements, proposeSpeakerLabels } from '../../domain/qualitative/deidentify.js';
import { TURN_SEPARATOR, type Transcript, type TranscriptTurn } from '../../domain/qualitative/transcript.js';
import type { DataContext } from '../access/data-context.js';
import { HttpProblem, notFound } from '../problem.js';
import { remapAfterRemoval } from '../../domain/qualitative/offset-remap.js';
import { json, studyParticipants, studyTable, type StoredProposals } from './sources.commands.js';
import { withdrawFromCodings } from './coding.commands.js';
import { withdrawFromAnalyses } from './stc.commands.js';
import { studyOf } from './studies.queries.js';

/** A stored speaker turn of an open transcript (qual_source_turns), without its source. */
type Turn = Omit<QualSourceTurnsTable, 'source_id'>;

/**
 * The text without one participant's turns: the remaining turns joined as a transcript is
 * (`TURN_SEPARATOR`), re-indexed from 0 with new offsets. Pure, exported for its test.
 */
export function withoutParticipant(
  text: string,
  turns: readonly Turn[],
  participantId: string
): { text: string; turns: Turn[]; removed: number } {
  const kept = turns.filter((t) => t.participant_id !== participantId);
  let out = '';
  const next: Turn[] = [];
  for (const t of kept) {
    if (next.length > 0) out += TURN_SEPARATOR;
    const piece = text.slice(t.start_offset, t.end_offset);
    const start = out.length;
    out += piece;
    next.push({ ...t, index: next.length, start_offset: start, end_offset: out.length });
  }
  return { text: out, turns: next, removed: turns.length - kept.length };
}

/**
 * A parsed transcript without the turns `drop` picks: the rest joined by `TURN_SEPARATOR`, indices
 * from 0, every turn's and cue's offsets moved with it. Pure, exported for its test.
 */
export function transcriptWithout(
  transcript: Transcript,
  drop: (turn: TranscriptTurn) => boolean
): { transcript: Transcript; removed: number } {
  const kept = transcript.turns.filter((t) => !drop(t));
  let text = '';
  const turns = kept.map((t, index): TranscriptTurn => {
    if (index > 0) text += TURN_SEPARATOR;
    const shift = text.length - t.start;
    text += transcript.text.slice(t.start, t.end);
    const turn: TranscriptTurn = { ...t, index, start: t.start + shift, end: t.end + shift };
    if (t.segments)
      turn.segments = t.segments.map((c) => ({ ...c, start: c.start + shift, end: c.end + shift }));
    return turn;
  });
  return { transcript: { ...transcript, text, turns }, removed: transcript.turns.length - kept.length };
}

/** Removes the participant's turns from a transcript under review and makes its proposals anew. */
async function withdrawFromReview(
  trx: Transaction<Database>,
  studyId: string,
  source: { id: string; original_text: string | null; original_turns: unknown; proposals: unknown },
  pseudonym: string
): Promise<{ removed: number; characters: number }> {
  const original: Transcript = {
    format: 'txt',
    text: source.original_text ?? '',
    turns: json<TranscriptTurn[]>(source.original_turns) ?? [],
  };
  const stored = json<StoredProposals>(source.proposals);
  // labels that are theirs: the pseudonym itself, or one the review proposes to become it
  const theirs = new Set([
    pseudonym,
    ...stored.speakers.filter((p) => p.replacement === pseudonym).map((p) => p.speaker),
  ]);
  const { transcript, removed } = transcriptWithout(
    original,
    (t) => t.speaker !== null && theirs.has(t.speaker)
  );
  // every participant of the study, the withdrawing one too: their name, while the key exists,
  // is still replaced by their pseudonym where others mention them
  const participants = await studyParticipants(trx, studyId);
  const table = await studyTable(trx, studyId);
  const proposed = proposeReplacements({ text: transcript.text, participants, table });
  const speakers = proposeSpeakerLabels(transcript, participants, proposed.table);
  const next: StoredProposals = { text: proposed.proposals, speakers, table: proposed.table };
  await trx.deleteFrom('qual_deid_decisions').where('source_id', '=', source.id).execute();
  await trx
    .updateTable('qual_sources')
    .set({
      original_text: transcript.text,
      original_turns: JSON.stringify(transcript.turns),
      proposals: JSON.stringify(next),
    })
    .where('id', '=', source.id)
    .execute();
  return { removed, characters: original.text.length - transcript.text.length };
}

export async function withdrawParticipant(
  ctx: DataContext,
  participantId: string
): Promise<WithdrawalRecord> {
  const { studyId } = studyOf(ctx);
  return ctx.withAudit(async (trx, audit) => {
    const participant = await trx
      .selectFrom('qual_participants')
      .select(['id', 'pseudonym', 'withdrawn_at'])
      .where('id', '=', participantId)
      .where('study_id', '=', studyId)
      .forUpdate()
      .executeTakeFirst();
    if (!participant) throw notFound();
    if (participant.withdrawn_at !== null) {
      throw new HttpProblem(409, 'Conflict', 'The participant has already withdrawn.');
    }
    const sources = await trx
      .selectFrom('qual_sources as s')
      .innerJoin('qual_source_participants as sp', 'sp.source_id', 's.id')
      .select(['s.id', 's.status', 's.text', 's.original_text', 's.original_turns', 's.proposals'])
      .where('sp.participant_id', '=', participantId)
      .where('s.study_id', '=', studyId)
      .orderBy('s.id')
      .execute();
    let turnsRemoved = 0;
    let charactersRemoved = 0;
    let sourcesAffected = 0;
    const analyses = { meaningUnitsRemoved: 0, condensatesToReview: 0 };
    let codingsRemoved = 0;
    for (const source of sources) {
      if (source.status !== 'open_for_coding') {
        const { removed, characters } = await withdrawFromReview(trx, studyId, source, participant.pseudonym);
        sourcesAffected += 1;
        turnsRemoved += removed;
        charactersRemoved += characters;
        continue;
      }
      const turns = await trx
        .selectFrom('qual_source_turns')
        .select(['index', 'participant_id', 'label', 'start_offset', 'end_offset', 'start_ms', 'end_ms'])
        .where('source_id', '=', source.id)
        .orderBy('index')
        .execute();
      const rebuilt = withoutParticipant(source.text ?? '', turns, participantId);
      const originalDeleted = source.original_text !== null;
      if (rebuilt.removed === 0 && !originalDeleted) continue;
      sourcesAffected += 1;
      turnsRemoved += rebuilt.removed;
      charactersRemoved += (source.text ?? '').length - rebuilt.text.length;
      // everything that points into the text by offsets moves with it, or goes with their speech
      let kept = 0;
      const remap = remapAfterRemoval(
        turns.map((turn) => ({
          start: turn.start_offset,
          end: turn.end_offset,
          newStart: turn.participant_id === participantId ? null : rebuilt.turns[kept++]!.start_offset,
        }))
      );
      const inAnalyses = await withdrawFromAnalyses(
        trx,
        studyId,
        source.id,
        remap,
        ctx.now,
        ctx.actor.userId
      );
      analyses.meaningUnitsRemoved += inAnalyses.meaningUnitsRemoved;
      analyses.condensatesToReview += inAnalyses.condensatesToReview;
      codingsRemoved += await withdrawFromCodings(trx, source.id, remap);
      await trx.deleteFrom('qual_source_turns').where('source_id', '=', source.id).execute();
      if (rebuilt.turns.length) {
        await trx
          .insertInto('qual_source_turns')
          .values(rebuilt.turns.map((t) => ({ ...t, source_id: source.id })))
          .execute();
      }
      await trx
        .updateTable('qual_sources')
        .set({
          text: rebuilt.text,
          // their words in an original kept with everyone's consent: the original goes
          ...(originalDeleted
            ? { original_text: null, original_turns: null, original_deleted_at: ctx.now }
            : {}),
        })
        .where('id', '=', source.id)
        .execute();
      if (originalDeleted) {
        audit({
          action: 'delete',
          dataCategory: 'qualitative original transcript deleted',
          patientIds: [null],
        });
      }
    }
    // they no longer take part in any transcript (their turns are gone; their name is not proposed)
    await trx.deleteFrom('qual_source_participants').where('participant_id', '=', participantId).execute();
    await trx
      .updateTable('qual_consents')
      .set({ withdrawn_at: ctx.now })
      .where('participant_id', '=', participantId)
      .where('withdrawn_at', 'is', null)
      .execute();
    await trx
      .updateTable('qual_participants')
      .set({ withdrawn_at: ctx.now })
      .where('id', '=', participantId)
      .execute();
    const record = await trx
      .insertInto('qual_withdrawals')
      .values({
        participant_id: participantId,
        withdrawn_at: ctx.now,
        withdrawn_by: ctx.actor.userId,
        sources_affected: sourcesAffected,
        turns_removed: turnsRemoved,
        characters_removed: charactersRemoved,
        meaning_units_removed: analyses.meaningUnitsRemoved,
        condensates_to_review: analyses.condensatesToReview,
        codings_removed: codingsRemoved,
      })
      .returning('id')
      .executeTakeFirstOrThrow();
    audit({ action: 'update', dataCategory: 'qualitative consent withdrawn', patientIds: [null] });
    return {
      id: record.id,
      participantId,
      withdrawnAt: ctx.now.toISOString(),
      sourcesAffected,
      turnsRemoved,
      charactersRemoved,
      ...analyses,
      codingsRemoved,
    };
  });
}

/**
 * A participant withdraws (issue 15): their consents end, their turns are removed from every open
 * transcript (the text is rebuilt from the remaining turns, so every later offset shifts with
 * it), an original kept with their consent is deleted, and a record is kept of who, when and how
 * much was removed, never what was said.
 *
 * A transcript still under review that they speak in goes back to review without them only in a
 * later slice: for now the withdrawal is refused while one exists (409), so nothing of theirs can
 * open for coding after they left.
 */
import type { WithdrawalRecord } from '../../contract/qualitative.js';
import { TURN_SEPARATOR } from '../../domain/qualitative/transcript.js';
import type { DataContext } from '../access/data-context.js';
import { HttpProblem, notFound } from '../problem.js';
import { studyOf } from './studies.queries.js';

interface Turn {
  index: number;
  participant_id: string | null;
  label: string | null;
  start_offset: number;
  end_offset: number;
  start_ms: number | null;
  end_ms: number | null;
}

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

export async function withdrawParticipant(
  ctx: DataContext,
  participantId: string
): Promise<WithdrawalRecord> {
  const { studyId } = studyOf(ctx);
  return ctx.withAudit(async (trx, audit) => {
    const participant = await trx
      .selectFrom('qual_participants')
      .select(['id', 'withdrawn_at'])
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
      .select(['s.id', 's.status', 's.text', 's.original_text'])
      .where('sp.participant_id', '=', participantId)
      .where('s.study_id', '=', studyId)
      .orderBy('s.id')
      .execute();
    if (sources.some((s) => s.status !== 'open_for_coding')) {
      throw new HttpProblem(
        409,
        'Conflict',
        'A transcript this participant speaks in is still under de-identification review; finish or remove it first.'
      );
    }
    let turnsRemoved = 0;
    let charactersRemoved = 0;
    let sourcesAffected = 0;
    for (const source of sources) {
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
    };
  });
}

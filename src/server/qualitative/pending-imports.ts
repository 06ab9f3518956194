/**
 * Codings and memos that came with a transcript in a REFI-QDA project wait here until the
 * transcript is de-identified (nobody codes identifiable text); applying the review moves them
 * through the de-identification's offset map onto the stored text (refi-import.commands.ts).
 */
import type { Insertable, Transaction } from 'kysely';
import type { Database } from '../../db/schema.js';
import { mapRange, type OffsetMap } from '../../domain/qualitative/deidentify.js';
import type { DataContext } from '../access/data-context.js';

/** Moves a source's pending codings and memos onto its de-identified text; returns the counts. */
export async function applyPendingImports(
  trx: Transaction<Database>,
  ctx: DataContext,
  studyId: string,
  sourceId: string,
  map: OffsetMap
): Promise<{ codings: number; memos: number; lost: number }> {
  const pending = await trx
    .selectFrom('qual_pending_imports')
    .selectAll()
    .where('source_id', '=', sourceId)
    .orderBy('start_offset')
    .execute();
  const codingRows: Insertable<Database['qual_codings']>[] = [];
  const memoRows: Insertable<Database['qual_memos']>[] = [];
  let codings = 0;
  let memos = 0;
  let lost = 0;
  for (const p of pending) {
    const { start, end } = mapRange(map, { start: p.start_offset, end: p.end_offset });
    if (p.kind === 'coding') {
      if (!(end > start)) {
        lost++;
        continue;
      }
      codingRows.push({
        study_id: studyId,
        source_id: sourceId,
        code_id: p.code_id!,
        coder_id: p.imported_by,
        start_offset: start,
        end_offset: end,
        created_at: ctx.now,
      });
      codings++;
    } else {
      // a memo on a stretch stays on it; one on the whole transcript (an empty range) on the source
      const segment = p.end_offset > p.start_offset;
      if (segment && !(end > start)) {
        lost++;
        continue;
      }
      memoRows.push({
        study_id: studyId,
        author_id: p.imported_by,
        target: segment ? 'segment' : 'source',
        source_id: sourceId,
        code_id: null,
        start_offset: segment ? start : null,
        end_offset: segment ? end : null,
        text: p.memo_text!,
        created_at: ctx.now,
        updated_at: ctx.now,
      });
      memos++;
    }
  }
  for (let i = 0; i < codingRows.length; i += 1000)
    await trx
      .insertInto('qual_codings')
      .values(codingRows.slice(i, i + 1000))
      .execute();
  if (memoRows.length) await trx.insertInto('qual_memos').values(memoRows).execute();
  if (pending.length)
    await trx.deleteFrom('qual_pending_imports').where('source_id', '=', sourceId).execute();
  return { codings, memos, lost };
}

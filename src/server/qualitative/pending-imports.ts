/**
 * Codings and memos that came with a transcript in a REFI-QDA project wait here until the
 * transcript is de-identified (nobody codes identifiable text); applying the review moves them
 * with `remapAfterReplacements` (domain/qualitative/offset-remap.ts) onto the stored text
 * (refi-import.commands.ts).
 */
import type { Insertable, Transaction } from 'kysely';
import type { Database } from '../../db/schema.js';
import type { OffsetMap } from '../../domain/qualitative/deidentify.js';
import { remapAfterReplacements, type AppliedReplacement } from '../../domain/qualitative/offset-remap.js';
import type { DataContext } from '../access/data-context.js';

/**
 * The replacements a review wrote, read back from its offset map and the new text (the map holds
 * exactly the spans written, overlaps already resolved).
 */
export function replacementsApplied(map: OffsetMap, newText: string): AppliedReplacement[] {
  return map.edits.map((e) => ({
    start: e.start,
    end: e.end,
    replacement: newText.slice(e.newStart, e.newEnd),
  }));
}

/**
 * Moves a source's pending codings and memos onto its de-identified text, as the importing
 * researcher's, and empties the queue. Returns the counts: `lost` a coding whose stretch came out
 * empty (inside a name replaced by nothing; a memo on such a stretch goes on the source), `merged` a coding the same as
 * another once laid (two coders of the other tool on the same words with the same code become
 * one researcher's: kept once).
 */
export async function applyPendingImports(
  trx: Transaction<Database>,
  ctx: DataContext,
  studyId: string,
  sourceId: string,
  replacements: readonly AppliedReplacement[],
  /** The memo text from the other tool, de-identified like the transcript (names, places, …). */
  deidentify: (text: string) => string
): Promise<{ codings: number; memos: number; lost: number; merged: number }> {
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
  let merged = 0;
  const remap = remapAfterReplacements(replacements);
  const laid = new Set<string>();
  for (const p of pending) {
    const range = remap(p.start_offset, p.end_offset);
    if (p.kind === 'coding') {
      if (!range) {
        lost++;
        continue;
      }
      const { start, end } = range;
      const key = `${p.imported_by}:${p.code_id}:${start}:${end}`;
      if (laid.has(key)) {
        merged++;
        continue;
      }
      laid.add(key);
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
      // a memo on a stretch stays on it; one on the whole transcript (an empty range) on the
      // source, and so does one whose stretch vanished in a replacement (the note is kept)
      memoRows.push({
        study_id: studyId,
        author_id: p.imported_by,
        target: range ? 'segment' : 'source',
        source_id: sourceId,
        code_id: null,
        start_offset: range ? range.start : null,
        end_offset: range ? range.end : null,
        text: deidentify(p.memo_text!),
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
  return { codings, memos, lost, merged };
}

/**
 * Changing an STC analysis (issue 15): creating one, saving it whole, and moving its meaning units
 * when a participant withdraws.
 *
 * A save carries the revision it started from: if a colleague saved in between, 409 (and nothing
 * is overwritten). Before storing, the domain checks every link (`stcProblems`): a meaning unit
 * outside its transcript, in a transcript not yet open for coding, or sorted into a group that
 * does not exist is refused with 400 naming the place. What is merely unfinished (a condensate
 * without meaning units after a withdrawal, a sentence not yet linked) is stored and shown as an
 * open point (stc.queries.ts).
 */
import type { Transaction } from 'kysely';
import type { CreateStcBody, SaveStcBody, StcSummary } from '../../contract/qualitative-stc.js';
import type { Database } from '../../db/schema.js';
import type { Remap } from '../../domain/qualitative/offset-remap.js';
import { stcProblems, withdrawMeaningUnits, type StcAnalysis } from '../../domain/qualitative/stc.js';
import type { DataContext } from '../access/data-context.js';
import { badRequest, HttpProblem, notFound } from '../problem.js';
import { json } from './sources.commands.js';
import { studyOf } from './studies.queries.js';
import { summaryOf, UNFINISHED } from './stc.queries.js';

export const EMPTY_ANALYSIS: StcAnalysis = {
  impressions: [],
  groups: [],
  meaningUnits: [],
  condensates: [],
  synthesis: [],
};

/** Only the lead and coders change an analysis; a reader reads it. */
function assertMayEdit(role: string): void {
  if (role === 'reader') throw new HttpProblem(403, 'Forbidden', 'Readers cannot change an analysis.');
}

export async function createStc(ctx: DataContext, body: CreateStcBody): Promise<StcSummary> {
  const { studyId, role } = studyOf(ctx);
  assertMayEdit(role);
  return ctx.withAudit(async (trx, audit) => {
    const row = await trx
      .insertInto('qual_stc_analyses')
      .values({
        study_id: studyId,
        title: body.title,
        revision: 1,
        document: JSON.stringify(EMPTY_ANALYSIS),
        created_by: ctx.actor.userId,
        created_at: ctx.now,
        updated_by: ctx.actor.userId,
        updated_at: ctx.now,
      })
      .returning(['id', 'title', 'revision', 'updated_at'])
      .executeTakeFirstOrThrow();
    audit({ action: 'create', dataCategory: 'qualitative STC analysis', patientIds: [null] });
    return summaryOf({ ...row, document: EMPTY_ANALYSIS, updated_by_name: ctx.actor.displayName });
  });
}

/**
 * The lengths (UTF-16 units, as the page counts offsets) of the transcripts the document points
 * into, among this study's transcripts open for coding; any other source is unknown to the check.
 */
async function openSourceLengths(
  trx: Transaction<Database>,
  studyId: string,
  sourceIds: readonly string[]
): Promise<Map<string, number>> {
  if (!sourceIds.length) return new Map();
  const rows = await trx
    .selectFrom('qual_sources')
    .select(['id', 'text'])
    .where('study_id', '=', studyId)
    .where('status', '=', 'open_for_coding')
    .where('id', 'in', [...sourceIds])
    .execute();
  return new Map(rows.map((r) => [r.id, (r.text ?? '').length]));
}

/** Where in the document a problem lies, as a field path the page can point at. */
function fieldOf(analysis: StcAnalysis, step: number, ref: string): string {
  const at = (list: ReadonlyArray<{ id: string }>, name: string) => {
    const i = list.findIndex((x) => x.id === ref);
    return i >= 0 ? `document.${name}[${i}]` : `document.${name}`;
  };
  if (ref.includes('#')) {
    const [paragraphId, sentence] = ref.split('#');
    const i = analysis.synthesis.findIndex((p) => p.id === paragraphId);
    return `document.synthesis[${i}].sentences[${Number(sentence) - 1}]`;
  }
  if (step === 1) return 'document.impressions';
  const unit = analysis.meaningUnits.findIndex((u) => u.id === ref);
  if (unit >= 0) return `document.meaningUnits[${unit}]`;
  if (analysis.condensates.some((c) => c.id === ref)) return at(analysis.condensates, 'condensates');
  if (analysis.groups.some((g) => g.id === ref)) return at(analysis.groups, 'groups');
  return at(analysis.synthesis, 'synthesis');
}

export async function saveStc(ctx: DataContext, analysisId: string, body: SaveStcBody): Promise<StcSummary> {
  const { studyId, role } = studyOf(ctx);
  assertMayEdit(role);
  const analysis: StcAnalysis = body.document;
  return ctx.withAudit(async (trx, audit) => {
    const current = await trx
      .selectFrom('qual_stc_analyses')
      .select(['id', 'revision'])
      .where('id', '=', analysisId)
      .where('study_id', '=', studyId)
      .forUpdate()
      .executeTakeFirst();
    if (!current) throw notFound();
    if (current.revision !== body.revision)
      throw new HttpProblem(
        409,
        'Conflict',
        `The analysis was saved by someone else meanwhile (revision ${current.revision}; this edit started from ${body.revision}). Reload it and make the change again.`
      );
    const sourceIds = [
      ...new Set([
        ...analysis.meaningUnits.map((u) => u.sourceId),
        ...analysis.impressions.map((i) => i.sourceId),
      ]),
    ];
    const lengths = await openSourceLengths(trx, studyId, sourceIds);
    const broken = stcProblems(analysis, lengths).filter((p) => !UNFINISHED.has(p.reason));
    if (broken.length)
      throw badRequest(
        broken.slice(0, 20).map((p) => ({ field: fieldOf(analysis, p.step, p.ref), reason: p.message }))
      );
    const saved = await trx
      .updateTable('qual_stc_analyses')
      .set({
        title: body.title,
        revision: current.revision + 1,
        document: JSON.stringify(analysis),
        updated_by: ctx.actor.userId,
        updated_at: ctx.now,
      })
      .where('id', '=', analysisId)
      .returning(['id', 'title', 'revision', 'updated_at'])
      .executeTakeFirstOrThrow();
    audit({ action: 'update', dataCategory: 'qualitative STC analysis', patientIds: [null] });
    return summaryOf({ ...saved, document: analysis, updated_by_name: ctx.actor.displayName });
  });
}

/** What a withdrawal did to the study's STC analyses (counts only, for the withdrawal record). */
export interface StcWithdrawalCounts {
  meaningUnitsRemoved: number;
  condensatesToReview: number;
}

/**
 * After a participant's turns left a transcript: in every analysis of the study, the meaning units
 * of that transcript that touched their speech are removed (condensates that used them are left
 * for the researcher to review: their wording may carry what was said), and the others move with
 * the text. Part of the withdrawal's transaction.
 */
export async function withdrawFromAnalyses(
  trx: Transaction<Database>,
  studyId: string,
  sourceId: string,
  remap: Remap,
  now: Date,
  actorId: string
): Promise<StcWithdrawalCounts> {
  const rows = await trx
    .selectFrom('qual_stc_analyses')
    .select(['id', 'revision', 'document'])
    .where('study_id', '=', studyId)
    .forUpdate()
    .execute();
  const counts = { meaningUnitsRemoved: 0, condensatesToReview: 0 };
  for (const row of rows) {
    const analysis = json<StcAnalysis>(row.document);
    const gone: string[] = [];
    const moved = analysis.meaningUnits.map((u) => {
      if (u.sourceId !== sourceId) return u;
      const to = remap(u.start, u.end);
      if (!to) gone.push(u.id);
      return to ? { ...u, ...to } : u;
    });
    const unchanged = gone.length === 0 && moved.every((u, i) => u === analysis.meaningUnits[i]);
    if (unchanged) continue;
    const effect = withdrawMeaningUnits({ ...analysis, meaningUnits: moved }, gone);
    counts.meaningUnitsRemoved += effect.removedMeaningUnits.length;
    counts.condensatesToReview += effect.condensatesToReview.length;
    await trx
      .updateTable('qual_stc_analyses')
      .set({
        document: JSON.stringify(effect.analysis),
        revision: row.revision + 1,
        updated_by: actorId,
        updated_at: now,
      })
      .where('id', '=', row.id)
      .execute();
  }
  return counts;
}

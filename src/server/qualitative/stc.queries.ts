/**
 * Reading STC analyses (issue 15): the study's analyses with how far each theme has come, one
 * analysis with its progress and open points, and the trace of one synthesis sentence back to its
 * condensates, meaning units and transcript lines. The trace shows transcript text, so it is
 * audited as a transcript read; the rest is the researchers' own analysis, audited as such.
 */
import type { SentenceTrace, StcAnalysisView, StcList, StcSummary } from '../../contract/qualitative-stc.js';
import {
  stcProblems,
  stcProgress,
  traceSentence,
  type StcAnalysis,
  type StcProblemReason,
} from '../../domain/qualitative/stc.js';
import type { DataContext } from '../access/data-context.js';
import { HttpProblem, notFound } from '../problem.js';
import { json } from './sources.commands.js';
import { studyOf } from './studies.queries.js';

/** Problems that are work in progress, not broken links: stored, and shown as open points. */
export const UNFINISHED: ReadonlySet<StcProblemReason> = new Set([
  'condensate-without-meaning-units',
  'sentence-without-condensate',
]);

export function summaryOf(row: {
  id: string;
  title: string;
  revision: number;
  updated_at: Date | string;
  updated_by_name: string;
  document: StcAnalysis;
}): StcSummary {
  const themesAtStep = [0, 0, 0, 0];
  for (const g of stcProgress(row.document)) themesAtStep[g.step - 1]! += 1;
  return {
    id: row.id,
    title: row.title,
    revision: row.revision,
    updatedAt: new Date(row.updated_at).toISOString(),
    updatedBy: row.updated_by_name,
    themesAtStep,
  };
}

function analysesQuery(ctx: DataContext, studyId: string) {
  return ctx.db
    .selectFrom('qual_stc_analyses as a')
    .innerJoin('users as u', 'u.id', 'a.updated_by')
    .select([
      'a.id',
      'a.title',
      'a.revision',
      'a.updated_at',
      'a.document',
      'u.display_name as updated_by_name',
    ])
    .where('a.study_id', '=', studyId);
}

export async function listStc(ctx: DataContext): Promise<StcList> {
  const { studyId } = studyOf(ctx);
  const rows = await analysesQuery(ctx, studyId).orderBy('a.created_at').orderBy('a.id').execute();
  await ctx.recordRead({ action: 'read', dataCategory: 'qualitative STC analyses', patientIds: [null] });
  return { analyses: rows.map((r) => summaryOf({ ...r, document: json<StcAnalysis>(r.document) })) };
}

async function loadAnalysis(ctx: DataContext, studyId: string, analysisId: string) {
  const row = await analysesQuery(ctx, studyId).where('a.id', '=', analysisId).executeTakeFirst();
  if (!row) throw notFound();
  return { ...row, document: json<StcAnalysis>(row.document) };
}

/** The transcripts' de-identified texts, by id, among the study's open transcripts. */
async function openTexts(ctx: DataContext, studyId: string, sourceIds: readonly string[]) {
  if (!sourceIds.length) return new Map<string, { title: string; text: string }>();
  const rows = await ctx.db
    .selectFrom('qual_sources')
    .select(['id', 'title', 'text'])
    .where('study_id', '=', studyId)
    .where('status', '=', 'open_for_coding')
    .where('id', 'in', [...sourceIds])
    .execute();
  return new Map(rows.map((r) => [r.id, { title: r.title, text: r.text ?? '' }]));
}

export async function getStc(ctx: DataContext, analysisId: string): Promise<StcAnalysisView> {
  const { studyId } = studyOf(ctx);
  const row = await loadAnalysis(ctx, studyId, analysisId);
  const analysis = row.document;
  const sourceIds = [...new Set(analysis.meaningUnits.map((u) => u.sourceId))];
  const lengths = new Map(
    [...(await openTexts(ctx, studyId, sourceIds))].map(([id, s]) => [id, s.text.length])
  );
  await ctx.recordRead({ action: 'read', dataCategory: 'qualitative STC analysis', patientIds: [null] });
  return {
    id: row.id,
    title: row.title,
    revision: row.revision,
    updatedAt: new Date(row.updated_at).toISOString(),
    document: analysis,
    progress: stcProgress(analysis),
    openPoints: stcProblems(analysis, lengths).map((p) => ({
      step: p.step,
      ref: p.ref,
      reason: p.reason,
      message: p.message,
    })),
  };
}

/** One synthesis sentence (1-based) traced to its condensates, meaning units and transcript lines. */
export async function traceStc(
  ctx: DataContext,
  analysisId: string,
  paragraphId: string,
  sentence: number
): Promise<SentenceTrace> {
  const { studyId } = studyOf(ctx);
  const { document: analysis } = await loadAnalysis(ctx, studyId, analysisId);
  const paragraph = analysis.synthesis.find((p) => p.id === paragraphId);
  const target = paragraph?.sentences[sentence - 1];
  if (!paragraph || !target)
    throw new HttpProblem(
      404,
      'Not Found',
      `The synthesis has no sentence ${sentence} in paragraph ${paragraphId}.`
    );
  const sourceIds = [...new Set(analysis.meaningUnits.map((u) => u.sourceId))];
  const sources = await openTexts(ctx, studyId, sourceIds);
  const texts = new Map([...sources].map(([id, s]) => [id, s.text]));
  const condensates = traceSentence(analysis, texts, paragraphId, sentence - 1);
  await ctx.recordRead({ action: 'read', dataCategory: 'qualitative transcript', patientIds: [null] });
  return {
    paragraphId,
    sentence,
    text: target.text,
    condensates: condensates.map((c) => ({
      ...c,
      meaningUnits: c.meaningUnits.map((u) => ({ ...u, sourceTitle: sources.get(u.sourceId)?.title ?? '' })),
    })),
  };
}

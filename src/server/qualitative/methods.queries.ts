/**
 * Reading framework and reflexive-TA analyses (issue 15). The framework matrix is built by the
 * domain (framework.ts) from the study's codings: every coder's for the lead and readers, the
 * coder's own for a coder (coders code apart). A cell's quotations are transcript text, so they
 * are audited as a transcript read; the rest is the researchers' own analysis.
 */
import type {
  CellQuotes,
  FrameworkDocument,
  FrameworkView,
  MethodList,
  ThematicDocument,
  ThematicView,
} from '../../contract/qualitative-methods.js';
import type { Coding } from '../../domain/qualitative/codebook.js';
import { frameworkMatrix } from '../../domain/qualitative/framework.js';
import { thematicProblems, themePhase } from '../../domain/qualitative/reflexive-ta.js';
import { lineRange } from '../../domain/qualitative/stc.js';
import type { DataContext } from '../access/data-context.js';
import { notFound } from '../problem.js';
import { studyLinks, THEMATIC_UNFINISHED, type Method } from './methods.commands.js';
import { json } from './sources.commands.js';
import { studyOf } from './studies.queries.js';

export async function listMethodAnalyses(ctx: DataContext): Promise<MethodList> {
  const { studyId } = studyOf(ctx);
  const rows = await ctx.db
    .selectFrom('qual_method_analyses as a')
    .innerJoin('users as u', 'u.id', 'a.updated_by')
    .select(['a.id', 'a.method', 'a.title', 'a.revision', 'a.updated_at', 'u.display_name'])
    .where('a.study_id', '=', studyId)
    .orderBy('a.created_at')
    .orderBy('a.id')
    .execute();
  await ctx.recordRead({ action: 'read', dataCategory: 'qualitative analyses', patientIds: [null] });
  return {
    analyses: rows.map((r) => ({
      id: r.id,
      method: r.method,
      title: r.title,
      revision: r.revision,
      updatedAt: new Date(r.updated_at).toISOString(),
      updatedBy: r.display_name,
    })),
  };
}

async function load(ctx: DataContext, studyId: string, method: Method, analysisId: string) {
  const row = await ctx.db
    .selectFrom('qual_method_analyses')
    .select(['id', 'title', 'revision', 'updated_at', 'document'])
    .where('id', '=', analysisId)
    .where('study_id', '=', studyId)
    .where('method', '=', method)
    .executeTakeFirst();
  if (!row) throw notFound();
  return row;
}

/** The codings a member charts: every coder's for the lead and readers, a coder's own. */
async function chartedCodings(ctx: DataContext, studyId: string, role: string): Promise<Coding[]> {
  let query = ctx.db
    .selectFrom('qual_codings')
    .select(['id', 'code_id', 'coder_id', 'source_id', 'start_offset', 'end_offset'])
    .where('study_id', '=', studyId);
  if (role === 'coder') query = query.where('coder_id', '=', ctx.actor.userId);
  return (await query.execute()).map((k) => ({
    id: k.id,
    codeId: k.code_id,
    coderId: k.coder_id,
    sourceId: k.source_id,
    start: k.start_offset,
    end: k.end_offset,
  }));
}

export async function getFramework(ctx: DataContext, analysisId: string): Promise<FrameworkView> {
  const { studyId, role } = studyOf(ctx);
  const row = await load(ctx, studyId, 'framework', analysisId);
  const document = json<FrameworkDocument>(row.document);
  const matrix = frameworkMatrix({
    cases: document.cases,
    themes: document.themes,
    codings: await chartedCodings(ctx, studyId, role),
    summaries: document.summaries,
  });
  await ctx.recordRead({
    action: 'read',
    dataCategory: 'qualitative framework analysis',
    patientIds: [null],
  });
  return {
    id: row.id,
    title: row.title,
    revision: row.revision,
    updatedAt: new Date(row.updated_at).toISOString(),
    codings: role === 'coder' ? 'mine' : 'all',
    document,
    cells: matrix.cells.map((r) =>
      r.map((c) => ({
        caseId: c.caseId,
        themeId: c.themeId,
        codings: c.codingIds.length,
        codedCharacters: c.codedCharacters,
        summary: c.summary,
        status: c.status,
      }))
    ),
    toSummarise: matrix.toSummarise.length,
  };
}

/** The coded text behind one cell, for charting it. */
export async function frameworkCell(
  ctx: DataContext,
  analysisId: string,
  caseId: string,
  themeId: string
): Promise<CellQuotes> {
  const { studyId, role } = studyOf(ctx);
  const document = json<FrameworkDocument>((await load(ctx, studyId, 'framework', analysisId)).document);
  const theCase = document.cases.find((c) => c.id === caseId);
  const theme = document.themes.find((t) => t.id === themeId);
  if (!theCase || !theme) throw notFound();
  const matrix = frameworkMatrix({
    cases: [theCase],
    themes: [theme],
    codings: await chartedCodings(ctx, studyId, role),
    summaries: [],
  });
  const ids = matrix.cells[0]![0]!.codingIds;
  if (ids.length === 0) {
    await ctx.recordRead({ action: 'read', dataCategory: 'qualitative transcript', patientIds: [null] });
    return { quotes: [] };
  }
  const rows = await ctx.db
    .selectFrom('qual_codings as k')
    .innerJoin('qual_sources as s', 's.id', 'k.source_id')
    .innerJoin('qual_codes as c', 'c.id', 'k.code_id')
    .innerJoin('users as u', 'u.id', 'k.coder_id')
    .select([
      'k.id',
      'k.start_offset',
      'k.end_offset',
      's.id as source_id',
      's.title',
      's.text',
      'c.name',
      'u.display_name',
    ])
    .where('k.id', 'in', ids)
    .where('s.status', '=', 'open_for_coding')
    .orderBy('s.title')
    .orderBy('k.start_offset')
    .execute();
  const turns = await ctx.db
    .selectFrom('qual_source_turns')
    .select(['source_id', 'label', 'start_offset', 'end_offset'])
    .where('source_id', 'in', [...new Set(rows.map((r) => r.source_id))])
    .execute();
  await ctx.recordRead({ action: 'read', dataCategory: 'qualitative transcript', patientIds: [null] });
  return {
    quotes: rows.map((r) => {
      const text = r.text ?? '';
      return {
        codingId: r.id,
        code: r.name,
        coder: r.display_name,
        sourceId: r.source_id,
        sourceTitle: r.title,
        speaker:
          turns.find(
            (t) =>
              t.source_id === r.source_id && r.start_offset >= t.start_offset && r.start_offset < t.end_offset
          )?.label ?? null,
        start: r.start_offset,
        text: text.slice(r.start_offset, r.end_offset),
        lines: lineRange(text, r.start_offset, r.end_offset),
      };
    }),
  };
}

export async function getThematic(ctx: DataContext, analysisId: string): Promise<ThematicView> {
  const { studyId } = studyOf(ctx);
  const row = await load(ctx, studyId, 'reflexive_ta', analysisId);
  const document = json<ThematicDocument>(row.document);
  const links = await studyLinks(ctx.db, studyId);
  const perCode = new Map<string, number>();
  for (const code of links.codingCodes.values()) perCode.set(code, (perCode.get(code) ?? 0) + 1);
  await ctx.recordRead({ action: 'read', dataCategory: 'qualitative thematic analysis', patientIds: [null] });
  return {
    id: row.id,
    title: row.title,
    revision: row.revision,
    updatedAt: new Date(row.updated_at).toISOString(),
    document,
    themes: document.themes.map((t) => ({
      id: t.id,
      phase: themePhase(t),
      codings: t.codeIds.reduce((n, c) => n + (perCode.get(c) ?? 0), 0),
    })),
    openPoints: thematicProblems(document, links)
      .filter((p) => THEMATIC_UNFINISHED.has(p.reason))
      .map((p) => ({ path: `document.${p.path}`, reason: p.reason, message: p.message })),
  };
}

/**
 * Quotations and the STC synthesis as Word documents, ready for a paper (issue 15): the writer is
 * qualitative/export/quotations-docx.ts; this module gathers what goes in. Quotations are the
 * coded segments of open (de-identified) transcripts, each with its speaker's pseudonym, the event
 * ("Fokusgruppe 2") and the transcript lines; the synthesis is each theme's analytic text with the
 * golden quotations of its condensates. Both carry transcript text, so a download is audited as a
 * transcript read. The document's language is the one asked for, else the study's transcripts'
 * (the most common of their languages).
 */
import type { WordExportQuery } from '../../contract/qualitative-coding.js';
import { codeTree, type CodeNode } from '../../domain/qualitative/codebook.js';
import { lineRange, type StcAnalysis } from '../../domain/qualitative/stc.js';
import {
  quotationsDocx,
  synthesisDocx,
  type ExportLanguage,
  type ExportQuotation,
} from '../../qualitative/export/quotations-docx.js';
import type { DataContext } from '../access/data-context.js';
import { notFound } from '../problem.js';
import { assertMayCompareCoders } from './coding.queries.js';
import { json } from './sources.commands.js';
import { studyOf } from './studies.queries.js';

export interface WordFile {
  fileName: string;
  bytes: Uint8Array;
}

const EVENT_NAMES: Record<ExportLanguage, Record<'focus_group' | 'interview' | 'case', string>> = {
  nb: { focus_group: 'Fokusgruppe', interview: 'Intervju', case: 'Case' },
  en: { focus_group: 'Focus group', interview: 'Interview', case: 'Case' },
};

interface OpenSource {
  title: string;
  text: string;
  language: 'nb' | 'en';
  event: { kind: 'focus_group' | 'interview' | 'case'; number: number } | null;
  turns: Array<{ start: number; end: number; label: string | null }>;
}

/** The study's open transcripts with their turns and events. */
async function openSources(ctx: DataContext, studyId: string): Promise<Map<string, OpenSource>> {
  const rows = await ctx.db
    .selectFrom('qual_sources as s')
    .leftJoin('qual_events as e', 'e.id', 's.event_id')
    .select(['s.id', 's.title', 's.text', 's.language', 'e.kind', 'e.number'])
    .where('s.study_id', '=', studyId)
    .where('s.status', '=', 'open_for_coding')
    .execute();
  const turns = rows.length
    ? await ctx.db
        .selectFrom('qual_source_turns')
        .select(['source_id', 'label', 'start_offset', 'end_offset'])
        .where(
          'source_id',
          'in',
          rows.map((r) => r.id)
        )
        .orderBy('source_id')
        .orderBy('index')
        .execute()
    : [];
  const map = new Map<string, OpenSource>();
  for (const r of rows)
    map.set(r.id, {
      title: r.title,
      text: r.text ?? '',
      language: r.language,
      event: r.kind && r.number !== null ? { kind: r.kind, number: r.number } : null,
      turns: [],
    });
  for (const t of turns)
    map.get(t.source_id)?.turns.push({ start: t.start_offset, end: t.end_offset, label: t.label });
  return map;
}

function languageOf(
  sources: ReadonlyMap<string, OpenSource>,
  asked: ExportLanguage | undefined
): ExportLanguage {
  if (asked) return asked;
  let en = 0;
  for (const s of sources.values()) if (s.language === 'en') en++;
  return en * 2 > sources.size ? 'en' : 'nb';
}

function quotationOf(
  source: OpenSource,
  start: number,
  end: number,
  language: ExportLanguage
): ExportQuotation {
  const turn = source.turns.find((t) => start >= t.start && start < t.end);
  return {
    text: source.text.slice(start, end),
    speaker: turn?.label ?? null,
    source: source.event
      ? `${EVENT_NAMES[language][source.event.kind]} ${source.event.number}`
      : source.title,
    lines: lineRange(source.text, start, end),
  };
}

async function studyTitle(ctx: DataContext, studyId: string): Promise<string> {
  const row = await ctx.db
    .selectFrom('qual_studies')
    .select('title')
    .where('id', '=', studyId)
    .executeTakeFirst();
  if (!row) throw notFound();
  return row.title;
}

/** A file name from a title: letters, digits and dashes only, so no header can be forged. */
function fileNameOf(title: string, suffix: string): string {
  const base = title
    .normalize('NFKD')
    .replace(/[^\p{L}\p{N}]+/gu, '-')
    .replace(/[^A-Za-z0-9-]/g, '')
    .replace(/^-+|-+$/g, '')
    .slice(0, 60);
  return `${base || 'studie'}-${suffix}.docx`;
}

const today = (ctx: DataContext) => ctx.now.toISOString().slice(0, 10);

/**
 * Quotations by code, in codebook order (one code and its subcodes when `codeId` is given): the
 * signed-in coder's own codings, or every coder's for the lead and readers (`coder=all`; a segment
 * two coders coded alike appears once).
 */
export async function quotationsWord(ctx: DataContext, query: WordExportQuery): Promise<WordFile> {
  const { studyId, role } = studyOf(ctx);
  const coder = query.coder ?? 'me';
  if (coder === 'all') assertMayCompareCoders(role);
  const codes = await ctx.db
    .selectFrom('qual_codes')
    .select(['id', 'parent_id', 'name', 'definition'])
    .where('study_id', '=', studyId)
    .execute();
  const tree = codeTree(codes.map((c) => ({ id: c.id, parentId: c.parent_id, name: c.name })));
  const ordered: CodeNode[] = [];
  const walk = (nodes: CodeNode[], inside: boolean) => {
    for (const n of nodes) {
      const take = inside || !query.codeId || n.id === query.codeId;
      if (take) ordered.push(n);
      walk(n.children, take);
    }
  };
  walk(tree, false);
  if (query.codeId && ordered.length === 0) throw notFound();
  const sources = await openSources(ctx, studyId);
  let codings = ctx.db
    .selectFrom('qual_codings')
    .select(['code_id', 'source_id', 'start_offset', 'end_offset'])
    .where('study_id', '=', studyId);
  if (coder === 'me') codings = codings.where('coder_id', '=', ctx.actor.userId);
  const rows = await codings.orderBy('source_id').orderBy('start_offset').orderBy('end_offset').execute();
  const language = languageOf(sources, query.lang);
  const definitions = new Map(codes.map((c) => [c.id, c.definition]));
  const sections = ordered.map((code) => {
    const seen = new Set<string>();
    const quotations: ExportQuotation[] = [];
    for (const r of rows) {
      const source = sources.get(r.source_id);
      const key = `${r.source_id}:${r.start_offset}:${r.end_offset}`;
      if (r.code_id !== code.id || !source || seen.has(key)) continue;
      seen.add(key);
      quotations.push(quotationOf(source, r.start_offset, r.end_offset, language));
    }
    const description = definitions.get(code.id);
    return { heading: code.name, ...(description ? { description } : {}), quotations };
  });
  const title = await studyTitle(ctx, studyId);
  const bytes = await quotationsDocx({ title, language, generatedOn: today(ctx), sections });
  await ctx.recordRead({ action: 'export', dataCategory: 'qualitative transcript', patientIds: [null] });
  return { fileName: fileNameOf(title, language === 'nb' ? 'sitater' : 'quotations'), bytes };
}

/** The synthesis of an STC analysis, theme by theme, with its golden quotations. */
export async function synthesisWord(
  ctx: DataContext,
  analysisId: string,
  lang: ExportLanguage | undefined
): Promise<WordFile> {
  const { studyId } = studyOf(ctx);
  const row = await ctx.db
    .selectFrom('qual_stc_analyses')
    .select(['title', 'document'])
    .where('id', '=', analysisId)
    .where('study_id', '=', studyId)
    .executeTakeFirst();
  if (!row) throw notFound();
  const analysis = json<StcAnalysis>(row.document);
  const sources = await openSources(ctx, studyId);
  const language = languageOf(sources, lang);
  const units = new Map(analysis.meaningUnits.map((u) => [u.id, u]));
  const themes = analysis.groups
    .filter((g) => g.parentId === null)
    .flatMap((theme) => {
      const paragraph = analysis.synthesis.find((p) => p.groupId === theme.id);
      if (!paragraph || paragraph.sentences.length === 0) return [];
      const groupIds = new Set([
        theme.id,
        ...analysis.groups.filter((g) => g.parentId === theme.id).map((g) => g.id),
      ]);
      const quotations = analysis.condensates
        .filter((c) => groupIds.has(c.groupId) && c.goldenQuoteId)
        .flatMap((c) => {
          const unit = units.get(c.goldenQuoteId!);
          const source = unit && sources.get(unit.sourceId);
          return unit && source ? [quotationOf(source, unit.start, unit.end, language)] : [];
        });
      return [
        {
          heading: theme.name,
          paragraphs: [paragraph.sentences.map((s) => s.text.trim()).join(' ')],
          quotations,
        },
      ];
    });
  const bytes = await synthesisDocx({ title: row.title, language, generatedOn: today(ctx), themes });
  await ctx.recordRead({ action: 'export', dataCategory: 'qualitative transcript', patientIds: [null] });
  return { fileName: fileNameOf(row.title, language === 'nb' ? 'sammenfatning' : 'synthesis'), bytes };
}

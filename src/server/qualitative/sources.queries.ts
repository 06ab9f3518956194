/**
 * Reading transcripts (issue 15): the lead's review (the original text with the proposals and
 * decisions), an open transcript's de-identified text and turns, and full-text search over a
 * study's open transcripts with keyword-in-context lines. Every one of them shows transcript text,
 * so every one writes its read to the audit log.
 */
import { sql } from 'kysely';
import type { KwicLine, SearchResult, SourceReview, SourceText } from '../../contract/qualitative.js';
import { reviewStatus } from '../../domain/qualitative/deidentify.js';
import type { DataContext } from '../access/data-context.js';
import { HttpProblem, notFound } from '../problem.js';
import { decisionsOf, json, sourceOfStudy, toDecisions, type StoredProposals } from './sources.commands.js';
import { studyOf } from './studies.queries.js';

export async function getReview(ctx: DataContext, sourceId: string): Promise<SourceReview> {
  const { studyId } = studyOf(ctx);
  const source = await sourceOfStudy(ctx.db, studyId, sourceId);
  const stored = json<StoredProposals>(source.proposals);
  const rows = await decisionsOf(ctx.db, sourceId);
  const decisionOf = (id: string) => {
    const d = rows.find((r) => r.proposal_id === id);
    return d ? { action: d.action, replacement: d.replacement, decidedBy: d.decided_by } : null;
  };
  const status = reviewStatus([...stored.text, ...stored.speakers], toDecisions(rows));
  await ctx.recordRead({
    action: 'read',
    dataCategory: 'qualitative transcript (original)',
    patientIds: [null],
  });
  return {
    sourceId,
    status: source.status,
    originalText: source.original_text,
    proposals: [
      ...stored.speakers.map((p) => ({
        id: p.id,
        target: 'speaker' as const,
        start: null,
        end: null,
        original: p.speaker,
        kind: 'speaker',
        replacement: p.replacement,
        reason: p.reason,
        decision: decisionOf(p.id),
      })),
      ...stored.text.map((p) => ({
        id: p.id,
        target: 'text' as const,
        start: p.start,
        end: p.end,
        original: p.original,
        kind: p.kind,
        replacement: p.replacement,
        reason: p.reason,
        decision: decisionOf(p.id),
      })),
    ],
    decided: status.decided,
    total: status.total,
  };
}

/** An open transcript's de-identified text and turns (any member); not yet open → 409. */
export async function readSource(ctx: DataContext, sourceId: string): Promise<SourceText> {
  const { studyId } = studyOf(ctx);
  const source = await ctx.db
    .selectFrom('qual_sources')
    .select(['id', 'title', 'language', 'status', 'text'])
    .where('id', '=', sourceId)
    .where('study_id', '=', studyId)
    .executeTakeFirst();
  if (!source) throw notFound();
  if (source.status !== 'open_for_coding' || source.text === null) {
    throw new HttpProblem(
      409,
      'Conflict',
      'This transcript is not open for coding until its de-identification is reviewed.'
    );
  }
  const turns = await ctx.db
    .selectFrom('qual_source_turns')
    .selectAll()
    .where('source_id', '=', sourceId)
    .orderBy('index')
    .execute();
  await ctx.recordRead({ action: 'read', dataCategory: 'qualitative transcript', patientIds: [null] });
  return {
    id: source.id,
    title: source.title,
    language: source.language,
    status: source.status,
    text: source.text,
    turns: turns.map((t) => ({
      index: t.index,
      speaker: t.label,
      participantId: t.participant_id,
      start: t.start_offset,
      end: t.end_offset,
      startMs: t.start_ms,
      endMs: t.end_ms,
    })),
  };
}

/** Characters of context each side of a hit in a keyword-in-context line. */
export const KWIC_CONTEXT = 40;
const START = '\u0001';
const STOP = '\u0002';

/**
 * Finds the hits in a text that PostgreSQL marked (`ts_headline` with HighlightAll, so the whole
 * text comes back with START/STOP around each matching word). Transcript text never holds these
 * control characters (the parser refuses them), so removing the marks gives the text back; if it
 * does not, nothing is returned rather than a wrong offset.
 */
export function hitsInMarkedText(text: string, marked: string): Array<{ offset: number; length: number }> {
  const hits: Array<{ offset: number; length: number }> = [];
  let plain = 0;
  let open = -1;
  for (let i = 0; i < marked.length; i++) {
    const c = marked[i];
    if (c === START) open = plain;
    else if (c === STOP) {
      if (open >= 0) hits.push({ offset: open, length: plain - open });
      open = -1;
    } else plain += 1;
  }
  if (marked.replaceAll(START, '').replaceAll(STOP, '') !== text) return [];
  return hits.filter((h) => h.length > 0);
}

/** One KWIC line: up to KWIC_CONTEXT characters each side, cut at whitespace, on one line. */
export function kwicLine(
  text: string,
  offset: number,
  length: number
): Omit<KwicLine, 'sourceId' | 'sourceTitle'> {
  const flat = (s: string) => s.replace(/\s+/g, ' ');
  let from = Math.max(0, offset - KWIC_CONTEXT);
  let to = Math.min(text.length, offset + length + KWIC_CONTEXT);
  // do not start or end in the middle of a word (unless the word is the whole context)
  if (from > 0) {
    const space = text.slice(from, offset).search(/\s/);
    if (space >= 0) from += space + 1;
  }
  if (to < text.length) {
    const tail = text.slice(offset + length, to);
    const space = tail.search(/\s\S*$/);
    if (space >= 0) to = offset + length + space;
  }
  return {
    offset,
    length,
    before: flat(text.slice(from, offset)).trimStart(),
    hit: text.slice(offset, offset + length),
    after: flat(text.slice(offset + length, to)).trimEnd(),
  };
}

/** Sources marked per round trip: a common word fills the lines from the first few. */
const HEADLINE_BATCH = 4;

/**
 * Full-text search over the study's open transcripts, each in its own language's configuration
 * ('norwegian' or 'english', as its search vector is made: so an inflected form finds the word,
 * "søvnen" and "søvn", "sleeping" and "sleep"), as keyword-in-context lines in source order,
 * at most `limit`. The index finds the matching sources; only as many are marked up (ts_headline
 * over the whole text, the costly part) as the lines need.
 */
export async function searchStudy(ctx: DataContext, q: string, limit = 50): Promise<SearchResult> {
  const { studyId } = studyOf(ctx);
  const norwegian = sql`plainto_tsquery('norwegian', ${q})`;
  const english = sql`plainto_tsquery('english', ${q})`;
  // Two conditions, each on the same GIN index, rather than one with a per-row configuration.
  const matching = await ctx.db
    .selectFrom('qual_sources')
    .select(['id', 'title'])
    .where('study_id', '=', studyId)
    .where('status', '=', 'open_for_coding')
    .where(
      sql<boolean>`((language = 'en' and search_vector @@ ${english}) or (language <> 'en' and search_vector @@ ${norwegian}))`
    )
    .orderBy('imported_at')
    .orderBy('id')
    .execute();
  const lines: KwicLine[] = [];
  for (let i = 0; i < matching.length && lines.length < limit; i += HEADLINE_BATCH) {
    const batch = matching.slice(i, i + HEADLINE_BATCH);
    const rows = await ctx.db
      .selectFrom('qual_sources')
      .select(['id', 'text'])
      .select(
        sql<string>`case when language = 'en'
          then ts_headline('english', coalesce(text, ''), ${english},
            'HighlightAll=true, StartSel=' || chr(1) || ', StopSel=' || chr(2))
          else ts_headline('norwegian', coalesce(text, ''), ${norwegian},
            'HighlightAll=true, StartSel=' || chr(1) || ', StopSel=' || chr(2)) end`.as('marked')
      )
      .where(
        'id',
        'in',
        batch.map((b) => b.id)
      )
      .execute();
    for (const source of batch) {
      const row = rows.find((r) => r.id === source.id);
      const text = row?.text ?? '';
      for (const hit of row ? hitsInMarkedText(text, row.marked) : []) {
        if (lines.length >= limit) break;
        lines.push({
          sourceId: source.id,
          sourceTitle: source.title,
          ...kwicLine(text, hit.offset, hit.length),
        });
      }
    }
  }
  await ctx.recordRead({ action: 'read', dataCategory: 'qualitative transcript search', patientIds: [null] });
  return { query: q, sourcesMatched: matching.length, lines };
}

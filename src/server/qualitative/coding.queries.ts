/**
 * Reading the codebook, codings, agreement and memos (issue 15).
 *
 * Coders code apart: a coder reads their own codings only (`coder=all` is for the lead and
 * readers, who compare), so that no coder is led by another's before agreement is measured.
 * Agreement itself is open to every member: it is counts of characters, not anyone's segments.
 * It is computed over the sources every named coder has coded (a coder who has not coded a source
 * is not the same as one who found nothing in it; agreement.ts), on character units.
 */
import type {
  AgreementView,
  Codebook,
  CodeView,
  CodingList,
  MemoList,
  MemoView,
} from '../../contract/qualitative-coding.js';
import {
  computePooledAgreement,
  type AgreementInput,
  type Statistic,
} from '../../domain/qualitative/agreement.js';
import type { Kysely, Transaction } from 'kysely';
import type { Database } from '../../db/schema.js';
import { codeTree, type CodeNode } from '../../domain/qualitative/codebook.js';
import type { DataContext } from '../access/data-context.js';
import { badRequest, HttpProblem, notFound } from '../problem.js';
import { studyOf } from './studies.queries.js';

export function codeViewOf(row: {
  id: string;
  parent_id: string | null;
  name: string;
  colour: string;
  definition: string;
  inclusion: string;
  exclusion: string;
  example: string;
  codings: string | number | bigint;
  coders: string | number | bigint;
}): CodeView {
  return {
    id: row.id,
    parentId: row.parent_id,
    name: row.name,
    colour: row.colour,
    definition: row.definition,
    inclusion: row.inclusion,
    exclusion: row.exclusion,
    example: row.example,
    codings: Number(row.codings),
    coders: Number(row.coders),
  };
}

export function memoViewOf(row: {
  id: string;
  target: string;
  source_id: string | null;
  code_id: string | null;
  start_offset: number | null;
  end_offset: number | null;
  text: string;
  author_id: string;
  author_name: string;
  updated_at: Date | string;
}): MemoView {
  return {
    id: row.id,
    target: row.target,
    sourceId: row.source_id,
    codeId: row.code_id,
    start: row.start_offset,
    end: row.end_offset,
    text: row.text,
    authorId: row.author_id,
    authorName: row.author_name,
    updatedAt: new Date(row.updated_at).toISOString(),
  };
}

/** Codes with how many codings and coders each has (filter by study or by code id). */
export function codesWithCounts(db: Kysely<Database> | Transaction<Database>) {
  return db
    .selectFrom('qual_codes as c')
    .leftJoin('qual_codings as k', 'k.code_id', 'c.id')
    .select([
      'c.id',
      'c.parent_id',
      'c.name',
      'c.colour',
      'c.definition',
      'c.inclusion',
      'c.exclusion',
      'c.example',
      (eb) => eb.fn.count<string>('k.id').as('codings'),
      (eb) => eb.fn.count<string>('k.coder_id').distinct().as('coders'),
    ])
    .groupBy(['c.id']);
}

export async function getCodebook(ctx: DataContext): Promise<Codebook> {
  const { studyId } = studyOf(ctx);
  const rows = await codesWithCounts(ctx.db).where('c.study_id', '=', studyId).execute();
  const views = new Map(rows.map((r) => [r.id, codeViewOf(r)]));
  const flat: CodeView[] = [];
  const walk = (nodes: CodeNode[]) => {
    for (const n of nodes) {
      flat.push(views.get(n.id)!);
      walk(n.children);
    }
  };
  walk(codeTree(rows.map((r) => ({ id: r.id, parentId: r.parent_id, name: r.name }))));
  await ctx.recordRead({ action: 'read', dataCategory: 'qualitative codebook', patientIds: [null] });
  return { codes: flat };
}

/** Coders code apart: only the lead and readers see every coder's codings. */
export function assertMayCompareCoders(role: 'lead' | 'coder' | 'reader'): void {
  if (role === 'coder')
    throw new HttpProblem(
      403,
      'Forbidden',
      "Coders code apart: the lead and readers compare everyone's codings (agreement is open to all)."
    );
}

export async function listCodings(
  ctx: DataContext,
  sourceId: string,
  coder: 'me' | 'all' = 'me'
): Promise<CodingList> {
  const { studyId, role } = studyOf(ctx);
  if (coder === 'all') assertMayCompareCoders(role);
  const source = await ctx.db
    .selectFrom('qual_sources')
    .select('id')
    .where('id', '=', sourceId)
    .where('study_id', '=', studyId)
    .executeTakeFirst();
  if (!source) throw notFound();
  const rows = await ctx.db
    .selectFrom('qual_codings as k')
    .innerJoin('users as u', 'u.id', 'k.coder_id')
    .select([
      'k.id',
      'k.code_id',
      'k.coder_id',
      'u.display_name',
      'k.start_offset',
      'k.end_offset',
      'k.created_at',
    ])
    .where('k.source_id', '=', sourceId)
    .$if(coder === 'me', (q) => q.where('k.coder_id', '=', ctx.actor.userId))
    .orderBy('k.start_offset')
    .orderBy('k.end_offset')
    .orderBy('k.id')
    .execute();
  await ctx.recordRead({ action: 'read', dataCategory: 'qualitative codings', patientIds: [null] });
  return {
    sourceId,
    codings: rows.map((r) => ({
      id: r.id,
      codeId: r.code_id,
      coderId: r.coder_id,
      coderName: r.display_name,
      start: r.start_offset,
      end: r.end_offset,
      createdAt: new Date(r.created_at).toISOString(),
    })),
  };
}

const statistic = (s: Statistic) =>
  s.value === null ? { value: null, reason: s.reason } : { value: s.value };

/**
 * Agreement between the named coders, per code, over one source or (sourceId null) over every
 * source of the study that each of them has coded.
 */
export async function agreement(
  ctx: DataContext,
  sourceId: string | null,
  coderIds: readonly string[]
): Promise<AgreementView> {
  const { studyId } = studyOf(ctx);
  const coders = [...new Set(coderIds.map((c) => c.toLowerCase()))];
  if (coders.length < 2)
    throw badRequest([{ field: 'coders', reason: 'must name two or more different coders' }]);
  const members = await ctx.db
    .selectFrom('qual_study_members as m')
    .innerJoin('users as u', 'u.id', 'm.user_id')
    .select(['u.id', 'u.display_name'])
    .where('m.study_id', '=', studyId)
    .where('m.user_id', 'in', coders)
    .execute();
  const names = new Map(members.map((m) => [m.id, m.display_name]));
  const missing = coders.filter((c) => !names.has(c));
  if (missing.length)
    throw badRequest([{ field: 'coders', reason: `${missing.join(', ')}: not a member of this study` }]);
  if (sourceId) {
    const exists = await ctx.db
      .selectFrom('qual_sources')
      .select('id')
      .where('id', '=', sourceId)
      .where('study_id', '=', studyId)
      .executeTakeFirst();
    if (!exists) throw notFound();
  }
  const codings = await ctx.db
    .selectFrom('qual_codings')
    .select(['source_id', 'code_id', 'coder_id', 'start_offset', 'end_offset'])
    .where('study_id', '=', studyId)
    .where('coder_id', 'in', coders)
    .$if(sourceId !== null, (q) => q.where('source_id', '=', sourceId!))
    .execute();
  // The sources every coder has coded.
  const coderSets = new Map<string, Set<string>>();
  for (const c of codings)
    coderSets.set(c.source_id, (coderSets.get(c.source_id) ?? new Set()).add(c.coder_id));
  const sharedIds = [...coderSets].filter(([, set]) => set.size === coders.length).map(([id]) => id);
  const sources = sharedIds.length
    ? await ctx.db
        .selectFrom('qual_sources')
        .select(['id', 'title', 'text'])
        .where('id', 'in', sharedIds)
        .orderBy('imported_at')
        .orderBy('id')
        .execute()
    : [];
  const codes = await ctx.db
    .selectFrom('qual_codes')
    .select(['id', 'name'])
    .where('study_id', '=', studyId)
    .execute();
  const codeNames = new Map(codes.map((c) => [c.id, c.name]));
  await ctx.recordRead({ action: 'read', dataCategory: 'qualitative coding agreement', patientIds: [null] });
  const coderList = coders.map((id) => ({ id, name: names.get(id)! }));
  if (!sources.length)
    return {
      sources: [],
      coders: coderList,
      codes: [],
      overallAlpha: { value: null, reason: 'no-coding' },
    };
  const inputs: AgreementInput[] = sources.map((s) => ({
    sourceLength: (s.text ?? '').length,
    coders: coders.map((coderId) => ({
      coderId,
      segments: codings
        .filter((c) => c.source_id === s.id && c.coder_id === coderId)
        .map((c) => ({ codeId: c.code_id, start: c.start_offset, end: c.end_offset })),
    })),
  }));
  const result = computePooledAgreement(inputs);
  return {
    sources: sources.map((s) => ({ id: s.id, title: s.title, length: (s.text ?? '').length })),
    coders: coderList,
    codes: result.codes.map((c) => ({
      codeId: c.codeId,
      name: codeNames.get(c.codeId) ?? '',
      coded: c.coded,
      codedByAll: c.codedByAll,
      codedByAny: c.codedByAny,
      percentAgreement: statistic(c.percentAgreement),
      kappa: statistic(c.kappa),
      alpha: statistic(c.alpha),
    })),
    overallAlpha: statistic(result.overallAlpha),
  };
}

export async function listMemos(
  ctx: DataContext,
  filter: { sourceId?: string; codeId?: string }
): Promise<MemoList> {
  const { studyId } = studyOf(ctx);
  const rows = await ctx.db
    .selectFrom('qual_memos as m')
    .innerJoin('users as u', 'u.id', 'm.author_id')
    .selectAll('m')
    .select('u.display_name as author_name')
    .where('m.study_id', '=', studyId)
    .$if(filter.sourceId !== undefined, (q) => q.where('m.source_id', '=', filter.sourceId!))
    .$if(filter.codeId !== undefined, (q) => q.where('m.code_id', '=', filter.codeId!))
    .orderBy('m.created_at')
    .orderBy('m.id')
    .execute();
  await ctx.recordRead({ action: 'read', dataCategory: 'qualitative memo', patientIds: [null] });
  return { memos: rows.map(memoViewOf) };
}

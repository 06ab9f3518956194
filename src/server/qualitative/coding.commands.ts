/**
 * Changing the codebook, codings and memos (issue 15). The rules are the domain's
 * (domain/qualitative/codebook.ts): every change of the codebook is checked as a whole (names,
 * parents, cycles, siblings), and merging and splitting keep every coded segment.
 *
 * Who may: the lead and coders change the codebook and code; a reader reads (403). A coder codes
 * in their own name only, and removes only their own codings; memos are their author's.
 * Coding needs a transcript that is open for coding (its de-identification is done): 409 before.
 */
import { randomUUID } from 'node:crypto';
import type { Transaction } from 'kysely';
import type {
  CodeView,
  CreateCodeBody,
  CreateCodingBody,
  CreateMemoBody,
  CodingView,
  MemoView,
  MergeCodeBody,
  MergeCodeResult,
  SplitCodeBody,
  SplitCodeResult,
  UpdateCodeBody,
  UpdateMemoBody,
} from '../../contract/qualitative-coding.js';
import type { Database } from '../../db/schema.js';
import {
  CodebookError,
  codebookProblems,
  mergeCodes,
  moveCode,
  splitCode,
  type Code,
  type Coding,
} from '../../domain/qualitative/codebook.js';
import type { Remap } from '../../domain/qualitative/offset-remap.js';
import type { DataContext } from '../access/data-context.js';
import { badRequest, HttpProblem, notFound } from '../problem.js';
import { studyOf } from './studies.queries.js';
import { codesWithCounts, codeViewOf, memoViewOf } from './coding.queries.js';

/** Colours new codes get in turn (distinguishable, readable behind dark text). */
/** The colours new codes take in turn (light, so text on them keeps its contrast). */
export const CODE_COLOURS = [
  '#fbd38d',
  '#9ae6b4',
  '#90cdf4',
  '#fbb6ce',
  '#d6bcfa',
  '#feb2b2',
  '#b2f5ea',
  '#e2e8f0',
];

function assertMayCode(role: string): void {
  if (role === 'reader')
    throw new HttpProblem(403, 'Forbidden', 'Readers cannot change the codebook or code.');
}

/** A codebook problem as the field it concerns and the domain's reason. */
function codebookProblem(error: CodebookError): HttpProblem {
  const field =
    error.reason === 'unknown-parent' || error.reason === 'cycle'
      ? 'parentId'
      : error.reason === 'coding-of-another-code'
        ? 'codingIds'
        : 'name';
  if (error.reason === 'cycle') return new HttpProblem(409, 'Conflict', error.message);
  return badRequest([{ field, reason: error.message }]);
}

async function studyCodes(trx: Transaction<Database>, studyId: string): Promise<Code[]> {
  const rows = await trx
    .selectFrom('qual_codes')
    .select(['id', 'parent_id', 'name', 'definition', 'inclusion', 'exclusion', 'example'])
    .where('study_id', '=', studyId)
    .forUpdate()
    .execute();
  return rows.map((r) => ({
    id: r.id,
    parentId: r.parent_id,
    name: r.name,
    definition: r.definition,
    inclusion: r.inclusion,
    exclusion: r.exclusion,
    example: r.example,
  }));
}

function checked(codes: readonly Code[]): void {
  const [first] = codebookProblems(codes);
  if (first) throw codebookProblem(first);
}

async function viewOf(trx: Transaction<Database>, codeId: string): Promise<CodeView> {
  return codeViewOf(await codesWithCounts(trx).where('c.id', '=', codeId).executeTakeFirstOrThrow());
}

/** A new code row in the study (the caller has checked the codebook with it). */
async function insertCode(
  trx: Transaction<Database>,
  ctx: DataContext,
  studyId: string,
  code: { id: string; parentId: string | null; colourIndex: number } & Omit<CreateCodeBody, 'parentId'>
): Promise<void> {
  await trx
    .insertInto('qual_codes')
    .values({
      id: code.id,
      study_id: studyId,
      parent_id: code.parentId,
      name: code.name.trim(),
      colour: code.colour ?? CODE_COLOURS[code.colourIndex % CODE_COLOURS.length]!,
      definition: code.definition ?? '',
      inclusion: code.inclusion ?? '',
      exclusion: code.exclusion ?? '',
      example: code.example ?? '',
      created_by: ctx.actor.userId,
      created_at: ctx.now,
      updated_at: ctx.now,
    })
    .execute();
}

export async function createCode(ctx: DataContext, body: CreateCodeBody): Promise<CodeView> {
  const { studyId, role } = studyOf(ctx);
  assertMayCode(role);
  return ctx.withAudit(async (trx, audit) => {
    const codes = await studyCodes(trx, studyId);
    const id = randomUUID();
    checked([...codes, { id, parentId: body.parentId, name: body.name }]);
    await insertCode(trx, ctx, studyId, { ...body, id, colourIndex: codes.length });
    audit({ action: 'create', dataCategory: 'qualitative codebook', patientIds: [null] });
    return viewOf(trx, id);
  });
}

export async function updateCode(ctx: DataContext, codeId: string, body: UpdateCodeBody): Promise<CodeView> {
  const { studyId, role } = studyOf(ctx);
  assertMayCode(role);
  return ctx.withAudit(async (trx, audit) => {
    let codes = await studyCodes(trx, studyId);
    if (!codes.some((c) => c.id === codeId)) throw notFound();
    try {
      if (body.parentId !== undefined) codes = moveCode(codes, codeId, body.parentId);
    } catch (error) {
      if (error instanceof CodebookError) throw codebookProblem(error);
      throw error;
    }
    if (body.name !== undefined) codes = codes.map((c) => (c.id === codeId ? { ...c, name: body.name! } : c));
    checked(codes);
    await trx
      .updateTable('qual_codes')
      .set({
        ...(body.name !== undefined ? { name: body.name.trim() } : {}),
        ...(body.parentId !== undefined ? { parent_id: body.parentId } : {}),
        ...(body.colour !== undefined ? { colour: body.colour } : {}),
        ...(body.definition !== undefined ? { definition: body.definition } : {}),
        ...(body.inclusion !== undefined ? { inclusion: body.inclusion } : {}),
        ...(body.exclusion !== undefined ? { exclusion: body.exclusion } : {}),
        ...(body.example !== undefined ? { example: body.example } : {}),
        updated_at: ctx.now,
      })
      .where('id', '=', codeId)
      .execute();
    audit({ action: 'update', dataCategory: 'qualitative codebook', patientIds: [null] });
    return viewOf(trx, codeId);
  });
}

async function codingsOfCodes(trx: Transaction<Database>, codeIds: readonly string[]): Promise<Coding[]> {
  const rows = await trx
    .selectFrom('qual_codings')
    .select(['id', 'code_id', 'source_id', 'coder_id', 'start_offset', 'end_offset'])
    .where('code_id', 'in', [...codeIds])
    .forUpdate()
    .execute();
  return rows.map((r) => ({
    id: r.id,
    codeId: r.code_id,
    sourceId: r.source_id,
    coderId: r.coder_id,
    start: r.start_offset,
    end: r.end_offset,
  }));
}

/** Merges a code into another: its codings become the other's (a coder's overlaps united). */
export async function mergeCode(
  ctx: DataContext,
  codeId: string,
  body: MergeCodeBody
): Promise<MergeCodeResult> {
  const { studyId, role } = studyOf(ctx);
  assertMayCode(role);
  return ctx.withAudit(async (trx, audit) => {
    const codes = await studyCodes(trx, studyId);
    if (!codes.some((c) => c.id === codeId)) throw notFound();
    if (!codes.some((c) => c.id === body.intoCodeId))
      throw badRequest([{ field: 'intoCodeId', reason: 'is not a code of this study' }]);
    const before = await codingsOfCodes(trx, [codeId, body.intoCodeId]);
    let result;
    try {
      result = mergeCodes(codes, before, codeId, body.intoCodeId);
    } catch (error) {
      if (error instanceof CodebookError) throw codebookProblem(error);
      throw error;
    }
    const kept = new Map(result.codings.map((c) => [c.id, c]));
    for (const c of before) {
      const after = kept.get(c.id);
      if (!after) await trx.deleteFrom('qual_codings').where('id', '=', c.id).execute();
      else if (after.codeId !== c.codeId || after.start !== c.start || after.end !== c.end)
        await trx
          .updateTable('qual_codings')
          .set({ code_id: after.codeId, start_offset: after.start, end_offset: after.end })
          .where('id', '=', c.id)
          .execute();
    }
    await trx
      .updateTable('qual_codes')
      .set({ parent_id: body.intoCodeId })
      .where('parent_id', '=', codeId)
      .execute();
    await trx
      .updateTable('qual_memos')
      .set({ code_id: body.intoCodeId })
      .where('code_id', '=', codeId)
      .execute();
    // codings of an imported project still waiting for their transcript's review follow the code
    await trx
      .updateTable('qual_pending_imports')
      .set({ code_id: body.intoCodeId })
      .where('code_id', '=', codeId)
      .execute();
    await trx.deleteFrom('qual_codes').where('id', '=', codeId).execute();
    audit({ action: 'update', dataCategory: 'qualitative codebook', patientIds: [null] });
    return {
      intoCodeId: body.intoCodeId,
      relabelled: result.relabelled,
      united: result.united,
      codings: result.codings.filter((c) => c.codeId === body.intoCodeId).length,
    };
  });
}

/** Splits a code: a new sibling, and the chosen codings move to it. */
export async function splitCodeCommand(
  ctx: DataContext,
  codeId: string,
  body: SplitCodeBody
): Promise<SplitCodeResult> {
  const { studyId, role } = studyOf(ctx);
  assertMayCode(role);
  return ctx.withAudit(async (trx, audit) => {
    const codes = await studyCodes(trx, studyId);
    const original = codes.find((c) => c.id === codeId);
    if (!original) throw notFound();
    const codings = await codingsOfCodes(trx, [codeId]);
    const id = randomUUID();
    let result;
    try {
      result = splitCode(codes, codings, codeId, { id, name: body.newCode.name }, body.codingIds);
    } catch (error) {
      if (error instanceof CodebookError) throw codebookProblem(error);
      throw error;
    }
    await insertCode(trx, ctx, studyId, {
      ...body.newCode,
      id,
      parentId: original.parentId,
      colourIndex: codes.length,
    });
    if (body.codingIds.length)
      await trx.updateTable('qual_codings').set({ code_id: id }).where('id', 'in', body.codingIds).execute();
    audit({ action: 'update', dataCategory: 'qualitative codebook', patientIds: [null] });
    return { code: await viewOf(trx, id), moved: result.moved };
  });
}

/** The open transcript's text length, or a problem: unknown (404), not open for coding (409). */
async function openSourceLength(
  trx: Transaction<Database>,
  studyId: string,
  sourceId: string
): Promise<number> {
  const source = await trx
    .selectFrom('qual_sources')
    .select(['status', 'text'])
    .where('id', '=', sourceId)
    .where('study_id', '=', studyId)
    .executeTakeFirst();
  if (!source) throw notFound();
  if (source.status !== 'open_for_coding' || source.text === null)
    throw new HttpProblem(
      409,
      'Conflict',
      'This transcript is not open for coding until its de-identification is reviewed.'
    );
  return source.text.length;
}

function checkRange(start: number, end: number, length: number): void {
  if (end <= start) throw badRequest([{ field: 'end', reason: 'must be after start' }]);
  if (end > length)
    throw badRequest([{ field: 'end', reason: `is past the end of the transcript (${length} characters)` }]);
}

export async function createCoding(
  ctx: DataContext,
  sourceId: string,
  body: CreateCodingBody
): Promise<CodingView> {
  const { studyId, role } = studyOf(ctx);
  assertMayCode(role);
  return ctx.withAudit(async (trx, audit) => {
    const length = await openSourceLength(trx, studyId, sourceId);
    checkRange(body.start, body.end, length);
    const code = await trx
      .selectFrom('qual_codes')
      .select('id')
      .where('id', '=', body.codeId)
      .where('study_id', '=', studyId)
      .executeTakeFirst();
    if (!code) throw badRequest([{ field: 'codeId', reason: 'is not a code of this study' }]);
    const row = await trx
      .insertInto('qual_codings')
      .values({
        study_id: studyId,
        source_id: sourceId,
        code_id: body.codeId,
        coder_id: ctx.actor.userId,
        start_offset: body.start,
        end_offset: body.end,
        created_at: ctx.now,
      })
      .returning('id')
      .executeTakeFirstOrThrow();
    audit({ action: 'create', dataCategory: 'qualitative coding', patientIds: [null] });
    return {
      id: row.id,
      codeId: body.codeId,
      coderId: ctx.actor.userId,
      coderName: ctx.actor.displayName,
      start: body.start,
      end: body.end,
      createdAt: ctx.now.toISOString(),
    };
  });
}

/** Removes one of the coder's own codings (someone else's: 404, as if it were not there). */
export async function deleteCoding(ctx: DataContext, sourceId: string, codingId: string): Promise<void> {
  const { studyId, role } = studyOf(ctx);
  assertMayCode(role);
  await ctx.withAudit(async (trx, audit) => {
    const deleted = await trx
      .deleteFrom('qual_codings')
      .where('id', '=', codingId)
      .where('source_id', '=', sourceId)
      .where('study_id', '=', studyId)
      .where('coder_id', '=', ctx.actor.userId)
      .returning('id')
      .executeTakeFirst();
    if (!deleted) throw notFound();
    audit({ action: 'delete', dataCategory: 'qualitative coding', patientIds: [null] });
  });
}

export async function createMemo(ctx: DataContext, body: CreateMemoBody): Promise<MemoView> {
  const { studyId } = studyOf(ctx);
  return ctx.withAudit(async (trx, audit) => {
    const target = {
      source_id: null as string | null,
      code_id: null as string | null,
      start: null as number | null,
      end: null as number | null,
    };
    if (body.target === 'code') {
      if (!body.codeId) throw badRequest([{ field: 'codeId', reason: 'is required for a memo on a code' }]);
      const code = await trx
        .selectFrom('qual_codes')
        .select('id')
        .where('id', '=', body.codeId)
        .where('study_id', '=', studyId)
        .executeTakeFirst();
      if (!code) throw badRequest([{ field: 'codeId', reason: 'is not a code of this study' }]);
      target.code_id = body.codeId;
    } else {
      if (!body.sourceId)
        throw badRequest([{ field: 'sourceId', reason: `is required for a memo on a ${body.target}` }]);
      const length = await openSourceLength(trx, studyId, body.sourceId);
      target.source_id = body.sourceId;
      if (body.target === 'segment') {
        if (body.start === undefined)
          throw badRequest([{ field: 'start', reason: 'is required for a memo on a segment' }]);
        if (body.end === undefined)
          throw badRequest([{ field: 'end', reason: 'is required for a memo on a segment' }]);
        checkRange(body.start, body.end, length);
        target.start = body.start;
        target.end = body.end;
      }
    }
    const row = await trx
      .insertInto('qual_memos')
      .values({
        study_id: studyId,
        author_id: ctx.actor.userId,
        target: body.target,
        source_id: target.source_id,
        code_id: target.code_id,
        start_offset: target.start,
        end_offset: target.end,
        text: body.text,
        created_at: ctx.now,
        updated_at: ctx.now,
      })
      .returningAll()
      .executeTakeFirstOrThrow();
    audit({ action: 'create', dataCategory: 'qualitative memo', patientIds: [null] });
    return memoViewOf({ ...row, author_name: ctx.actor.displayName });
  });
}

export async function updateMemo(ctx: DataContext, memoId: string, body: UpdateMemoBody): Promise<MemoView> {
  const { studyId } = studyOf(ctx);
  return ctx.withAudit(async (trx, audit) => {
    const row = await trx
      .updateTable('qual_memos')
      .set({ text: body.text, updated_at: ctx.now })
      .where('id', '=', memoId)
      .where('study_id', '=', studyId)
      .where('author_id', '=', ctx.actor.userId)
      .returningAll()
      .executeTakeFirst();
    if (!row) throw notFound();
    audit({ action: 'update', dataCategory: 'qualitative memo', patientIds: [null] });
    return memoViewOf({ ...row, author_name: ctx.actor.displayName });
  });
}

export async function deleteMemo(ctx: DataContext, memoId: string): Promise<void> {
  const { studyId } = studyOf(ctx);
  await ctx.withAudit(async (trx, audit) => {
    const row = await trx
      .deleteFrom('qual_memos')
      .where('id', '=', memoId)
      .where('study_id', '=', studyId)
      .where('author_id', '=', ctx.actor.userId)
      .returning('id')
      .executeTakeFirst();
    if (!row) throw notFound();
    audit({ action: 'delete', dataCategory: 'qualitative memo', patientIds: [null] });
  });
}

/**
 * After a participant's turns left a transcript: codings and segment memos that touched their
 * speech go, the others move with the text (offset-remap.ts). Part of the withdrawal's
 * transaction; returns how many codings went.
 */
export async function withdrawFromCodings(
  trx: Transaction<Database>,
  sourceId: string,
  remap: Remap
): Promise<number> {
  let removed = 0;
  const codings = await trx
    .selectFrom('qual_codings')
    .select(['id', 'start_offset', 'end_offset'])
    .where('source_id', '=', sourceId)
    .forUpdate()
    .execute();
  for (const c of codings) {
    const to = remap(c.start_offset, c.end_offset);
    if (!to) {
      await trx.deleteFrom('qual_codings').where('id', '=', c.id).execute();
      removed += 1;
    } else if (to.start !== c.start_offset || to.end !== c.end_offset)
      await trx
        .updateTable('qual_codings')
        .set({ start_offset: to.start, end_offset: to.end })
        .where('id', '=', c.id)
        .execute();
  }
  const memos = await trx
    .selectFrom('qual_memos')
    .select(['id', 'start_offset', 'end_offset'])
    .where('source_id', '=', sourceId)
    .where('target', '=', 'segment')
    .forUpdate()
    .execute();
  for (const m of memos) {
    const to = remap(m.start_offset!, m.end_offset!);
    if (!to) await trx.deleteFrom('qual_memos').where('id', '=', m.id).execute();
    else
      await trx
        .updateTable('qual_memos')
        .set({ start_offset: to.start, end_offset: to.end })
        .where('id', '=', m.id)
        .execute();
  }
  return removed;
}

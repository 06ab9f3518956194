/**
 * Creating and saving framework and reflexive-TA analyses (issue 15). Like STC: a save carries the
 * revision it started from (someone else's save in between: 409, nothing overwritten), and the
 * domain checks the document's links before anything is stored (400 naming `document.…`). What is
 * merely unfinished (a candidate theme without codes yet, a draft write-up, an extract whose coding
 * a withdrawal removed) is stored and shown as an open point (methods.queries.ts).
 */
import type { Transaction } from 'kysely';
import type {
  CreateMethodBody,
  FrameworkDocument,
  MethodSummary,
  SaveFrameworkBody,
  SaveThematicBody,
  ThematicDocument,
} from '../../contract/qualitative-methods.js';
import type { Database } from '../../db/schema.js';
import { frameworkProblems } from '../../domain/qualitative/framework.js';
import { thematicProblems, type ThematicProblemReason } from '../../domain/qualitative/reflexive-ta.js';
import type { DataContext } from '../access/data-context.js';
import { badRequest, HttpProblem, notFound } from '../problem.js';
import { studyOf } from './studies.queries.js';

export type Method = 'framework' | 'reflexive_ta';

const EMPTY: { framework: FrameworkDocument; reflexive_ta: ThematicDocument } = {
  framework: { cases: [], themes: [], summaries: [] },
  reflexive_ta: { familiarisation: [], themes: [], journal: [] },
};

/** Work in progress in a thematic analysis: stored, shown as open points, never refused. */
export const THEMATIC_UNFINISHED: ReadonlySet<ThematicProblemReason> = new Set([
  'theme-without-codes',
  'write-up-before-defined',
  'unknown-extract',
]);

/** Only the lead and coders change an analysis; a reader reads it. */
function assertMayEdit(role: string): void {
  if (role === 'reader') throw new HttpProblem(403, 'Forbidden', 'Readers cannot change an analysis.');
}

export async function createMethodAnalysis(
  ctx: DataContext,
  method: Method,
  body: CreateMethodBody
): Promise<MethodSummary> {
  const { studyId, role } = studyOf(ctx);
  assertMayEdit(role);
  return ctx.withAudit(async (trx, audit) => {
    const row = await trx
      .insertInto('qual_method_analyses')
      .values({
        study_id: studyId,
        method,
        title: body.title,
        revision: 1,
        document: JSON.stringify(EMPTY[method]),
        created_by: ctx.actor.userId,
        created_at: ctx.now,
        updated_by: ctx.actor.userId,
        updated_at: ctx.now,
      })
      .returning(['id', 'title', 'revision', 'updated_at'])
      .executeTakeFirstOrThrow();
    audit({
      action: 'create',
      dataCategory:
        method === 'framework' ? 'qualitative framework analysis' : 'qualitative thematic analysis',
      patientIds: [null],
    });
    return {
      id: row.id,
      method,
      title: row.title,
      revision: row.revision,
      updatedAt: new Date(row.updated_at).toISOString(),
      updatedBy: ctx.actor.displayName,
    };
  });
}

/** The study's open transcripts, codes and codings, for the link checks. */
export async function studyLinks(db: DataContext['db'] | Transaction<Database>, studyId: string) {
  const [sources, codes, codings] = await Promise.all([
    db
      .selectFrom('qual_sources')
      .select('id')
      .where('study_id', '=', studyId)
      .where('status', '=', 'open_for_coding')
      .execute(),
    db.selectFrom('qual_codes').select('id').where('study_id', '=', studyId).execute(),
    db.selectFrom('qual_codings').select(['id', 'code_id']).where('study_id', '=', studyId).execute(),
  ]);
  return {
    sourceIds: new Set(sources.map((s) => s.id)),
    codeIds: new Set(codes.map((c) => c.id)),
    codingCodes: new Map(codings.map((k) => [k.id, k.code_id])),
  };
}

async function save(
  ctx: DataContext,
  method: Method,
  analysisId: string,
  body: { revision: number; title: string; document: unknown },
  check: (links: Awaited<ReturnType<typeof studyLinks>>) => Array<{ path: string; message: string }>
): Promise<MethodSummary> {
  const { studyId, role } = studyOf(ctx);
  assertMayEdit(role);
  return ctx.withAudit(async (trx, audit) => {
    const current = await trx
      .selectFrom('qual_method_analyses')
      .select(['id', 'revision'])
      .where('id', '=', analysisId)
      .where('study_id', '=', studyId)
      .where('method', '=', method)
      .forUpdate()
      .executeTakeFirst();
    if (!current) throw notFound();
    if (current.revision !== body.revision)
      throw new HttpProblem(
        409,
        'Conflict',
        `The analysis was saved by someone else meanwhile (revision ${current.revision}; this edit started from ${body.revision}). Reload it and make the change again.`
      );
    const problems = check(await studyLinks(trx, studyId));
    if (problems.length)
      throw badRequest(problems.map((p) => ({ field: `document.${p.path}`, reason: p.message })));
    const row = await trx
      .updateTable('qual_method_analyses')
      .set({
        title: body.title,
        revision: current.revision + 1,
        document: JSON.stringify(body.document),
        updated_by: ctx.actor.userId,
        updated_at: ctx.now,
      })
      .where('id', '=', analysisId)
      .returning(['id', 'title', 'revision', 'updated_at'])
      .executeTakeFirstOrThrow();
    audit({
      action: 'update',
      dataCategory:
        method === 'framework' ? 'qualitative framework analysis' : 'qualitative thematic analysis',
      patientIds: [null],
    });
    return {
      id: row.id,
      method,
      title: row.title,
      revision: row.revision,
      updatedAt: new Date(row.updated_at).toISOString(),
      updatedBy: ctx.actor.displayName,
    };
  });
}

export function saveFramework(ctx: DataContext, analysisId: string, body: SaveFrameworkBody) {
  return save(ctx, 'framework', analysisId, body, (links) => frameworkProblems(body.document, links));
}

export function saveThematic(ctx: DataContext, analysisId: string, body: SaveThematicBody) {
  return save(ctx, 'reflexive_ta', analysisId, body, (links) =>
    thematicProblems(body.document, links).filter((p) => !THEMATIC_UNFINISHED.has(p.reason))
  );
}

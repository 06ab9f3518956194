/**
 * Reading the program (issue 12 §1): the module list and a module's content (content, not patient
 * data: the GP material only for GPs), the patient's progress, and the workbook (for the GP only
 * what the patient shared). Patient reads are audited.
 */
import { MODULE_CONTENT, moduleContent } from '../../content/modules.js';
import type {
  ModuleContentResponse,
  ModuleList,
  ProgramView,
  WorkbookEntry,
  WorkbookList,
} from '../../contract/program.js';
import type { Locale } from '../../domain/instruments/phq9.js';
import { MODULE_IDS, type ModuleId } from '../../domain/program/progress.js';
import type { Transaction } from 'kysely';
import type { Database } from '../../db/schema.js';
import type { Audit, DataContext } from '../access/data-context.js';
import { loadProgramView } from './program-state.js';

interface WorkbookRow {
  id: string;
  module_id: string;
  exercise_id: string;
  answers: Record<string, unknown>;
  revision: number;
  shared_with_gp: boolean;
  created_at: Date | string;
  updated_at: Date | string;
}

export function toWorkbookEntry(row: WorkbookRow): WorkbookEntry {
  return {
    id: row.id,
    moduleId: row.module_id as ModuleId,
    exerciseId: row.exercise_id,
    answers: row.answers as Record<string, string | number | string[] | null>,
    revision: row.revision,
    sharedWithGp: row.shared_with_gp,
    createdAt: new Date(row.created_at).toISOString(),
    updatedAt: new Date(row.updated_at).toISOString(),
  };
}

/** The five modules with their titles, in order. */
export function moduleList(lang: Locale): ModuleList {
  return {
    items: MODULE_IDS.map((id) => {
      const m = MODULE_CONTENT[id][lang];
      return {
        id,
        number: m.number,
        title: m.title,
        subtitle: m.subtitle,
        estimatedMinutes: m.estimatedMinutes,
      };
    }),
  };
}

/** A module's content; the patient sees the module, not the GP's notes about it. */
export function moduleForActor(ctx: DataContext, moduleId: ModuleId, lang: Locale): ModuleContentResponse {
  const content = moduleContent(moduleId, lang);
  if (ctx.actor.role === 'gp') return content;
  const { gp: _gp, ...forPatient } = content;
  return forPatient;
}

/** The patient's progress through the program, with what is due; the read is audited. */
export async function programView(ctx: DataContext, patientId: string): Promise<ProgramView> {
  const view = await loadProgramView(ctx.db, patientId, ctx.now);
  await ctx.recordRead({ action: 'read', dataCategory: 'program progress', patientIds: [patientId] });
  return view;
}

/** The patient's workbook rows; for the GP only what the patient chose to share. */
export async function listWorkbook(
  trx: Transaction<Database>,
  audit: Audit,
  args: { patientId: string; sharedOnly: boolean }
) {
  const { sharedOnly } = args;
  let query = trx.selectFrom('workbook_entries').selectAll().where('patient_id', '=', args.patientId);
  if (sharedOnly) query = query.where('shared_with_gp', '=', true);
  const rows = await query.orderBy('module_id').orderBy('created_at').execute();
  audit({
    action: 'read',
    dataCategory: sharedOnly ? 'workbook entries shared with the GP' : 'workbook',
    patientIds: [args.patientId],
  });
  return rows;
}

/** The patient's workbook; for the GP only the entries the patient chose to share. */
export async function workbook(ctx: DataContext, patientId: string): Promise<WorkbookList> {
  const sharedOnly = ctx.actor.role === 'gp';
  const rows = await ctx.withAudit((trx, audit) => listWorkbook(trx, audit, { patientId, sharedOnly }));
  return { items: rows.map(toWorkbookEntry) };
}

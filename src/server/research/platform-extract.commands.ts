/**
 * The platform's research extract (issue 17; docs/platform-extract.md): the platform's own data,
 * pseudonymised, as one Parquet file per entity (platform-research/extract/schema.ts). One use case
 * for both doors: the researcher's HTTP route (step-up `export`, a zip) and `npm run
 * platform:extract` (a researcher authenticated on the command line, a folder). Either way the
 * actor is a researcher and the export is one audit line in that researcher's name.
 *
 * Pseudonymisation: every id becomes HMAC-SHA256(key, kind:id) with a key drawn for this extract
 * and dropped when it is written, so keys join the tables of one extract and nothing else. No
 * names, national ids, free text or item scores leave; birth year only; dates to the day.
 */
import { createHmac, randomBytes } from 'node:crypto';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { strToU8, zipSync } from 'fflate';
import { buildExtractRows, type PlatformData, type Pseudonym } from '../../platform-research/extract/rows.js';
import { writeExtractParquet } from '../../platform-research/extract/parquet.js';
import { EXTRACT_TABLES } from '../../platform-research/extract/schema.js';
import type { DataContext } from '../access/data-context.js';
import { DEMO_PRACTICE_NAME } from '../demo/demo-seed.js';
import { HttpProblem } from '../problem.js';

export interface PlatformExtractResult {
  /** The folder the Parquet files are in. */
  dir: string;
  tables: { table: string; rows: number; bytes: number; file: string }[];
  /** Reading the database, building the rows, writing the Parquet (milliseconds). */
  ms: { load: number; build: number; write: number; total: number };
}

/** Reads the platform's tables (the extract's input). */
async function loadPlatformData(ctx: DataContext): Promise<PlatformData> {
  const db = ctx.db;
  const [practices, gps, patients, enrolments, invitationsUsed, modules, followUps, measurements] =
    await Promise.all([
      db
        .selectFrom('practices as p')
        .leftJoin('simulated_practices as s', 's.practice_id', 'p.id')
        .select(['p.id', 'p.name', 's.run_id'])
        .execute(),
      db.selectFrom('users').select(['id', 'practice_id']).where('role', '=', 'gp').execute(),
      db
        .selectFrom('patients as p')
        .leftJoin('gp_list_entries as l', (join) =>
          join
            .onRef('l.patient_id', '=', 'p.id')
            .on('l.valid_from', '<=', ctx.now)
            .on((eb) => eb.or([eb('l.valid_to', 'is', null), eb('l.valid_to', '>', ctx.now)]))
        )
        .leftJoin('patient_education as e', 'e.patient_id', 'p.id')
        .select([
          'p.id',
          'p.practice_id',
          'p.sex',
          'p.birth_year',
          'l.gp_user_id',
          'l.valid_from',
          'e.patient_id as asked',
          'e.education',
          'e.consent_given_at',
        ])
        .execute(),
      db
        .selectFrom('program_enrolments')
        .select([
          'id',
          'patient_id',
          'status',
          'guidance_level',
          'recommended_by',
          'recommended_at',
          'started_at',
          'finished_at',
          'modules_completed',
          'baseline_phq9',
        ])
        .execute(),
      db
        .selectFrom('invitations')
        .select(['patient_id', 'used_at'])
        .where('used_at', 'is not', null)
        .where('purpose', '=', 'first_login')
        .execute(),
      db
        .selectFrom('module_progress')
        .select(['patient_id', 'module_id', 'started_at', 'completed_at', 'seconds_spent'])
        .execute(),
      db
        .selectFrom('follow_ups')
        .select(['id', 'patient_id', 'gp_user_id', 'module_id', 'kind', 'status', 'planned_at', 'held_at'])
        .execute(),
      db
        .selectFrom('questionnaire_responses')
        .select(['id', 'patient_id', 'instrument', 'answered_at', 'total_score', 'work_status'])
        .execute(),
    ]);
  const date = (d: Date | string | null) => (d === null ? null : new Date(d));
  // One row per patient even if two list entries overlap: the latest start wins.
  const byPatient = new Map<string, (typeof patients)[number]>();
  for (const p of patients) {
    const seen = byPatient.get(p.id);
    if (!seen || (p.valid_from && seen.valid_from && new Date(p.valid_from) > new Date(seen.valid_from)))
      byPatient.set(p.id, p);
  }
  return {
    now: ctx.now,
    practices: practices.map((p) => ({
      id: p.id,
      synthetic: p.run_id !== null || p.name === DEMO_PRACTICE_NAME,
    })),
    gps,
    patients: [...byPatient.values()].map((p) => ({
      id: p.id,
      practice_id: p.practice_id,
      sex: p.sex,
      birth_year: p.birth_year,
      gp_id: p.gp_user_id,
      listed_from: date(p.valid_from),
      education_asked: p.asked !== null,
      education: p.education,
      consent_given_at: date(p.consent_given_at),
    })),
    enrolments: enrolments.map((e) => ({
      ...e,
      recommended_at: new Date(e.recommended_at),
      started_at: date(e.started_at),
      finished_at: date(e.finished_at),
    })),
    invitationsUsed: invitationsUsed.map((i) => ({
      patient_id: i.patient_id,
      used_at: new Date(i.used_at!),
    })),
    modules: modules.map((m) => ({
      ...m,
      started_at: new Date(m.started_at),
      completed_at: date(m.completed_at),
    })),
    followUps: followUps.map((f) => ({ ...f, planned_at: new Date(f.planned_at), held_at: date(f.held_at) })),
    measurements: measurements.map((m) => ({ ...m, answered_at: new Date(m.answered_at) })),
  };
}

/**
 * Builds the extract into `dir` (a new temporary folder when not given) and writes its audit line.
 * Researchers only: the route's access rule says so, and this says it again for the CLI's door.
 */
export async function buildPlatformExtract(
  ctx: DataContext,
  options: { dir?: string } = {}
): Promise<PlatformExtractResult> {
  if (ctx.actor.role !== 'researcher')
    throw new HttpProblem(403, 'Forbidden', 'Only a researcher may make the research extract.');
  const t0 = performance.now();
  const data = await loadPlatformData(ctx);
  const t1 = performance.now();
  // A key for this extract only; it is never written anywhere and is gone when this returns.
  const key = randomBytes(32);
  const pseudonym: Pseudonym = (kind, id) =>
    createHmac('sha256', key).update(`${kind}:${id}`).digest('hex').slice(0, 32);
  const rows = buildExtractRows(data, pseudonym);
  key.fill(0);
  const t2 = performance.now();
  const dir = options.dir ?? mkdtempSync(join(tmpdir(), 'gpdep-platform-extract-'));
  const tables = await writeExtractParquet(rows, dir);
  writeFileSync(
    join(dir, 'extract.json'),
    `${JSON.stringify(
      {
        description:
          'GP-DEP platform research extract: pseudonymised person-level data (docs/platform-extract.md). Keys are keyed HMACs with a key made for this extract and not kept.',
        made_on: ctx.now.toISOString().slice(0, 10),
        tables: tables.map((t) => ({ table: t.table, file: `${t.table}.parquet`, rows: t.rows })),
        schema: EXTRACT_TABLES.map((t) => ({
          table: t.name,
          columns: t.columns.map((c) => `${c.name} ${c.type}`),
        })),
      },
      null,
      2
    )}\n`,
    'utf8'
  );
  const t3 = performance.now();
  await ctx.recordRead({ action: 'export', dataCategory: 'platform research extract', patientIds: [null] });
  return { dir, tables, ms: { load: t1 - t0, build: t2 - t1, write: t3 - t2, total: t3 - t0 } };
}

/** The extract as one zip (the HTTP door); the temporary folder is removed. */
export async function platformExtractZip(ctx: DataContext): Promise<{ fileName: string; zip: Uint8Array }> {
  const extract = await buildPlatformExtract(ctx);
  try {
    const entries: Record<string, Uint8Array> = {
      'extract.json': readFileSync(join(extract.dir, 'extract.json')),
      'README.txt': strToU8(
        'GP-DEP platform research extract. Person-level pseudonymised data: use only under the study approval. Schema: extract.json and docs/platform-extract.md.\n'
      ),
    };
    for (const t of extract.tables) entries[`${t.table}.parquet`] = readFileSync(t.file);
    const zip = zipSync(entries, { level: 0, mtime: ctx.now });
    return { fileName: `gpdep-platform-extract-${ctx.now.toISOString().slice(0, 10)}.zip`, zip };
  } finally {
    rmSync(extract.dir, { recursive: true, force: true });
  }
}

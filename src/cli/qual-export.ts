/**
 * `npm run qual:export -- --study ID|demo --out FILE.qdpx [--codebook FILE.qdc] [--lang nb|en]`:
 * a qualitative study as a REFI-QDA project (server/qualitative/refi-export.ts), for archiving and
 * for NVivo, ATLAS.ti, MAXQDA and QualCoder; with --codebook also its codes alone as a REFI-QDA
 * codebook. `demo` is the demo study `npm start` seeds. The export is written to the audit log.
 *
 * It opens the database as the server does: on the embedded database, stop the server first (one
 * process per data folder); on PostgreSQL (DATABASE_URL) it runs beside the servers.
 */
import { writeFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { Kysely } from 'kysely';
import { openDatabase } from '../db/connection.js';
import type { Database } from '../db/schema.js';
import { writeCodebookQdc, writeQdpx } from '../qualitative/refi/write.js';
import { withAuditedTransaction } from '../server/audit/audit-log.js';
import { loadSecrets, readConfig } from '../server/config.js';
import { DEMO_QUAL_STUDY_TITLE } from '../server/demo/qualitative-seed.js';
import { studyAsRefiProject, type StudyExport } from '../server/qualitative/refi-export.js';

export const USAGE = `Usage: npm run qual:export -- --study ID|demo --out FILE.qdpx [options]

Writes a qualitative study as a REFI-QDA project (.qdpx) that NVivo, ATLAS.ti, MAXQDA and
QualCoder open: the de-identified transcripts, events as cases, the STC code groups as codes with
the meaning units as codings, condensates and first impressions as notes.

  --study ID|demo    the study's id (a UUID), or "demo" for the demo study
  --out FILE.qdpx    where the project goes
  --codebook FILE    also write the codes alone as a REFI-QDA codebook (.qdc)
  --lang nb|en       language of the case names (default nb)
  --help             this text

On the embedded database, stop the server first: one process may use a data folder.`;

export interface QualExportArgs {
  study: string;
  out: string;
  codebook?: string;
  lang: 'nb' | 'en';
}

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

/** Parses the arguments; 'help' for --help; throws a one-line message naming the bad option. */
export function parseQualExportArgs(argv: readonly string[]): QualExportArgs | 'help' {
  const args: Partial<QualExportArgs> = { lang: 'nb' };
  for (let i = 0; i < argv.length; i++) {
    const a = argv[i]!;
    const value = () => {
      const v = argv[++i];
      if (v === undefined || v.startsWith('--')) throw new Error(`${a} needs a value`);
      return v;
    };
    switch (a) {
      case '--help':
        return 'help';
      case '--study':
        args.study = value();
        if (args.study !== 'demo' && !UUID.test(args.study))
          throw new Error(`--study: "${args.study}" is not a study id (a UUID) or "demo"`);
        break;
      case '--out':
        args.out = value();
        if (!args.out.endsWith('.qdpx')) throw new Error(`--out: "${args.out}" should end in .qdpx`);
        break;
      case '--codebook':
        args.codebook = value();
        if (!args.codebook.endsWith('.qdc'))
          throw new Error(`--codebook: "${args.codebook}" should end in .qdc`);
        break;
      case '--lang': {
        const v = value();
        if (v !== 'nb' && v !== 'en') throw new Error(`--lang: "${v}" is not nb or en`);
        args.lang = v;
        break;
      }
      default:
        throw new Error(`Unknown option ${a} (see --help)`);
    }
  }
  if (!args.study) throw new Error('--study ID|demo is required (see --help)');
  if (!args.out) throw new Error('--out FILE.qdpx is required (see --help)');
  return args as QualExportArgs;
}

export interface QualExportOutcome extends StudyExport {
  studyId: string;
  paths: string[];
  bytes: number;
  ms: number;
}

/** Exports the study (the demo study for `demo`), writes the files and the audit line. */
export async function runQualExport(
  db: Kysely<Database>,
  args: QualExportArgs,
  auditKey: Buffer,
  now = new Date()
): Promise<QualExportOutcome> {
  const started = performance.now();
  const studyId =
    args.study === 'demo'
      ? (
          await db
            .selectFrom('qual_studies')
            .select('id')
            .where('title', '=', DEMO_QUAL_STUDY_TITLE)
            .executeTakeFirst()
        )?.id
      : args.study;
  if (!studyId) throw new Error('There is no demo study in this database (npm start seeds it)');
  const exported = await studyAsRefiProject(db, studyId, { now, language: args.lang });
  const bytes = writeQdpx(exported.project);
  writeFileSync(args.out, bytes);
  const paths = [args.out];
  if (args.codebook) {
    writeFileSync(args.codebook, writeCodebookQdc(exported.project.codes, exported.project.origin), 'utf8');
    paths.push(args.codebook);
  }
  // Who exported what is kept like every other read of the transcripts (the command line is the
  // system acting, on the operator's behalf).
  await withAuditedTransaction(db, auditKey, now, async (_trx, record) =>
    record([
      {
        actorUserId: null,
        actorRole: 'system',
        actorName: 'qual:export (command line)',
        actorPracticeId: null,
        patientId: null,
        action: 'export',
        dataCategory: 'qualitative study exported',
        accessBasis: 'system',
        outcome: 'allowed',
        requestId: null,
      },
    ])
  );
  return { ...exported, studyId, paths, bytes: bytes.length, ms: performance.now() - started };
}

async function main(): Promise<void> {
  const args = parseQualExportArgs(process.argv.slice(2));
  if (args === 'help') {
    console.log(USAGE);
    return;
  }
  const config = readConfig();
  const secrets = loadSecrets(config);
  const database = await openDatabase({
    databaseUrl: config.databaseUrl,
    dataDir: join(config.dataDir, 'pglite'),
    allowUnsafeDurability: config.allowUnsafeDurability,
  });
  try {
    const outcome = await runQualExport(database.db, args, secrets.auditKey);
    const c = outcome.counts;
    console.log(
      `Exported study ${outcome.studyId}: ${c.sources} transcripts, ${c.cases} cases, ${c.codes} codes, ${c.codings} codings, ${c.notes} notes (${(outcome.bytes / 1024).toFixed(0)} KB) in ${(outcome.ms / 1000).toFixed(2)} s. Wrote:`
    );
    for (const path of outcome.paths) console.log(`  ${path}`);
  } finally {
    await database.close();
  }
}

if (process.argv[1] && resolve(process.argv[1]) === fileURLToPath(import.meta.url)) {
  main().catch((error: unknown) => {
    console.error(`qual:export: ${error instanceof Error ? error.message : String(error)}`);
    process.exit(1);
  });
}

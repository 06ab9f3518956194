/**
 * `npm run platform:simulate -- --gps 100 --patients 3000 --seed 1 [--truth FILE] [--end DATE] [--force]`:
 * fills the platform's database (the embedded data folder `npm start` uses, or DATABASE_URL) with a
 * synthetic network of practices, GPs and patients and the programme's history, with planted GP
 * effects and education differences (platform-research/simulate/network.ts), and writes the planted
 * truth as JSON. docs/platform-simulate.md describes the model and the safety rule.
 */
import { writeFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';
import type { Kysely } from 'kysely';
import { openDatabase } from '../db/connection.js';
import type { Database } from '../db/schema.js';
import {
  SIMULATION_TRUTH,
  simulateNetwork,
  simulationTruth,
  type SimulationTruth,
} from '../platform-research/simulate/network.js';
import { loadSecrets, readConfig } from '../server/config.js';
import { researcherUsername, SIMULATION_PASSWORD, writeNetwork } from '../server/demo/network-seed.js';

export const USAGE = `Usage: npm run platform:simulate -- --gps N --patients N --seed N [options]

Fills the database (DATA_DIR's embedded database, or DATABASE_URL) with a synthetic network: practices
with several GPs each, patients on their lists, education answers, and the programme's history
(recommendations, invitations, modules, follow-ups, PHQ-9/GAD-7/WSAS) with planted GP effects.

  --gps N          GPs (default 100)
  --patients N     patients on the GPs' lists (default 3000)
  --seed N         seed; the same seed, sizes and --end give the same network (default 1)
  --truth FILE     write the planted truth (parameters, every GP's effect) as JSON
  --end DATE       the simulated "today" (YYYY-MM-DD, default today, UTC)
  --force          add the network to a database that holds other (non-simulated) patients
  -h, --help       this text

Refused on a database with patients outside simulated practices (unless --force), and when a network
with the same seed is there already. On the embedded database, stop the server first.`;

export interface SimulateArgs {
  gps: number;
  patients: number;
  seed: number;
  truth: string | null;
  end: Date;
  force: boolean;
}

export function parseSimulateArgs(argv: readonly string[], today = new Date()): SimulateArgs | 'help' {
  const { values } = parseArgs({
    args: [...argv],
    options: {
      gps: { type: 'string', default: '100' },
      patients: { type: 'string', default: '3000' },
      seed: { type: 'string', default: '1' },
      truth: { type: 'string' },
      end: { type: 'string' },
      force: { type: 'boolean', default: false },
      help: { type: 'boolean', short: 'h', default: false },
    },
    strict: true,
  });
  if (values.help) return 'help';
  const whole = (name: string, value: string, min: number) => {
    const n = Number(value);
    if (!Number.isInteger(n) || n < min)
      throw new Error(`--${name} must be a whole number ≥ ${min} (got "${value}")`);
    return n;
  };
  let end = new Date(Date.UTC(today.getUTCFullYear(), today.getUTCMonth(), today.getUTCDate()));
  if (values.end !== undefined) {
    if (!/^\d{4}-\d{2}-\d{2}$/.test(values.end) || Number.isNaN(Date.parse(values.end)))
      throw new Error(`--end must be a date YYYY-MM-DD (got "${values.end}")`);
    end = new Date(`${values.end}T00:00:00Z`);
  }
  const gps = whole('gps', values.gps, 1);
  const patients = whole('patients', values.patients, 1);
  if (patients < gps) throw new Error('--patients must be at least --gps (every GP gets a patient)');
  return {
    gps,
    patients,
    seed: whole('seed', values.seed, 0),
    truth: values.truth ?? null,
    end,
    force: values.force,
  };
}

export interface SimulateOutcome {
  truth: SimulationTruth;
  rows: Record<string, number>;
  generateMs: number;
  writeMs: number;
}

/** Generates and writes the network; writes the truth file when asked. */
export async function runSimulate(
  db: Kysely<Database>,
  auditKey: Buffer,
  args: SimulateArgs,
  now = new Date()
): Promise<SimulateOutcome> {
  const t0 = performance.now();
  const network = simulateNetwork({ seed: args.seed, gps: args.gps, patients: args.patients, end: args.end });
  const truth = simulationTruth(network);
  const t1 = performance.now();
  const { rows } = await writeNetwork(db, auditKey, network, {
    force: args.force,
    parameters: SIMULATION_TRUTH,
    now,
  });
  const t2 = performance.now();
  if (args.truth) writeFileSync(args.truth, `${JSON.stringify(truth, null, 2)}\n`, 'utf8');
  return { truth, rows, generateMs: t1 - t0, writeMs: t2 - t1 };
}

async function main(): Promise<void> {
  const args = parseSimulateArgs(process.argv.slice(2));
  if (args === 'help') {
    console.log(USAGE);
    return;
  }
  const config = readConfig();
  const secrets = loadSecrets(config);
  const t0 = performance.now();
  const database = await openDatabase({
    databaseUrl: config.databaseUrl,
    dataDir: join(config.dataDir, 'pglite'),
    allowUnsafeDurability: config.allowUnsafeDurability,
  });
  const openMs = performance.now() - t0;
  try {
    const outcome = await runSimulate(database.db, secrets.auditKey, args);
    const c = outcome.truth.counts;
    console.log(
      `Simulated seed ${args.seed}: ${outcome.truth.practices} practices, ${args.gps} GPs, ${args.patients} patients; ` +
        `${c.recommended} recommended, ${c.started} started, ${c.finished} finished, ${c.stopped} stopped, ${c.active} active.`
    );
    console.log(
      `Rows: ${Object.entries(outcome.rows)
        .map(([k, v]) => `${k} ${v}`)
        .join(', ')}.`
    );
    console.log(
      `Time: generate ${(outcome.generateMs / 1000).toFixed(2)} s, write ${(outcome.writeMs / 1000).toFixed(2)} s ` +
        `(database open and migrations ${(openMs / 1000).toFixed(2)} s) on ${config.databaseUrl ? 'PostgreSQL' : 'PGlite'}.`
    );
    if (args.truth) console.log(`Truth: ${args.truth}`);
    console.log(
      `Simulated GPs log in as ${outcome.truth.gpEffects[0]?.username} …, the researcher as ${researcherUsername(args.seed)}, with the password ${SIMULATION_PASSWORD}.`
    );
  } finally {
    await database.close();
  }
}

if (process.argv[1] && resolve(process.argv[1]) === fileURLToPath(import.meta.url)) {
  main().catch((error: unknown) => {
    console.error(`platform:simulate: ${error instanceof Error ? error.message : String(error)}`);
    process.exit(1);
  });
}

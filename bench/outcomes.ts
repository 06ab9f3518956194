/**
 * `npm run bench:outcomes`: the outcome dashboards and the research extract on a simulated network
 * (issue 17): 100 GPs and 3,000 patients written by the platform simulator (seed 1), then
 * - p50/p95 server time of the GP's own dashboard ("Mine resultater", with the comparison against
 *   all GPs), the practice's aggregate and the researcher's platform dashboard;
 * - the time to build the pseudonymised Parquet extract through its HTTP route (a zip).
 * Runs on the embedded database (PGlite in a folder on disk), and on PostgreSQL too when
 * DATABASE_URL is set. Goals (issue 17): dashboards p95 under 300 ms embedded; extract under 10 s.
 * Figures are printed, never asserted.
 */
import { randomBytes } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { performance } from 'node:perf_hooks';
import { openDatabase } from '../src/db/connection.js';
import {
  simulateNetwork,
  simulationTruth,
  SIMULATION_TRUTH,
} from '../src/platform-research/simulate/network.js';
import { buildApp } from '../src/server/app.js';
import { SESSION_COOKIE } from '../src/server/auth/sessions.js';
import { researcherUsername, SIMULATION_PASSWORD, writeNetwork } from '../src/server/demo/network-seed.js';
import { createTestDatabase } from '../test/support/test-database.js';

const ITERATIONS = Number(process.env.BENCH_ITERATIONS ?? 100);
const EXTRACT_RUNS = Number(process.env.BENCH_EXTRACT_RUNS ?? 3);
const GPS = 100;
const PATIENTS = 3000;
const SEED = 1;

const quantile = (sorted: number[], p: number) =>
  sorted[Math.min(sorted.length - 1, Math.floor(p * sorted.length))]!;
const ms = (x: number) => `${x.toFixed(1).padStart(7)} ms`;

async function run(label: string) {
  const dir = mkdtempSync(join(tmpdir(), 'gpdep-bench-outcomes-'));
  const database = process.env.DATABASE_URL
    ? await createTestDatabase()
    : await openDatabase({ dataDir: join(dir, 'pglite') });
  const auditKey = randomBytes(32);
  const end = new Date();
  const t0 = performance.now();
  const network = simulateNetwork({ seed: SEED, gps: GPS, patients: PATIENTS, end });
  const truth = simulationTruth(network);
  await writeNetwork(database.db, auditKey, network, {
    force: false,
    parameters: SIMULATION_TRUTH,
    now: end,
  });
  const simulateMs = performance.now() - t0;

  const app = await buildApp({
    db: database.db,
    secrets: { auditKey, csrfKey: randomBytes(32) },
    loginRateLimit: 1000,
  });
  await app.ready();
  const login = async (username: string) => {
    const res = await app.inject({
      method: 'POST',
      url: '/api/auth/login',
      payload: { username, password: SIMULATION_PASSWORD },
    });
    const session = res.cookies.find((c) => c.name === SESSION_COOKIE);
    if (!session) throw new Error(`login as ${username} → ${res.statusCode} ${res.body.slice(0, 200)}`);
    return {
      cookie: `${SESSION_COOKIE}=${session.value}`,
      csrf: res.json<{ csrfToken: string }>().csrfToken,
    };
  };
  // The GP with the most listed patients: the heaviest "own" dashboard.
  const busiest = [...truth.gpEffects].sort((a, b) => b.recommended - a.recommended)[0]!;
  const gp = await login(busiest.username);
  const researcher = await login(researcherUsername(SEED));

  const measure = async (url: string, { cookie }: { cookie: string }) => {
    for (let i = 0; i < 10; i += 1) await app.inject({ method: 'GET', url, headers: { cookie } });
    const samples: number[] = [];
    for (let i = 0; i < ITERATIONS; i += 1) {
      const started = performance.now();
      const res = await app.inject({ method: 'GET', url, headers: { cookie } });
      samples.push(performance.now() - started);
      if (res.statusCode !== 200) throw new Error(`${url} → ${res.statusCode} ${res.body.slice(0, 200)}`);
    }
    samples.sort((a, b) => a - b);
    return { p50: quantile(samples, 0.5), p95: quantile(samples, 0.95) };
  };
  const own = await measure('/api/gp/outcomes', gp);
  const practice = await measure('/api/gp/practice/outcomes', gp);
  const platform = await measure('/api/research/outcomes', researcher);

  const extractTimes: number[] = [];
  let zipBytes = 0;
  for (let i = 0; i < EXTRACT_RUNS; i += 1) {
    const started = performance.now();
    const res = await app.inject({
      method: 'POST',
      url: '/api/research/platform-extract',
      headers: {
        cookie: researcher.cookie,
        'x-csrf-token': researcher.csrf,
        'content-type': 'application/json',
      },
      payload: {},
    });
    extractTimes.push(performance.now() - started);
    if (res.statusCode !== 200) throw new Error(`extract → ${res.statusCode} ${res.body.slice(0, 200)}`);
    zipBytes = res.rawPayload.length;
  }
  extractTimes.sort((a, b) => a - b);

  console.log(
    `${label}: ${GPS} GPs, ${PATIENTS} patients simulated and written in ${(simulateMs / 1000).toFixed(1)} s`
  );
  console.log(`  GP's own dashboard      p50 ${ms(own.p50)}  p95 ${ms(own.p95)}`);
  console.log(`  practice aggregate      p50 ${ms(practice.p50)}  p95 ${ms(practice.p95)}`);
  console.log(`  platform (researcher)   p50 ${ms(platform.p50)}  p95 ${ms(platform.p95)}`);
  console.log(
    `  research extract        median ${(quantile(extractTimes, 0.5) / 1000).toFixed(2)} s, slowest ${(extractTimes.at(-1)! / 1000).toFixed(2)} s over ${EXTRACT_RUNS} runs (zip ${(zipBytes / 1024).toFixed(0)} KiB)`
  );
  await app.close();
  await database.close();
  rmSync(dir, { recursive: true, force: true });
  return { p95: Math.max(own.p95, practice.p95, platform.p95), extract: extractTimes.at(-1)! };
}

console.log(`Outcome dashboards: server time over ${ITERATIONS} requests each (after 10 warm-up).`);
const url = process.env.DATABASE_URL;
delete process.env.DATABASE_URL;
const embedded = await run('embedded (PGlite)');
console.log(`  goal embedded: dashboards p95 under 300 ms → ${embedded.p95 < 300 ? 'met' : 'NOT met'}`);
console.log(`  goal: extract under 10 s → ${embedded.extract < 10_000 ? 'met' : 'NOT met'}`);
if (url) {
  process.env.DATABASE_URL = url;
  const pg = await run('PostgreSQL');
  console.log(
    `  PostgreSQL: dashboards p95 ${pg.p95.toFixed(1)} ms, extract ${(pg.extract / 1000).toFixed(2)} s`
  );
} else {
  console.log('  (set DATABASE_URL to measure PostgreSQL as well)');
}

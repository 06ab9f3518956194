/**
 * `npm run bench:program`: server time of the API calls a module page makes, on the embedded
 * database (PGlite in a folder on disk, as `npm start` uses it), with the demo practice loaded.
 * Requests go through Fastify's inject (no socket), so the figures are server time.
 * Goal (issue 3): each under 50 ms at p95. Set DATABASE_URL to measure PostgreSQL instead.
 */
import { randomBytes, randomUUID } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { performance } from 'node:perf_hooks';
import { MODULE_CONTENT } from '../src/content/modules.js';
import { openDatabase } from '../src/db/connection.js';
import { DEMO_PASSWORD, seedDemoData } from '../src/server/demo/demo-seed.js';
import { buildApp } from '../src/server/app.js';
import { SESSION_COOKIE } from '../src/server/auth/sessions.js';

const ITERATIONS = Number(process.env.BENCH_ITERATIONS ?? 200);
const dir = mkdtempSync(join(tmpdir(), 'gpdep-bench-'));
const secrets = { auditKey: randomBytes(32), csrfKey: randomBytes(32) };
// A benchmark may run against a throwaway test cluster (fsync off): allowed here.
const database = await openDatabase({
  databaseUrl: process.env.DATABASE_URL,
  dataDir: join(dir, 'pglite'),
  allowUnsafeDurability: true,
});
await seedDemoData(database.db, secrets.auditKey);
const app = await buildApp({ db: database.db, secrets, loginRateLimit: 1000, submitRateLimit: 100_000 });
await app.ready();

// pasient07 is mid-program on lege.berg's list in the demo practice.
const login = await app.inject({
  method: 'POST',
  url: '/api/auth/login',
  payload: { username: 'pasient07', password: DEMO_PASSWORD },
});
const { user, csrfToken } = login.json<{ user: { patientId: string }; csrfToken: string }>();
const cookie = `${SESSION_COOKIE}=${login.cookies.find((c) => c.name === SESSION_COOKIE)!.value}`;
const base = `/api/patients/${user.patientId}`;
const program = (await app.inject({ method: 'GET', url: `${base}/program`, headers: { cookie } })).json<{
  modules: { id: 'm1' | 'm2' | 'm3' | 'm4' | 'm5'; state: string }[];
}>();
const open =
  program.modules.find((m) => m.state === 'available' || m.state === 'in_progress') ?? program.modules[0]!;
const lesson = MODULE_CONTENT[open.id].nb.lessons[0]!.id;
const exercise = MODULE_CONTENT[open.id].nb.exercises[0]!;
const textField = exercise.fields.find((f) => f.type === 'text' || f.type === 'textarea');
const entryId = randomUUID();
let revision = 0;

const calls: [string, () => Promise<number>][] = [
  ['GET module content', () => time('GET', `/api/program/modules/${open.id}?lang=nb`)],
  ['GET program progress', () => time('GET', `${base}/program`)],
  ['GET workbook', () => time('GET', `${base}/workbook`)],
  ['GET measurements', () => time('GET', `${base}/measurements`)],
  [
    'PUT workbook autosave',
    () =>
      time('PUT', `${base}/workbook/${entryId}`, {
        moduleId: open.id,
        exerciseId: exercise.id,
        answers: textField ? { [textField.id]: `Skrevet ${revision}` } : {},
        revision: ++revision,
        sharedWithGp: false,
      }),
  ],
  [
    'POST lesson viewed',
    () => time('POST', `${base}/program/modules/${open.id}/lessons/${lesson}/view`, { secondsSpent: 30 }),
  ],
];

async function time(method: 'GET' | 'PUT' | 'POST', url: string, payload?: object): Promise<number> {
  const started = performance.now();
  const res = await app.inject({
    method,
    url,
    headers: { cookie, 'x-csrf-token': csrfToken },
    ...(payload ? { payload } : {}),
  });
  const elapsed = performance.now() - started;
  if (res.statusCode >= 300) throw new Error(`${method} ${url} → ${res.statusCode} ${res.body}`);
  return elapsed;
}

const quantile = (sorted: number[], q: number) =>
  sorted[Math.min(sorted.length - 1, Math.floor(q * sorted.length))]!;
console.log(`Module page API, ${database.kind}, ${ITERATIONS} requests each (after 20 warm-up):`);
console.log('call                       p50 ms   p95 ms   max ms');
let worstP95 = 0;
for (const [name, call] of calls) {
  for (let i = 0; i < 20; i += 1) await call();
  const samples: number[] = [];
  for (let i = 0; i < ITERATIONS; i += 1) samples.push(await call());
  samples.sort((a, b) => a - b);
  const p95 = quantile(samples, 0.95);
  worstP95 = Math.max(worstP95, p95);
  console.log(
    `${name.padEnd(26)} ${quantile(samples, 0.5).toFixed(1).padStart(6)}   ${p95.toFixed(1).padStart(6)}   ${samples.at(-1)!.toFixed(1).padStart(6)}`
  );
}
console.log(
  `worst p95: ${worstP95.toFixed(1)} ms (goal: under 50 ms) → ${worstP95 < 50 ? 'met' : 'NOT met'}`
);
await app.close();
await database.close();
rmSync(dir, { recursive: true, force: true });

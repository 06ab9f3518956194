/**
 * `npm run bench:fhir`: server time of the FHIR API (issue 16) on the embedded database (PGlite in
 * a folder on disk, as `npm start` uses it), with the demo practice loaded and one patient given
 * 100 Observations (50 PHQ-9 answers: each a total panel and its item 9). Requests go through
 * Fastify's inject (no socket), so the figures are server time, audit writes included.
 * Goal: the patient's Observation search under 50 ms at p95. Set DATABASE_URL for PostgreSQL.
 */
import { randomBytes, randomUUID } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { performance } from 'node:perf_hooks';
import { openDatabase } from '../src/db/connection.js';
import { DEMO_PASSWORD, seedDemoData } from '../src/server/demo/demo-seed.js';
import { buildApp } from '../src/server/app.js';
import { SESSION_COOKIE } from '../src/server/auth/sessions.js';

const ITERATIONS = Number(process.env.BENCH_ITERATIONS ?? 200);
const OBSERVATIONS = 100;
const dir = mkdtempSync(join(tmpdir(), 'gpdep-bench-fhir-'));
const secrets = { auditKey: randomBytes(32), csrfKey: randomBytes(32) };
const database = await openDatabase({
  databaseUrl: process.env.DATABASE_URL,
  dataDir: join(dir, 'pglite'),
  allowUnsafeDurability: true,
});
await seedDemoData(database.db, secrets.auditKey);
const app = await buildApp({ db: database.db, secrets, loginRateLimit: 1000 });
await app.ready();

async function login(username: string) {
  const res = await app.inject({
    method: 'POST',
    url: '/api/auth/login',
    payload: { username, password: DEMO_PASSWORD },
  });
  return {
    cookie: `${SESSION_COOKIE}=${res.cookies.find((c) => c.name === SESSION_COOKIE)!.value}`,
    user: res.json<{ user: { patientId?: string } }>().user,
  };
}

// pasient07, on lege.berg's list: their stored PHQ-9 copied back in time, one a week, until they
// have 100 Observations (the copies keep the FHIR ids consistent: every id is the new response's).
const patient = await login('pasient07');
const patientId = patient.user.patientId!;
const template = await database.db
  .selectFrom('questionnaire_responses')
  .selectAll()
  .where('patient_id', '=', patientId)
  .where('instrument', '=', 'phq9')
  .orderBy('answered_at', 'desc')
  .executeTakeFirstOrThrow();
const existing = await database.db
  .selectFrom('questionnaire_responses')
  .select(['fhir_observations'])
  .where('patient_id', '=', patientId)
  .execute();
let count = existing.reduce((n, r) => n + (r.fhir_observations?.length ?? 1), 0);
for (let week = 1; count < OBSERVATIONS; week += 1) {
  const id = randomUUID();
  const at = new Date(new Date(template.answered_at).getTime() - week * 7 * 86_400_000);
  const swap = (value: unknown) =>
    JSON.stringify(value)
      .replaceAll(template.id, id)
      .replaceAll(new Date(template.answered_at).toISOString(), at.toISOString());
  const observations = JSON.parse(swap(template.fhir_observations)) as unknown[];
  await database.db
    .insertInto('questionnaire_responses')
    .values({
      id,
      patient_id: patientId,
      instrument: 'phq9',
      instrument_version: template.instrument_version,
      answered_at: at,
      submitted_by: template.submitted_by,
      item_scores: JSON.stringify(template.item_scores),
      difficulty: template.difficulty,
      total_score: template.total_score,
      severity: template.severity,
      item9_score: template.item9_score,
      work_status: null,
      fhir_observation: JSON.stringify(observations[0]),
      fhir_observations: JSON.stringify(observations),
      fhir_resource: swap(template.fhir_resource),
      patient_note: null,
      idempotency_key: null,
      idempotency_route: null,
      idempotency_body_sha256: null,
      note_read_at: null,
    })
    .execute();
  count += observations.length;
}
const gp = await login('lege.berg');

const calls: [string, string, string][] = [
  [
    'patient: Observation search (all)',
    patient.cookie,
    `/fhir/R4/Observation?patient=${patientId}&_count=100`,
  ],
  [
    'patient: PHQ-9 totals, this year',
    patient.cookie,
    `/fhir/R4/Observation?patient=${patientId}&code=http%3A%2F%2Floinc.org%7C44261-6&date=ge2026-01-01`,
  ],
  ['GP: Observation search (patient)', gp.cookie, `/fhir/R4/Observation?patient=${patientId}&_count=100`],
  ['GP: Patient search (own list)', gp.cookie, '/fhir/R4/Patient?_count=100'],
  ['patient: everything (Bundle)', patient.cookie, `/fhir/R4/Patient/${patientId}/$everything`],
];

async function time(cookie: string, url: string): Promise<number> {
  const started = performance.now();
  const res = await app.inject({ method: 'GET', url, headers: { cookie } });
  const elapsed = performance.now() - started;
  if (res.statusCode !== 200) throw new Error(`${url} → ${res.statusCode} ${res.body}`);
  return elapsed;
}

const quantile = (sorted: number[], q: number) =>
  sorted[Math.min(sorted.length - 1, Math.floor(q * sorted.length))]!;
const search = await app.inject({ method: 'GET', url: calls[0]![2], headers: { cookie: patient.cookie } });
const everything = await app.inject({
  method: 'GET',
  url: calls[4]![2],
  headers: { cookie: patient.cookie },
});
console.log(
  `FHIR API, ${database.kind}: ${search.json<{ total: number }>().total} Observations for the patient; ` +
    `everything: ${everything.json<{ total: number }>().total} resources, ${(everything.body.length / 1024).toFixed(0)} KiB. ` +
    `${ITERATIONS} requests each (after 20 warm-up):`
);
console.log('call                                p50 ms   p95 ms   max ms');
const p95s: Record<string, number> = {};
for (const [name, cookie, url] of calls) {
  for (let i = 0; i < 20; i += 1) await time(cookie, url);
  const samples: number[] = [];
  for (let i = 0; i < ITERATIONS; i += 1) samples.push(await time(cookie, url));
  samples.sort((a, b) => a - b);
  p95s[name] = quantile(samples, 0.95);
  console.log(
    `${name.padEnd(35)} ${quantile(samples, 0.5).toFixed(1).padStart(6)}   ${p95s[name].toFixed(1).padStart(6)}   ${samples.at(-1)!.toFixed(1).padStart(6)}`
  );
}
const goal = p95s['patient: Observation search (all)']!;
console.log(
  `patient Observation search p95: ${goal.toFixed(1)} ms (goal: under 50 ms) → ${goal < 50 ? 'met' : 'NOT met'}`
);
await app.close();
await database.close();
rmSync(dir, { recursive: true, force: true });

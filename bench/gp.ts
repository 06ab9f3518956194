/**
 * `npm run bench:gp`: p50/p95 server time of the GP's two busiest screens:
 * - the follow-up card of a patient with a full program history (five modules, PHQ-9 before each,
 *   GAD-7 and WSAS, shared workbook entries, notes);
 * - the worklist of a GP with 1,500 listed patients (about a fifth of them in the program);
 * with message threads in the data (issue 17): two threads of three messages per patient in the
 *   program, every third waiting for an answer, and the card's patient with recent messages.
 * Runs on the embedded database (PGlite in a folder on disk), and on PostgreSQL too when
 * DATABASE_URL is set (a fresh database is created there and dropped afterwards).
 * Goal (issue 4): p95 under 50 ms on PostgreSQL, under 300 ms embedded.
 */
import { randomBytes, randomUUID } from 'node:crypto';
import { performance } from 'node:perf_hooks';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { MODULE_CONTENT } from '../src/content/modules.js';
import { openDatabase } from '../src/db/connection.js';
import type { Database } from '../src/db/schema.js';
import { buildApp } from '../src/server/app.js';
import { hashPassword } from '../src/server/auth/passwords.js';
import { SESSION_COOKIE } from '../src/server/auth/sessions.js';
import { createTestDatabase } from '../test/support/test-database.js';
import type { Kysely } from 'kysely';

const ITERATIONS = Number(process.env.BENCH_ITERATIONS ?? 100);
const LIST_SIZE = 1500;
const DAY = 86_400_000;

async function seed(db: Kysely<Database>, now: Date) {
  const password = await hashPassword('bench-password-2026');
  const practice = await db
    .insertInto('practices')
    .values({ name: 'Bench practice' })
    .returning('id')
    .executeTakeFirstOrThrow();
  const gp = await db
    .insertInto('users')
    .values({
      username: 'bench.gp',
      display_name: 'Bench GP',
      role: 'gp',
      password_hash: password,
      practice_id: practice.id,
    })
    .returning('id')
    .executeTakeFirstOrThrow();
  // Authors of the synthetic patient messages (the bench's patients have no accounts of their own).
  const patientAuthor = await db
    .insertInto('users')
    .values({
      username: 'bench.patient',
      display_name: 'Bench patient',
      role: 'patient',
      password_hash: password,
    })
    .returning('id')
    .executeTakeFirstOrThrow();
  const patientIds: string[] = [];
  for (let start = 0; start < LIST_SIZE; start += 250) {
    const rows = Array.from({ length: Math.min(250, LIST_SIZE - start) }, (_, i) => ({
      id: randomUUID(),
      display_name: `Pasient ${start + i + 1}`,
      birth_year: 1950 + ((start + i) % 50),
      sex: (start + i) % 2 ? ('female' as const) : ('male' as const),
      practice_id: practice.id,
    }));
    await db.insertInto('patients').values(rows).execute();
    await db
      .insertInto('gp_list_entries')
      .values(rows.map((r) => ({ gp_user_id: gp.id, patient_id: r.id, valid_from: '2020-01-01' })))
      .execute();
    patientIds.push(...rows.map((r) => r.id));
  }
  // One patient in five is in the program, at various stages, with PHQ-9s every two weeks.
  const enrolled = patientIds.filter((_, i) => i % 5 === 0);
  for (const [k, patientId] of enrolled.entries()) {
    const modules = k % 6;
    const started = new Date(now.getTime() - (modules * 14 + 7) * DAY);
    await db
      .insertInto('program_enrolments')
      .values({
        patient_id: patientId,
        status: modules === 5 ? 'finished' : 'active',
        recommended_by: gp.id,
        recommended_at: started,
        started_at: started,
        modules_completed: modules,
        baseline_phq9: 15,
      })
      .execute();
    await db
      .insertInto('questionnaire_responses')
      .values(
        Array.from({ length: modules + 1 }, (_, m) => ({
          patient_id: patientId,
          instrument: 'phq9' as const,
          instrument_version: '2026.1',
          answered_at: new Date(started.getTime() + m * 14 * DAY),
          submitted_by: gp.id,
          item_scores: JSON.stringify([2, 2, 2, 1, 1, 1, 1, 1, 0]),
          difficulty: 1,
          total_score: Math.max(0, 15 - m * 2 + (k % 7)),
          severity: 'moderate',
          item9_score: k % 40 === 0 && m === modules ? 1 : 0,
          work_status: null,
          fhir_resource: '{}',
          fhir_observation: null,
          patient_note: null,
          idempotency_key: null,
        }))
      )
      .execute();
    await db
      .insertInto('follow_ups')
      .values(
        Array.from({ length: 5 }, (_, m) => ({
          patient_id: patientId,
          gp_user_id: gp.id,
          module_id: `m${m + 1}`,
          planned_at: new Date(started.getTime() + (m + 1) * 14 * DAY),
          status: m < modules ? 'done' : 'planned',
          created_at: started,
        }))
      )
      .execute();
  }
  // Message threads (issue 17): two per patient in the program, three messages each; every third
  // thread waits for the care team (its last message is the patient's).
  const threads: {
    id: string;
    patient_id: string;
    subject: string;
    created_by: string;
    created_at: Date;
    last_message_at: Date;
    last_from_patient: boolean;
  }[] = [];
  const messages: {
    thread_id: string;
    author_user_id: string;
    author_role: 'patient' | 'gp';
    body: string;
    sent_at: Date;
  }[] = [];
  for (const [k, patientId] of enrolled.entries()) {
    for (let n = 0; n < 2; n += 1) {
      const id = randomUUID();
      const waiting = (k * 2 + n) % 3 === 0;
      const first = new Date(now.getTime() - (10 - n * 4) * DAY);
      const times = [0, 1, 2].map((m) => new Date(first.getTime() + m * DAY));
      threads.push({
        id,
        patient_id: patientId,
        subject: `Spørsmål ${n + 1}`,
        created_by: patientAuthor.id,
        created_at: first,
        last_message_at: times[2]!,
        last_from_patient: waiting,
      });
      for (const [m, at] of times.entries()) {
        const fromPatient = m === 2 ? waiting : m === 0;
        messages.push({
          thread_id: id,
          author_user_id: fromPatient ? patientAuthor.id : gp.id,
          author_role: fromPatient ? 'patient' : 'gp',
          body: 'En melding på noen setninger om hvordan uka har vært.',
          sent_at: at,
        });
      }
    }
  }
  for (let i = 0; i < threads.length; i += 500) {
    await db
      .insertInto('message_threads')
      .values(threads.slice(i, i + 500))
      .execute();
  }
  for (let i = 0; i < messages.length; i += 500) {
    await db
      .insertInto('thread_messages')
      .values(messages.slice(i, i + 500))
      .execute();
  }
  // The card's patient: a full history.
  const full = enrolled[5]!;
  for (const [m, moduleId] of (['m1', 'm2', 'm3', 'm4', 'm5'] as const).entries()) {
    const content = MODULE_CONTENT[moduleId].nb;
    await db
      .insertInto('module_progress')
      .values({
        patient_id: full,
        module_id: moduleId,
        started_at: now,
        lessons_viewed: JSON.stringify(content.lessons.map((l) => l.id)),
        seconds_spent: 1500,
        completed_at: new Date(now.getTime() - (70 - m * 14) * DAY),
      })
      .execute();
    for (const exercise of content.exercises) {
      await db
        .insertInto('workbook_entries')
        .values({
          id: randomUUID(),
          patient_id: full,
          module_id: moduleId,
          exercise_id: exercise.id,
          answers: JSON.stringify(
            Object.fromEntries(
              exercise.fields
                .filter((f) => f.type === 'textarea' || f.type === 'text')
                .map((f) => [f.id, 'Et svar på noen setninger.'])
            )
          ),
          revision: 3,
          shared_with_gp: true,
          created_at: now,
          updated_at: now,
        })
        .execute();
    }
  }
  const cardFollowUp = await db
    .selectFrom('follow_ups')
    .select('id')
    .where('patient_id', '=', full)
    .orderBy('planned_at', 'desc')
    .executeTakeFirstOrThrow();
  return { patientId: full, followUpId: cardFollowUp.id };
}

async function run(label: string) {
  const dir = mkdtempSync(join(tmpdir(), 'gpdep-bench-gp-'));
  const database = process.env.DATABASE_URL
    ? await createTestDatabase()
    : await openDatabase({ dataDir: join(dir, 'pglite') });
  const now = new Date();
  const { patientId, followUpId } = await seed(database.db, now);
  const app = await buildApp({
    db: database.db,
    secrets: { auditKey: randomBytes(32), csrfKey: randomBytes(32) },
    loginRateLimit: 1000,
  });
  await app.ready();
  const login = await app.inject({
    method: 'POST',
    url: '/api/auth/login',
    payload: { username: 'bench.gp', password: 'bench-password-2026' },
  });
  const cookie = `${SESSION_COOKIE}=${login.cookies.find((c) => c.name === SESSION_COOKIE)!.value}`;
  const measure = async (url: string) => {
    for (let i = 0; i < 10; i += 1) await app.inject({ method: 'GET', url, headers: { cookie } });
    const samples: number[] = [];
    for (let i = 0; i < ITERATIONS; i += 1) {
      const started = performance.now();
      const res = await app.inject({ method: 'GET', url, headers: { cookie } });
      samples.push(performance.now() - started);
      if (res.statusCode !== 200) throw new Error(`${url} → ${res.statusCode} ${res.body.slice(0, 200)}`);
    }
    samples.sort((a, b) => a - b);
    const q = (p: number) => samples[Math.min(samples.length - 1, Math.floor(p * samples.length))]!;
    return { p50: q(0.5), p95: q(0.95) };
  };
  const card = await measure(`/api/patients/${patientId}/follow-ups/${followUpId}/card`);
  const worklist = await measure('/api/gp/worklist');
  console.log(
    `${label.padEnd(22)} card p50 ${card.p50.toFixed(1).padStart(6)} ms  p95 ${card.p95.toFixed(1).padStart(6)} ms | worklist (${LIST_SIZE} listed) p50 ${worklist.p50.toFixed(1).padStart(6)} ms  p95 ${worklist.p95.toFixed(1).padStart(6)} ms`
  );
  await app.close();
  await database.close();
  rmSync(dir, { recursive: true, force: true });
  return { card, worklist };
}

console.log(`GP screens, server time over ${ITERATIONS} requests each (after 10 warm-up):`);
const url = process.env.DATABASE_URL;
delete process.env.DATABASE_URL;
const embedded = await run('embedded (PGlite)');
console.log(
  `  goal embedded: p95 under 300 ms → ${Math.max(embedded.card.p95, embedded.worklist.p95) < 300 ? 'met' : 'NOT met'}`
);
if (url) {
  process.env.DATABASE_URL = url;
  const pg = await run('PostgreSQL');
  console.log(
    `  goal PostgreSQL: p95 under 50 ms → ${Math.max(pg.card.p95, pg.worklist.p95) < 50 ? 'met' : 'NOT met'}`
  );
} else {
  console.log('  (set DATABASE_URL to measure PostgreSQL as well)');
}

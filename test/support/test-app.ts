/**
 * Builds the real application on a fresh test database with a small, known fixture:
 *
 *   practice A: GP1 (patients pA1, pA2 on the list), GP2 (patient pB)
 *   practice B: GP3 (patient pC)
 *   one researcher, one admin; every user's password is FIXTURE_PASSWORD.
 *   guides at practice A: guide1 (assigned by GP1 to pA2), guide2 (assigned to nobody).
 *
 * and gives tests a way to log in and call the API as any of them (app.inject, no sockets).
 */
import { randomBytes } from 'node:crypto';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { FastifyInstance, LightMyRequestResponse } from 'fastify';
import { sql, type Kysely } from 'kysely';
import type { Database } from '../../src/db/schema.js';
import { buildApp, type AppOptions } from '../../src/server/app.js';
import { hashPassword } from '../../src/server/auth/passwords.js';
import { syntheticFodselsnummer } from '../../src/domain/identifiers/norwegian-ids.js';
import { SESSION_COOKIE } from '../../src/server/auth/sessions.js';
import { createTestDatabase, type TestDatabase } from './test-database.js';

export const FIXTURE_PASSWORD = 'fixture-password-2026';

export type FixtureUser =
  | 'gp1'
  | 'gp2'
  | 'gp3'
  | 'researcher'
  | 'admin'
  | 'userGroup'
  | 'guide1'
  | 'guide2'
  | 'pA1'
  | 'pA2'
  | 'pB'
  | 'pC';

export interface Fixture {
  userIds: Record<FixtureUser, string>;
  patientIds: Record<'pA1' | 'pA2' | 'pB' | 'pC', string>;
  patientNames: Record<'pA1' | 'pA2' | 'pB' | 'pC', string>;
  practiceIds: { a: string; b: string };
}

export interface LoggedIn {
  cookie: string;
  csrfToken: string;
}

export interface TestApp {
  app: FastifyInstance;
  db: Kysely<Database>;
  database: TestDatabase;
  fixture: Fixture;
  clock: { now: Date };
  login(user: FixtureUser | string, password?: string): Promise<LoggedIn>;
  call(
    as: LoggedIn | null,
    method: 'GET' | 'POST' | 'PUT' | 'PATCH' | 'DELETE',
    url: string,
    options?: { body?: unknown; headers?: Record<string, string>; csrf?: boolean }
  ): Promise<LightMyRequestResponse>;
  close(): Promise<void>;
}

const USERNAMES: Record<FixtureUser, string> = {
  gp1: 'gp.one',
  gp2: 'gp.two',
  gp3: 'gp.three',
  researcher: 'researcher.one',
  admin: 'admin.one',
  userGroup: 'user.group.one',
  guide1: 'guide.one',
  guide2: 'guide.two',
  pA1: 'patient.a1',
  pA2: 'patient.a2',
  pB: 'patient.b',
  pC: 'patient.c',
};

async function seedFixture(db: Kysely<Database>): Promise<Fixture> {
  const passwordHash = await hashPassword(FIXTURE_PASSWORD);
  const [a, b] = await db
    .insertInto('practices')
    .values([{ name: 'Practice A (test)' }, { name: 'Practice B (test)' }])
    .returning('id')
    .execute();
  const practiceIds = { a: a!.id, b: b!.id };
  const practiceOf: Partial<Record<FixtureUser, string>> = {
    gp1: practiceIds.a,
    gp2: practiceIds.a,
    gp3: practiceIds.b,
    guide1: practiceIds.a,
    guide2: practiceIds.a,
  };
  const roleOf = (u: FixtureUser) =>
    u.startsWith('gp')
      ? 'gp'
      : u === 'researcher' || u === 'admin'
        ? u
        : u === 'userGroup'
          ? 'user_group'
          : u.startsWith('guide')
            ? 'guide'
            : 'patient';
  const userIds = {} as Record<FixtureUser, string>;
  for (const user of Object.keys(USERNAMES) as FixtureUser[]) {
    const row = await db
      .insertInto('users')
      .values({
        username: USERNAMES[user],
        display_name: `Test ${user}`,
        role: roleOf(user) as 'gp',
        password_hash: passwordHash,
        practice_id: practiceOf[user] ?? null,
        // gp1 → 100000001, gp2 → 100000002, …: what the FHIR Practitioner and HelseID match on.
        hpr_number: user.startsWith('gp') ? String(100000000 + Number(user.slice(2) || 0)) : null,
      })
      .returning('id')
      .executeTakeFirstOrThrow();
    userIds[user] = row.id;
  }
  const patients = { pA1: 'gp1', pA2: 'gp1', pB: 'gp2', pC: 'gp3' } as const;
  const patientIds = {} as Fixture['patientIds'];
  const patientNames = {} as Fixture['patientNames'];
  for (const [patient, gp] of Object.entries(patients) as [keyof typeof patients, FixtureUser][]) {
    patientNames[patient] = `Patient ${patient} Fixturesen`;
    const row = await db
      .insertInto('patients')
      .values({
        user_id: userIds[patient],
        display_name: patientNames[patient],
        birth_year: 1980,
        sex: 'female',
        practice_id: gp === 'gp3' ? practiceIds.b : practiceIds.a,
        national_id: syntheticFodselsnummer('1980-06-15', 'female', Object.keys(patientIds).length),
      })
      .returning('id')
      .executeTakeFirstOrThrow();
    patientIds[patient] = row.id;
    await db
      .insertInto('gp_list_entries')
      .values({ gp_user_id: userIds[gp], patient_id: row.id, valid_from: '2020-01-01' })
      .execute();
  }
  // A guide assigned by the patient's GP (issue 17), open since long before any test's clock.
  await db
    .insertInto('guide_assignments')
    .values({
      patient_id: patientIds.pA2,
      guide_user_id: userIds.guide1,
      assigned_by: userIds.gp1,
      starts_at: '2020-01-01T00:00:00Z',
      ends_at: null,
      ended_by: null,
    })
    .execute();
  return { userIds, patientIds, patientNames, practiceIds };
}

export async function createTestApp(options: Partial<AppOptions> = {}): Promise<TestApp> {
  const database = await createTestDatabase();
  const fixture = await seedFixture(database.db);
  const clock = { now: new Date() };
  // An empty registry folder by default, so the researcher's registry routes exist (and are in the
  // access matrix); tests that run an analysis pass their own.
  const registryRoot = mkdtempSync(join(tmpdir(), 'gpdep-test-registry-'));
  const app = await buildApp({
    registry: { dataDir: join(registryRoot, 'data'), reportsDir: join(registryRoot, 'reports') },
    db: database.db,
    secrets: { auditKey: randomBytes(32), csrfKey: randomBytes(32) },
    now: () => clock.now,
    // Far above what one test file does in a minute (the access matrix logs in once per route and
    // role, over 1,000 times); the limit's own tests pass a small one.
    loginRateLimit: 100_000,
    submitRateLimit: 1000,
    ...options,
  });
  await app.ready();

  const call: TestApp['call'] = (as, method, url, opts = {}) => {
    const headers: Record<string, string> = { ...(opts.headers ?? {}) };
    if (as) {
      headers.cookie = `${SESSION_COOKIE}=${as.cookie}`;
      if (opts.csrf !== false && method !== 'GET') headers['x-csrf-token'] = as.csrfToken;
    }
    return app.inject({
      method,
      url,
      headers,
      ...(opts.body !== undefined ? { payload: opts.body as object } : {}),
    });
  };

  const login: TestApp['login'] = async (user, password = FIXTURE_PASSWORD) => {
    const username = USERNAMES[user as FixtureUser] ?? user;
    const response = await app.inject({
      method: 'POST',
      url: '/api/auth/login',
      payload: { username, password },
    });
    if (response.statusCode !== 200)
      throw new Error(`login ${username} failed: ${response.statusCode} ${response.body}`);
    const cookie = response.cookies.find((c) => c.name === SESSION_COOKIE);
    if (!cookie) throw new Error('no session cookie');
    return { cookie: cookie.value, csrfToken: response.json<{ csrfToken: string }>().csrfToken };
  };

  return {
    app,
    db: database.db,
    database,
    fixture,
    clock,
    login,
    call,
    async close() {
      await app.close();
      await database.close();
    },
  };
}

/** A valid PHQ-9 body with the given item scores. */
export function phq9Body(items: number[], difficulty: number | null = items.some((s) => s > 0) ? 1 : null) {
  return { items, difficulty };
}

/**
 * Moves a patient's earlier answers `days` back in time, so the next PHQ-9 or GAD-7 falls outside
 * the two-week recall of the last one (issue 11 §3). For tests that are not about pacing and send
 * several answers; the pacing tests move the clock instead.
 */
export async function ageAnswers(t: TestApp, patientId: string, days = 15): Promise<void> {
  await t.db
    .updateTable('questionnaire_responses')
    .set({ answered_at: sql`answered_at - ${days}::int * interval '1 day'` })
    .where('patient_id', '=', patientId)
    .execute();
}

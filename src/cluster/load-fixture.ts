/**
 * A synthetic practice for load and failover runs (issue 18): GPs and patients with accounts,
 * every patient in the program (active since yesterday, no answers yet) and, when asked, planned
 * follow-ups the GPs can write notes on. Written in bulk straight into the tables; the clients
 * then do everything else through the HTTP API. And a small HTTP client for those runs.
 * Synthetic data only: made-up names, no national ids.
 */
import type { Kysely } from 'kysely';
import { MODULE_CONTENT } from '../content/modules.js';
import type { Database } from '../db/schema.js';
import { hashPassword } from '../server/auth/passwords.js';

export const LOAD_PASSWORD = 'gpdep-last-2026';
const DAY = 86_400_000;

export interface LoadPatient {
  username: string;
  patientId: string;
  gpUserId: string;
}

export interface LoadGp {
  username: string;
  userId: string;
  /** Planned follow-ups on this GP's patients: one note each. */
  followUps: { patientId: string; followUpId: string }[];
}

export interface LoadFixture {
  gps: LoadGp[];
  patients: LoadPatient[];
}

async function inChunks<T, R>(items: T[], size: number, write: (chunk: T[]) => Promise<R[]>): Promise<R[]> {
  const out: R[] = [];
  for (let i = 0; i < items.length; i += size) out.push(...(await write(items.slice(i, i + size))));
  return out;
}

export async function seedLoadFixture(
  db: Kysely<Database>,
  options: { gps: number; patients: number; followUpsPerPatient?: number; prefix?: string; now?: Date }
): Promise<LoadFixture> {
  const now = options.now ?? new Date();
  const prefix = options.prefix ?? 'last';
  const passwordHash = await hashPassword(LOAD_PASSWORD);
  const practice = await db
    .insertInto('practices')
    .values({ name: `Lastpraksis ${prefix} (syntetisk)` })
    .returning('id')
    .executeTakeFirstOrThrow();
  const gpRows = await db
    .insertInto('users')
    .values(
      Array.from({ length: options.gps }, (_, i) => ({
        username: `${prefix}.lege${String(i + 1).padStart(3, '0')}`,
        display_name: `Lastlege ${i + 1} (syntetisk)`,
        role: 'gp' as const,
        password_hash: passwordHash,
        practice_id: practice.id,
      }))
    )
    .returning(['id', 'username'])
    .execute();
  const patientUsers = await inChunks(
    Array.from({ length: options.patients }, (_, i) => i),
    500,
    (chunk) =>
      db
        .insertInto('users')
        .values(
          chunk.map((i) => ({
            username: `${prefix}.pasient${String(i + 1).padStart(4, '0')}`,
            display_name: `Lastpasient ${i + 1} (syntetisk)`,
            role: 'patient' as const,
            password_hash: passwordHash,
          }))
        )
        .returning(['id', 'username'])
        .execute()
  );
  const patientRows = await inChunks(
    patientUsers.map((u, i) => ({ u, i })),
    500,
    (chunk) =>
      db
        .insertInto('patients')
        .values(
          chunk.map(({ u, i }) => ({
            user_id: u.id,
            display_name: `Lastpasient ${i + 1} (syntetisk)`,
            birth_year: 1960 + (i % 40),
            sex: i % 2 ? ('male' as const) : ('female' as const),
            practice_id: practice.id,
          }))
        )
        .returning(['id', 'user_id'])
        .execute()
  );
  const patients: LoadPatient[] = patientRows.map((p, i) => ({
    username: patientUsers[i]!.username,
    patientId: p.id,
    gpUserId: gpRows[i % gpRows.length]!.id,
  }));
  await inChunks(patients, 500, async (chunk) => {
    await db
      .insertInto('gp_list_entries')
      .values(
        chunk.map((p) => ({ gp_user_id: p.gpUserId, patient_id: p.patientId, valid_from: '2020-01-01' }))
      )
      .execute();
    await db
      .insertInto('program_enrolments')
      .values(
        chunk.map((p) => ({
          patient_id: p.patientId,
          status: 'active' as const,
          recommended_by: p.gpUserId,
          recommended_at: new Date(now.getTime() - 2 * DAY),
          started_at: new Date(now.getTime() - DAY),
          baseline_phq9: null,
          baseline_item9: null,
        }))
      )
      .execute();
    return [];
  });
  const perPatient = options.followUpsPerPatient ?? 0;
  const followUpRows =
    perPatient === 0
      ? []
      : await inChunks(
          patients.flatMap((p) => Array.from({ length: perPatient }, (_, k) => ({ p, k }))),
          1000,
          (chunk) =>
            db
              .insertInto('follow_ups')
              .values(
                chunk.map(({ p, k }) => ({
                  patient_id: p.patientId,
                  gp_user_id: p.gpUserId,
                  module_id: null,
                  planned_at: new Date(now.getTime() + (k + 1) * DAY),
                  created_at: now,
                  kind: 'check_in',
                }))
              )
              .returning(['id', 'patient_id', 'gp_user_id'])
              .execute()
        );
  const gps: LoadGp[] = gpRows.map((g) => ({
    username: g.username,
    userId: g.id,
    followUps: followUpRows
      .filter((f) => f.gp_user_id === g.id)
      .map((f) => ({ patientId: f.patient_id, followUpId: f.id })),
  }));
  return { gps, patients };
}

/** A workbook exercise of module 1 with a free-text field, for autosaves. */
export function workbookTarget(): { moduleId: 'm1'; exerciseId: string; fieldId: string } {
  for (const exercise of MODULE_CONTENT.m1.nb.exercises) {
    const field = exercise.fields.find((f) => f.type === 'text' || f.type === 'textarea');
    if (field) return { moduleId: 'm1', exerciseId: exercise.id, fieldId: field.id };
  }
  throw new Error('module 1 has no exercise with a text field');
}

export interface HttpSession {
  cookie: string;
  csrfToken: string;
  patientId: string | null;
}

/**
 * What a browser keeps from a successful login: the session cookie (among the Set-Cookie headers;
 * a device cookie comes too) and the CSRF token.
 */
export async function sessionOf(response: Response): Promise<HttpSession> {
  const cookie =
    response.headers
      .getSetCookie()
      .map((c) => c.split(';')[0]!)
      .find((c) => c.startsWith('__Host-gpdep_session=')) ?? '';
  const body = (await response.json()) as { csrfToken: string; user: { patientId: string | null } };
  return { cookie, csrfToken: body.csrfToken, patientId: body.user.patientId };
}

/** Logs in over HTTP (retrying a few times: the balancer may be between instances). */
export async function httpLogin(
  baseUrl: string,
  username: string,
  password = LOAD_PASSWORD
): Promise<HttpSession> {
  let lastError = '';
  for (let attempt = 0; attempt < 5; attempt += 1) {
    try {
      const response = await fetch(`${baseUrl}/api/auth/login`, {
        method: 'POST',
        headers: { 'content-type': 'application/json', origin: baseUrl },
        body: JSON.stringify({ username, password }),
      });
      if (response.status === 200) {
        return await sessionOf(response);
      }
      lastError = `${response.status} ${await response.text()}`;
    } catch (error) {
      lastError = (error as Error).message;
    }
    await new Promise((r) => setTimeout(r, 200 * (attempt + 1)));
  }
  throw new Error(`login ${username}: ${lastError}`);
}

/** Headers of a state-changing request for a session (cookie, CSRF token, same origin). */
export function writeHeaders(baseUrl: string, session: HttpSession, extra: Record<string, string> = {}) {
  return {
    'content-type': 'application/json',
    cookie: session.cookie,
    'x-csrf-token': session.csrfToken,
    origin: baseUrl,
    ...extra,
  };
}

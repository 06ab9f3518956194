/**
 * Small data factories for integration tests that stand alone (issue 12 §5): each test builds the
 * state it needs at its start or in a `beforeEach`, never from what an earlier `it` left behind.
 *
 * Set-up that is itself API behaviour (answering a PHQ-9, a recommendation, completing a module)
 * goes through the API, so it is checked as a real patient or GP would meet it; set-up that is not
 * what any test is about (an enrolment row, a cleared password) is inserted via `t.db`.
 * Every factory throws with the response body when the API refuses, so a broken set-up fails loudly
 * at the step that broke.
 */
import type { LightMyRequestResponse } from 'fastify';
import { MODULE_CONTENT } from '../../src/content/modules.js';
import { phq9Body, type LoggedIn, type TestApp } from './test-app.js';

export type FixturePatient = 'pA1' | 'pA2' | 'pB' | 'pC';
type Gp = 'gp1' | 'gp2' | 'gp3';

/** `/api/patients/<id>` for a fixture patient. */
export const patientBase = (t: TestApp, patient: FixturePatient): string =>
  `/api/patients/${t.fixture.patientIds[patient]}`;

/** Moves the test clock on, so events have distinct times as they would for a real patient. */
export function tick(t: TestApp, minutes = 1): void {
  t.clock.now = new Date(t.clock.now.getTime() + minutes * 60_000);
}

function expectStatus(response: LightMyRequestResponse, status: number, what: string): void {
  if (response.statusCode !== status)
    throw new Error(`${what}: expected ${status}, got ${response.statusCode} ${response.body}`);
}

/**
 * A program enrolment row, inserted directly (the recommendation itself is tested through the
 * API in followup.int.test.ts). `active` also sets `started_at`.
 */
export async function enrolPatient(
  t: TestApp,
  patient: FixturePatient,
  options: { status?: 'recommended' | 'active' | 'stopped'; recommendedBy?: Gp } = {}
): Promise<void> {
  const status = options.status ?? 'recommended';
  await t.db
    .insertInto('program_enrolments')
    .values({
      patient_id: t.fixture.patientIds[patient],
      status,
      recommended_by: t.fixture.userIds[options.recommendedBy ?? 'gp1'],
      recommended_at: t.clock.now,
      started_at: status === 'recommended' ? null : t.clock.now,
    })
    .execute();
}

/** The patient starts the program through the API (the enrolment must exist). */
export async function startProgram(t: TestApp, as: LoggedIn, patient: FixturePatient): Promise<void> {
  expectStatus(await t.call(as, 'POST', `${patientBase(t, patient)}/program/start`), 200, 'program start');
}

/** A PHQ-9 answered through the API by `as` for `patient`; returns the stored response. */
export async function answerPhq9(
  t: TestApp,
  as: LoggedIn,
  patient: FixturePatient,
  items: number[],
  difficulty?: number | null
): Promise<Record<string, unknown>> {
  const body = difficulty === undefined ? phq9Body(items) : phq9Body(items, difficulty);
  const response = await t.call(as, 'POST', `${patientBase(t, patient)}/phq9`, { body });
  expectStatus(response, 201, 'PHQ-9');
  return response.json();
}

/**
 * The GP's recommendation through the API, which plans the follow-ups (five for guided, three for
 * minimal) and, for a patient without a password, issues an invitation code.
 */
export async function planFollowUps(
  t: TestApp,
  gp: LoggedIn,
  patient: FixturePatient,
  body: { guidanceLevel: 'guided' | 'minimal' | 'self'; decisionNote?: string } = {
    guidanceLevel: 'guided',
    decisionNote: 'Seen today, no plans or intent; safety plan made; follow-up in one week.',
  }
): Promise<{ followUps: { id: string; moduleId: string }[]; invitation: { code: string } | null }> {
  const response = await t.call(gp, 'POST', `${patientBase(t, patient)}/recommendation`, {
    body: { contraindications: [], ...body },
  });
  expectStatus(response, 201, 'recommendation');
  return response.json();
}

/** Clears a fixture patient's password, so a recommendation issues a first-login invitation. */
export async function clearPassword(t: TestApp, patient: FixturePatient): Promise<void> {
  await t.db
    .updateTable('users')
    .set({ password_hash: null })
    .where('id', '=', t.fixture.userIds[patient])
    .execute();
}

/**
 * Completes a module through the API: every lesson seen (`secondsSpent` each), every quiz question
 * answered correctly, with a clock tick before each. Returns the last quiz answer's body.
 */
export async function completeModule(
  t: TestApp,
  as: LoggedIn,
  patient: FixturePatient,
  moduleId: 'm1' | 'm2' | 'm3' | 'm4' | 'm5',
  secondsSpent = 60
): Promise<Record<string, unknown> & { moduleCompleted?: boolean }> {
  const base = `${patientBase(t, patient)}/program/modules/${moduleId}`;
  const content = MODULE_CONTENT[moduleId].nb;
  tick(t);
  for (const lesson of content.lessons)
    expectStatus(
      await t.call(as, 'POST', `${base}/lessons/${lesson.id}/view`, { body: { secondsSpent } }),
      200,
      `lesson ${lesson.id}`
    );
  tick(t);
  let last: LightMyRequestResponse | undefined;
  for (const question of content.quiz) {
    last = await t.call(as, 'POST', `${base}/quiz/${question.id}`, {
      body: { optionId: question.correctOptionId },
    });
    expectStatus(last, 200, `quiz ${question.id}`);
  }
  return last!.json();
}

/**
 * Factories for the patient's questionnaires beside PHQ-9 (issue 12 §5), in the manner of
 * factories.ts: through the API, as the patient answers them, throwing with the response body when
 * the API refuses, so a broken set-up fails at the step that broke.
 */
import { patientBase, type FixturePatient } from './factories.js';
import type { LoggedIn, TestApp } from './test-app.js';

async function post(t: TestApp, as: LoggedIn, url: string, body: unknown, what: string) {
  const response = await t.call(as, 'POST', url, { body });
  if (response.statusCode !== 201)
    throw new Error(`${what}: expected 201, got ${response.statusCode} ${response.body}`);
  return response.json<Record<string, unknown>>();
}

/** A GAD-7 answered through the API; returns the stored measurement. */
export function answerGad7(
  t: TestApp,
  as: LoggedIn,
  patient: FixturePatient,
  items: number[]
): Promise<Record<string, unknown>> {
  return post(t, as, `${patientBase(t, patient)}/gad7`, { items }, 'GAD-7');
}

/** A WSAS with work status answered through the API; returns the stored measurement. */
export function answerWsas(
  t: TestApp,
  as: LoggedIn,
  patient: FixturePatient,
  items: (number | null)[],
  workStatus = 'working'
): Promise<Record<string, unknown>> {
  return post(t, as, `${patientBase(t, patient)}/wsas`, { items, workStatus }, 'WSAS');
}

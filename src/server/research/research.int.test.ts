/**
 * The researcher's platform overview counts PHQ-9 where it says PHQ-9: GAD-7 and WSAS answers are
 * stored in the same table and must not swell the "completed PHQ-9 forms" or the severity bands.
 */
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { ageAnswers, createTestApp, phq9Body, type TestApp } from '../../../test/support/test-app.js';

let t: TestApp;
// An app and a database per test (issue 12 §5).
beforeEach(async () => {
  t = await createTestApp();
});
afterEach(async () => t?.close());

describe('research overview', () => {
  it('counts only PHQ-9 forms as PHQ-9 forms, however many other instruments were answered', async () => {
    // Six patients, each a PHQ-9 then a GAD-7 and a WSAS: 6 PHQ-9 forms (at or above the
    // small-cell threshold of 5, so the total is shown), 18 answers in all.
    const base = async () => {
      const researcher = await t.login('researcher');
      return (await t.call(researcher, 'GET', '/api/research/overview')).json();
    };
    for (let i = 0; i < 6; i += 1) {
      const patient = await t.login(['pA1', 'pA2', 'pB', 'pC'][i % 4]!);
      const id = t.fixture.patientIds[(['pA1', 'pA2', 'pB', 'pC'] as const)[i % 4]!];
      await ageAnswers(t, id); // the next PHQ-9 and GAD-7 fall outside the last ones' recall
      t.clock.now = new Date(t.clock.now.getTime() + 60_000);
      expect(
        (
          await t.call(patient, 'POST', `/api/patients/${id}/phq9`, {
            body: phq9Body([1, 1, 1, 1, 1, 1, 1, 1, 0]),
          })
        ).statusCode
      ).toBe(201);
      t.clock.now = new Date(t.clock.now.getTime() + 60_000);
      await t.call(patient, 'POST', `/api/patients/${id}/gad7`, { body: { items: [1, 1, 1, 1, 1, 1, 1] } });
      t.clock.now = new Date(t.clock.now.getTime() + 60_000);
      await t.call(patient, 'POST', `/api/patients/${id}/wsas`, {
        body: { items: [4, 3, 5, 2, 6], workStatus: 'partly_sick_leave' },
      });
    }
    const all = await t.db.selectFrom('questionnaire_responses').select('instrument').execute();
    expect(all.length).toBe(18);
    const overview = await base();
    expect(overview.totals.responses).toBe(6);
  });
});

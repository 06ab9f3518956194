/**
 * The suitability checklist (issue 11 §4): before recommending, the GP is asked about what the
 * manual lists against self-help (bipolar disorder, psychosis, substance misuse, violence at home,
 * under 18); each item present needs a recorded reason to go ahead, and is stored with the
 * recommendation. A birth year that says the patient may be under 18 cannot be left out, and a
 * PHQ-9 of 15-19 brings advice to see the patient more often.
 */
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { answerPhq9 } from '../../../test/support/factories.js';
import { createTestApp, type LoggedIn, type TestApp } from '../../../test/support/test-app.js';

// A fresh application and database per test, so each test stands alone (issue 12 §5): the tests
// about pB give pB the PHQ-9 they are about themselves.
let t: TestApp;
let gp2: LoggedIn;
beforeEach(async () => {
  t = await createTestApp();
  gp2 = await t.login('gp2');
});
afterEach(async () => t?.close());

/** pB answers a PHQ-9 of 16 (moderately severe, item 9 at 0): no decision needed, more talks advised. */
const phq9Of16 = async () => answerPhq9(t, await t.login('pB'), 'pB', [2, 2, 2, 2, 2, 2, 2, 2, 0], 1);

const url = () => `/api/patients/${t.fixture.patientIds.pB}`;

describe('suitability checklist', () => {
  it('lists the checklist, and advises more frequent talks at PHQ-9 15-19', async () => {
    await phq9Of16();
    const check = (await t.call(gp2, 'GET', `${url()}/recommendation/check`)).json();
    expect(check).toMatchObject({
      level: 'ok',
      advice: ['see_more_often'],
      checklist: ['bipolar', 'psychosis', 'substance_misuse', 'violence_at_home', 'under_18'],
      knownPresent: [],
    });
  });

  it('needs a reason to go ahead for every item present, naming the field, and stores them', async () => {
    await phq9Of16();
    const missing = await t.call(gp2, 'POST', `${url()}/recommendation`, {
      body: {
        guidanceLevel: 'guided',
        contraindications: [
          { item: 'substance_misuse', reasonToProceed: '' },
          { item: 'bipolar', reasonToProceed: 'Euthymic for years; psychiatrist agrees.' },
        ],
      },
    });
    expect(missing.statusCode).toBe(400);
    expect(missing.json().errors).toEqual([
      {
        field: 'contraindications[0].reasonToProceed',
        reason: 'is required: record why the program is still the right step',
      },
    ]);
    const notAsked = await t.call(gp2, 'POST', `${url()}/recommendation`, {
      body: { guidanceLevel: 'guided' },
    });
    expect(notAsked.statusCode).toBe(400);
    expect(notAsked.json().errors[0].field).toBe('contraindications');
    // Nothing was recorded by the refused attempts.
    expect(
      await t.db
        .selectFrom('program_enrolments')
        .selectAll()
        .where('patient_id', '=', t.fixture.patientIds.pB)
        .execute()
    ).toEqual([]);

    const ok = await t.call(gp2, 'POST', `${url()}/recommendation`, {
      body: {
        guidanceLevel: 'guided',
        contraindications: [
          {
            item: 'substance_misuse',
            reasonToProceed: 'Cut down; agreed to talk about alcohol at each follow-up.',
          },
        ],
      },
    });
    expect(ok.statusCode).toBe(201);
    const stored = await t.db
      .selectFrom('program_enrolments')
      .select('contraindications')
      .where('patient_id', '=', t.fixture.patientIds.pB)
      .executeTakeFirstOrThrow();
    expect(stored.contraindications).toEqual([
      {
        item: 'substance_misuse',
        reasonToProceed: 'Cut down; agreed to talk about alcohol at each follow-up.',
      },
    ]);
  });

  it('does not let a patient who may be under 18 pass unasked', async () => {
    const gp1 = await t.login('gp1');
    const pA2 = t.fixture.patientIds.pA2;
    await t.db
      .updateTable('patients')
      .set({ birth_year: t.clock.now.getUTCFullYear() - 17 })
      .where('id', '=', pA2)
      .execute();
    const check = (await t.call(gp1, 'GET', `/api/patients/${pA2}/recommendation/check`)).json();
    expect(check.knownPresent).toEqual(['under_18']);
    const refused = await t.call(gp1, 'POST', `/api/patients/${pA2}/recommendation`, {
      body: { guidanceLevel: 'guided', contraindications: [] },
    });
    expect(refused.statusCode).toBe(400);
    expect(refused.json().errors).toEqual([
      {
        field: 'contraindications',
        reason: 'must include under_18: the birth year shows the patient may be under 18',
      },
    ]);
  });
});

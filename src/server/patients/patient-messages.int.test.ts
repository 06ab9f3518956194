/**
 * A patient's message stays in front of the GP until a GP has read it (issue 11 §5): on the
 * worklist with its age, and in the list of messages, until a GP marks it read. Opening pages
 * does not mark anything read.
 */
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { createTestApp, phq9Body, type TestApp } from '../../../test/support/test-app.js';

let t: TestApp;
// An app and a database per test (issue 12 §5).
beforeEach(async () => {
  t = await createTestApp();
});
afterEach(async () => t?.close());

describe("the patient's message", () => {
  it('stays on the worklist until a GP marks it read, and only a GP with access can', async () => {
    const patientId = t.fixture.patientIds.pA1;
    const patient = await t.login('pA1');
    const sent = await t.call(patient, 'POST', `/api/patients/${patientId}/phq9`, {
      body: { ...phq9Body([1, 1, 1, 1, 0, 0, 0, 0, 0]), note: 'Can we talk about sleep next time?' },
    });
    expect(sent.statusCode).toBe(201);
    // A later questionnaire without a message does not push it away.
    t.clock.now = new Date(t.clock.now.getTime() + 60_000);
    await t.call(patient, 'POST', `/api/patients/${patientId}/gad7`, {
      body: { items: [1, 1, 1, 1, 1, 1, 1] },
    });

    const gp = await t.login('gp1');
    const onWorklist = async () =>
      (
        (await t.call(gp, 'GET', '/api/gp/worklist')).json().attention as {
          patientId: string;
          reason: string;
        }[]
      ).filter((i) => i.patientId === patientId && i.reason === 'patient_message');
    expect(await onWorklist()).toHaveLength(1);
    const list = (await t.call(gp, 'GET', `/api/patients/${patientId}/patient-messages`)).json().items;
    expect(list).toMatchObject([
      { text: 'Can we talk about sleep next time?', readAt: null, instrument: 'phq9' },
    ]);
    // Reading the list is not marking it read.
    expect(await onWorklist()).toHaveLength(1);

    // Another GP without access, and someone else's response id, get the same 404.
    const gp3 = await t.login('gp3');
    expect(
      (await t.call(gp3, 'POST', `/api/patients/${patientId}/patient-messages/${list[0].responseId}/read`))
        .statusCode
    ).toBe(404);
    expect(
      (
        await t.call(
          gp,
          'POST',
          `/api/patients/${t.fixture.patientIds.pA2}/patient-messages/${list[0].responseId}/read`
        )
      ).statusCode
    ).toBe(404);

    const read = await t.call(
      gp,
      'POST',
      `/api/patients/${patientId}/patient-messages/${list[0].responseId}/read`
    );
    expect(read.statusCode).toBe(200);
    expect(read.json()).toMatchObject({ readAt: t.clock.now.toISOString(), readByName: expect.any(String) });
    expect(await onWorklist()).toHaveLength(0);
    expect(
      (await t.call(gp, 'POST', `/api/patients/${patientId}/patient-messages/${list[0].responseId}/read`))
        .statusCode
    ).toBe(404);
  });
});

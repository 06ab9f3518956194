/**
 * A follow-up held earlier than planned is listed when it was held (issue 11 §5): the plan is in
 * the order things happened, and the held talk carries its held time for the screens to show.
 */
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { createTestApp, type TestApp } from '../../../test/support/test-app.js';

// A fresh application and database per test, so each test stands alone (issue 12 §5).
let t: TestApp;
beforeEach(async () => {
  t = await createTestApp();
});
afterEach(async () => t?.close());

describe('a follow-up held early', () => {
  it('sorts by when it was held and says so', async () => {
    const patientId = t.fixture.patientIds.pA1;
    const day = 86_400_000;
    const now = t.clock.now.getTime();
    const [soon, later] = await t.db
      .insertInto('follow_ups')
      .values([
        {
          patient_id: patientId,
          gp_user_id: t.fixture.userIds.gp1,
          module_id: 'm1',
          planned_at: new Date(now + 3 * day),
          created_at: t.clock.now,
        },
        {
          patient_id: patientId,
          gp_user_id: t.fixture.userIds.gp1,
          module_id: 'm2',
          planned_at: new Date(now + 10 * day),
          created_at: t.clock.now,
        },
      ])
      .returning('id')
      .execute();
    const gp = await t.login('gp1');
    const note = await t.call(gp, 'POST', `/api/patients/${patientId}/follow-ups/${later!.id}/note`, {
      body: {
        discussed: 'Held early: the patient called in',
        plan: 'Continue',
        nextStep: 'Module 2',
        mode: 'phone',
        durationMinutes: 15,
        sickLeave: { status: 'none', percent: null, from: null, to: null },
        feeCodes: [],
        language: 'en',
      },
    });
    expect(note.statusCode).toBe(201);
    const items = (await t.call(gp, 'GET', `/api/patients/${patientId}/follow-ups`)).json().items as {
      id: string;
      heldAt: string | null;
    }[];
    expect(items.map((i) => i.id)).toEqual([later!.id, soon!.id]);
    expect(items[0]!.heldAt).toBe(t.clock.now.toISOString());
  });
});

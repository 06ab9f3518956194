/**
 * The card and the note never say "after module 2" for a patient who finished only module 1
 * (issue 11 §5): both name the module the patient has completed (domain moduleOfTalk).
 */
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { createTestApp, type TestApp } from '../../../test/support/test-app.js';

// A fresh application and database per test, so each test stands alone (issue 12 §5).
let t: TestApp;
beforeEach(async () => {
  t = await createTestApp();
});
afterEach(async () => t?.close());

describe('the module a talk is about', () => {
  it('is module 1 on the card and in the note when only module 1 is done, though the talk was planned after module 2', async () => {
    const patientId = t.fixture.patientIds.pA1;
    await t.db
      .insertInto('program_enrolments')
      .values({
        patient_id: patientId,
        status: 'active',
        recommended_by: t.fixture.userIds.gp1,
        recommended_at: new Date(t.clock.now.getTime() - 30 * 86_400_000),
        started_at: new Date(t.clock.now.getTime() - 29 * 86_400_000),
        modules_completed: 1,
      })
      .execute();
    await t.db
      .insertInto('module_progress')
      .values({
        patient_id: patientId,
        module_id: 'm1',
        started_at: new Date(t.clock.now.getTime() - 29 * 86_400_000),
        lessons_viewed: JSON.stringify([]),
        completed_at: new Date(t.clock.now.getTime() - 20 * 86_400_000),
      })
      .execute();
    const followUp = await t.db
      .insertInto('follow_ups')
      .values({
        patient_id: patientId,
        gp_user_id: t.fixture.userIds.gp1,
        module_id: 'm2',
        planned_at: t.clock.now,
        created_at: t.clock.now,
      })
      .returning('id')
      .executeTakeFirstOrThrow();
    const gp = await t.login('gp1');
    const card = (
      await t.call(gp, 'GET', `/api/patients/${patientId}/follow-ups/${followUp.id}/card?lang=nb`)
    ).json();
    expect(card.module).toMatchObject({ id: 'm1', number: 1, completedByPatient: true });
    const note = await t.call(gp, 'POST', `/api/patients/${patientId}/follow-ups/${followUp.id}/note`, {
      body: {
        discussed: 'x',
        plan: 'y',
        nextStep: 'z',
        mode: 'in_person',
        durationMinutes: 20,
        sickLeave: { status: 'none', percent: null, from: null, to: null },
        feeCodes: [],
        language: 'nb',
      },
    });
    expect(note.statusCode).toBe(201);
    expect(note.json().noteText).toContain('etter modul 1 (');
    expect(note.json().noteText).not.toContain('modul 2');
  });
});

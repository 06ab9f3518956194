/**
 * One baseline, one verdict (issue 11 §2): for a patient whose recorded baseline (the PHQ-9 at the
 * recommendation) differs from the PHQ-9 just before the start, the worklist, the follow-up card,
 * the consultation note and the caseload all use the same baseline and the same treat-to-target
 * verdict (domain/followup/treat-to-target.ts). Before, the card and note used the recorded
 * baseline and the worklist the PHQ-9 before the start, so they disagreed for exactly this patient.
 */
import { randomUUID } from 'node:crypto';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { PHQ9_VERSION } from '../../domain/instruments/phq9.js';
import { createTestApp, type TestApp } from '../../../test/support/test-app.js';

// A fresh application and database per test, so each test stands alone (issue 12 §5).
let t: TestApp;
beforeEach(async () => {
  t = await createTestApp();
});
afterEach(async () => t?.close());

const DAY = 86_400_000;

describe('treat to target agrees on every screen', () => {
  it('uses the PHQ-9 before the start as baseline on the worklist, card, note and caseload alike', async () => {
    const patientId = t.fixture.patientIds.pA1;
    const now = t.clock.now.getTime();
    const startedAt = new Date(now - 63 * DAY);
    await t.db
      .insertInto('program_enrolments')
      .values({
        patient_id: patientId,
        status: 'active',
        recommended_by: t.fixture.userIds.gp1,
        recommended_at: new Date(now - 70 * DAY),
        started_at: startedAt,
        modules_completed: 3,
        guidance_level: 'guided',
        baseline_phq9: 20, // recorded at the recommendation, a week before the start
        baseline_item9: 0,
      })
      .execute();
    // 20 at the recommendation, 16 just before the start, then 15 and 14: 12.5% better at week 8.
    for (const [daysAgo, total] of [
      [70, 20],
      [63.1, 16],
      [30, 15],
      [2, 14],
    ] as const) {
      const items = Array.from({ length: 9 }, (_, i) =>
        i < total % 9 ? Math.ceil(total / 9) : Math.floor(total / 9)
      );
      const sum = items.reduce((a, b) => a + b, 0);
      items[0]! += total - sum;
      await t.db
        .insertInto('questionnaire_responses')
        .values({
          id: randomUUID(),
          patient_id: patientId,
          instrument: 'phq9',
          instrument_version: PHQ9_VERSION,
          answered_at: new Date(now - daysAgo * DAY),
          submitted_by: t.fixture.userIds.pA1,
          item_scores: JSON.stringify(items),
          difficulty: 1,
          total_score: total,
          severity: 'moderate',
          item9_score: 0,
          fhir_resource: JSON.stringify({ resourceType: 'QuestionnaireResponse' }),
          idempotency_key: null,
        })
        .execute();
    }
    const followUp = await t.db
      .insertInto('follow_ups')
      .values({
        patient_id: patientId,
        gp_user_id: t.fixture.userIds.gp1,
        module_id: 'm3',
        planned_at: new Date(now + DAY),
        created_at: new Date(now - 70 * DAY),
      })
      .returning('id')
      .executeTakeFirstOrThrow();
    const gp = await t.login('gp1');

    const worklist = (await t.call(gp, 'GET', '/api/gp/worklist')).json();
    const flagged = JSON.stringify(worklist);
    expect(flagged).toContain('under_50_percent_8w');
    const item = (
      worklist.attention as { patientId: string; reason: string; detail: Record<string, number> }[]
    ).find((i) => i.patientId === patientId && i.reason === 'under_50_percent_8w');
    expect(item?.detail).toMatchObject({ baseline: 16, latest: 14 });

    const card = (
      await t.call(gp, 'GET', `/api/patients/${patientId}/follow-ups/${followUp.id}/card`)
    ).json();
    expect(card.scores.baselinePhq9).toBe(16);
    expect(card.scores.changeSinceBaseline).toBe(-2);
    expect(card.scores.target).toEqual({ checkpoint: 8, signal: true, improvementPercent: 13 });

    const caseload = (await t.call(gp, 'GET', '/api/gp/caseload')).json();
    expect(caseload.meanPhq9Change).toBe(-2);

    const note = await t.call(gp, 'POST', `/api/patients/${patientId}/follow-ups/${followUp.id}/note`, {
      body: {
        discussed: 'Sleep and mornings',
        plan: 'Module 4',
        nextStep: 'Activity plan',
        mode: 'in_person',
        durationMinutes: 20,
        sickLeave: { status: 'none', percent: null, from: null, to: null },
        feeCodes: [],
        language: 'nb',
      },
    });
    expect(note.statusCode).toBe(201);
    expect(note.json().noteText).toContain('ved start 16');
  });
});

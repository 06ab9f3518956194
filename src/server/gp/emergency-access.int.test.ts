/**
 * Breaking the glass (issue 16): a GP of the patient's practice opens a patient outside the care
 * relation, after a fresh re-authentication, with a reason and a note; it gives what a treating GP
 * has (not what belongs to the list GP), for two hours, audited with its basis, on the patient's
 * own access log; a GP of another practice, a stale session, a bad person number or an empty note
 * get nothing.
 */
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { patientBase, tick } from '../../../test/support/factories.js';
import { createTestApp, type TestApp } from '../../../test/support/test-app.js';
import { EMERGENCY_ACCESS_HOURS } from '../../domain/access/emergency-access.js';
import { STEP_UP_PROBLEM_TYPE } from '../../domain/access/step-up.js';

let t: TestApp;
beforeEach(async () => {
  t = await createTestApp();
});
afterEach(async () => t.close());

async function personNumber(patient: 'pA1' | 'pC'): Promise<string> {
  const row = await t.db
    .selectFrom('patients')
    .select('national_id')
    .where('id', '=', t.fixture.patientIds[patient])
    .executeTakeFirstOrThrow();
  return row.national_id!;
}

const body = async (patient: 'pA1' | 'pC' = 'pA1') => ({
  personNumber: await personNumber(patient),
  reason: 'acute_contact',
  note: 'Pasienten ringte i krise; fastlegen er bortreist uten stedfortreder.',
});

describe('breaking the glass', () => {
  it('opens a patient of the practice for two hours, as a treating GP, audited and shown to the patient', async () => {
    // gp2 is in pA1's practice, but pA1 is gp1's patient.
    const gp2 = await t.login('gp2');
    expect((await t.call(gp2, 'GET', patientBase(t, 'pA1'))).statusCode).toBe(404);
    const opened = await t.call(gp2, 'POST', '/api/gp/emergency-access', { body: await body() });
    expect(opened.statusCode, opened.body).toBe(201);
    expect(opened.json()).toMatchObject({ patientId: t.fixture.patientIds.pA1 });
    expect(new Date(opened.json().endsAt).getTime() - t.clock.now.getTime()).toBe(
      EMERGENCY_ACCESS_HOURS * 3600_000
    );

    expect((await t.call(gp2, 'GET', patientBase(t, 'pA1'))).statusCode).toBe(200);
    // What belongs to the list GP alone stays theirs.
    const recommend = await t.call(gp2, 'POST', `${patientBase(t, 'pA1')}/recommendation`, {
      body: { guidanceLevel: 'guided', contraindications: [] },
    });
    expect(recommend.statusCode).toBe(404);

    const lines = await t.db
      .selectFrom('audit_events')
      .select(['action', 'access_basis', 'data_category', 'actor_user_id'])
      .where('patient_id', '=', t.fixture.patientIds.pA1)
      .where('access_basis', '=', 'emergency_access')
      .orderBy('seq')
      .execute();
    expect(lines[0]).toEqual({
      action: 'access',
      access_basis: 'emergency_access',
      data_category: 'emergency access: acute_contact',
      actor_user_id: t.fixture.userIds.gp2,
    });
    expect(lines.length).toBeGreaterThan(1); // the read of the patient page, on the same basis

    // The patient sees it (with the reason, never the note).
    const patient = await t.login('pA1');
    const log = await t.call(patient, 'GET', `${patientBase(t, 'pA1')}/access-log`);
    expect(log.statusCode).toBe(200);
    expect(log.body).toContain('emergency_access');
    expect(log.body).not.toContain('krise');

    // Two hours on it has ended by itself.
    t.clock.now = new Date(t.clock.now.getTime() + EMERGENCY_ACCESS_HOURS * 3600_000 + 1000);
    const later = await t.login('gp2');
    expect((await t.call(later, 'GET', patientBase(t, 'pA1'))).statusCode).toBe(404);
  });

  it('asks for a fresh re-authentication first, and keeps nothing without it', async () => {
    const gp2 = await t.login('gp2');
    tick(t, 11);
    const stale = await t.call(gp2, 'POST', '/api/gp/emergency-access', { body: await body() });
    expect(stale.statusCode).toBe(403);
    expect(stale.json().type).toBe(STEP_UP_PROBLEM_TYPE);
    expect(await t.db.selectFrom('emergency_accesses').selectAll().execute()).toEqual([]);
    expect((await t.call(gp2, 'GET', patientBase(t, 'pA1'))).statusCode).toBe(404);
  });

  it('gives a GP of another practice, a patient, a bad number and an empty note nothing', async () => {
    const gp3 = await t.login('gp3');
    const elsewhere = await t.call(gp3, 'POST', '/api/gp/emergency-access', { body: await body() });
    expect(elsewhere.statusCode).toBe(404);
    const gp2 = await t.login('gp2');
    // pC is in practice B: the same 404 as a number nobody has.
    expect(
      (await t.call(gp2, 'POST', '/api/gp/emergency-access', { body: await body('pC') })).statusCode
    ).toBe(404);
    const wrongDigit = { ...(await body()), personNumber: '01018012345' };
    const bad = await t.call(gp2, 'POST', '/api/gp/emergency-access', { body: wrongDigit });
    expect(bad.statusCode).toBe(400);
    expect(bad.json().errors[0].field).toBe('personNumber');
    const empty = await t.call(gp2, 'POST', '/api/gp/emergency-access', {
      body: { ...(await body()), note: '          .' },
    });
    expect(empty.statusCode).toBe(400);
    expect(empty.json().detail).toContain('note');
    const patient = await t.login('pA1');
    expect(
      (await t.call(patient, 'POST', '/api/gp/emergency-access', { body: await body() })).statusCode
    ).toBe(403);
    expect(await t.db.selectFrom('emergency_accesses').selectAll().execute()).toEqual([]);
  });
});

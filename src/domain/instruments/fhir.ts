/**
 * FHIR R4 mapping shared by the instruments: a QuestionnaireResponse with LOINC-coded (or locally
 * coded) items and answers, and the total score as an Observation derived from it.
 */
import type { Coding, Observation, QuestionnaireResponse, QuestionnaireResponseItem } from 'fhir/r4.js';

export const LOINC = 'http://loinc.org';

export interface ScoreCode {
  system: string;
  code: string;
  display: string;
}

export function questionnaireResponse(args: {
  id: string;
  patientId: string;
  authoredAt: Date;
  questionnaire: string;
  panel?: Coding;
  items: QuestionnaireResponseItem[];
}): QuestionnaireResponse {
  return {
    resourceType: 'QuestionnaireResponse',
    id: args.id,
    questionnaire: args.questionnaire,
    status: 'completed',
    subject: { reference: `Patient/${args.patientId}` },
    authored: args.authoredAt.toISOString(),
    ...(args.panel ? { meta: { tag: [args.panel] } } : {}),
    item: args.items,
  };
}

export function totalScoreObservation(args: {
  responseId: string;
  patientId: string;
  effectiveAt: Date;
  code: ScoreCode;
  total: number;
  interpretation: string;
}): Observation {
  return {
    resourceType: 'Observation',
    status: 'final',
    category: [
      { coding: [{ system: 'http://terminology.hl7.org/CodeSystem/observation-category', code: 'survey' }] },
    ],
    code: { coding: [args.code] },
    subject: { reference: `Patient/${args.patientId}` },
    effectiveDateTime: args.effectiveAt.toISOString(),
    valueQuantity: {
      value: args.total,
      system: 'http://unitsofmeasure.org',
      code: '{score}',
      unit: '{score}',
    },
    interpretation: [{ text: args.interpretation }],
    derivedFrom: [{ reference: `QuestionnaireResponse/${args.responseId}` }],
  };
}

/**
 * FHIR R4 mapping shared by the instruments: a QuestionnaireResponse with LOINC-coded (or locally
 * coded) items and answers, and the total score as an Observation derived from it.
 */
import type { Observation, QuestionnaireResponse, QuestionnaireResponseItem } from 'fhir/r4.js';

export const LOINC = 'http://loinc.org';
/** The platform's code system for score bands (minimal, mild, … ; subclinical, significant, severe). */
export const SCORE_BAND_SYSTEM = 'https://gp-dep.example/fhir/CodeSystem/score-band';

export interface ScoreCode {
  system: string;
  code: string;
  display: string;
}

export function questionnaireResponse(args: {
  id: string;
  patientId: string;
  authoredAt: Date;
  /** `canonical|version` of the published Questionnaire (questionnaires.ts). */
  questionnaire: string;
  items: QuestionnaireResponseItem[];
}): QuestionnaireResponse {
  return {
    resourceType: 'QuestionnaireResponse',
    id: args.id,
    questionnaire: args.questionnaire,
    status: 'completed',
    subject: { reference: `Patient/${args.patientId}` },
    // The patient answered on their own device: they are both the author and the source.
    author: { reference: `Patient/${args.patientId}` },
    source: { reference: `Patient/${args.patientId}` },
    authored: args.authoredAt.toISOString(),
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
    performer: [{ reference: `Patient/${args.patientId}` }],
    effectiveDateTime: args.effectiveAt.toISOString(),
    valueQuantity: {
      value: args.total,
      system: 'http://unitsofmeasure.org',
      code: '{score}',
      unit: '{score}',
    },
    // A coded band (the instrument's published cut-offs), not only text.
    interpretation: [
      {
        coding: [{ system: SCORE_BAND_SYSTEM, code: args.interpretation }],
        text: args.interpretation,
      },
    ],
    derivedFrom: [{ reference: `QuestionnaireResponse/${args.responseId}` }],
  };
}

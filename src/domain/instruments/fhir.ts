/**
 * FHIR R4 mapping shared by the instruments: a QuestionnaireResponse with LOINC-coded (or locally
 * coded) items and answers, and the total score as an Observation derived from it.
 *
 * Observation ids are derived from the response id (`<responseId>-total`, `<responseId>-item9`;
 * see observationId), so the Observations stored with one response reference each other by
 * relative reference (`Observation/<id>`) and a reference always resolves inside that set.
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

/** The parts of a response recorded as their own Observation. */
export type ObservationPart = 'total' | 'item9';

/**
 * The stable id of a response's Observation: the response id (a UUID) plus the part, e.g.
 * `3f…-item9` (within FHIR's id rule `[A-Za-z0-9\-\.]{1,64}`). Stable, so rebuilding the
 * Observations of a stored response gives the same ids and the same references.
 */
export function observationId(responseId: string, part: ObservationPart): string {
  return `${responseId}-${part}`;
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
    id: observationId(args.responseId, 'total'),
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

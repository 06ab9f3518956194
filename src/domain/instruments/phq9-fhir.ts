/**
 * PHQ-9 as FHIR R4: a QuestionnaireResponse with LOINC-coded items and answers, and the total score
 * as an Observation (LOINC 44261-6, valueQuantity in {score}) derived from it. See icbt-anchors §6.
 */
import type { Observation, QuestionnaireResponse } from 'fhir/r4.js';
import {
  PHQ9_DIFFICULTY_LOINC,
  PHQ9_DIFFICULTY_OPTIONS,
  PHQ9_FREQUENCY_OPTIONS,
  PHQ9_ITEMS,
  PHQ9_PANEL_LOINC,
  PHQ9_TOTAL_LOINC,
  PHQ9_VERSION,
  type Phq9Answers,
  type Phq9Score,
} from './phq9.js';

const LOINC = 'http://loinc.org';
export const PHQ9_QUESTIONNAIRE_URL = `https://gp-dep.example/fhir/Questionnaire/phq9|${PHQ9_VERSION}`;

function answerCoding(options: typeof PHQ9_FREQUENCY_OPTIONS, score: number) {
  const option = options.find((o) => o.score === score);
  if (!option) throw new RangeError(`No answer option with score ${score}`);
  return { system: LOINC, code: option.loinc, display: option.text.en };
}

export function phq9QuestionnaireResponse(args: {
  id: string;
  patientId: string;
  authoredAt: Date;
  answers: Phq9Answers;
  score: Phq9Score;
}): QuestionnaireResponse {
  const items: NonNullable<QuestionnaireResponse['item']> = PHQ9_ITEMS.map((item, index) => ({
    linkId: item.linkId,
    definition: `${LOINC}/${item.loinc}`,
    text: item.text.en,
    answer: [{ valueCoding: answerCoding(PHQ9_FREQUENCY_OPTIONS, args.answers.items[index] as number) }],
  }));
  if (args.answers.difficulty !== null) {
    items.push({
      linkId: 'phq9-10',
      definition: `${LOINC}/${PHQ9_DIFFICULTY_LOINC}`,
      answer: [{ valueCoding: answerCoding(PHQ9_DIFFICULTY_OPTIONS, args.answers.difficulty) }],
    });
  }
  items.push({
    linkId: 'phq9-total',
    definition: `${LOINC}/${PHQ9_TOTAL_LOINC}`,
    answer: [{ valueInteger: args.score.total }],
  });
  return {
    resourceType: 'QuestionnaireResponse',
    id: args.id,
    questionnaire: PHQ9_QUESTIONNAIRE_URL,
    status: 'completed',
    subject: { reference: `Patient/${args.patientId}` },
    authored: args.authoredAt.toISOString(),
    meta: { tag: [{ system: LOINC, code: PHQ9_PANEL_LOINC }] },
    item: items,
  };
}

export function phq9TotalObservation(args: {
  responseId: string;
  patientId: string;
  effectiveAt: Date;
  score: Phq9Score;
}): Observation {
  return {
    resourceType: 'Observation',
    status: 'final',
    category: [
      {
        coding: [{ system: 'http://terminology.hl7.org/CodeSystem/observation-category', code: 'survey' }],
      },
    ],
    code: {
      coding: [
        {
          system: LOINC,
          code: PHQ9_TOTAL_LOINC,
          display: 'Patient Health Questionnaire 9 item (PHQ-9) total score [Reported]',
        },
      ],
    },
    subject: { reference: `Patient/${args.patientId}` },
    effectiveDateTime: args.effectiveAt.toISOString(),
    valueQuantity: {
      value: args.score.total,
      system: 'http://unitsofmeasure.org',
      code: '{score}',
      unit: '{score}',
    },
    interpretation: [{ text: args.score.severity }],
    derivedFrom: [{ reference: `QuestionnaireResponse/${args.responseId}` }],
  };
}

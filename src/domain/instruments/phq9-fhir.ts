/**
 * PHQ-9, GAD-7 and WSAS as FHIR R4: each response a QuestionnaireResponse, each total an
 * Observation (PHQ-9 44261-6, GAD-7 70274-6, WSAS a local code) derived from it. See icbt-anchors §6.
 * PHQ-9 item 9 is also its own Observation (44260-8), a member (`hasMember`) of the PHQ-9 total,
 * which thereby is the panel (issue 11 §7). responseObservations gives the set stored with a response.
 */
import type { Observation, QuestionnaireResponse } from 'fhir/r4.js';
import { GAD7_ITEMS, GAD7_OPTIONS, GAD7_TOTAL_LOINC, GAD7_VERSION } from './gad7.js';
import { LOINC, observationId, questionnaireResponse, totalScoreObservation } from './fhir.js';
import {
  PHQ9_DIFFICULTY_LOINC,
  PHQ9_DIFFICULTY_OPTIONS,
  PHQ9_FREQUENCY_OPTIONS,
  PHQ9_ITEMS,
  PHQ9_TOTAL_LOINC,
  PHQ9_VERSION,
  type AnswerOption,
  type Phq9Answers,
  type Phq9Score,
} from './phq9.js';
import { WSAS_CODE_SYSTEM, WSAS_ITEMS, WSAS_VERSION, type WsasAnswers } from './wsas.js';

/** `canonical|version` of the published Questionnaires (questionnaires.ts). */
export const PHQ9_QUESTIONNAIRE_URL = `https://gp-dep.example/fhir/Questionnaire/phq9|${PHQ9_VERSION}`;
export const GAD7_QUESTIONNAIRE_URL = `https://gp-dep.example/fhir/Questionnaire/gad7|${GAD7_VERSION}`;
export const WSAS_QUESTIONNAIRE_URL = `https://gp-dep.example/fhir/Questionnaire/wsas|${WSAS_VERSION}`;

function answerCoding(options: readonly AnswerOption[], score: number) {
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
  return questionnaireResponse({
    id: args.id,
    patientId: args.patientId,
    authoredAt: args.authoredAt,
    questionnaire: PHQ9_QUESTIONNAIRE_URL,
    items,
  });
}

export function phq9TotalObservation(args: {
  responseId: string;
  patientId: string;
  effectiveAt: Date;
  score: Phq9Score;
}): Observation {
  return totalScoreObservation({
    ...args,
    code: {
      system: LOINC,
      code: PHQ9_TOTAL_LOINC,
      display: 'Patient Health Questionnaire 9 item (PHQ-9) total score [Reported]',
    },
    total: args.score.total,
    interpretation: args.score.severity,
  });
}

/** PHQ-9 item 9 (linkId phq9-9, LOINC 44260-8) in phq9.ts. */
const PHQ9_ITEM9 = PHQ9_ITEMS.find((item) => item.linkId === 'phq9-9')!;
export const PHQ9_ITEM9_LOINC = PHQ9_ITEM9.loinc;

/**
 * PHQ-9 item 9 as its own Observation: the patient's answer as its LOINC answer code (LL358-3),
 * with the subject, effective time, performer and derivedFrom of the total it belongs to.
 * Recorded as the answer only: no `interpretation` and no risk grade. The product never grades
 * suicide risk; a positive answer opens an urgent case for the GP instead (docs/urgent-cases.md).
 */
export function phq9Item9Observation(args: {
  total: Observation;
  responseId: string;
  item9Score: number;
}): Observation {
  const { total } = args;
  return {
    resourceType: 'Observation',
    id: observationId(args.responseId, 'item9'),
    status: 'final',
    ...(total.category ? { category: total.category } : {}),
    code: { coding: [{ system: LOINC, code: PHQ9_ITEM9.loinc, display: PHQ9_ITEM9.text.en }] },
    ...(total.subject ? { subject: total.subject } : {}),
    ...(total.performer ? { performer: total.performer } : {}),
    ...(total.effectiveDateTime ? { effectiveDateTime: total.effectiveDateTime } : {}),
    valueCodeableConcept: { coding: [answerCoding(PHQ9_FREQUENCY_OPTIONS, args.item9Score)] },
    ...(total.derivedFrom ? { derivedFrom: total.derivedFrom } : {}),
  };
}

/**
 * A PHQ-9 response's Observations, the panel first: the total (44261-6) with `hasMember`
 * referencing the item-9 Observation of the same response (`Observation/<responseId>-item9`),
 * then that Observation. Built from the total, so both share subject, time, performer and source.
 */
export function phq9PanelWithItem9(
  total: Observation,
  args: { responseId: string; item9Score: number }
): [Observation, Observation] {
  const item9 = phq9Item9Observation({ total, ...args });
  const panel: Observation = {
    ...total,
    id: observationId(args.responseId, 'total'),
    hasMember: [{ reference: `Observation/${item9.id}` }],
  };
  return [panel, item9];
}

export function phq9Observations(args: {
  responseId: string;
  patientId: string;
  effectiveAt: Date;
  score: Phq9Score;
}): [Observation, Observation] {
  return phq9PanelWithItem9(phq9TotalObservation(args), {
    responseId: args.responseId,
    item9Score: args.score.item9Score,
  });
}

export function gad7QuestionnaireResponse(args: {
  id: string;
  patientId: string;
  authoredAt: Date;
  items: readonly number[];
  total: number;
}): QuestionnaireResponse {
  return questionnaireResponse({
    id: args.id,
    patientId: args.patientId,
    authoredAt: args.authoredAt,
    questionnaire: GAD7_QUESTIONNAIRE_URL,
    items: [
      ...GAD7_ITEMS.map((item, index) => ({
        linkId: item.linkId,
        definition: `${LOINC}/${item.loinc}`,
        text: item.text.en,
        answer: [{ valueCoding: answerCoding(GAD7_OPTIONS, args.items[index] as number) }],
      })),
      {
        linkId: 'gad7-total',
        definition: `${LOINC}/${GAD7_TOTAL_LOINC}`,
        answer: [{ valueInteger: args.total }],
      },
    ],
  });
}

export function gad7TotalObservation(args: {
  responseId: string;
  patientId: string;
  effectiveAt: Date;
  total: number;
  severity: string;
}): Observation {
  return totalScoreObservation({
    ...args,
    code: {
      system: LOINC,
      code: GAD7_TOTAL_LOINC,
      display: 'Generalized anxiety disorder 7 item (GAD-7) total score [Reported.PHQ]',
    },
    interpretation: args.severity,
  });
}

export function wsasQuestionnaireResponse(args: {
  id: string;
  patientId: string;
  authoredAt: Date;
  answers: WsasAnswers;
  total: number;
}): QuestionnaireResponse {
  return questionnaireResponse({
    id: args.id,
    patientId: args.patientId,
    authoredAt: args.authoredAt,
    questionnaire: WSAS_QUESTIONNAIRE_URL,
    items: [
      ...WSAS_ITEMS.map((item, index) => {
        const value = args.answers.items[index];
        return {
          linkId: item.linkId,
          definition: `${WSAS_CODE_SYSTEM}#${item.loinc}`,
          text: item.text.en,
          ...(value === null || value === undefined ? {} : { answer: [{ valueInteger: value }] }),
        };
      }),
      {
        linkId: 'work-status',
        answer: [
          { valueCoding: { system: `${WSAS_CODE_SYSTEM}-work-status`, code: args.answers.workStatus } },
        ],
      },
      { linkId: 'wsas-total', answer: [{ valueInteger: args.total }] },
    ],
  });
}

export function wsasTotalObservation(args: {
  responseId: string;
  patientId: string;
  effectiveAt: Date;
  total: number;
  band: string;
}): Observation {
  return totalScoreObservation({
    ...args,
    code: {
      system: WSAS_CODE_SYSTEM,
      code: 'total',
      display: 'Work and Social Adjustment Scale total score',
    },
    interpretation: args.band,
  });
}

/**
 * Every Observation stored with a response (questionnaire_responses.fhir_observations), the total
 * first: for PHQ-9 the panel and item 9, for GAD-7 and WSAS the total alone. Each id is derived
 * from the response id, so every `hasMember` reference resolves inside the returned set.
 */
export function responseObservations(args: {
  instrument: 'phq9' | 'gad7' | 'wsas';
  responseId: string;
  total: Observation;
  item9Score: number | null;
}): Observation[] {
  if (args.instrument !== 'phq9') {
    return [{ ...args.total, id: observationId(args.responseId, 'total') }];
  }
  if (args.item9Score === null) throw new RangeError('A PHQ-9 response needs its item 9 score');
  return phq9PanelWithItem9(args.total, { responseId: args.responseId, item9Score: args.item9Score });
}

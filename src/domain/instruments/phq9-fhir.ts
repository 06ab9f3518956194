/**
 * PHQ-9, GAD-7 and WSAS as FHIR R4: each response a QuestionnaireResponse, each total an
 * Observation (PHQ-9 44261-6, GAD-7 70274-6, WSAS a local code) derived from it. See icbt-anchors §6.
 */
import type { Observation, QuestionnaireResponse } from 'fhir/r4.js';
import { GAD7_ITEMS, GAD7_OPTIONS, GAD7_TOTAL_LOINC, GAD7_VERSION } from './gad7.js';
import { LOINC, questionnaireResponse, totalScoreObservation } from './fhir.js';
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

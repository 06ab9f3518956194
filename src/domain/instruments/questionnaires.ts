/**
 * The published FHIR R4 Questionnaires for PHQ-9, GAD-7 and WSAS: canonical URL and version,
 * LOINC codes on `Questionnaire.item.code` (PHQ-9, GAD-7; WSAS has no LOINC codes and uses the
 * platform's code system), the answer options with their LOINC answer codes, English text with the
 * Norwegian bokmål translation in the standard translation extension (on `_text` for the questions,
 * on `valueCoding._display` for the answer options, so the patient's form renders both languages
 * from these resources). Every stored
 * QuestionnaireResponse names one of these, with its version, in `questionnaire`.
 */
import type { Questionnaire, QuestionnaireItem } from 'fhir/r4.js';
import { GAD7_ITEMS, GAD7_OPTIONS, GAD7_PANEL_LOINC, GAD7_TOTAL_LOINC, GAD7_VERSION } from './gad7.js';
import { LOINC } from './fhir.js';
import {
  PHQ9_DIFFICULTY_LOINC,
  PHQ9_DIFFICULTY_OPTIONS,
  PHQ9_FREQUENCY_OPTIONS,
  PHQ9_ITEMS,
  PHQ9_PANEL_LOINC,
  PHQ9_TOTAL_LOINC,
  PHQ9_VERSION,
  type AnswerOption,
  type InstrumentItem,
} from './phq9.js';
import { WORK_STATUS_TEXT, WORK_STATUSES, WSAS_CODE_SYSTEM, WSAS_ITEMS, WSAS_VERSION } from './wsas.js';

export const FHIR_BASE = 'https://gp-dep.example/fhir';
export const TRANSLATION_EXTENSION = 'http://hl7.org/fhir/StructureDefinition/translation';

export const QUESTIONNAIRE_CANONICAL = {
  phq9: `${FHIR_BASE}/Questionnaire/phq9`,
  gad7: `${FHIR_BASE}/Questionnaire/gad7`,
  wsas: `${FHIR_BASE}/Questionnaire/wsas`,
} as const;

const nbText = (nb: string) => ({
  extension: [
    {
      url: TRANSLATION_EXTENSION,
      extension: [
        { url: 'lang', valueCode: 'nb' },
        { url: 'content', valueString: nb },
      ],
    },
  ],
});

function choiceItem(
  item: InstrumentItem,
  options: readonly AnswerOption[],
  codeSystem: string = LOINC
): QuestionnaireItem {
  return {
    linkId: item.linkId,
    code: [{ system: codeSystem, code: item.loinc, display: item.text.en }],
    text: item.text.en,
    _text: nbText(item.text.nb),
    type: 'choice',
    required: true,
    answerOption: options.map((o) => ({
      valueCoding: { system: LOINC, code: o.loinc, display: o.text.en, _display: nbText(o.text.nb) },
    })),
  };
}

function totalItem(
  linkId: string,
  code: { system: string; code: string; display: string }
): QuestionnaireItem {
  return {
    linkId,
    code: [code],
    text: 'Total score',
    _text: nbText('Sum'),
    type: 'integer',
    readOnly: true,
  };
}

function base(id: 'phq9' | 'gad7' | 'wsas', version: string, title: string): Questionnaire {
  return {
    resourceType: 'Questionnaire',
    id,
    url: QUESTIONNAIRE_CANONICAL[id],
    version,
    name: id.toUpperCase(),
    title,
    status: 'active',
    subjectType: ['Patient'],
    language: 'en',
  };
}

export const PHQ9_QUESTIONNAIRE: Questionnaire = {
  ...base('phq9', PHQ9_VERSION, 'Patient Health Questionnaire-9 (PHQ-9)'),
  code: [{ system: LOINC, code: PHQ9_PANEL_LOINC, display: 'PHQ-9 quick depression assessment panel' }],
  copyright: 'PHQ-9 © Pfizer Inc. No permission required to reproduce, translate, display or distribute.',
  item: [
    ...PHQ9_ITEMS.map((item) => choiceItem(item, PHQ9_FREQUENCY_OPTIONS)),
    {
      ...choiceItem(
        {
          linkId: 'phq9-10',
          loinc: PHQ9_DIFFICULTY_LOINC,
          text: {
            nb: 'Hvor vanskelig har disse problemene gjort det for deg å utføre arbeidet ditt, ta vare på ting hjemme eller komme overens med andre?',
            en: 'How difficult have these problems made it for you to do your work, take care of things at home, or get along with other people?',
          },
        },
        PHQ9_DIFFICULTY_OPTIONS
      ),
      // Asked only when some problem was ticked.
      required: false,
    },
    totalItem('phq9-total', { system: LOINC, code: PHQ9_TOTAL_LOINC, display: 'PHQ-9 total score' }),
  ],
};

export const GAD7_QUESTIONNAIRE: Questionnaire = {
  ...base('gad7', GAD7_VERSION, 'Generalized Anxiety Disorder-7 (GAD-7)'),
  code: [{ system: LOINC, code: GAD7_PANEL_LOINC, display: 'GAD-7 panel' }],
  copyright: 'GAD-7 © Pfizer Inc. No permission required to reproduce, translate, display or distribute.',
  item: [
    ...GAD7_ITEMS.map((item) => choiceItem(item, GAD7_OPTIONS)),
    totalItem('gad7-total', { system: LOINC, code: GAD7_TOTAL_LOINC, display: 'GAD-7 total score' }),
  ],
};

export const WSAS_QUESTIONNAIRE: Questionnaire = {
  ...base('wsas', WSAS_VERSION, 'Work and Social Adjustment Scale (WSAS)'),
  copyright: 'WSAS © Marks and colleagues (Mundt et al., Br J Psychiatry 2002;180:461-464).',
  item: [
    {
      linkId: 'work-status',
      text: 'What do you do day to day now?',
      _text: nbText('Hva gjør du til daglig nå?'),
      type: 'choice',
      required: true,
      answerOption: WORK_STATUSES.map((s) => ({
        valueCoding: {
          system: `${WSAS_CODE_SYSTEM}-work-status`,
          code: s,
          display: WORK_STATUS_TEXT[s].en,
          _display: nbText(WORK_STATUS_TEXT[s].nb),
        },
      })),
    },
    ...WSAS_ITEMS.map((item, index): QuestionnaireItem => ({
      linkId: item.linkId,
      code: [{ system: WSAS_CODE_SYSTEM, code: item.loinc, display: item.text.en }],
      text: item.text.en,
      _text: nbText(item.text.nb),
      type: 'integer',
      // Work (item 1) may be left out when not working for reasons unrelated to the problem.
      required: index !== 0,
      extension: [
        { url: 'http://hl7.org/fhir/StructureDefinition/minValue', valueInteger: 0 },
        { url: 'http://hl7.org/fhir/StructureDefinition/maxValue', valueInteger: 8 },
      ],
    })),
    totalItem('wsas-total', { system: WSAS_CODE_SYSTEM, code: 'total', display: 'WSAS total score' }),
  ],
};

export const PUBLISHED_QUESTIONNAIRES: readonly Questionnaire[] = [
  PHQ9_QUESTIONNAIRE,
  GAD7_QUESTIONNAIRE,
  WSAS_QUESTIONNAIRE,
];

/** Resolves a `canonical|version` reference to a published Questionnaire, or undefined. */
export function resolveQuestionnaire(reference: string): Questionnaire | undefined {
  const [url, version] = reference.split('|');
  return PUBLISHED_QUESTIONNAIRES.find(
    (q) => q.url === url && (version === undefined || q.version === version)
  );
}

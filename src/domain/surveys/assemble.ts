/**
 * SDC modular forms (Structured Data Capture, "Modular Forms"): a `display` item carrying the
 * extension sdc-questionnaire-subQuestionnaire (valueCanonical `url|version`) stands for another
 * Questionnaire, and assembly replaces it by that Questionnaire's items. The study's patient survey
 * imports the platform's published PHQ-9 (src/domain/instruments/questionnaires.ts) this way, so
 * the survey's PHQ-9 has the instrument's linkIds, LOINC codes, texts and answer codes and is never
 * a copy that could drift.
 *
 * What assembly does (and where it departs from SDC's $assemble, on purpose):
 * - The imported items are deep copies in the survey's language: an instrument published in
 *   English with bokmål in the translation extension becomes bokmål text with English in the
 *   extension (item text and answer displays), so `flattenItems` reads the same two texts either way.
 *   Where the published Questionnaire has only the English display of a LOINC answer (PHQ-9, GAD-7),
 *   the bokmål label is the instrument's own, from its code.
 * - An instrument's introduction (the PHQ-9's "over the last 2 weeks…" stem, kept in its code, not
 *   its Questionnaire) is inserted first as a display item `<id>-intro`.
 * - Read-only items (the instrument's total) are left out: nobody answers them; the platform
 *   computes a score from the answers (`surveyPhq9Score`).
 * - The reference must be pinned (`url|version`), so the survey's own version fixes the imported
 *   one. The assembled form therefore keeps the survey's url and version (SDC suggests a new
 *   version such as "-assembled"); a QuestionnaireResponse names the form the researcher published,
 *   and `assembledFrom` records which instruments, at which version, went into it.
 * - The subQuestionnaire display item may not carry enableWhen (put it in a group and give the
 *   group the condition); the validator says so.
 *
 * Pure module: no I/O.
 */
import type { Element, Extension, Questionnaire, QuestionnaireItem } from 'fhir/r4.js';
import { GAD7_INTRO, GAD7_OPTIONS } from '../instruments/gad7.js';
import { LOINC } from '../instruments/fhir.js';
import {
  PHQ9_DIFFICULTY_OPTIONS,
  PHQ9_FREQUENCY_OPTIONS,
  PHQ9_INTRO,
  PHQ9_ITEMS,
  phq9Severity,
  scorePhq9,
  type Phq9Difficulty,
  type Phq9ItemScore,
  type Phq9Score,
} from '../instruments/phq9.js';
import { QUESTIONNAIRE_CANONICAL, resolveQuestionnaire } from '../instruments/questionnaires.js';
import {
  primaryLanguage,
  translation,
  TRANSLATION_EXTENSION_URL,
  type LocalText,
  type SurveyAnswer,
  type SurveyAnswers,
  type SurveyLanguage,
} from './items.js';

export const SUB_QUESTIONNAIRE_URL =
  'http://hl7.org/fhir/uv/sdc/StructureDefinition/sdc-questionnaire-subQuestionnaire';
export const ASSEMBLED_FROM_URL =
  'http://hl7.org/fhir/uv/sdc/StructureDefinition/sdc-questionnaire-assembledFrom';
export const ASSEMBLE_EXPECTATION_URL =
  'http://hl7.org/fhir/uv/sdc/StructureDefinition/sdc-questionnaire-assemble-expectation';

/** Finds the Questionnaire a `url|version` names; the default knows the published instruments. */
export type QuestionnaireResolver = (canonical: string) => Questionnaire | undefined;

/** Introductions that belong to an instrument but live in its code rather than its Questionnaire. */
const INSTRUMENT_INTROS: Readonly<Record<string, LocalText>> = {
  [QUESTIONNAIRE_CANONICAL.phq9]: PHQ9_INTRO,
  [QUESTIONNAIRE_CANONICAL.gad7]: GAD7_INTRO,
};

/**
 * Answer texts of the instruments, from their code (both languages), by `system|code`. The published
 * PHQ-9 and GAD-7 Questionnaires carry only the English display of each LOINC answer; the bokmål
 * label comes from here, so a bokmål survey shows the instrument's own bokmål answers.
 */
const INSTRUMENT_ANSWER_TEXTS: ReadonlyMap<string, LocalText> = new Map(
  [...PHQ9_FREQUENCY_OPTIONS, ...PHQ9_DIFFICULTY_OPTIONS, ...GAD7_OPTIONS].map((o) => [
    `${LOINC}|${o.loinc}`,
    o.text,
  ])
);

export interface AssemblyProblem {
  linkId: string;
  path: string;
  message: string;
}

export type AssemblyResult =
  | { ok: true; questionnaire: Questionnaire; assembledFrom: string[] }
  | { ok: false; errors: AssemblyProblem[] };

/** The canonical a display item imports, or undefined when it is an ordinary item. */
export function subQuestionnaireReference(item: QuestionnaireItem): string | undefined {
  return item.extension?.find((e) => e.url === SUB_QUESTIONNAIRE_URL)?.valueCanonical;
}

function translationElement(lang: SurveyLanguage, content: string): Element {
  return {
    extension: [
      {
        url: TRANSLATION_EXTENSION_URL,
        extension: [
          { url: 'lang', valueCode: lang },
          { url: 'content', valueString: content },
        ],
      },
    ],
  };
}

/** A text and its `_x` element, turned from the `from` language into the `to` language. */
function relanguage(
  text: string | undefined,
  element: Element | undefined,
  from: SurveyLanguage,
  to: SurveyLanguage
): { text?: string; element?: Element } {
  if (text === undefined) return {};
  if (from === to) return { text, ...(element === undefined ? {} : { element }) };
  const target = translation(element, to);
  // No translation to swap with: keep the text as it is (the validator names the missing language).
  if (target === undefined) return { text, ...(element === undefined ? {} : { element }) };
  return { text: target, element: translationElement(from, text) };
}

function convertItem(item: QuestionnaireItem, from: SurveyLanguage, to: SurveyLanguage): QuestionnaireItem {
  const copy = structuredClone(item);
  const text = relanguage(item.text, item._text, from, to);
  delete copy.text;
  delete copy._text;
  if (text.text !== undefined) copy.text = text.text;
  if (text.element !== undefined) copy._text = text.element;
  if (copy.answerOption) {
    copy.answerOption = copy.answerOption.map((option) => {
      const coding = option.valueCoding;
      if (coding === undefined) return option;
      const known = INSTRUMENT_ANSWER_TEXTS.get(`${coding.system ?? ''}|${coding.code ?? ''}`);
      const other = to === 'nb' ? 'en' : 'nb';
      const display =
        known !== undefined && translation(coding._display, from === 'nb' ? 'en' : 'nb') === undefined
          ? { text: known[to], element: translationElement(other, known[other]) }
          : relanguage(coding.display, coding._display, from, to);
      const next = { ...coding };
      delete next.display;
      delete next._display;
      if (display.text !== undefined) next.display = display.text;
      if (display.element !== undefined) next._display = display.element;
      return { ...option, valueCoding: next };
    });
  }
  if (item.item) {
    copy.item = item.item.filter((child) => child.readOnly !== true).map((c) => convertItem(c, from, to));
  }
  return copy;
}

/**
 * The items an imported Questionnaire contributes, in the `to` language: its introduction (if
 * the instrument has one), then its items without read-only ones.
 */
export function importedItems(sub: Questionnaire, to: SurveyLanguage): QuestionnaireItem[] {
  const from = primaryLanguage(sub);
  const intro = sub.url === undefined ? undefined : INSTRUMENT_INTROS[sub.url];
  const introItem: QuestionnaireItem[] =
    intro === undefined
      ? []
      : [
          {
            linkId: `${sub.id ?? 'instrument'}-intro`,
            type: 'display',
            text: intro[to],
            _text: translationElement(to === 'nb' ? 'en' : 'nb', intro[to === 'nb' ? 'en' : 'nb']),
          },
        ];
  return [
    ...introItem,
    ...(sub.item ?? []).filter((item) => item.readOnly !== true).map((item) => convertItem(item, from, to)),
  ];
}

/**
 * Replaces every subQuestionnaire display item by the items of the Questionnaire it names.
 * Refuses (with the item's linkId) a reference that is not pinned to a version, does not resolve,
 * sits on an item that is not a display item, or would import itself.
 */
export function assembleQuestionnaire(
  questionnaire: Questionnaire,
  resolve: QuestionnaireResolver = resolveQuestionnaire
): AssemblyResult {
  const errors: AssemblyProblem[] = [];
  const assembledFrom: string[] = [];
  const contained = [...(questionnaire.contained ?? [])];
  const to = primaryLanguage(questionnaire);

  const expand = (
    items: readonly QuestionnaireItem[] | undefined,
    path: string,
    seen: readonly string[]
  ): QuestionnaireItem[] =>
    (items ?? []).flatMap((item, index): QuestionnaireItem[] => {
      const here = `${path}item[${index}]`;
      const reference = subQuestionnaireReference(item);
      if (reference === undefined) {
        if (!item.item) return [item];
        return [{ ...item, item: expand(item.item, `${here}.`, seen) }];
      }
      const problem = (message: string) => {
        errors.push({ linkId: item.linkId, path: here, message: `item "${item.linkId}": ${message}` });
        return [];
      };
      if (item.type !== 'display') return problem('only a display item can import a subQuestionnaire');
      if (!reference.includes('|')) {
        return problem(
          `subQuestionnaire "${reference}" names no version; write "${reference}|<version>" so this ` +
            'questionnaire’s version fixes the imported one'
        );
      }
      if (seen.includes(reference)) return problem(`subQuestionnaire "${reference}" imports itself`);
      const sub = resolve(reference);
      if (sub === undefined) {
        return problem(`subQuestionnaire "${reference}" is not a questionnaire published on this platform`);
      }
      assembledFrom.push(reference);
      for (const resource of sub.contained ?? []) {
        if (contained.some((c) => c.id === resource.id)) {
          return problem(
            `subQuestionnaire "${reference}" contains a resource with id "${resource.id}", which this questionnaire already uses`
          );
        }
        contained.push(structuredClone(resource));
      }
      const nested = expand(sub.item, `${here}{${reference}}.`, [...seen, reference]);
      return importedItems({ ...sub, item: nested }, to);
    });

  const self =
    questionnaire.url === undefined
      ? []
      : [
          questionnaire.version === undefined
            ? questionnaire.url
            : `${questionnaire.url}|${questionnaire.version}`,
        ];
  const item = expand(questionnaire.item, '', self);
  if (errors.length > 0) return { ok: false, errors };

  const extension: Extension[] = [
    ...(questionnaire.extension ?? []).filter((e) => e.url !== ASSEMBLE_EXPECTATION_URL),
    ...assembledFrom.map((valueCanonical) => ({ url: ASSEMBLED_FROM_URL, valueCanonical })),
  ];
  const assembled: Questionnaire = { ...structuredClone(questionnaire), item };
  delete assembled.extension;
  delete assembled.contained;
  if (extension.length > 0) assembled.extension = extension;
  if (contained.length > 0) assembled.contained = contained;
  return { ok: true, questionnaire: assembled, assembledFrom };
}

// ---------------------------------------------------------------------------------------------
// The PHQ-9 inside a survey, read with the instrument's own codes and scoring.

const PHQ9_ITEM9_LINK_ID = PHQ9_ITEMS[8]!.linkId;

function optionScore(
  answers: readonly SurveyAnswer[] | undefined,
  options: readonly { score: number; loinc: string }[]
): number | undefined {
  const answer = answers?.[0];
  if (answer === undefined || !('valueCoding' in answer)) return undefined;
  const { code, system } = answer.valueCoding;
  if (system !== undefined && system !== LOINC) return undefined;
  return options.find((o) => o.loinc === code)?.score;
}

/**
 * PHQ-9 item 9 (thoughts of being better off dead or of self-harm) answered above "not at all":
 * the respondent page shows crisis numbers at once, whether or not the rest of the PHQ-9 is done.
 */
export function phq9ItemNinePositive(answers: SurveyAnswers): boolean {
  const score = optionScore(answers[PHQ9_ITEM9_LINK_ID], PHQ9_FREQUENCY_OPTIONS);
  return score !== undefined && score > 0;
}

/**
 * The PHQ-9 score of a survey's answers when all nine items are answered with the instrument's
 * codes, else undefined. Item 10 (difficulty) is optional in a survey: without it the total and
 * band are the instrument's (Kroenke 2001), computed from the nine items alone.
 */
export function surveyPhq9Score(answers: SurveyAnswers): Phq9Score | undefined {
  const items = PHQ9_ITEMS.map((item) => optionScore(answers[item.linkId], PHQ9_FREQUENCY_OPTIONS));
  if (items.some((score) => score === undefined)) return undefined;
  const scores = items as Phq9ItemScore[];
  const difficulty = optionScore(answers['phq9-10'], PHQ9_DIFFICULTY_OPTIONS) as Phq9Difficulty | undefined;
  if (difficulty !== undefined) return scorePhq9({ items: scores, difficulty });
  const total = scores.reduce<number>((sum, score) => sum + score, 0);
  const item9Score = scores[8]!;
  return { total, severity: phq9Severity(total), item9Positive: item9Score > 0, item9Score };
}

/**
 * The FHIR R4 Questionnaire subset the platform's surveys use, read as the renderer, the server's
 * answer checks and the exports all need it: items flattened in order, texts in bokmål and English,
 * answer options from `answerOption` or a contained `ValueSet`, and `enableWhen` branching.
 *
 * Languages: a questionnaire's `language` names the language of `text`; the other language comes
 * from the standard translation extension on `_text` (http://hl7.org/fhir/StructureDefinition/translation),
 * as the published PHQ-9, GAD-7 and WSAS already do. Answer option labels use the same extension on
 * `valueCoding._display`, and a contained ValueSet's concepts use `designation` with `language`.
 *
 * Answers are FHIR-shaped (`QuestionnaireResponse.item.answer`), so a response is built without
 * translation and an exported code is the code the questionnaire names.
 *
 * Pure module: no I/O.
 */
import type {
  Element,
  Questionnaire,
  QuestionnaireItem,
  QuestionnaireItemEnableWhen,
  ValueSet,
} from 'fhir/r4.js';

export const SURVEY_LANGUAGES = ['nb', 'en'] as const;
export type SurveyLanguage = (typeof SURVEY_LANGUAGES)[number];

export const TRANSLATION_EXTENSION_URL = 'http://hl7.org/fhir/StructureDefinition/translation';

/** The item types the platform renders, stores and exports (FHIR R4 `Questionnaire.item.type`). */
export const SURVEY_ITEM_TYPES = [
  'group',
  'display',
  'boolean',
  'choice',
  'open-choice',
  'integer',
  'decimal',
  'date',
  'string',
  'text',
] as const;
export type SurveyItemType = (typeof SURVEY_ITEM_TYPES)[number];

export interface LocalText {
  nb: string;
  en: string;
}

export type SurveyAnswer =
  | { valueCoding: { system?: string; code: string; display?: string } }
  | { valueString: string }
  | { valueInteger: number }
  | { valueDecimal: number }
  | { valueDate: string }
  | { valueBoolean: boolean };

/** Answers keyed by item `linkId`; every item holds a list (one entry unless the item repeats). */
export type SurveyAnswers = Readonly<Record<string, readonly SurveyAnswer[]>>;

export interface SurveyOption {
  code: string;
  system?: string;
  display: LocalText;
}

export interface FlatItem {
  linkId: string;
  type: SurveyItemType;
  text: LocalText;
  required: boolean;
  repeats: boolean;
  readOnly: boolean;
  /** Answer options in the questionnaire's order (choice and open-choice only). */
  options: readonly SurveyOption[];
  enableWhen: readonly QuestionnaireItemEnableWhen[];
  enableBehavior: 'all' | 'any';
  /** linkIds of the enclosing groups, outermost first. */
  parents: readonly string[];
  /** Integer or decimal limits from the standard minValue / maxValue extensions. */
  min?: number;
  max?: number;
  /** The standard maxLength for string and text items. */
  maxLength?: number;
}

const MIN_VALUE_URL = 'http://hl7.org/fhir/StructureDefinition/minValue';
const MAX_VALUE_URL = 'http://hl7.org/fhir/StructureDefinition/maxValue';

function otherLanguage(language: SurveyLanguage): SurveyLanguage {
  return language === 'nb' ? 'en' : 'nb';
}

/** The questionnaire's own language: `nb` when it says `nb`/`no`/`nb-NO`, else `en`. */
export function primaryLanguage(questionnaire: Pick<Questionnaire, 'language'>): SurveyLanguage {
  const language = (questionnaire.language ?? 'nb').toLowerCase();
  return language.startsWith('nb') || language.startsWith('no') || language.startsWith('nn') ? 'nb' : 'en';
}

/**
 * How well a BCP-47 language code fits one of our languages: 2 for the language itself (`nb`,
 * `nb-NO`; `en`, `en-GB`), 1 for the macrolanguage `no` (Norwegian, read as bokmål), 0 for no fit.
 * Nynorsk (`nn`) is not bokmål and never fills the bokmål slot.
 */
export function languageFit(code: string | undefined, lang: SurveyLanguage): 0 | 1 | 2 {
  const primary = code?.toLowerCase().split('-')[0];
  if (primary === lang) return 2;
  if (lang === 'nb' && primary === 'no') return 1;
  return 0;
}

/** The translation in `lang` carried by a primitive's `_x` element, if any (the best-fitting one). */
export function translation(element: Element | undefined, lang: SurveyLanguage): string | undefined {
  let best: { fit: number; content: string } | undefined;
  for (const extension of element?.extension ?? []) {
    if (extension.url !== TRANSLATION_EXTENSION_URL) continue;
    const parts = extension.extension ?? [];
    const fit = languageFit(parts.find((p) => p.url === 'lang')?.valueCode, lang);
    const content = parts.find((p) => p.url === 'content')?.valueString;
    if (fit > 0 && content !== undefined && (best === undefined || fit > best.fit)) best = { fit, content };
  }
  return best?.content;
}

/** A primitive text and its `_text` element as both languages (the translation, or the text again when missing). */
export function localText(
  text: string | undefined,
  element: Element | undefined,
  primary: SurveyLanguage
): LocalText {
  const own = text ?? '';
  const other = translation(element, otherLanguage(primary)) ?? own;
  return primary === 'nb' ? { nb: own, en: other } : { nb: other, en: own };
}

/** The questionnaire's title in both languages. */
export function questionnaireTitle(questionnaire: Questionnaire): LocalText {
  return localText(questionnaire.title, questionnaire._title, primaryLanguage(questionnaire));
}

function containedValueSet(questionnaire: Questionnaire, reference: string): ValueSet | undefined {
  if (!reference.startsWith('#')) return undefined;
  const id = reference.slice(1);
  return questionnaire.contained?.find(
    (resource): resource is ValueSet => resource.resourceType === 'ValueSet' && resource.id === id
  );
}

/** Answer options of an item: its `answerOption` codings, or the concepts of a contained ValueSet. */
export function itemOptions(questionnaire: Questionnaire, item: QuestionnaireItem): SurveyOption[] {
  const primary = primaryLanguage(questionnaire);
  if (item.answerOption) {
    return item.answerOption.flatMap((option): SurveyOption[] => {
      const coding = option.valueCoding;
      if (coding?.code !== undefined) {
        return [
          {
            code: coding.code,
            ...(coding.system === undefined ? {} : { system: coding.system }),
            display: localText(coding.display ?? coding.code, coding._display, primary),
          },
        ];
      }
      // String and integer options are exported with their value as the code.
      if (option.valueString !== undefined) {
        return [
          { code: option.valueString, display: localText(option.valueString, option._valueString, primary) },
        ];
      }
      if (option.valueInteger !== undefined) {
        const code = String(option.valueInteger);
        return [{ code, display: { nb: code, en: code } }];
      }
      return [];
    });
  }
  if (item.answerValueSet) {
    const valueSet = containedValueSet(questionnaire, item.answerValueSet);
    return (valueSet?.compose?.include ?? []).flatMap((include) =>
      (include.concept ?? []).map((concept): SurveyOption => {
        const display = concept.display ?? concept.code;
        const designated = (lang: SurveyLanguage) =>
          [...(concept.designation ?? [])]
            .filter((d) => languageFit(d.language, lang) > 0)
            .sort((a, b) => languageFit(b.language, lang) - languageFit(a.language, lang))[0]?.value;
        const other = designated(otherLanguage(primary)) ?? display;
        return {
          code: concept.code,
          ...(include.system === undefined ? {} : { system: include.system }),
          display: primary === 'nb' ? { nb: display, en: other } : { nb: other, en: display },
        };
      })
    );
  }
  return [];
}

function numericExtension(item: QuestionnaireItem, url: string): number | undefined {
  const extension = item.extension?.find((e) => e.url === url);
  return extension?.valueInteger ?? extension?.valueDecimal;
}

/** Every item in document order, nested groups included, with what the renderer and checks need. */
export function flattenItems(questionnaire: Questionnaire): FlatItem[] {
  const primary = primaryLanguage(questionnaire);
  const out: FlatItem[] = [];
  const visit = (items: readonly QuestionnaireItem[] | undefined, parents: readonly string[]) => {
    for (const item of items ?? []) {
      const min = numericExtension(item, MIN_VALUE_URL);
      const max = numericExtension(item, MAX_VALUE_URL);
      out.push({
        linkId: item.linkId,
        type: item.type as SurveyItemType,
        text: localText(item.text, item._text, primary),
        required: item.required === true,
        repeats: item.repeats === true,
        readOnly: item.readOnly === true,
        options: itemOptions(questionnaire, item),
        enableWhen: item.enableWhen ?? [],
        enableBehavior: item.enableBehavior ?? 'all',
        parents,
        ...(min === undefined ? {} : { min }),
        ...(max === undefined ? {} : { max }),
        ...(item.maxLength === undefined ? {} : { maxLength: item.maxLength }),
      });
      visit(item.item, [...parents, item.linkId]);
    }
  };
  visit(questionnaire.item, []);
  return out;
}

/** The items that take an answer (not groups, displays or read-only totals). */
export function answerableItems(items: readonly FlatItem[]): FlatItem[] {
  return items.filter((item) => item.type !== 'group' && item.type !== 'display' && !item.readOnly);
}

type Comparable = string | number | boolean;

function answerKey(answer: SurveyAnswer): { value: Comparable; system?: string } {
  if ('valueCoding' in answer) {
    return {
      value: answer.valueCoding.code,
      ...(answer.valueCoding.system === undefined ? {} : { system: answer.valueCoding.system }),
    };
  }
  if ('valueString' in answer) return { value: answer.valueString };
  if ('valueInteger' in answer) return { value: answer.valueInteger };
  if ('valueDecimal' in answer) return { value: answer.valueDecimal };
  if ('valueDate' in answer) return { value: answer.valueDate };
  return { value: answer.valueBoolean };
}

function conditionKey(
  condition: QuestionnaireItemEnableWhen
): { value: Comparable; system?: string } | undefined {
  if (condition.answerCoding?.code !== undefined) {
    return {
      value: condition.answerCoding.code,
      ...(condition.answerCoding.system === undefined ? {} : { system: condition.answerCoding.system }),
    };
  }
  if (condition.answerString !== undefined) return { value: condition.answerString };
  if (condition.answerInteger !== undefined) return { value: condition.answerInteger };
  if (condition.answerDecimal !== undefined) return { value: condition.answerDecimal };
  if (condition.answerDate !== undefined) return { value: condition.answerDate };
  if (condition.answerBoolean !== undefined) return { value: condition.answerBoolean };
  return undefined;
}

function compare(answer: SurveyAnswer, condition: QuestionnaireItemEnableWhen): boolean {
  const expected = conditionKey(condition);
  if (expected === undefined) return false;
  const actual = answerKey(answer);
  // A condition without a system matches the code in any system (the questionnaire's own codes).
  if (expected.system !== undefined && actual.system !== undefined && expected.system !== actual.system) {
    return condition.operator === '!=';
  }
  switch (condition.operator) {
    case '=':
      return actual.value === expected.value;
    case '!=':
      return actual.value !== expected.value;
    case '>':
      return typeof actual.value === typeof expected.value && actual.value > expected.value;
    case '<':
      return typeof actual.value === typeof expected.value && actual.value < expected.value;
    case '>=':
      return typeof actual.value === typeof expected.value && actual.value >= expected.value;
    case '<=':
      return typeof actual.value === typeof expected.value && actual.value <= expected.value;
    default:
      return false;
  }
}

/** One enableWhen condition against the answers given so far (FHIR R4 semantics). */
export function conditionHolds(condition: QuestionnaireItemEnableWhen, answers: SurveyAnswers): boolean {
  const given = answers[condition.question] ?? [];
  if (condition.operator === 'exists') return given.length > 0 === (condition.answerBoolean === true);
  // FHIR: "!=" is true when no answer equals the value, including when there is no answer at all.
  if (condition.operator === '!=') return given.every((answer) => compare(answer, condition));
  return given.some((answer) => compare(answer, condition));
}

/**
 * Which items are shown (enabled) for these answers: an item is enabled when its own conditions
 * hold and every enclosing group is enabled. An answer to a disabled item does not count, so a
 * chain of conditions is followed in document order.
 */
export function enabledLinkIds(items: readonly FlatItem[], answers: SurveyAnswers): Set<string> {
  const enabled = new Set<string>();
  const effective: Record<string, readonly SurveyAnswer[]> = {};
  for (const item of items) {
    const parentsEnabled = item.parents.every((parent) => enabled.has(parent));
    const own =
      item.enableWhen.length === 0 ||
      (item.enableBehavior === 'any'
        ? item.enableWhen.some((c) => conditionHolds(c, effective))
        : item.enableWhen.every((c) => conditionHolds(c, effective)));
    if (parentsEnabled && own) {
      enabled.add(item.linkId);
      const given = answers[item.linkId];
      if (given !== undefined) effective[item.linkId] = given;
    }
  }
  return enabled;
}

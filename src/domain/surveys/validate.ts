/**
 * Checks a Questionnaire a researcher imports (or one of the study's own) against the survey
 * subset the platform renders, stores and exports (docs/surveys/questionnaires.md): every problem
 * at once, each naming the item's linkId and the problem in plain English, e.g.
 * `item "q7": enableWhen refers to "q9", which comes later or does not exist`.
 *
 * It checks what a form needs to work here, not all of FHIR: the resource's identity (url,
 * version, status, title in both languages, language nb or en); items (unique linkIds, supported
 * types, texts in both languages, options for choice items from answerOption codings or a
 * contained ValueSet, sane limits); branching (enableWhen refers to an earlier item that takes an
 * answer, with an operator and an answer of that item's type; enableBehavior when there are
 * several conditions); and it refuses, with the reason, what the renderer would silently ignore:
 * calculated or expression-driven items, initial answers, read-only items, prefixes, unknown
 * elements and extensions. Structural FHIR R4 validity of the study's questionnaires is proven in
 * the tests with Medplum's validator (a devDependency, not run here).
 *
 * Modular forms: a subQuestionnaire display item is resolved (by default to the published
 * instruments) and its items are checked in place, so a later item may branch on a PHQ-9 answer
 * and linkIds must be unique across the assembled form. The questionnaire returned is the input as
 * given; `assembleQuestionnaire` gives the form to render.
 *
 * Never throws, whatever the input (a property test mutates valid questionnaires at random).
 * Pure module: no I/O.
 */
import type { Questionnaire, QuestionnaireItem } from 'fhir/r4.js';
import { resolveQuestionnaire } from '../instruments/questionnaires.js';
import {
  ASSEMBLE_EXPECTATION_URL,
  ASSEMBLED_FROM_URL,
  importedItems,
  SUB_QUESTIONNAIRE_URL,
  type QuestionnaireResolver,
} from './assemble.js';
import {
  languageFit,
  primaryLanguage,
  SURVEY_ITEM_TYPES,
  TRANSLATION_EXTENSION_URL,
  type SurveyItemType,
  type SurveyLanguage,
} from './items.js';

export interface QuestionnaireError {
  /** The item the problem is about, when it is about an item. */
  linkId?: string;
  /** Where in the resource, e.g. `item[2].item[0].enableWhen[1].question`. */
  path: string;
  message: string;
}

export type QuestionnaireValidation =
  { ok: true; questionnaire: Questionnaire } | { ok: false; errors: QuestionnaireError[] };

export interface ValidateOptions {
  /** Finds a subQuestionnaire by `url|version` (default: the platform's published instruments). */
  resolve?: QuestionnaireResolver;
}

export const MIN_VALUE_URL = 'http://hl7.org/fhir/StructureDefinition/minValue';
export const MAX_VALUE_URL = 'http://hl7.org/fhir/StructureDefinition/maxValue';

/** Statuses a survey may have; FHIR's "unknown" says nothing a survey could act on. */
const STATUSES = ['draft', 'active', 'retired'] as const;
const OPERATORS = ['exists', '=', '!=', '>', '<', '>=', '<='] as const;
const ORDERED_TYPES: readonly SurveyItemType[] = ['integer', 'decimal', 'date'];
const ANSWER_KEYS = [
  'answerBoolean',
  'answerDecimal',
  'answerInteger',
  'answerDate',
  'answerDateTime',
  'answerTime',
  'answerString',
  'answerCoding',
  'answerQuantity',
  'answerReference',
] as const;
type AnswerKey = (typeof ANSWER_KEYS)[number];

/** The answer[x] an enableWhen on an item of each type must use (exists always takes answerBoolean). */
const ANSWER_FOR_TYPE: Readonly<Record<SurveyItemType, readonly AnswerKey[]>> = {
  group: [],
  display: [],
  boolean: ['answerBoolean'],
  choice: ['answerCoding'],
  'open-choice': ['answerCoding', 'answerString'],
  integer: ['answerInteger'],
  decimal: ['answerDecimal'],
  date: ['answerDate'],
  string: ['answerString'],
  text: ['answerString'],
};

/** FHIR item types outside the subset, with what to use instead. */
const UNSUPPORTED_TYPES: Readonly<Record<string, string>> = {
  time: 'use "string" (and say the format in the text)',
  dateTime: 'use "date"',
  url: 'use "string"',
  quantity: 'use "decimal" and name the unit in the text',
  attachment: 'file uploads are not offered in surveys',
  reference: 'a survey does not point at other records',
  question: 'use one of the answer types (choice, string, integer, …)',
};

const ROOT_KEYS = new Set([
  'resourceType',
  'id',
  'meta',
  'language',
  'text',
  'contained',
  'extension',
  'url',
  'identifier',
  'version',
  'name',
  'title',
  'derivedFrom',
  'status',
  'experimental',
  'subjectType',
  'date',
  'publisher',
  'contact',
  'description',
  'useContext',
  'jurisdiction',
  'purpose',
  'copyright',
  'approvalDate',
  'lastReviewDate',
  'effectivePeriod',
  'code',
  'item',
]);

const ITEM_KEYS = new Set([
  'id',
  'linkId',
  'definition',
  'code',
  'text',
  'type',
  'enableWhen',
  'enableBehavior',
  'required',
  'repeats',
  'maxLength',
  'answerValueSet',
  'answerOption',
  'item',
  'extension',
]);

/** Elements FHIR allows that the renderer would ignore, with the reason it refuses them. */
const REFUSED_ITEM_KEYS: Readonly<Record<string, string>> = {
  initial:
    'initial answers are not supported: a survey never pre-fills an answer (it nudges the respondent, and a pre-filled answer cannot be told from a given one)',
  readOnly: 'read-only items are not supported: nothing in a survey computes their value',
  prefix: 'prefix is not shown by the renderer; put the number or label in the text',
  modifierExtension: 'modifier extensions are not supported: the renderer cannot know what they change',
};

const ALLOWED_ROOT_EXTENSIONS = new Set([ASSEMBLE_EXPECTATION_URL, ASSEMBLED_FROM_URL]);

type Json = Record<string, unknown>;
const isObject = (value: unknown): value is Json =>
  typeof value === 'object' && value !== null && !Array.isArray(value);
const isText = (value: unknown): value is string => typeof value === 'string' && value.trim() !== '';
const show = (value: unknown): string => {
  try {
    const text = JSON.stringify(value);
    return text === undefined ? String(value) : text.length > 60 ? `${text.slice(0, 57)}…` : text;
  } catch {
    return String(value);
  }
};
const LANGUAGE_NAME: Record<SurveyLanguage, string> = { nb: 'bokmål (nb)', en: 'English (en)' };

/** The translation in `lang` of a `_x` element, read defensively (the input is untrusted). */
function safeTranslation(element: unknown, lang: SurveyLanguage): string | undefined {
  if (!isObject(element) || !Array.isArray(element.extension)) return undefined;
  let best: { fit: number; content: string } | undefined;
  for (const extension of element.extension) {
    if (!isObject(extension) || extension.url !== TRANSLATION_EXTENSION_URL) continue;
    const parts = Array.isArray(extension.extension) ? extension.extension.filter(isObject) : [];
    const code = parts.find((p) => p.url === 'lang')?.valueCode;
    const content = parts.find((p) => p.url === 'content')?.valueString;
    const fit = languageFit(typeof code === 'string' ? code : undefined, lang);
    if (fit > 0 && isText(content) && (best === undefined || fit > best.fit)) best = { fit, content };
  }
  return best?.content;
}

/** Does this extension list hold anything but the translation extension? */
function nonTranslationExtensions(element: unknown): string[] {
  if (!isObject(element) || !Array.isArray(element.extension)) return [];
  return element.extension
    .filter((e) => !isObject(e) || e.url !== TRANSLATION_EXTENSION_URL)
    .map((e) => (isObject(e) && typeof e.url === 'string' ? e.url : show(e)));
}

interface KnownItem {
  type: SurveyItemType;
  answerable: boolean;
  options: readonly { code: string; system?: string }[];
}

interface ValueSetInfo {
  concepts: { code: string; system?: string }[];
}

export function validateQuestionnaire(
  input: unknown,
  options: ValidateOptions = {}
): QuestionnaireValidation {
  const resolve = options.resolve ?? resolveQuestionnaire;
  const errors: QuestionnaireError[] = [];
  const fail = (path: string, message: string, linkId?: string): void => {
    errors.push({ ...(linkId === undefined ? {} : { linkId }), path, message });
  };

  if (!isObject(input)) {
    return { ok: false, errors: [{ path: '', message: 'the questionnaire is not a JSON object' }] };
  }
  if (input.resourceType !== 'Questionnaire') {
    return {
      ok: false,
      errors: [
        {
          path: 'resourceType',
          message: `resourceType must be "Questionnaire", got ${show(input.resourceType)}`,
        },
      ],
    };
  }

  // ---- The resource -------------------------------------------------------------------------
  for (const key of Object.keys(input)) {
    const base = key.startsWith('_') ? key.slice(1) : key;
    if (key === 'modifierExtension') fail(key, REFUSED_ITEM_KEYS.modifierExtension!);
    else if (key === 'implicitRules') fail(key, 'implicitRules are not supported');
    else if (!ROOT_KEYS.has(base))
      fail(key, `the questionnaire has an element "${key}" that FHIR R4 does not define`);
  }
  const language = input.language;
  let lang: SurveyLanguage = 'nb';
  if (typeof language !== 'string' || !/^(nb|en)(-[A-Za-z]{2})?$/.test(language)) {
    fail(
      'language',
      `language must be "nb" or "en" (the language of every text; the other language goes in the translation extension), got ${show(language)}`
    );
  } else {
    lang = primaryLanguage({ language });
  }
  const other: SurveyLanguage = lang === 'nb' ? 'en' : 'nb';

  if (!isText(input.url)) fail('url', 'url is missing (the canonical URL responses will name)');
  else if (!/^[A-Za-z][A-Za-z0-9+.-]*:[^\s|]+$/.test(input.url)) {
    fail('url', `url must be an absolute URI without spaces or "|", got ${show(input.url)}`);
  }
  if (!isText(input.version))
    fail('version', 'version is missing (every response keeps the version it answered)');
  else if (!/^[^\s|]+$/.test(input.version)) {
    fail('version', `version must not contain spaces or "|", got ${show(input.version)}`);
  }
  if (!STATUSES.includes(input.status as (typeof STATUSES)[number])) {
    fail('status', `status must be one of ${STATUSES.join(', ')}, got ${show(input.status)}`);
  }
  if (!isText(input.title)) fail('title', 'title is missing');
  else if (safeTranslation(input._title, other) === undefined) {
    fail('_title', `title has no ${LANGUAGE_NAME[other]} translation (the translation extension on _title)`);
  }
  if (input.extension !== undefined) {
    if (!Array.isArray(input.extension)) fail('extension', 'extension must be a list');
    else
      input.extension.forEach((extension, i) => {
        const url = isObject(extension) ? extension.url : undefined;
        if (typeof url !== 'string' || !ALLOWED_ROOT_EXTENSIONS.has(url)) {
          fail(
            `extension[${i}]`,
            `extension ${show(url ?? extension)} is not supported on a survey questionnaire`
          );
        }
      });
  }

  // ---- Contained ValueSets ------------------------------------------------------------------
  const valueSets = new Map<string, ValueSetInfo>();
  const checkContained = (contained: unknown, path: string) => {
    if (contained === undefined) return;
    if (!Array.isArray(contained)) return fail(path, 'contained must be a list');
    contained.forEach((resource, i) => {
      const here = `${path}[${i}]`;
      if (!isObject(resource) || resource.resourceType !== 'ValueSet') {
        return fail(
          here,
          `only ValueSets may be contained, found ${show(isObject(resource) ? resource.resourceType : resource)}`
        );
      }
      const id = resource.id;
      if (!isText(id))
        return fail(`${here}.id`, 'a contained ValueSet has no id (items refer to it as "#id")');
      if (valueSets.has(id)) return fail(`${here}.id`, `ValueSet id "${id}" is used twice`);
      const info: ValueSetInfo = { concepts: [] };
      valueSets.set(id, info);
      const name = `ValueSet "${id}"`;
      if (resource.expansion !== undefined) {
        fail(
          `${here}.expansion`,
          `${name}: list the concepts in compose.include.concept, not in an expansion`
        );
      }
      const compose = resource.compose;
      const include = isObject(compose) ? compose.include : undefined;
      if (!Array.isArray(include) || include.length === 0) {
        return fail(`${here}.compose`, `${name} lists no concepts (compose.include.concept)`);
      }
      include.forEach((inc, j) => {
        const incPath = `${here}.compose.include[${j}]`;
        if (!isObject(inc)) return fail(incPath, `${name}: include[${j}] is not an object`);
        if (inc.filter !== undefined || inc.valueSet !== undefined) {
          fail(incPath, `${name}: only listed concepts are supported, not filters or other value sets`);
        }
        const system = inc.system;
        if (system !== undefined && !isText(system))
          fail(`${incPath}.system`, `${name}: system must be a URI`);
        if (!Array.isArray(inc.concept) || inc.concept.length === 0) {
          return fail(`${incPath}.concept`, `${name}: include[${j}] lists no concepts`);
        }
        inc.concept.forEach((concept, k) => {
          const cPath = `${incPath}.concept[${k}]`;
          if (!isObject(concept) || !isText(concept.code))
            return fail(cPath, `${name}: a concept has no code`);
          const code = concept.code;
          if (info.concepts.some((c) => c.code === code)) {
            fail(`${cPath}.code`, `${name}: code "${code}" is listed twice`);
          }
          info.concepts.push({ code, ...(typeof system === 'string' ? { system } : {}) });
          if (!isText(concept.display))
            fail(`${cPath}.display`, `${name}: concept "${code}" has no display text`);
          const designations = Array.isArray(concept.designation) ? concept.designation.filter(isObject) : [];
          const translated = designations.some(
            (d) =>
              languageFit(typeof d.language === 'string' ? d.language : undefined, other) > 0 &&
              isText(d.value)
          );
          if (!translated) {
            fail(
              `${cPath}.designation`,
              `${name}: concept "${code}" has no ${LANGUAGE_NAME[other]} designation (designation with language "${other}")`
            );
          }
        });
      });
    });
  };
  checkContained(input.contained, 'contained');

  // ---- Items --------------------------------------------------------------------------------
  const known = new Map<string, KnownItem>();
  const linkIdPaths = new Map<string, string>();
  let answerable = 0;

  const walkItems = (items: unknown, path: string, importing: readonly string[]) => {
    if (!Array.isArray(items)) return fail(path, `${path} must be a list of items`);
    items.forEach((raw, index) => walkItem(raw, `${path}[${index}]`, importing));
  };

  const walkItem = (raw: unknown, path: string, importing: readonly string[]): void => {
    if (!isObject(raw)) return fail(path, `the item at ${path} is not an object`);
    const linkIdValue = raw.linkId;
    if (!isText(linkIdValue)) return fail(`${path}.linkId`, `the item at ${path} has no linkId`);
    const linkId = linkIdValue;
    const at = (suffix: string) => (suffix === '' ? path : `${path}.${suffix}`);
    const problem = (suffix: string, message: string) =>
      fail(at(suffix), `item "${linkId}": ${message}`, linkId);

    if (/\s/.test(linkId)) problem('linkId', 'linkId must not contain spaces (it names a column in exports)');
    const earlier = linkIdPaths.get(linkId);
    if (earlier !== undefined) problem('linkId', `linkId "${linkId}" is used twice (also at ${earlier})`);
    else linkIdPaths.set(linkId, path);

    for (const key of Object.keys(raw)) {
      const base = key.startsWith('_') ? key.slice(1) : key;
      const refused = REFUSED_ITEM_KEYS[base];
      if (refused !== undefined) problem(key, refused);
      else if (!ITEM_KEYS.has(base)) {
        problem(key, `"${key}" is not supported by the survey renderer (or is not a FHIR R4 item element)`);
      }
    }

    // Type.
    const typeValue = raw.type;
    if (typeof typeValue !== 'string' || !(SURVEY_ITEM_TYPES as readonly string[]).includes(typeValue)) {
      const instead = typeof typeValue === 'string' ? UNSUPPORTED_TYPES[typeValue] : undefined;
      problem(
        'type',
        instead === undefined
          ? `type ${show(typeValue)} is not one of the supported types (${SURVEY_ITEM_TYPES.join(', ')})`
          : `type "${String(typeValue)}" is not supported by the survey renderer; ${instead}`
      );
      return;
    }
    const type = typeValue as SurveyItemType;
    const isQuestion = type !== 'group' && type !== 'display';

    // A modular import: checked, then its items walked in its place.
    const subReference = subQuestionnaire(raw);
    if (subReference !== undefined) {
      checkImport(raw, linkId, type, subReference, path, importing, problem);
      return;
    }

    // Text in both languages.
    if (raw.text !== undefined && typeof raw.text !== 'string') problem('text', 'text must be a string');
    if (isText(raw.text)) {
      if (safeTranslation(raw._text, other) === undefined) {
        problem(
          '_text',
          `text has no ${LANGUAGE_NAME[other]} translation (the translation extension on _text)`
        );
      }
      const extra = nonTranslationExtensions(raw._text);
      if (extra.length > 0) problem('_text', `text carries unsupported extensions: ${extra.join(', ')}`);
    } else if (type !== 'group') {
      problem('text', type === 'display' ? 'a display item needs text' : 'the question has no text');
    }

    // Flags.
    for (const flag of ['required', 'repeats'] as const) {
      if (raw[flag] !== undefined && typeof raw[flag] !== 'boolean')
        problem(flag, `${flag} must be true or false`);
    }
    if (raw.required === true && !isQuestion) {
      problem('required', `a ${type} item cannot be required (only questions take answers)`);
    }
    if (raw.repeats === true && type !== 'choice' && type !== 'open-choice') {
      problem(
        'repeats',
        type === 'group'
          ? 'repeating groups are not supported'
          : 'repeats is supported only on choice and open-choice items (several answers as check boxes)'
      );
    }
    if (raw.maxLength !== undefined) {
      if (!Number.isInteger(raw.maxLength) || (raw.maxLength as number) < 1) {
        problem('maxLength', `maxLength must be a whole number of at least 1, got ${show(raw.maxLength)}`);
      } else if (type !== 'string' && type !== 'text' && type !== 'open-choice') {
        problem('maxLength', 'maxLength applies only to string, text and open-choice items');
      }
    }

    // Extensions: only minValue / maxValue (and subQuestionnaire, handled above).
    checkLimits(raw, type, problem);

    // Options.
    const itemOptions = checkOptions(raw, type, problem);

    // Branching (against items already seen, so only earlier ones).
    checkEnableWhen(raw, problem);

    // Nested items.
    if (type === 'group') {
      if (!Array.isArray(raw.item) || raw.item.length === 0)
        problem('item', 'a group must contain at least one item');
    } else if (raw.item !== undefined) {
      problem('item', `only groups may contain items; a ${type} item cannot`);
    }

    known.set(linkId, { type, answerable: isQuestion, options: itemOptions });
    if (isQuestion) answerable += 1;
    if (type === 'group' && Array.isArray(raw.item)) walkItems(raw.item, `${path}.item`, importing);
  };

  const subQuestionnaire = (raw: Json): string | undefined => {
    if (!Array.isArray(raw.extension)) return undefined;
    const extension = raw.extension.find((e) => isObject(e) && e.url === SUB_QUESTIONNAIRE_URL);
    if (!isObject(extension)) return undefined;
    return typeof extension.valueCanonical === 'string' ? extension.valueCanonical : '';
  };

  const checkImport = (
    raw: Json,
    linkId: string,
    type: SurveyItemType,
    reference: string,
    path: string,
    importing: readonly string[],
    problem: (suffix: string, message: string) => void
  ) => {
    if (type !== 'display') return problem('type', 'only a display item can import a subQuestionnaire');
    if (reference === '')
      return problem('extension', 'the subQuestionnaire extension needs a valueCanonical');
    if (!reference.includes('|')) {
      return problem(
        'extension',
        `subQuestionnaire "${reference}" names no version; write "${reference}|<version>" so this questionnaire’s version fixes the imported one`
      );
    }
    if (raw.enableWhen !== undefined) {
      return problem(
        'enableWhen',
        'a subQuestionnaire item cannot have enableWhen (it is replaced by the imported items); put it in a group and give the group the condition'
      );
    }
    if (raw.required !== undefined || raw.repeats !== undefined) {
      return problem('', 'a subQuestionnaire item cannot be required or repeat');
    }
    if (importing.includes(reference))
      return problem('extension', `subQuestionnaire "${reference}" imports itself`);
    let sub: Questionnaire | undefined;
    try {
      sub = resolve(reference);
    } catch {
      sub = undefined;
    }
    if (sub === undefined) {
      return problem(
        'extension',
        `subQuestionnaire "${reference}" is not a questionnaire published on this platform`
      );
    }
    linkIdPaths.delete(linkId); // replaced: its linkId does not exist in the assembled form
    checkContained(sub.contained, `${path}{${reference}}.contained`);
    let items: QuestionnaireItem[];
    try {
      items = importedItems(sub, lang);
    } catch {
      return problem('extension', `subQuestionnaire "${reference}" could not be read`);
    }
    walkItems(items, `${path}{${reference}}.item`, [...importing, reference]);
  };

  const checkLimits = (
    raw: Json,
    type: SurveyItemType,
    problem: (suffix: string, message: string) => void
  ): void => {
    const out: { min?: number; max?: number } = {};
    if (raw.extension === undefined) return;
    if (!Array.isArray(raw.extension)) return problem('extension', 'extension must be a list');
    raw.extension.forEach((extension, i) => {
      const url = isObject(extension) ? extension.url : undefined;
      const suffix = `extension[${i}]`;
      if (url !== MIN_VALUE_URL && url !== MAX_VALUE_URL) {
        const name = typeof url === 'string' ? url.slice(url.lastIndexOf('/') + 1) : '';
        if (/Expression$/.test(name)) {
          problem(
            suffix,
            `${name} is not supported: the survey renderer evaluates no expressions (calculated, conditional or dynamic answers)`
          );
        } else if (name === 'questionnaire-hidden') {
          problem(suffix, 'hidden items are not supported: every item in a survey is shown to someone');
        } else if (name === 'questionnaire-itemControl') {
          problem(
            suffix,
            'itemControl is not supported: the renderer uses radio buttons, or check boxes when the item repeats'
          );
        } else {
          problem(suffix, `extension ${show(url ?? extension)} is not supported by the survey renderer`);
        }
        return;
      }
      const which = url === MIN_VALUE_URL ? 'min' : 'max';
      const label = url === MIN_VALUE_URL ? 'minValue' : 'maxValue';
      if (type !== 'integer' && type !== 'decimal') {
        return problem(suffix, `${label} applies only to integer and decimal items`);
      }
      if (out[which] !== undefined) return problem(suffix, `${label} is given twice`);
      const ext = extension as Json;
      const value = type === 'integer' ? ext.valueInteger : (ext.valueDecimal ?? ext.valueInteger);
      const valid =
        typeof value === 'number' &&
        Number.isFinite(value) &&
        (type === 'decimal' || Number.isInteger(value));
      if (!valid) {
        return problem(
          suffix,
          type === 'integer'
            ? `${label} of an integer item must be a valueInteger`
            : `${label} of a decimal item must be a valueDecimal`
        );
      }
      out[which] = value;
    });
    if (out.min !== undefined && out.max !== undefined && out.min > out.max) {
      problem('extension', `minValue ${out.min} is greater than maxValue ${out.max}`);
    }
  };

  const checkOptions = (
    raw: Json,
    type: SurveyItemType,
    problem: (suffix: string, message: string) => void
  ): { code: string; system?: string }[] => {
    const isChoice = type === 'choice' || type === 'open-choice';
    const hasOptions = raw.answerOption !== undefined;
    const hasValueSet = raw.answerValueSet !== undefined;
    if (!isChoice) {
      if (hasOptions) problem('answerOption', `a ${type} item cannot have answer options`);
      if (hasValueSet) problem('answerValueSet', `a ${type} item cannot have an answer value set`);
      return [];
    }
    if (hasOptions && hasValueSet) {
      problem('answerValueSet', 'give answerOption or answerValueSet, not both');
      return [];
    }
    const out: { code: string; system?: string }[] = [];
    if (hasValueSet) {
      const reference = raw.answerValueSet;
      if (typeof reference !== 'string' || !reference.startsWith('#')) {
        problem(
          'answerValueSet',
          `answerValueSet ${show(reference)} is not a contained ValueSet ("#id"); external value sets are not supported`
        );
        return out;
      }
      const valueSet = valueSets.get(reference.slice(1));
      if (valueSet === undefined) {
        problem('answerValueSet', `answerValueSet "${reference}" names no contained ValueSet`);
        return out;
      }
      if (valueSet.concepts.length === 0)
        problem('answerValueSet', `ValueSet "${reference}" has no concepts`);
      return valueSet.concepts;
    }
    if (!Array.isArray(raw.answerOption) || raw.answerOption.length === 0) {
      problem(
        hasOptions ? 'answerOption' : '',
        `a ${type} item needs answer options (answerOption, or answerValueSet naming a contained ValueSet)`
      );
      return out;
    }
    raw.answerOption.forEach((option, i) => {
      const suffix = `answerOption[${i}]`;
      if (!isObject(option)) return problem(suffix, 'an answer option is not an object');
      if (option.initialSelected !== undefined)
        problem(`${suffix}.initialSelected`, REFUSED_ITEM_KEYS.initial!);
      const coding = option.valueCoding;
      if (!isObject(coding)) {
        const found = Object.keys(option).find((k) => k.startsWith('value')) ?? 'no value';
        return problem(
          suffix,
          `answer options must be codings (valueCoding with code and display); found ${found}`
        );
      }
      const code = coding.code;
      if (!isText(code) || code !== code.trim()) {
        return problem(
          `${suffix}.valueCoding.code`,
          `answer option ${i + 1} has no code (or one with spaces around it)`
        );
      }
      if (out.some((o) => o.code === code))
        problem(`${suffix}.valueCoding.code`, `answer code "${code}" is listed twice`);
      if (coding.system !== undefined && !isText(coding.system)) {
        problem(`${suffix}.valueCoding.system`, `answer "${code}": system must be a URI`);
      }
      out.push({ code, ...(typeof coding.system === 'string' ? { system: coding.system } : {}) });
      if (!isText(coding.display)) {
        problem(`${suffix}.valueCoding.display`, `answer "${code}" has no display text`);
      } else if (safeTranslation(coding._display, other) === undefined) {
        problem(
          `${suffix}.valueCoding._display`,
          `answer "${code}" has no ${LANGUAGE_NAME[other]} translation (the translation extension on _display)`
        );
      }
    });
    return out;
  };

  const checkEnableWhen = (raw: Json, problem: (suffix: string, message: string) => void) => {
    const conditions = raw.enableWhen;
    if (raw.enableBehavior !== undefined && raw.enableBehavior !== 'all' && raw.enableBehavior !== 'any') {
      problem('enableBehavior', `enableBehavior must be "all" or "any", got ${show(raw.enableBehavior)}`);
    }
    if (conditions === undefined) return;
    if (!Array.isArray(conditions) || conditions.length === 0) {
      return problem('enableWhen', 'enableWhen must be a non-empty list of conditions');
    }
    if (conditions.length > 1 && raw.enableBehavior === undefined) {
      problem(
        'enableBehavior',
        `enableWhen has ${conditions.length} conditions: say whether all or any must hold (enableBehavior)`
      );
    }
    conditions.forEach((condition, i) => {
      const suffix = `enableWhen[${i}]`;
      if (!isObject(condition)) return problem(suffix, 'a condition is not an object');
      const question = condition.question;
      if (!isText(question)) return problem(`${suffix}.question`, 'enableWhen names no question');
      if (question === raw.linkId)
        return problem(`${suffix}.question`, 'enableWhen refers to the item itself');
      const target = known.get(question);
      if (target === undefined) {
        return problem(
          `${suffix}.question`,
          `enableWhen refers to "${question}", which comes later or does not exist`
        );
      }
      if (!target.answerable) {
        return problem(
          `${suffix}.question`,
          `enableWhen refers to "${question}", which is a ${target.type} and has no answer`
        );
      }
      const operator = condition.operator;
      if (!OPERATORS.includes(operator as (typeof OPERATORS)[number])) {
        return problem(
          `${suffix}.operator`,
          `operator ${show(operator)} is not one of ${OPERATORS.join(' ')}`
        );
      }
      if (
        (operator === '>' || operator === '<' || operator === '>=' || operator === '<=') &&
        !ORDERED_TYPES.includes(target.type)
      ) {
        return problem(
          `${suffix}.operator`,
          `operator "${String(operator)}" does not fit "${question}", a ${target.type} item (ordering needs integer, decimal or date)`
        );
      }
      const given = ANSWER_KEYS.filter((key) => condition[key] !== undefined);
      if (given.length !== 1) {
        return problem(
          suffix,
          `a condition needs exactly one answer[x], found ${given.length === 0 ? 'none' : given.join(', ')}`
        );
      }
      const key = given[0]!;
      const value = condition[key];
      const expected: readonly AnswerKey[] =
        operator === 'exists' ? ['answerBoolean'] : ANSWER_FOR_TYPE[target.type];
      if (!expected.includes(key)) {
        return problem(
          `${suffix}.${key}`,
          operator === 'exists'
            ? `"exists" takes answerBoolean (true: answered, false: not answered), not ${key}`
            : `${key} does not fit "${question}", a ${target.type} item (use ${expected.join(' or ')})`
        );
      }
      const typeOk =
        key === 'answerBoolean'
          ? typeof value === 'boolean'
          : key === 'answerInteger'
            ? Number.isInteger(value)
            : key === 'answerDecimal'
              ? typeof value === 'number' && Number.isFinite(value)
              : key === 'answerDate'
                ? typeof value === 'string' && /^\d{4}(-\d{2}(-\d{2})?)?$/.test(value)
                : key === 'answerString'
                  ? typeof value === 'string'
                  : key === 'answerCoding'
                    ? isObject(value) && isText(value.code)
                    : false;
      if (!typeOk) return problem(`${suffix}.${key}`, `${key} has a value of the wrong form: ${show(value)}`);
      if (key === 'answerCoding' && isObject(value)) {
        const code = value.code as string;
        const system = value.system;
        const match = target.options.find(
          (o) => o.code === code && (system === undefined || o.system === undefined || o.system === system)
        );
        if (match === undefined) {
          const codes = target.options.map((o) => o.code).join(', ');
          problem(
            `${suffix}.answerCoding`,
            `enableWhen answers "${code}"${system === undefined ? '' : ` (${show(system)})`}, which is not one of "${question}"'s answer codes (${codes})`
          );
        }
      }
    });
  };

  if (!Array.isArray(input.item) || input.item.length === 0) {
    fail('item', 'the questionnaire has no items');
  } else {
    walkItems(input.item, 'item', [
      ...(typeof input.url === 'string' && typeof input.version === 'string'
        ? [`${input.url}|${input.version}`]
        : []),
    ]);
    if (answerable === 0 && errors.length === 0) fail('item', 'the questionnaire has no question to answer');
  }

  return errors.length === 0
    ? { ok: true, questionnaire: input as unknown as Questionnaire }
    : { ok: false, errors };
}

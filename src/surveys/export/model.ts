/**
 * The export table: a survey dataset laid out as the variables (columns) and cells every export
 * file is written from — data.csv, the codebooks, the DDI XML and the R, Stata and SPSS scripts —
 * so they cannot disagree about a column, a code or a missing value.
 *
 * Layout (docs/surveys/export.md says the same for researchers):
 * - long form: one row per response, in the dataset's order; columns response_id, respondent_key
 *   (when any response has one), wave, status, questionnaire_version, updated_at (UTC), then the
 *   answerable items in questionnaire order;
 * - wide form: one row per respondent key (anonymous responses, which have none, one row each),
 *   respondent_key, then per wave (in the order the waves started) response_id_<wave>,
 *   status_<wave>, questionnaire_version_<wave>, updated_at_<wave> and `<item column>_<wave>`;
 * - an item becomes:
 *   boolean → 1/0; integer, decimal → the number; date → YYYY-MM-DD; string, text → the text;
 *   choice → the answer's code (one column `linkId`);
 *   open-choice → `linkId` with the code, or `_other` when the answer is free text, and the text
 *   itself in `linkId__other`;
 *   a repeating choice (check all that apply) → one 0/1 column per option, `linkId__code`
 *   (plus `linkId__other` for open-choice); other repeating items → `linkId__1`, `linkId__2`, …
 *   as many as the most answers any response gave;
 * - missing values, two kinds:
 *   not shown (the item was disabled by branching: enableWhen, or an enclosing group's) → an
 *   empty cell, the system-missing value of every program;
 *   no answer (shown, or reached in a partial response, but not answered) → the no-answer code
 *   (-99, or -999, -9999 … when -99 is a real value somewhere in this export) in every column of
 *   the item; for a check-all-that-apply item, "shown and nothing ticked" counts as no answer;
 * - codes for Stata and SPSS, which label integers only: each category gets an integer — the
 *   questionnaire's own (the FHIR ordinalValue/itemWeight extension on every option, or the score
 *   of a platform instrument's LOINC answers: the PHQ-9 keeps 0-3), else the code itself when every
 *   code of the item is an integer, else 1..k in the questionnaire's order; codes met in the data
 *   but not among this version's options follow (sorted, after the highest when the questionnaire
 *   gave the integers), then `_other` (the number after the highest).
 *
 * Text is exported as given, except: line breaks are written as LF (CRLF and CR become LF, as R
 * reads them anyway), NUL and unpaired UTF-16 surrogates become U+FFFD (no program keeps them).
 *
 * Pure module: no I/O.
 */
import type { Questionnaire, QuestionnaireItem, QuestionnaireItemEnableWhen } from 'fhir/r4.js';
import { PHQ9_DIFFICULTY_OPTIONS, PHQ9_FREQUENCY_OPTIONS } from '../../domain/instruments/phq9.js';
import {
  answerableItems,
  enabledLinkIds,
  flattenItems,
  questionnaireTitle,
  type FlatItem,
  type LocalText,
  type SurveyAnswer,
  type SurveyLanguage,
  type SurveyOption,
} from '../../domain/surveys/items.js';
import type { SurveyDataset, SurveyResponseRecord } from '../dataset.js';
import { NameRegistry } from './names.js';

export type ExportForm = 'long' | 'wide';

export interface ExportOptions {
  /** Language of the labels in the scripts and the primary codebook text (default nb). */
  language?: SurveyLanguage;
  /** Long (one row per response) or wide (one row per respondent); default long. */
  form?: ExportForm;
  /** Only responses to this questionnaire version (default: every response). */
  version?: string;
}

/**
 * How a column is stored. Number kinds are written as plain numbers and never escaped; the others
 * are text cells, escaped against spreadsheet formulas when they start with a trigger character.
 */
export type VariableKind =
  'text' | 'integer' | 'decimal' | 'date' | 'datetime' | 'categorical' | 'boolean' | 'indicator';

export const NUMBER_KINDS: ReadonlySet<VariableKind> = new Set([
  'integer',
  'decimal',
  'boolean',
  'indicator',
]);

export type VariableRole = 'meta' | 'answer' | 'option' | 'other' | 'repeat';

export interface ExportCategory {
  /** The code as written in the CSV (before formula escaping). */
  code: string;
  /** The integer Stata and SPSS store. */
  value: number;
  label: LocalText;
  /** Where the category comes from: an answer option, a code met only in the data, the open-choice free text, or a meta value. */
  origin: 'option' | 'data' | 'other' | 'meta';
}

export interface ExportVariable {
  /** CSV header. */
  column: string;
  /** R / Stata / SPSS name. */
  name: string;
  kind: VariableKind;
  role: VariableRole;
  linkId?: string;
  item?: FlatItem;
  /** The option of a 0/1 column of a repeating choice. */
  option?: SurveyOption;
  /** 1-based answer number of a repeating non-choice item. */
  repeatIndex?: number;
  /** The wave of a wide-form column. */
  wave?: string;
  /** Variable label (item text, with the option, "other" or answer number where needed). */
  label: LocalText;
  /** Categories of a categorical column (empty otherwise). */
  categories: readonly ExportCategory[];
  /** Value labels of a 0/1 column (boolean: no/yes, indicator: not chosen/chosen). */
  binaryLabels?: readonly [LocalText, LocalText];
  /** When the item is shown, in words (its own enableWhen and its groups'), or undefined if always. */
  condition?: LocalText;
  /** Decimal places to display (decimal columns). */
  decimals: number;
  /** Largest UTF-8 length of a cell in the CSV (for SPSS string widths). */
  maxBytes: number;
}

/** A cell: a value, NOT_SHOWN (empty, system missing) or NO_ANSWER (the no-answer code). */
export const NOT_SHOWN = null;
export const NO_ANSWER: unique symbol = Symbol('no answer');
export type ExportCell = string | typeof NOT_SHOWN | typeof NO_ANSWER;

export interface ExportCounts {
  /** Responses in the dataset, and those exported (after the version filter). */
  responses: number;
  exported: number;
  rows: number;
  byVersion: Record<string, number>;
  byWave: Record<string, number>;
  /** Wide form: responses left out because the same respondent has another for that wave (kept: complete before partial, then the latest). */
  duplicatesLeftOut: number;
  /** Answers to linkIds that are not answerable items of this questionnaire version, by linkId. */
  unknownItems: Record<string, number>;
  /** Answers whose value type does not fit the item (an integer item with a string), by linkId; exported as no answer. */
  wrongType: Record<string, number>;
  /** Dates that are not full dates (YYYY-MM-DD), by linkId: those columns are exported as text. */
  partialDates: Record<string, number>;
}

export interface ExportTable {
  surveyId: string;
  questionnaire: Questionnaire;
  title: LocalText;
  form: ExportForm;
  language: SurveyLanguage;
  /** Waves in the order they started (earliest updatedAt). */
  waves: readonly string[];
  /** Texts of the groups (by linkId), for the codebook's "group" column. */
  groupTexts: ReadonlyMap<string, LocalText>;
  variables: readonly ExportVariable[];
  rows: readonly (readonly ExportCell[])[];
  /** The no-answer code written in the CSV, e.g. "-99". */
  noAnswerCode: string;
  counts: ExportCounts;
}

export const OTHER_CODE = '_other';

export const TEXTS = {
  noAnswer: { nb: 'Ikke besvart', en: 'No answer' },
  notShown: { nb: 'Ikke vist (forgrening)', en: 'Not shown (branching)' },
  other: { nb: 'Annet (fritekst)', en: 'Other (free text)' },
  yes: { nb: 'Ja', en: 'Yes' },
  no: { nb: 'Nei', en: 'No' },
  chosen: { nb: 'Valgt', en: 'Chosen' },
  notChosen: { nb: 'Ikke valgt', en: 'Not chosen' },
  responseId: { nb: 'Svar-ID', en: 'Response ID' },
  respondentKey: { nb: 'Respondentnøkkel (pseudonym)', en: 'Respondent key (pseudonymous)' },
  wave: { nb: 'Runde', en: 'Wave' },
  status: { nb: 'Status', en: 'Status' },
  version: { nb: 'Skjemaversjon', en: 'Questionnaire version' },
  updatedAt: { nb: 'Sist lagret eller sendt inn (UTC)', en: 'Last saved or submitted (UTC)' },
  complete: { nb: 'Fullført', en: 'Complete' },
  partial: { nb: 'Delvis', en: 'Partial' },
} as const satisfies Record<string, LocalText>;

// ---------------------------------------------------------------------------------------------
// Values

const UNPAIRED_SURROGATE = /[\uD800-\uDBFF](?![\uDC00-\uDFFF])|(?<![\uD800-\uDBFF])[\uDC00-\uDFFF]/g;

/** Text as exported: LF line breaks, no NUL, no unpaired surrogates (see the module comment). */
export function normalizeText(text: string): string {
  return text.replace(/\r\n?/g, '\n').replace(/\0/g, '\uFFFD').replace(UNPAIRED_SURROGATE, '\uFFFD');
}

/**
 * A finite number as a plain decimal literal without an exponent, so every program reads it the
 * same (`1e-7` → `0.0000001`, `1e21` → `1000000000000000000000`). The digits are JavaScript's
 * shortest round-trip digits, so R and Stata read back the same double.
 */
export function formatNumber(value: number): string {
  if (!Number.isFinite(value)) throw new RangeError(`not a finite number: ${value}`);
  if (Object.is(value, -0)) return '0';
  const text = String(value);
  const match = /^(-?)(\d)(?:\.(\d+))?e([+-]\d+)$/.exec(text);
  if (!match) return text;
  const [, sign, lead, rest = '', exponentText] = match;
  const digits = `${lead}${rest}`;
  const point = 1 + Number(exponentText); // position of the decimal point within digits
  if (point <= 0) return `${sign}0.${'0'.repeat(-point)}${digits}`;
  if (point >= digits.length) return `${sign}${digits}${'0'.repeat(point - digits.length)}`;
  return `${sign}${digits.slice(0, point)}.${digits.slice(point)}`;
}

function decimalsOf(text: string): number {
  const point = text.indexOf('.');
  return point < 0 ? 0 : text.length - point - 1;
}

/** `YYYY-MM-DD HH:MM:SS` (UTC) of an ISO date-time, or undefined when it is not one. */
export function formatDateTime(iso: string): string | undefined {
  const time = Date.parse(iso);
  if (Number.isNaN(time)) return undefined;
  return new Date(time).toISOString().slice(0, 19).replace('T', ' ');
}

const FULL_DATE = /^\d{4}-(0[1-9]|1[0-2])-(0[1-9]|[12]\d|3[01])$/;

function utf8Length(text: string): number {
  return Buffer.byteLength(text, 'utf8');
}

// ---------------------------------------------------------------------------------------------
// Readable branching conditions

function conditionValue(
  condition: QuestionnaireItemEnableWhen,
  target: FlatItem | undefined,
  lang: SurveyLanguage
): string {
  if (condition.answerCoding?.code !== undefined) {
    const code = condition.answerCoding.code;
    const option = target?.options.find((o) => o.code === code);
    return option ? `${code} (${option.display[lang]})` : code;
  }
  if (condition.answerBoolean !== undefined) {
    return condition.answerBoolean ? TEXTS.yes[lang].toLowerCase() : TEXTS.no[lang].toLowerCase();
  }
  if (condition.answerString !== undefined) return JSON.stringify(condition.answerString);
  const value = condition.answerInteger ?? condition.answerDecimal ?? condition.answerDate;
  return value === undefined ? '?' : String(value);
}

function conditionText(
  condition: QuestionnaireItemEnableWhen,
  byLinkId: ReadonlyMap<string, FlatItem>,
  lang: SurveyLanguage
): string {
  const target = byLinkId.get(condition.question);
  if (condition.operator === 'exists') {
    const answered = condition.answerBoolean === true;
    const phrase =
      lang === 'nb'
        ? answered
          ? 'er besvart'
          : 'er ikke besvart'
        : answered
          ? 'is answered'
          : 'is not answered';
    return `${condition.question} ${phrase}`;
  }
  return `${condition.question} ${condition.operator} ${conditionValue(condition, target, lang)}`;
}

function ownCondition(
  item: FlatItem,
  byLinkId: ReadonlyMap<string, FlatItem>,
  lang: SurveyLanguage
): string | undefined {
  if (item.enableWhen.length === 0) return undefined;
  const parts = item.enableWhen.map((c) => conditionText(c, byLinkId, lang));
  if (parts.length === 1) return parts[0];
  const joiner =
    item.enableBehavior === 'any' ? (lang === 'nb' ? ' eller ' : ' or ') : lang === 'nb' ? ' og ' : ' and ';
  return `(${parts.join(joiner)})`;
}

/**
 * When an item is shown, in words, in both languages: its own enableWhen and those of its
 * enclosing groups (outermost first), joined by "and". Undefined for an item always shown.
 * Example: `shown when own-talk-therapy = never (Never)`.
 */
export function readableCondition(
  item: FlatItem,
  byLinkId: ReadonlyMap<string, FlatItem>
): LocalText | undefined {
  const chain = [...item.parents.map((p) => byLinkId.get(p)), item].filter(
    (i): i is FlatItem => i !== undefined
  );
  const text = (lang: SurveyLanguage) => {
    const parts = chain.map((i) => ownCondition(i, byLinkId, lang)).filter((p) => p !== undefined);
    if (parts.length === 0) return undefined;
    const joined = parts.join(lang === 'nb' ? ' og ' : ' and ');
    return lang === 'nb' ? `vises når ${joined}` : `shown when ${joined}`;
  };
  const nb = text('nb');
  const en = text('en');
  return nb === undefined || en === undefined ? undefined : { nb, en };
}

// ---------------------------------------------------------------------------------------------
// Answers → cells

/** The code of a choice answer (a coding's code, a string option's text, an integer option's number). */
function choiceCode(answer: SurveyAnswer): string | undefined {
  if ('valueCoding' in answer) return answer.valueCoding.code;
  if ('valueString' in answer) return answer.valueString;
  if ('valueInteger' in answer) return String(answer.valueInteger);
  return undefined;
}

interface ItemPlan {
  item: FlatItem;
  /** Columns of this item, without wave. */
  columns: ItemColumn[];
}

interface ItemColumn {
  column: string;
  kind: VariableKind;
  role: VariableRole;
  label: LocalText;
  categories: ExportCategory[];
  option?: SurveyOption;
  repeatIndex?: number;
  binaryLabels?: readonly [LocalText, LocalText];
}

type Problem = 'wrongType';

/** The cells of one item for one response (one per column of the item), and any problem met. */
function itemCells(
  plan: ItemPlan,
  answers: readonly SurveyAnswer[] | undefined,
  shown: boolean,
  partialDate: boolean
): { cells: ExportCell[]; problem?: Problem } {
  const { item, columns } = plan;
  if (!shown) return { cells: columns.map(() => NOT_SHOWN) };
  const given = answers ?? [];
  if (given.length === 0) return { cells: columns.map((c) => (c.role === 'other' ? NOT_SHOWN : NO_ANSWER)) };

  const optionCodes = new Set(item.options.map((o) => o.code));
  const isOpen = item.type === 'open-choice';
  const freeTexts: string[] = [];
  const codes: string[] = [];
  for (const answer of given) {
    const code = choiceCode(answer);
    if (isOpen && 'valueString' in answer && !optionCodes.has(answer.valueString)) {
      freeTexts.push(normalizeText(answer.valueString));
    } else if (code !== undefined) codes.push(code);
  }

  if (item.type === 'choice' || item.type === 'open-choice') {
    const hasCodeAnswer = given.some((a) => 'valueCoding' in a || 'valueString' in a || 'valueInteger' in a);
    if (!hasCodeAnswer) return { cells: columns.map(() => NO_ANSWER), problem: 'wrongType' };
    if (item.repeats) {
      const chosen = new Set(codes);
      const cells = columns.map((c): ExportCell => {
        if (c.role === 'other')
          return freeTexts.length > 0 ? normalizeText(freeTexts.join(' | ')) : NOT_SHOWN;
        return c.option !== undefined && chosen.has(c.option.code) ? '1' : '0';
      });
      return { cells };
    }
    const otherCode = columns[0]?.categories.find((c) => c.origin === 'other')?.code;
    const isOther = codes.length === 0 && freeTexts.length > 0 && otherCode !== undefined;
    const main: ExportCell = codes[0] ?? (isOther ? otherCode : NO_ANSWER);
    const cells = columns.map((c): ExportCell => {
      if (c.role === 'other') return isOther ? freeTexts[0]! : NOT_SHOWN;
      return main;
    });
    return { cells };
  }

  // Non-choice items: one column, or one per answer for a repeating item.
  let problem: Problem | undefined;
  const values = given.map((answer): string | undefined => {
    const value = scalarValue(item, answer, partialDate);
    if (value === undefined) problem = 'wrongType';
    return value;
  });
  const cells = columns.map((c, index): ExportCell => {
    if (index >= values.length) return NOT_SHOWN;
    return values[index] ?? NO_ANSWER;
  });
  return problem === undefined ? { cells } : { cells, problem };
}

function scalarValue(item: FlatItem, answer: SurveyAnswer, partialDate: boolean): string | undefined {
  switch (item.type) {
    case 'boolean':
      return 'valueBoolean' in answer ? (answer.valueBoolean ? '1' : '0') : undefined;
    case 'integer': {
      const n =
        'valueInteger' in answer ? answer.valueInteger : 'valueDecimal' in answer ? answer.valueDecimal : NaN;
      return Number.isSafeInteger(n) ? formatNumber(n) : undefined;
    }
    case 'decimal': {
      const n =
        'valueDecimal' in answer ? answer.valueDecimal : 'valueInteger' in answer ? answer.valueInteger : NaN;
      return Number.isFinite(n) ? formatNumber(n) : undefined;
    }
    case 'date':
      if (!('valueDate' in answer)) return undefined;
      return partialDate || FULL_DATE.test(answer.valueDate) ? normalizeText(answer.valueDate) : undefined;
    case 'string':
    case 'text':
      return 'valueString' in answer ? normalizeText(answer.valueString) : undefined;
    case 'group':
    case 'display':
    case 'choice':
    case 'open-choice':
      return undefined;
  }
}

// ---------------------------------------------------------------------------------------------
// Building the table

function uniqueLabels(categories: ExportCategory[]): ExportCategory[] {
  for (const lang of ['nb', 'en'] as const) {
    const seen = new Map<string, number>();
    for (const c of categories) seen.set(c.label[lang], (seen.get(c.label[lang]) ?? 0) + 1);
    for (const c of categories) {
      if ((seen.get(c.label[lang]) ?? 0) > 1)
        c.label = { ...c.label, [lang]: `${c.label[lang]} [${c.code}]` };
    }
  }
  return categories;
}

const INTEGER_CODE = /^-?(0|[1-9]\d{0,8})$/;

const LOINC_SYSTEM = 'http://loinc.org';
const ORDINAL_URLS = [
  'http://hl7.org/fhir/StructureDefinition/ordinalValue',
  'http://hl7.org/fhir/StructureDefinition/itemWeight',
];

/** Scores of the platform's instruments by LOINC answer code (PHQ-9 and GAD-7 frequency, PHQ-9 difficulty). */
const INSTRUMENT_SCORES: ReadonlyMap<string, number> = new Map(
  [...PHQ9_FREQUENCY_OPTIONS, ...PHQ9_DIFFICULTY_OPTIONS].map((o) => [o.loinc, o.score])
);

/**
 * Integers the questionnaire itself gives its options, by code: the FHIR ordinalValue (or
 * itemWeight) extension when every answerOption has an integer one, else the instrument's score
 * when every option is a LOINC answer of a platform instrument (the PHQ-9 keeps 0-3). Undefined
 * when neither applies or two options would share an integer.
 */
function optionIntegers(item: FlatItem, raw: QuestionnaireItem | undefined): Map<string, number> | undefined {
  const fromExtensions = (raw?.answerOption ?? []).map((option) => {
    const extensions = [...(option.extension ?? []), ...(option.valueCoding?.extension ?? [])];
    const found = extensions.find((e) => ORDINAL_URLS.includes(e.url));
    const value = found?.valueDecimal ?? found?.valueInteger;
    const code =
      option.valueCoding?.code ??
      option.valueString ??
      (option.valueInteger === undefined ? undefined : String(option.valueInteger));
    return code !== undefined && value !== undefined && Number.isSafeInteger(value)
      ? ([code, value] as const)
      : undefined;
  });
  const unique = (pairs: readonly (readonly [string, number])[]) =>
    new Set(pairs.map((p) => p[1])).size === pairs.length ? new Map(pairs) : undefined;
  if (
    item.options.length > 0 &&
    fromExtensions.length === item.options.length &&
    fromExtensions.every((p): p is readonly [string, number] => p !== undefined)
  ) {
    const map = unique(fromExtensions);
    if (map) return map;
  }
  if (
    item.options.length > 0 &&
    item.options.every((o) => o.system === LOINC_SYSTEM && INSTRUMENT_SCORES.has(o.code))
  ) {
    return unique(item.options.map((o) => [o.code, INSTRUMENT_SCORES.get(o.code)!] as const));
  }
  return undefined;
}

/** Categories of a single-answer choice item: options, then codes met only in the data, then `_other`. */
function choiceCategories(
  item: FlatItem,
  raw: QuestionnaireItem | undefined,
  dataCodes: ReadonlySet<string>,
  withOther: boolean
): ExportCategory[] {
  const options: { code: string; label: LocalText; origin: 'option' | 'data' }[] = [];
  const seen = new Set<string>();
  for (const option of item.options) {
    if (seen.has(option.code)) continue;
    seen.add(option.code);
    options.push({ code: option.code, label: { ...option.display }, origin: 'option' });
  }
  for (const code of [...dataCodes].filter((c) => !seen.has(c)).sort()) {
    seen.add(code);
    options.push({ code, label: { nb: code, en: code }, origin: 'data' });
  }
  const given = optionIntegers(item, raw);
  const allIntegers = options.length > 0 && options.every((o) => INTEGER_CODE.test(o.code));
  const categories: ExportCategory[] = [];
  if (given) {
    // The questionnaire's integers; data-only codes after the highest.
    let next = Math.max(0, ...given.values()) + 1;
    for (const o of options) categories.push({ ...o, value: given.get(o.code) ?? next++ });
  } else {
    options.forEach((o, index) => categories.push({ ...o, value: allIntegers ? Number(o.code) : index + 1 }));
  }
  if (withOther) {
    let code = OTHER_CODE;
    while (seen.has(code)) code = `_${code}`;
    const top = categories.reduce((max, c) => Math.max(max, c.value), 0);
    categories.push({ code, value: top + 1, label: { ...TEXTS.other }, origin: 'other' });
  }
  return uniqueLabels(categories);
}

function suffixLabel(label: LocalText, extra: LocalText | string): LocalText {
  const e = typeof extra === 'string' ? { nb: extra, en: extra } : extra;
  return { nb: `${label.nb}: ${e.nb}`, en: `${label.en}: ${e.en}` };
}

interface DataFacts {
  /** Codes met per choice linkId. */
  codes: Map<string, Set<string>>;
  /** Largest number of answers per linkId (repeating non-choice items). */
  maxAnswers: Map<string, number>;
  /** Non-full dates per date linkId. */
  partialDates: Map<string, number>;
}

function collectFacts(items: readonly FlatItem[], responses: readonly SurveyResponseRecord[]): DataFacts {
  const facts: DataFacts = { codes: new Map(), maxAnswers: new Map(), partialDates: new Map() };
  for (const item of items) {
    const choice = item.type === 'choice' || item.type === 'open-choice';
    const optionCodes = new Set(item.options.map((o) => o.code));
    const codes = new Set<string>();
    let maxAnswers = 0;
    let partial = 0;
    for (const response of responses) {
      const given = response.answers[item.linkId] ?? [];
      maxAnswers = Math.max(maxAnswers, given.length);
      for (const answer of given) {
        if (choice) {
          if (item.type === 'open-choice' && 'valueString' in answer && !optionCodes.has(answer.valueString))
            continue;
          const code = choiceCode(answer);
          if (code !== undefined) codes.add(code);
        } else if (item.type === 'date' && 'valueDate' in answer && !FULL_DATE.test(answer.valueDate))
          partial++;
      }
    }
    facts.codes.set(item.linkId, codes);
    facts.maxAnswers.set(item.linkId, maxAnswers);
    if (partial > 0) facts.partialDates.set(item.linkId, partial);
  }
  return facts;
}

function planItem(item: FlatItem, raw: QuestionnaireItem | undefined, facts: DataFacts): ItemPlan {
  const label = item.text;
  const codes = facts.codes.get(item.linkId) ?? new Set<string>();
  const binaryLabels = [TEXTS.notChosen, TEXTS.chosen] as const;
  if (item.type === 'choice' || item.type === 'open-choice') {
    const open = item.type === 'open-choice';
    const other: ItemColumn = {
      column: `${item.linkId}__other`,
      kind: 'text',
      role: 'other',
      label: suffixLabel(label, TEXTS.other),
      categories: [],
    };
    if (item.repeats) {
      const options = choiceCategories(item, raw, codes, false);
      const columns: ItemColumn[] = options.map((o) => ({
        column: `${item.linkId}__${o.code}`,
        kind: 'indicator',
        role: 'option',
        label: suffixLabel(label, o.label),
        categories: [],
        option: item.options.find((x) => x.code === o.code) ?? { code: o.code, display: o.label },
        binaryLabels,
      }));
      return { item, columns: open ? [...columns, other] : columns };
    }
    const main: ItemColumn = {
      column: item.linkId,
      kind: 'categorical',
      role: 'answer',
      label,
      categories: choiceCategories(item, raw, codes, open),
    };
    return { item, columns: open ? [main, other] : [main] };
  }
  const kind: VariableKind =
    item.type === 'boolean'
      ? 'boolean'
      : item.type === 'integer'
        ? 'integer'
        : item.type === 'decimal'
          ? 'decimal'
          : item.type === 'date' && !facts.partialDates.has(item.linkId)
            ? 'date'
            : 'text';
  const yesNo = kind === 'boolean' ? ({ binaryLabels: [TEXTS.no, TEXTS.yes] } as const) : {};
  if (!item.repeats)
    return {
      item,
      columns: [{ column: item.linkId, kind, role: 'answer', label, categories: [], ...yesNo }],
    };
  const count = Math.max(1, facts.maxAnswers.get(item.linkId) ?? 1);
  return {
    item,
    columns: Array.from({ length: count }, (_, i) => ({
      column: `${item.linkId}__${i + 1}`,
      kind,
      role: 'repeat' as const,
      label: { nb: `${label.nb} (${i + 1})`, en: `${label.en} (${i + 1})` },
      categories: [],
      repeatIndex: i + 1,
      ...yesNo,
    })),
  };
}

/** Waves in the order they started: earliest updatedAt first, then by name. */
function orderWaves(responses: readonly SurveyResponseRecord[]): string[] {
  const first = new Map<string, string>();
  for (const r of responses) {
    const seen = first.get(r.wave);
    if (seen === undefined || r.updatedAt < seen) first.set(r.wave, r.updatedAt);
  }
  return [...first.keys()].sort((a, b) => {
    const byTime = (first.get(a) ?? '').localeCompare(first.get(b) ?? '');
    return byTime !== 0 ? byTime : a.localeCompare(b);
  });
}

interface MetaColumn {
  column: string;
  kind: VariableKind;
  label: LocalText;
  categories: ExportCategory[];
  cell: (r: SurveyResponseRecord) => ExportCell;
}

function metaColumns(waves: readonly string[], withKey: boolean, form: ExportForm): MetaColumn[] {
  const waveCategories: ExportCategory[] = waves.map((w, i) => ({
    code: w,
    value: i + 1,
    label: { nb: w, en: w },
    origin: 'meta',
  }));
  const statusCategories: ExportCategory[] = [
    { code: 'complete', value: 1, label: { ...TEXTS.complete }, origin: 'meta' },
    { code: 'partial', value: 2, label: { ...TEXTS.partial }, origin: 'meta' },
  ];
  const all: (MetaColumn & { perWave: boolean })[] = [
    {
      column: 'response_id',
      kind: 'text',
      label: TEXTS.responseId,
      categories: [],
      cell: (r) => normalizeText(r.responseId),
      perWave: true,
    },
    ...(withKey
      ? [
          {
            column: 'respondent_key',
            kind: 'text' as const,
            label: TEXTS.respondentKey,
            categories: [],
            cell: (r: SurveyResponseRecord) =>
              r.respondentKey === undefined ? NOT_SHOWN : normalizeText(r.respondentKey),
            perWave: false,
          },
        ]
      : []),
    {
      column: 'wave',
      kind: 'categorical',
      label: TEXTS.wave,
      categories: waveCategories,
      cell: (r) => r.wave,
      perWave: false,
    },
    {
      column: 'status',
      kind: 'categorical',
      label: TEXTS.status,
      categories: statusCategories,
      cell: (r) => r.status,
      perWave: true,
    },
    {
      column: 'questionnaire_version',
      kind: 'text',
      label: TEXTS.version,
      categories: [],
      cell: (r) => normalizeText(r.questionnaireVersion),
      perWave: true,
    },
    {
      column: 'updated_at',
      kind: 'datetime',
      label: TEXTS.updatedAt,
      categories: [],
      cell: (r) => formatDateTime(r.updatedAt) ?? NOT_SHOWN,
      perWave: true,
    },
  ];
  if (form === 'long') return all;
  return all.filter((c) => c.perWave);
}

/** Builds the export table (see the module comment for the layout and conventions). */
export function buildExportTable(dataset: SurveyDataset, options: ExportOptions = {}): ExportTable {
  const language = options.language ?? 'nb';
  const form = options.form ?? 'long';
  const questionnaire = dataset.questionnaire;
  const flat = flattenItems(questionnaire);
  const byLinkId = new Map(flat.map((i) => [i.linkId, i]));
  const items = answerableItems(flat);
  const answerable = new Set(items.map((i) => i.linkId));

  const byVersion: Record<string, number> = {};
  const byWave: Record<string, number> = {};
  for (const r of dataset.responses)
    byVersion[r.questionnaireVersion] = (byVersion[r.questionnaireVersion] ?? 0) + 1;
  const responses = dataset.responses.filter(
    (r) => options.version === undefined || r.questionnaireVersion === options.version
  );
  for (const r of responses) byWave[r.wave] = (byWave[r.wave] ?? 0) + 1;
  const waves = orderWaves(responses);
  const withKey = responses.some((r) => r.respondentKey !== undefined);

  const unknownItems: Record<string, number> = {};
  for (const r of responses) {
    for (const [linkId, given] of Object.entries(r.answers)) {
      if (!answerable.has(linkId) && given.length > 0) unknownItems[linkId] = (unknownItems[linkId] ?? 0) + 1;
    }
  }

  const facts = collectFacts(items, responses);
  const rawItems = new Map<string, QuestionnaireItem>();
  const collect = (list: readonly QuestionnaireItem[] | undefined) =>
    (list ?? []).forEach((i) => {
      rawItems.set(i.linkId, i);
      collect(i.item);
    });
  collect(questionnaire.item);
  const plans = items.map((item) => planItem(item, rawItems.get(item.linkId), facts));

  // Columns and names. The meta names come first so an item linkId such as `status` gets a suffix.
  const registry = new NameRegistry();
  const usedColumns = new Set<string>();
  const uniqueColumn = (column: string) => {
    let candidate = column;
    for (let k = 2; usedColumns.has(candidate); k++) candidate = `${column}_${k}`;
    usedColumns.add(candidate);
    return candidate;
  };
  const metas = metaColumns(waves, withKey, form);
  const variables: ExportVariable[] = [];
  const cellFns: ((
    group: readonly (SurveyResponseRecord | undefined)[],
    itemCellsOf: ItemCellsOf
  ) => ExportCell)[] = [];
  type ItemCellsOf = (response: SurveyResponseRecord, planIndex: number) => ExportCell[];

  const addVariable = (
    column: string,
    wave: string | undefined,
    spec: Omit<ExportVariable, 'column' | 'name' | 'decimals' | 'maxBytes'>
  ) => {
    const wanted = wave === undefined ? column : `${column}_${wave}`;
    const unique = uniqueColumn(wanted);
    // The name keeps the wave suffix whole; a column renamed for uniqueness is named as renamed.
    const name = unique === wanted ? registry.name(column, wave) : registry.name(unique);
    variables.push({
      ...spec,
      column: unique,
      name,
      decimals: 0,
      maxBytes: 0,
      ...(wave === undefined ? {} : { wave }),
    });
  };

  const itemSpec = (plan: ItemPlan, c: ItemColumn, wave: string | undefined) => {
    const condition = readableCondition(plan.item, byLinkId);
    const waveLabel = (l: LocalText): LocalText =>
      wave === undefined ? l : { nb: `[${wave}] ${l.nb}`, en: `[${wave}] ${l.en}` };
    return {
      kind: c.kind,
      role: c.role,
      linkId: plan.item.linkId,
      item: plan.item,
      label: waveLabel(c.label),
      categories: c.categories,
      ...(c.option === undefined ? {} : { option: c.option }),
      ...(c.repeatIndex === undefined ? {} : { repeatIndex: c.repeatIndex }),
      ...(c.binaryLabels === undefined ? {} : { binaryLabels: c.binaryLabels }),
      ...(condition === undefined ? {} : { condition }),
    };
  };

  if (form === 'long') {
    for (const meta of metas) {
      addVariable(meta.column, undefined, {
        kind: meta.kind,
        role: 'meta',
        label: meta.label,
        categories: meta.categories,
      });
      cellFns.push((group) => meta.cell(group[0]!));
    }
    plans.forEach((plan, planIndex) =>
      plan.columns.forEach((c, columnIndex) => {
        addVariable(c.column, undefined, itemSpec(plan, c, undefined));
        cellFns.push((group, itemCellsOf) => itemCellsOf(group[0]!, planIndex)[columnIndex]!);
      })
    );
  } else {
    if (withKey) {
      addVariable('respondent_key', undefined, {
        kind: 'text',
        role: 'meta',
        label: TEXTS.respondentKey,
        categories: [],
      });
      cellFns.push((group) => {
        const key = group.find((r) => r !== undefined)?.respondentKey;
        return key === undefined ? NOT_SHOWN : normalizeText(key);
      });
    }
    waves.forEach((wave, waveIndex) => {
      for (const meta of metas) {
        addVariable(meta.column, wave, {
          kind: meta.kind,
          role: 'meta',
          label: { nb: `[${wave}] ${meta.label.nb}`, en: `[${wave}] ${meta.label.en}` },
          categories: meta.categories,
        });
        cellFns.push((group) => {
          const r = group[waveIndex];
          return r === undefined ? NOT_SHOWN : meta.cell(r);
        });
      }
      plans.forEach((plan, planIndex) =>
        plan.columns.forEach((c, columnIndex) => {
          addVariable(c.column, wave, itemSpec(plan, c, wave));
          cellFns.push((group, itemCellsOf) => {
            const r = group[waveIndex];
            return r === undefined ? NOT_SHOWN : itemCellsOf(r, planIndex)[columnIndex]!;
          });
        })
      );
    });
  }

  // Rows.
  const wrongType: Record<string, number> = {};
  const cache = new Map<SurveyResponseRecord, ExportCell[][]>();
  const itemCellsOf: ItemCellsOf = (response, planIndex) => {
    let perPlan = cache.get(response);
    if (perPlan === undefined) {
      const shown = enabledLinkIds(flat, response.answers);
      perPlan = plans.map((plan) => {
        const { cells, problem } = itemCells(
          plan,
          response.answers[plan.item.linkId],
          shown.has(plan.item.linkId),
          facts.partialDates.has(plan.item.linkId)
        );
        if (problem === 'wrongType') wrongType[plan.item.linkId] = (wrongType[plan.item.linkId] ?? 0) + 1;
        return cells;
      });
      cache.set(response, perPlan);
    }
    return perPlan[planIndex]!;
  };

  let duplicatesLeftOut = 0;
  const groups: (SurveyResponseRecord | undefined)[][] = [];
  if (form === 'long') {
    for (const r of responses) groups.push([r]);
  } else {
    const waveIndex = new Map(waves.map((w, i) => [w, i]));
    const byKey = new Map<string, (SurveyResponseRecord | undefined)[]>();
    const anonymous: (SurveyResponseRecord | undefined)[][] = [];
    const better = (a: SurveyResponseRecord, b: SurveyResponseRecord) =>
      a.status !== b.status ? a.status === 'complete' : a.updatedAt > b.updatedAt;
    for (const r of responses) {
      const slot = waveIndex.get(r.wave)!;
      if (r.respondentKey === undefined) {
        const row: (SurveyResponseRecord | undefined)[] = waves.map(() => undefined);
        row[slot] = r;
        anonymous.push(row);
        continue;
      }
      let row = byKey.get(r.respondentKey);
      if (row === undefined) {
        row = waves.map(() => undefined);
        byKey.set(r.respondentKey, row);
      }
      const existing = row[slot];
      if (existing !== undefined) {
        duplicatesLeftOut++;
        if (!better(r, existing)) continue;
      }
      row[slot] = r;
    }
    const keys = [...byKey.keys()].sort();
    for (const key of keys) groups.push(byKey.get(key)!);
    groups.push(...anonymous);
  }
  const rows = groups.map((group) => cellFns.map((fn) => fn(group, itemCellsOf)));

  // No-answer code: -99 unless a real value somewhere is -99; then -999, -9999, …
  const numbers = new Set<number>();
  variables.forEach((v, index) => {
    for (const c of v.categories) numbers.add(c.value);
    if (v.kind === 'integer' || v.kind === 'decimal') {
      for (const row of rows) {
        const cell = row[index];
        if (typeof cell === 'string') numbers.add(Number(cell));
      }
    }
  });
  let noAnswer = -99;
  while (numbers.has(noAnswer)) noAnswer = noAnswer * 10 - 9;
  const noAnswerCode = String(noAnswer);

  // Widths and decimals.
  variables.forEach((v, index) => {
    let maxBytes = v.kind === 'text' ? 1 : noAnswerCode.length;
    let decimals = 0;
    for (const row of rows) {
      const cell = row[index];
      if (typeof cell !== 'string') continue;
      maxBytes = Math.max(maxBytes, utf8Length(cell) + 1); // +1: room for the formula-escape apostrophe
      if (v.kind === 'decimal') decimals = Math.max(decimals, decimalsOf(cell));
    }
    for (const c of v.categories) maxBytes = Math.max(maxBytes, utf8Length(c.code) + 1);
    v.maxBytes = maxBytes;
    v.decimals = Math.min(decimals, 16);
  });

  const partialDates: Record<string, number> = Object.fromEntries(facts.partialDates);
  return {
    surveyId: dataset.surveyId,
    questionnaire,
    title: questionnaireTitle(questionnaire),
    form,
    language,
    waves,
    groupTexts: new Map(flat.filter((i) => i.type === 'group').map((i) => [i.linkId, i.text])),
    variables,
    rows,
    noAnswerCode,
    counts: {
      responses: dataset.responses.length,
      exported: responses.length,
      rows: rows.length,
      byVersion,
      byWave,
      duplicatesLeftOut,
      unknownItems,
      wrongType,
      partialDates,
    },
  };
}

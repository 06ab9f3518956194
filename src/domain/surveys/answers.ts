/**
 * Checks a respondent's answers against the questionnaire version they answer, item by item, so
 * the server stores only answers the questionnaire can hold and the page can say what is wrong
 * next to the question: each problem names the item's `linkId` and the reason.
 *
 * Answers arrive from the network, so nothing about their shape is assumed: any JSON value gives
 * a list of problems, never an exception. Checked, per item:
 * - the linkId is an item of this questionnaire, and one that takes an answer (not a group, a
 *   display text or a read-only total);
 * - each answer is one FHIR `value[x]` of the item's type (valueCoding for choice, valueInteger
 *   for integer, …), one answer unless the item repeats, no answer given twice;
 * - a choice is one of the item's options (open-choice also takes free text); a number lies
 *   within the item's minValue/maxValue; a text is within maxLength (or 10,000 characters when the
 *   item names none); a date is a real calendar date (FHIR `date`: YYYY, YYYY-MM or YYYY-MM-DD);
 * - the item is enabled for these answers (`enableWhen`): an answer to a question the respondent
 *   was not shown is refused, not silently kept;
 * - with `final`, every enabled required item has an answer (a required group: at least one of
 *   its enabled questions).
 *
 * Pure module: no I/O.
 */
import type { Questionnaire } from 'fhir/r4.js';
import {
  answerableItems,
  enabledLinkIds,
  flattenItems,
  type FlatItem,
  type SurveyAnswer,
  type SurveyAnswers,
} from './items.js';

export interface AnswerProblem {
  /** The item's linkId; '' when the answers as a whole are malformed. */
  linkId: string;
  reason: string;
}

/** A text answer without a maxLength of its own may not be longer than this. */
export const DEFAULT_MAX_TEXT_LENGTH = 10_000;

const VALUE_KEYS = [
  'valueCoding',
  'valueString',
  'valueInteger',
  'valueDecimal',
  'valueDate',
  'valueBoolean',
] as const;
type ValueKey = (typeof VALUE_KEYS)[number];

/** Which `value[x]` each item type takes. Choice items take codings, or the value of a string or integer option. */
const ACCEPTED: Record<string, readonly ValueKey[]> = {
  boolean: ['valueBoolean'],
  choice: ['valueCoding', 'valueString', 'valueInteger'],
  'open-choice': ['valueCoding', 'valueString', 'valueInteger'],
  integer: ['valueInteger'],
  decimal: ['valueDecimal'],
  date: ['valueDate'],
  string: ['valueString'],
  text: ['valueString'],
};

const FHIR_DATE = /^(\d{4})(?:-(\d{2})(?:-(\d{2}))?)?$/;

/** A FHIR `date` that names a real day (or month, or year). */
export function isFhirDate(value: string): boolean {
  const match = FHIR_DATE.exec(value);
  if (!match) return false;
  const [, year, month, day] = match;
  if (month === undefined) return true;
  const m = Number(month);
  if (m < 1 || m > 12) return false;
  if (day === undefined) return true;
  const d = Number(day);
  // Day 0 of the next month is the last day of this one (UTC, so no time zone moves it).
  const lastDay = new Date(Date.UTC(Number(year), m, 0)).getUTCDate();
  return d >= 1 && d <= lastDay;
}

function isPlainObject(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

/** A short, safe description of an unexpected value for a reason text. */
function describe(value: unknown): string {
  if (value === null) return 'null';
  if (Array.isArray(value)) return 'a list';
  return typeof value === 'object' ? 'an object' : `a ${typeof value}`;
}

/** The one `value[x]` of an answer, or a reason why it is not one. */
function answerValue(answer: unknown): { key: ValueKey; value: unknown } | { problem: string } {
  if (!isPlainObject(answer)) return { problem: `must be an answer object, got ${describe(answer)}` };
  const keys = Object.keys(answer);
  const known = keys.filter((k): k is ValueKey => (VALUE_KEYS as readonly string[]).includes(k));
  const unknown = keys.filter((k) => !(VALUE_KEYS as readonly string[]).includes(k));
  if (unknown.length > 0)
    return { problem: `has an unknown field ${JSON.stringify(unknown[0]!.slice(0, 40))}` };
  if (known.length !== 1) return { problem: 'must have exactly one value (valueCoding, valueString, …)' };
  return { key: known[0]!, value: answer[known[0]!] };
}

/** The problems of one answer to `item`, or none. */
function checkOne(item: FlatItem, key: ValueKey, value: unknown): string | null {
  const accepted = ACCEPTED[item.type] ?? [];
  if (!accepted.includes(key)) {
    const article = /^[aeiou]/.test(item.type) ? 'an' : 'a';
    return `takes ${accepted.join(' or ')} (${article} ${item.type} item), not ${key}`;
  }
  switch (key) {
    case 'valueBoolean':
      return typeof value === 'boolean' ? null : `valueBoolean must be true or false, got ${describe(value)}`;
    case 'valueInteger': {
      if (typeof value !== 'number' || !Number.isSafeInteger(value))
        return `valueInteger must be a whole number, got ${describe(value)}`;
      if (item.type === 'choice' || item.type === 'open-choice') return optionProblem(item, String(value));
      return rangeProblem(item, value);
    }
    case 'valueDecimal':
      if (typeof value !== 'number' || !Number.isFinite(value))
        return `valueDecimal must be a number, got ${describe(value)}`;
      return rangeProblem(item, value);
    case 'valueDate':
      if (typeof value !== 'string' || !isFhirDate(value))
        return 'valueDate must be a date (YYYY-MM-DD, YYYY-MM or YYYY)';
      return null;
    case 'valueString': {
      if (typeof value !== 'string') return `valueString must be text, got ${describe(value)}`;
      if (item.type === 'choice') return optionProblem(item, value);
      if (item.type === 'open-choice' && item.options.some((o) => o.code === value)) return null;
      const limit = item.maxLength ?? DEFAULT_MAX_TEXT_LENGTH;
      // Characters as the respondent sees them (code points), not UTF-16 units.
      const length = [...value].length;
      if (length > limit) return `is too long: at most ${limit} characters, got ${length}`;
      if (value.trim() === '') return 'is empty: leave the question out instead';
      return null;
    }
    case 'valueCoding': {
      if (!isPlainObject(value) || typeof value.code !== 'string')
        return 'valueCoding must be an object with a code';
      const system = value.system;
      if (system !== undefined && typeof system !== 'string') return 'valueCoding.system must be text';
      const fits = item.options.some(
        (o) =>
          o.code === value.code && (o.system === undefined || system === undefined || o.system === system)
      );
      return fits ? null : `${JSON.stringify(value.code.slice(0, 40))} is not one of the item's options`;
    }
    default:
      return 'is not a supported answer';
  }
}

function optionProblem(item: FlatItem, code: string): string | null {
  return item.options.some((o) => o.code === code)
    ? null
    : `${JSON.stringify(code.slice(0, 40))} is not one of the item's options`;
}

function rangeProblem(item: FlatItem, value: number): string | null {
  if (item.min !== undefined && value < item.min) return `must be at least ${item.min}, got ${value}`;
  if (item.max !== undefined && value > item.max) return `must be at most ${item.max}, got ${value}`;
  return null;
}

function sameAnswer(a: unknown, b: unknown): boolean {
  return JSON.stringify(a) === JSON.stringify(b);
}

/**
 * Every problem with `answers` for `questionnaire`, in the questionnaire's item order (unknown
 * linkIds last). Empty when the answers can be stored; with `final`, when they can be submitted.
 */
export function checkAnswers(
  questionnaire: Questionnaire,
  answers: unknown,
  options: { final: boolean }
): AnswerProblem[] {
  if (!isPlainObject(answers)) {
    return [{ linkId: '', reason: `must be an object of answers by linkId, got ${describe(answers)}` }];
  }
  const items = flattenItems(questionnaire);
  const byLinkId = new Map(items.map((item) => [item.linkId, item]));
  const problems: AnswerProblem[] = [];
  const wellFormed: Record<string, SurveyAnswer[]> = {};

  // Shape and type of each answer, item by item.
  for (const [linkId, given] of Object.entries(answers)) {
    const item = byLinkId.get(linkId);
    if (!item) {
      problems.push({ linkId, reason: 'is not an item of this questionnaire' });
      continue;
    }
    if (item.type === 'group' || item.type === 'display') {
      problems.push({ linkId, reason: `is a ${item.type} and takes no answer` });
      continue;
    }
    if (item.readOnly) {
      problems.push({ linkId, reason: 'is read-only (computed) and takes no answer' });
      continue;
    }
    if (!Array.isArray(given)) {
      problems.push({ linkId, reason: `must be a list of answers, got ${describe(given)}` });
      continue;
    }
    if (given.length === 0) continue; // no answer given: the same as leaving the item out
    if (given.length > 1 && !item.repeats) {
      problems.push({ linkId, reason: `takes one answer, got ${given.length}` });
      continue;
    }
    let ok = true;
    given.forEach((answer, index) => {
      const parsed = answerValue(answer);
      const where = given.length > 1 ? `answer ${index + 1} ` : '';
      const problem = 'problem' in parsed ? parsed.problem : checkOne(item, parsed.key, parsed.value);
      if (problem !== null) {
        problems.push({ linkId, reason: `${where}${problem}` });
        ok = false;
      } else if (given.slice(0, index).some((earlier) => sameAnswer(earlier, answer))) {
        problems.push({ linkId, reason: `${where}repeats an earlier answer` });
        ok = false;
      }
    });
    if (ok) wellFormed[linkId] = given as SurveyAnswer[];
  }

  // Items with a problem above count as answered (the respondent did answer; the answer is wrong),
  // and what their answer would show or hide is not judged until it is put right: one mistake
  // gives one problem, not a cascade of "not shown" and "required" beside it.
  const faulty = new Set(problems.map((p) => p.linkId));
  const dependsOnFaulty = (item: FlatItem, seen = new Set<string>()): boolean => {
    if (seen.has(item.linkId)) return false;
    seen.add(item.linkId);
    const conditions = [item, ...item.parents.map((p) => byLinkId.get(p)).filter((p) => p !== undefined)];
    return conditions.some((c) =>
      c.enableWhen.some((w) => {
        if (faulty.has(w.question)) return true;
        const source = byLinkId.get(w.question);
        return source !== undefined && dependsOnFaulty(source, seen);
      })
    );
  };

  // Branching: only what the respondent was shown may be answered.
  const enabled = enabledLinkIds(items, wellFormed);
  for (const linkId of Object.keys(wellFormed)) {
    if (!enabled.has(linkId) && !dependsOnFaulty(byLinkId.get(linkId)!)) {
      problems.push({
        linkId,
        reason: 'is not shown for the answers given (its enableWhen conditions do not hold)',
      });
    }
  }

  if (options.final) {
    const answered = (item: FlatItem) =>
      (wellFormed[item.linkId]?.length ?? 0) > 0 || faulty.has(item.linkId);
    const questions = answerableItems(items);
    for (const item of items) {
      if (!item.required || !enabled.has(item.linkId) || item.readOnly) continue;
      if (item.type === 'display') continue;
      if (item.type === 'group') {
        const inside = questions.filter((q) => q.parents.includes(item.linkId) && enabled.has(q.linkId));
        if (inside.length > 0 && !inside.some(answered)) {
          problems.push({ linkId: item.linkId, reason: 'is required: answer at least one of its questions' });
        }
        continue;
      }
      if (!answered(item)) problems.push({ linkId: item.linkId, reason: 'is required' });
    }
  }

  // The questionnaire's order, so the page can list them top to bottom.
  const order = new Map(items.map((item, index) => [item.linkId, index]));
  return problems
    .map((p, index) => ({ p, index }))
    .sort(
      (a, b) =>
        (order.get(a.p.linkId) ?? items.length) - (order.get(b.p.linkId) ?? items.length) || a.index - b.index
    )
    .map(({ p }) => p);
}

/** The answers as `SurveyAnswers` once `checkAnswers` found nothing (a typed view, no copy). */
export function asSurveyAnswers(answers: unknown): SurveyAnswers {
  return answers as SurveyAnswers;
}

/**
 * The instruments' items as the questionnaire renderer takes them (`FlatItem`, what
 * `flattenItems` reads from a Questionnaire), built straight from the definitions the published
 * Questionnaires (questionnaires.ts) are built from. form-items.test.ts proves each equals
 * `flattenItems` of the published Questionnaire: the same linkIds, texts in nb and en, answer
 * codings and labels, limits and required flags.
 *
 * Why not `flattenItems(PHQ9_QUESTIONNAIRE)` in the browser: the patient module page would then
 * load the Questionnaire resources and the survey item reader as well, 4.3 KB gzipped, over the
 * page's 200 KB budget (scripts/build-size.mjs).
 *
 * Pure module: no I/O.
 */
import type { FlatItem } from '../surveys/items.js';
import { LOINC } from './fhir.js';
import { GAD7_ITEMS, GAD7_OPTIONS } from './gad7.js';
import {
  PHQ9_DIFFICULTY_OPTIONS,
  PHQ9_DIFFICULTY_QUESTION,
  PHQ9_FREQUENCY_OPTIONS,
  PHQ9_ITEMS,
  type AnswerOption,
  type InstrumentItem,
} from './phq9.js';
import { WORK_STATUS_TEXT, WORK_STATUSES, WSAS_CODE_SYSTEM, WSAS_ITEMS } from './wsas.js';

const plain = {
  repeats: false,
  readOnly: false,
  enableWhen: [],
  enableBehavior: 'all',
  parents: [],
} as const;

function choiceItem(item: InstrumentItem, options: readonly AnswerOption[], required = true): FlatItem {
  return {
    ...plain,
    linkId: item.linkId,
    type: 'choice',
    text: item.text,
    required,
    options: options.map((o) => ({ code: o.loinc, system: LOINC, display: o.text })),
  };
}

/** PHQ-9 items 1-9, by linkId. */
export const PHQ9_FORM_ITEMS: ReadonlyMap<string, FlatItem> = new Map(
  PHQ9_ITEMS.map((item) => [item.linkId, choiceItem(item, PHQ9_FREQUENCY_OPTIONS)])
);

/**
 * PHQ-9 item 10 (difficulty), asked only when some item is above 0. Its text is the form's
 * wording ("If you checked off any problems, …"); the published Questionnaire has a shorter one.
 */
export const PHQ9_DIFFICULTY_FORM_ITEM: FlatItem = choiceItem(
  { linkId: 'phq9-10', loinc: '', text: PHQ9_DIFFICULTY_QUESTION },
  PHQ9_DIFFICULTY_OPTIONS,
  false
);

/** GAD-7 items 1-7, by linkId. */
export const GAD7_FORM_ITEMS: ReadonlyMap<string, FlatItem> = new Map(
  GAD7_ITEMS.map((item) => [item.linkId, choiceItem(item, GAD7_OPTIONS)])
);

/** WSAS items 1-5 (0-8 each; work may be left out), by linkId. */
export const WSAS_FORM_ITEMS: ReadonlyMap<string, FlatItem> = new Map(
  WSAS_ITEMS.map((item, index): [string, FlatItem] => [
    item.linkId,
    {
      ...plain,
      linkId: item.linkId,
      type: 'integer',
      text: item.text,
      required: index !== 0,
      options: [],
      min: 0,
      max: 8,
    },
  ])
);

/** The WSAS work-status question; its text is the published Questionnaire's. */
export const WSAS_WORK_STATUS_FORM_ITEM: FlatItem = {
  ...plain,
  linkId: 'work-status',
  type: 'choice',
  text: { nb: 'Hva gjør du til daglig nå?', en: 'What do you do day to day now?' },
  required: true,
  options: WORK_STATUSES.map((status) => ({
    code: status,
    system: `${WSAS_CODE_SYSTEM}-work-status`,
    display: WORK_STATUS_TEXT[status],
  })),
};

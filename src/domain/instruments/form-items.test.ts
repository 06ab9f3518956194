import { describe, expect, it } from 'vitest';
import { flattenItems, type FlatItem } from '../surveys/items.js';
import {
  GAD7_FORM_ITEMS,
  PHQ9_DIFFICULTY_FORM_ITEM,
  PHQ9_FORM_ITEMS,
  WSAS_FORM_ITEMS,
  WSAS_WORK_STATUS_FORM_ITEM,
} from './form-items.js';
import { PHQ9_DIFFICULTY_QUESTION } from './phq9.js';
import { GAD7_QUESTIONNAIRE, PHQ9_QUESTIONNAIRE, WSAS_QUESTIONNAIRE } from './questionnaires.js';

/**
 * The patient forms render these items; they must be exactly what the shared renderer would get
 * from the published Questionnaires (flattenItems), field by field, so the forms show the
 * Questionnaires' words and answer with the Questionnaires' codes.
 */
describe('the instruments’ form items are the published Questionnaires’ items', () => {
  const published = (items: FlatItem[], total: string) => items.filter((i) => i.linkId !== total);

  it('PHQ-9: items 1-9, and item 10 apart from its (form) wording', () => {
    const items = published(flattenItems(PHQ9_QUESTIONNAIRE), 'phq9-total');
    expect(items.map((i) => i.linkId)).toEqual([...PHQ9_FORM_ITEMS.keys(), 'phq9-10']);
    for (const item of items.slice(0, 9)) expect(PHQ9_FORM_ITEMS.get(item.linkId)).toEqual(item);
    const item10 = items[9];
    expect(PHQ9_DIFFICULTY_FORM_ITEM).toEqual({ ...item10, text: PHQ9_DIFFICULTY_QUESTION });
    // The published text is the shorter one; the form keeps its wording (docs/surveys/questionnaires.md).
    expect(item10?.text.nb).not.toBe(PHQ9_DIFFICULTY_QUESTION.nb);
  });

  it('GAD-7: items 1-7', () => {
    const items = published(flattenItems(GAD7_QUESTIONNAIRE), 'gad7-total');
    expect(items).toEqual([...GAD7_FORM_ITEMS.values()]);
  });

  it('WSAS: the work status, then items 1-5 (0-8, work optional)', () => {
    const items = published(flattenItems(WSAS_QUESTIONNAIRE), 'wsas-total');
    expect(items).toEqual([WSAS_WORK_STATUS_FORM_ITEM, ...WSAS_FORM_ITEMS.values()]);
    // Hand-checked: work (wsas-1) may be left out, home management (wsas-2) may not.
    expect([...WSAS_FORM_ITEMS.values()].map((i) => i.required)).toEqual([false, true, true, true, true]);
  });
});

import type { TFunction } from 'i18next';
import { describe, expect, it } from 'vitest';
import type { ExerciseField } from '../../../../domain/program/content-schema.js';
import { answerText } from './answer-text.js';

const t = ((key: string, options?: Record<string, unknown>) =>
  `${key}:${JSON.stringify(options)}`) as unknown as TFunction;

describe('answerText', () => {
  it('renders each kind of answer as text with the content labels', () => {
    const text: ExerciseField = { id: 'a', type: 'textarea', label: 'A' };
    const scale: ExerciseField = {
      id: 'b',
      type: 'scale',
      label: 'B',
      min: 0,
      max: 10,
      minLabel: 'lo',
      maxLabel: 'hi',
    };
    const options = [
      { id: 'x', label: 'Ex' },
      { id: 'y', label: 'Why' },
    ];
    const choice: ExerciseField = { id: 'c', type: 'choice', label: 'C', options };
    const multi: ExerciseField = { id: 'd', type: 'multi-choice', label: 'D', options };
    expect(answerText(t, text, '<b>as text</b>')).toBe('<b>as text</b>');
    expect(answerText(t, text, '   ')).toBeNull();
    expect(answerText(t, scale, 7)).toBe('workbook.scaleValue:{"value":7,"min":0,"max":10}');
    expect(answerText(t, scale, 0)).toContain('"value":0');
    expect(answerText(t, choice, 'y')).toBe('Why');
    expect(answerText(t, multi, ['y', 'x'])).toBe('Why, Ex');
    expect(answerText(t, multi, [])).toBeNull();
    expect(answerText(t, choice, null)).toBeNull();
    expect(answerText(t, choice, undefined)).toBeNull();
  });
});

/** A workbook answer as plain text, with labels from the module content. */
import type { TFunction } from 'i18next';
import type { ExerciseField } from '../../../../domain/program/content-schema.js';
import type { AnswerValue } from '../../../api/client.js';

export function answerText(
  t: TFunction,
  field: ExerciseField,
  value: AnswerValue | undefined
): string | null {
  if (value === null || value === undefined) return null;
  switch (field.type) {
    case 'text':
    case 'textarea':
      return typeof value === 'string' && value.trim() !== '' ? value : null;
    case 'scale':
      return typeof value === 'number'
        ? t('workbook.scaleValue', { value, min: field.min, max: field.max })
        : null;
    case 'choice':
      return typeof value === 'string' ? (field.options.find((o) => o.id === value)?.label ?? value) : null;
    case 'multi-choice':
      return Array.isArray(value) && value.length > 0
        ? value.map((id) => field.options.find((o) => o.id === id)?.label ?? id).join(', ')
        : null;
  }
}

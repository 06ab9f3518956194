/**
 * Workbook answers: what a patient writes in an exercise, checked against the exercise's fields.
 * Answers are saved as they are typed, so any subset of fields may be present; a field set to
 * null is cleared. Nothing here decides sharing: the patient chooses per entry, and the default
 * is private.
 */
import type { FieldProblem } from '../instruments/phq9.js';
import type { Exercise } from './content-schema.js';

export type AnswerValue = string | number | string[] | null;
export type WorkbookAnswers = Record<string, AnswerValue>;

const DEFAULT_TEXT_MAX = 2000;
const DEFAULT_TEXTAREA_MAX = 4000;

/** Is this entry worth showing as "done"? At least one field has a non-empty answer. */
export function hasAnyAnswer(answers: WorkbookAnswers): boolean {
  return Object.values(answers).some((v) => (Array.isArray(v) ? v.length > 0 : v !== null && v !== ''));
}

export function validateWorkbookAnswers(
  exercise: Exercise,
  answers: Record<string, unknown>
): FieldProblem[] {
  const problems: FieldProblem[] = [];
  const fields = new Map(exercise.fields.map((f) => [f.id, f]));
  for (const [fieldId, value] of Object.entries(answers)) {
    const field = fields.get(fieldId);
    const name = `answers.${fieldId}`;
    if (!field) {
      problems.push({ field: name, reason: `is not a field of exercise ${exercise.id}` });
      continue;
    }
    if (value === null) continue;
    switch (field.type) {
      case 'text':
      case 'textarea': {
        const max = field.maxLength ?? (field.type === 'text' ? DEFAULT_TEXT_MAX : DEFAULT_TEXTAREA_MAX);
        if (typeof value !== 'string') problems.push({ field: name, reason: 'must be text' });
        else if (value.length > max)
          problems.push({ field: name, reason: `must be at most ${max} characters` });
        break;
      }
      case 'scale':
        if (!Number.isInteger(value) || (value as number) < field.min || (value as number) > field.max) {
          problems.push({ field: name, reason: `must be a whole number from ${field.min} to ${field.max}` });
        }
        break;
      case 'choice':
        if (typeof value !== 'string' || !field.options.some((o) => o.id === value)) {
          problems.push({
            field: name,
            reason: `must be one of ${field.options.map((o) => o.id).join(', ')}`,
          });
        }
        break;
      case 'multi-choice': {
        const valid =
          Array.isArray(value) &&
          value.every((v) => typeof v === 'string' && field.options.some((o) => o.id === v));
        if (!valid || new Set(value as string[]).size !== (value as string[]).length) {
          problems.push({
            field: name,
            reason: `must be a list of distinct options from ${field.options.map((o) => o.id).join(', ')}`,
          });
        }
        break;
      }
    }
  }
  return problems;
}

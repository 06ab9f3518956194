/**
 * A module is a sequence of pages: each lesson, then the exercises, the quiz, the homework and the
 * one-page summary. The page is kept in the URL (`?step=lesson-2`), so reload, back and links from
 * the home page ("continue at lesson 3") all land in the right place.
 */
import type { ModuleProgress, PatientModuleContent } from '../../../api/client.js';

export type ModuleStep =
  | { kind: 'lesson'; index: number; lessonId: string }
  | { kind: 'exercises' }
  | { kind: 'quiz' }
  | { kind: 'homework' }
  | { kind: 'summary' };

export type SectionKind = 'lessons' | 'exercises' | 'quiz' | 'homework' | 'summary';

export const SECTIONS: readonly SectionKind[] = ['lessons', 'exercises', 'quiz', 'homework', 'summary'];

type Outline = Pick<PatientModuleContent, 'lessons'>;

export function moduleSteps(content: Outline): ModuleStep[] {
  return [
    ...content.lessons.map((lesson, index) => ({ kind: 'lesson' as const, index, lessonId: lesson.id })),
    { kind: 'exercises' },
    { kind: 'quiz' },
    { kind: 'homework' },
    { kind: 'summary' },
  ];
}

/** The URL value of a step: lessons are numbered from 1 as the patient sees them. */
export function stepKey(step: ModuleStep): string {
  return step.kind === 'lesson' ? `lesson-${step.index + 1}` : step.kind;
}

export function sectionOf(step: ModuleStep): SectionKind {
  return step.kind === 'lesson' ? 'lessons' : step.kind;
}

/** The step named in the URL, or null when it names nothing in this module. */
export function parseStep(value: string | null, content: Outline): ModuleStep | null {
  if (!value) return null;
  return moduleSteps(content).find((step) => stepKey(step) === value) ?? null;
}

/** Index (0-based) of the first lesson the patient has not seen, or null when all are seen. */
export function firstUnviewedLesson(
  content: Outline,
  progress: Pick<ModuleProgress, 'lessonsViewed'>
): number | null {
  const seen = new Set(progress.lessonsViewed);
  const index = content.lessons.findIndex((lesson) => !seen.has(lesson.id));
  return index === -1 ? null : index;
}

/**
 * Where to open a module without a step in the URL: the first unseen lesson; when every lesson is
 * seen, the quiz if a question is unanswered; a finished module opens at its first lesson.
 */
export function resumeStep(
  content: Outline & Pick<PatientModuleContent, 'quiz'>,
  progress: Pick<ModuleProgress, 'lessonsViewed' | 'quizAnswered' | 'state'> | undefined
): ModuleStep {
  const steps = moduleSteps(content);
  const first = steps[0]!;
  if (!progress || progress.state === 'completed') return first;
  const unseen = firstUnviewedLesson(content, progress);
  if (unseen !== null) return steps[unseen]!;
  const answered = new Set(progress.quizAnswered.map((a) => a.questionId));
  if (content.quiz.some((q) => !answered.has(q.id))) return { kind: 'quiz' };
  return first;
}

export function stepIndex(steps: readonly ModuleStep[], step: ModuleStep): number {
  const key = stepKey(step);
  return steps.findIndex((candidate) => stepKey(candidate) === key);
}

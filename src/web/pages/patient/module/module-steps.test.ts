import { describe, expect, it } from 'vitest';
import { moduleSteps, parseStep, resumeStep, stepKey } from './module-steps.js';

const content = {
  lessons: [{ id: 'a' }, { id: 'b' }, { id: 'c' }],
  quiz: [{ id: 'q1' }, { id: 'q2' }],
} as unknown as Parameters<typeof resumeStep>[0];

describe('module steps', () => {
  it('lists each lesson, then exercises, quiz, homework and summary, with URL keys', () => {
    expect(moduleSteps(content).map(stepKey)).toEqual([
      'lesson-1',
      'lesson-2',
      'lesson-3',
      'exercises',
      'quiz',
      'homework',
      'summary',
    ]);
    expect(parseStep('lesson-2', content)).toEqual({ kind: 'lesson', index: 1, lessonId: 'b' });
    expect(parseStep('lesson-9', content)).toBeNull();
    expect(parseStep(null, content)).toBeNull();
  });

  it('resumes at the first unseen lesson, then the quiz; a finished module opens at the start', () => {
    const base = { quizAnswered: [], state: 'in_progress' as const };
    expect(stepKey(resumeStep(content, { ...base, lessonsViewed: ['a'] }))).toBe('lesson-2');
    expect(stepKey(resumeStep(content, { ...base, lessonsViewed: ['a', 'b', 'c'] }))).toBe('quiz');
    expect(
      stepKey(
        resumeStep(content, {
          state: 'completed',
          lessonsViewed: ['a', 'b', 'c'],
          quizAnswered: [
            { questionId: 'q1', optionId: 'x', correct: true },
            { questionId: 'q2', optionId: 'y', correct: false },
          ],
        })
      )
    ).toBe('lesson-1');
    expect(stepKey(resumeStep(content, undefined))).toBe('lesson-1');
  });
});

/**
 * Checks module content beyond its schema: references between parts, unique ids, the same
 * structure in both languages, and plain language (LIX < 40 in Norwegian, Flesch > 60 in English).
 * Used by the build check (`npm run content:check`) and by the tests.
 */
import { Value } from 'typebox/value';
import { ModuleContent, type Lesson } from './content-schema.js';
import { fleschReadingEase, lix } from './readability.js';

export const MAX_LIX_NB = 40;
export const MIN_FLESCH_EN = 60;

export interface ContentProblem {
  file: string;
  path: string;
  problem: string;
}

/** The lesson texts a reader actually reads, for the readability measures. */
export function lessonTexts(lessons: readonly Lesson[]): string[] {
  return lessons.flatMap((lesson) =>
    lesson.blocks.flatMap((block) => (block.type === 'list' ? block.items : [block.text]))
  );
}

export function validateModuleFile(file: string, data: unknown): ContentProblem[] {
  if (!Value.Check(ModuleContent, data)) {
    return [...Value.Errors(ModuleContent, data)].slice(0, 20).map((e) => ({
      file,
      path: e.instancePath || '/',
      problem: e.message,
    }));
  }
  const m = data;
  const problems: ContentProblem[] = [];
  const add = (path: string, problem: string) => problems.push({ file, path, problem });

  const unique = (ids: string[], where: string) => {
    const seen = new Set<string>();
    for (const id of ids) {
      if (seen.has(id)) add(where, `duplicate id "${id}"`);
      seen.add(id);
    }
  };
  unique(
    m.lessons.map((l) => l.id),
    '/lessons'
  );
  unique(
    m.exercises.map((e) => e.id),
    '/exercises'
  );
  unique(
    m.quiz.map((q) => q.id),
    '/quiz'
  );
  const exerciseIds = new Set(m.exercises.map((e) => e.id));
  m.exercises.forEach((exercise, i) => {
    unique(
      exercise.fields.map((f) => f.id),
      `/exercises/${i}/fields`
    );
    exercise.fields.forEach((field, j) => {
      if (field.type === 'scale' && field.min >= field.max)
        add(`/exercises/${i}/fields/${j}`, 'scale min must be below max');
      if (field.type === 'choice' || field.type === 'multi-choice') {
        unique(
          field.options.map((o) => o.id),
          `/exercises/${i}/fields/${j}/options`
        );
      }
    });
  });
  m.quiz.forEach((q, i) => {
    unique(
      q.options.map((o) => o.id),
      `/quiz/${i}/options`
    );
    if (!q.options.some((o) => o.id === q.correctOptionId))
      add(`/quiz/${i}`, `correctOptionId "${q.correctOptionId}" is not an option`);
  });
  if (m.homework.exerciseId && !exerciseIds.has(m.homework.exerciseId)) {
    add('/homework/exerciseId', `no exercise "${m.homework.exerciseId}"`);
  }
  m.gp.manual.keyExercises.forEach((k, i) => {
    if (!exerciseIds.has(k.exerciseId)) add(`/gp/manual/keyExercises/${i}`, `no exercise "${k.exerciseId}"`);
  });
  if (`m${m.number}` !== m.id) add('/number', `number ${m.number} does not match id ${m.id}`);

  const texts = lessonTexts(m.lessons);
  if (m.language === 'nb') {
    const score = lix(texts);
    if (score >= MAX_LIX_NB)
      add('/lessons', `LIX ${score.toFixed(1)} is not under ${MAX_LIX_NB}: use shorter sentences and words`);
  } else {
    const score = fleschReadingEase(texts);
    if (score <= MIN_FLESCH_EN)
      add(
        '/lessons',
        `Flesch reading ease ${score.toFixed(1)} is not above ${MIN_FLESCH_EN}: use shorter sentences and words`
      );
  }
  return problems;
}

/** The structure that must be identical in both languages: every id, type and option, in order. */
export function structureOf(m: ModuleContent): unknown {
  return {
    id: m.id,
    number: m.number,
    estimatedMinutes: m.estimatedMinutes,
    lessons: m.lessons.map((l) => ({
      id: l.id,
      blocks: l.blocks.map((b) => (b.type === 'list' ? `list:${b.items.length}` : b.type)),
    })),
    exercises: m.exercises.map((e) => ({
      id: e.id,
      repeatable: e.repeatable,
      steps: e.steps?.length ?? 0,
      fields: e.fields.map((f) => ({
        id: f.id,
        type: f.type,
        ...(f.type === 'scale' ? { min: f.min, max: f.max } : {}),
        ...(f.type === 'choice' || f.type === 'multi-choice' ? { options: f.options.map((o) => o.id) } : {}),
      })),
    })),
    quiz: m.quiz.map((q) => ({ id: q.id, options: q.options.map((o) => o.id), correct: q.correctOptionId })),
    homework: { steps: m.homework.steps.length, exerciseId: m.homework.exerciseId ?? null },
    summary: m.summary.points.length,
    gp: {
      digest: m.gp.digest.length,
      questions: m.gp.questions.length,
      bridges: m.gp.bridges.map((b) => b.context),
      keyExercises: m.gp.manual.keyExercises.map((k) => k.exerciseId),
      commonDifficulties: m.gp.manual.commonDifficulties.length,
      cautions: m.gp.manual.cautions.length,
    },
  };
}

/** Differences in structure between the two languages of one module, as readable lines. */
export function compareLanguages(nb: ModuleContent, en: ModuleContent): string[] {
  const a = JSON.stringify(structureOf(nb), null, 1).split('\n');
  const b = JSON.stringify(structureOf(en), null, 1).split('\n');
  const diffs: string[] = [];
  const n = Math.max(a.length, b.length);
  for (let i = 0; i < n && diffs.length < 10; i += 1) {
    if (a[i] !== b[i])
      diffs.push(`line ${i + 1}: nb ${a[i]?.trim() ?? '(missing)'} ≠ en ${b[i]?.trim() ?? '(missing)'}`);
  }
  return diffs;
}

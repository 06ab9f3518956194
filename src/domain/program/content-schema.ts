/**
 * The shape of a program module's content. Content is data, not code: one JSON file per module
 * and language in src/content/modules (m1.nb.json, m1.en.json, …), validated against this schema
 * at build and in tests. Both languages of a module have the same structure and the same ids, so
 * answers saved against an exercise field id mean the same thing in either language.
 */
import { Type, type Static } from 'typebox';

const Text = Type.String({ minLength: 1 });
/** Ids are stable keys used in stored answers: lower-case, digits and hyphens. */
const Id = Type.String({ pattern: '^[a-z][a-z0-9-]{1,48}$' });

/** A piece of a lesson page. Plain text only: no HTML, no Markdown (rendered as text). */
export const LessonBlock = Type.Union([
  Type.Object({ type: Type.Literal('paragraph'), text: Text }, { additionalProperties: false }),
  Type.Object(
    {
      type: Type.Literal('example'),
      /** A first name and a few words of context, e.g. "Sara, 34, nurse on shifts". */
      person: Text,
      text: Text,
      /**
       * Set when the person is on the cast list (src/content/cast.json): the person line then
       * starts with the cast's line, and the content check compares age, occupation and origin.
       * Optional so one-off people need nothing.
       */
      characterId: Type.Optional(Id),
    },
    { additionalProperties: false }
  ),
  Type.Object(
    { type: Type.Literal('list'), items: Type.Array(Text, { minItems: 2 }) },
    { additionalProperties: false }
  ),
  Type.Object(
    {
      type: Type.Literal('callout'),
      tone: Type.Union([Type.Literal('info'), Type.Literal('tip')]),
      text: Text,
    },
    { additionalProperties: false }
  ),
]);
export type LessonBlock = Static<typeof LessonBlock>;

export const Lesson = Type.Object(
  {
    id: Id,
    title: Text,
    blocks: Type.Array(LessonBlock, { minItems: 2, maxItems: 10 }),
  },
  { additionalProperties: false }
);
export type Lesson = Static<typeof Lesson>;

const ChoiceOption = Type.Object({ id: Id, label: Text }, { additionalProperties: false });

/** One input of an exercise. Its answer is saved in the workbook under `exerciseId/fieldId`. */
export const ExerciseField = Type.Union([
  Type.Object(
    {
      id: Id,
      type: Type.Literal('text'),
      label: Text,
      help: Type.Optional(Text),
      maxLength: Type.Optional(Type.Integer({ minimum: 10, maximum: 2000 })),
    },
    { additionalProperties: false }
  ),
  Type.Object(
    {
      id: Id,
      type: Type.Literal('textarea'),
      label: Text,
      help: Type.Optional(Text),
      maxLength: Type.Optional(Type.Integer({ minimum: 10, maximum: 4000 })),
    },
    { additionalProperties: false }
  ),
  Type.Object(
    {
      id: Id,
      type: Type.Literal('scale'),
      label: Text,
      help: Type.Optional(Text),
      min: Type.Integer({ minimum: 0, maximum: 10 }),
      max: Type.Integer({ minimum: 1, maximum: 100 }),
      minLabel: Text,
      maxLabel: Text,
    },
    { additionalProperties: false }
  ),
  Type.Object(
    {
      id: Id,
      type: Type.Union([Type.Literal('choice'), Type.Literal('multi-choice')]),
      label: Text,
      help: Type.Optional(Text),
      options: Type.Array(ChoiceOption, { minItems: 2, maxItems: 16 }),
    },
    { additionalProperties: false }
  ),
]);
export type ExerciseField = Static<typeof ExerciseField>;

export const Exercise = Type.Object(
  {
    id: Id,
    title: Text,
    /** What to do and why, in two or three sentences. */
    instructions: Text,
    /** Optional guided steps shown before the fields (e.g. a breathing exercise, paced). */
    steps: Type.Optional(Type.Array(Text, { minItems: 2, maxItems: 12 })),
    /** Repeated exercises (a daily mood rating, a thought record) can be filled in many times. */
    repeatable: Type.Boolean(),
    fields: Type.Array(ExerciseField, { minItems: 1, maxItems: 12 }),
  },
  { additionalProperties: false }
);
export type Exercise = Static<typeof Exercise>;

export const QuizQuestion = Type.Object(
  {
    id: Id,
    question: Text,
    options: Type.Array(ChoiceOption, { minItems: 2, maxItems: 5 }),
    correctOptionId: Id,
    /** Shown after answering, whichever option was chosen: why the right answer is right. */
    explanation: Text,
  },
  { additionalProperties: false }
);
export type QuizQuestion = Static<typeof QuizQuestion>;

/** Everyday-life areas the GP can start from and bridge to the module's skills. */
export const BRIDGE_CONTEXTS = ['work', 'family', 'sleep', 'sick-leave', 'friends'] as const;

export const GpMaterial = Type.Object(
  {
    /** Five short lines: what the patient learned in this module. */
    digest: Type.Array(Text, { minItems: 5, maxItems: 5 }),
    /** Three to five questions about the process ("what was hard, what was useful"). */
    questions: Type.Array(Text, { minItems: 3, maxItems: 5 }),
    /** From the patient's everyday life to this module's skills, so the talk can stay patient-centred. */
    bridges: Type.Array(
      Type.Object(
        { context: Type.Union(BRIDGE_CONTEXTS.map((c) => Type.Literal(c))), text: Text },
        { additionalProperties: false }
      ),
      { minItems: 4, maxItems: 6 }
    ),
    /**
     * Two or three short replies to a shared exercise of this module (issue 17), original words
     * grounded in CBT for depression. The GP or guide clicks one into the comment box and edits
     * it; a reply is never sent by itself.
     */
    feedbackReplies: Type.Array(Text, { minItems: 2, maxItems: 3 }),
    /** The full GP manual section for this module. */
    manual: Type.Object(
      {
        summary: Text,
        rationale: Text,
        keyExercises: Type.Array(
          Type.Object({ exerciseId: Id, whatToLookFor: Text }, { additionalProperties: false }),
          {
            minItems: 2,
          }
        ),
        commonDifficulties: Type.Array(
          Type.Object({ difficulty: Text, howToHelp: Text }, { additionalProperties: false }),
          { minItems: 3 }
        ),
        /** When this module is not enough, or something else needs attention. */
        cautions: Type.Array(Text, { minItems: 1 }),
      },
      { additionalProperties: false }
    ),
  },
  { additionalProperties: false }
);
export type GpMaterial = Static<typeof GpMaterial>;

export const ModuleContent = Type.Object(
  {
    id: Type.Union([
      Type.Literal('m1'),
      Type.Literal('m2'),
      Type.Literal('m3'),
      Type.Literal('m4'),
      Type.Literal('m5'),
    ]),
    language: Type.Union([Type.Literal('nb'), Type.Literal('en')]),
    number: Type.Integer({ minimum: 1, maximum: 5 }),
    title: Text,
    subtitle: Text,
    estimatedMinutes: Type.Integer({ minimum: 20, maximum: 30 }),
    lessons: Type.Array(Lesson, { minItems: 3, maxItems: 8 }),
    exercises: Type.Array(Exercise, { minItems: 2, maxItems: 4 }),
    quiz: Type.Array(QuizQuestion, { minItems: 3, maxItems: 6 }),
    homework: Type.Object(
      {
        title: Text,
        description: Text,
        steps: Type.Array(Text, { minItems: 2, maxItems: 6 }),
        /** Which exercise to use for the task, if any. */
        exerciseId: Type.Optional(Id),
      },
      { additionalProperties: false }
    ),
    summary: Type.Object(
      { title: Text, points: Type.Array(Text, { minItems: 4, maxItems: 8 }), nextStep: Text },
      { additionalProperties: false }
    ),
    gp: GpMaterial,
  },
  { additionalProperties: false }
);
export type ModuleContent = Static<typeof ModuleContent>;

const ModuleId = Type.Union([
  Type.Literal('m1'),
  Type.Literal('m2'),
  Type.Literal('m3'),
  Type.Literal('m4'),
  Type.Literal('m5'),
]);

/** How a recurring character is described in one language. */
const CastText = Type.Object(
  {
    /**
     * The person line every story about this character starts with: "name, age, occupation…",
     * with the origin if the character has one. A story may add ", " and module-specific context.
     */
    person: Text,
    /** The occupation (or school, or retirement) in the words the person line uses. */
    occupation: Text,
    /** Where the character comes from, if not from Norway, in the words the person line uses. */
    origin: Type.Optional(Text),
    /** Family, home, what is hard now: for writers, so new stories stay true to the person. */
    situation: Text,
  },
  { additionalProperties: false }
);

export const CastMember = Type.Object(
  {
    id: Id,
    name: Text,
    age: Type.Integer({ minimum: 12, maximum: 100 }),
    gender: Type.Union([Type.Literal('female'), Type.Literal('male')]),
    /** The modules with a story about this character (the check holds this to the content). */
    modules: Type.Array(ModuleId, { minItems: 2, maxItems: 5, uniqueItems: true }),
    nb: CastText,
    en: CastText,
  },
  { additionalProperties: false }
);
export type CastMember = Static<typeof CastMember>;

/** Words that state an occupation or an origin, per language: any found in a story must be the character's own. */
const FactWords = Type.Object(
  {
    occupations: Type.Array(Text, { minItems: 1 }),
    origins: Type.Array(Text, { minItems: 1 }),
  },
  { additionalProperties: false }
);

/**
 * The recurring characters of the program's stories, one list for all modules
 * (src/content/cast.json), so a person keeps one age, job and origin from module 1 to module 5.
 */
export const Cast = Type.Object(
  {
    characters: Type.Array(CastMember, { minItems: 1 }),
    factWords: Type.Object({ nb: FactWords, en: FactWords }, { additionalProperties: false }),
  },
  { additionalProperties: false }
);
export type Cast = Static<typeof Cast>;

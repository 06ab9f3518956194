/**
 * The API contract of the patient's program (issue 12 §2): one TypeBox schema per shape, used by
 * the server to validate what it sends and by the web for its types (`Static<…>`), so the two
 * cannot drift: progress, the module list and content, lessons, quizzes and the workbook. Imports
 * only domain (the enums come from the rules that define them).
 */
import { Type, type Static } from 'typebox';
import { GpMaterial, ModuleContent } from '../domain/program/content-schema.js';
import { MODULE_IDS } from '../domain/program/progress.js';
import { Nullable, Uuid } from './common.js';

export const ModuleIdSchema = Type.Enum(MODULE_IDS);
export type ModuleIdValue = Static<typeof ModuleIdSchema>;

export const InstrumentSchema = Type.Union([
  Type.Literal('phq9'),
  Type.Literal('gad7'),
  Type.Literal('wsas'),
]);

export const ProgramStatusSchema = Type.Enum([
  'not_recommended',
  'recommended',
  'active',
  'finished',
  'stopped',
] as const);
export type ProgramStatus = Static<typeof ProgramStatusSchema>;

/** `waiting`: finished the previous module, opens on a date (domain/program/progress.ts). */
export const ModuleStateSchema = Type.Enum([
  'locked',
  'waiting',
  'measure_first',
  'available',
  'in_progress',
  'completed',
] as const);

export const QuizAnswerRecord = Type.Object({
  questionId: Type.String(),
  optionId: Type.String(),
  correct: Type.Boolean(),
});
export type QuizAnswerRecord = Static<typeof QuizAnswerRecord>;

export const ModuleProgress = Type.Object({
  id: ModuleIdSchema,
  state: ModuleStateSchema,
  lessonsViewed: Type.Array(Type.String()),
  quizAnswered: Type.Array(QuizAnswerRecord),
  secondsSpent: Type.Integer(),
  completedAt: Nullable(Type.String()),
  /** A waiting module opens by itself at this moment (midnight, Norwegian time). */
  opensAt: Nullable(Type.String()),
  /** Set when the GP opened it before its date. */
  openedEarly: Nullable(Type.Object({ at: Type.String(), by: Type.String(), reason: Type.String() })),
});
export type ModuleProgress = Static<typeof ModuleProgress>;

export const MeasureReasonSchema = Type.Enum(['baseline', 'before_module', 'four_weekly', 'end'] as const);
export type MeasureReason = Static<typeof MeasureReasonSchema>;

export const MeasureDue = Type.Object({
  instrument: InstrumentSchema,
  reason: MeasureReasonSchema,
  moduleId: Type.Optional(ModuleIdSchema),
});
export type MeasureDue = Static<typeof MeasureDue>;

export const NextFollowUp = Type.Object({
  id: Uuid,
  plannedAt: Type.String(),
  moduleId: Nullable(ModuleIdSchema),
  durationMinutes: Type.Integer(),
});
export type NextFollowUp = Static<typeof NextFollowUp>;

/** GET /api/patients/:patientId/program, and what starting or opening a module returns. */
export const ProgramView = Type.Object({
  status: ProgramStatusSchema,
  recommendedAt: Nullable(Type.String()),
  startedAt: Nullable(Type.String()),
  modules: Type.Array(ModuleProgress),
  measuresDue: Type.Array(MeasureDue),
  /** End measurements waiting for their two-week recall to pass, with the date they open. */
  measuresUpcoming: Type.Array(
    Type.Object({ instrument: InstrumentSchema, reason: Type.Literal('end'), from: Type.String() })
  ),
  /** Per instrument, from when a new answer is accepted (null: now). */
  answerFrom: Type.Object({
    phq9: Nullable(Type.String()),
    gad7: Nullable(Type.String()),
    wsas: Nullable(Type.String()),
  }),
  nextFollowUp: Nullable(NextFollowUp),
});
export type ProgramView = Static<typeof ProgramView>;

// --- Module content and the workbook --------------------------------------------------------

/** `?lang=` on the module routes (Norwegian when absent). */
export const LangQuery = Type.Object(
  { lang: Type.Optional(Type.Union([Type.Literal('nb'), Type.Literal('en')])) },
  { additionalProperties: false }
);
export type LangQuery = Static<typeof LangQuery>;

export const ModuleSummary = Type.Object({
  id: ModuleIdSchema,
  number: Type.Integer(),
  title: Type.String(),
  subtitle: Type.String(),
  estimatedMinutes: Type.Integer(),
});
export type ModuleSummary = Static<typeof ModuleSummary>;

/** GET /api/program/modules */
export const ModuleList = Type.Object({ items: Type.Array(ModuleSummary) });
export type ModuleList = Static<typeof ModuleList>;

/** GET /api/program/modules/:moduleId: the module, and the GP material only for GPs. */
export const ModuleContentResponse = Type.Object(
  { ...ModuleContent.properties, gp: Type.Optional(GpMaterial) },
  { additionalProperties: false }
);
export type ModuleContentResponse = Static<typeof ModuleContentResponse>;

export const ModuleParams = Type.Object({ moduleId: ModuleIdSchema }, { additionalProperties: false });

/** POST /api/patients/:patientId/program/modules/:moduleId/open-early (answers with ProgramView) */
export const OpenEarlyParams = Type.Object(
  { patientId: Uuid, moduleId: ModuleIdSchema },
  { additionalProperties: false }
);
export const OpenEarlyBody = Type.Object(
  { reason: Type.String({ minLength: 1, maxLength: 500, pattern: '\\S' }) },
  { additionalProperties: false }
);
export type OpenEarlyBody = Static<typeof OpenEarlyBody>;

/** POST …/program/modules/:moduleId/lessons/:lessonId/view */
export const LessonViewParams = Type.Object(
  { patientId: Uuid, moduleId: ModuleIdSchema, lessonId: Type.String({ maxLength: 60 }) },
  { additionalProperties: false }
);
export const LessonViewBody = Type.Object(
  { secondsSpent: Type.Integer({ minimum: 0, maximum: 86_400 }) },
  { additionalProperties: false }
);
export type LessonViewBody = Static<typeof LessonViewBody>;
export const LessonViewResult = Type.Object({ moduleCompleted: Type.Boolean() });
export type LessonViewResult = Static<typeof LessonViewResult>;

/** POST …/program/modules/:moduleId/quiz/:questionId */
export const QuizParams = Type.Object(
  { patientId: Uuid, moduleId: ModuleIdSchema, questionId: Type.String({ maxLength: 60 }) },
  { additionalProperties: false }
);
export const QuizBody = Type.Object(
  { optionId: Type.String({ minLength: 1, maxLength: 60 }) },
  { additionalProperties: false }
);
export type QuizBody = Static<typeof QuizBody>;
export const QuizResult = Type.Object({
  correct: Type.Boolean(),
  correctOptionId: Type.String(),
  explanation: Type.String(),
  moduleCompleted: Type.Boolean(),
});
export type QuizResult = Static<typeof QuizResult>;

export const WorkbookAnswerValue = Type.Union([
  Type.String(),
  Type.Number(),
  Type.Array(Type.String()),
  Type.Null(),
]);

export const WorkbookEntry = Type.Object({
  id: Uuid,
  moduleId: ModuleIdSchema,
  exerciseId: Type.String(),
  answers: Type.Record(Type.String(), WorkbookAnswerValue),
  revision: Type.Integer(),
  sharedWithGp: Type.Boolean(),
  createdAt: Type.String(),
  updatedAt: Type.String(),
});
export type WorkbookEntry = Static<typeof WorkbookEntry>;

/** GET /api/patients/:patientId/workbook (for the GP: only what the patient shared) */
export const WorkbookList = Type.Object({ items: Type.Array(WorkbookEntry) });
export type WorkbookList = Static<typeof WorkbookList>;

/** PUT /api/patients/:patientId/workbook/:entryId (answers with the stored entry) */
export const WorkbookEntryParams = Type.Object(
  { patientId: Uuid, entryId: Uuid },
  { additionalProperties: false }
);
export const WorkbookEntryBody = Type.Object(
  {
    moduleId: ModuleIdSchema,
    exerciseId: Type.String({ minLength: 1, maxLength: 60 }),
    answers: Type.Record(Type.String({ maxLength: 60 }), Type.Unknown(), { maxProperties: 20 }),
    revision: Type.Integer({ minimum: 1, maximum: 1_000_000 }),
    sharedWithGp: Type.Boolean(),
  },
  { additionalProperties: false }
);
export type WorkbookEntryBody = Static<typeof WorkbookEntryBody>;

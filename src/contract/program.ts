/**
 * The API contract of the patient's program (issue 12 §2): one TypeBox schema per shape, used by
 * the server to validate what it sends and by the web for its types (`Static<…>`), so the two
 * cannot drift. Imports only domain (the enums come from the rules that define them).
 */
import { Type, type Static } from 'typebox';
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

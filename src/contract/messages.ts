/**
 * The API contract of guidance between visits (issue 17): message threads between a patient and
 * their care team (GP and assigned guides) with read receipts, feedback on shared workbook
 * entries with suggested replies, and guide assignments. Imports only contract and domain.
 */
import { Type, type Static } from 'typebox';
import {
  FEEDBACK_BODY_MAX,
  MESSAGE_AUTHOR_ROLES,
  MESSAGE_BODY_MAX,
  MESSAGE_SUBJECT_MAX,
} from '../domain/messaging/messaging.js';
import { literalUnion, Nullable, Uuid } from './common.js';
import { FollowUpModuleId, LangQuery } from './followup.js';

const Iso = Type.String();

/** Free text a person writes: not empty, not only spaces (NUL and lone surrogates: text-safety). */
const Text = (maxLength: number) => Type.String({ minLength: 1, maxLength, pattern: '\\S' });

export const MessageAuthorRole = literalUnion(MESSAGE_AUTHOR_ROLES);
export type MessageAuthorRole = Static<typeof MessageAuthorRole>;

export const ThreadMessage = Type.Object({
  id: Uuid,
  authorRole: MessageAuthorRole,
  authorName: Type.String(),
  /** Written by the user asking. */
  mine: Type.Boolean(),
  body: Type.String(),
  sentAt: Iso,
  /** When the other side (the patient, or anyone of the care team) first read it. */
  readByOtherSideAt: Nullable(Iso),
});
export type ThreadMessage = Static<typeof ThreadMessage>;

export const MessageThread = Type.Object({
  id: Uuid,
  subject: Type.String(),
  createdAt: Iso,
  lastMessageAt: Iso,
  /** The last message is from the patient: the care team has not answered yet. */
  unanswered: Type.Boolean(),
  /** Messages from the other side the user asking has not read. */
  unreadForMe: Type.Integer(),
  messages: Type.Array(ThreadMessage),
});
export type MessageThread = Static<typeof MessageThread>;

export const CareTeamMember = Type.Object({
  name: Type.String(),
  role: Type.Union([Type.Literal('gp'), Type.Literal('guide')]),
});
export type CareTeamMember = Static<typeof CareTeamMember>;

/** GET /api/patients/:patientId/threads */
export const MessageThreadList = Type.Object({
  patientName: Type.String(),
  /** The platform's expected answer time (domain/messaging/messaging.ts). */
  expectedAnswer: Type.Object({ workingDays: Type.Integer() }),
  careTeam: Type.Array(CareTeamMember),
  threads: Type.Array(MessageThread),
});
export type MessageThreadList = Static<typeof MessageThreadList>;

/** POST /api/patients/:patientId/threads */
export const StartThreadBody = Type.Object(
  { subject: Text(MESSAGE_SUBJECT_MAX), body: Text(MESSAGE_BODY_MAX) },
  { additionalProperties: false }
);
export type StartThreadBody = Static<typeof StartThreadBody>;

/** POST /api/patients/:patientId/threads/:threadId/messages */
export const ReplyBody = Type.Object({ body: Text(MESSAGE_BODY_MAX) }, { additionalProperties: false });
export type ReplyBody = Static<typeof ReplyBody>;

export const ThreadParams = Type.Object({ patientId: Uuid, threadId: Uuid }, { additionalProperties: false });

// --- feedback on shared exercises ------------------------------------------------------------------

export const ExerciseFeedback = Type.Object({
  id: Uuid,
  authorName: Type.String(),
  authorRole: Type.Union([Type.Literal('gp'), Type.Literal('guide')]),
  body: Type.String(),
  createdAt: Iso,
  /** When the patient opened it; null: new to the patient. */
  openedAt: Nullable(Iso),
});
export type ExerciseFeedback = Static<typeof ExerciseFeedback>;

export const SharedEntry = Type.Object({
  entryId: Uuid,
  moduleId: FollowUpModuleId,
  exerciseId: Type.String(),
  exerciseTitle: Type.String(),
  updatedAt: Iso,
  answers: Type.Array(
    Type.Object({
      label: Type.String(),
      value: Type.Union([Type.String(), Type.Number(), Type.Array(Type.String()), Type.Null()]),
    })
  ),
  feedback: Type.Array(ExerciseFeedback),
});
export type SharedEntry = Static<typeof SharedEntry>;

/** GET /api/patients/:patientId/exercise-feedback?lang= */
export const SharedEntryList = Type.Object({
  entries: Type.Array(SharedEntry),
  /** For the care team: 2-3 short replies per module to start a comment from (never sent by themselves). */
  suggestedReplies: Type.Array(
    Type.Object({ moduleId: FollowUpModuleId, replies: Type.Array(Type.String()) })
  ),
});
export type SharedEntryList = Static<typeof SharedEntryList>;

export const FeedbackQuery = LangQuery;

/** POST /api/patients/:patientId/workbook/:entryId/feedback */
export const FeedbackBody = Type.Object({ body: Text(FEEDBACK_BODY_MAX) }, { additionalProperties: false });
export type FeedbackBody = Static<typeof FeedbackBody>;

export const FeedbackEntryParams = Type.Object(
  { patientId: Uuid, entryId: Uuid },
  { additionalProperties: false }
);
export const FeedbackParams = Type.Object(
  { patientId: Uuid, feedbackId: Uuid },
  { additionalProperties: false }
);

// --- guides ---------------------------------------------------------------------------------------

export const GuideAssignment = Type.Object({
  id: Uuid,
  guideUserId: Uuid,
  guideName: Type.String(),
  assignedByName: Type.String(),
  startsAt: Iso,
  endsAt: Nullable(Iso),
});
export type GuideAssignment = Static<typeof GuideAssignment>;

/** GET /api/patients/:patientId/guides */
export const PatientGuides = Type.Object({
  assignments: Type.Array(GuideAssignment),
  /** Guides at the patient's practice who can be assigned. */
  available: Type.Array(Type.Object({ userId: Uuid, name: Type.String() })),
});
export type PatientGuides = Static<typeof PatientGuides>;

/** POST /api/patients/:patientId/guides */
export const AssignGuideBody = Type.Object({ guideUserId: Uuid }, { additionalProperties: false });
export type AssignGuideBody = Static<typeof AssignGuideBody>;

export const GuideAssignmentParams = Type.Object(
  { patientId: Uuid, assignmentId: Uuid },
  { additionalProperties: false }
);

/** GET /api/guide/patients: the patients a guide is assigned to now. */
export const GuidePatients = Type.Object({
  items: Type.Array(
    Type.Object({
      patientId: Uuid,
      patientName: Type.String(),
      unansweredThreads: Type.Integer(),
      since: Iso,
    })
  ),
});
export type GuidePatients = Static<typeof GuidePatients>;

/**
 * The API contract of the GP's own pages (issue 12 §2): the patient list, the worklist, absences
 * with cover, the caseload, the practice overview and the urgent-case notification settings. The
 * server validates and serialises with these schemas; the web takes its types from them
 * (`Static<…>`). Imports only contract and domain.
 */
import { Type, type Static } from 'typebox';
import { EMERGENCY_NOTE_MIN_LENGTH, EMERGENCY_REASONS } from '../domain/access/emergency-access.js';
import {
  EMAIL_MAX,
  EMAIL_OR_EMPTY_PATTERN,
  PHONE_OR_EMPTY_PATTERN,
} from '../domain/safety/notification-settings.js';
import { TIME_PATTERN } from '../domain/safety/response-standard.js';
import { Nullable, Phq9Severity, Uuid } from './common.js';
import { ProgramStatusSchema } from './program.js';

// --- GET /api/gp/patients -------------------------------------------------------------------

export const GpPatientRow = Type.Object({
  id: Uuid,
  displayName: Type.String(),
  birthYear: Type.Integer(),
  sex: Type.Union([Type.Literal('female'), Type.Literal('male')]),
  programStatus: ProgramStatusSchema,
  modulesCompleted: Type.Integer(),
  latestPhq9: Nullable(
    Type.Object({
      totalScore: Type.Integer(),
      severity: Phq9Severity,
      answeredAt: Type.String(),
      item9Score: Type.Integer(),
      /** The patient's own words to the GP, if any. Untrusted text: the web app renders it as text. */
      note: Nullable(Type.String()),
    })
  ),
  urgent: Nullable(Type.Object({ alertId: Uuid, answeredAt: Type.String(), item9Score: Type.Integer() })),
});
export type GpPatientRow = Static<typeof GpPatientRow>;

export const GpPatientList = Type.Object({ items: Type.Array(GpPatientRow) });
export type GpPatientList = Static<typeof GpPatientList>;

// --- GET /api/gp/worklist -------------------------------------------------------------------

export const WorklistFollowUp = Type.Object({
  id: Uuid,
  patientId: Uuid,
  patientName: Type.String(),
  plannedAt: Type.String(),
  durationMinutes: Type.Integer(),
  moduleId: Nullable(Type.String()),
  when: Type.Union([Type.Literal('today'), Type.Literal('this_week')]),
  agendaReady: Type.Boolean(),
});
export type WorklistFollowUp = Static<typeof WorklistFollowUp>;

export const WorklistAttention = Type.Object({
  patientId: Uuid,
  patientName: Type.String(),
  reason: Type.String(),
  at: Type.String(),
  detail: Type.Record(Type.String(), Type.Union([Type.String(), Type.Number()])),
  covering: Type.Boolean(),
});
export type WorklistAttention = Static<typeof WorklistAttention>;

export const Worklist = Type.Object({
  followUps: Type.Array(WorklistFollowUp),
  attention: Type.Array(WorklistAttention),
});
export type Worklist = Static<typeof Worklist>;

// --- /api/gp/absences -----------------------------------------------------------------------

export const Colleague = Type.Object({ id: Uuid, displayName: Type.String() });
export type Colleague = Static<typeof Colleague>;

export const Absence = Type.Object({
  id: Uuid,
  startsAt: Type.String(),
  endsAt: Type.String(),
  delegate: Nullable(Colleague),
});
export type Absence = Static<typeof Absence>;

export const AbsenceList = Type.Object({
  items: Type.Array(Absence),
  colleagues: Type.Array(Colleague),
});
export type AbsenceList = Static<typeof AbsenceList>;

export const NewAbsenceBody = Type.Object(
  {
    startsAt: Type.String({ format: 'date-time' }),
    endsAt: Type.String({ format: 'date-time' }),
    delegateUserId: Type.Union([Uuid, Type.Null()]),
  },
  { additionalProperties: false }
);
export type NewAbsenceBody = Static<typeof NewAbsenceBody>;

export const AbsenceParams = Type.Object({ absenceId: Uuid }, { additionalProperties: false });

// --- GET /api/gp/caseload -------------------------------------------------------------------

export const Caseload = Type.Object({
  byStatus: Type.Record(Type.String(), Type.Integer()),
  recommendations: Type.Integer(),
  followUpsPlanned: Type.Integer(),
  followUpsHeld: Type.Integer(),
  followUpsDue: Type.Integer(),
  shareFinishing: Nullable(Type.Number()),
  meanPhq9Change: Nullable(Type.Number()),
  patients: Type.Array(
    Type.Object({
      id: Uuid,
      displayName: Type.String(),
      status: Type.String(),
      modulesCompleted: Type.Integer(),
    })
  ),
});
export type Caseload = Static<typeof Caseload>;

// --- GET /api/gp/practice -------------------------------------------------------------------

export const PracticeGp = Type.Object({
  id: Uuid,
  displayName: Type.String(),
  activePlans: Type.Integer(),
  overdueFollowUps: Type.Integer(),
  absentUntil: Nullable(Type.String()),
  coveredBy: Nullable(Type.String()),
});
export type PracticeGp = Static<typeof PracticeGp>;

export const CoveredPatient = Type.Object({
  patientId: Uuid,
  patientName: Type.String(),
  gpName: Type.String(),
  nextFollowUpId: Nullable(Uuid),
  nextFollowUpAt: Nullable(Type.String()),
  overdue: Type.Boolean(),
});
export type CoveredPatient = Static<typeof CoveredPatient>;

export const PracticeOverview = Type.Object({
  gps: Type.Array(PracticeGp),
  /** Patients of absent colleagues you cover for: names and what is overdue. */
  covering: Type.Array(CoveredPatient),
});
export type PracticeOverview = Static<typeof PracticeOverview>;

// --- urgent-case notification settings ------------------------------------------------------

const Email = Type.String({ maxLength: EMAIL_MAX, pattern: EMAIL_OR_EMPTY_PATTERN });
const Phone = Type.String({ maxLength: 16, pattern: PHONE_OR_EMPTY_PATTERN });
const Time = Type.String({ maxLength: 5, pattern: TIME_PATTERN });

export const ResponseStandardSchema = Type.Object(
  { sameDayCutoff: Time, sameDayBy: Time, nextDayBy: Time },
  { additionalProperties: false }
);
export type ResponseStandardValue = Static<typeof ResponseStandardSchema>;

export const TestMessageStateSchema = Type.Union([
  Type.Literal('sent'),
  Type.Literal('sending'),
  Type.Literal('failed'),
]);

export const TestMessage = Type.Object({
  id: Uuid,
  to: Type.String(),
  target: Type.Union([Type.Literal('own'), Type.Literal('practice')]),
  state: TestMessageStateSchema,
  at: Type.String(),
  error: Nullable(Type.String()),
});
export type TestMessage = Static<typeof TestMessage>;

export const OwnNotificationSettings = Type.Object({
  /** '' when none is set. */
  email: Type.String(),
  phone: Type.String(),
  practiceId: Nullable(Uuid),
  /** This GP's latest test messages, newest first. */
  recentTests: Type.Array(TestMessage),
});
export type OwnNotificationSettings = Static<typeof OwnNotificationSettings>;

export const PracticeNotificationSettings = Type.Object({
  practiceId: Uuid,
  practiceName: Type.String(),
  /** '' when none is set: urgent mail then goes only to the GPs. */
  urgentEmail: Type.String(),
  responseStandard: ResponseStandardSchema,
  /** GPs of the practice with neither e-mail nor phone: an urgent case reaches them nowhere. */
  gpsWithoutAddress: Type.Array(Type.String()),
});
export type PracticeNotificationSettings = Static<typeof PracticeNotificationSettings>;

export const PracticeParams = Type.Object({ practiceId: Uuid }, { additionalProperties: false });

export const OwnNotificationSettingsBody = Type.Object(
  { email: Email, phone: Phone },
  { additionalProperties: false }
);
export type OwnNotificationSettingsBody = Static<typeof OwnNotificationSettingsBody>;

export const PracticeNotificationSettingsBody = Type.Object(
  { urgentEmail: Email, responseStandard: ResponseStandardSchema },
  { additionalProperties: false }
);
export type PracticeNotificationSettingsBody = Static<typeof PracticeNotificationSettingsBody>;

export const TestEmailBody = Type.Object(
  {
    email: Type.String({ minLength: 1, maxLength: EMAIL_MAX, pattern: EMAIL_OR_EMPTY_PATTERN }),
    /** Which address is being checked: the GP's own, or the practice's shared one. */
    target: Type.Enum(['own', 'practice'] as const),
  },
  { additionalProperties: false }
);
export type TestEmailBody = Static<typeof TestEmailBody>;

export const TestEmailAccepted = Type.Object({ id: Uuid });
export type TestEmailAccepted = Static<typeof TestEmailAccepted>;

// --- breaking the glass (domain/access/emergency-access.ts) -------------------------------------

/** POST /api/gp/emergency-access: open a patient of the practice outside the care relation. */
export const EmergencyAccessBody = Type.Object(
  {
    /** The patient's fødselsnummer or d-nummer, as the GP has it from the patient or the EPJ. */
    personNumber: Type.String({ pattern: '^[0-9]{11}$' }),
    reason: Type.Enum(EMERGENCY_REASONS),
    /** What happened, for the practice's log review (the patient sees the reason, not this). */
    note: Type.String({ minLength: EMERGENCY_NOTE_MIN_LENGTH, maxLength: 2000 }),
  },
  { additionalProperties: false }
);
export type EmergencyAccessBody = Static<typeof EmergencyAccessBody>;

export const EmergencyAccessGranted = Type.Object({
  patientId: Uuid,
  patientName: Type.String(),
  endsAt: Type.String(),
});
export type EmergencyAccessGranted = Static<typeof EmergencyAccessGranted>;

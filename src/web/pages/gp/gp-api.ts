/**
 * The GP face's calls to the server: the worklist, the patient page, the follow-up card and note,
 * recommendations and invitations, absences, practice and caseload. They go through the shared
 * client (CSRF token, problem documents, 401 handling) but live here, so they load with the GP
 * chunk and never with a patient's pages. Patient-written text in these documents is untrusted:
 * it is always rendered as text.
 */
import type { UrgentContact } from '../../../domain/safety/urgent-case.js';
import type { Contraindication } from '../../../domain/followup/plan.js';
import {
  apiRequest,
  type ModuleId,
  type Patient,
  type PatientModuleContent,
  type ProgramView,
  type Severity,
  type Sex,
} from '../../api/client.js';
import type { GpMaterial } from '../../../domain/program/content-schema.js';
import type { GuidanceLevel } from '../../../domain/followup/plan.js';
import type { WorklistReason } from '../../../domain/followup/worklist.js';
import type { SickLeaveStatus } from '../../../domain/followup/note.js';

export type { GuidanceLevel, WorklistReason, SickLeaveStatus };
export type Language = 'nb' | 'en';

const enc = encodeURIComponent;
const patientPath = (patientId: string) => `/api/patients/${enc(patientId)}`;
const withSignal = (signal?: AbortSignal) => (signal ? { signal } : {});

// ---- Worklist ------------------------------------------------------------------------------

export interface WorklistFollowUp {
  id: string;
  patientId: string;
  patientName: string;
  plannedAt: string;
  durationMinutes: number;
  moduleId: ModuleId | null;
  when: 'today' | 'this_week';
  agendaReady: boolean;
}

export interface AttentionItem {
  patientId: string;
  patientName: string;
  reason: WorklistReason;
  at: string;
  detail: Record<string, string | number>;
  /** The patient is an absent colleague's, and this GP covers for them. */
  covering: boolean;
}

export interface Worklist {
  followUps: WorklistFollowUp[];
  attention: AttentionItem[];
}

// ---- Absences, practice, caseload ----------------------------------------------------------

export interface Colleague {
  id: string;
  displayName: string;
}

export interface Absence {
  id: string;
  startsAt: string;
  endsAt: string;
  /** null: the whole practice covers. */
  delegate: Colleague | null;
}

export interface PracticeGp {
  id: string;
  displayName: string;
  activePlans: number;
  overdueFollowUps: number;
  absentUntil: string | null;
  /** A colleague's name, or the literal "practice" when the whole practice covers. */
  coveredBy: string | null;
}

export interface CoveredPatient {
  patientId: string;
  patientName: string;
  gpName: string;
  nextFollowUpId: string | null;
  nextFollowUpAt: string | null;
  overdue: boolean;
}

export interface PracticeOverview {
  gps: PracticeGp[];
  covering: CoveredPatient[];
}

export type CaseloadStatus = 'invited' | 'active' | 'finished' | 'stopped';

export interface Caseload {
  byStatus: Partial<Record<CaseloadStatus, number>>;
  recommendations: number;
  followUpsPlanned: number;
  followUpsHeld: number;
  followUpsDue: number;
  shareFinishing: number | null;
  meanPhq9Change: number | null;
  patients: { id: string; displayName: string; status: CaseloadStatus; modulesCompleted: number }[];
}

// ---- Patient page ---------------------------------------------------------------------------

export type TimelineKind =
  | 'recommended'
  | 'started'
  | 'finished'
  | 'phq9'
  | 'gad7'
  | 'wsas'
  | 'module_completed'
  | 'follow_up_held'
  | 'decision'
  | 'invitation_created'
  | 'invitation_used';

export interface TimelineItem {
  at: string;
  kind: TimelineKind | string;
  detail: Record<string, string | number | null>;
}

export interface SuitabilityCheck {
  level: 'ok' | 'no_baseline' | 'needs_decision';
  reasons: ('severe' | 'item9_positive')[];
  advice: 'see_more_often'[];
  checklist: Contraindication[];
  /** Items the record already shows (a birth year under 18): ticked and locked. */
  knownPresent: Contraindication[];
  latestPhq9: { total: number; severity: Severity; item9: number; answeredAt: string } | null;
}

export interface Invitation {
  code: string;
  expiresAt: string;
  /** The page where the patient types the code, e.g. "/invitasjon". */
  path: string;
}

export interface UrgentCase {
  id: string;
  openedAt: string;
  dueAt: string;
  overdue: boolean;
  escalatedAt: string | null;
  escalatedTo: 'cover' | 'practice' | null;
  answers: { item9Score: number; answeredAt: string }[];
  deliveries: {
    channel: 'email' | 'sms';
    purpose: 'urgent_new' | 'urgent_escalation';
    recipientKind: 'gp' | 'cover' | 'practice_gp' | 'practice_address';
    recipientName: string | null;
    state: 'sent' | 'retrying' | 'failed';
    at: string;
    attempts: number;
    error: string | null;
  }[];
  closed: { at: string; byName: string; contact: UrgentContact; assessment: string; plan: string } | null;
}

export interface PatientMessage {
  responseId: string;
  instrument: 'phq9' | 'gad7' | 'wsas';
  sentAt: string;
  text: string;
  readAt: string | null;
  readByName: string | null;
}

export interface PracticeUrgentCase {
  caseId: string;
  patientId: string;
  patientName: string;
  gpName: string | null;
  openedAt: string;
  dueAt: string;
  overdue: boolean;
  escalatedTo: 'cover' | 'practice' | null;
  failedDeliveries: number;
}

export interface Recommendation {
  recommendedAt: string;
  guidanceLevel: GuidanceLevel;
  followUps: { id: string; plannedAt: string; durationMinutes: number; moduleId: ModuleId | null }[];
  /** Null when the patient already has an account: no code is needed, and none can change it. */
  invitation: Invitation | null;
}

export type FollowUpStatus = 'planned' | 'done' | 'missed';

export interface PlanFollowUp {
  id: string;
  plannedAt: string;
  durationMinutes: number;
  moduleId: ModuleId | null;
  kind: 'module' | 'check_in' | 'extra';
  status: FollowUpStatus;
  gp: Colleague;
  heldAt: string | null;
}

export interface FollowUpChange {
  plannedAt?: string;
  durationMinutes?: number;
  status?: 'cancelled' | 'missed';
  /** Hand the follow-up to a colleague in the practice. */
  gpUserId?: string;
}

// ---- The follow-up card ---------------------------------------------------------------------

export type BridgeContext = 'work' | 'family' | 'sleep' | 'sick-leave' | 'friends';

export interface SharedEntry {
  id: string;
  moduleId: ModuleId;
  exerciseTitle: string;
  updatedAt: string;
  /** The patient's own words (strings, numbers or option lists). Untrusted: rendered as text. */
  answers: { label: string; value: unknown }[];
}

export interface FollowUpCard {
  followUp: {
    id: string;
    plannedAt: string;
    durationMinutes: number;
    moduleId: ModuleId | null;
    status: FollowUpStatus | 'cancelled';
  };
  patient: { id: string; displayName: string; birthYear: number; sex: Sex };
  /** The patient's agenda. Untrusted text. */
  agenda: { talkAbout: string; tried: string; updatedAt: string } | null;
  sinceLastTime: {
    since: string;
    modulesCompleted: ModuleId[];
    modulesCompletedTotal: number;
    /** Exercise entries saved or changed since the last follow-up (a count; content only if shared). */
    exercisesDone: number;
    exercisesSaved: number;
    minutesSpent: number;
    homework: { moduleId: ModuleId; title: string; description: string };
  };
  scores: {
    phq9: { answeredAt: string; total: number; severity: Severity; item9: number }[];
    wsas: { answeredAt: string; total: number; band: string; workStatus: string | null }[];
    gad7: { answeredAt: string; total: number; severity: string }[];
    baselinePhq9: number | null;
    changeSinceBaseline: number | null;
    /** Treat to target as the worklist sees it (domain/followup/treat-to-target.ts). */
    target: { checkpoint: 4 | 8 | null; signal: boolean | null; improvementPercent: number | null };
  };
  alerts: { id: string; item9Score: number; answeredAt: string; acknowledgedAt: string | null }[];
  shared: SharedEntry[];
  module: {
    id: ModuleId;
    /** False before the patient has completed any module (the digest is a preview). */
    completedByPatient: boolean;
    number: number;
    title: string;
    digest: string[];
    questions: string[];
    bridges: { context: BridgeContext; text: string }[];
  };
  work: {
    workStatus: string | null;
    sickLeave: {
      status: SickLeaveStatus;
      percent: number | null;
      from: string | null;
      to: string | null;
    } | null;
  };
  previousNotes: { createdAt: string; discussed: string; plan: string; nextStep: string }[];
  /** Treat-to-target decisions already recorded, so the card asks only for the ones due. */
  decisions: { week: number; choice: string; decidedAt: string }[];
  program: { status: string; guidanceLevel: GuidanceLevel | null; startedAt: string | null };
}

export interface NoteSubmission {
  discussed: string;
  plan: string;
  nextStep: string;
  mode: 'in_person' | 'video' | 'phone';
  durationMinutes: number;
  sickLeave: { status: SickLeaveStatus; percent: number | null; from: string | null; to: string | null };
  feeCodes: string[];
  language: Language;
}

export interface NoteResult {
  noteText: string;
  feeCodeSuggestions: { code: string; why: string }[];
  nextFollowUp: { id: string; plannedAt: string } | null;
}

export const DECISION_CHOICES = [
  'continue',
  'more_gp_talks',
  'consider_medication',
  'low_threshold_service',
  'refer_dps',
] as const;
export type DecisionChoice = (typeof DECISION_CHOICES)[number];

/** A module as the GP receives it: the patient's content and the GP's material. */
export type GpModuleContent = PatientModuleContent & { gp: GpMaterial };

export const gpApi = {
  worklist: (signal?: AbortSignal) => apiRequest<Worklist>('GET', '/api/gp/worklist', withSignal(signal)),
  absences: (signal?: AbortSignal) =>
    apiRequest<{ items: Absence[]; colleagues: Colleague[] }>('GET', '/api/gp/absences', withSignal(signal)),
  createAbsence: (absence: { startsAt: string; endsAt: string; delegateUserId: string | null }) =>
    apiRequest<Absence>('POST', '/api/gp/absences', { body: absence }),
  endAbsence: (absenceId: string) => apiRequest<void>('POST', `/api/gp/absences/${enc(absenceId)}/end`),
  practice: (signal?: AbortSignal) =>
    apiRequest<PracticeOverview>('GET', '/api/gp/practice', withSignal(signal)),
  caseload: (signal?: AbortSignal) => apiRequest<Caseload>('GET', '/api/gp/caseload', withSignal(signal)),

  patient: (patientId: string, signal?: AbortSignal) =>
    apiRequest<Patient>('GET', patientPath(patientId), withSignal(signal)),
  program: (patientId: string, signal?: AbortSignal) =>
    apiRequest<ProgramView>('GET', `${patientPath(patientId)}/program`, withSignal(signal)),
  /** Opens a waiting module before its week has passed; the reason is kept (issue 11 §3). */
  openModuleEarly: (patientId: string, moduleId: string, reason: string) =>
    apiRequest<ProgramView>('POST', `${patientPath(patientId)}/program/modules/${enc(moduleId)}/open-early`, {
      body: { reason },
    }),
  timeline: (patientId: string, signal?: AbortSignal) =>
    apiRequest<{ items: TimelineItem[] }>('GET', `${patientPath(patientId)}/timeline`, withSignal(signal)),
  suitability: (patientId: string, signal?: AbortSignal) =>
    apiRequest<SuitabilityCheck>('GET', `${patientPath(patientId)}/recommendation/check`, withSignal(signal)),
  recommend: (
    patientId: string,
    body: {
      guidanceLevel: GuidanceLevel;
      decisionNote?: string;
      contraindications: { item: Contraindication; reasonToProceed: string }[];
    }
  ) => apiRequest<Recommendation>('POST', `${patientPath(patientId)}/recommendation`, { body }),
  newInvitation: (patientId: string) =>
    apiRequest<Invitation>('POST', `${patientPath(patientId)}/invitations`),
  urgentCases: (patientId: string, signal?: AbortSignal) =>
    apiRequest<{ open: UrgentCase | null; recent: UrgentCase[] }>(
      'GET',
      `${patientPath(patientId)}/urgent-cases`,
      withSignal(signal)
    ),
  closeUrgentCase: (
    patientId: string,
    caseId: string,
    body: { contact: UrgentContact; assessment: string; plan: string }
  ) =>
    apiRequest<UrgentCase>(
      'POST',
      `${patientPath(patientId)}/urgent-cases/${encodeURIComponent(caseId)}/close`,
      { body }
    ),
  patientMessages: (patientId: string, signal?: AbortSignal) =>
    apiRequest<{ items: PatientMessage[] }>(
      'GET',
      `${patientPath(patientId)}/patient-messages`,
      withSignal(signal)
    ),
  markPatientMessageRead: (patientId: string, responseId: string) =>
    apiRequest<PatientMessage>(
      'POST',
      `${patientPath(patientId)}/patient-messages/${encodeURIComponent(responseId)}/read`
    ),
  practiceUrgentCases: (signal?: AbortSignal) =>
    apiRequest<{ items: PracticeUrgentCase[] }>('GET', '/api/gp/urgent-cases', withSignal(signal)),
  /** Ends every session, clears the password and returns a one-time recovery code. */
  recoverAccount: (patientId: string) =>
    apiRequest<Invitation>('POST', `${patientPath(patientId)}/account-recovery`),

  followUps: (patientId: string, signal?: AbortSignal) =>
    apiRequest<{ items: PlanFollowUp[] }>('GET', `${patientPath(patientId)}/follow-ups`, withSignal(signal)),
  addFollowUp: (
    patientId: string,
    body: { plannedAt: string; durationMinutes: number; moduleId?: ModuleId }
  ) => apiRequest<{ items: PlanFollowUp[] }>('POST', `${patientPath(patientId)}/follow-ups`, { body }),
  changeFollowUp: (patientId: string, followUpId: string, body: FollowUpChange) =>
    apiRequest<{ items: PlanFollowUp[] }>(
      'PATCH',
      `${patientPath(patientId)}/follow-ups/${enc(followUpId)}`,
      {
        body,
      }
    ),
  /** A plain link target: the browser downloads the calendar file with the session cookie. */
  calendarUrl: (patientId: string, language: Language) =>
    `${patientPath(patientId)}/follow-ups.ics?lang=${enc(language)}`,

  card: (patientId: string, followUpId: string, language: Language, signal?: AbortSignal) =>
    apiRequest<FollowUpCard>(
      'GET',
      `${patientPath(patientId)}/follow-ups/${enc(followUpId)}/card?lang=${enc(language)}`,
      withSignal(signal)
    ),
  saveNote: (patientId: string, followUpId: string, note: NoteSubmission) =>
    apiRequest<NoteResult>('POST', `${patientPath(patientId)}/follow-ups/${enc(followUpId)}/note`, {
      body: note,
    }),
  decide: (patientId: string, body: { week: number; choice: DecisionChoice; note?: string }) =>
    apiRequest<{ choice: DecisionChoice; planChange: string }>(
      'POST',
      `${patientPath(patientId)}/decisions`,
      {
        body,
      }
    ),

  module: (moduleId: ModuleId, language: Language, signal?: AbortSignal) =>
    apiRequest<GpModuleContent>(
      'GET',
      `/api/program/modules/${enc(moduleId)}?lang=${enc(language)}`,
      withSignal(signal)
    ),
};

// ---- Urgent-case notification settings ----------------------------------------------------
// (An object of its own, so additions elsewhere in this file do not collide with it.)

export interface ResponseStandardSettings {
  sameDayCutoff: string;
  sameDayBy: string;
  nextDayBy: string;
}

export interface NotificationTestMessage {
  id: string;
  to: string;
  target: 'own' | 'practice';
  state: 'sent' | 'sending' | 'failed';
  at: string;
  error: string | null;
}

export interface OwnNotificationSettings {
  /** '' when none is set. */
  email: string;
  phone: string;
  practiceId: string | null;
  recentTests: NotificationTestMessage[];
}

export interface PracticeNotificationSettings {
  practiceId: string;
  practiceName: string;
  /** '' when none is set. */
  urgentEmail: string;
  responseStandard: ResponseStandardSettings;
  /** Colleagues with neither e-mail nor phone for notifications. */
  gpsWithoutAddress: string[];
}

const practiceSettingsPath = (practiceId: string) =>
  `/api/gp/practices/${enc(practiceId)}/notification-settings`;

export const notificationSettingsApi = {
  own: (signal?: AbortSignal) =>
    apiRequest<OwnNotificationSettings>('GET', '/api/gp/notification-settings', withSignal(signal)),
  saveOwn: (body: { email: string; phone: string }) =>
    apiRequest<OwnNotificationSettings>('PUT', '/api/gp/notification-settings', { body }),
  practice: (practiceId: string, signal?: AbortSignal) =>
    apiRequest<PracticeNotificationSettings>('GET', practiceSettingsPath(practiceId), withSignal(signal)),
  savePractice: (
    practiceId: string,
    body: { urgentEmail: string; responseStandard: ResponseStandardSettings }
  ) => apiRequest<PracticeNotificationSettings>('PUT', practiceSettingsPath(practiceId), { body }),
  /** Sends a message with no health content to the address, through the notification outbox. */
  sendTest: (body: { email: string; target: 'own' | 'practice' }) =>
    apiRequest<{ id: string }>('POST', '/api/gp/notification-settings/test-email', { body }),
};

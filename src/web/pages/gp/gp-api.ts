/**
 * The GP face's calls to the server: the worklist, the patient page, the follow-up card and note,
 * recommendations and invitations, absences, practice and caseload. They go through the shared
 * client (CSRF token, problem documents, 401 handling) but live here, so they load with the GP
 * chunk and never with a patient's pages. Patient-written text in these documents is untrusted:
 * it is always rendered as text.
 *
 * Every request and response type comes from the API contract in src/contract (the TypeBox schemas
 * the server validates with), imported as types only, so nothing here can drift from the server
 * and no schema code reaches the browser bundle. This file holds functions only.
 */
import type { GpOutcomes, PatientOutcome, PracticeOutcomes } from '../../../contract/outcomes.js';
import type {
  DecisionBody,
  DecisionRecorded,
  FollowUpCard,
  FollowUpChangeBody,
  FollowUpList,
  Invitation,
  NewFollowUpBody,
  NoteBody,
  NoteWritten,
  Recommendation,
  RecommendationBody,
  Suitability,
  Timeline,
} from '../../../contract/followup.js';
import type {
  EmergencyAccessBody,
  EmergencyAccessGranted,
  AbsenceList,
  Absence,
  Caseload,
  NewAbsenceBody,
  OwnNotificationSettings,
  OwnNotificationSettingsBody,
  PracticeNotificationSettings,
  PracticeNotificationSettingsBody,
  PracticeOverview,
  TestEmailAccepted,
  TestEmailBody,
  Worklist,
} from '../../../contract/gp.js';
import type { PatientMessage, PatientMessageList } from '../../../contract/patients.js';
import type { ModuleContentResponse, OpenEarlyBody } from '../../../contract/program.js';
import type { NoteSentToRecord, RecordConnection } from '../../../contract/smart.js';
import type {
  CloseUrgentCaseBody,
  PatientUrgentCases,
  PracticeUrgentCases,
  UrgentCase,
} from '../../../contract/urgent.js';
import {
  apiRequest,
  type Language,
  type ModuleId,
  type Patient,
  type ProgramView,
} from '../../api/client.js';

const enc = encodeURIComponent;
const patientPath = (patientId: string) => `/api/patients/${enc(patientId)}`;
const withSignal = (signal?: AbortSignal) => (signal ? { signal } : {});

export const gpApi = {
  worklist: (signal?: AbortSignal) => apiRequest<Worklist>('GET', '/api/gp/worklist', withSignal(signal)),
  absences: (signal?: AbortSignal) => apiRequest<AbsenceList>('GET', '/api/gp/absences', withSignal(signal)),
  createAbsence: (absence: NewAbsenceBody) =>
    apiRequest<Absence>('POST', '/api/gp/absences', { body: absence }),
  endAbsence: (absenceId: string) => apiRequest<void>('POST', `/api/gp/absences/${enc(absenceId)}/end`),
  practice: (signal?: AbortSignal) =>
    apiRequest<PracticeOverview>('GET', '/api/gp/practice', withSignal(signal)),
  caseload: (signal?: AbortSignal) => apiRequest<Caseload>('GET', '/api/gp/caseload', withSignal(signal)),
  /** The GP's own outcome figures beside the platform's (issue 17); aggregates only. */
  outcomes: (signal?: AbortSignal) => apiRequest<GpOutcomes>('GET', '/api/gp/outcomes', withSignal(signal)),
  practiceOutcomes: (signal?: AbortSignal) =>
    apiRequest<PracticeOutcomes>('GET', '/api/gp/practice/outcomes', withSignal(signal)),
  patientOutcome: (patientId: string, signal?: AbortSignal) =>
    apiRequest<PatientOutcome>('GET', `${patientPath(patientId)}/outcome`, withSignal(signal)),

  patient: (patientId: string, signal?: AbortSignal) =>
    apiRequest<Patient>('GET', patientPath(patientId), withSignal(signal)),
  program: (patientId: string, signal?: AbortSignal) =>
    apiRequest<ProgramView>('GET', `${patientPath(patientId)}/program`, withSignal(signal)),
  /** Opens a waiting module before its week has passed; the reason is kept (issue 11 §3). */
  openModuleEarly: (patientId: string, moduleId: string, reason: string) =>
    apiRequest<ProgramView>('POST', `${patientPath(patientId)}/program/modules/${enc(moduleId)}/open-early`, {
      body: { reason } satisfies OpenEarlyBody,
    }),
  timeline: (patientId: string, signal?: AbortSignal) =>
    apiRequest<Timeline>('GET', `${patientPath(patientId)}/timeline`, withSignal(signal)),
  suitability: (patientId: string, signal?: AbortSignal) =>
    apiRequest<Suitability>('GET', `${patientPath(patientId)}/recommendation/check`, withSignal(signal)),
  recommend: (patientId: string, body: RecommendationBody) =>
    apiRequest<Recommendation>('POST', `${patientPath(patientId)}/recommendation`, { body }),
  newInvitation: (patientId: string) =>
    apiRequest<Invitation>('POST', `${patientPath(patientId)}/invitations`),
  urgentCases: (patientId: string, signal?: AbortSignal) =>
    apiRequest<PatientUrgentCases>('GET', `${patientPath(patientId)}/urgent-cases`, withSignal(signal)),
  closeUrgentCase: (patientId: string, caseId: string, body: CloseUrgentCaseBody) =>
    apiRequest<UrgentCase>(
      'POST',
      `${patientPath(patientId)}/urgent-cases/${encodeURIComponent(caseId)}/close`,
      { body }
    ),
  patientMessages: (patientId: string, signal?: AbortSignal) =>
    apiRequest<PatientMessageList>('GET', `${patientPath(patientId)}/patient-messages`, withSignal(signal)),
  markPatientMessageRead: (patientId: string, responseId: string) =>
    apiRequest<PatientMessage>(
      'POST',
      `${patientPath(patientId)}/patient-messages/${encodeURIComponent(responseId)}/read`
    ),
  practiceUrgentCases: (signal?: AbortSignal) =>
    apiRequest<PracticeUrgentCases>('GET', '/api/gp/urgent-cases', withSignal(signal)),
  /** Ends every session, clears the password and returns a one-time recovery code. */
  recoverAccount: (patientId: string) =>
    apiRequest<Invitation>('POST', `${patientPath(patientId)}/account-recovery`),

  followUps: (patientId: string, signal?: AbortSignal) =>
    apiRequest<FollowUpList>('GET', `${patientPath(patientId)}/follow-ups`, withSignal(signal)),
  addFollowUp: (patientId: string, body: NewFollowUpBody) =>
    apiRequest<FollowUpList>('POST', `${patientPath(patientId)}/follow-ups`, { body }),
  changeFollowUp: (patientId: string, followUpId: string, body: FollowUpChangeBody) =>
    apiRequest<FollowUpList>('PATCH', `${patientPath(patientId)}/follow-ups/${enc(followUpId)}`, {
      body,
    }),
  /** A plain link target: the browser downloads the calendar file with the session cookie. */
  calendarUrl: (patientId: string, language: Language) =>
    `${patientPath(patientId)}/follow-ups.ics?lang=${enc(language)}`,

  card: (patientId: string, followUpId: string, language: Language, signal?: AbortSignal) =>
    apiRequest<FollowUpCard>(
      'GET',
      `${patientPath(patientId)}/follow-ups/${enc(followUpId)}/card?lang=${enc(language)}`,
      withSignal(signal)
    ),
  /** Breaking the glass: opens a patient of the practice for two hours (the server asks for step-up). */
  breakTheGlass: (body: EmergencyAccessBody) =>
    apiRequest<EmergencyAccessGranted>('POST', '/api/gp/emergency-access', { body }),
  /** Whether this session (launched from the EPJ) can write the note back to the record. */
  recordConnection: (patientId: string, signal?: AbortSignal) =>
    apiRequest<RecordConnection>('GET', `${patientPath(patientId)}/record-connection`, withSignal(signal)),
  sendNoteToRecord: (patientId: string, followUpId: string) =>
    apiRequest<NoteSentToRecord>(
      'POST',
      `${patientPath(patientId)}/follow-ups/${enc(followUpId)}/note/record`
    ),
  saveNote: (patientId: string, followUpId: string, note: NoteBody) =>
    apiRequest<NoteWritten>('POST', `${patientPath(patientId)}/follow-ups/${enc(followUpId)}/note`, {
      body: note,
    }),
  decide: (patientId: string, body: DecisionBody) =>
    apiRequest<DecisionRecorded>('POST', `${patientPath(patientId)}/decisions`, {
      body,
    }),

  module: (moduleId: ModuleId, language: Language, signal?: AbortSignal) =>
    apiRequest<ModuleContentResponse>(
      'GET',
      `/api/program/modules/${enc(moduleId)}?lang=${enc(language)}`,
      withSignal(signal)
    ),
};

// ---- Urgent-case notification settings ----------------------------------------------------
// (An object of its own, so additions elsewhere in this file do not collide with it.)

const practiceSettingsPath = (practiceId: string) =>
  `/api/gp/practices/${enc(practiceId)}/notification-settings`;

export const notificationSettingsApi = {
  own: (signal?: AbortSignal) =>
    apiRequest<OwnNotificationSettings>('GET', '/api/gp/notification-settings', withSignal(signal)),
  saveOwn: (body: OwnNotificationSettingsBody) =>
    apiRequest<OwnNotificationSettings>('PUT', '/api/gp/notification-settings', { body }),
  practice: (practiceId: string, signal?: AbortSignal) =>
    apiRequest<PracticeNotificationSettings>('GET', practiceSettingsPath(practiceId), withSignal(signal)),
  savePractice: (practiceId: string, body: PracticeNotificationSettingsBody) =>
    apiRequest<PracticeNotificationSettings>('PUT', practiceSettingsPath(practiceId), { body }),
  /** Sends a message with no health content to the address, through the notification outbox. */
  sendTest: (body: TestEmailBody) =>
    apiRequest<TestEmailAccepted>('POST', '/api/gp/notification-settings/test-email', { body }),
};

/** Kysely table types, written by hand to match src/db/migrations. */
import type { ColumnType, Generated, Selectable } from 'kysely';
import type { Role } from '../domain/access/policy.js';
import type { ResponseStandard } from '../domain/safety/response-standard.js';
import type { UrgentContact } from '../domain/safety/urgent-case.js';

type Timestamp = ColumnType<Date, Date | string, Date | string>;
/** A timestamp with a database default. */
type GeneratedTimestamp = ColumnType<Date, Date | string | undefined, Date | string>;
/** bigint columns: pg returns strings, PGlite numbers; read them through Number(). */
type BigIntColumn = ColumnType<string | number | bigint, number, number>;

export interface PracticesTable {
  id: Generated<string>;
  name: string;
  created_at: GeneratedTimestamp;
  /** The practice's shared address for urgent cases (no health content is ever sent). */
  urgent_email: string | null;
  /** domain/safety/response-standard.ts ResponseStandard (JSON). */
  response_standard: ColumnType<ResponseStandard, string | undefined, string>;
}

export interface UsersTable {
  id: Generated<string>;
  username: string;
  display_name: string;
  role: Role;
  password_hash: string | null;
  practice_id: string | null;
  disabled_at: Timestamp | null;
  created_at: GeneratedTimestamp;
  notify_email: Generated<string | null>;
  notify_phone: Generated<string | null>;
  /** Helsepersonellregisteret number (GPs; migration 0022). */
  hpr_number: Generated<string | null>;
}

export interface PatientsTable {
  id: Generated<string>;
  user_id: string | null;
  display_name: string;
  birth_year: number;
  sex: 'female' | 'male';
  practice_id: string;
  created_at: GeneratedTimestamp;
  /** Fødselsnummer or d-nummer, synthetic in this platform's data (migration 0022). */
  national_id: Generated<string | null>;
}

export interface GpListEntriesTable {
  id: Generated<string>;
  gp_user_id: string;
  patient_id: string;
  valid_from: ColumnType<Date, Date | string, Date | string>;
  valid_to: ColumnType<Date, Date | string, Date | string> | null;
}

export type ProgramStatus = 'recommended' | 'active' | 'finished' | 'stopped';

export interface ProgramEnrolmentsTable {
  id: Generated<string>;
  patient_id: string;
  status: ProgramStatus;
  recommended_by: string;
  recommended_at: Timestamp;
  modules_completed: Generated<number>;
  finished_at: Timestamp | null;
  started_at: Timestamp | null;
  guidance_level: ColumnType<'guided' | 'minimal' | 'self', string | undefined, string>;
  baseline_phq9: number | null;
  baseline_item9: number | null;
  suitability_reasons: ColumnType<string[], string | undefined, string>;
  /** Contraindications present, each with the GP's reason to go ahead (JSON). */
  contraindications: ColumnType<{ item: string; reasonToProceed: string }[], string | undefined, string>;
  suitability_decision: string | null;
}

export interface ModuleProgressTable {
  patient_id: string;
  module_id: string;
  started_at: Timestamp;
  lessons_viewed: ColumnType<string[], string | undefined, string>;
  seconds_spent: Generated<number>;
  completed_at: Timestamp | null;
}

/** A module the GP opened before its week had passed, and why (issue 11 §3). */
export interface ModuleEarlyOpeningsTable {
  patient_id: string;
  module_id: string;
  opened_at: Timestamp;
  opened_by: string;
  reason: string;
}

export interface QuizAnswersTable {
  patient_id: string;
  module_id: string;
  question_id: string;
  option_id: string;
  correct: boolean;
  answered_at: Timestamp;
}

export interface WorkbookEntriesTable {
  id: string;
  patient_id: string;
  module_id: string;
  exercise_id: string;
  answers: ColumnType<Record<string, unknown>, string, string>;
  revision: number;
  shared_with_gp: Generated<boolean>;
  created_at: Timestamp;
  updated_at: Timestamp;
}

export interface FollowUpsTable {
  id: Generated<string>;
  patient_id: string;
  gp_user_id: string;
  module_id: string | null;
  planned_at: Timestamp;
  duration_minutes: Generated<number>;
  status: ColumnType<'planned' | 'done' | 'cancelled' | 'missed', string | undefined, string>;
  created_at: Timestamp;
  kind: ColumnType<'module' | 'check_in' | 'extra', string | undefined, string>;
  held_at: Timestamp | null;
}

export interface InvitationsTable {
  id: Generated<string>;
  patient_id: string;
  code_hash: string;
  created_by: string;
  created_at: Timestamp;
  expires_at: Timestamp;
  used_at: Timestamp | null;
  revoked_at: Timestamp | null;
  /** A first login (no password yet), or a recovery the GP started. */
  purpose: Generated<'first_login' | 'recovery'>;
}

export interface FollowUpAgendasTable {
  follow_up_id: string;
  patient_id: string;
  talk_about: string | null;
  tried: string | null;
  updated_at: Timestamp;
}

export interface FollowUpNotesTable {
  id: Generated<string>;
  follow_up_id: string;
  patient_id: string;
  gp_user_id: string;
  discussed: string;
  plan: string;
  next_step: string;
  mode: 'in_person' | 'video' | 'phone';
  duration_minutes: number;
  sick_leave_status: 'none' | 'graded' | 'full';
  sick_leave_percent: number | null;
  sick_leave_from: ColumnType<Date, string, string> | null;
  sick_leave_to: ColumnType<Date, string, string> | null;
  fee_codes: ColumnType<string[], string, string>;
  created_at: Timestamp;
  /** The text the GP copied into the record, as shown (migration 0022; null on older notes). */
  note_text: Generated<string | null>;
  note_language: Generated<'nb' | 'en' | null>;
}

export interface TreatmentDecisionsTable {
  id: Generated<string>;
  patient_id: string;
  decided_by: string;
  decided_at: Timestamp;
  week: number;
  choice: 'continue' | 'more_gp_talks' | 'consider_medication' | 'low_threshold_service' | 'refer_dps';
  note: string | null;
}

export interface GpAbsencesTable {
  id: Generated<string>;
  gp_user_id: string;
  starts_at: Timestamp;
  ends_at: Timestamp;
  delegate_user_id: string | null;
  created_at: Timestamp;
}

export interface RemindersTable {
  id: Generated<string>;
  patient_id: string;
  kind: 'module_available' | 'measure_due' | 'followup_soon' | 'inactive';
  reference: string;
  created_at: Timestamp;
  read_at: Timestamp | null;
}

export interface ReminderDeliveriesTable {
  id: Generated<string>;
  reminder_id: string;
  channel: string;
  attempted_at: Timestamp;
  status: 'sent' | 'failed';
  error: string | null;
}

export interface SessionsTable {
  token_hash: string;
  user_id: string;
  created_at: Timestamp;
  last_seen_at: Timestamp;
  idle_timeout_seconds: number;
  absolute_expires_at: Timestamp;
  revoked_at: Timestamp | null;
  /** The last step-up re-authentication (null: none since login). */
  reauthenticated_at: ColumnType<Date | null, Date | string | null | undefined, Date | string | null>;
  /** The policy demands a second factor and the user has none: only enrolment is open. */
  enrolment_required: Generated<boolean>;
}

/** A staff user's second factor: a TOTP authenticator or a passkey (migration 0025). */
export interface SecondFactorsTable {
  id: Generated<string>;
  user_id: string;
  kind: 'totp' | 'passkey';
  label: string;
  created_at: Timestamp;
  confirmed_at: Timestamp | null;
  last_used_at: Timestamp | null;
  /** AES-256-GCM sealed base32 secret (factor-crypto.ts). */
  totp_secret_sealed: string | null;
  totp_last_step: BigIntColumn | null;
  /** base64url credential id and COSE public key. */
  credential_id: string | null;
  public_key: string | null;
  sign_count: BigIntColumn | null;
  transports: ColumnType<string[], string | undefined, string>;
}

export interface RecoveryCodesTable {
  id: Generated<string>;
  user_id: string;
  code_hash: string;
  created_at: Timestamp;
  used_at: Timestamp | null;
}

/** A right password waiting for its second factor; no session until then. */
export interface PendingLoginsTable {
  cookie_hash: string;
  user_id: string;
  username: string;
  device_nonce_hash: string | null;
  attempts: Generated<number>;
  created_at: Timestamp;
  expires_at: Timestamp;
}

export interface WebauthnChallengesTable {
  challenge: string;
  purpose: 'register' | 'login' | 'step_up';
  user_id: string;
  /** The pending login's cookie hash, or the session's token hash, that asked for it. */
  bound_to: string;
  created_at: Timestamp;
  expires_at: Timestamp;
  used_at: Timestamp | null;
}

export interface LoginDevicesTable {
  nonce_hash: string;
  username: string;
  failures: Generated<number>;
  locked_until: Timestamp | null;
  last_used_at: Timestamp;
}

export interface LoginThrottleTable {
  username: string;
  failures: number;
  next_allowed_at: Timestamp;
}

export interface QuestionnaireResponsesTable {
  id: Generated<string>;
  patient_id: string;
  instrument: 'phq9' | 'gad7' | 'wsas';
  instrument_version: string;
  answered_at: Timestamp;
  submitted_by: string;
  item_scores: ColumnType<(number | null)[], string, string>;
  difficulty: number | null;
  total_score: number;
  severity: string;
  item9_score: number | null;
  work_status: string | null;
  /** The total Observation; since migration 2026_12_04_0011 always `fhir_observations[0]`. */
  fhir_observation: ColumnType<unknown, string | null, string | null> | null;
  /**
   * Every FHIR Observation of the response, the total first; for PHQ-9 the total is the panel and
   * item 9 its member (migration 2026_12_04_0011, domain/instruments/phq9-fhir.ts).
   */
  fhir_observations: ColumnType<unknown[] | null, string | null | undefined, string | null>;
  fhir_resource: ColumnType<unknown, string, string>;
  patient_note: string | null;
  idempotency_key: string | null;
  /** `METHOD /route/pattern` the key was first used on (migration 2026_12_04_0003). */
  idempotency_route: string | null;
  /** SHA-256 (hex) of that request's canonical JSON body. */
  idempotency_body_sha256: string | null;
  note_read_at: ColumnType<Date | null, Date | string | null | undefined, Date | string | null>;
  note_read_by: Generated<string | null>;
}

export interface SafetyAlertsTable {
  id: Generated<string>;
  patient_id: string;
  response_id: string;
  item9_score: number;
  created_at: Timestamp;
  acknowledged_at: Timestamp | null;
  acknowledged_by: string | null;
  case_id: Generated<string | null>;
}

export interface UrgentCasesTable {
  id: Generated<string>;
  patient_id: string;
  opened_at: Timestamp;
  due_at: Timestamp;
  escalated_at: Timestamp | null;
  escalated_to: 'cover' | 'practice' | null;
  closed_at: Timestamp | null;
  closed_by: string | null;
  contact: UrgentContact | null;
  assessment: string | null;
  plan: string | null;
}

export interface NotificationsTable {
  id: Generated<string>;
  case_id: string | null;
  /** 'test': a message with no health content a practice sends to check an address (no case). */
  purpose: 'urgent_new' | 'urgent_escalation' | 'test' | 'message_new';
  channel: 'email' | 'sms';
  recipient: string;
  recipient_user_id: string | null;
  recipient_kind: 'gp' | 'cover' | 'practice_gp' | 'practice_address' | 'guide' | 'patient';
  created_at: Timestamp;
  next_attempt_at: Timestamp;
  attempts: Generated<number>;
  sent_at: Timestamp | null;
  gave_up_at: Timestamp | null;
  last_error: string | null;
}

export interface NotificationAttemptsTable {
  id: Generated<string>;
  notification_id: string;
  attempted_at: Timestamp;
  outcome: 'sent' | 'failed';
  detail: string | null;
}

/** A login waiting for the OpenID provider's answer (migration 0023). */
export interface OidcLoginAttemptsTable {
  cookie_hash: string;
  provider: 'idporten' | 'helseid' | 'smart';
  state: string;
  nonce: string;
  code_verifier: string;
  /** What the provider needs between start and callback (a SMART launch: `iss`, `launch`). */
  context: ColumnType<Record<string, string>, Record<string, string> | undefined, never>;
  created_at: Timestamp;
  expires_at: Timestamp;
  used_at: Timestamp | null;
}

/** A session started by an EHR launch from a GP's record system (SMART App Launch). */
export interface EpjLaunchSessionsTable {
  session_token_hash: string;
  fhir_base_url: string;
  epj_patient_id: string;
  epj_practitioner_reference: string;
  patient_id: string;
  scope: string;
  /** The EPJ's access token, sealed with a key only the session cookie gives (smart-launch.ts). */
  sealed_access_token: string;
  access_token_expires_at: Timestamp;
  created_at: Timestamp;
}

/** A note written back to an EPJ: where it landed there. */
export interface EpjNoteDeliveriesTable {
  note_id: string;
  fhir_base_url: string;
  /** The EPJ's reference to the DocumentReference it stored (e.g. DocumentReference/123). */
  document_reference: string;
  sent_by: string;
  sent_at: Timestamp;
}

/** The provider session a platform session came from (ID-porten, HelseID), for logging out there too. */
export interface OidcSessionsTable {
  session_token_hash: string;
  provider: 'idporten' | 'helseid';
  issuer: string;
  subject: string;
  sid: string | null;
  /** The ID token, sent back as `id_token_hint` at logout. */
  id_token: string;
  created_at: Timestamp;
}

/** A GP who broke the glass for a patient of their practice (domain/access/emergency-access.ts). */
export interface EmergencyAccessesTable {
  id: Generated<string>;
  gp_user_id: string;
  patient_id: string;
  reason: 'acute_contact' | 'urgent_case' | 'gp_unavailable';
  /** What happened, for the practice's log review; never shown to the patient. */
  note: string;
  started_at: Timestamp;
  ends_at: Timestamp;
}

/** Education, asked once, optional, with consent (migration 0029; domain/outcomes/implementation.ts). */
export interface PatientEducationTable {
  patient_id: string;
  /** null: the patient declined to answer, or deleted the answer. */
  education: 'low' | 'medium' | 'high' | null;
  consent_given_at: Timestamp | null;
  answered_at: Timestamp;
}

/** A simulated network written by `npm run platform:simulate` (migration 0031). */
export interface SimulationRunsTable {
  id: string;
  seed: number;
  gps: number;
  patients: number;
  simulated_end: Timestamp;
  created_at: Timestamp;
  parameters: ColumnType<unknown, string, string>;
  forced: boolean;
}

/** The practices a simulation made: everything in them is synthetic. */
export interface SimulatedPracticesTable {
  practice_id: string;
  run_id: string;
}

/** A guide assigned to a patient by one of the patient's GPs (migration 0028). */
export interface GuideAssignmentsTable {
  id: Generated<string>;
  patient_id: string;
  guide_user_id: string;
  assigned_by: string;
  starts_at: Timestamp;
  ends_at: Timestamp | null;
  ended_by: string | null;
}

/** A patient's thread with their care team (migration 0028). */
export interface MessageThreadsTable {
  id: Generated<string>;
  patient_id: string;
  subject: string;
  created_by: string;
  created_at: Timestamp;
  last_message_at: Timestamp;
  /** The last message came from the patient: the thread waits for an answer. */
  last_from_patient: boolean;
}

export interface ThreadMessagesTable {
  id: Generated<string>;
  thread_id: string;
  author_user_id: string;
  author_role: 'patient' | 'gp' | 'guide';
  body: string;
  sent_at: Timestamp;
}

/** A read receipt: who read a message, when. */
export interface MessageReadsTable {
  message_id: string;
  reader_user_id: string;
  read_at: Timestamp;
}

/** A GP's or guide's comment on a workbook entry the patient shared (migration 0028). */
export interface ExerciseFeedbackTable {
  id: Generated<string>;
  patient_id: string;
  entry_id: string;
  author_user_id: string;
  author_role: 'gp' | 'guide';
  body: string;
  created_at: Timestamp;
  opened_at: Timestamp | null;
}

/** Back-channel logout tokens already acted on, kept until they expire (replay). */
export interface OidcLogoutTokensTable {
  issuer: string;
  jti: string;
  expires_at: Timestamp;
}

export interface AuditEventsTable {
  seq: BigIntColumn;
  occurred_at: Timestamp;
  actor_user_id: string | null;
  actor_role: string;
  actor_name: string;
  actor_practice_id: string | null;
  patient_id: string | null;
  action: string;
  data_category: string;
  access_basis: string;
  outcome: 'allowed' | 'denied' | 'failed';
  request_id: string | null;
  /** HMAC of the event made when it was appended (null on events chained before migration 0032). */
  event_mac: string | null;
}

/** The chain's head: the last linked position and its hash; its row lock admits one chainer. */
export interface AuditChainHeadTable {
  id: number;
  last_seq: BigIntColumn;
  last_hash: string;
}

/** One event linked into the hash chain at a position (migration 2026_12_06_0032; insert-only). */
export interface AuditChainLinksTable {
  position: BigIntColumn;
  event_seq: BigIntColumn;
  prev_hash: string;
  hash: string;
  linked_at: Timestamp;
}

/** Events appended but not linked yet: the chainer's queue, filled by a trigger on audit_events. */
export interface AuditPendingTable {
  seq: BigIntColumn;
}

/** A study survey (migration 2026_12_04_0014, issue 14). */
export interface SurveysTable {
  id: Generated<string>;
  kind: 'identified' | 'anonymous';
  title: string;
  status: Generated<'draft' | 'open' | 'closed'>;
  reminder_days: ColumnType<number[], string | undefined, string>;
  send_rate_per_minute: Generated<number>;
  created_by: string;
  created_at: Timestamp;
  opened_at: Timestamp | null;
  closed_at: Timestamp | null;
}

/** One version of a survey's FHIR Questionnaire; a fielded version is never changed. */
export interface SurveyVersionsTable {
  id: Generated<string>;
  survey_id: string;
  /** 1, 2, 3 … within the survey, in the order saved. */
  sequence: number;
  /** `Questionnaire.version` (a response names `url|version`). */
  version: string;
  questionnaire: ColumnType<unknown, string, string>;
  fingerprint: string;
  created_by: string;
  created_at: Timestamp;
  fielded_at: Timestamp | null;
}

export interface SurveyFrameMembersTable {
  id: Generated<string>;
  survey_id: string;
  frame_id: string;
  email: string;
  attributes: ColumnType<Record<string, string>, string | undefined, string>;
  imported_at: Timestamp;
  opted_out_at: Timestamp | null;
  bounced_at: Timestamp | null;
}

export type SurveyInvitationStatus =
  'queued' | 'sent' | 'opened' | 'partial' | 'complete' | 'bounced' | 'opted_out';

export interface SurveyInvitationsTable {
  id: Generated<string>;
  survey_id: string;
  frame_member_id: string;
  wave: Generated<string>;
  token_hash: string;
  status: Generated<SurveyInvitationStatus>;
  version_id: string | null;
  created_at: Timestamp;
  sent_at: Timestamp | null;
  opened_at: Timestamp | null;
  reminded_at: Timestamp | null;
  reminders_sent: Generated<number>;
  completed_at: Timestamp | null;
}

export interface SurveyPracticeLinksTable {
  id: Generated<string>;
  survey_id: string;
  practice_id: string;
  slug: string;
  wave: Generated<string>;
  created_by: string;
  created_at: Timestamp;
}

export interface SurveyResponsesTable {
  id: Generated<string>;
  survey_id: string;
  version_id: string;
  invitation_id: string | null;
  practice_link_id: string | null;
  status: 'partial' | 'complete';
  answers: ColumnType<unknown, string, string>;
  fhir_response: ColumnType<unknown, string | null | undefined, string | null>;
  wave: string;
  respondent_key: string | null;
  consent: boolean | null;
  started_at: Timestamp;
  updated_at: Timestamp;
  submitted_at: Timestamp | null;
}

export interface SurveyAnonymousNoncesTable {
  survey_id: string;
  nonce_hash: string;
}

export interface SurveyEmailsTable {
  id: Generated<string>;
  survey_id: string;
  invitation_id: string;
  sequence: number;
  recipient: string;
  created_at: Timestamp;
  next_attempt_at: Timestamp;
  attempts: Generated<number>;
  /** When the row was last claimed for sending (the send rate counts these). */
  last_attempt_at: Timestamp | null;
  sent_at: Timestamp | null;
  gave_up_at: Timestamp | null;
  cancelled_at: Timestamp | null;
  last_error: string | null;
}

/** Frame id ↔ pseudonymous registry key; read only by server/surveys/linkage.queries.ts. */
export interface SurveyLinkageKeysTable {
  survey_id: string;
  frame_id: string;
  registry_key: string;
}

// --- qualitative workspace (migration 2026_12_05_0015) -------------------------------------------

export type QualStudyRole = 'lead' | 'coder' | 'reader';
export type QualSourceStatus = 'importing' | 'deidentifying' | 'open_for_coding';

export interface QualStudiesTable {
  id: Generated<string>;
  title: string;
  created_by: string;
  created_at: Timestamp;
}

export interface QualStudyMembersTable {
  study_id: string;
  user_id: string;
  role: QualStudyRole;
  added_by: string;
  added_at: Timestamp;
}

export interface QualUserGroupMembersTable {
  study_id: string;
  user_id: string;
  added_by: string;
  added_at: Timestamp;
}

export interface QualParticipantsTable {
  id: Generated<string>;
  study_id: string;
  pseudonym: string;
  kind: 'gp' | 'patient' | 'other';
  created_at: Timestamp;
  withdrawn_at: Timestamp | null;
}

export interface QualIdentityKeysTable {
  participant_id: string;
  key_text: string | null;
  created_by: string;
  created_at: Timestamp;
  destroyed_at: Timestamp | null;
  destroyed_by: string | null;
}

export interface QualConsentsTable {
  id: Generated<string>;
  participant_id: string;
  letter_version: string;
  given_at: Timestamp;
  how: 'signed_form' | 'recorded';
  file_name: string | null;
  file_bytes: Uint8Array | null;
  keep_original: Generated<boolean>;
  recorded_by: string;
  recorded_at: Timestamp;
  withdrawn_at: Timestamp | null;
}

export interface QualEventsTable {
  id: Generated<string>;
  study_id: string;
  kind: 'focus_group' | 'interview' | 'case';
  number: number;
  held_on: ColumnType<Date | string, string, string>;
  created_at: Timestamp;
}

export interface QualSourcesTable {
  id: Generated<string>;
  study_id: string;
  event_id: string | null;
  title: string;
  language: 'nb' | 'en';
  format: 'txt' | 'vtt' | 'srt' | 'docx';
  status: QualSourceStatus;
  text: string | null;
  original_text: string | null;
  /** domain/qualitative/transcript.ts TranscriptTurn[] (JSON). */
  original_turns: ColumnType<unknown, string | null, string | null>;
  original_deleted_at: Timestamp | null;
  /** The text proposals and speaker-label proposals made at import (JSON). */
  proposals: ColumnType<unknown, string, string>;
  imported_by: string;
  imported_at: Timestamp;
  opened_at: Timestamp | null;
  /** Generated by the database; never written. */
  search_vector: ColumnType<string, never, never>;
}

export interface QualSourceParticipantsTable {
  source_id: string;
  participant_id: string;
}

export interface QualSourceTurnsTable {
  source_id: string;
  index: number;
  participant_id: string | null;
  label: string | null;
  start_offset: number;
  end_offset: number;
  start_ms: number | null;
  end_ms: number | null;
}

export interface QualDeidReplacementsTable {
  study_id: string;
  key: string;
  original: string;
  kind: string;
  replacement: string;
}

export interface QualDeidDecisionsTable {
  source_id: string;
  proposal_id: string;
  action: 'accept' | 'edit' | 'reject';
  replacement: string | null;
  decided_by: string;
  decided_at: Timestamp;
}

export interface QualWithdrawalsTable {
  id: Generated<string>;
  participant_id: string;
  withdrawn_at: Timestamp;
  withdrawn_by: string;
  sources_affected: number;
  turns_removed: number;
  characters_removed: number;
  /** Migration 2026_12_05_0017. */
  meaning_units_removed: Generated<number>;
  condensates_to_review: Generated<number>;
  /** Migration 2026_12_05_0018. */
  codings_removed: Generated<number>;
}

// --- qualitative analysis: STC and the user group (migration 2026_12_05_0017) -----------------------

export interface QualStcAnalysesTable {
  id: Generated<string>;
  study_id: string;
  title: string;
  revision: number;
  /** StcAnalysis (domain/qualitative/stc.ts), checked by stcProblems on every save. */
  document: unknown;
  created_by: string;
  created_at: Timestamp;
  updated_by: string;
  updated_at: Timestamp;
}

export interface QualPendingImportsTable {
  id: Generated<string>;
  study_id: string;
  source_id: string;
  kind: 'coding' | 'memo';
  code_id: string | null;
  /** Offsets into the transcript as imported, before de-identification. */
  start_offset: number;
  end_offset: number;
  memo_text: string | null;
  origin: Generated<string>;
  imported_by: string;
  imported_at: Timestamp;
}

export interface QualMethodAnalysesTable {
  id: Generated<string>;
  study_id: string;
  method: 'framework' | 'reflexive_ta';
  title: string;
  revision: number;
  /** FrameworkDocument or ThematicAnalysis (contract/qualitative-methods.ts), checked on every save. */
  document: unknown;
  created_by: string;
  created_at: Timestamp;
  updated_by: string;
  updated_at: Timestamp;
}

export interface QualSynthesisSharesTable {
  id: Generated<string>;
  study_id: string;
  analysis_id: string;
  revision: number;
  /** [{ id, theme, text }]: the synthesis as shared, frozen. */
  paragraphs: unknown;
  message: string;
  shared_by: string;
  shared_at: Timestamp;
}

export interface QualUserGroupCommentsTable {
  id: Generated<string>;
  share_id: string;
  paragraph_id: string;
  author_id: string;
  text: string;
  created_at: Timestamp;
}

// --- qualitative coding: codebook, codings, memos (migration 2026_12_05_0018) ----------------------

export interface QualCodesTable {
  id: Generated<string>;
  study_id: string;
  parent_id: string | null;
  name: string;
  colour: string;
  definition: ColumnType<string, string | undefined, string>;
  inclusion: ColumnType<string, string | undefined, string>;
  exclusion: ColumnType<string, string | undefined, string>;
  example: ColumnType<string, string | undefined, string>;
  created_by: string;
  created_at: Timestamp;
  updated_at: Timestamp;
}

export interface QualCodingsTable {
  id: Generated<string>;
  study_id: string;
  source_id: string;
  code_id: string;
  coder_id: string;
  start_offset: number;
  end_offset: number;
  created_at: Timestamp;
}

export interface QualMemosTable {
  id: Generated<string>;
  study_id: string;
  author_id: string;
  target: 'segment' | 'code' | 'source';
  source_id: string | null;
  code_id: string | null;
  start_offset: number | null;
  end_offset: number | null;
  text: string;
  created_at: Timestamp;
  updated_at: Timestamp;
}

/** Rate-limit counters shared by every server instance (issue 18); the key is a hash. */
export interface RateLimitCountersTable {
  key: string;
  window_start: Timestamp;
  hits: number;
}

export interface Database {
  practices: PracticesTable;
  users: UsersTable;
  patients: PatientsTable;
  gp_list_entries: GpListEntriesTable;
  program_enrolments: ProgramEnrolmentsTable;
  sessions: SessionsTable;
  login_throttle: LoginThrottleTable;
  questionnaire_responses: QuestionnaireResponsesTable;
  safety_alerts: SafetyAlertsTable;
  urgent_cases: UrgentCasesTable;
  login_devices: LoginDevicesTable;
  notifications: NotificationsTable;
  notification_attempts: NotificationAttemptsTable;
  audit_events: AuditEventsTable;
  oidc_login_attempts: OidcLoginAttemptsTable;
  epj_launch_sessions: EpjLaunchSessionsTable;
  epj_note_deliveries: EpjNoteDeliveriesTable;
  second_factors: SecondFactorsTable;
  recovery_codes: RecoveryCodesTable;
  pending_logins: PendingLoginsTable;
  webauthn_challenges: WebauthnChallengesTable;
  oidc_sessions: OidcSessionsTable;
  oidc_logout_tokens: OidcLogoutTokensTable;
  emergency_accesses: EmergencyAccessesTable;
  patient_education: PatientEducationTable;
  simulation_runs: SimulationRunsTable;
  simulated_practices: SimulatedPracticesTable;
  guide_assignments: GuideAssignmentsTable;
  message_threads: MessageThreadsTable;
  thread_messages: ThreadMessagesTable;
  message_reads: MessageReadsTable;
  exercise_feedback: ExerciseFeedbackTable;
  audit_chain_head: AuditChainHeadTable;
  audit_chain_links: AuditChainLinksTable;
  audit_pending: AuditPendingTable;
  module_progress: ModuleProgressTable;
  module_early_openings: ModuleEarlyOpeningsTable;
  quiz_answers: QuizAnswersTable;
  workbook_entries: WorkbookEntriesTable;
  follow_ups: FollowUpsTable;
  reminders: RemindersTable;
  reminder_deliveries: ReminderDeliveriesTable;
  invitations: InvitationsTable;
  follow_up_agendas: FollowUpAgendasTable;
  follow_up_notes: FollowUpNotesTable;
  treatment_decisions: TreatmentDecisionsTable;
  gp_absences: GpAbsencesTable;
  surveys: SurveysTable;
  survey_versions: SurveyVersionsTable;
  survey_frame_members: SurveyFrameMembersTable;
  survey_invitations: SurveyInvitationsTable;
  survey_practice_links: SurveyPracticeLinksTable;
  survey_responses: SurveyResponsesTable;
  survey_anonymous_nonces: SurveyAnonymousNoncesTable;
  survey_emails: SurveyEmailsTable;
  survey_linkage_keys: SurveyLinkageKeysTable;
  qual_studies: QualStudiesTable;
  qual_study_members: QualStudyMembersTable;
  qual_user_group_members: QualUserGroupMembersTable;
  qual_method_analyses: QualMethodAnalysesTable;
  qual_pending_imports: QualPendingImportsTable;
  qual_participants: QualParticipantsTable;
  qual_identity_keys: QualIdentityKeysTable;
  qual_consents: QualConsentsTable;
  qual_events: QualEventsTable;
  qual_sources: QualSourcesTable;
  qual_source_participants: QualSourceParticipantsTable;
  qual_source_turns: QualSourceTurnsTable;
  qual_deid_replacements: QualDeidReplacementsTable;
  qual_deid_decisions: QualDeidDecisionsTable;
  qual_withdrawals: QualWithdrawalsTable;
  qual_stc_analyses: QualStcAnalysesTable;
  qual_synthesis_shares: QualSynthesisSharesTable;
  qual_user_group_comments: QualUserGroupCommentsTable;
  qual_codes: QualCodesTable;
  qual_codings: QualCodingsTable;
  qual_memos: QualMemosTable;
  // --- issue 18: shared rate limits ---
  rate_limit_counters: RateLimitCountersTable;
}

export type UserRow = Selectable<UsersTable>;
export type AuditEventRow = Selectable<AuditEventsTable>;

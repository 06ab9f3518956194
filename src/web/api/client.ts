/**
 * The one way the browser talks to the server.
 *
 * - JSON in, JSON out, same-origin cookie session (httpOnly; the app never sees it).
 * - Every state-changing request carries the CSRF token from the session document.
 * - Errors: an HTTP error becomes an ApiError carrying the RFC 9457 problem document; a request
 *   that never reached the server (offline, DNS, reset) becomes a NetworkError. A 401 also calls
 *   the registered unauthorized handler, which sends the app back to the login page.
 * - Nothing is cached or stored by the client: health data lives only in React state.
 */
import type { Phq9Severity } from '../../domain/instruments/phq9.js';
import type { WorkStatus } from '../../domain/instruments/wsas.js';
import type { ModuleContent } from '../../domain/program/content-schema.js';
import type { Instrument, ModuleId, ModuleState } from '../../domain/program/progress.js';
import type { AnswerValue } from '../../domain/program/workbook.js';
import type { ProgramStatus, ProgramView } from '../../contract/program.js';

export type { Instrument, ModuleId, ModuleState, AnswerValue, WorkStatus, ProgramStatus };

export type Role = 'patient' | 'gp' | 'researcher' | 'admin';
export type Sex = 'female' | 'male';
export type Severity = Phq9Severity;

export interface User {
  id: string;
  username: string;
  displayName: string;
  role: Role;
  practiceName: string | null;
  patientId: string | null;
}

export interface SessionDocument {
  user: User | null;
  csrfToken: string | null;
}

export interface Patient {
  id: string;
  displayName: string;
  birthYear: number;
  sex: Sex;
  program: { status: ProgramStatus; modulesCompleted: number };
  gp: { displayName: string } | null;
  account: {
    state: 'none' | 'active' | 'awaiting_password' | 'disabled';
    /** The latest reset of access by a GP (shown to the patient for 90 days). */
    lastRecovery: { at: string; byName: string } | null;
  };
}

export interface QuestionnaireResponse {
  id: string;
  instrument: 'phq9';
  answeredAt: string;
  totalScore: number;
  severity: Severity;
  item9Score: number;
  difficulty: number | null;
  itemScores: number[];
  /** The patient's optional message to the GP. Untrusted text: always rendered as text. */
  note?: string | null;
}

export interface Phq9Submission {
  items: number[];
  difficulty: number | null;
  /** Optional message to the GP (max 1000 characters). */
  note?: string;
}

export interface Phq9Result {
  response: QuestionnaireResponse;
  item9Positive: boolean;
}

export interface AccessLogEntry {
  occurredAt: string;
  actorName: string;
  actorRole: string;
  practiceName: string | null;
  action: string;
  dataCategory: string;
  accessBasis: string;
}

export interface GpPatientRow {
  id: string;
  displayName: string;
  birthYear: number;
  sex: Sex;
  programStatus: ProgramStatus;
  modulesCompleted: number;
  latestPhq9: {
    totalScore: number;
    severity: Severity;
    answeredAt: string;
    item9Score: number;
    /** The patient's own words to the GP. Untrusted text: always rendered as text. */
    note?: string | null;
  } | null;
  urgent: { alertId: string; answeredAt: string; item9Score: number } | null;
}

export interface ResearchOverview {
  generatedAt: string;
  suppressionThreshold: number;
  totals: { patients: number | null; responses: number | null };
  programStatus: Array<{ status: ProgramStatus; count: number | null }>;
  latestPhq9Severity: Array<{ severity: Severity; count: number | null }>;
}

export interface AdminUser {
  id: string;
  username: string;
  displayName: string;
  role: Role;
  practiceName: string | null;
  disabled: boolean;
  createdAt: string;
}

export interface Practice {
  id: string;
  name: string;
}

export interface NewUser {
  username: string;
  displayName: string;
  role: Role;
  password: string;
  practiceId?: string;
}

/**
 * GET /api/admin/audit/verify. Written by hand to match the TypeBox response schema in
 * src/server/admin/admin.routes.ts (the web does not import server code); the field names and
 * types are compared with that schema in pages/admin/audit-verdict.test.ts.
 */
export interface AuditVerification {
  /** The chain is whole and every checkpoint agrees with the rows. */
  ok: boolean;
  /** Audit events (log lines) checked. */
  eventCount: number;
  /** The first event where the chain breaks; null when the chain is whole or a checkpoint failed. */
  brokenAtSeq: number | null;
  /** Signed checkpoints outside the database that were checked against the rows. */
  checkpoints: number;
  /** Why it failed, in the server's English words (the chain or a checkpoint); null when ok. */
  problem: string | null;
}

/** GET /api/program/modules: the five modules, in order. */
export interface ModuleListItem {
  id: ModuleId;
  number: number;
  title: string;
  subtitle: string;
  estimatedMinutes: number;
}

/** A module as the patient receives it (the GP's material is never sent to the patient). */
export type PatientModuleContent = Omit<ModuleContent, 'gp'>;
export type Language = 'nb' | 'en';

// The program's shapes come from the API contract the server validates its answers with.
export type {
  MeasureDue,
  MeasureReason,
  ModuleProgress,
  NextFollowUp as FollowUp,
  ProgramView,
  QuizAnswerRecord,
} from '../../contract/program.js';

export interface QuizResult {
  correct: boolean;
  correctOptionId: string;
  explanation: string;
  moduleCompleted: boolean;
}

export type WorkbookAnswers = Record<string, AnswerValue>;

export interface WorkbookEntry {
  id: string;
  moduleId: ModuleId;
  exerciseId: string;
  /** The patient's own words. Untrusted text: always rendered as text. */
  answers: WorkbookAnswers;
  revision: number;
  sharedWithGp: boolean;
  createdAt: string;
  updatedAt: string;
}

export interface WorkbookSave {
  moduleId: ModuleId;
  exerciseId: string;
  answers: WorkbookAnswers;
  revision: number;
  sharedWithGp: boolean;
}

/** The stored entry, and whether the server kept an equal or newer revision instead of this one. */
export interface WorkbookSaveResult {
  entry: WorkbookEntry;
  stale: boolean;
}

/** PHQ-9, GAD-7 or WSAS as GET …/measurements and POST …/gad7 and …/wsas return them. */
export interface Measurement {
  id: string;
  instrument: Instrument;
  answeredAt: string;
  totalScore: number;
  /** PHQ-9/GAD-7 severity, or the WSAS band (subclinical, significant, severe). */
  band: string;
  item9Score: number | null;
  itemScores: (number | null)[];
  workStatus: string | null;
}

export interface WsasSubmission {
  /** Work, home, social leisure, private leisure, relationships; work is null when not applicable. */
  items: (number | null)[];
  workStatus: WorkStatus;
}

export type ReminderKind = 'module_available' | 'measure_due' | 'followup_soon' | 'inactive';

export interface Reminder {
  id: string;
  kind: ReminderKind;
  /** Module id, instrument (possibly "phq9:before_module:m2"), follow-up id, or a date. */
  reference: string;
  createdAt: string;
  read: boolean;
}

export interface FieldError {
  field: string;
  reason: string;
}

export interface ProblemDocument {
  type: string;
  title: string;
  status: number;
  detail?: string;
  errors?: FieldError[];
}

/** The server answered with an error status. */
export class ApiError extends Error {
  readonly status: number;
  readonly problem: ProblemDocument;
  /** Seconds from a Retry-After header (429), when given. */
  readonly retryAfterSeconds: number | null;

  constructor(problem: ProblemDocument, retryAfterSeconds: number | null = null) {
    super(problem.detail ?? problem.title);
    this.name = 'ApiError';
    this.status = problem.status;
    this.problem = problem;
    this.retryAfterSeconds = retryAfterSeconds;
  }

  get fieldErrors(): FieldError[] {
    return this.problem.errors ?? [];
  }
}

/** The request never got an answer (offline, connection refused or reset). */
export class NetworkError extends Error {
  constructor(cause: unknown) {
    super('Network request failed', { cause });
    this.name = 'NetworkError';
  }
}

let csrfToken: string | null = null;
let unauthorizedHandler: (() => void) | null = null;

export function setCsrfToken(token: string | null): void {
  csrfToken = token;
}

/** Called on any 401 outside the login request itself. */
export function setUnauthorizedHandler(handler: (() => void) | null): void {
  unauthorizedHandler = handler;
}

interface RequestOptions {
  body?: unknown;
  headers?: Record<string, string>;
  signal?: AbortSignal;
  /** A 401 here is an answer (wrong password), not an expired session. */
  expectUnauthorized?: boolean;
  /** Let the request outlive the page (a lesson view sent as the tab closes). */
  keepalive?: boolean;
}

export type Method = 'GET' | 'POST' | 'PUT' | 'PATCH' | 'DELETE';
export type { RequestOptions };

async function request<T>(method: Method, path: string, options: RequestOptions = {}): Promise<T> {
  return (await send<T>(method, path, options)).data;
}

/**
 * The same request for API modules that live with their face (e.g. the GP face's calls), so
 * they load with that face's chunk: CSRF, problem documents and 401 handling as everywhere.
 */
export const apiRequest = request;

/** Like request(), but also hands back the response headers. */
async function send<T>(
  method: Method,
  path: string,
  options: RequestOptions = {}
): Promise<{ data: T; headers: Headers }> {
  const headers: Record<string, string> = {
    accept: 'application/json, application/problem+json',
    ...options.headers,
  };
  if (options.body !== undefined) headers['content-type'] = 'application/json';
  if (method !== 'GET' && csrfToken) headers['x-csrf-token'] = csrfToken;

  let response: Response;
  try {
    response = await fetch(path, {
      method,
      headers,
      credentials: 'same-origin',
      cache: 'no-store',
      body: options.body === undefined ? null : JSON.stringify(options.body),
      signal: options.signal ?? null,
      ...(options.keepalive ? { keepalive: true } : {}),
    });
  } catch (error) {
    if (error instanceof DOMException && error.name === 'AbortError') throw error;
    throw new NetworkError(error);
  }

  if (!response.ok) {
    const problem = await readProblem(response);
    if (response.status === 401 && !options.expectUnauthorized) unauthorizedHandler?.();
    throw new ApiError(problem, parseRetryAfter(response.headers.get('retry-after')));
  }
  if (response.status === 204) return { data: undefined as T, headers: response.headers };
  const text = await response.text();
  return { data: (text ? JSON.parse(text) : undefined) as T, headers: response.headers };
}

async function readProblem(response: Response): Promise<ProblemDocument> {
  const fallback: ProblemDocument = {
    type: 'about:blank',
    title: response.statusText || 'Error',
    status: response.status,
  };
  try {
    const body: unknown = await response.json();
    if (body && typeof body === 'object') {
      const doc = body as Partial<ProblemDocument>;
      return {
        type: typeof doc.type === 'string' ? doc.type : fallback.type,
        title: typeof doc.title === 'string' ? doc.title : fallback.title,
        status: typeof doc.status === 'number' ? doc.status : response.status,
        ...(typeof doc.detail === 'string' ? { detail: doc.detail } : {}),
        ...(Array.isArray(doc.errors) ? { errors: doc.errors.filter(isFieldError) } : {}),
      };
    }
  } catch {
    // Not JSON (a proxy error page, say): fall through to the status line.
  }
  return fallback;
}

function isFieldError(value: unknown): value is FieldError {
  if (!value || typeof value !== 'object') return false;
  const candidate = value as Record<string, unknown>;
  return typeof candidate.field === 'string' && typeof candidate.reason === 'string';
}

function parseRetryAfter(header: string | null): number | null {
  if (!header) return null;
  const seconds = Number(header);
  if (Number.isFinite(seconds) && seconds >= 0) return Math.ceil(seconds);
  const date = Date.parse(header);
  if (Number.isNaN(date)) return null;
  return Math.max(0, Math.ceil((date - Date.now()) / 1000));
}

/** A random UUID (v4) for idempotency keys; crypto.randomUUID needs a secure context. */
export function newIdempotencyKey(): string {
  if (typeof crypto.randomUUID === 'function') return crypto.randomUUID();
  const bytes = crypto.getRandomValues(new Uint8Array(16));
  bytes[6] = ((bytes[6] ?? 0) & 0x0f) | 0x40;
  bytes[8] = ((bytes[8] ?? 0) & 0x3f) | 0x80;
  const hex = Array.from(bytes, (b) => b.toString(16).padStart(2, '0')).join('');
  return `${hex.slice(0, 8)}-${hex.slice(8, 12)}-${hex.slice(12, 16)}-${hex.slice(16, 20)}-${hex.slice(20)}`;
}

const enc = encodeURIComponent;

function withSignal(signal?: AbortSignal): RequestOptions {
  return signal ? { signal } : {};
}

export const api = {
  getSession: (signal?: AbortSignal) =>
    request<SessionDocument>('GET', '/api/auth/session', signal ? { signal } : {}),
  login: (username: string, password: string) =>
    request<{ user: User; csrfToken: string }>('POST', '/api/auth/login', {
      body: { username, password },
      expectUnauthorized: true,
    }),
  logout: () => request<void>('POST', '/api/auth/logout', { expectUnauthorized: true }),

  getPatient: (patientId: string, signal?: AbortSignal) =>
    request<Patient>('GET', `/api/patients/${enc(patientId)}`, signal ? { signal } : {}),
  listResponses: (patientId: string, signal?: AbortSignal) =>
    request<{ items: QuestionnaireResponse[] }>(
      'GET',
      `/api/patients/${enc(patientId)}/questionnaire-responses`,
      signal ? { signal } : {}
    ),
  submitPhq9: (patientId: string, submission: Phq9Submission, idempotencyKey: string) =>
    request<Phq9Result>('POST', `/api/patients/${enc(patientId)}/phq9`, {
      body: submission,
      headers: { 'idempotency-key': idempotencyKey },
    }),
  getAccessLog: (patientId: string, signal?: AbortSignal) =>
    request<{ items: AccessLogEntry[] }>(
      'GET',
      `/api/patients/${enc(patientId)}/access-log`,
      signal ? { signal } : {}
    ),

  getMeasurements: (patientId: string, signal?: AbortSignal) =>
    request<{ items: Measurement[] }>(
      'GET',
      `/api/patients/${enc(patientId)}/measurements`,
      withSignal(signal)
    ),
  submitGad7: (patientId: string, items: number[], idempotencyKey: string) =>
    request<Measurement>('POST', `/api/patients/${enc(patientId)}/gad7`, {
      body: { items },
      headers: { 'idempotency-key': idempotencyKey },
    }),
  submitWsas: (patientId: string, submission: WsasSubmission, idempotencyKey: string) =>
    request<Measurement>('POST', `/api/patients/${enc(patientId)}/wsas`, {
      body: submission,
      headers: { 'idempotency-key': idempotencyKey },
    }),

  listModules: (language: Language, signal?: AbortSignal) =>
    request<{ items: ModuleListItem[] }>(
      'GET',
      `/api/program/modules?lang=${enc(language)}`,
      withSignal(signal)
    ),
  getModule: (moduleId: ModuleId, language: Language, signal?: AbortSignal) =>
    request<PatientModuleContent>(
      'GET',
      `/api/program/modules/${enc(moduleId)}?lang=${enc(language)}`,
      withSignal(signal)
    ),
  getProgram: (patientId: string, signal?: AbortSignal) =>
    request<ProgramView>('GET', `/api/patients/${enc(patientId)}/program`, withSignal(signal)),
  startProgram: (patientId: string) =>
    request<ProgramView>('POST', `/api/patients/${enc(patientId)}/program/start`),
  viewLesson: (
    patientId: string,
    moduleId: ModuleId,
    lessonId: string,
    secondsSpent: number,
    options: { keepalive?: boolean } = {}
  ) =>
    request<{ moduleCompleted: boolean }>(
      'POST',
      `/api/patients/${enc(patientId)}/program/modules/${enc(moduleId)}/lessons/${enc(lessonId)}/view`,
      { body: { secondsSpent }, ...(options.keepalive ? { keepalive: true } : {}) }
    ),
  answerQuiz: (
    patientId: string,
    moduleId: ModuleId,
    questionId: string,
    optionId: string,
    language: Language
  ) =>
    request<QuizResult>(
      'POST',
      `/api/patients/${enc(patientId)}/program/modules/${enc(moduleId)}/quiz/${enc(questionId)}?lang=${enc(language)}`,
      { body: { optionId } }
    ),
  listWorkbook: (patientId: string, signal?: AbortSignal) =>
    request<{ items: WorkbookEntry[] }>(
      'GET',
      `/api/patients/${enc(patientId)}/workbook`,
      withSignal(signal)
    ),
  saveWorkbookEntry: async (
    patientId: string,
    entryId: string,
    save: WorkbookSave
  ): Promise<WorkbookSaveResult> => {
    const { data, headers } = await send<WorkbookEntry>(
      'PUT',
      `/api/patients/${enc(patientId)}/workbook/${enc(entryId)}`,
      { body: save }
    );
    return { entry: data, stale: headers.get('x-stale-revision') === 'true' };
  },
  listReminders: (patientId: string, signal?: AbortSignal) =>
    request<{ items: Reminder[] }>('GET', `/api/patients/${enc(patientId)}/reminders`, withSignal(signal)),
  markReminderRead: (patientId: string, reminderId: string) =>
    request<void>('POST', `/api/patients/${enc(patientId)}/reminders/${enc(reminderId)}/read`),

  listGpPatients: (signal?: AbortSignal) =>
    request<{ items: GpPatientRow[] }>('GET', '/api/gp/patients', signal ? { signal } : {}),

  getResearchOverview: (signal?: AbortSignal) =>
    request<ResearchOverview>('GET', '/api/research/overview', signal ? { signal } : {}),

  listUsers: (signal?: AbortSignal) =>
    request<{ items: AdminUser[]; patientAccounts: number }>(
      'GET',
      '/api/admin/users',
      signal ? { signal } : {}
    ),
  listPractices: (signal?: AbortSignal) =>
    request<{ items: Practice[] }>('GET', '/api/admin/practices', signal ? { signal } : {}),
  createUser: (user: NewUser) => request<AdminUser>('POST', '/api/admin/users', { body: user }),
  disableUser: (userId: string) => request<AdminUser>('POST', `/api/admin/users/${enc(userId)}/disable`),
  enableUser: (userId: string) => request<AdminUser>('POST', `/api/admin/users/${enc(userId)}/enable`),
  verifyAudit: () => request<AuditVerification>('GET', '/api/admin/audit/verify'),
};

/**
 * The one way the browser talks to the server.
 *
 * - JSON in, JSON out, same-origin cookie session (httpOnly; the app never sees it).
 * - Every state-changing request carries the CSRF token from the session document.
 * - Errors: an HTTP error becomes an ApiError carrying the RFC 9457 problem document; a request
 *   that never reached the server (offline, DNS, reset) becomes a NetworkError. A 401 also calls
 *   the registered unauthorized handler, which sends the app back to the login page.
 * - Nothing is cached or stored by the client: health data lives only in React state.
 *
 * The request and response types come from the API contract in src/contract (the TypeBox schemas
 * the server validates with), so the web cannot drift from what the server accepts and sends.
 * They are imported as types only: no schema code reaches the browser bundle. Only the client's
 * own shapes (the problem document, request options) are written here.
 */
import type {
  AdminUser,
  AdminUserList,
  AuditVerification,
  CreateUserBody,
  PracticeList,
} from '../../contract/admin.js';
import type { JobsOverview } from '../../contract/jobs.js';
import type {
  LoginBody,
  LoginProviders,
  LogoutResponse,
  SessionResponse,
  SessionUser,
} from '../../contract/auth.js';
import type { Phq9Severity, RoleValue } from '../../contract/common.js';
import type { GpPatientList, GpPatientRow } from '../../contract/gp.js';
import type {
  Gad7Body,
  MeasurementItem,
  MeasurementList,
  Phq9Body,
  Phq9Item,
  Phq9List,
  Phq9Submitted,
  WsasBody,
} from '../../contract/measures.js';
import type { AccessLog, AccessLogEntry, PatientSummary } from '../../contract/patients.js';
import type {
  LangQuery,
  LessonViewBody,
  LessonViewResult,
  ModuleContentResponse,
  ModuleIdValue,
  ModuleList,
  ModuleProgress,
  ModuleSummary,
  ProgramStatus,
  ProgramView,
  QuizBody,
  QuizResult,
  WorkbookEntry,
  WorkbookEntryBody,
  WorkbookList,
} from '../../contract/program.js';
import type { Reminder, ReminderKind, ReminderList } from '../../contract/reminders.js';
import type { ResearchOverview } from '../../contract/research.js';
import type {
  EducationAnswer,
  EducationStatus,
  PatientOutcome,
  PlatformOutcomes,
} from '../../contract/outcomes.js';

// The web's names for the contract's types (one definition: src/contract).
export type { JobsOverview } from '../../contract/jobs.js';
export type {
  AccessLogEntry,
  AdminUser,
  AuditVerification,
  GpPatientRow,
  ProgramStatus,
  ProgramView,
  QuizResult,
  Reminder,
  ReminderKind,
  ResearchOverview,
  WorkbookEntry,
};
export type {
  MeasureDue,
  MeasureReason,
  ModuleProgress,
  NextFollowUp as FollowUp,
  QuizAnswerRecord,
} from '../../contract/program.js';
export type Role = RoleValue;
export type Severity = Phq9Severity;
export type User = SessionUser;
export type SessionDocument = SessionResponse;
export type Patient = PatientSummary;
export type Sex = PatientSummary['sex'];
export type QuestionnaireResponse = Phq9Item;
export type Phq9Submission = Phq9Body;
export type Phq9Result = Phq9Submitted;
export type Practice = PracticeList['items'][number];
export type NewUser = CreateUserBody;
export type ModuleId = ModuleIdValue;
export type ModuleState = ModuleProgress['state'];
export type Instrument = MeasurementItem['instrument'];
export type ModuleListItem = ModuleSummary;
export type Language = NonNullable<LangQuery['lang']>;
/** A module as the patient receives it (the GP's material is never sent to the patient). */
export type PatientModuleContent = Omit<ModuleContentResponse, 'gp'>;
export type WorkbookAnswers = WorkbookEntry['answers'];
export type AnswerValue = WorkbookAnswers[string];
export type WorkbookSave = WorkbookEntryBody;
export type Measurement = MeasurementItem;
export type WsasSubmission = WsasBody;
export type WorkStatus = WsasBody['workStatus'];

/** What saving a workbook entry gives back: the stored entry (the body), and whether the server
 * kept an equal or newer revision instead of this one (the X-Stale-Revision header). */
export interface WorkbookSaveResult {
  entry: WorkbookEntry;
  stale: boolean;
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
/** Asks the user to re-authenticate (a dialog); resolves true when they did. */
let stepUpHandler: (() => Promise<boolean>) | null = null;

/** The problem type of a step-up refusal (domain/access/step-up.ts STEP_UP_PROBLEM_TYPE). */
export const STEP_UP_REQUIRED = 'https://gp-dep.example/problems/step-up-required';

export function setCsrfToken(token: string | null): void {
  csrfToken = token;
}

/** Called on any 401 outside the login request itself. */
export function setUnauthorizedHandler(handler: (() => void) | null): void {
  unauthorizedHandler = handler;
}

/**
 * Called on a 403 step-up refusal: the handler asks the user to re-authenticate, and the request
 * is sent once more if they did (the class of actions is the server's: domain/access/step-up.ts).
 */
export function setStepUpHandler(handler: (() => Promise<boolean>) | null): void {
  stepUpHandler = handler;
}

/** Re-authenticate now if needed (before a plain download link, which cannot be retried). */
export async function ensureStepUp(): Promise<boolean> {
  const status = await request<{ freshUntil: string | null }>('GET', '/api/auth/step-up');
  if (status.freshUntil && Date.parse(status.freshUntil) - Date.now() > 15_000) return true;
  return stepUpHandler ? stepUpHandler() : false;
}

interface RequestOptions {
  body?: unknown;
  headers?: Record<string, string>;
  signal?: AbortSignal;
  /** A 401 here is an answer (wrong password), not an expired session. */
  expectUnauthorized?: boolean;
  /** Let the request outlive the page (a lesson view sent as the tab closes). */
  keepalive?: boolean;
  /** Set on the retry after a step-up: a second refusal is an answer, not another dialog. */
  afterStepUp?: boolean;
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
    if (
      response.status === 403 &&
      problem.type === STEP_UP_REQUIRED &&
      stepUpHandler &&
      !options.afterStepUp
    ) {
      if (await stepUpHandler()) return send<T>(method, path, { ...options, afterStepUp: true });
    }
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
  getLoginProviders: (signal?: AbortSignal) =>
    request<LoginProviders>('GET', '/api/auth/providers', signal ? { signal } : {}),
  login: (username: string, password: string) =>
    request<SessionResponse>('POST', '/api/auth/login', {
      body: { username, password } satisfies LoginBody,
      expectUnauthorized: true,
    }),
  /** A session from ID-porten or HelseID answers with the provider's end-session URL to go on to. */
  logout: () => request<LogoutResponse | undefined>('POST', '/api/auth/logout', { expectUnauthorized: true }),

  getPatient: (patientId: string, signal?: AbortSignal) =>
    request<Patient>('GET', `/api/patients/${enc(patientId)}`, signal ? { signal } : {}),
  listResponses: (patientId: string, signal?: AbortSignal) =>
    request<Phq9List>(
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
    request<AccessLog>('GET', `/api/patients/${enc(patientId)}/access-log`, signal ? { signal } : {}),

  getMeasurements: (patientId: string, signal?: AbortSignal) =>
    request<MeasurementList>('GET', `/api/patients/${enc(patientId)}/measurements`, withSignal(signal)),
  submitGad7: (patientId: string, items: number[], idempotencyKey: string) =>
    request<MeasurementItem>('POST', `/api/patients/${enc(patientId)}/gad7`, {
      body: { items } satisfies Gad7Body,
      headers: { 'idempotency-key': idempotencyKey },
    }),
  submitWsas: (patientId: string, submission: WsasSubmission, idempotencyKey: string) =>
    request<MeasurementItem>('POST', `/api/patients/${enc(patientId)}/wsas`, {
      body: submission,
      headers: { 'idempotency-key': idempotencyKey },
    }),

  listModules: (language: Language, signal?: AbortSignal) =>
    request<ModuleList>('GET', `/api/program/modules?lang=${enc(language)}`, withSignal(signal)),
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
    request<LessonViewResult>(
      'POST',
      `/api/patients/${enc(patientId)}/program/modules/${enc(moduleId)}/lessons/${enc(lessonId)}/view`,
      { body: { secondsSpent } satisfies LessonViewBody, ...(options.keepalive ? { keepalive: true } : {}) }
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
      { body: { optionId } satisfies QuizBody }
    ),
  listWorkbook: (patientId: string, signal?: AbortSignal) =>
    request<WorkbookList>('GET', `/api/patients/${enc(patientId)}/workbook`, withSignal(signal)),
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
    request<ReminderList>('GET', `/api/patients/${enc(patientId)}/reminders`, withSignal(signal)),
  markReminderRead: (patientId: string, reminderId: string) =>
    request<void>('POST', `/api/patients/${enc(patientId)}/reminders/${enc(reminderId)}/read`),

  listGpPatients: (signal?: AbortSignal) =>
    request<GpPatientList>('GET', '/api/gp/patients', signal ? { signal } : {}),

  getResearchOverview: (signal?: AbortSignal) =>
    request<ResearchOverview>('GET', '/api/research/overview', signal ? { signal } : {}),
  getPlatformOutcomes: (signal?: AbortSignal) =>
    request<PlatformOutcomes>('GET', '/api/research/outcomes', signal ? { signal } : {}),
  getOutcome: (patientId: string, signal?: AbortSignal) =>
    request<PatientOutcome>('GET', `/api/patients/${enc(patientId)}/outcome`, signal ? { signal } : {}),
  getEducation: (patientId: string, signal?: AbortSignal) =>
    request<EducationStatus>('GET', `/api/patients/${enc(patientId)}/education`, signal ? { signal } : {}),
  answerEducation: (patientId: string, body: EducationAnswer) =>
    request<EducationStatus>('PUT', `/api/patients/${enc(patientId)}/education`, { body }),
  deleteEducation: (patientId: string) =>
    request<EducationStatus>('DELETE', `/api/patients/${enc(patientId)}/education`),

  listUsers: (signal?: AbortSignal) =>
    request<AdminUserList>('GET', '/api/admin/users', signal ? { signal } : {}),
  listPractices: (signal?: AbortSignal) =>
    request<PracticeList>('GET', '/api/admin/practices', signal ? { signal } : {}),
  createUser: (user: NewUser) => request<AdminUser>('POST', '/api/admin/users', { body: user }),
  disableUser: (userId: string) => request<AdminUser>('POST', `/api/admin/users/${enc(userId)}/disable`),
  enableUser: (userId: string) => request<AdminUser>('POST', `/api/admin/users/${enc(userId)}/enable`),
  verifyAudit: () => request<AuditVerification>('GET', '/api/admin/audit/verify'),
  jobsOverview: (signal?: AbortSignal) =>
    request<JobsOverview>('GET', '/api/admin/jobs', signal ? { signal } : {}),
};

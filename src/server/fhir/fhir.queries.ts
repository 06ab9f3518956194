/**
 * Reads and searches of the FHIR API (issue 16): each loads the rows, maps them with
 * domain/fhir/resources.ts, keeps only what the actor may see (fhir-access.ts) and writes one audit
 * line per patient shown. Searches filter and sort in memory over one patient's (or one GP's)
 * records, which are small (a patient has tens of answers, not thousands); paging is by `_offset`.
 */
import type {
  AuditEvent,
  Bundle,
  FhirResource,
  Observation,
  Patient,
  Practitioner,
  Questionnaire,
  QuestionnaireResponse,
} from 'fhir/r4.js';
import { MODULE_CONTENT } from '../../content/modules.js';
import { STUDY_QUESTIONNAIRES } from '../../content/surveys/index.js';
import type { AccessBasis } from '../../domain/access/policy.js';
import {
  appointmentResource,
  auditEventResource,
  carePlanResource,
  documentReferenceResource,
  type NoteRow,
  flagResource,
  patientResource,
  practitionerResource,
  type FollowUpRow,
} from '../../domain/fhir/resources.js';
import {
  dateMatches,
  isProblem,
  paging,
  parseDateParam,
  parseToken,
  referenceId,
  searchsetBundle,
  tokenMatches,
  type DateCondition,
  type SearchProblem,
} from '../../domain/fhir/search.js';
import { everythingSummaryHtml, type SummaryLocale } from '../../domain/fhir/summary.js';
import { consultationNoteText } from '../../domain/followup/note.js';
import { PUBLISHED_QUESTIONNAIRES } from '../../domain/instruments/questionnaires.js';
import { MODULE_IDS, type ModuleId } from '../../domain/program/progress.js';
import { assembleQuestionnaire } from '../../domain/surveys/assemble.js';
import type { Selectable } from 'kysely';
import type { FollowUpNotesTable } from '../../db/schema.js';
import type { DataContext } from '../access/data-context.js';
import { badRequest, notFound } from '../problem.js';
import { accessLogRows } from '../patients/access-log-rows.js';
import { recordShown, requirePatient, searchScope } from './fhir-access.js';

/** What a search route hands over: the parsed query and where the API lives. */
export interface SearchRequest {
  /** e.g. https://host/fhir/R4 */
  baseUrl: string;
  /** The query as received, in order (repeated parameters repeat). */
  query: ReadonlyArray<[string, string]>;
  params: Record<string, string | string[] | undefined>;
}

function one(params: SearchRequest['params'], name: string): string | undefined {
  const v = params[name];
  return Array.isArray(v) ? v[0] : v;
}

function fail(problems: SearchProblem[]): never {
  throw badRequest(problems);
}

function pageOf(params: SearchRequest['params']) {
  const count = one(params, '_count');
  const offset = one(params, '_offset');
  return paging(
    count === undefined ? undefined : Number(count),
    offset === undefined ? undefined : Number(offset)
  );
}

/** `patient` or `subject` (either may name the patient), as a patient id. */
function namedPatient(params: SearchRequest['params']): string | undefined {
  const problems: SearchProblem[] = [];
  let id: string | undefined;
  for (const name of ['patient', 'subject'] as const) {
    const raw = one(params, name);
    if (raw === undefined) continue;
    const parsed = referenceId(name, raw, 'Patient');
    if (isProblem(parsed)) problems.push(parsed);
    else if (id !== undefined && id !== parsed)
      problems.push({ field: name, reason: 'names another patient than patient' });
    else id = parsed;
  }
  if (problems.length) fail(problems);
  return id;
}

function dates(params: SearchRequest['params'], name: string): DateCondition[] {
  const { conditions, problems } = parseDateParam(name, params[name]);
  if (problems.length) fail(problems);
  return conditions;
}

function allDates(instant: string | undefined, conditions: readonly DateCondition[]): boolean {
  if (conditions.length === 0) return true;
  if (!instant) return false;
  const t = Date.parse(instant);
  return conditions.every((c) => dateMatches(t, c));
}

/** `_sort=date` or `-date` (or the resource's own date parameter name). */
function sortOrder(params: SearchRequest['params'], allowed: readonly string[], fallback: string): 1 | -1 {
  const raw = one(params, '_sort') ?? fallback;
  const name = raw.replace(/^-/, '');
  if (!allowed.includes(name))
    fail([{ field: '_sort', reason: `must be one of ${allowed.flatMap((a) => [a, `-${a}`]).join(', ')}` }]);
  return raw.startsWith('-') ? -1 : 1;
}

function byInstant<T>(items: T[], instant: (t: T) => string | undefined, order: 1 | -1): T[] {
  return items.sort(
    (a, b) => order * ((Date.parse(instant(a) ?? '') || 0) - (Date.parse(instant(b) ?? '') || 0))
  );
}

function bundleFor(
  request: SearchRequest,
  type: string,
  matches: readonly FhirResource[],
  included: readonly FhirResource[] = []
): Bundle {
  return searchsetBundle({
    url: `${request.baseUrl}/${type}`,
    query: request.query,
    matches,
    included,
    page: pageOf(request.params),
    baseUrl: request.baseUrl,
  });
}

/** The basis per patient for the resources of one page only: the audit names who was shown. */
function shownOn(
  bundle: Bundle,
  scope: ReadonlyMap<string, AccessBasis>,
  patientOf: (r: FhirResource) => string | undefined
) {
  const shown = new Map<string, AccessBasis>();
  for (const entry of bundle.entry ?? []) {
    const id = entry.resource ? patientOf(entry.resource) : undefined;
    const basis = id ? scope.get(id) : undefined;
    if (id && basis) shown.set(id, basis);
  }
  return shown;
}

const subjectOf = (r: FhirResource): string | undefined => {
  const ref = (r as { subject?: { reference?: string } }).subject?.reference;
  return ref?.startsWith('Patient/') ? ref.slice(8) : undefined;
};

// ---------------------------------------------------------------- Patient

async function patientRows(ctx: DataContext, ids: readonly string[]): Promise<Patient[]> {
  if (ids.length === 0) return [];
  const today = ctx.now.toISOString().slice(0, 10);
  const rows = await ctx.db
    .selectFrom('patients as p')
    .innerJoin('practices as pr', 'pr.id', 'p.practice_id')
    .select(['p.id', 'p.display_name', 'p.birth_year', 'p.sex', 'p.national_id', 'pr.name as practice_name'])
    .where('p.id', 'in', ids)
    .execute();
  const lists = await ctx.db
    .selectFrom('gp_list_entries')
    .select(['patient_id', 'gp_user_id'])
    .where('patient_id', 'in', ids)
    .where('valid_from', '<=', new Date(`${today}T00:00:00Z`))
    .where((eb) => eb.or([eb('valid_to', 'is', null), eb('valid_to', '>=', new Date(`${today}T00:00:00Z`))]))
    .execute();
  return rows.map((r) =>
    patientResource({
      id: r.id,
      displayName: r.display_name,
      birthYear: r.birth_year,
      sex: r.sex,
      nationalId: r.national_id,
      practiceName: r.practice_name,
      gpUserIds: lists.filter((l) => l.patient_id === r.id).map((l) => l.gp_user_id),
    })
  );
}

export async function readPatient(ctx: DataContext, patientId: string): Promise<Patient> {
  const basis = await requirePatient(ctx, patientId, 'FHIR Patient');
  const [patient] = await patientRows(ctx, [patientId]);
  if (!patient) throw notFound();
  await recordShown(ctx, new Map([[patientId, basis]]), 'FHIR Patient');
  return patient;
}

export async function searchPatients(ctx: DataContext, request: SearchRequest): Promise<Bundle> {
  const p = request.params;
  const idParam = one(p, '_id');
  const scope = await searchScope(ctx, idParam, 'FHIR Patient');
  let patients = await patientRows(ctx, [...scope.keys()]);
  const identifier = one(p, 'identifier');
  if (identifier !== undefined) {
    const tokens = parseToken(identifier);
    patients = patients.filter((r) => tokenMatches(tokens, r.identifier ?? []));
  }
  const name = one(p, 'name')?.toLocaleLowerCase('nb');
  if (name) {
    patients = patients.filter((r) =>
      (r.name ?? []).some((n) =>
        [n.text, n.family, ...(n.given ?? [])].some((part) => part?.toLocaleLowerCase('nb').startsWith(name))
      )
    );
  }
  const gender = one(p, 'gender');
  if (gender) patients = patients.filter((r) => r.gender === gender);
  const birth = dates(p, 'birthdate');
  patients = patients.filter((r) => allDates(r.birthDate, birth));
  patients.sort((a, b) => (a.name?.[0]?.text ?? '').localeCompare(b.name?.[0]?.text ?? '', 'nb'));
  const bundle = bundleFor(request, 'Patient', patients);
  await recordShown(
    ctx,
    shownOn(bundle, scope, (r) => r.id),
    'FHIR Patient'
  );
  return bundle;
}

// ---------------------------------------------------------------- Practitioner
// The GP's name and HPR number are public (Helsepersonellregisteret): any logged-in patient or GP
// may read a GP's Practitioner; other users are not Practitioners here.

async function practitionerRows(
  ctx: DataContext,
  filter: { ids?: readonly string[]; hpr?: string[] }
): Promise<Practitioner[]> {
  let query = ctx.db
    .selectFrom('users')
    .select(['id', 'display_name', 'hpr_number', 'disabled_at'])
    .where('role', '=', 'gp');
  if (filter.ids) {
    if (filter.ids.length === 0) return [];
    query = query.where('id', 'in', filter.ids);
  }
  if (filter.hpr) query = query.where('hpr_number', 'in', filter.hpr.length ? filter.hpr : ['']);
  const rows = await query.orderBy('display_name').execute();
  return rows.map((r) =>
    practitionerResource({
      id: r.id,
      displayName: r.display_name,
      hprNumber: r.hpr_number,
      active: !r.disabled_at,
    })
  );
}

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

export async function readPractitioner(ctx: DataContext, id: string): Promise<Practitioner> {
  if (!UUID.test(id)) throw notFound();
  const [practitioner] = await practitionerRows(ctx, { ids: [id] });
  if (!practitioner) throw notFound();
  return practitioner;
}

export async function searchPractitioners(ctx: DataContext, request: SearchRequest): Promise<Bundle> {
  const identifier = one(request.params, 'identifier');
  const id = one(request.params, '_id');
  if (id !== undefined && !UUID.test(id)) return bundleFor(request, 'Practitioner', []);
  let rows = await practitionerRows(ctx, {
    ...(id ? { ids: [id] } : {}),
    ...(identifier !== undefined
      ? {
          hpr: parseToken(identifier)
            .filter((t) => t.system === undefined || t.system === 'urn:oid:2.16.578.1.12.4.1.4.4')
            .map((t) => t.code ?? ''),
        }
      : {}),
  });
  const name = one(request.params, 'name')?.toLocaleLowerCase('nb');
  if (name) rows = rows.filter((r) => (r.name?.[0]?.text ?? '').toLocaleLowerCase('nb').includes(name));
  return bundleFor(request, 'Practitioner', rows);
}

// ---------------------------------------------------------------- Questionnaire (public)

let questionnaireCache: Questionnaire[] | null = null;

/** The platform's instruments and the study's surveys (the modular one assembled), with ids. */
export function publishedQuestionnaires(): Questionnaire[] {
  if (questionnaireCache) return questionnaireCache;
  const surveys = Object.entries(STUDY_QUESTIONNAIRES).map(([id, q]) => {
    const assembled = assembleQuestionnaire(q);
    // The published surveys assemble (surveys.test.ts); a failure would be a content error.
    if (!assembled.ok) throw new Error(`Survey ${id} does not assemble: ${assembled.errors[0]?.message}`);
    return { ...assembled.questionnaire, id };
  });
  questionnaireCache = [...PUBLISHED_QUESTIONNAIRES, ...surveys];
  return questionnaireCache;
}

export function readQuestionnaire(id: string): Questionnaire {
  const found = publishedQuestionnaires().find((q) => q.id === id);
  if (!found) throw notFound();
  return found;
}

export function searchQuestionnaires(request: SearchRequest): Bundle {
  let items = publishedQuestionnaires();
  const url = one(request.params, 'url');
  if (url !== undefined) {
    const [base, version] = url.split('|');
    items = items.filter((q) => q.url === base && (version === undefined || q.version === version));
  }
  const id = one(request.params, '_id');
  if (id !== undefined) items = items.filter((q) => q.id === id);
  const name = one(request.params, 'name')?.toLowerCase();
  if (name) items = items.filter((q) => (q.name ?? '').toLowerCase().includes(name));
  return bundleFor(request, 'Questionnaire', items);
}

// ---------------------------------------------------------------- answers: QuestionnaireResponse, Observation

interface ResponseRow {
  id: string;
  patient_id: string;
  fhir_resource: unknown;
  fhir_observation: unknown;
  fhir_observations: unknown[] | null;
}

/** Only the Observations of the responses (not the answers themselves: a search reads less). */
async function observationRows(
  ctx: DataContext,
  patientIds: readonly string[]
): Promise<Pick<ResponseRow, 'fhir_observation' | 'fhir_observations'>[]> {
  if (patientIds.length === 0) return [];
  return ctx.db
    .selectFrom('questionnaire_responses')
    .select(['fhir_observation', 'fhir_observations'])
    .where('patient_id', 'in', patientIds)
    .execute();
}

async function responseRows(
  ctx: DataContext,
  patientIds: readonly string[],
  responseId?: string
): Promise<ResponseRow[]> {
  if (patientIds.length === 0 && !responseId) return [];
  let query = ctx.db
    .selectFrom('questionnaire_responses')
    .select(['id', 'patient_id', 'fhir_resource', 'fhir_observation', 'fhir_observations']);
  if (responseId) query = query.where('id', '=', responseId);
  else query = query.where('patient_id', 'in', patientIds);
  return query.execute();
}

function observationsOf(row: Pick<ResponseRow, 'fhir_observation' | 'fhir_observations'>): Observation[] {
  const set = (row.fhir_observations ??
    (row.fhir_observation ? [row.fhir_observation] : [])) as Observation[];
  return set;
}

export async function readQuestionnaireResponse(
  ctx: DataContext,
  id: string
): Promise<QuestionnaireResponse> {
  if (!UUID.test(id)) throw notFound();
  const [row] = await responseRows(ctx, [], id);
  if (!row) throw notFound();
  const basis = await requirePatient(ctx, row.patient_id, 'FHIR QuestionnaireResponse');
  await recordShown(ctx, new Map([[row.patient_id, basis]]), 'FHIR QuestionnaireResponse');
  return row.fhir_resource as QuestionnaireResponse;
}

export async function searchQuestionnaireResponses(
  ctx: DataContext,
  request: SearchRequest
): Promise<Bundle> {
  const p = request.params;
  const scope = await searchScope(ctx, namedPatient(p), 'FHIR QuestionnaireResponse');
  const authored = dates(p, 'authored');
  const order = sortOrder(p, ['authored'], '-authored');
  const questionnaire = one(p, 'questionnaire');
  let items = (await responseRows(ctx, [...scope.keys()])).map(
    (r) => r.fhir_resource as QuestionnaireResponse
  );
  items = items.filter((qr) => allDates(qr.authored, authored));
  if (questionnaire !== undefined) {
    items = items.filter(
      (qr) => qr.questionnaire === questionnaire || qr.questionnaire?.split('|')[0] === questionnaire
    );
  }
  const bundle = bundleFor(
    request,
    'QuestionnaireResponse',
    byInstant(items, (qr) => qr.authored, order)
  );
  await recordShown(ctx, shownOn(bundle, scope, subjectOf), 'FHIR QuestionnaireResponse');
  return bundle;
}

export async function readObservation(ctx: DataContext, id: string): Promise<Observation> {
  const responseId = id.slice(0, 36);
  if (!UUID.test(responseId)) throw notFound();
  const [row] = await responseRows(ctx, [], responseId);
  const observation = row ? observationsOf(row).find((o) => o.id === id) : undefined;
  if (!row || !observation) throw notFound();
  const basis = await requirePatient(ctx, row.patient_id, 'FHIR Observation');
  await recordShown(ctx, new Map([[row.patient_id, basis]]), 'FHIR Observation');
  return observation;
}

export async function searchObservations(ctx: DataContext, request: SearchRequest): Promise<Bundle> {
  const p = request.params;
  const scope = await searchScope(ctx, namedPatient(p), 'FHIR Observation');
  const when = dates(p, 'date');
  const order = sortOrder(p, ['date'], '-date');
  const code = one(p, 'code');
  const category = one(p, 'category');
  let items = (await observationRows(ctx, [...scope.keys()])).flatMap(observationsOf);
  if (code !== undefined) {
    const tokens = parseToken(code);
    items = items.filter((o) => tokenMatches(tokens, o.code.coding ?? []));
  }
  if (category !== undefined) {
    const tokens = parseToken(category);
    items = items.filter((o) =>
      tokenMatches(
        tokens,
        (o.category ?? []).flatMap((c) => c.coding ?? [])
      )
    );
  }
  items = items.filter((o) => allDates(o.effectiveDateTime, when));
  const bundle = bundleFor(
    request,
    'Observation',
    byInstant(items, (o) => o.effectiveDateTime, order)
  );
  await recordShown(ctx, shownOn(bundle, scope, subjectOf), 'FHIR Observation');
  return bundle;
}

// ---------------------------------------------------------------- CarePlan, Appointment

function moduleNumber(moduleId: string | null): number | null {
  if (!moduleId) return null;
  return MODULE_CONTENT[moduleId as ModuleId]?.nb.number ?? null;
}

async function followUpRows(
  ctx: DataContext,
  patientIds: readonly string[],
  id?: string
): Promise<FollowUpRow[]> {
  if (patientIds.length === 0 && !id) return [];
  let query = ctx.db
    .selectFrom('follow_ups')
    .select([
      'id',
      'patient_id',
      'gp_user_id',
      'planned_at',
      'duration_minutes',
      'status',
      'kind',
      'module_id',
      'held_at',
    ]);
  query = id ? query.where('id', '=', id) : query.where('patient_id', 'in', patientIds);
  const rows = await query.execute();
  return rows.map((r) => ({
    id: r.id,
    patientId: r.patient_id,
    gpUserId: r.gp_user_id,
    plannedAt: new Date(r.planned_at),
    durationMinutes: r.duration_minutes,
    status: r.status,
    kind: r.kind,
    moduleNumber: moduleNumber(r.module_id),
    heldAt: r.held_at ? new Date(r.held_at) : null,
  }));
}

const appointmentPatient = (r: FhirResource): string | undefined => {
  const ref = (r as { participant?: { actor?: { reference?: string } }[] }).participant?.[0]?.actor
    ?.reference;
  return ref?.startsWith('Patient/') ? ref.slice(8) : undefined;
};

export async function readAppointment(ctx: DataContext, id: string) {
  if (!UUID.test(id)) throw notFound();
  const [row] = await followUpRows(ctx, [], id);
  if (!row) throw notFound();
  const basis = await requirePatient(ctx, row.patientId, 'FHIR Appointment');
  await recordShown(ctx, new Map([[row.patientId, basis]]), 'FHIR Appointment');
  return appointmentResource(row);
}

export async function searchAppointments(ctx: DataContext, request: SearchRequest): Promise<Bundle> {
  const p = request.params;
  const scope = await searchScope(ctx, namedPatient(p), 'FHIR Appointment');
  const when = dates(p, 'date');
  const order = sortOrder(p, ['date'], 'date');
  const status = one(p, 'status')?.split(',');
  let items = (await followUpRows(ctx, [...scope.keys()])).map(appointmentResource);
  if (status) items = items.filter((a) => status.includes(a.status));
  items = items.filter((a) => allDates(a.start, when));
  const bundle = bundleFor(
    request,
    'Appointment',
    byInstant(items, (a) => a.start, order)
  );
  await recordShown(ctx, shownOn(bundle, scope, appointmentPatient), 'FHIR Appointment');
  return bundle;
}

async function carePlans(ctx: DataContext, patientIds: readonly string[], id?: string) {
  if (patientIds.length === 0 && !id) return [];
  let query = ctx.db
    .selectFrom('program_enrolments')
    .select([
      'id',
      'patient_id',
      'status',
      'recommended_by',
      'recommended_at',
      'started_at',
      'finished_at',
      'guidance_level',
    ]);
  query = id ? query.where('id', '=', id) : query.where('patient_id', 'in', patientIds);
  const rows = await query.execute();
  if (rows.length === 0) return [];
  const ids = rows.map((r) => r.patient_id);
  const progress = await ctx.db
    .selectFrom('module_progress')
    .select(['patient_id', 'module_id', 'completed_at'])
    .where('patient_id', 'in', ids)
    .execute();
  const followUps = await ctx.db
    .selectFrom('follow_ups')
    .select(['id', 'patient_id'])
    .where('patient_id', 'in', ids)
    .orderBy('planned_at')
    .execute();
  return rows.map((r) => ({
    patientId: r.patient_id,
    resource: carePlanResource({
      id: r.id,
      patientId: r.patient_id,
      status: r.status,
      recommendedBy: r.recommended_by,
      recommendedAt: new Date(r.recommended_at),
      startedAt: r.started_at ? new Date(r.started_at) : null,
      finishedAt: r.finished_at ? new Date(r.finished_at) : null,
      guidanceLevel: r.guidance_level,
      modules: MODULE_IDS.map((m) => {
        const row = progress.find((x) => x.patient_id === r.patient_id && x.module_id === m);
        return {
          number: MODULE_CONTENT[m].nb.number,
          title: MODULE_CONTENT[m].nb.title,
          state: row?.completed_at
            ? ('completed' as const)
            : row
              ? ('in-progress' as const)
              : ('not-started' as const),
        };
      }),
      followUpIds: followUps.filter((f) => f.patient_id === r.patient_id).map((f) => f.id),
    }),
  }));
}

export async function readCarePlan(ctx: DataContext, id: string) {
  if (!UUID.test(id)) throw notFound();
  const [plan] = await carePlans(ctx, [], id);
  if (!plan) throw notFound();
  const basis = await requirePatient(ctx, plan.patientId, 'FHIR CarePlan');
  await recordShown(ctx, new Map([[plan.patientId, basis]]), 'FHIR CarePlan');
  return plan.resource;
}

export async function searchCarePlans(ctx: DataContext, request: SearchRequest): Promise<Bundle> {
  const p = request.params;
  const scope = await searchScope(ctx, namedPatient(p), 'FHIR CarePlan');
  const status = one(p, 'status')?.split(',');
  let items = (await carePlans(ctx, [...scope.keys()])).map((c) => c.resource);
  if (status) items = items.filter((c) => status.includes(c.status));
  const bundle = bundleFor(
    request,
    'CarePlan',
    byInstant(items, (c) => c.created, -1)
  );
  await recordShown(ctx, shownOn(bundle, scope, subjectOf), 'FHIR CarePlan');
  return bundle;
}

// ---------------------------------------------------------------- DocumentReference (consultation notes)

/**
 * A stored note as the record's note: the text exactly as the GP saw it, or for notes written
 * before the text was kept, the structured fields rebuilt as the record text. Also what is written
 * back to an EPJ (server/smart/record-writeback.ts).
 */
export function noteRowOf(r: Selectable<FollowUpNotesTable>): NoteRow {
  const language = r.note_language ?? 'nb';
  const text =
    r.note_text ??
    consultationNoteText(
      {
        discussed: r.discussed,
        plan: r.plan,
        nextStep: r.next_step,
        mode: r.mode,
        durationMinutes: r.duration_minutes,
        sickLeave: {
          status: r.sick_leave_status,
          percent: r.sick_leave_percent,
          from: r.sick_leave_from ? new Date(r.sick_leave_from).toISOString().slice(0, 10) : null,
          to: r.sick_leave_to ? new Date(r.sick_leave_to).toISOString().slice(0, 10) : null,
        },
      },
      {
        moduleNumber: null,
        moduleTitle: null,
        phq9: null,
        baselinePhq9: null,
        patientAgenda: null,
        nextFollowUpAt: null,
        feeCodes: r.fee_codes,
      },
      language
    );
  return {
    id: r.id,
    patientId: r.patient_id,
    gpUserId: r.gp_user_id,
    followUpId: r.follow_up_id,
    createdAt: new Date(r.created_at),
    language,
    text,
  };
}

async function notes(ctx: DataContext, patientIds: readonly string[], id?: string) {
  if (patientIds.length === 0 && !id) return [];
  let query = ctx.db.selectFrom('follow_up_notes').selectAll();
  query = id ? query.where('id', '=', id) : query.where('patient_id', 'in', patientIds);
  const rows = await query.execute();
  return rows.map((r) => documentReferenceResource(noteRowOf(r)));
}

export async function readDocumentReference(ctx: DataContext, id: string) {
  if (!UUID.test(id)) throw notFound();
  const [doc] = await notes(ctx, [], id);
  const patientId = doc ? subjectOf(doc) : undefined;
  if (!doc || !patientId) throw notFound();
  const basis = await requirePatient(ctx, patientId, 'FHIR DocumentReference');
  await recordShown(ctx, new Map([[patientId, basis]]), 'FHIR DocumentReference');
  return doc;
}

export async function searchDocumentReferences(ctx: DataContext, request: SearchRequest): Promise<Bundle> {
  const p = request.params;
  const scope = await searchScope(ctx, namedPatient(p), 'FHIR DocumentReference');
  const when = dates(p, 'date');
  const order = sortOrder(p, ['date'], '-date');
  const items = (await notes(ctx, [...scope.keys()])).filter((d) => allDates(d.date, when));
  const bundle = bundleFor(
    request,
    'DocumentReference',
    byInstant(items, (d) => d.date, order)
  );
  await recordShown(ctx, shownOn(bundle, scope, subjectOf), 'FHIR DocumentReference');
  return bundle;
}

// ---------------------------------------------------------------- Flag (urgent cases)

async function flags(ctx: DataContext, patientIds: readonly string[], id?: string) {
  if (patientIds.length === 0 && !id) return [];
  let query = ctx.db
    .selectFrom('urgent_cases')
    .select(['id', 'patient_id', 'opened_at', 'due_at', 'closed_at']);
  query = id ? query.where('id', '=', id) : query.where('patient_id', 'in', patientIds);
  const rows = await query.execute();
  return rows.map((r) =>
    flagResource({
      id: r.id,
      patientId: r.patient_id,
      openedAt: new Date(r.opened_at),
      dueAt: new Date(r.due_at),
      closedAt: r.closed_at ? new Date(r.closed_at) : null,
    })
  );
}

export async function readFlag(ctx: DataContext, id: string) {
  if (!UUID.test(id)) throw notFound();
  const [flag] = await flags(ctx, [], id);
  const patientId = flag ? subjectOf(flag) : undefined;
  if (!flag || !patientId) throw notFound();
  const basis = await requirePatient(ctx, patientId, 'FHIR Flag');
  await recordShown(ctx, new Map([[patientId, basis]]), 'FHIR Flag');
  return flag;
}

export async function searchFlags(ctx: DataContext, request: SearchRequest): Promise<Bundle> {
  const p = request.params;
  const scope = await searchScope(ctx, namedPatient(p), 'FHIR Flag');
  const status = one(p, 'status')?.split(',');
  let items = await flags(ctx, [...scope.keys()]);
  if (status) items = items.filter((f) => status.includes(f.status));
  const bundle = bundleFor(
    request,
    'Flag',
    byInstant(items, (f) => f.period?.start, -1)
  );
  await recordShown(ctx, shownOn(bundle, scope, subjectOf), 'FHIR Flag');
  return bundle;
}

// ---------------------------------------------------------------- AuditEvent (the patient's own log)

/** Allowed accesses by others to the patient's data, as on the patient's access-log page. */
async function ownAuditEvents(ctx: DataContext, patientId: string, seq?: number): Promise<AuditEvent[]> {
  const rows = await accessLogRows(ctx.db, patientId, ctx.actor.userId, {
    limit: 1000,
    ...(seq !== undefined ? { seq } : {}),
  });
  return rows.map((r) =>
    auditEventResource({
      seq: Number(r.seq),
      occurredAt: new Date(r.occurred_at),
      actorName: r.actor_name,
      actorRole: r.actor_role,
      practiceName: r.practice_name,
      patientId,
      action: r.action,
      dataCategory: r.data_category,
      accessBasis: r.access_basis,
    })
  );
}

/** The patient's own record id; AuditEvent is for the patient themself only. */
async function ownPatientId(ctx: DataContext): Promise<string> {
  const own = await ctx.db
    .selectFrom('patients')
    .select('id')
    .where('user_id', '=', ctx.actor.userId)
    .executeTakeFirst();
  if (!own) throw notFound();
  return own.id;
}

export async function readAuditEvent(ctx: DataContext, id: string): Promise<AuditEvent> {
  if (!/^\d{1,15}$/.test(id)) throw notFound();
  const patientId = await ownPatientId(ctx);
  const [event] = await ownAuditEvents(ctx, patientId, Number(id));
  if (!event) throw notFound();
  await recordShown(ctx, new Map([[patientId, 'self' as const]]), 'access log');
  return event;
}

export async function searchAuditEvents(ctx: DataContext, request: SearchRequest): Promise<Bundle> {
  const p = request.params;
  const patientId = await ownPatientId(ctx);
  const named = namedPatient(p);
  const when = dates(p, 'date');
  const order = sortOrder(p, ['date'], '-date');
  const items =
    named !== undefined && named !== patientId
      ? []
      : (await ownAuditEvents(ctx, patientId)).filter((e) => allDates(e.recorded, when));
  const bundle = bundleFor(
    request,
    'AuditEvent',
    byInstant(items, (e) => e.recorded, order)
  );
  await recordShown(ctx, new Map([[patientId, 'self' as const]]), 'access log');
  return bundle;
}

// ---------------------------------------------------------------- everything about one patient

/**
 * `Patient/$everything` (and the patient's own download, GDPR articles 15 and 20): the Patient,
 * their GPs, the plan, the follow-ups, every answer and score, the notes, urgent cases and, for the
 * patient themself, who has read their data. One export audit line.
 */
export async function patientEverything(
  ctx: DataContext,
  patientId: string,
  baseUrl: string
): Promise<Bundle> {
  const basis = ctx.patientAccess?.basis;
  if (!basis) throw notFound();
  const ids = [patientId];
  const [patient] = await patientRows(ctx, ids);
  if (!patient) throw notFound();
  const gpIds = (patient.generalPractitioner ?? []).map((r) => r.reference!.slice('Practitioner/'.length));
  const practitioners = await practitionerRows(ctx, { ids: gpIds });
  const responses = await responseRows(ctx, ids);
  const resources: FhirResource[] = [
    patient,
    ...practitioners,
    ...(await carePlans(ctx, ids)).map((c) => c.resource),
    ...(await followUpRows(ctx, ids)).map(appointmentResource),
    ...responses.map((r) => r.fhir_resource as QuestionnaireResponse),
    ...responses.flatMap(observationsOf),
    ...(await notes(ctx, ids)),
    ...(await flags(ctx, ids)),
    ...(basis === 'self' ? await ownAuditEvents(ctx, patientId) : []),
  ];
  await recordShown(ctx, new Map([[patientId, basis]]), 'FHIR export (everything)', 'export');
  return {
    resourceType: 'Bundle',
    type: 'searchset',
    total: resources.length,
    link: [{ relation: 'self', url: `${baseUrl}/Patient/${patientId}/$everything` }],
    entry: resources.map((resource) => ({
      fullUrl: `${baseUrl}/${resource.resourceType}/${resource.id}`,
      resource,
      search: { mode: 'match' as const },
    })),
  };
}

/** The patient's readable copy: the same Bundle as `$everything`, as a page to read or print. */
export async function patientEverythingHtml(
  ctx: DataContext,
  patientId: string,
  baseUrl: string,
  locale: SummaryLocale
): Promise<string> {
  return everythingSummaryHtml(await patientEverything(ctx, patientId, baseUrl), locale, ctx.now);
}

/**
 * The platform's records as FHIR R4 resources, for the API at `/fhir/R4` (issue 16). Pure: rows in,
 * resources out. Patients and GPs are shaped by HL7 Norway's no-basis profiles (fødselsnummer and
 * HPR number as identifiers); the rest is plain R4. Questionnaire answers and their Observations
 * are stored as FHIR already (domain/instruments) and are served as stored.
 *
 * Nothing here grades risk: an open urgent case is a Flag that says a case is open and why it was
 * opened (an answer above 0 on PHQ-9 item 9), never how likely anything is.
 */
import type {
  Appointment,
  AuditEvent,
  CarePlan,
  CarePlanActivity,
  DocumentReference,
  Flag,
  Patient,
  Practitioner,
} from 'fhir/r4.js';
import {
  FODSELSNUMMER_SYSTEM,
  DNUMMER_SYSTEM,
  HPR_SYSTEM,
  parsePersonNumber,
} from '../identifiers/norwegian-ids.js';
import { FHIR_BASE } from '../instruments/questionnaires.js';

export const NO_BASIS_PATIENT = 'http://hl7.no/fhir/StructureDefinition/no-basis-Patient';
export const NO_BASIS_PRACTITIONER = 'http://hl7.no/fhir/StructureDefinition/no-basis-Practitioner';
/** The platform's own code systems (flags, program activities). */
export const FLAG_CODE_SYSTEM = `${FHIR_BASE}/CodeSystem/flag`;
export const PROGRAM_CODE_SYSTEM = `${FHIR_BASE}/CodeSystem/program`;
/** The iCBT program as a definition the CarePlan instantiates. */
export const PROGRAM_PLAN_DEFINITION = `${FHIR_BASE}/PlanDefinition/guided-icbt-depression`;

/** "Given Family" → FHIR HumanName; the whole name is kept as `text`. */
function humanName(displayName: string): { text: string; family?: string; given?: string[] } {
  const text = displayName.trim();
  const parts = text.split(/\s+/);
  if (parts.length < 2) return { text };
  return { text, family: parts[parts.length - 1], given: parts.slice(0, -1) };
}

export interface PatientRow {
  id: string;
  displayName: string;
  birthYear: number;
  sex: 'female' | 'male';
  nationalId: string | null;
  practiceName: string;
  /** The GPs with the patient on their list now. */
  gpUserIds: readonly string[];
}

export function patientResource(row: PatientRow): Patient {
  const parsed = row.nationalId ? parsePersonNumber(row.nationalId) : null;
  return {
    resourceType: 'Patient',
    id: row.id,
    meta: { profile: [NO_BASIS_PATIENT] },
    ...(row.nationalId
      ? {
          identifier: [
            {
              use: 'official',
              system: parsed?.kind === 'dnummer' ? DNUMMER_SYSTEM : FODSELSNUMMER_SYSTEM,
              value: row.nationalId,
            },
          ],
        }
      : {}),
    active: true,
    name: [{ use: 'official', ...humanName(row.displayName) }],
    gender: row.sex,
    // The full date when the number carries it; else the year, which is all the platform keeps.
    birthDate: parsed?.birthDate ?? String(row.birthYear),
    generalPractitioner: row.gpUserIds.map((id) => ({ reference: `Practitioner/${id}` })),
    managingOrganization: { display: row.practiceName },
  };
}

export interface PractitionerRow {
  id: string;
  displayName: string;
  hprNumber: string | null;
  active: boolean;
}

export function practitionerResource(row: PractitionerRow): Practitioner {
  return {
    resourceType: 'Practitioner',
    id: row.id,
    meta: { profile: [NO_BASIS_PRACTITIONER] },
    ...(row.hprNumber ? { identifier: [{ system: HPR_SYSTEM, value: row.hprNumber }] } : {}),
    active: row.active,
    name: [humanName(row.displayName.replace(/\s*\([^)]*\)\s*$/, ''))],
  };
}

export type FollowUpStatus = 'planned' | 'done' | 'cancelled' | 'missed';

export interface FollowUpRow {
  id: string;
  patientId: string;
  gpUserId: string;
  plannedAt: Date;
  durationMinutes: number;
  status: FollowUpStatus;
  kind: 'module' | 'check_in' | 'extra';
  moduleNumber: number | null;
  heldAt: Date | null;
}

const APPOINTMENT_STATUS: Record<FollowUpStatus, Appointment['status']> = {
  planned: 'booked',
  done: 'fulfilled',
  cancelled: 'cancelled',
  missed: 'noshow',
};

function followUpDescription(row: FollowUpRow): string {
  if (row.kind === 'check_in') return `Kort kontroll hos fastlegen (${row.durationMinutes} min)`;
  if (row.kind === 'extra') return `Ekstra samtale hos fastlegen (${row.durationMinutes} min)`;
  return row.moduleNumber
    ? `Oppfølgingssamtale etter modul ${row.moduleNumber} (${row.durationMinutes} min)`
    : `Oppfølgingssamtale (${row.durationMinutes} min)`;
}

export function appointmentResource(row: FollowUpRow): Appointment {
  const end = new Date(row.plannedAt.getTime() + row.durationMinutes * 60_000);
  return {
    resourceType: 'Appointment',
    id: row.id,
    status: APPOINTMENT_STATUS[row.status],
    appointmentType: {
      coding: [
        {
          system: 'http://terminology.hl7.org/CodeSystem/v2-0276',
          code: row.kind === 'extra' ? 'WALKIN' : row.kind === 'check_in' ? 'CHECKUP' : 'FOLLOWUP',
        },
      ],
    },
    description: followUpDescription(row),
    start: row.plannedAt.toISOString(),
    end: end.toISOString(),
    minutesDuration: row.durationMinutes,
    participant: [
      { actor: { reference: `Patient/${row.patientId}` }, required: 'required', status: 'accepted' },
      { actor: { reference: `Practitioner/${row.gpUserId}` }, required: 'required', status: 'accepted' },
    ],
  };
}

export type ProgramStatus = 'recommended' | 'active' | 'finished' | 'stopped';

export interface CarePlanRow {
  id: string;
  patientId: string;
  status: ProgramStatus;
  recommendedBy: string;
  recommendedAt: Date;
  startedAt: Date | null;
  finishedAt: Date | null;
  guidanceLevel: 'guided' | 'minimal' | 'self';
  modules: readonly { number: number; title: string; state: 'not-started' | 'in-progress' | 'completed' }[];
  followUpIds: readonly string[];
}

const CARE_PLAN_STATUS: Record<ProgramStatus, CarePlan['status']> = {
  // The GP's recommendation is the plan (icbt-anchors §7.1): it is in force from the moment it is made.
  recommended: 'active',
  active: 'active',
  finished: 'completed',
  stopped: 'revoked',
};

const GUIDANCE_TEXT = {
  guided: 'veiledet: samtale hos fastlegen annenhver uke',
  minimal: 'lett veiledet: kort kontroll hos fastlegen',
  self: 'på egen hånd, med fastlegen tilgjengelig',
} as const;

export function carePlanResource(row: CarePlanRow): CarePlan {
  const moduleActivities: CarePlanActivity[] = row.modules.map((m) => ({
    detail: {
      kind: 'Task',
      code: { coding: [{ system: PROGRAM_CODE_SYSTEM, code: `module-${m.number}` }], text: m.title },
      status: m.state,
      description: `Modul ${m.number}: ${m.title}`,
    },
  }));
  const followUps: CarePlanActivity[] = row.followUpIds.map((id) => ({
    reference: { reference: `Appointment/${id}` },
  }));
  return {
    resourceType: 'CarePlan',
    id: row.id,
    instantiatesCanonical: [PROGRAM_PLAN_DEFINITION],
    status: CARE_PLAN_STATUS[row.status],
    intent: 'plan',
    category: [
      {
        coding: [{ system: 'http://snomed.info/sct', code: '736378000', display: 'Mental health care plan' }],
      },
    ],
    title: 'Internettbasert kognitiv terapi med oppfølging hos fastlegen',
    description: `Fem moduler hjemme, ${GUIDANCE_TEXT[row.guidanceLevel]}.`,
    subject: { reference: `Patient/${row.patientId}` },
    period: {
      start: (row.startedAt ?? row.recommendedAt).toISOString(),
      ...(row.finishedAt ? { end: row.finishedAt.toISOString() } : {}),
    },
    created: row.recommendedAt.toISOString(),
    author: { reference: `Practitioner/${row.recommendedBy}` },
    activity: [...moduleActivities, ...followUps],
  };
}

export interface NoteRow {
  id: string;
  patientId: string;
  gpUserId: string;
  followUpId: string;
  createdAt: Date;
  language: 'nb' | 'en';
  text: string;
}

/** LOINC 11488-4 "Consult note": the note of a follow-up, as the GP saw and copied it. */
export function documentReferenceResource(row: NoteRow): DocumentReference {
  return {
    resourceType: 'DocumentReference',
    id: row.id,
    status: 'current',
    docStatus: 'final',
    type: { coding: [{ system: 'http://loinc.org', code: '11488-4', display: 'Consult note' }] },
    subject: { reference: `Patient/${row.patientId}` },
    date: row.createdAt.toISOString(),
    author: [{ reference: `Practitioner/${row.gpUserId}` }],
    description: row.language === 'nb' ? 'Notat fra oppfølgingssamtale' : 'Follow-up consultation note',
    content: [
      {
        attachment: {
          contentType: 'text/plain; charset=utf-8',
          language: row.language === 'nb' ? 'nb-NO' : 'en',
          data: Buffer.from(row.text, 'utf8').toString('base64'),
          title: row.language === 'nb' ? 'Journalnotat' : 'Record note',
          creation: row.createdAt.toISOString(),
        },
      },
    ],
    context: { related: [{ reference: `Appointment/${row.followUpId}` }] },
  };
}

export interface UrgentCaseRow {
  id: string;
  patientId: string;
  openedAt: Date;
  dueAt: Date;
  closedAt: Date | null;
}

/** An urgent case as a Flag: open while the case is open; it says what to do, not how likely harm is. */
export function flagResource(row: UrgentCaseRow): Flag {
  return {
    resourceType: 'Flag',
    id: row.id,
    status: row.closedAt ? 'inactive' : 'active',
    category: [
      {
        coding: [
          {
            system: 'http://terminology.hl7.org/CodeSystem/flag-category',
            code: 'clinical',
            display: 'Clinical',
          },
        ],
      },
    ],
    code: {
      coding: [
        { system: FLAG_CODE_SYSTEM, code: 'urgent-case', display: 'Urgent case: contact the patient' },
      ],
      text:
        'Hastesak: pasienten svarte over 0 på PHQ-9 spørsmål 9. Kontakt pasienten innen fristen ' +
        `(${row.dueAt.toISOString()}). Akutt fare: 113; legevakt 116 117; Mental Helse 116 123; Kirkens SOS 22 40 00 40.`,
    },
    subject: { reference: `Patient/${row.patientId}` },
    period: {
      start: row.openedAt.toISOString(),
      ...(row.closedAt ? { end: row.closedAt.toISOString() } : {}),
    },
  };
}

export interface AuditRow {
  seq: number;
  occurredAt: Date;
  actorName: string;
  actorRole: string;
  practiceName: string | null;
  patientId: string;
  action: string;
  dataCategory: string;
  accessBasis: string;
}

const AUDIT_ACTION: Record<string, AuditEvent['action']> = {
  read: 'R',
  create: 'C',
  update: 'U',
  delete: 'D',
  export: 'R',
  access: 'E',
  login: 'E',
  logout: 'E',
};

/** One line of the patient's own access log (allowed accesses by others, as on their page). */
export function auditEventResource(row: AuditRow): AuditEvent {
  return {
    resourceType: 'AuditEvent',
    id: String(row.seq),
    type: {
      system: 'http://dicom.nema.org/resources/ontology/DCM',
      code: '110110',
      display: 'Patient Record',
    },
    action: AUDIT_ACTION[row.action] ?? 'E',
    recorded: row.occurredAt.toISOString(),
    outcome: '0',
    outcomeDesc: `${row.action}: ${row.dataCategory} (${row.accessBasis})`,
    agent: [
      {
        type: { text: row.actorRole },
        who: { display: row.practiceName ? `${row.actorName}, ${row.practiceName}` : row.actorName },
        requestor: true,
      },
    ],
    source: { observer: { display: 'GP-DEP' } },
    entity: [{ what: { reference: `Patient/${row.patientId}` }, description: row.dataCategory }],
  };
}

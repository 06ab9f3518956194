/**
 * What the FHIR API offers, defined once: the resources, their search parameters and who may use
 * them. The CapabilityStatement (`/fhir/R4/metadata`) and the routes' query schemas are both made
 * from this table, so the published capabilities cannot drift from what the server accepts.
 */
import type { CapabilityStatement, CapabilityStatementRestResource } from 'fhir/r4.js';

export type SearchParamType = 'token' | 'reference' | 'date' | 'string';

export interface SearchParamDefinition {
  name: string;
  type: SearchParamType;
  documentation: string;
  /** May repeat (`date=ge…&date=lt…`, ANDed). */
  repeats?: boolean;
}

export interface ResourceCapability {
  type:
    | 'Patient'
    | 'Practitioner'
    | 'Questionnaire'
    | 'QuestionnaireResponse'
    | 'Observation'
    | 'CarePlan'
    | 'Appointment'
    | 'DocumentReference'
    | 'Flag'
    | 'AuditEvent';
  profile?: string;
  documentation: string;
  search: readonly SearchParamDefinition[];
  /** `_sort` values accepted (each also with a leading `-`). */
  sort?: readonly string[];
}

const PATIENT_PARAMS: readonly SearchParamDefinition[] = [
  { name: 'patient', type: 'reference', documentation: 'The patient (an id or Patient/<id>).' },
  { name: 'subject', type: 'reference', documentation: 'The same as patient.' },
];

export const FHIR_RESOURCES: readonly ResourceCapability[] = [
  {
    type: 'Patient',
    profile: 'http://hl7.no/fhir/StructureDefinition/no-basis-Patient',
    documentation: 'The patient themself, or the patients a GP has on their list or covers for.',
    search: [
      { name: '_id', type: 'token', documentation: 'The patient id.' },
      {
        name: 'identifier',
        type: 'token',
        documentation: 'Fødselsnummer: urn:oid:2.16.578.1.12.4.1.4.1|<11 digits>.',
      },
      {
        name: 'name',
        type: 'string',
        documentation: 'Start of a given name, the family name or the whole name.',
      },
      { name: 'gender', type: 'token', documentation: 'female or male.' },
      { name: 'birthdate', type: 'date', documentation: 'Date of birth.', repeats: true },
    ],
  },
  {
    type: 'Practitioner',
    profile: 'http://hl7.no/fhir/StructureDefinition/no-basis-Practitioner',
    documentation: 'GPs, with their HPR number (public in Helsepersonellregisteret).',
    search: [
      { name: '_id', type: 'token', documentation: 'The practitioner id.' },
      {
        name: 'identifier',
        type: 'token',
        documentation: 'HPR number: urn:oid:2.16.578.1.12.4.1.4.4|<number>.',
      },
      { name: 'name', type: 'string', documentation: 'Part of the name.' },
    ],
  },
  {
    type: 'Questionnaire',
    documentation: 'PHQ-9, GAD-7, WSAS and the GP-DEP study surveys. Public.',
    search: [
      {
        name: '_id',
        type: 'token',
        documentation: 'phq9, gad7, wsas, gp-national, patient-preferences, patient-experience.',
      },
      { name: 'url', type: 'string', documentation: 'The canonical URL, optionally with |version.' },
      { name: 'name', type: 'string', documentation: 'Part of the computer name (PHQ9, GAD7, …).' },
    ],
  },
  {
    type: 'QuestionnaireResponse',
    documentation: "A patient's answers to PHQ-9, GAD-7 or WSAS.",
    search: [
      ...PATIENT_PARAMS,
      {
        name: 'questionnaire',
        type: 'reference',
        documentation: 'The Questionnaire canonical, with or without |version.',
      },
      { name: 'authored', type: 'date', documentation: 'When it was answered.', repeats: true },
    ],
    sort: ['authored'],
  },
  {
    type: 'Observation',
    documentation: 'Scores (PHQ-9 total as a panel with item 9, GAD-7, WSAS), derived from the answers.',
    search: [
      ...PATIENT_PARAMS,
      {
        name: 'code',
        type: 'token',
        documentation: 'LOINC (44261-6 PHQ-9 total, 44260-8 item 9, 70274-6 GAD-7) or the WSAS code.',
      },
      { name: 'category', type: 'token', documentation: 'survey.' },
      { name: 'date', type: 'date', documentation: 'effectiveDateTime.', repeats: true },
    ],
    sort: ['date'],
  },
  {
    type: 'CarePlan',
    documentation: 'The guided internet-CBT program the GP recommended, its modules and follow-ups.',
    search: [
      ...PATIENT_PARAMS,
      { name: 'status', type: 'token', documentation: 'active, completed or revoked.' },
    ],
  },
  {
    type: 'Appointment',
    documentation: "The GP's follow-ups (about 20 minutes, every second week).",
    search: [
      ...PATIENT_PARAMS,
      { name: 'date', type: 'date', documentation: 'Start.', repeats: true },
      { name: 'status', type: 'token', documentation: 'booked, fulfilled, cancelled or noshow.' },
    ],
    sort: ['date'],
  },
  {
    type: 'DocumentReference',
    documentation: 'Consultation notes of the follow-ups, as the GP wrote them for the record (text/plain).',
    search: [
      ...PATIENT_PARAMS,
      { name: 'date', type: 'date', documentation: 'When written.', repeats: true },
    ],
    sort: ['date'],
  },
  {
    type: 'Flag',
    documentation: 'An urgent case (PHQ-9 item 9 above 0): active while open.',
    search: [...PATIENT_PARAMS, { name: 'status', type: 'token', documentation: 'active or inactive.' }],
  },
  {
    type: 'AuditEvent',
    documentation: "The patient's own access log: who read or changed their data. Patients only.",
    search: [...PATIENT_PARAMS, { name: 'date', type: 'date', documentation: 'When.', repeats: true }],
    sort: ['date'],
  },
];

/** Parameters every search takes. */
export const COMMON_SEARCH_PARAMS: readonly SearchParamDefinition[] = [
  { name: '_count', type: 'token', documentation: 'Page size, 1-100 (default 20).' },
  { name: '_offset', type: 'token', documentation: 'How many matches to skip (the next link sets it).' },
];

export function capabilityStatement(args: {
  baseUrl: string;
  version: string;
  date: string;
}): CapabilityStatement {
  const resource: CapabilityStatementRestResource[] = FHIR_RESOURCES.map((r) => ({
    type: r.type,
    ...(r.profile ? { supportedProfile: [r.profile] } : {}),
    documentation: r.documentation,
    interaction: [{ code: 'read' }, { code: 'search-type' }],
    searchParam: [
      ...r.search.map((p) => ({ name: p.name, type: p.type, documentation: p.documentation })),
      ...(r.sort
        ? [
            {
              name: '_sort',
              type: 'token' as const,
              documentation: r.sort.flatMap((s) => [s, `-${s}`]).join(', '),
            },
          ]
        : []),
    ],
    ...(r.type === 'Patient'
      ? {
          operation: [
            { name: 'everything', definition: 'http://hl7.org/fhir/OperationDefinition/Patient-everything' },
          ],
        }
      : {}),
  }));
  return {
    resourceType: 'CapabilityStatement',
    status: 'active',
    date: args.date,
    kind: 'instance',
    software: { name: 'GP-DEP platform', version: args.version },
    implementation: { description: 'GP-DEP: guided internet CBT and the GP follow-up', url: args.baseUrl },
    fhirVersion: '4.0.1',
    format: ['application/fhir+json', 'json'],
    rest: [
      {
        mode: 'server',
        documentation:
          'Read and search only. A patient sees their own data; a GP the patients on their list or ' +
          'covered for now; every read is written to the audit log. Unknown search parameters are refused.',
        security: {
          cors: false,
          description: 'Session login (same origin). SMART on FHIR is not offered yet.',
        },
        resource,
      },
    ],
  };
}

/**
 * What the audit log calls the patient data the FHIR API shows (the patient reads these words in
 * their access log, so each has bokmål and English in the web's locales; a test checks).
 */
export const FHIR_AUDIT_CATEGORIES = [
  'FHIR Patient',
  'FHIR QuestionnaireResponse',
  'FHIR Observation',
  'FHIR CarePlan',
  'FHIR Appointment',
  'FHIR DocumentReference',
  'FHIR Flag',
  'FHIR export (everything)',
  'access log',
] as const;
export type FhirAuditCategory = (typeof FHIR_AUDIT_CATEGORIES)[number];

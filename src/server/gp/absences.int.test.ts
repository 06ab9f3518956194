/** Absences with cover: ending one that has not started cancels it; no input reaches a 500. */
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { createTestApp, type LoggedIn, type TestApp } from '../../../test/support/test-app.js';

let t: TestApp;
let gp1: LoggedIn;

// A fresh application and database per test: each plans the absence it ends (issue 12 §5).
beforeEach(async () => {
  t = await createTestApp();
  gp1 = await t.login('gp1');
});
afterEach(async () => t?.close());

const hours = (n: number) => new Date(t.clock.now.getTime() + n * 3_600_000).toISOString();

async function plan(startsAt: string, endsAt: string) {
  const res = await t.call(gp1, 'POST', '/api/gp/absences', {
    body: { startsAt, endsAt, delegateUserId: t.fixture.userIds.gp2 },
  });
  expect(res.statusCode).toBe(201);
  return res.json().id as string;
}

describe('ending an absence', () => {
  it('cancels an absence that has not started (204, gone, logged), instead of a 500 from the check constraint', async () => {
    const id = await plan(hours(24), hours(48));
    const res = await t.call(gp1, 'POST', `/api/gp/absences/${id}/end`, { body: {} });
    expect(res.statusCode).toBe(204);
    expect(await t.db.selectFrom('gp_absences').select('id').where('id', '=', id).execute()).toEqual([]);
    const listed = (await t.call(gp1, 'GET', '/api/gp/absences')).json().items;
    expect(listed.map((a: { id: string }) => a.id)).not.toContain(id);
    const logged = await t.db
      .selectFrom('audit_events')
      .select(['action', 'data_category'])
      .where('actor_user_id', '=', t.fixture.userIds.gp1)
      .where('data_category', 'like', 'absence and cover (%')
      .execute();
    expect(logged).toEqual([{ action: 'delete', data_category: 'absence and cover (cancelled)' }]);
    // Ending it again: it no longer exists.
    expect((await t.call(gp1, 'POST', `/api/gp/absences/${id}/end`, { body: {} })).statusCode).toBe(404);
  });

  it('cancels an absence that starts this very moment (ends_at = starts_at would break the check too)', async () => {
    const id = await plan(t.clock.now.toISOString(), hours(2));
    expect((await t.call(gp1, 'POST', `/api/gp/absences/${id}/end`, { body: {} })).statusCode).toBe(204);
    expect(await t.db.selectFrom('gp_absences').select('id').where('id', '=', id).execute()).toEqual([]);
  });

  it('ends a running absence now, and the colleague loses cover at once', async () => {
    const id = await plan(hours(-1), hours(5));
    const gp2 = await t.login('gp2');
    const patientUrl = `/api/patients/${t.fixture.patientIds.pA1}`;
    expect((await t.call(gp2, 'GET', patientUrl)).statusCode).toBe(200);
    expect((await t.call(gp1, 'POST', `/api/gp/absences/${id}/end`, { body: {} })).statusCode).toBe(204);
    const row = await t.db
      .selectFrom('gp_absences')
      .select('ends_at')
      .where('id', '=', id)
      .executeTakeFirstOrThrow();
    expect(new Date(row.ends_at).toISOString()).toBe(t.clock.now.toISOString());
    expect((await t.call(gp2, 'GET', patientUrl)).statusCode).toBe(404);
  });

  it("answers another GP's absence like one that does not exist", async () => {
    const id = await plan(hours(1), hours(3));
    const gp2 = await t.login('gp2');
    const res = await t.call(gp2, 'POST', `/api/gp/absences/${id}/end`, { body: {} });
    expect(res.statusCode).toBe(404);
    expect(await t.db.selectFrom('gp_absences').select('id').where('id', '=', id).execute()).toHaveLength(1);
  });
});

describe('planning an absence', () => {
  it('refuses a leap second (valid RFC 3339, but not a time JavaScript can hold) with 400, not 500', async () => {
    const res = await t.call(gp1, 'POST', '/api/gp/absences', {
      body: { startsAt: '2030-12-31T23:59:60Z', endsAt: '2031-01-02T00:00:00Z', delegateUserId: null },
    });
    expect(res.statusCode).toBe(400);
    expect(res.json().errors).toEqual([{ field: 'startsAt', reason: 'must be a valid date-time' }]);
  });
});

/**
 * An admin manages accounts, not diagnoses (issue 11 §5): the user list shows staff accounts, and
 * patient accounts only as a count, since having an account here says "in a depression program".
 */
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { createTestApp, type TestApp } from '../../../test/support/test-app.js';

let t: TestApp;
// An app and a database per test (issue 12 §5).
beforeEach(async () => {
  t = await createTestApp();
});
afterEach(async () => t?.close());

describe('the admin user list', () => {
  it('lists staff and counts patients, naming none', async () => {
    const admin = await t.login('admin');
    const res = await t.call(admin, 'GET', '/api/admin/users');
    expect(res.statusCode).toBe(200);
    const body = res.json<{ items: { role: string; username: string }[]; patientAccounts: number }>();
    expect(body.items.map((u) => u.role).sort()).toEqual([
      'admin',
      'gp',
      'gp',
      'gp',
      'guide',
      'guide',
      'researcher',
      'user_group',
    ]);
    expect(body.patientAccounts).toBe(4);
    for (const name of Object.values(t.fixture.patientNames)) expect(res.body).not.toContain(name);
  });
});

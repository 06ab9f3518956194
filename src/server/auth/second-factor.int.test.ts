/**
 * Second factors for staff and step-up (issue 16), through the real app on the test database:
 * TOTP enrolment with recovery codes, the password alone no longer enough, wrong and replayed
 * codes refused and counted in the login lockouts, recovery codes used once, passkeys with a
 * software authenticator (real ES256 signatures the library verifies), a half-finished login that
 * opens nothing, step-up before admin changes and factor changes, and the `required` policy.
 */
import { generate } from 'otplib';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { SECOND_FACTOR_PROBLEM } from '../../contract/second-factor.js';
import { STEP_UP_MAX_AGE_SECONDS } from '../../domain/access/step-up.js';
import { SoftAuthenticator } from '../../../test/support/soft-authenticator.js';
import {
  createTestApp,
  FIXTURE_PASSWORD,
  type LoggedIn,
  type TestApp,
} from '../../../test/support/test-app.js';
import { PENDING_LOGIN_COOKIE } from './pending-login.js';
import { SESSION_COOKIE } from './sessions.js';

let t: TestApp;
const ORIGIN = 'http://localhost:3000';

const code = (secret: string, at: Date = t.clock.now) =>
  generate({ secret, epoch: Math.floor(at.getTime() / 1000) });
const later = (seconds: number) => {
  t.clock.now = new Date(t.clock.now.getTime() + seconds * 1000);
};

async function enrolTotp(session: LoggedIn) {
  const started = await t.call(session, 'POST', '/api/auth/factors/totp');
  expect(started.statusCode, started.body).toBe(200);
  const { id, secret, otpauthUri } = started.json<{ id: string; secret: string; otpauthUri: string }>();
  const confirmed = await t.call(session, 'POST', `/api/auth/factors/totp/${id}/confirm`, {
    body: { code: await code(secret), label: 'Telefonen' },
  });
  expect(confirmed.statusCode, confirmed.body).toBe(200);
  const { recoveryCodes } = confirmed.json<{ recoveryCodes: string[] | null }>();
  return { id, secret, otpauthUri, recoveryCodes };
}

/** The password step: the answer, and the pending login's cookie (no session cookie). */
async function passwordStep(username: string) {
  const res = await t.app.inject({
    method: 'POST',
    url: '/api/auth/login',
    payload: { username, password: FIXTURE_PASSWORD },
  });
  const pending = res.cookies.find((c) => c.name === PENDING_LOGIN_COOKIE)?.value ?? '';
  const session = res.cookies.find((c) => c.name === SESSION_COOKIE && c.value)?.value;
  return { res, pending, session };
}

async function secondFactor(pending: string, body: object) {
  const res = await t.app.inject({
    method: 'POST',
    url: '/api/auth/second-factor',
    headers: { cookie: `${PENDING_LOGIN_COOKIE}=${pending}` },
    payload: body,
  });
  const cookie = res.cookies.find((c) => c.name === SESSION_COOKIE)?.value;
  return {
    res,
    session: cookie ? { cookie, csrfToken: res.json<{ csrfToken: string }>().csrfToken } : null,
  };
}

async function auditCategories(userId: string) {
  const rows = await t.db
    .selectFrom('audit_events')
    .select(['data_category', 'access_basis', 'outcome', 'action'])
    .where('actor_user_id', '=', userId)
    .orderBy('seq')
    .execute();
  return rows.map((r) => `${r.action} ${r.data_category} ${r.access_basis} ${r.outcome}`);
}

describe('second factors for staff', () => {
  beforeAll(async () => {
    t = await createTestApp({ publicUrl: ORIGIN });
  });
  afterAll(async () => t?.close());

  it('enrols a TOTP authenticator: the secret sealed, ten recovery codes shown once, only hashes kept', async () => {
    const gp = await t.login('gp1');
    const { secret, otpauthUri, recoveryCodes } = await enrolTotp(gp);
    expect(otpauthUri).toMatch(/^otpauth:\/\/totp\/GP-DEP:gp\.one\?secret=/);
    expect(recoveryCodes).toHaveLength(10);
    expect(new Set(recoveryCodes).size).toBe(10);
    const row = await t.db
      .selectFrom('second_factors')
      .selectAll()
      .where('user_id', '=', t.fixture.userIds.gp1)
      .executeTakeFirstOrThrow();
    expect(row.totp_secret_sealed).not.toContain(secret);
    expect(row.label).toBe('Telefonen');
    const hashes = await t.db
      .selectFrom('recovery_codes')
      .select('code_hash')
      .where('user_id', '=', t.fixture.userIds.gp1)
      .execute();
    expect(hashes).toHaveLength(10);
    for (const h of hashes) expect(recoveryCodes).not.toContain(h.code_hash);
    const list = (await t.call(gp, 'GET', '/api/auth/factors')).json();
    expect(list.factors).toMatchObject([{ kind: 'totp', label: 'Telefonen' }]);
    expect(list.recoveryCodesLeft).toBe(10);
    expect(await auditCategories(t.fixture.userIds.gp1)).toEqual(
      expect.arrayContaining(['create second factor totp allowed', 'create recovery codes role allowed'])
    );
    // A wrong confirmation code names the field.
    const again = await t.call(gp, 'POST', '/api/auth/factors/totp');
    const wrong = await t.call(gp, 'POST', `/api/auth/factors/totp/${again.json().id}/confirm`, {
      body: { code: '000000' },
    });
    expect(wrong.statusCode).toBe(400);
    expect(wrong.json().errors[0].field).toBe('code');
  });

  it('asks for the code after the password; refuses a wrong one (counted) and a replayed one', async () => {
    const gp = await t.login('gp2');
    const { secret } = await enrolTotp(gp);
    const step = await passwordStep('gp.two');
    expect(step.res.statusCode).toBe(200);
    expect(step.res.json()).toMatchObject({
      user: null,
      csrfToken: null,
      secondFactor: { methods: ['totp'] },
    });
    expect(step.session).toBeUndefined();
    expect(step.pending).not.toBe('');

    const wrong = await secondFactor(step.pending, { method: 'totp', code: '123456' });
    expect(wrong.res.statusCode).toBe(401);
    expect(wrong.res.json().type).toBe(SECOND_FACTOR_PROBLEM.wrongCode);
    expect(wrong.session).toBeNull();
    const throttle = await t.db
      .selectFrom('login_throttle')
      .select('failures')
      .where('username', '=', 'gp.two')
      .executeTakeFirstOrThrow();
    expect(throttle.failures).toBe(1);

    // The code confirmed at enrolment belongs to a step already used: refused.
    const replay = await secondFactor(step.pending, { method: 'totp', code: await code(secret) });
    expect(replay.res.statusCode).toBe(401);

    later(30);
    const ok = await secondFactor(step.pending, { method: 'totp', code: await code(secret) });
    expect(ok.res.statusCode, ok.res.body).toBe(200);
    expect((await t.call(ok.session, 'GET', '/api/gp/patients')).statusCode).toBe(200);
    // Success clears the failures, as a right password does.
    expect(
      await t.db
        .selectFrom('login_throttle')
        .select('failures')
        .where('username', '=', 'gp.two')
        .executeTakeFirst()
    ).toBeUndefined();
    // The same code again, on a new login: refused.
    const next = await passwordStep('gp.two');
    expect(
      (await secondFactor(next.pending, { method: 'totp', code: await code(secret) })).res.statusCode
    ).toBe(401);
    // The pending login is used up by the right one: a second answer with it is refused.
    expect((await secondFactor(step.pending, { method: 'totp', code: '000000' })).res.json().type).toBe(
      SECOND_FACTOR_PROBLEM.pendingExpired
    );
    expect(await auditCategories(t.fixture.userIds.gp2)).toEqual(
      expect.arrayContaining([
        'login second factor password (second factor next) allowed',
        'login second factor totp failed',
        'login session totp allowed',
      ])
    );
  });

  it('backs off wrong codes as it does wrong passwords, and a right password does not clear them', async () => {
    const gp = await t.login('gp3');
    const { secret } = await enrolTotp(gp);
    later(30);
    const first = await passwordStep('gp.three');
    for (let i = 0; i < 4; i += 1)
      expect((await secondFactor(first.pending, { method: 'totp', code: '000000' })).res.statusCode).toBe(
        401
      );
    const second = await passwordStep('gp.three');
    expect(second.res.statusCode).toBe(200);
    expect((await secondFactor(second.pending, { method: 'totp', code: '000000' })).res.statusCode).toBe(401);
    // Five failures: the account is held for untrusted clients, with the right code too.
    const held = await secondFactor(second.pending, { method: 'totp', code: await code(secret) });
    expect(held.res.statusCode).toBe(429);
    expect(Number(held.res.headers['retry-after'])).toBeGreaterThan(0);
    expect((await passwordStep('gp.three')).res.statusCode).toBe(429);
    later(2);
    expect(
      (await secondFactor(second.pending, { method: 'totp', code: await code(secret) })).res.statusCode
    ).toBe(200);
  });

  it('lets a recovery code in once', async () => {
    const researcher = await t.login('researcher');
    const { recoveryCodes } = await enrolTotp(researcher);
    const [first] = recoveryCodes!;
    const step = await passwordStep('researcher.one');
    // Typed in lower case without dashes: the same code.
    const ok = await secondFactor(step.pending, {
      method: 'recovery',
      code: first!.toLowerCase().replace(/-/g, ''),
    });
    expect(ok.res.statusCode, ok.res.body).toBe(200);
    const again = await passwordStep('researcher.one');
    expect((await secondFactor(again.pending, { method: 'recovery', code: first! })).res.statusCode).toBe(
      401
    );
    expect((await t.call(ok.session, 'GET', '/api/auth/factors')).json().recoveryCodesLeft).toBe(9);
    expect(await auditCategories(t.fixture.userIds.researcher)).toEqual(
      expect.arrayContaining([
        'login recovery code used recovery code allowed',
        'login second factor recovery code failed',
      ])
    );
    // The password is never a second factor.
    expect(
      (await secondFactor(again.pending, { method: 'password', password: FIXTURE_PASSWORD })).res.statusCode
    ).toBe(401);
  });

  it('opens no route with a half-finished login', async () => {
    const step = await passwordStep('gp.one');
    expect(step.pending).not.toBe('');
    const cookie = `${PENDING_LOGIN_COOKIE}=${step.pending}; ${SESSION_COOKIE}=${step.pending}`;
    const closed = t.app.routeInventory.filter((r) => !('public' in r.access && r.access.public));
    expect(closed.length).toBeGreaterThan(100);
    const answers = new Set<number>();
    for (const route of closed) {
      const url = route.url.replace(/:(\w+)/g, '00000000-0000-4000-8000-000000000000');
      const res = await t.app.inject({
        method: route.method as 'GET',
        url,
        headers: { cookie },
        payload: {},
      });
      expect(res.statusCode, `${route.method} ${route.url}`).toBe(401);
      answers.add(res.statusCode);
    }
    expect([...answers]).toEqual([401]);
    // The session document says nobody is logged in.
    const session = await t.app.inject({ method: 'GET', url: '/api/auth/session', headers: { cookie } });
    expect(session.json().user).toBeNull();
  });

  it('needs a fresh re-authentication for admin changes: satisfied, then stale after the limit', async () => {
    const admin = await t.login('admin');
    const disable = () => t.call(admin, 'POST', `/api/admin/users/${t.fixture.userIds.userGroup}/disable`);
    // Just logged in: fresh.
    expect((await disable()).statusCode).toBe(200);
    later(STEP_UP_MAX_AGE_SECONDS + 1);
    const stale = await disable();
    expect(stale.statusCode).toBe(403);
    expect(stale.headers['content-type']).toMatch(/^application\/problem\+json/);
    expect(stale.json().type).toBe(SECOND_FACTOR_PROBLEM.stepUpRequired);
    // Reads stay open.
    expect((await t.call(admin, 'GET', '/api/admin/users')).statusCode).toBe(200);
    const status = (await t.call(admin, 'GET', '/api/auth/step-up')).json();
    expect(status).toEqual({ freshUntil: null, methods: ['password'] });
    // No factor: the password re-authenticates; a wrong one is refused and counted.
    const wrong = await t.call(admin, 'POST', '/api/auth/step-up', {
      body: { method: 'password', password: 'nope' },
    });
    expect(wrong.statusCode).toBe(403);
    expect(wrong.json().type).toBe(SECOND_FACTOR_PROBLEM.wrongCode);
    const ok = await t.call(admin, 'POST', '/api/auth/step-up', {
      body: { method: 'password', password: FIXTURE_PASSWORD },
    });
    expect(ok.statusCode, ok.body).toBe(200);
    expect(new Date(ok.json().freshUntil).getTime()).toBe(
      t.clock.now.getTime() + STEP_UP_MAX_AGE_SECONDS * 1000
    );
    expect(
      (await t.call(admin, 'POST', `/api/admin/users/${t.fixture.userIds.userGroup}/enable`)).statusCode
    ).toBe(200);
    later(STEP_UP_MAX_AGE_SECONDS);
    expect((await disable()).json().type).toBe(SECOND_FACTOR_PROBLEM.stepUpRequired);
    expect(await auditCategories(t.fixture.userIds.admin)).toEqual(
      expect.arrayContaining(['login step-up password failed', 'login step-up password allowed'])
    );
  });

  it('removes a factor only after a step-up with the factor itself', async () => {
    const [user] = await t.db
      .insertInto('users')
      .values({
        username: 'gp.four',
        display_name: 'Test gp4',
        role: 'gp',
        practice_id: t.fixture.practiceIds.a,
        password_hash: (
          await t.db
            .selectFrom('users')
            .select('password_hash')
            .where('username', '=', 'gp.one')
            .executeTakeFirstOrThrow()
        ).password_hash,
      })
      .returning('id')
      .execute();
    const gp = await t.login('gp.four');
    const { id, secret } = await enrolTotp(gp);
    later(STEP_UP_MAX_AGE_SECONDS + 1);
    const stale = await t.call(gp, 'DELETE', `/api/auth/factors/${id}`);
    expect(stale.json().type).toBe(SECOND_FACTOR_PROBLEM.stepUpRequired);
    // A user with a factor cannot step up with the password alone.
    const password = await t.call(gp, 'POST', '/api/auth/step-up', {
      body: { method: 'password', password: FIXTURE_PASSWORD },
    });
    expect(password.statusCode).toBe(403);
    const ok = await t.call(gp, 'POST', '/api/auth/step-up', {
      body: { method: 'totp', code: await code(secret) },
    });
    expect(ok.statusCode, ok.body).toBe(200);
    expect((await t.call(gp, 'DELETE', `/api/auth/factors/${id}`)).statusCode).toBe(204);
    expect(
      await t.db.selectFrom('recovery_codes').select('id').where('user_id', '=', user!.id).execute()
    ).toEqual([]);
    expect(await auditCategories(user!.id)).toEqual(
      expect.arrayContaining(['login step-up totp allowed', 'delete second factor totp allowed'])
    );
    // Without factors the password alone logs in again.
    expect((await passwordStep('gp.four')).session).toBeDefined();
  });

  it('registers a passkey and logs in with it; a replayed or foreign answer is refused', async () => {
    const authenticator = new SoftAuthenticator(ORIGIN, 'localhost');
    const userGroup = await t.login('userGroup');
    const options = await t.call(userGroup, 'POST', '/api/auth/factors/passkeys/options');
    expect(options.statusCode, options.body).toBe(200);
    expect(options.json().rp).toEqual({ name: 'GP-DEP', id: 'localhost' });
    // An answer from another origin is refused.
    const foreign = await t.call(userGroup, 'POST', '/api/auth/factors/passkeys', {
      body: { response: new SoftAuthenticator('https://evil.example', 'localhost').create(options.json()) },
    });
    expect(foreign.statusCode).toBe(400);
    const options2 = (await t.call(userGroup, 'POST', '/api/auth/factors/passkeys/options')).json();
    const registered = await t.call(userGroup, 'POST', '/api/auth/factors/passkeys', {
      body: { label: 'Denne maskinen', response: authenticator.create(options2) },
    });
    expect(registered.statusCode, registered.body).toBe(200);
    expect(registered.json().factor).toMatchObject({ kind: 'passkey', label: 'Denne maskinen' });
    expect(registered.json().recoveryCodes).toHaveLength(10);

    const step = await passwordStep('user.group.one');
    expect(step.res.json().secondFactor).toEqual({ methods: ['passkey'] });
    const loginOptions = await t.app.inject({
      method: 'POST',
      url: '/api/auth/second-factor/passkey-options',
      headers: { cookie: `${PENDING_LOGIN_COOKIE}=${step.pending}` },
    });
    expect(loginOptions.statusCode, loginOptions.body).toBe(200);
    const assertion = authenticator.get(loginOptions.json());
    const ok = await secondFactor(step.pending, { method: 'passkey', response: assertion });
    expect(ok.res.statusCode, ok.res.body).toBe(200);
    expect((await t.call(ok.session, 'GET', '/api/user-group/studies')).statusCode).toBe(200);

    // The same answer on a new login: its challenge was used.
    const again = await passwordStep('user.group.one');
    expect(
      (await secondFactor(again.pending, { method: 'passkey', response: assertion })).res.statusCode
    ).toBe(401);
    // A fresh challenge signed from another origin: refused.
    const options3 = (
      await t.app.inject({
        method: 'POST',
        url: '/api/auth/second-factor/passkey-options',
        headers: { cookie: `${PENDING_LOGIN_COOKIE}=${again.pending}` },
      })
    ).json();
    const evil = authenticator.get(options3, { origin: 'https://evil.example' });
    expect((await secondFactor(again.pending, { method: 'passkey', response: evil })).res.statusCode).toBe(
      401
    );

    // Step-up with the passkey.
    later(STEP_UP_MAX_AGE_SECONDS + 1);
    const session = ok.session!;
    expect((await t.call(session, 'POST', '/api/auth/factors/passkeys/options')).json().type).toBe(
      SECOND_FACTOR_PROBLEM.stepUpRequired
    );
    const stepUpOptions = (await t.call(session, 'POST', '/api/auth/step-up/passkey-options')).json();
    const stepped = await t.call(session, 'POST', '/api/auth/step-up', {
      body: { method: 'passkey', response: authenticator.get(stepUpOptions) },
    });
    expect(stepped.statusCode, stepped.body).toBe(200);
    expect((await t.call(session, 'POST', '/api/auth/factors/passkeys/options')).statusCode).toBe(200);
    expect(await auditCategories(t.fixture.userIds.userGroup)).toEqual(
      expect.arrayContaining([
        'create second factor passkey allowed',
        'login session passkey allowed',
        'login second factor passkey failed',
        'login step-up passkey allowed',
      ])
    );
  });
});

describe('the required policy', () => {
  beforeAll(async () => {
    t = await createTestApp({ publicUrl: ORIGIN, secondFactor: { policy: 'required' } });
  });
  afterAll(async () => t?.close());

  it('sends staff without a factor to enrolment before anything else; patients are not asked', async () => {
    const admin = await t.login('admin');
    const session = (await t.call(admin, 'GET', '/api/auth/session')).json();
    expect(session.enrolmentRequired).toBe(true);
    const refused = await t.call(admin, 'GET', '/api/admin/users');
    expect(refused.statusCode).toBe(403);
    expect(refused.json().type).toBe(SECOND_FACTOR_PROBLEM.enrolmentRequired);
    expect((await t.call(admin, 'GET', '/api/auth/factors')).json().policy).toBe('required');
    const { id } = await enrolTotp(admin);
    expect((await t.call(admin, 'GET', '/api/admin/users')).statusCode).toBe(200);
    // The last factor stays while the policy demands one.
    expect((await t.call(admin, 'DELETE', `/api/auth/factors/${id}`)).statusCode).toBe(409);
    const patient = await t.login('pA1');
    expect((await t.call(patient, 'GET', '/api/auth/session')).json().enrolmentRequired).toBeUndefined();
  });
});

/** Login, the current session, and logout. */
import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import { Type } from 'typebox';
import { afterFailedLogin, loginGate } from '../../domain/access/login-lockout.js';
import { withAuditedTransaction } from '../audit/audit-log.js';
import { HttpProblem } from '../problem.js';
import { commonErrors, Nullable, RoleSchema, Uuid } from '../schemas.js';
import {
  DEVICE_COOKIE,
  DEVICE_COOKIE_DAYS,
  issueDeviceCookie,
  trustedDeviceNonceHash,
} from './device-cookie.js';
import { dummyPasswordHash, verifyPassword } from './passwords.js';
import { cookieSameSite, createSession, csrfTokenFor, revokeSession, SESSION_COOKIE } from './sessions.js';
import type { FastifyInstance } from 'fastify';

const UserSchema = Type.Object({
  id: Uuid,
  username: Type.String(),
  displayName: Type.String(),
  role: RoleSchema,
  practiceName: Nullable(Type.String()),
  patientId: Nullable(Uuid),
});

const SessionResponse = Type.Object({ user: Nullable(UserSchema), csrfToken: Nullable(Type.String()) });

async function loadUser(app: FastifyInstance, userId: string) {
  const row = await app.db
    .selectFrom('users')
    .leftJoin('practices', 'practices.id', 'users.practice_id')
    .leftJoin('patients', 'patients.user_id', 'users.id')
    .select([
      'users.id',
      'users.username',
      'users.display_name',
      'users.role',
      'practices.name as practice_name',
      'patients.id as patient_id',
    ])
    .where('users.id', '=', userId)
    .executeTakeFirstOrThrow();
  return {
    id: row.id,
    username: row.username,
    displayName: row.display_name,
    role: row.role,
    practiceName: row.practice_name,
    patientId: row.patient_id,
  };
}

/** Problem types the login page words for the user (src/web/pages/LoginPage.tsx). */
export const LOGIN_PROBLEM = {
  ipLimit: 'https://gp-dep.example/problems/login-ip-limit',
  newDevicesLocked: 'https://gp-dep.example/problems/login-locked-new-devices',
  thisDeviceLocked: 'https://gp-dep.example/problems/login-locked-this-device',
} as const;

function lockedOut(kind: 'this_device' | 'new_devices', retryAfterSeconds: number): HttpProblem {
  const minutes = Math.max(1, Math.ceil(retryAfterSeconds / 60));
  const problem = new HttpProblem(
    429,
    'Too Many Requests',
    kind === 'new_devices'
      ? `Too many wrong passwords have been tried for this account from devices it has not been used on before. Try again in ${minutes} minute(s). On a device where you have logged in before, you can log in now.`
      : `Too many wrong passwords have been tried on this device. Try again in ${minutes} minute(s).`
  );
  problem.type = kind === 'new_devices' ? LOGIN_PROBLEM.newDevicesLocked : LOGIN_PROBLEM.thisDeviceLocked;
  return problem;
}

const authRoutes: FastifyPluginAsyncTypebox<{ loginRateLimit: number }> = async (app, options) => {
  app.get(
    '/api/auth/session',
    {
      config: { access: { public: true } },
      schema: { response: { 200: SessionResponse } },
    },
    async (request) => {
      if (!request.actor || !request.session) return { user: null, csrfToken: null };
      return { user: await loadUser(app, request.actor.userId), csrfToken: request.session.csrfToken };
    }
  );

  app.post(
    '/api/auth/login',
    {
      config: {
        access: { public: true },
        // Per-IP limit; the per-account and per-device lockouts below are the second line (R-B8).
        // It counts every login request, successful ones too, and says so.
        rateLimit: {
          max: options.loginRateLimit,
          timeWindow: '1 minute',
          errorResponseBuilder: (_request: unknown, context: { ttl: number }) => {
            const problem = new HttpProblem(
              429,
              'Too Many Requests',
              `Too many login requests from your network address in a short time (every login counts, also successful ones). Try again in ${Math.ceil(context.ttl / 1000)} seconds.`
            );
            problem.type = LOGIN_PROBLEM.ipLimit;
            return problem;
          },
        },
      },
      schema: {
        body: Type.Object(
          {
            username: Type.String({ minLength: 1, maxLength: 64 }),
            password: Type.String({ minLength: 1, maxLength: 128 }),
          },
          { additionalProperties: false }
        ),
        response: { 200: SessionResponse, ...commonErrors },
      },
    },
    async (request, reply) => {
      const now = app.now();
      const username = request.body.username.trim().toLowerCase();
      // A browser that has logged in to this account before is held only by its own lockout
      // (domain/access/login-lockout.ts); strangers' failures cannot lock the real user out.
      const deviceHash = trustedDeviceNonceHash(
        app.secrets.csrfKey,
        username,
        request.cookies[DEVICE_COOKIE]
      );
      const [throttle, device] = await Promise.all([
        app.db
          .selectFrom('login_throttle')
          .select(['failures', 'next_allowed_at'])
          .where('username', '=', username)
          .executeTakeFirst(),
        deviceHash
          ? app.db
              .selectFrom('login_devices')
              .select(['failures', 'locked_until'])
              .where('nonce_hash', '=', deviceHash)
              .executeTakeFirst()
          : Promise.resolve(undefined),
      ]);
      const gate = loginGate({
        trustedDevice: deviceHash !== null,
        deviceLockedUntil: device?.locked_until ? new Date(device.locked_until) : null,
        untrustedLockedUntil: throttle ? new Date(throttle.next_allowed_at) : null,
        now,
      });
      if (!gate.allowed) {
        reply.header('retry-after', String(gate.retryAfterSeconds));
        throw lockedOut(gate.lockedOut, gate.retryAfterSeconds);
      }
      const user = await app.db
        .selectFrom('users')
        .select(['id', 'role', 'display_name', 'practice_id', 'password_hash', 'disabled_at'])
        .where('username', '=', username)
        .executeTakeFirst();
      // Always verify one hash, so an unknown username takes as long as a wrong password.
      const passwordOk = await verifyPassword(
        user?.password_hash ?? (await dummyPasswordHash()),
        request.body.password
      );
      const success = Boolean(user && user.password_hash && !user.disabled_at && passwordOk);

      await withAuditedTransaction(app.db, app.secrets.auditKey, now, async (trx, record) => {
        if (deviceHash) {
          // Failures from a trusted device count against that device only.
          const next = success
            ? { failures: 0, lockedUntil: null }
            : (({ failures, lockedUntil }) => ({ failures, lockedUntil }))(
                afterFailedLogin(device?.failures ?? 0, now)
              );
          await trx
            .insertInto('login_devices')
            .values({
              nonce_hash: deviceHash,
              username,
              failures: next.failures,
              locked_until: next.lockedUntil,
              last_used_at: now,
            })
            .onConflict((oc) =>
              oc.column('nonce_hash').doUpdateSet({
                failures: next.failures,
                locked_until: next.lockedUntil,
                last_used_at: now,
              })
            )
            .execute();
        } else if (success) {
          await trx.deleteFrom('login_throttle').where('username', '=', username).execute();
        } else {
          const { failures, lockedUntil } = afterFailedLogin(throttle?.failures ?? 0, now);
          await trx
            .insertInto('login_throttle')
            .values({ username, failures, next_allowed_at: lockedUntil })
            .onConflict((oc) => oc.column('username').doUpdateSet({ failures, next_allowed_at: lockedUntil }))
            .execute();
        }
        record([
          {
            actorUserId: user?.id ?? null,
            actorRole: user?.role ?? 'anonymous',
            actorName: user?.display_name ?? 'unknown user',
            actorPracticeId: user?.practice_id ?? null,
            patientId: null,
            action: 'login',
            dataCategory: 'session',
            accessBasis: deviceHash ? 'password+device' : 'password',
            outcome: success ? 'allowed' : 'failed',
            requestId: request.id,
          },
        ]);
      });
      if (!success || !user) {
        throw new HttpProblem(401, 'Unauthorized', 'Wrong username or password.');
      }
      // This browser is trusted for this account from now on (a new nonce at each login).
      reply.setCookie(DEVICE_COOKIE, issueDeviceCookie(app.secrets.csrfKey, username), {
        path: '/',
        httpOnly: true,
        secure: true,
        sameSite: 'strict',
        maxAge: DEVICE_COOKIE_DAYS * 24 * 60 * 60,
      });
      // A new token at every login: a cookie planted before login is never promoted (fixation).
      if (request.session) await revokeSession(app.db, request.session.tokenHash, now);
      const { token, tokenHash } = await createSession(app.db, { id: user.id, role: user.role }, now);
      reply.setCookie(SESSION_COOKIE, token, {
        path: '/',
        httpOnly: true,
        secure: true,
        sameSite: cookieSameSite(user.role),
      });
      return { user: await loadUser(app, user.id), csrfToken: csrfTokenFor(app.secrets.csrfKey, tokenHash) };
    }
  );

  app.post(
    '/api/auth/logout',
    {
      config: { access: { roles: ['patient', 'gp', 'researcher', 'admin'] } },
      schema: { response: { 204: Type.Null(), ...commonErrors } },
    },
    async (request, reply) => {
      const now = app.now();
      await revokeSession(app.db, request.session!.tokenHash, now);
      await withAuditedTransaction(app.db, app.secrets.auditKey, now, async (_trx, record) =>
        record([
          {
            actorUserId: request.actor!.userId,
            actorRole: request.actor!.role,
            actorName: request.actor!.displayName,
            actorPracticeId: request.actor!.practiceId,
            patientId: null,
            action: 'logout',
            dataCategory: 'session',
            accessBasis: 'role',
            outcome: 'allowed',
            requestId: request.id,
          },
        ])
      );
      reply.clearCookie(SESSION_COOKIE, { path: '/', secure: true, httpOnly: true });
      reply.header('clear-site-data', '"cache", "storage"');
      return reply.code(204).send(null);
    }
  );
};

export default authRoutes;

/** Login, the current session, and logout. */
import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import { Type } from 'typebox';
import { loginBackoffSeconds } from '../../domain/access/session-policy.js';
import { appendAuditEvents } from '../audit/audit-log.js';
import { HttpProblem } from '../problem.js';
import { commonErrors, Nullable, RoleSchema, Uuid } from '../schemas.js';
import { dummyPasswordHash, verifyPassword } from './passwords.js';
import { cookieSameSite, createSession, csrfTokenFor, revokeSession, SESSION_COOKIE } from './sessions.js';
import type { Role } from '../../domain/access/policy.js';
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

const tooManyAttempts = (retryAfterSeconds: number) =>
  new HttpProblem(
    429,
    'Too Many Requests',
    `Too many login attempts. Try again in ${retryAfterSeconds} seconds.`
  );

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
        // Per-IP limit; the per-account backoff below is the second line (R-B8).
        rateLimit: { max: options.loginRateLimit, timeWindow: '1 minute' },
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
      const throttle = await app.db
        .selectFrom('login_throttle')
        .select(['failures', 'next_allowed_at'])
        .where('username', '=', username)
        .executeTakeFirst();
      if (throttle && new Date(throttle.next_allowed_at).getTime() > now.getTime()) {
        const wait = Math.ceil((new Date(throttle.next_allowed_at).getTime() - now.getTime()) / 1000);
        reply.header('retry-after', String(wait));
        throw tooManyAttempts(wait);
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

      await app.db.transaction().execute(async (trx) => {
        if (success) {
          await trx.deleteFrom('login_throttle').where('username', '=', username).execute();
        } else {
          const failures = (throttle?.failures ?? 0) + 1;
          const nextAllowed = new Date(now.getTime() + loginBackoffSeconds(failures) * 1000);
          await trx
            .insertInto('login_throttle')
            .values({ username, failures, next_allowed_at: nextAllowed })
            .onConflict((oc) => oc.column('username').doUpdateSet({ failures, next_allowed_at: nextAllowed }))
            .execute();
        }
        await appendAuditEvents(trx, app.secrets.auditKey, now, [
          {
            actorUserId: user?.id ?? null,
            actorRole: user?.role ?? 'anonymous',
            actorName: user?.display_name ?? 'unknown user',
            actorPracticeId: user?.practice_id ?? null,
            patientId: null,
            action: 'login',
            dataCategory: 'session',
            accessBasis: 'password',
            outcome: success ? 'allowed' : 'failed',
            requestId: request.id,
          },
        ]);
      });
      if (!success || !user) {
        throw new HttpProblem(401, 'Unauthorized', 'Wrong username or password.');
      }
      // A new token at every login: a cookie planted before login is never promoted (fixation).
      if (request.session) await revokeSession(app.db, request.session.tokenHash, now);
      const { token, tokenHash } = await createSession(app.db, { id: user.id, role: user.role as Role }, now);
      reply.setCookie(SESSION_COOKIE, token, {
        path: '/',
        httpOnly: true,
        secure: true,
        sameSite: cookieSameSite(user.role as Role),
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
      await app.db.transaction().execute((trx) =>
        appendAuditEvents(trx, app.secrets.auditKey, now, [
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

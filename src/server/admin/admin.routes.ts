/**
 * User administration. An admin manages accounts and checks the audit chain, but no admin route
 * returns clinical data. Patients get their accounts through their GP's invitation, not here.
 */
import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import type { Kysely } from 'kysely';
import { Type } from 'typebox';
import type { Database } from '../../db/schema.js';
import { auditedTransaction, verifyStoredAuditChain } from '../audit/audit-log.js';
import { hashPassword, passwordProblems } from '../auth/passwords.js';
import { revokeUserSessions } from '../auth/sessions.js';
import { badRequest, HttpProblem, notFound } from '../problem.js';
import { commonErrors, Nullable, RoleSchema, Uuid } from '../schemas.js';

const AdminUser = Type.Object({
  id: Uuid,
  username: Type.String(),
  displayName: Type.String(),
  role: RoleSchema,
  practiceName: Nullable(Type.String()),
  disabled: Type.Boolean(),
  createdAt: Type.String(),
});

function usersQuery(db: Kysely<Database>) {
  return db
    .selectFrom('users as u')
    .leftJoin('practices as pr', 'pr.id', 'u.practice_id')
    .select([
      'u.id',
      'u.username',
      'u.display_name',
      'u.role',
      'pr.name as practice_name',
      'u.disabled_at',
      'u.created_at',
    ]);
}

interface UserQueryRow {
  id: string;
  username: string;
  display_name: string;
  role: 'patient' | 'gp' | 'researcher' | 'admin';
  practice_name: string | null;
  disabled_at: Date | string | null;
  created_at: Date | string;
}

function toAdminUser(row: UserQueryRow) {
  return {
    id: row.id,
    username: row.username,
    displayName: row.display_name,
    role: row.role,
    practiceName: row.practice_name,
    disabled: row.disabled_at !== null,
    createdAt: new Date(row.created_at).toISOString(),
  };
}

const ADMIN = { roles: ['admin'] } as const;

const adminRoutes: FastifyPluginAsyncTypebox = async (app) => {
  app.get(
    '/api/admin/users',
    {
      config: { access: ADMIN },
      schema: {
        response: {
          200: Type.Object({
            items: Type.Array(AdminUser),
            /** Patient accounts are counted, not listed: having one says "in a depression program". */
            patientAccounts: Type.Integer(),
          }),
          ...commonErrors,
        },
      },
    },
    async () => {
      const rows = await usersQuery(app.db)
        .where('u.role', '!=', 'patient')
        .orderBy('u.role')
        .orderBy('u.username')
        .execute();
      const patients = await app.db
        .selectFrom('users')
        .select((eb) => eb.fn.countAll<number>().as('n'))
        .where('role', '=', 'patient')
        .executeTakeFirstOrThrow();
      return { items: rows.map(toAdminUser), patientAccounts: Number(patients.n) };
    }
  );

  app.get(
    '/api/admin/practices',
    {
      config: { access: ADMIN },
      schema: {
        response: {
          200: Type.Object({ items: Type.Array(Type.Object({ id: Uuid, name: Type.String() })) }),
          ...commonErrors,
        },
      },
    },
    async () => ({
      items: await app.db.selectFrom('practices').select(['id', 'name']).orderBy('name').execute(),
    })
  );

  app.post(
    '/api/admin/users',
    {
      config: { access: ADMIN },
      schema: {
        body: Type.Object(
          {
            username: Type.String({ minLength: 3, maxLength: 64, pattern: '^[a-zA-Z0-9._-]+$' }),
            displayName: Type.String({ minLength: 1, maxLength: 120 }),
            role: RoleSchema,
            password: Type.String({ minLength: 1, maxLength: 128 }),
            practiceId: Type.Optional(Uuid),
          },
          { additionalProperties: false }
        ),
        response: { 201: AdminUser, 409: commonErrors[400], ...commonErrors },
      },
    },
    async (request, reply) => {
      const { username, displayName, role, password, practiceId } = request.body;
      const problems = passwordProblems(password).map((reason) => ({ field: 'password', reason }));
      if (role === 'patient') {
        problems.push({ field: 'role', reason: "patients get their account through their GP's invitation" });
      }
      // Stored trimmed: a name of only spaces would break the table's length check (a 500).
      if (displayName.trim() === '') problems.push({ field: 'displayName', reason: 'must not be blank' });
      if (role === 'gp' && !practiceId)
        problems.push({ field: 'practiceId', reason: 'is required for a GP' });
      if (practiceId) {
        const practice = await app.db
          .selectFrom('practices')
          .select('id')
          .where('id', '=', practiceId)
          .executeTakeFirst();
        if (!practice) problems.push({ field: 'practiceId', reason: 'does not match a practice' });
      }
      if (problems.length > 0) throw badRequest(problems);
      const normalized = username.toLowerCase();
      const passwordHash = await hashPassword(password);
      const id = await auditedTransaction(request, app.now(), async (trx, audit) => {
        const taken = await trx
          .selectFrom('users')
          .select('id')
          .where('username', '=', normalized)
          .executeTakeFirst();
        if (taken)
          throw new HttpProblem(409, 'Conflict', 'username is already in use', [
            { field: 'username', reason: 'is already in use' },
          ]);
        const created = await trx
          .insertInto('users')
          .values({
            username: normalized,
            display_name: displayName.trim(),
            role,
            password_hash: passwordHash,
            practice_id: practiceId ?? null,
          })
          .returning('id')
          .executeTakeFirstOrThrow();
        audit({ action: 'create', dataCategory: 'user account', patientIds: [null] });
        return created.id;
      });
      reply.code(201);
      return toAdminUser(await usersQuery(app.db).where('u.id', '=', id).executeTakeFirstOrThrow());
    }
  );

  for (const change of ['disable', 'enable'] as const) {
    app.post(
      `/api/admin/users/:userId/${change}`,
      {
        config: { access: ADMIN },
        schema: {
          params: Type.Object({ userId: Uuid }, { additionalProperties: false }),
          response: { 200: AdminUser, ...commonErrors },
        },
      },
      async (request) => {
        const { userId } = request.params;
        if (change === 'disable' && userId === request.actor!.userId) {
          throw badRequest([{ field: 'userId', reason: 'you cannot disable your own account' }]);
        }
        const now = app.now();
        await auditedTransaction(request, now, async (trx, audit) => {
          const updated = await trx
            .updateTable('users')
            .set({ disabled_at: change === 'disable' ? now : null })
            .where('id', '=', userId)
            .returning('id')
            .executeTakeFirst();
          if (!updated) throw notFound();
          // A disabled account loses every session at once (R-A7).
          if (change === 'disable') await revokeUserSessions(trx, userId, now);
          audit({
            action: 'update',
            dataCategory: `user account: ${change}`,
            patientIds: [null],
          });
        });
        return toAdminUser(await usersQuery(app.db).where('u.id', '=', userId).executeTakeFirstOrThrow());
      }
    );
  }

  app.get(
    '/api/admin/audit/verify',
    {
      config: { access: ADMIN },
      schema: {
        response: {
          200: Type.Object({
            ok: Type.Boolean(),
            eventCount: Type.Integer(),
            brokenAtSeq: Nullable(Type.Integer()),
            /** Checkpoints outside the database that were checked against the rows. */
            checkpoints: Type.Integer(),
            problem: Nullable(Type.String()),
          }),
          ...commonErrors,
        },
      },
    },
    async () => {
      const result = await verifyStoredAuditChain(app.db, app.secrets.auditKey, app.auditAnchors);
      return {
        ok: result.ok,
        eventCount: result.eventCount,
        brokenAtSeq: result.ok || result.brokenAtSeq === 0 ? null : result.brokenAtSeq,
        checkpoints: result.checkpoints,
        problem: result.problem,
      };
    }
  );
};

export default adminRoutes;

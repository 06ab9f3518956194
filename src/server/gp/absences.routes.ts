/**
 * The GP's absences, with a covering colleague (or the whole practice): while an absence lasts
 * the colleague has access to the absent GP's patients, and none after.
 */
import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import { Type } from 'typebox';
import { auditedTransaction } from '../audit/audit-log.js';
import { badRequest, notFound } from '../problem.js';
import { commonErrors, Nullable, Uuid } from '../schemas.js';
import { GP_ONLY } from './responsible-patients.js';

const absenceRoutes: FastifyPluginAsyncTypebox = async (app) => {
  const AbsenceSchema = Type.Object({
    id: Uuid,
    startsAt: Type.String(),
    endsAt: Type.String(),
    delegate: Nullable(Type.Object({ id: Uuid, displayName: Type.String() })),
  });

  app.get(
    '/api/gp/absences',
    {
      config: { access: GP_ONLY },
      schema: {
        response: {
          200: Type.Object({
            items: Type.Array(AbsenceSchema),
            colleagues: Type.Array(Type.Object({ id: Uuid, displayName: Type.String() })),
          }),
          ...commonErrors,
        },
      },
    },
    async (request) => {
      const actor = request.actor!;
      const rows = await app.db
        .selectFrom('gp_absences as a')
        .leftJoin('users as d', 'd.id', 'a.delegate_user_id')
        .select([
          'a.id',
          'a.starts_at',
          'a.ends_at',
          'd.id as delegate_id',
          'd.display_name as delegate_name',
        ])
        .where('a.gp_user_id', '=', actor.userId)
        .where('a.ends_at', '>', app.now())
        .orderBy('a.starts_at')
        .execute();
      const colleagues = await app.db
        .selectFrom('users')
        .select(['id', 'display_name'])
        .where('role', '=', 'gp')
        .where('practice_id', '=', actor.practiceId)
        .where('id', '!=', actor.userId)
        .where('disabled_at', 'is', null)
        .orderBy('display_name')
        .execute();
      return {
        items: rows.map((r) => ({
          id: r.id,
          startsAt: new Date(r.starts_at).toISOString(),
          endsAt: new Date(r.ends_at).toISOString(),
          delegate: r.delegate_id ? { id: r.delegate_id, displayName: r.delegate_name! } : null,
        })),
        colleagues: colleagues.map((c) => ({ id: c.id, displayName: c.display_name })),
      };
    }
  );

  app.post(
    '/api/gp/absences',
    {
      config: { access: GP_ONLY },
      schema: {
        body: Type.Object(
          {
            startsAt: Type.String({ format: 'date-time' }),
            endsAt: Type.String({ format: 'date-time' }),
            delegateUserId: Type.Union([Uuid, Type.Null()]),
          },
          { additionalProperties: false }
        ),
        response: { 201: AbsenceSchema, ...commonErrors },
      },
    },
    async (request, reply) => {
      const actor = request.actor!;
      const startsAt = new Date(request.body.startsAt);
      const endsAt = new Date(request.body.endsAt);
      if (endsAt <= startsAt) throw badRequest([{ field: 'endsAt', reason: 'must be after startsAt' }]);
      let delegate: { id: string; display_name: string } | undefined;
      if (request.body.delegateUserId) {
        delegate = await app.db
          .selectFrom('users')
          .select(['id', 'display_name'])
          .where('id', '=', request.body.delegateUserId)
          .where('role', '=', 'gp')
          .where('practice_id', '=', actor.practiceId)
          .where('id', '!=', actor.userId)
          .where('disabled_at', 'is', null)
          .executeTakeFirst();
        if (!delegate)
          throw badRequest([{ field: 'delegateUserId', reason: 'must be another GP in your practice' }]);
      }
      const now = app.now();
      const created = await auditedTransaction(request, now, async (trx, audit) => {
        const row = await trx
          .insertInto('gp_absences')
          .values({
            gp_user_id: actor.userId,
            starts_at: startsAt,
            ends_at: endsAt,
            delegate_user_id: delegate?.id ?? null,
            created_at: now,
          })
          .returning('id')
          .executeTakeFirstOrThrow();
        audit({
          action: 'create',
          dataCategory: 'absence and cover',
          patientIds: [null],
        });
        return row;
      });
      reply.code(201);
      return {
        id: created.id,
        startsAt: startsAt.toISOString(),
        endsAt: endsAt.toISOString(),
        delegate: delegate ? { id: delegate.id, displayName: delegate.display_name } : null,
      };
    }
  );

  app.post(
    '/api/gp/absences/:absenceId/end',
    {
      config: { access: GP_ONLY },
      schema: {
        params: Type.Object({ absenceId: Uuid }, { additionalProperties: false }),
        response: { 204: Type.Null(), ...commonErrors },
      },
    },
    async (request, reply) => {
      const now = app.now();
      await auditedTransaction(request, now, async (trx, audit) => {
        const absence = await trx
          .selectFrom('gp_absences')
          .select(['id', 'starts_at'])
          .where('id', '=', request.params.absenceId)
          .where('gp_user_id', '=', request.actor!.userId)
          .where('ends_at', '>', now)
          .forUpdate()
          .executeTakeFirst();
        if (!absence) throw notFound();
        // Ending an absence that has not started cancels it: it never gave anyone access, and
        // "ends now" would end it before it began (the table's check refused that with a 500).
        const cancel = new Date(absence.starts_at) >= now;
        if (cancel) await trx.deleteFrom('gp_absences').where('id', '=', absence.id).execute();
        else
          await trx.updateTable('gp_absences').set({ ends_at: now }).where('id', '=', absence.id).execute();
        audit({
          action: cancel ? 'delete' : 'update',
          dataCategory: cancel ? 'absence and cover (cancelled)' : 'absence and cover (ended)',
          patientIds: [null],
        });
      });
      return reply.code(204).send(null);
    }
  );
};

export default absenceRoutes;

/**
 * The practice overview: colleagues, who is absent and who covers, and the absent colleagues'
 * patients this GP covers for.
 */
import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import { Type } from 'typebox';
import { commonErrors, Nullable, Uuid } from '../schemas.js';
import { auditShown, GP_ONLY, responsiblePatients } from './responsible-patients.js';

const practiceRoutes: FastifyPluginAsyncTypebox = async (app) => {
  app.get(
    '/api/gp/practice',
    {
      config: { access: GP_ONLY },
      schema: {
        response: {
          200: Type.Object({
            gps: Type.Array(
              Type.Object({
                id: Uuid,
                displayName: Type.String(),
                activePlans: Type.Integer(),
                overdueFollowUps: Type.Integer(),
                absentUntil: Nullable(Type.String()),
                coveredBy: Nullable(Type.String()),
              })
            ),
            /** Patients of absent colleagues you cover for: names and what is overdue. */
            covering: Type.Array(
              Type.Object({
                patientId: Uuid,
                patientName: Type.String(),
                gpName: Type.String(),
                nextFollowUpId: Nullable(Uuid),
                nextFollowUpAt: Nullable(Type.String()),
                overdue: Type.Boolean(),
              })
            ),
          }),
          ...commonErrors,
        },
      },
    },
    async (request) => {
      const actor = request.actor!;
      const now = app.now();
      const gps = await app.db
        .selectFrom('users')
        .select(['id', 'display_name'])
        .where('role', '=', 'gp')
        .where('practice_id', '=', actor.practiceId)
        .orderBy('display_name')
        .execute();
      const gpIds = gps.map((g) => g.id);
      const [plans, overdue, absences] = await Promise.all([
        app.db
          .selectFrom('program_enrolments as e')
          .innerJoin('gp_list_entries as l', (j) =>
            j.onRef('l.patient_id', '=', 'e.patient_id').on('l.valid_to', 'is', null)
          )
          .select(['l.gp_user_id', (eb) => eb.fn.countAll<number>().as('n')])
          .where('l.gp_user_id', 'in', gpIds)
          .where('e.status', 'in', ['recommended', 'active'])
          .groupBy('l.gp_user_id')
          .execute(),
        app.db
          .selectFrom('follow_ups')
          .select(['gp_user_id', (eb) => eb.fn.countAll<number>().as('n')])
          .where('gp_user_id', 'in', gpIds)
          .where('status', '=', 'planned')
          .where('planned_at', '<', now)
          .groupBy('gp_user_id')
          .execute(),
        app.db
          .selectFrom('gp_absences as a')
          .leftJoin('users as d', 'd.id', 'a.delegate_user_id')
          .select(['a.gp_user_id', 'a.ends_at', 'a.delegate_user_id', 'd.display_name as delegate_name'])
          .where('a.gp_user_id', 'in', gpIds)
          .where('a.starts_at', '<=', now)
          .where('a.ends_at', '>', now)
          .execute(),
      ]);
      const coveringPatients = (
        await responsiblePatients(app.db, actor.userId, actor.practiceId, now)
      ).filter((p) => p.basis === 'absence_cover');
      const coverIds = coveringPatients.map((p) => p.id);
      const nextFollowUps = coverIds.length
        ? await app.db
            .selectFrom('follow_ups as f')
            .innerJoin('users as u', 'u.id', 'f.gp_user_id')
            .select(['f.id', 'f.patient_id', 'f.planned_at', 'u.display_name'])
            .where('f.patient_id', 'in', coverIds)
            .where('f.status', '=', 'planned')
            .orderBy('f.planned_at')
            .execute()
        : [];
      await auditShown(request, 'practice overview (covering)', coveringPatients);
      return {
        gps: gps.map((g) => {
          const absence = absences.find((a) => a.gp_user_id === g.id);
          return {
            id: g.id,
            displayName: g.display_name,
            activePlans: Number(plans.find((p) => p.gp_user_id === g.id)?.n ?? 0),
            overdueFollowUps: Number(overdue.find((o) => o.gp_user_id === g.id)?.n ?? 0),
            absentUntil: absence ? new Date(absence.ends_at).toISOString() : null,
            coveredBy: absence ? (absence.delegate_name ?? 'practice') : null,
          };
        }),
        covering: coveringPatients
          .map((p) => {
            const next = nextFollowUps.find((f) => f.patient_id === p.id);
            return {
              patientId: p.id,
              patientName: p.displayName,
              gpName: next?.display_name ?? '',
              nextFollowUpId: next?.id ?? null,
              nextFollowUpAt: next ? new Date(next.planned_at).toISOString() : null,
              overdue: next ? new Date(next.planned_at) < now : false,
            };
          })
          .filter((c) => c.nextFollowUpId !== null),
      };
    }
  );
};

export default practiceRoutes;

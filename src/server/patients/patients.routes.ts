/**
 * A patient's summary and the log of who has looked at their data. (Questionnaires:
 * questionnaires.routes.ts; the program: program.routes.ts; urgent cases: server/urgent.)
 * Access (self, or the GP with the patient on their list) is decided by the access layer before
 * these handlers run; each handler writes its audit events in the same transaction as its data.
 */
import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import { Type } from 'typebox';
import { auditedTransaction } from '../audit/audit-log.js';
import { loadPatientAccountState } from '../followup/invitation-codes.js';
import { PATIENT_OR_TREATING_GP, PATIENT_SELF } from '../access/rules.js';
import { commonErrors, Nullable, PatientIdParams, ProgramStatusSchema, Uuid } from '../schemas.js';

/** How long the patient's home shows that a GP reset their access. */
const RECOVERY_SHOWN_DAYS = 90;

const patientRoutes: FastifyPluginAsyncTypebox = async (app) => {
  app.get(
    '/api/patients/:patientId',
    {
      config: { access: PATIENT_OR_TREATING_GP },
      schema: {
        params: PatientIdParams,
        response: {
          200: Type.Object({
            id: Uuid,
            displayName: Type.String(),
            birthYear: Type.Integer(),
            sex: Type.Union([Type.Literal('female'), Type.Literal('male')]),
            program: Type.Object({ status: ProgramStatusSchema, modulesCompleted: Type.Integer() }),
            gp: Nullable(Type.Object({ displayName: Type.String() })),
            account: Type.Object({
              state: Type.Enum(['none', 'active', 'awaiting_password', 'disabled'] as const),
              /** The latest recovery a GP started, shown to the patient (within 90 days). */
              lastRecovery: Nullable(Type.Object({ at: Type.String(), byName: Type.String() })),
            }),
          }),
          ...commonErrors,
        },
      },
    },
    async (request) => {
      const { patientId } = request.params;
      return auditedTransaction(request, app.now(), async (trx, audit) => {
        const row = await trx
          .selectFrom('patients as p')
          .leftJoin('program_enrolments as e', 'e.patient_id', 'p.id')
          .leftJoin('gp_list_entries as l', (join) =>
            join.onRef('l.patient_id', '=', 'p.id').on('l.valid_to', 'is', null)
          )
          .leftJoin('users as gp', 'gp.id', 'l.gp_user_id')
          .select([
            'p.id',
            'p.display_name',
            'p.birth_year',
            'p.sex',
            'e.status',
            'e.modules_completed',
            'gp.display_name as gp_name',
          ])
          .where('p.id', '=', patientId)
          .executeTakeFirstOrThrow();
        const account = await loadPatientAccountState(trx, patientId);
        const recovery = await trx
          .selectFrom('invitations as i')
          .innerJoin('users as u', 'u.id', 'i.created_by')
          .select(['i.created_at', 'u.display_name'])
          .where('i.patient_id', '=', patientId)
          .where('i.purpose', '=', 'recovery')
          .where('i.created_at', '>', new Date(app.now().getTime() - RECOVERY_SHOWN_DAYS * 86_400_000))
          .orderBy('i.created_at', 'desc')
          .limit(1)
          .executeTakeFirst();
        audit({
          action: 'read',
          dataCategory: 'patient summary',
          patientIds: [patientId],
        });
        return {
          id: row.id,
          displayName: row.display_name,
          birthYear: row.birth_year,
          sex: row.sex,
          program: { status: row.status ?? 'not_recommended', modulesCompleted: row.modules_completed ?? 0 },
          gp: row.gp_name ? { displayName: row.gp_name } : null,
          account: {
            state: account.state,
            lastRecovery: recovery
              ? { at: new Date(recovery.created_at).toISOString(), byName: recovery.display_name }
              : null,
          },
        };
      });
    }
  );

  app.get(
    '/api/patients/:patientId/access-log',
    {
      config: { access: PATIENT_SELF },
      schema: {
        params: PatientIdParams,
        response: {
          200: Type.Object({
            items: Type.Array(
              Type.Object({
                occurredAt: Type.String(),
                actorName: Type.String(),
                actorRole: Type.String(),
                practiceName: Nullable(Type.String()),
                action: Type.String(),
                dataCategory: Type.String(),
                accessBasis: Type.String(),
              })
            ),
          }),
          ...commonErrors,
        },
      },
    },
    async (request) => {
      const { patientId } = request.params;
      return auditedTransaction(request, app.now(), async (trx, audit) => {
        const rows = await trx
          .selectFrom('audit_events as a')
          .leftJoin('practices as pr', 'pr.id', 'a.actor_practice_id')
          .select([
            'a.occurred_at',
            'a.actor_name',
            'a.actor_role',
            'pr.name as practice_name',
            'a.action',
            'a.data_category',
            'a.access_basis',
          ])
          .where('a.patient_id', '=', patientId)
          .where('a.outcome', '=', 'allowed')
          .where((eb) =>
            eb.or([eb('a.actor_user_id', 'is', null), eb('a.actor_user_id', '!=', request.actor!.userId)])
          )
          .orderBy('a.seq', 'desc')
          .limit(500)
          .execute();
        audit({ action: 'read', dataCategory: 'access log', patientIds: [patientId] });
        return {
          items: rows.map((row) => ({
            occurredAt: new Date(row.occurred_at).toISOString(),
            actorName: row.actor_name,
            actorRole: row.actor_role,
            practiceName: row.practice_name,
            action: row.action,
            dataCategory: row.data_category,
            accessBasis: row.access_basis,
          })),
        };
      });
    }
  );
};

export default patientRoutes;

/**
 * The GP's own pages: the worklist (follow-ups today and this week, then what needs attention,
 * most urgent first, each item saying why), absences with a covering colleague, the practice
 * overview, and the caseload with the GP's own figures. Each patient shown is an audit event.
 */
import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import type { FastifyRequest } from 'fastify';
import { sql } from 'kysely';
import { Type } from 'typebox';
import { osloDayBounds } from '../../domain/followup/oslo-time.js';
import { baselinePhq9 } from '../../domain/followup/treat-to-target.js';
import { sortWorklist, worklistItems, type PatientWorklistFacts } from '../../domain/followup/worklist.js';
import { auditedTransaction } from '../audit/audit-log.js';
import { badRequest, notFound } from '../problem.js';
import { commonErrors, Nullable, Uuid } from '../schemas.js';

const GP_ONLY = { roles: ['gp'] } as const;

const worklistRoutes: FastifyPluginAsyncTypebox = async (app) => {
  /**
   * The patients this GP is responsible for now, with the basis: their own list, plus the lists of
   * absent colleagues they cover for.
   */
  async function responsiblePatients(gpUserId: string, practiceId: string | null, now: Date) {
    const today = now.toISOString().slice(0, 10);
    const covered = await app.db
      .selectFrom('gp_absences as a')
      .innerJoin('users as u', 'u.id', 'a.gp_user_id')
      .select(['a.gp_user_id'])
      .where('a.starts_at', '<=', now)
      .where('a.ends_at', '>', now)
      .where('a.gp_user_id', '!=', gpUserId)
      .where((eb) =>
        eb.or([
          eb('a.delegate_user_id', '=', gpUserId),
          eb.and([eb('a.delegate_user_id', 'is', null), eb('u.practice_id', '=', practiceId)]),
        ])
      )
      .execute();
    const gpIds = [gpUserId, ...covered.map((c) => c.gp_user_id)];
    const rows = await app.db
      .selectFrom('gp_list_entries as l')
      .innerJoin('patients as p', 'p.id', 'l.patient_id')
      .select(['p.id', 'p.display_name', 'l.gp_user_id'])
      .where('l.gp_user_id', 'in', gpIds)
      .where('l.valid_from', '<=', sql<Date>`${today}::date`)
      .where((eb) => eb.or([eb('l.valid_to', 'is', null), eb('l.valid_to', '>=', sql<Date>`${today}::date`)]))
      .execute();
    return rows.map((r) => ({
      id: r.id,
      displayName: r.display_name,
      basis: r.gp_user_id === gpUserId ? 'gp_list' : 'absence_cover',
    }));
  }

  async function auditShown(
    request: FastifyRequest,
    dataCategory: string,
    patients: { id: string; basis: string }[]
  ) {
    await auditedTransaction(request, app.now(), async (trx, audit) => {
      for (const basis of ['gp_list', 'absence_cover']) {
        const ids = patients.filter((p) => p.basis === basis).map((p) => p.id);
        if (ids.length) audit({ action: 'read', dataCategory, patientIds: ids, basis });
      }
    });
  }

  app.get(
    '/api/gp/worklist',
    {
      config: { access: GP_ONLY },
      schema: {
        response: {
          200: Type.Object({
            followUps: Type.Array(
              Type.Object({
                id: Uuid,
                patientId: Uuid,
                patientName: Type.String(),
                plannedAt: Type.String(),
                durationMinutes: Type.Integer(),
                moduleId: Nullable(Type.String()),
                when: Type.Enum(['today', 'this_week'] as const),
                agendaReady: Type.Boolean(),
              })
            ),
            attention: Type.Array(
              Type.Object({
                patientId: Uuid,
                patientName: Type.String(),
                reason: Type.String(),
                at: Type.String(),
                detail: Type.Record(Type.String(), Type.Union([Type.String(), Type.Number()])),
                covering: Type.Boolean(),
              })
            ),
          }),
          ...commonErrors,
        },
      },
    },
    async (request) => {
      const now = app.now();
      const actor = request.actor!;
      const patients = await responsiblePatients(actor.userId, actor.practiceId, now);
      const ids = patients.map((p) => p.id);
      const byId = new Map(patients.map((p) => [p.id, p]));
      if (ids.length === 0) return { followUps: [], attention: [] };
      // Days and weeks as the GP lives them: Norwegian time, Monday to Sunday.
      const { startOfToday, endOfToday, endOfWeek } = osloDayBounds(now);
      const [followUps, enrolments, phq9, alerts, activity, invitations, missed, agendas, unread] =
        await Promise.all([
          app.db
            .selectFrom('follow_ups')
            .select(['id', 'patient_id', 'planned_at', 'duration_minutes', 'module_id'])
            .where('patient_id', 'in', ids)
            .where('status', '=', 'planned')
            .where('planned_at', '>=', startOfToday)
            .where('planned_at', '<=', endOfWeek)
            .orderBy('planned_at')
            .execute(),
          app.db
            .selectFrom('program_enrolments')
            .select(['patient_id', 'status', 'started_at', 'baseline_phq9'])
            .where('patient_id', 'in', ids)
            .execute(),
          app.db
            .selectFrom('questionnaire_responses')
            .select(['patient_id', 'answered_at', 'total_score'])
            .where('patient_id', 'in', ids)
            .where('instrument', '=', 'phq9')
            .orderBy('answered_at')
            .execute(),
          app.db
            .selectFrom('safety_alerts')
            .select(['id', 'patient_id', 'created_at', 'item9_score'])
            .where('patient_id', 'in', ids)
            .where('acknowledged_at', 'is', null)
            .execute(),
          app.db
            .selectFrom('audit_events')
            .select(['patient_id', (eb) => eb.fn.max('occurred_at').as('last')])
            .where('patient_id', 'in', ids)
            .where('actor_role', '=', 'patient')
            .groupBy('patient_id')
            .execute(),
          app.db
            .selectFrom('invitations')
            .select(['patient_id', 'created_at', 'used_at'])
            .where('patient_id', 'in', ids)
            .where('revoked_at', 'is', null)
            .execute(),
          app.db
            .selectFrom('follow_ups')
            .select(['id', 'patient_id', 'planned_at'])
            .where('patient_id', 'in', ids)
            .where('status', '=', 'planned')
            .where('planned_at', '<', startOfToday)
            .execute(),
          app.db
            .selectFrom('follow_up_agendas')
            .select('follow_up_id')
            .where('patient_id', 'in', ids)
            .execute(),
          app.db
            .selectFrom('questionnaire_responses')
            .select(['id', 'patient_id', 'answered_at'])
            .where('patient_id', 'in', ids)
            .where('patient_note', 'is not', null)
            .where('note_read_at', 'is', null)
            .execute(),
        ]);
      const agendaIds = new Set(agendas.map((a) => a.follow_up_id));
      const items = sortWorklist(
        ids.flatMap((patientId) => {
          const enrolment = enrolments.find((e) => e.patient_id === patientId);
          const lastActivity = activity.find((a) => a.patient_id === patientId)?.last;
          const invitation = invitations
            .filter((i) => i.patient_id === patientId)
            .sort((a, b) => +new Date(b.created_at) - +new Date(a.created_at))[0];
          const facts: PatientWorklistFacts = {
            patientId,
            programStatus: enrolment?.status ?? 'not_recommended',
            startedAt: enrolment?.started_at ? new Date(enrolment.started_at) : null,
            phq9: phq9
              .filter((r) => r.patient_id === patientId)
              .map((r) => ({ answeredAt: new Date(r.answered_at), total: r.total_score })),
            recordedBaseline: enrolment?.baseline_phq9 ?? null,
            unreadMessages: unread
              .filter((u) => u.patient_id === patientId)
              .map((u) => ({ responseId: u.id, sentAt: new Date(u.answered_at) })),
            openItem9Alerts: alerts
              .filter((a) => a.patient_id === patientId)
              .map((a) => ({ alertId: a.id, answeredAt: new Date(a.created_at), item9Score: a.item9_score })),
            lastActivityAt: lastActivity
              ? new Date(lastActivity as Date)
              : enrolment?.started_at
                ? new Date(enrolment.started_at)
                : null,
            invitation: invitation
              ? {
                  createdAt: new Date(invitation.created_at),
                  usedAt: invitation.used_at ? new Date(invitation.used_at) : null,
                }
              : null,
            missedFollowUps: missed
              .filter((m) => m.patient_id === patientId)
              .map((m) => ({ id: m.id, plannedAt: new Date(m.planned_at) })),
          };
          return worklistItems(facts, now);
        })
      );
      const shown = new Set([...followUps.map((f) => f.patient_id), ...items.map((i) => i.patientId)]);
      await auditShown(
        request,
        'worklist',
        patients.filter((p) => shown.has(p.id))
      );
      return {
        followUps: followUps.map((f) => ({
          id: f.id,
          patientId: f.patient_id,
          patientName: byId.get(f.patient_id)!.displayName,
          plannedAt: new Date(f.planned_at).toISOString(),
          durationMinutes: f.duration_minutes,
          moduleId: f.module_id,
          when: new Date(f.planned_at) < endOfToday ? ('today' as const) : ('this_week' as const),
          agendaReady: agendaIds.has(f.id),
        })),
        attention: items.map((i) => ({
          patientId: i.patientId,
          patientName: byId.get(i.patientId)!.displayName,
          reason: i.reason,
          at: i.at.toISOString(),
          detail: i.detail,
          covering: byId.get(i.patientId)!.basis === 'absence_cover',
        })),
      };
    }
  );

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

  app.get(
    '/api/gp/caseload',
    {
      config: { access: GP_ONLY },
      schema: {
        response: {
          200: Type.Object({
            byStatus: Type.Record(Type.String(), Type.Integer()),
            recommendations: Type.Integer(),
            followUpsPlanned: Type.Integer(),
            followUpsHeld: Type.Integer(),
            followUpsDue: Type.Integer(),
            shareFinishing: Nullable(Type.Number()),
            meanPhq9Change: Nullable(Type.Number()),
            patients: Type.Array(
              Type.Object({
                id: Uuid,
                displayName: Type.String(),
                status: Type.String(),
                modulesCompleted: Type.Integer(),
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
      const own = (await responsiblePatients(actor.userId, actor.practiceId, now)).filter(
        (p) => p.basis === 'gp_list'
      );
      const ids = own.map((p) => p.id);
      if (ids.length === 0) {
        return {
          byStatus: {},
          recommendations: 0,
          followUpsPlanned: 0,
          followUpsHeld: 0,
          followUpsDue: 0,
          shareFinishing: null,
          meanPhq9Change: null,
          patients: [],
        };
      }
      const [enrolments, followUps, phq9] = await Promise.all([
        app.db
          .selectFrom('program_enrolments')
          .select([
            'patient_id',
            'status',
            'recommended_by',
            'modules_completed',
            'baseline_phq9',
            'started_at',
          ])
          .where('patient_id', 'in', ids)
          .execute(),
        app.db
          .selectFrom('follow_ups')
          .select(['status', 'planned_at'])
          .where('patient_id', 'in', ids)
          .where('status', '!=', 'cancelled')
          .execute(),
        app.db
          .selectFrom('questionnaire_responses')
          .select(['patient_id', 'total_score', 'answered_at'])
          .where('patient_id', 'in', ids)
          .where('instrument', '=', 'phq9')
          .orderBy('answered_at')
          .execute(),
      ]);
      const byStatus: Record<string, number> = { invited: 0, active: 0, finished: 0, stopped: 0 };
      for (const e of enrolments) {
        const key = e.status === 'recommended' ? 'invited' : e.status;
        byStatus[key] = (byStatus[key] ?? 0) + 1;
      }
      const ended = enrolments.filter((e) => e.status === 'finished' || e.status === 'stopped');
      const changes = enrolments
        .map((e) => {
          const scores = phq9.filter((p) => p.patient_id === e.patient_id);
          // The one baseline (domain/followup/treat-to-target.ts), as on the card and worklist.
          const baseline = baselinePhq9(
            scores.map((p) => ({ answeredAt: new Date(p.answered_at), total: p.total_score })),
            e.started_at ? new Date(e.started_at) : null,
            e.baseline_phq9
          );
          const latest = scores.at(-1)?.total_score;
          return baseline && latest !== undefined && scores.length > 1 ? latest - baseline.total : null;
        })
        .filter((c): c is number => c !== null);
      await auditShown(
        request,
        'caseload',
        own.filter((p) => enrolments.some((e) => e.patient_id === p.id))
      );
      return {
        byStatus,
        recommendations: enrolments.filter((e) => e.recommended_by === actor.userId).length,
        followUpsPlanned: followUps.length,
        followUpsHeld: followUps.filter((f) => f.status === 'done').length,
        followUpsDue: followUps.filter((f) => f.status === 'done' || new Date(f.planned_at) <= now).length,
        shareFinishing: ended.length
          ? ended.filter((e) => e.status === 'finished').length / ended.length
          : null,
        meanPhq9Change: changes.length
          ? Math.round((changes.reduce((a, b) => a + b, 0) / changes.length) * 10) / 10
          : null,
        patients: enrolments.map((e) => ({
          id: e.patient_id,
          displayName: own.find((p) => p.id === e.patient_id)!.displayName,
          status: e.status === 'recommended' ? 'invited' : e.status,
          modulesCompleted: e.modules_completed,
        })),
      };
    }
  );

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
      const coveringPatients = (await responsiblePatients(actor.userId, actor.practiceId, now)).filter(
        (p) => p.basis === 'absence_cover'
      );
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

export default worklistRoutes;

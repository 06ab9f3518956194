/**
 * The follow-up plan and the follow-up itself: the plan (move, add, cancel, hand to a colleague,
 * export as iCalendar), the patient's agenda before a talk, the one-screen card for a 20-minute
 * consultation, the GP's structured note, treat-to-target decisions, safety alerts with who saw
 * them, and the patient's timeline.
 */
import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import { sql } from 'kysely';
import { Type } from 'typebox';
import { MODULE_CONTENT } from '../../content/modules.js';
import { toIcs } from '../../domain/followup/ics.js';
import { consultationNoteText, suggestFeeCodes, type StructuredNote } from '../../domain/followup/note.js';
import type { Locale } from '../../domain/instruments/phq9.js';
import { MODULE_IDS, type ModuleId } from '../../domain/program/progress.js';
import { followUpOwner } from '../../domain/access/policy.js';
import { moduleOfTalk } from '../../domain/followup/plan.js';
import { baselinePhq9, treatToTarget } from '../../domain/followup/treat-to-target.js';
import { PATIENT_OR_TREATING_GP, PATIENT_SELF, TREATING_GP } from '../access/rules.js';
import { auditedTransaction, eventsForRequest, recordAccess } from '../audit/audit-log.js';
import { badRequest, HttpProblem, notFound } from '../problem.js';
import { loadProgram } from '../program/program-state.js';
import { commonErrors, Nullable, Uuid } from '../schemas.js';

const FollowUpSchema = Type.Object({
  id: Uuid,
  plannedAt: Type.String(),
  durationMinutes: Type.Integer(),
  moduleId: Nullable(Type.String()),
  kind: Type.String(),
  status: Type.String(),
  gp: Type.Object({ id: Uuid, displayName: Type.String() }),
  heldAt: Nullable(Type.String()),
});

const Iso = Type.String();
const CardSchema = Type.Object({
  followUp: Type.Object({
    id: Uuid,
    plannedAt: Iso,
    durationMinutes: Type.Integer(),
    moduleId: Nullable(Type.String()),
    status: Type.String(),
  }),
  patient: Type.Object({
    id: Uuid,
    displayName: Type.String(),
    birthYear: Type.Integer(),
    sex: Type.String(),
  }),
  agenda: Nullable(Type.Object({ talkAbout: Type.String(), tried: Type.String(), updatedAt: Iso })),
  sinceLastTime: Type.Object({
    since: Iso,
    modulesCompleted: Type.Array(Type.String()),
    modulesCompletedTotal: Type.Integer(),
    /** Exercise entries saved or changed since the last follow-up (a count; content only if shared). */
    exercisesDone: Type.Integer(),
    exercisesSaved: Type.Integer(),
    minutesSpent: Type.Integer(),
    homework: Type.Object({ moduleId: Type.String(), title: Type.String(), description: Type.String() }),
  }),
  scores: Type.Object({
    phq9: Type.Array(
      Type.Object({ answeredAt: Iso, total: Type.Integer(), severity: Type.String(), item9: Type.Integer() })
    ),
    wsas: Type.Array(
      Type.Object({
        answeredAt: Iso,
        total: Type.Integer(),
        band: Type.String(),
        workStatus: Nullable(Type.String()),
      })
    ),
    gad7: Type.Array(Type.Object({ answeredAt: Iso, total: Type.Integer(), severity: Type.String() })),
    baselinePhq9: Nullable(Type.Integer()),
    changeSinceBaseline: Nullable(Type.Integer()),
    /** Treat to target as the worklist sees it (domain/followup/treat-to-target.ts). */
    target: Type.Object({
      checkpoint: Nullable(Type.Union([Type.Literal(4), Type.Literal(8)])),
      signal: Nullable(Type.Boolean()),
      improvementPercent: Nullable(Type.Integer()),
    }),
  }),
  alerts: Type.Array(
    Type.Object({ id: Uuid, item9Score: Type.Integer(), answeredAt: Iso, acknowledgedAt: Nullable(Iso) })
  ),
  shared: Type.Array(
    Type.Object({
      id: Uuid,
      moduleId: Type.String(),
      exerciseTitle: Type.String(),
      updatedAt: Iso,
      answers: Type.Array(
        Type.Object({
          label: Type.String(),
          value: Type.Union([Type.String(), Type.Number(), Type.Array(Type.String()), Type.Null()]),
        })
      ),
    })
  ),
  module: Type.Object({
    id: Type.String(),
    /** False before the patient has completed any module (the digest is then a preview). */
    completedByPatient: Type.Boolean(),
    number: Type.Integer(),
    title: Type.String(),
    digest: Type.Array(Type.String()),
    questions: Type.Array(Type.String()),
    bridges: Type.Array(Type.Object({ context: Type.String(), text: Type.String() })),
  }),
  work: Type.Object({
    workStatus: Nullable(Type.String()),
    sickLeave: Nullable(
      Type.Object({
        status: Type.String(),
        percent: Nullable(Type.Integer()),
        from: Nullable(Type.String()),
        to: Nullable(Type.String()),
      })
    ),
  }),
  previousNotes: Type.Array(
    Type.Object({ createdAt: Iso, discussed: Type.String(), plan: Type.String(), nextStep: Type.String() })
  ),
  /** Treat-to-target decisions already recorded, so the card asks only for the ones due. */
  decisions: Type.Array(Type.Object({ week: Type.Integer(), choice: Type.String(), decidedAt: Iso })),
  program: Type.Object({
    status: Type.String(),
    guidanceLevel: Nullable(Type.String()),
    startedAt: Nullable(Iso),
  }),
});

const PatientFollowUpParams = Type.Object(
  { patientId: Uuid, followUpId: Uuid },
  { additionalProperties: false }
);
const LangQuery = Type.Object(
  { lang: Type.Optional(Type.Enum(['nb', 'en'] as const)) },
  { additionalProperties: false }
);
const DECISIONS = [
  'continue',
  'more_gp_talks',
  'consider_medication',
  'low_threshold_service',
  'refer_dps',
] as const;
const DAY = 24 * 60 * 60 * 1000;

const followUpRoutes: FastifyPluginAsyncTypebox = async (app) => {
  const audit = (
    request: Parameters<typeof eventsForRequest>[0],
    action: 'read' | 'create' | 'update' | 'export',
    dataCategory: string,
    patientId: string
  ) => recordAccess(request, { action, dataCategory, patientIds: [patientId] });

  async function followUps(patientId: string) {
    const rows = await app.db
      .selectFrom('follow_ups as f')
      .innerJoin('users as u', 'u.id', 'f.gp_user_id')
      .select([
        'f.id',
        'f.planned_at',
        'f.duration_minutes',
        'f.module_id',
        'f.kind',
        'f.status',
        'f.held_at',
        'u.id as gp_id',
        'u.display_name as gp_name',
      ])
      .where('f.patient_id', '=', patientId)
      .where('f.status', '!=', 'cancelled')
      // In the order they happen: a talk held early sorts by when it was held.
      .orderBy(sql`coalesce(f.held_at, f.planned_at)`)
      .execute();
    return rows.map((r) => ({
      id: r.id,
      plannedAt: new Date(r.planned_at).toISOString(),
      durationMinutes: r.duration_minutes,
      moduleId: r.module_id,
      kind: r.kind,
      status: r.status,
      gp: { id: r.gp_id, displayName: r.gp_name },
      heldAt: r.held_at ? new Date(r.held_at).toISOString() : null,
    }));
  }

  async function findFollowUp(patientId: string, followUpId: string) {
    const row = await app.db
      .selectFrom('follow_ups')
      .selectAll()
      .where('id', '=', followUpId)
      .where('patient_id', '=', patientId)
      .executeTakeFirst();
    if (!row) throw notFound();
    return row;
  }

  app.get(
    '/api/patients/:patientId/follow-ups',
    {
      config: { access: PATIENT_OR_TREATING_GP },
      schema: {
        params: Type.Object({ patientId: Uuid }),
        response: { 200: Type.Object({ items: Type.Array(FollowUpSchema) }), ...commonErrors },
      },
    },
    async (request) => {
      const items = await followUps(request.params.patientId);
      await audit(request, 'read', 'follow-up plan', request.params.patientId);
      return { items };
    }
  );

  app.post(
    '/api/patients/:patientId/follow-ups',
    {
      config: { access: TREATING_GP },
      schema: {
        params: Type.Object({ patientId: Uuid }),
        body: Type.Object(
          {
            plannedAt: Type.String({ format: 'date-time' }),
            durationMinutes: Type.Integer({ minimum: 5, maximum: 120 }),
            moduleId: Type.Optional(Type.Enum(['m1', 'm2', 'm3', 'm4', 'm5'] as const)),
          },
          { additionalProperties: false }
        ),
        response: { 201: Type.Object({ items: Type.Array(FollowUpSchema) }), ...commonErrors },
      },
    },
    async (request, reply) => {
      const { patientId } = request.params;
      const now = app.now();
      await auditedTransaction(request, now, async (trx, audit) => {
        await trx
          .insertInto('follow_ups')
          .values({
            patient_id: patientId,
            gp_user_id: followUpOwner(request.actor!, request.patientAccess!.listGpUserIds),
            module_id: request.body.moduleId ?? null,
            planned_at: new Date(request.body.plannedAt),
            duration_minutes: request.body.durationMinutes,
            kind: 'extra',
            created_at: now,
          })
          .execute();
        audit({ action: 'create', dataCategory: 'follow-up', patientIds: [patientId] });
      });
      reply.code(201);
      return { items: await followUps(patientId) };
    }
  );

  app.patch(
    '/api/patients/:patientId/follow-ups/:followUpId',
    {
      config: { access: TREATING_GP },
      schema: {
        params: PatientFollowUpParams,
        body: Type.Object(
          {
            plannedAt: Type.Optional(Type.String({ format: 'date-time' })),
            durationMinutes: Type.Optional(Type.Integer({ minimum: 5, maximum: 120 })),
            status: Type.Optional(Type.Enum(['cancelled', 'missed'] as const)),
            /** Hand the follow-up to a colleague in the same practice (e.g. while away). */
            gpUserId: Type.Optional(Uuid),
          },
          { additionalProperties: false, minProperties: 1 }
        ),
        response: { 200: Type.Object({ items: Type.Array(FollowUpSchema) }), ...commonErrors },
      },
    },
    async (request) => {
      const { patientId, followUpId } = request.params;
      const existing = await findFollowUp(patientId, followUpId);
      if (existing.status !== 'planned')
        throw new HttpProblem(409, 'Conflict', `This follow-up is already ${existing.status}.`);
      if (request.body.gpUserId) {
        const colleague = await app.db
          .selectFrom('users')
          .select('id')
          .where('id', '=', request.body.gpUserId)
          .where('role', '=', 'gp')
          .where('practice_id', '=', request.actor!.practiceId)
          .where('disabled_at', 'is', null)
          .executeTakeFirst();
        if (!colleague) throw badRequest([{ field: 'gpUserId', reason: 'must be a GP in your practice' }]);
      }
      const now = app.now();
      await auditedTransaction(request, now, async (trx, audit) => {
        await trx
          .updateTable('follow_ups')
          .set({
            ...(request.body.plannedAt ? { planned_at: new Date(request.body.plannedAt) } : {}),
            ...(request.body.durationMinutes ? { duration_minutes: request.body.durationMinutes } : {}),
            ...(request.body.status ? { status: request.body.status } : {}),
            ...(request.body.gpUserId ? { gp_user_id: request.body.gpUserId } : {}),
          })
          .where('id', '=', followUpId)
          .execute();
        audit({ action: 'update', dataCategory: 'follow-up', patientIds: [patientId] });
      });
      return { items: await followUps(patientId) };
    }
  );

  app.get(
    '/api/patients/:patientId/follow-ups.ics',
    {
      config: { access: PATIENT_OR_TREATING_GP },
      schema: { params: Type.Object({ patientId: Uuid }), querystring: LangQuery },
    },
    async (request, reply) => {
      const items = (await followUps(request.params.patientId)).filter((f) => f.status === 'planned');
      const nb = (request.query.lang ?? 'nb') === 'nb';
      const ics = toIcs(
        items.map((f) => ({
          uid: f.id,
          start: new Date(f.plannedAt),
          durationMinutes: f.durationMinutes,
          // Nothing about health: calendars sync to other companies' servers.
          summary: nb
            ? `Time hos fastlegen (${f.gp.displayName})`
            : `Appointment with your GP (${f.gp.displayName})`,
        })),
        app.now(),
        nb ? 'Timer hos fastlegen' : 'GP appointments'
      );
      await audit(request, 'export', 'follow-up plan (calendar file)', request.params.patientId);
      return reply
        .type('text/calendar; charset=utf-8')
        .header('content-disposition', 'attachment; filename="oppfolging.ics"')
        .send(ics);
    }
  );

  app.put(
    '/api/patients/:patientId/follow-ups/:followUpId/agenda',
    {
      config: { access: PATIENT_SELF },
      schema: {
        params: PatientFollowUpParams,
        body: Type.Object(
          { talkAbout: Type.String({ maxLength: 1000 }), tried: Type.String({ maxLength: 1000 }) },
          { additionalProperties: false }
        ),
        response: {
          200: Type.Object({ talkAbout: Type.String(), tried: Type.String(), updatedAt: Type.String() }),
          ...commonErrors,
        },
      },
    },
    async (request) => {
      const { patientId, followUpId } = request.params;
      const followUp = await findFollowUp(patientId, followUpId);
      if (followUp.status !== 'planned')
        throw new HttpProblem(409, 'Conflict', 'This follow-up is no longer planned.');
      const now = app.now();
      await auditedTransaction(request, now, async (trx, audit) => {
        await trx
          .insertInto('follow_up_agendas')
          .values({
            follow_up_id: followUpId,
            patient_id: patientId,
            talk_about: request.body.talkAbout,
            tried: request.body.tried,
            updated_at: now,
          })
          .onConflict((oc) =>
            oc
              .column('follow_up_id')
              .doUpdateSet({ talk_about: request.body.talkAbout, tried: request.body.tried, updated_at: now })
          )
          .execute();
        audit({
          action: 'update',
          dataCategory: 'agenda for follow-up',
          patientIds: [patientId],
        });
      });
      return { talkAbout: request.body.talkAbout, tried: request.body.tried, updatedAt: now.toISOString() };
    }
  );

  app.get(
    '/api/patients/:patientId/follow-ups/:followUpId/agenda',
    {
      config: { access: PATIENT_OR_TREATING_GP },
      schema: {
        params: PatientFollowUpParams,
        response: {
          200: Type.Object({
            talkAbout: Type.String(),
            tried: Type.String(),
            updatedAt: Nullable(Type.String()),
          }),
          ...commonErrors,
        },
      },
    },
    async (request) => {
      const { patientId, followUpId } = request.params;
      await findFollowUp(patientId, followUpId);
      const row = await app.db
        .selectFrom('follow_up_agendas')
        .selectAll()
        .where('follow_up_id', '=', followUpId)
        .executeTakeFirst();
      await audit(request, 'read', 'agenda for follow-up', patientId);
      return {
        talkAbout: row?.talk_about ?? '',
        tried: row?.tried ?? '',
        updatedAt: row ? new Date(row.updated_at).toISOString() : null,
      };
    }
  );

  app.get(
    '/api/patients/:patientId/follow-ups/:followUpId/card',
    {
      config: { access: TREATING_GP },
      schema: {
        params: PatientFollowUpParams,
        querystring: LangQuery,
        response: { 200: CardSchema, ...commonErrors },
      },
    },
    async (request) => {
      const { patientId, followUpId } = request.params;
      const lang: Locale = request.query.lang ?? 'nb';
      const followUp = await findFollowUp(patientId, followUpId);
      const now = app.now();
      const [
        patient,
        program,
        agenda,
        measurements,
        shared,
        previousNotes,
        alerts,
        enrolment,
        previousFollowUp,
      ] = await Promise.all([
        app.db
          .selectFrom('patients')
          .select(['id', 'display_name', 'birth_year', 'sex'])
          .where('id', '=', patientId)
          .executeTakeFirstOrThrow(),
        loadProgram(app.db, patientId, now),
        app.db
          .selectFrom('follow_up_agendas')
          .selectAll()
          .where('follow_up_id', '=', followUpId)
          .executeTakeFirst(),
        app.db
          .selectFrom('questionnaire_responses')
          .select(['instrument', 'answered_at', 'total_score', 'severity', 'item9_score', 'work_status'])
          .where('patient_id', '=', patientId)
          .orderBy('answered_at')
          .execute(),
        app.db
          .selectFrom('workbook_entries')
          .selectAll()
          .where('patient_id', '=', patientId)
          .where('shared_with_gp', '=', true)
          .orderBy('updated_at', 'desc')
          .execute(),
        app.db
          .selectFrom('follow_up_notes')
          .selectAll()
          .where('patient_id', '=', patientId)
          .orderBy('created_at', 'desc')
          .limit(3)
          .execute(),
        app.db
          .selectFrom('safety_alerts')
          .selectAll()
          .where('patient_id', '=', patientId)
          .orderBy('created_at', 'desc')
          .execute(),
        app.db
          .selectFrom('program_enrolments')
          .selectAll()
          .where('patient_id', '=', patientId)
          .executeTakeFirst(),
        app.db
          .selectFrom('follow_ups')
          .select(['planned_at', 'held_at'])
          .where('patient_id', '=', patientId)
          .where('status', '=', 'done')
          .where('planned_at', '<', followUp.planned_at)
          .orderBy('planned_at', 'desc')
          .limit(1)
          .executeTakeFirst(),
      ]);
      const since = previousFollowUp
        ? new Date(previousFollowUp.held_at ?? previousFollowUp.planned_at)
        : enrolment
          ? new Date(enrolment.recommended_at)
          : new Date(0);
      const [changedSince, decisions] = await Promise.all([
        app.db
          .selectFrom('workbook_entries')
          .select((eb) => eb.fn.countAll<number>().as('n'))
          .where('patient_id', '=', patientId)
          .where('updated_at', '>', since)
          .executeTakeFirstOrThrow(),
        app.db
          .selectFrom('treatment_decisions')
          .select(['week', 'choice', 'decided_at'])
          .where('patient_id', '=', patientId)
          .orderBy('decided_at')
          .execute(),
      ]);
      // The module this talk is about (domain/followup/plan.ts): never one not completed. Before
      // any module the card still shows module 1's digest, marked as not yet done.
      const completed = program.modules.filter((m) => m.completedAt);
      const talkModule = moduleOfTalk(
        followUp.module_id as ModuleId | null,
        completed.map((m) => m.id as ModuleId),
        MODULE_IDS
      );
      const moduleId: ModuleId = talkModule ?? 'm1';
      const content = MODULE_CONTENT[moduleId][lang];
      const phq9 = measurements.filter((m) => m.instrument === 'phq9');
      const target = treatToTarget({
        active: enrolment?.status === 'active',
        startedAt: enrolment?.started_at ? new Date(enrolment.started_at) : null,
        phq9: phq9.map((m) => ({ answeredAt: new Date(m.answered_at), total: m.total_score })),
        recordedBaseline: enrolment?.baseline_phq9 ?? null,
      });
      const baseline = target.baseline;
      const latestPhq9 = phq9.at(-1);
      const latestNote = previousNotes[0];
      const latestWsas = measurements.filter((m) => m.instrument === 'wsas').at(-1);
      // Opening the card changes nothing about its alerts: seeing is not acknowledging, and who
      // opened the card is in the audit log.
      await audit(request, 'read', 'follow-up card', patientId);
      return {
        followUp: {
          id: followUp.id,
          plannedAt: new Date(followUp.planned_at).toISOString(),
          durationMinutes: followUp.duration_minutes,
          moduleId: followUp.module_id,
          status: followUp.status,
        },
        patient: {
          id: patient.id,
          displayName: patient.display_name,
          birthYear: patient.birth_year,
          sex: patient.sex,
        },
        agenda: agenda
          ? {
              talkAbout: agenda.talk_about ?? '',
              tried: agenda.tried ?? '',
              updatedAt: new Date(agenda.updated_at).toISOString(),
            }
          : null,
        sinceLastTime: {
          since: since.toISOString(),
          modulesCompleted: completed.filter((m) => new Date(m.completedAt!) > since).map((m) => m.id),
          modulesCompletedTotal: completed.length,
          exercisesDone: Number(changedSince.n),
          exercisesSaved: shared.filter((e) => new Date(e.updated_at) > since).length,
          minutesSpent: Math.round(program.modules.reduce((s, m) => s + m.secondsSpent, 0) / 60),
          homework: { moduleId, title: content.homework.title, description: content.homework.description },
        },
        scores: {
          phq9: phq9.map((m) => ({
            answeredAt: new Date(m.answered_at).toISOString(),
            total: m.total_score,
            severity: m.severity,
            item9: m.item9_score ?? 0,
          })),
          wsas: measurements
            .filter((m) => m.instrument === 'wsas')
            .map((m) => ({
              answeredAt: new Date(m.answered_at).toISOString(),
              total: m.total_score,
              band: m.severity,
              workStatus: m.work_status,
            })),
          gad7: measurements
            .filter((m) => m.instrument === 'gad7')
            .map((m) => ({
              answeredAt: new Date(m.answered_at).toISOString(),
              total: m.total_score,
              severity: m.severity,
            })),
          baselinePhq9: baseline,
          changeSinceBaseline: baseline !== null && latestPhq9 ? latestPhq9.total_score - baseline : null,
          target: {
            checkpoint: target.checkpoint,
            signal: target.signal,
            improvementPercent: target.improvementPercent,
          },
        },
        alerts: alerts.map((a) => ({
          id: a.id,
          item9Score: a.item9_score,
          answeredAt: new Date(a.created_at).toISOString(),
          acknowledgedAt: a.acknowledged_at ? new Date(a.acknowledged_at).toISOString() : null,
        })),
        shared: shared.map((e) => {
          const exercise = MODULE_CONTENT[e.module_id as ModuleId]?.[lang].exercises.find(
            (x) => x.id === e.exercise_id
          );
          return {
            id: e.id,
            moduleId: e.module_id,
            exerciseTitle: exercise?.title ?? e.exercise_id,
            updatedAt: new Date(e.updated_at).toISOString(),
            answers: (exercise?.fields ?? [])
              .map((f) => ({
                label: f.label,
                value: (e.answers[f.id] ?? null) as string | number | string[] | null,
              }))
              .filter((a) => a.value !== null && a.value !== ''),
          };
        }),
        module: {
          id: moduleId,
          completedByPatient: talkModule !== null,
          number: content.number,
          title: content.title,
          digest: content.gp.digest,
          questions: content.gp.questions,
          bridges: content.gp.bridges,
        },
        work: {
          workStatus: latestWsas?.work_status ?? null,
          sickLeave: latestNote
            ? {
                status: latestNote.sick_leave_status,
                percent: latestNote.sick_leave_percent,
                from: latestNote.sick_leave_from
                  ? new Date(latestNote.sick_leave_from).toISOString().slice(0, 10)
                  : null,
                to: latestNote.sick_leave_to
                  ? new Date(latestNote.sick_leave_to).toISOString().slice(0, 10)
                  : null,
              }
            : null,
        },
        previousNotes: previousNotes.map((n) => ({
          createdAt: new Date(n.created_at).toISOString(),
          discussed: n.discussed,
          plan: n.plan,
          nextStep: n.next_step,
        })),
        decisions: decisions.map((d) => ({
          week: d.week,
          choice: d.choice,
          decidedAt: new Date(d.decided_at).toISOString(),
        })),
        program: {
          status: program.status,
          guidanceLevel: enrolment?.guidance_level ?? null,
          startedAt: program.startedAt,
        },
      };
    }
  );

  app.post(
    '/api/patients/:patientId/follow-ups/:followUpId/note',
    {
      config: { access: TREATING_GP },
      schema: {
        params: PatientFollowUpParams,
        body: Type.Object(
          {
            discussed: Type.String({ maxLength: 4000 }),
            plan: Type.String({ maxLength: 4000 }),
            nextStep: Type.String({ maxLength: 2000 }),
            mode: Type.Enum(['in_person', 'video', 'phone'] as const),
            durationMinutes: Type.Integer({ minimum: 1, maximum: 180 }),
            sickLeave: Type.Object(
              {
                status: Type.Enum(['none', 'graded', 'full'] as const),
                percent: Type.Union([Type.Integer({ minimum: 1, maximum: 99 }), Type.Null()]),
                from: Type.Union([Type.String({ format: 'date' }), Type.Null()]),
                to: Type.Union([Type.String({ format: 'date' }), Type.Null()]),
              },
              { additionalProperties: false }
            ),
            /** The fee codes the GP confirmed (suggested ones or others). */
            feeCodes: Type.Array(Type.String({ pattern: '^[0-9a-z]{1,6}$' }), { maxItems: 10 }),
            language: Type.Enum(['nb', 'en'] as const),
          },
          { additionalProperties: false }
        ),
        response: {
          201: Type.Object({
            noteText: Type.String(),
            feeCodeSuggestions: Type.Array(Type.Object({ code: Type.String(), why: Type.String() })),
            nextFollowUp: Nullable(Type.Object({ id: Uuid, plannedAt: Type.String() })),
          }),
          409: commonErrors[400],
          ...commonErrors,
        },
      },
    },
    async (request, reply) => {
      const { patientId, followUpId } = request.params;
      const body = request.body;
      const problems = [];
      if (body.sickLeave.status === 'graded' && body.sickLeave.percent === null)
        problems.push({ field: 'sickLeave.percent', reason: 'is required for graded sick leave' });
      if (body.sickLeave.status !== 'none' && !body.sickLeave.from)
        problems.push({ field: 'sickLeave.from', reason: 'is required when on sick leave' });
      if (body.sickLeave.from && body.sickLeave.to && body.sickLeave.to < body.sickLeave.from)
        problems.push({ field: 'sickLeave.to', reason: 'must not be before the start date' });
      if (problems.length > 0) throw badRequest(problems);
      const followUp = await findFollowUp(patientId, followUpId);
      if (followUp.status !== 'planned')
        throw new HttpProblem(409, 'Conflict', `This follow-up is already ${followUp.status}.`);
      const now = app.now();
      const lang = body.language;
      const note: StructuredNote = {
        discussed: body.discussed,
        plan: body.plan,
        nextStep: body.nextStep,
        mode: body.mode,
        durationMinutes: body.durationMinutes,
        sickLeave: body.sickLeave,
      };
      const result = await auditedTransaction(request, now, async (trx, audit) => {
        await trx
          .insertInto('follow_up_notes')
          .values({
            follow_up_id: followUpId,
            patient_id: patientId,
            gp_user_id: request.actor!.userId,
            discussed: body.discussed,
            plan: body.plan,
            next_step: body.nextStep,
            mode: body.mode,
            duration_minutes: body.durationMinutes,
            sick_leave_status: body.sickLeave.status,
            sick_leave_percent: body.sickLeave.status === 'graded' ? body.sickLeave.percent : null,
            sick_leave_from: body.sickLeave.status === 'none' ? null : body.sickLeave.from,
            sick_leave_to: body.sickLeave.status === 'none' ? null : body.sickLeave.to,
            fee_codes: JSON.stringify(body.feeCodes),
            created_at: now,
          })
          .execute();
        // "Follow-up done": mark it held and move on to the next planned one.
        await trx
          .updateTable('follow_ups')
          .set({ status: 'done', held_at: now })
          .where('id', '=', followUpId)
          .execute();
        const next = await trx
          .selectFrom('follow_ups')
          .select(['id', 'planned_at'])
          .where('patient_id', '=', patientId)
          .where('status', '=', 'planned')
          .orderBy('planned_at')
          .limit(1)
          .executeTakeFirst();
        const latest = await trx
          .selectFrom('questionnaire_responses')
          .select(['total_score', 'severity', 'item9_score', 'answered_at'])
          .where('patient_id', '=', patientId)
          .where('instrument', '=', 'phq9')
          .orderBy('answered_at', 'desc')
          .limit(1)
          .executeTakeFirst();
        const enrolment = await trx
          .selectFrom('program_enrolments')
          .select(['baseline_phq9', 'started_at'])
          .where('patient_id', '=', patientId)
          .executeTakeFirst();
        const agenda = await trx
          .selectFrom('follow_up_agendas')
          .select('talk_about')
          .where('follow_up_id', '=', followUpId)
          .executeTakeFirst();
        audit({
          action: 'create',
          dataCategory: 'follow-up note',
          patientIds: [patientId],
        });
        // Baseline as on the card and the worklist (domain/followup/treat-to-target.ts).
        const phq9 = await trx
          .selectFrom('questionnaire_responses')
          .select(['total_score', 'answered_at'])
          .where('patient_id', '=', patientId)
          .where('instrument', '=', 'phq9')
          .execute();
        const baseline = baselinePhq9(
          phq9.map((p) => ({ answeredAt: new Date(p.answered_at), total: p.total_score })),
          enrolment?.started_at ? new Date(enrolment.started_at) : null,
          enrolment?.baseline_phq9 ?? null
        );
        // Urgent cases closed since the previous note: what was done goes into the record.
        const previousNote = await trx
          .selectFrom('follow_up_notes')
          .select('created_at')
          .where('patient_id', '=', patientId)
          .where('created_at', '<', now)
          .orderBy('created_at', 'desc')
          .limit(1)
          .executeTakeFirst();
        const urgentCases = await trx
          .selectFrom('urgent_cases as c')
          .innerJoin('safety_alerts as a', 'a.case_id', 'c.id')
          .select([
            'c.opened_at',
            'c.contact',
            'c.assessment',
            'c.plan',
            (eb) => eb.fn.max('a.item9_score').as('item9_max'),
          ])
          .where('c.patient_id', '=', patientId)
          .where('c.closed_at', 'is not', null)
          .where('c.closed_at', '>', previousNote ? new Date(previousNote.created_at) : new Date(0))
          .groupBy(['c.id', 'c.opened_at', 'c.contact', 'c.assessment', 'c.plan'])
          .orderBy('c.opened_at')
          .execute();
        return {
          next,
          latest,
          baseline: baseline?.total ?? null,
          agenda: agenda?.talk_about ?? null,
          urgentCases: urgentCases.map((c) => ({
            openedAt: new Date(c.opened_at),
            item9Max: Number(c.item9_max),
            contact: c.contact!,
            assessment: c.assessment ?? '',
            plan: c.plan ?? '',
          })),
        };
      });
      // As on the card: the note names the module the patient has done, never one ahead of them.
      const completedModules = await app.db
        .selectFrom('module_progress')
        .select('module_id')
        .where('patient_id', '=', patientId)
        .where('completed_at', 'is not', null)
        .execute();
      const moduleId = moduleOfTalk(
        followUp.module_id as ModuleId | null,
        completedModules.map((m) => m.module_id as ModuleId),
        MODULE_IDS
      );
      const noteText = consultationNoteText(
        note,
        {
          moduleNumber: moduleId ? MODULE_CONTENT[moduleId][lang].number : null,
          moduleTitle: moduleId ? MODULE_CONTENT[moduleId][lang].title : null,
          phq9: result.latest
            ? {
                total: result.latest.total_score,
                severity: result.latest.severity,
                item9: result.latest.item9_score ?? 0,
              }
            : null,
          baselinePhq9: result.baseline,
          patientAgenda: result.agenda?.trim() || null,
          nextFollowUpAt: result.next ? new Date(result.next.planned_at) : null,
          urgentCases: result.urgentCases,
          feeCodes: body.feeCodes,
        },
        lang
      );
      const reviewed = Boolean(
        result.latest && now.getTime() - new Date(result.latest.answered_at).getTime() < 7 * DAY
      );
      reply.code(201);
      return {
        noteText,
        feeCodeSuggestions: suggestFeeCodes(note, reviewed).map((c) => ({ code: c.code, why: c.why[lang] })),
        nextFollowUp: result.next
          ? { id: result.next.id, plannedAt: new Date(result.next.planned_at).toISOString() }
          : null,
      };
    }
  );

  app.post(
    '/api/patients/:patientId/decisions',
    {
      config: { access: TREATING_GP },
      schema: {
        params: Type.Object({ patientId: Uuid }),
        body: Type.Object(
          {
            week: Type.Integer({ minimum: 0, maximum: 52 }),
            choice: Type.Enum(DECISIONS),
            note: Type.Optional(Type.String({ maxLength: 2000 })),
          },
          { additionalProperties: false }
        ),
        response: { 201: Type.Object({ choice: Type.String(), planChange: Type.String() }), ...commonErrors },
      },
    },
    async (request, reply) => {
      const { patientId } = request.params;
      const now = app.now();
      const planChange = await auditedTransaction(request, now, async (trx, audit) => {
        await trx
          .insertInto('treatment_decisions')
          .values({
            patient_id: patientId,
            decided_by: request.actor!.userId,
            decided_at: now,
            week: request.body.week,
            choice: request.body.choice,
            note: request.body.note?.trim() || null,
          })
          .execute();
        let change = 'none';
        if (request.body.choice === 'more_gp_talks') {
          // One extra talk within a week, before the next module follow-up.
          const at = new Date(now.getTime() + 7 * DAY);
          at.setUTCHours(8, 0, 0, 0);
          await trx
            .insertInto('follow_ups')
            .values({
              patient_id: patientId,
              gp_user_id: followUpOwner(request.actor!, request.patientAccess!.listGpUserIds),
              module_id: null,
              planned_at: at,
              duration_minutes: 20,
              kind: 'extra',
              created_at: now,
            })
            .execute();
          change = 'extra_follow_up_planned';
        }
        if (request.body.choice === 'refer_dps' || request.body.choice === 'low_threshold_service')
          change = 'program_continues_alongside_referral';
        if (request.body.choice === 'consider_medication') change = 'medication_talk_at_next_follow_up';
        audit({
          action: 'create',
          dataCategory: 'treatment decision',
          patientIds: [patientId],
        });
        return change;
      });
      reply.code(201);
      return { choice: request.body.choice, planChange };
    }
  );

  app.get(
    '/api/patients/:patientId/timeline',
    {
      config: { access: PATIENT_OR_TREATING_GP },
      schema: {
        params: Type.Object({ patientId: Uuid }),
        response: {
          200: Type.Object({
            items: Type.Array(
              Type.Object({
                at: Type.String(),
                kind: Type.String(),
                detail: Type.Record(Type.String(), Type.Union([Type.String(), Type.Number(), Type.Null()])),
              })
            ),
          }),
          ...commonErrors,
        },
      },
    },
    async (request) => {
      const { patientId } = request.params;
      const [enrolment, responses, modules, notes, decisions, invitations, earlyOpenings] = await Promise.all(
        [
          app.db
            .selectFrom('program_enrolments as e')
            .innerJoin('users as u', 'u.id', 'e.recommended_by')
            .select([
              'e.recommended_at',
              'e.guidance_level',
              'e.baseline_phq9',
              'e.started_at',
              'e.finished_at',
              'u.display_name',
            ])
            .where('e.patient_id', '=', patientId)
            .executeTakeFirst(),
          app.db
            .selectFrom('questionnaire_responses')
            .select(['instrument', 'answered_at', 'total_score'])
            .where('patient_id', '=', patientId)
            .execute(),
          app.db
            .selectFrom('module_progress')
            .select(['module_id', 'completed_at'])
            .where('patient_id', '=', patientId)
            .where('completed_at', 'is not', null)
            .execute(),
          app.db
            .selectFrom('follow_up_notes')
            .select(['created_at', 'duration_minutes'])
            .where('patient_id', '=', patientId)
            .execute(),
          app.db
            .selectFrom('treatment_decisions')
            .select(['decided_at', 'choice', 'week'])
            .where('patient_id', '=', patientId)
            .execute(),
          app.db
            .selectFrom('invitations')
            .select(['created_at', 'used_at'])
            .where('patient_id', '=', patientId)
            .execute(),
          app.db
            .selectFrom('module_early_openings as o')
            .innerJoin('users as u', 'u.id', 'o.opened_by')
            .select(['o.module_id', 'o.opened_at', 'o.reason', 'u.display_name'])
            .where('o.patient_id', '=', patientId)
            .execute(),
        ]
      );
      const items: { at: string; kind: string; detail: Record<string, string | number | null> }[] = [];
      const iso = (d: Date | string) => new Date(d).toISOString();
      if (enrolment) {
        items.push({
          at: iso(enrolment.recommended_at),
          kind: 'recommended',
          detail: {
            by: enrolment.display_name,
            guidanceLevel: enrolment.guidance_level,
            baselinePhq9: enrolment.baseline_phq9,
          },
        });
        if (enrolment.started_at) items.push({ at: iso(enrolment.started_at), kind: 'started', detail: {} });
        if (enrolment.finished_at)
          items.push({ at: iso(enrolment.finished_at), kind: 'finished', detail: {} });
      }
      for (const r of responses)
        items.push({ at: iso(r.answered_at), kind: r.instrument, detail: { total: r.total_score } });
      for (const m of modules)
        items.push({ at: iso(m.completed_at!), kind: 'module_completed', detail: { moduleId: m.module_id } });
      for (const n of notes)
        items.push({
          at: iso(n.created_at),
          kind: 'follow_up_held',
          detail: { minutes: n.duration_minutes },
        });
      for (const d of decisions)
        items.push({ at: iso(d.decided_at), kind: 'decision', detail: { choice: d.choice, week: d.week } });
      for (const i of invitations) {
        items.push({ at: iso(i.created_at), kind: 'invitation_created', detail: {} });
        if (i.used_at) items.push({ at: iso(i.used_at), kind: 'invitation_used', detail: {} });
      }
      for (const o of earlyOpenings)
        items.push({
          at: iso(o.opened_at),
          kind: 'module_opened_early',
          detail: { moduleId: o.module_id, by: o.display_name, reason: o.reason },
        });
      items.sort((a, b) => b.at.localeCompare(a.at));
      await audit(request, 'read', 'timeline', patientId);
      return { items };
    }
  );
};

export default followUpRoutes;

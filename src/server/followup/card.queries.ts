/**
 * The one-screen card for a 20-minute follow-up (issue 12 §1): the agenda, alerts, the change since
 * last time, the module's digest and suggested questions, and the decisions due. Opening it is a
 * read, recorded in the audit log; it changes nothing (seeing an alert is not acknowledging it).
 */
import { MODULE_CONTENT } from '../../content/modules.js';
import type {
  FollowUpCard,
  FollowUpModuleId,
  Gad7Severity,
  Phq9Severity,
  WsasBand,
} from '../../contract/followup.js';
import type { Locale } from '../../domain/instruments/phq9.js';
import { moduleOfTalk } from '../../domain/followup/plan.js';
import { treatToTarget } from '../../domain/followup/treat-to-target.js';
import { patientOutcome } from '../../domain/outcomes/patient-outcome.js';
import type { CourseDates } from '../../domain/outcomes/talking-therapies.js';
import { MODULE_IDS, type ModuleId } from '../../domain/program/progress.js';
import type { DataContext } from '../access/data-context.js';
import { loadProgram } from '../program/program-state.js';
import { findFollowUp } from './follow-up-shared.js';

export async function loadCard(
  ctx: DataContext,
  patientId: string,
  followUpId: string,
  lang: Locale
): Promise<FollowUpCard> {
  const followUp = await findFollowUp(ctx.db, patientId, followUpId);
  const now = ctx.now;
  const [patient, program, agenda, measurements, shared, previousNotes, alerts, enrolment, previousFollowUp] =
    await Promise.all([
      ctx.db
        .selectFrom('patients')
        .select(['id', 'display_name', 'birth_year', 'sex'])
        .where('id', '=', patientId)
        .executeTakeFirstOrThrow(),
      loadProgram(ctx.db, patientId, now),
      ctx.db
        .selectFrom('follow_up_agendas')
        .selectAll()
        .where('follow_up_id', '=', followUpId)
        .executeTakeFirst(),
      ctx.db
        .selectFrom('questionnaire_responses')
        .select(['instrument', 'answered_at', 'total_score', 'severity', 'item9_score', 'work_status'])
        .where('patient_id', '=', patientId)
        .orderBy('answered_at')
        .execute(),
      ctx.db
        .selectFrom('workbook_entries')
        .selectAll()
        .where('patient_id', '=', patientId)
        .where('shared_with_gp', '=', true)
        .orderBy('updated_at', 'desc')
        .execute(),
      ctx.db
        .selectFrom('follow_up_notes')
        .selectAll()
        .where('patient_id', '=', patientId)
        .orderBy('created_at', 'desc')
        .limit(3)
        .execute(),
      ctx.db
        .selectFrom('safety_alerts')
        .selectAll()
        .where('patient_id', '=', patientId)
        .orderBy('created_at', 'desc')
        .execute(),
      ctx.db
        .selectFrom('program_enrolments')
        .selectAll()
        .where('patient_id', '=', patientId)
        .executeTakeFirst(),
      ctx.db
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
  const [changedSince, decisions, messagesSince] = await Promise.all([
    ctx.db
      .selectFrom('workbook_entries')
      .select((eb) => eb.fn.countAll<number>().as('n'))
      .where('patient_id', '=', patientId)
      .where('updated_at', '>', since)
      .executeTakeFirstOrThrow(),
    ctx.db
      .selectFrom('treatment_decisions')
      .select(['week', 'choice', 'decided_at'])
      .where('patient_id', '=', patientId)
      .orderBy('decided_at')
      .execute(),
    // The thread messages since the last held follow-up (issue 17), oldest first.
    ctx.db
      .selectFrom('thread_messages as m')
      .innerJoin('message_threads as t', 't.id', 'm.thread_id')
      .innerJoin('users as u', 'u.id', 'm.author_user_id')
      .select(['m.id', 'm.thread_id', 't.subject', 'm.author_role', 'u.display_name', 'm.body', 'm.sent_at'])
      .where('t.patient_id', '=', patientId)
      .where('m.sent_at', '>', since)
      .orderBy('m.sent_at')
      .execute(),
  ]);
  // The module this talk is about (domain/followup/plan.ts): never one not completed. Before
  // any module the card still shows module 1's digest, marked as not yet done.
  const completed = program.modules.filter((m) => m.completedAt);
  const talkModule = moduleOfTalk(
    followUp.module_id as ModuleId | null,
    completed.map((m) => m.id),
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
  await ctx.recordRead({ action: 'read', dataCategory: 'follow-up card', patientIds: [patientId] });
  return {
    followUp: {
      id: followUp.id,
      plannedAt: new Date(followUp.planned_at).toISOString(),
      durationMinutes: followUp.duration_minutes,
      moduleId: followUp.module_id as FollowUpModuleId | null,
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
        severity: m.severity as Phq9Severity,
        item9: m.item9_score ?? 0,
      })),
      wsas: measurements
        .filter((m) => m.instrument === 'wsas')
        .map((m) => ({
          answeredAt: new Date(m.answered_at).toISOString(),
          total: m.total_score,
          band: m.severity as WsasBand,
          workStatus: m.work_status,
        })),
      gad7: measurements
        .filter((m) => m.instrument === 'gad7')
        .map((m) => ({
          answeredAt: new Date(m.answered_at).toISOString(),
          total: m.total_score,
          severity: m.severity as Gad7Severity,
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
        moduleId: e.module_id as FollowUpModuleId,
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
    outcome: outcomeOf(
      measurements,
      program.status,
      enrolment ? { recommendedAt: enrolment.recommended_at, finishedAt: enrolment.finished_at } : null,
      ctx.now
    ),
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
    messagesSince: messagesSince.map((m) => ({
      id: m.id,
      threadId: m.thread_id,
      subject: m.subject,
      authorRole: m.author_role,
      authorName: m.display_name,
      body: m.body,
      sentAt: new Date(m.sent_at).toISOString(),
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

type MeasurementRow = {
  instrument: string;
  answered_at: Date | string;
  total_score: number;
  work_status: string | null;
};

/** The patient's outcome from their measurements (one definition: domain/outcomes). */
export function outcomeOf(
  measurements: readonly MeasurementRow[],
  programStatus: string,
  course: CourseDates | null,
  now: Date
) {
  const series = (instrument: string) =>
    measurements
      .filter((m) => m.instrument === instrument)
      .map((m) => ({ at: m.answered_at, score: m.total_score, workStatus: m.work_status }));
  return patientOutcome({
    phq9: series('phq9'),
    gad7: series('gad7'),
    wsas: series('wsas'),
    programEnded: programStatus === 'finished' || programStatus === 'stopped',
    course,
    now,
  });
}

/**
 * Outcomes (issue 17): one patient's outcome for the GP's patient page and the patient's own page,
 * and the dashboards. The dashboards read one row per patient in ONE statement (grouped
 * subqueries, no query per patient or per GP), and dashboard.ts aggregates them in memory: with
 * 3,000 patients that is a few milliseconds of arithmetic. Only aggregates leave.
 */
import { sql } from 'kysely';
import type {
  GpOutcomes,
  PatientOutcome,
  PlatformOutcomes,
  PracticeOutcomes,
} from '../../contract/outcomes.js';
import { decideDashboardAccess, type DashboardScope } from '../../domain/access/outcome-dashboards.js';
import type { EducationGroup } from '../../domain/outcomes/implementation.js';
import { COURSE_BASELINE_DAYS, COURSE_END_DAYS } from '../../domain/outcomes/talking-therapies.js';
import type { DataContext } from '../access/data-context.js';
import { outcomeOf } from '../followup/card.queries.js';
import { forbidden } from '../problem.js';
import { buildComparison, buildDashboard, type OutcomePatientRow, type RowFilter } from './dashboard.js';

/** The patient's outcome so far: read and audited as the patient's "outcome". */
export async function loadPatientOutcome(ctx: DataContext, patientId: string): Promise<PatientOutcome> {
  const [measurements, enrolment] = await Promise.all([
    ctx.db
      .selectFrom('questionnaire_responses')
      .select(['instrument', 'answered_at', 'total_score', 'work_status'])
      .where('patient_id', '=', patientId)
      .orderBy('answered_at')
      .execute(),
    ctx.db
      .selectFrom('program_enrolments')
      .select(['status', 'recommended_at', 'finished_at'])
      .where('patient_id', '=', patientId)
      .executeTakeFirst(),
  ]);
  await ctx.recordRead({ action: 'read', dataCategory: 'outcome', patientIds: [patientId] });
  return outcomeOf(
    measurements,
    enrolment?.status ?? 'not_recommended',
    enrolment ? { recommendedAt: enrolment.recommended_at, finishedAt: enrolment.finished_at } : null,
    ctx.now
  );
}

type RawTuple = [
  string | null,
  string,
  'female' | 'male',
  number,
  EducationGroup | null,
  string | null,
  string | null,
  boolean,
  boolean,
  boolean,
  boolean,
  boolean,
  number | null,
  number | null,
  number | null,
  number | null,
  number | null,
  number | null,
];

function toRawRow(t: RawTuple): RawRow {
  const [list_gp, practice_id, sex, birth_year, education, work_status, recommended_by] = t;
  const [invitation_used, started, module1_done, first_follow_up_held, finished] = t.slice(
    7,
    12
  ) as boolean[];
  const [phq9_first, phq9_last, phq9_n, gad7_first, gad7_last, gad7_n] = t.slice(12) as (number | null)[];
  return {
    list_gp,
    practice_id,
    sex,
    birth_year,
    education,
    work_status,
    recommended_by,
    invitation_used: invitation_used!,
    started: started!,
    module1_done: module1_done!,
    first_follow_up_held: first_follow_up_held!,
    finished: finished!,
    phq9_first: phq9_first ?? null,
    phq9_last: phq9_last ?? null,
    phq9_n: phq9_n ?? null,
    gad7_first: gad7_first ?? null,
    gad7_last: gad7_last ?? null,
    gad7_n: gad7_n ?? null,
  };
}

interface RawRow {
  list_gp: string | null;
  practice_id: string;
  sex: 'female' | 'male';
  birth_year: number;
  education: EducationGroup | null;
  work_status: string | null;
  recommended_by: string | null;
  invitation_used: boolean;
  started: boolean;
  module1_done: boolean;
  first_follow_up_held: boolean;
  finished: boolean;
  phq9_first: number | null;
  phq9_last: number | null;
  phq9_n: number | null;
  gad7_first: number | null;
  gad7_last: number | null;
  gad7_n: number | null;
}

/**
 * One row per patient who is on a GP's list today or was recommended the programme, with each
 * funnel stage as a yes/no (the dashboards need no dates, and fewer values to carry back keeps
 * this fast on the embedded database). A patient who already had an account when recommended gets
 * no invitation code (docs/followup.md), so for them "invitation used" is the recommendation itself.
 */
export async function loadOutcomeRows(ctx: DataContext): Promise<OutcomePatientRow[]> {
  const now = ctx.now;
  const { rows } = await sql<{ rows: string }>`
    with list as (
      select distinct on (patient_id) patient_id, gp_user_id
      from gp_list_entries
      where valid_from <= ${now} and (valid_to is null or valid_to > ${now})
      order by patient_id, valid_from desc
    ),
    scores as (
      -- The answers of the course only: domain/outcomes inCourse, with its constants.
      select q.patient_id, q.instrument,
        (array_agg(q.total_score order by q.answered_at asc))[1] as first,
        (array_agg(q.total_score order by q.answered_at desc))[1] as last,
        count(*)::int as n
      from questionnaire_responses q
      left join program_enrolments ce on ce.patient_id = q.patient_id
      where q.instrument in ('phq9', 'gad7')
        and (ce.id is null or (
          q.answered_at >= ce.recommended_at - make_interval(days => ${COURSE_BASELINE_DAYS})
          and q.answered_at <= coalesce(ce.finished_at + make_interval(days => ${COURSE_END_DAYS}), ${now})
        ))
      group by q.patient_id, q.instrument
    ),
    work as (
      select distinct on (patient_id) patient_id, work_status
      from questionnaire_responses
      where instrument = 'wsas'
      order by patient_id, answered_at desc
    ),
    invited as (
      select patient_id, min(used_at) as used_at
      from invitations
      where purpose = 'first_login' and used_at is not null
      group by patient_id
    ),
    m1 as (
      select patient_id, completed_at from module_progress where module_id = 'm1' and completed_at is not null
    ),
    held as (
      select patient_id, min(coalesce(held_at, planned_at)) as held_at
      from follow_ups
      where status = 'done'
      group by patient_id
    )
    select coalesce(json_agg(json_build_array(
      list.gp_user_id, p.practice_id, p.sex, p.birth_year, edu.education, work.work_status,
      e.recommended_by,
      (invited.used_at is not null or (e.id is not null and p.user_id is not null)),
      (e.started_at is not null),
      (m1.completed_at is not null),
      (held.held_at is not null),
      coalesce(e.status = 'finished', false),
      phq9.first, phq9.last, phq9.n, gad7.first, gad7.last, gad7.n
    )), '[]')::text as rows
    from patients p
    left join list on list.patient_id = p.id
    left join program_enrolments e on e.patient_id = p.id
    left join patient_education edu on edu.patient_id = p.id
    left join work on work.patient_id = p.id
    left join invited on invited.patient_id = p.id
    left join m1 on m1.patient_id = p.id
    left join held on held.patient_id = p.id
    left join scores phq9 on phq9.patient_id = p.id and phq9.instrument = 'phq9'
    left join scores gad7 on gad7.patient_id = p.id and gad7.instrument = 'gad7'
    where list.gp_user_id is not null or e.id is not null
  `.execute(ctx.db);
  // One JSON text of arrays rather than 3,000 rows of 18 columns: the embedded database decodes
  // one value far faster than many (measured: about half the time; bench:outcomes).
  const raw = JSON.parse(rows[0]?.rows ?? '[]') as RawTuple[];
  return raw.map(toRawRow).map((r) => ({
    listGpUserId: r.list_gp,
    practiceId: r.practice_id,
    sex: r.sex,
    birthYear: r.birth_year,
    education: r.education,
    workStatus: r.work_status,
    recommendedBy: r.recommended_by,
    invitationUsed: r.invitation_used,
    started: r.started,
    module1Done: r.module1_done,
    firstFollowUpHeld: r.first_follow_up_held,
    finished: r.finished,
    phq9: r.phq9_n !== null && r.phq9_n >= 2 ? { first: r.phq9_first!, last: r.phq9_last! } : null,
    gad7: r.gad7_n !== null && r.gad7_n >= 2 ? { first: r.gad7_first!, last: r.gad7_last! } : null,
  }));
}

function filterFor(ctx: DataContext, scope: DashboardScope): { filter: RowFilter; ownPoint: string | null } {
  const decision = decideDashboardAccess(ctx.actor, scope);
  if (!decision.allowed) throw forbidden();
  return { filter: decision.filter, ownPoint: decision.ownPoint };
}

/** The GP's own figures beside the platform's, with every other GP an anonymous point. */
export async function gpOutcomes(ctx: DataContext): Promise<GpOutcomes> {
  const own = filterFor(ctx, 'own');
  const platform = filterFor(ctx, 'platform');
  const rows = await loadOutcomeRows(ctx);
  await ctx.recordRead({
    action: 'read',
    dataCategory: 'aggregate: own outcome figures',
    patientIds: [null],
  });
  return {
    own: buildDashboard(rows, own.filter, 'own', ctx.now),
    platform: buildDashboard(rows, platform.filter, 'platform', ctx.now),
    comparison: buildComparison(rows, own.ownPoint),
  };
}

/** The practice's aggregate, for the GPs of that practice. */
export async function practiceOutcomes(ctx: DataContext): Promise<PracticeOutcomes> {
  const { filter } = filterFor(ctx, 'practice');
  const rows = await loadOutcomeRows(ctx);
  await ctx.recordRead({
    action: 'read',
    dataCategory: 'aggregate: practice outcome figures',
    patientIds: [null],
  });
  return { practice: buildDashboard(rows, filter, 'practice', ctx.now) };
}

/** The platform's figures for researchers: aggregates and anonymous GP points only. */
export async function platformOutcomes(ctx: DataContext): Promise<PlatformOutcomes> {
  const { filter, ownPoint } = filterFor(ctx, 'platform');
  const rows = await loadOutcomeRows(ctx);
  await ctx.recordRead({
    action: 'read',
    dataCategory: 'aggregate: platform outcome figures',
    patientIds: [null],
  });
  return {
    platform: buildDashboard(rows, filter, 'platform', ctx.now),
    comparison: buildComparison(rows, ownPoint),
  };
}

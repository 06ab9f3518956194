/**
 * The research extract's rows from the platform's data (schema.ts): pseudonymised keys, dates to
 * the day, the funnel per course (domain furthestStage) and the outcome flags per course (domain
 * courseOutcome). Pure: the caller loads the data and gives the keyed pseudonym function.
 */
import {
  courseOutcome,
  outcomeFlags,
  pairFromSeries,
  inCourse,
  type DatedScore,
} from '../../domain/outcomes/talking-therapies.js';
import { furthestStage } from '../../domain/outcomes/implementation.js';
import type { ExtractRow, ExtractTableName } from './schema.js';

export type KeyKind = 'practice' | 'gp' | 'patient' | 'enrolment' | 'follow_up' | 'measurement';
export type Pseudonym = (kind: KeyKind, id: string) => string;

export interface PlatformData {
  /** When the extract is made. */
  now: Date;
  practices: { id: string; synthetic: boolean }[];
  gps: { id: string; practice_id: string | null }[];
  patients: {
    id: string;
    practice_id: string;
    sex: string;
    birth_year: number;
    gp_id: string | null;
    listed_from: Date | null;
    education_asked: boolean;
    education: string | null;
    consent_given_at: Date | null;
  }[];
  enrolments: {
    id: string;
    patient_id: string;
    status: string;
    guidance_level: string;
    recommended_by: string;
    recommended_at: Date;
    started_at: Date | null;
    finished_at: Date | null;
    modules_completed: number;
    baseline_phq9: number | null;
  }[];
  /** Every used first-login invitation. */
  invitationsUsed: { patient_id: string; used_at: Date }[];
  modules: {
    patient_id: string;
    module_id: string;
    started_at: Date;
    completed_at: Date | null;
    seconds_spent: number;
  }[];
  followUps: {
    id: string;
    patient_id: string;
    gp_user_id: string;
    module_id: string | null;
    kind: string;
    status: string;
    planned_at: Date;
    held_at: Date | null;
  }[];
  measurements: {
    id: string;
    patient_id: string;
    instrument: string;
    answered_at: Date;
    total_score: number;
    work_status: string | null;
  }[];
}

/** A day as YYYY-MM-DD (UTC). */
export const day = (d: Date | null): string | null => (d ? new Date(d).toISOString().slice(0, 10) : null);

const earliest = (dates: readonly (Date | null)[]): Date | null => {
  let best: Date | null = null;
  for (const d of dates) if (d && (!best || d.getTime() < best.getTime())) best = d;
  return best;
};

const group = <T>(rows: readonly T[], key: (row: T) => string): Map<string, T[]> => {
  const out = new Map<string, T[]>();
  for (const row of rows) {
    const k = key(row);
    const list = out.get(k);
    if (list) list.push(row);
    else out.set(k, [row]);
  }
  return out;
};

export function buildExtractRows(data: PlatformData, key: Pseudonym): Record<ExtractTableName, ExtractRow[]> {
  const gpsByPractice = group(data.gps, (g) => g.practice_id ?? '');
  const invitations = group(data.invitationsUsed, (i) => i.patient_id);
  const modules = group(data.modules, (m) => m.patient_id);
  const followUps = group(data.followUps, (f) => f.patient_id);
  const enrolmentsByPatient = group(data.enrolments, (e) => e.patient_id);
  const gpKey = (id: string | null) => (id ? key('gp', id) : null);

  // The course each measurement belongs to, and its order within patient and instrument.
  const courseOf = (patientId: string, at: Date): string | null => {
    for (const e of enrolmentsByPatient.get(patientId) ?? []) {
      if (inCourse(at, { recommendedAt: e.recommended_at, finishedAt: e.finished_at }, data.now)) return e.id;
    }
    return null;
  };
  const sorted = [...data.measurements].sort(
    (a, b) =>
      a.patient_id.localeCompare(b.patient_id) ||
      a.instrument.localeCompare(b.instrument) ||
      a.answered_at.getTime() - b.answered_at.getTime() ||
      a.id.localeCompare(b.id)
  );
  const measurementRows: ExtractRow[] = [];
  const series = new Map<string, { phq9: DatedScore[]; gad7: DatedScore[] }>();
  let previous = '';
  let sequence = 0;
  for (const m of sorted) {
    const k = `${m.patient_id}/${m.instrument}`;
    sequence = k === previous ? sequence + 1 : 1;
    previous = k;
    const course = courseOf(m.patient_id, m.answered_at);
    measurementRows.push({
      measurement_key: key('measurement', m.id),
      patient_key: key('patient', m.patient_id),
      enrolment_key: course ? key('enrolment', course) : null,
      instrument: m.instrument,
      answered_on: day(m.answered_at),
      sequence,
      total_score: m.total_score,
      work_status: m.work_status,
    });
    if (course && (m.instrument === 'phq9' || m.instrument === 'gad7')) {
      const s = series.get(course) ?? { phq9: [], gad7: [] };
      s[m.instrument].push({ at: m.answered_at, score: m.total_score });
      series.set(course, s);
    }
  }

  const enrolmentRows: ExtractRow[] = [];
  const outcomeRows: ExtractRow[] = [];
  for (const e of data.enrolments) {
    const after = (d: Date | null) => (d && d.getTime() >= e.recommended_at.getTime() ? d : null);
    const facts = {
      recommendedAt: e.recommended_at,
      invitationUsedAt: earliest((invitations.get(e.patient_id) ?? []).map((i) => after(i.used_at))),
      startedAt: e.started_at,
      module1DoneAt: earliest(
        (modules.get(e.patient_id) ?? []).filter((m) => m.module_id === 'm1').map((m) => m.completed_at)
      ),
      firstFollowUpHeldAt: earliest(
        (followUps.get(e.patient_id) ?? []).filter((f) => f.status === 'done').map((f) => after(f.held_at))
      ),
      finishedAt: e.finished_at,
    };
    enrolmentRows.push({
      enrolment_key: key('enrolment', e.id),
      patient_key: key('patient', e.patient_id),
      gp_key: key('gp', e.recommended_by),
      status: e.status,
      guidance_level: e.guidance_level,
      recommended_on: day(facts.recommendedAt),
      invitation_used_on: day(facts.invitationUsedAt),
      started_on: day(facts.startedAt),
      module1_done_on: day(facts.module1DoneAt),
      first_follow_up_held_on: day(facts.firstFollowUpHeldAt),
      finished_on: day(facts.finishedAt),
      modules_completed: e.modules_completed,
      furthest_stage: furthestStage(facts),
      baseline_phq9: e.baseline_phq9,
    });
    const s = series.get(e.id);
    const outcome = s
      ? courseOutcome({ phq9: pairFromSeries(s.phq9), gad7: pairFromSeries(s.gad7) })
      : undefined;
    if (!outcome) continue;
    const phq = outcome.changes.find((c) => c.measure === 'phq9')!;
    const gad = outcome.changes.find((c) => c.measure === 'gad7');
    outcomeRows.push({
      enrolment_key: key('enrolment', e.id),
      patient_key: key('patient', e.patient_id),
      gp_key: key('gp', e.recommended_by),
      course_finished: e.status === 'finished',
      basis: outcome.basis,
      phq9_first: phq.first,
      phq9_last: phq.last,
      gad7_first: gad?.first ?? null,
      gad7_last: gad?.last ?? null,
      ...outcomeFlags(outcome),
    });
  }

  return {
    practices: data.practices.map((p) => ({
      practice_key: key('practice', p.id),
      synthetic: p.synthetic,
      gps: gpsByPractice.get(p.id)?.length ?? 0,
    })),
    gps: data.gps.map((g) => ({
      gp_key: key('gp', g.id),
      practice_key: g.practice_id ? key('practice', g.practice_id) : null,
    })),
    patients: data.patients.map((p) => ({
      patient_key: key('patient', p.id),
      practice_key: key('practice', p.practice_id),
      gp_key: gpKey(p.gp_id),
      sex: p.sex,
      birth_year: p.birth_year,
      listed_from: day(p.listed_from),
      education_asked: p.education_asked,
    })),
    education: data.patients
      .filter((p) => p.education !== null && p.consent_given_at !== null)
      .map((p) => ({
        patient_key: key('patient', p.id),
        education: p.education,
        consented_on: day(p.consent_given_at),
      })),
    enrolments: enrolmentRows,
    module_progress: data.modules.map((m) => ({
      patient_key: key('patient', m.patient_id),
      module_id: m.module_id,
      started_on: day(m.started_at),
      completed_on: day(m.completed_at),
      seconds_spent: m.seconds_spent,
    })),
    follow_ups: data.followUps.map((f) => ({
      follow_up_key: key('follow_up', f.id),
      patient_key: key('patient', f.patient_id),
      gp_key: key('gp', f.gp_user_id),
      module_id: f.module_id,
      kind: f.kind,
      status: f.status,
      planned_on: day(f.planned_at),
      held_on: day(f.held_at),
    })),
    measurements: measurementRows,
    outcomes: outcomeRows,
  };
}

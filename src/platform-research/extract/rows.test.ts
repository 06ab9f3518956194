import { describe, expect, it } from 'vitest';
import { buildExtractRows, type PlatformData } from './rows.js';

const d = (s: string) => new Date(s);
const data: PlatformData = {
  now: d('2026-06-01T12:00:00Z'),
  practices: [{ id: 'pr1', synthetic: false }],
  gps: [{ id: 'gp1', practice_id: 'pr1' }],
  patients: [
    {
      id: 'pa1',
      practice_id: 'pr1',
      sex: 'female',
      birth_year: 1980,
      gp_id: 'gp1',
      listed_from: d('2020-01-01T00:00:00Z'),
      education_asked: true,
      education: 'low',
      consent_given_at: d('2026-01-02T10:00:00Z'),
    },
    {
      id: 'pa2',
      practice_id: 'pr1',
      sex: 'male',
      birth_year: 1990,
      gp_id: 'gp1',
      listed_from: null,
      education_asked: true,
      education: null,
      consent_given_at: null,
    },
  ],
  enrolments: [
    {
      id: 'e1',
      patient_id: 'pa1',
      status: 'finished',
      guidance_level: 'guided',
      recommended_by: 'gp1',
      recommended_at: d('2026-01-10T09:00:00Z'),
      started_at: d('2026-01-12T09:00:00Z'),
      finished_at: d('2026-03-20T09:00:00Z'),
      modules_completed: 5,
      baseline_phq9: 16,
    },
  ],
  invitationsUsed: [{ patient_id: 'pa1', used_at: d('2026-01-12T09:00:00Z') }],
  modules: [
    {
      patient_id: 'pa1',
      module_id: 'm1',
      started_at: d('2026-01-12T09:00:00Z'),
      completed_at: d('2026-01-18T09:00:00Z'),
      seconds_spent: 900,
    },
  ],
  followUps: [
    {
      id: 'f1',
      patient_id: 'pa1',
      gp_user_id: 'gp1',
      module_id: 'm1',
      kind: 'module',
      status: 'done',
      planned_at: d('2026-01-26T09:00:00Z'),
      held_at: d('2026-01-26T09:00:00Z'),
    },
  ],
  measurements: [
    // Out of the course: long before the recommendation.
    {
      id: 'q0',
      patient_id: 'pa1',
      instrument: 'phq9',
      answered_at: d('2025-06-01T09:00:00Z'),
      total_score: 3,
      work_status: null,
    },
    {
      id: 'q1',
      patient_id: 'pa1',
      instrument: 'phq9',
      answered_at: d('2026-01-10T09:00:00Z'),
      total_score: 16,
      work_status: null,
    },
    {
      id: 'q2',
      patient_id: 'pa1',
      instrument: 'gad7',
      answered_at: d('2026-01-10T09:01:00Z'),
      total_score: 12,
      work_status: null,
    },
    // The end-of-treatment answers, an hour after the finish: still the course's.
    {
      id: 'q3',
      patient_id: 'pa1',
      instrument: 'phq9',
      answered_at: d('2026-03-20T10:00:00Z'),
      total_score: 6,
      work_status: null,
    },
    {
      id: 'q4',
      patient_id: 'pa1',
      instrument: 'gad7',
      answered_at: d('2026-03-20T10:01:00Z'),
      total_score: 5,
      work_status: null,
    },
    {
      id: 'q5',
      patient_id: 'pa1',
      instrument: 'wsas',
      answered_at: d('2026-03-20T10:02:00Z'),
      total_score: 9,
      work_status: 'working',
    },
  ],
};

describe('buildExtractRows', () => {
  const rows = buildExtractRows(data, (kind, id) => `${kind}#${id}`);

  it('keys every id through the pseudonym function and keeps days only', () => {
    expect(rows.patients[0]).toEqual({
      patient_key: 'patient#pa1',
      practice_key: 'practice#pr1',
      gp_key: 'gp#gp1',
      sex: 'female',
      birth_year: 1980,
      listed_from: '2020-01-01',
      education_asked: true,
    });
    expect(rows.education).toEqual([
      { patient_key: 'patient#pa1', education: 'low', consented_on: '2026-01-02' },
    ]);
  });

  it('gives the funnel dates and the furthest stage', () => {
    expect(rows.enrolments[0]).toMatchObject({
      recommended_on: '2026-01-10',
      invitation_used_on: '2026-01-12',
      module1_done_on: '2026-01-18',
      first_follow_up_held_on: '2026-01-26',
      finished_on: '2026-03-20',
      furthest_stage: 'finished',
    });
  });

  it("orders answers, ties them to the course, and computes the outcome on the course's first and last", () => {
    expect(rows.measurements.map((m) => [m.measurement_key, m.sequence, m.enrolment_key])).toEqual([
      ['measurement#q2', 1, 'enrolment#e1'],
      ['measurement#q4', 2, 'enrolment#e1'],
      ['measurement#q0', 1, null],
      ['measurement#q1', 2, 'enrolment#e1'],
      ['measurement#q3', 3, 'enrolment#e1'],
      ['measurement#q5', 1, 'enrolment#e1'],
    ]);
    expect(rows.outcomes).toEqual([
      {
        enrolment_key: 'enrolment#e1',
        patient_key: 'patient#pa1',
        gp_key: 'gp#gp1',
        course_finished: true,
        basis: 'phq9_and_gad7',
        phq9_first: 16,
        phq9_last: 6,
        gad7_first: 12,
        gad7_last: 5,
        caseness_at_start: true,
        reliable_improvement: true,
        reliable_deterioration: false,
        recovery: true,
        reliable_recovery: true,
      },
    ]);
  });
});

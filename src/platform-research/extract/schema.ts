/**
 * The platform's research extract (issue 17): a pseudonymised, person-level copy of the platform's
 * own data, one Parquet file per entity. This definition is the single source: the extract writes
 * it (platform-research/extract/rows.ts builds the rows, parquet.ts writes them), and
 * docs/platform-extract.md is generated from it (`npm run platform:extract -- --schema-doc`).
 *
 * Keys are keyed HMACs of the platform's ids with a key made for each extract and never stored:
 * the same person has the same key in every table of one extract and a different key in the next.
 * No names, no national ids, no free text; birth year only; dates to the day.
 */

export type ColumnType = 'VARCHAR' | 'INTEGER' | 'BOOLEAN' | 'DATE';

export interface ColumnDef {
  name: string;
  type: ColumnType;
  nullable: boolean;
  description: string;
}

export interface ExtractTableDef {
  name: string;
  description: string;
  columns: readonly ColumnDef[];
  /** Rows are written in this order. */
  orderBy: readonly string[];
}

const col = (name: string, type: ColumnType, description: string, nullable = false): ColumnDef => ({
  name,
  type,
  nullable,
  description,
});

const KEY = 'Pseudonymous key (keyed HMAC, this extract only).';

export const EXTRACT_TABLES = [
  {
    name: 'practices',
    description: 'One row per practice.',
    orderBy: ['practice_key'],
    columns: [
      col('practice_key', 'VARCHAR', KEY),
      col(
        'synthetic',
        'BOOLEAN',
        'The practice was made by `npm run platform:simulate` (or is the demo practice): its data are synthetic.'
      ),
      col('gps', 'INTEGER', 'GPs (users with the GP role) in the practice at the time of the extract.'),
    ],
  },
  {
    name: 'gps',
    description: 'One row per GP (user with the GP role).',
    orderBy: ['gp_key'],
    columns: [col('gp_key', 'VARCHAR', KEY), col('practice_key', 'VARCHAR', 'Practice.', true)],
  },
  {
    name: 'patients',
    description: 'One row per patient registered in the platform.',
    orderBy: ['patient_key'],
    columns: [
      col('patient_key', 'VARCHAR', KEY),
      col('practice_key', 'VARCHAR', 'Practice the patient belongs to.'),
      col(
        'gp_key',
        'VARCHAR',
        'The GP whose list the patient is on at the time of the extract (null: none).',
        true
      ),
      col('sex', 'VARCHAR', "'female' or 'male'."),
      col('birth_year', 'INTEGER', 'Year of birth (no date).'),
      col('listed_from', 'DATE', 'First day on the current GP list.', true),
      col(
        'education_asked',
        'BOOLEAN',
        'The patient was asked about education (answered with consent, or declined). The answer itself is in `education`.'
      ),
    ],
  },
  {
    name: 'education',
    description:
      'Highest completed education, only for patients who answered and consented to its use (domain/outcomes/implementation.ts EDUCATION_GROUPS). A patient who declined has no row.',
    orderBy: ['patient_key'],
    columns: [
      col('patient_key', 'VARCHAR', 'Patient.'),
      col('education', 'VARCHAR', "'low', 'medium' or 'high' (SSB NUS2000 groups)."),
      col('consented_on', 'DATE', 'Day consent was given.'),
    ],
  },
  {
    name: 'enrolments',
    description:
      "One row per recommendation of the programme (a course), with the implementation funnel's dates (domain/outcomes/implementation.ts FUNNEL_STAGES).",
    orderBy: ['enrolment_key'],
    columns: [
      col('enrolment_key', 'VARCHAR', KEY),
      col('patient_key', 'VARCHAR', 'Patient.'),
      col('gp_key', 'VARCHAR', 'The GP who recommended the programme.'),
      col(
        'status',
        'VARCHAR',
        "'recommended', 'active', 'finished' or 'stopped' at the time of the extract."
      ),
      col('guidance_level', 'VARCHAR', "'guided', 'minimal' or 'self'."),
      col('recommended_on', 'DATE', 'Funnel stage recommended.'),
      col(
        'invitation_used_on',
        'DATE',
        'Funnel stage invitation_used: the first invitation code used.',
        true
      ),
      col('started_on', 'DATE', 'Funnel stage started.', true),
      col('module1_done_on', 'DATE', 'Funnel stage module1_done.', true),
      col('first_follow_up_held_on', 'DATE', 'Funnel stage first_follow_up_held.', true),
      col('finished_on', 'DATE', 'Funnel stage finished.', true),
      col('modules_completed', 'INTEGER', 'Modules completed (0-5).'),
      col(
        'furthest_stage',
        'VARCHAR',
        'The last funnel stage reached with every stage before it (domain furthestStage).'
      ),
      col('baseline_phq9', 'INTEGER', 'PHQ-9 total the GP recorded at the recommendation.', true),
    ],
  },
  {
    name: 'module_progress',
    description: 'One row per module a patient opened.',
    orderBy: ['patient_key', 'module_id'],
    columns: [
      col('patient_key', 'VARCHAR', 'Patient.'),
      col('module_id', 'VARCHAR', "'m1' … 'm5'."),
      col('started_on', 'DATE', 'Opened.'),
      col('completed_on', 'DATE', 'Completed.', true),
      col('seconds_spent', 'INTEGER', 'Time spent in the module, seconds.'),
    ],
  },
  {
    name: 'follow_ups',
    description:
      'One row per follow-up with the GP (planned, held, missed or cancelled); notes are never extracted.',
    orderBy: ['follow_up_key'],
    columns: [
      col('follow_up_key', 'VARCHAR', KEY),
      col('patient_key', 'VARCHAR', 'Patient.'),
      col('gp_key', 'VARCHAR', 'GP.'),
      col('module_id', 'VARCHAR', 'The module it follows.', true),
      col('kind', 'VARCHAR', "'module', 'check_in' or 'extra'."),
      col('status', 'VARCHAR', "'planned', 'done', 'missed' or 'cancelled'."),
      col('planned_on', 'DATE', 'Planned day.'),
      col('held_on', 'DATE', 'Day held.', true),
    ],
  },
  {
    name: 'measurements',
    description:
      "One row per PHQ-9, GAD-7 or WSAS answer: totals only (no item scores, no notes). `sequence` orders a patient's answers to one instrument in time, since days alone can tie.",
    orderBy: ['patient_key', 'instrument', 'sequence'],
    columns: [
      col('measurement_key', 'VARCHAR', KEY),
      col('patient_key', 'VARCHAR', 'Patient.'),
      col(
        'enrolment_key',
        'VARCHAR',
        'The course the answer belongs to: answered from 28 days before the recommendation up to 14 days after the course finished (or up to the extract, if it has not). Null outside every course.',
        true
      ),
      col('instrument', 'VARCHAR', "'phq9', 'gad7' or 'wsas'."),
      col('answered_on', 'DATE', 'Day answered.'),
      col('sequence', 'INTEGER', "1, 2, … in time within the patient's answers to this instrument."),
      col('total_score', 'INTEGER', 'Total score (PHQ-9 0-27, GAD-7 0-21, WSAS 0-40).'),
      col(
        'work_status',
        'VARCHAR',
        'Work status given with a WSAS answer (domain/instruments/wsas.ts).',
        true
      ),
    ],
  },
  {
    name: 'outcomes',
    description:
      "One row per course with a PHQ-9 pair (at least two PHQ-9 totals in the course): NHS Talking Therapies outcome flags computed with the domain's rules (domain/outcomes/talking-therapies.ts courseOutcome) on the course's first and last PHQ-9 and GAD-7 (by `sequence` in `measurements`). Published rates count finished courses only: filter on `course_finished`.",
    orderBy: ['enrolment_key'],
    columns: [
      col('enrolment_key', 'VARCHAR', 'Course.'),
      col('patient_key', 'VARCHAR', 'Patient.'),
      col('gp_key', 'VARCHAR', 'The GP who recommended the programme.'),
      col('course_finished', 'BOOLEAN', 'The course was finished (status finished).'),
      col('basis', 'VARCHAR', "'phq9_and_gad7' or 'phq9_only'."),
      col('phq9_first', 'INTEGER', 'First PHQ-9 total of the course.'),
      col('phq9_last', 'INTEGER', 'Last PHQ-9 total of the course.'),
      col('gad7_first', 'INTEGER', 'First GAD-7 total (null: fewer than two).', true),
      col('gad7_last', 'INTEGER', 'Last GAD-7 total (null: fewer than two).', true),
      col('caseness_at_start', 'BOOLEAN', 'At or above a cut-off at the first score.'),
      col('reliable_improvement', 'BOOLEAN', 'Reliable improvement and no reliable deterioration.'),
      col('reliable_deterioration', 'BOOLEAN', 'Reliable deterioration and no reliable improvement.'),
      col('recovery', 'BOOLEAN', 'Recovery (null: not a case at the start, does not apply).', true),
      col('reliable_recovery', 'BOOLEAN', 'Recovery and reliable improvement (null: does not apply).', true),
    ],
  },
] as const satisfies readonly ExtractTableDef[];

export type ExtractTableName = (typeof EXTRACT_TABLES)[number]['name'];

/** A row of a table: column name → value (null for a missing value; dates as YYYY-MM-DD). */
export type ExtractRow = Record<string, string | number | boolean | null>;

// Long (over 400 lines) because it holds the SQL of every analysis and step side by side, to be read against docs/registry/analyses.md.
/**
 * The GP-DEP analyses as named, parameterised SQL. Each analysis is a pure function from resolved
 * parameters to SQL text over the registry tables by their schema names (persons, kuhr_bills, ...;
 * src/registry/schema/tables.ts), so the same text can run on DuckDB over Parquet (engine/worker.ts
 * maps the names to read_parquet views) or on Trino over the same Parquet (a catalog schema with the
 * same table names). Intermediate results that several analyses use are "steps": materialised once
 * per parameter set under a fixed name (episodes_all, cohort, outcomes, work).
 *
 * Non-ANSI constructs come only from ./sql.ts. The indicator and covariate rules come from
 * ./definitions.ts, which also words them for the report and docs/registry/analyses.md.
 */
import type { ResolvedParams } from './params.js';
import {
  careDiagnosisSql,
  educationYearSql,
  employedAtSql,
  incomeYearSql,
  referralContactSql,
} from './definitions.js';
import {
  addDays,
  dateLit,
  daysBetween,
  flag,
  inInts,
  inList,
  int,
  leastDate,
  startsWithAny,
  toDate,
  yearOf,
} from './sql.js';

export type StepName = 'bills_of_interest' | 'episodes_all' | 'cohort' | 'outcomes' | 'work';

export interface StepDef {
  name: StepName;
  requires: StepName[];
  sql(p: ResolvedParams): string;
}

export interface AnalysisDef {
  id: string;
  description: string;
  requires: StepName[];
  sql(p: ResolvedParams): string;
}

// ---------------------------------------------------------------------------------------------
// Shared SQL fragments

function ageGroup(age: string): string {
  return `CASE WHEN ${age} < 18 THEN '<18' WHEN ${age} < 30 THEN '18-29' WHEN ${age} < 40 THEN '30-39' WHEN ${age} < 50 THEN '40-49'
    WHEN ${age} < 60 THEN '50-59' WHEN ${age} < 70 THEN '60-69' ELSE '70+' END`;
}

function centralityGroup(c: string): string {
  return `CASE WHEN ${c} IN (1, 2) THEN 'central' WHEN ${c} IN (3, 4) THEN 'intermediate' WHEN ${c} IN (5, 6) THEN 'rural' ELSE 'missing' END`;
}

function depressionCodes(p: ResolvedParams, alias: string): string {
  const parts: string[] = [];
  if (p.icpc2Codes.length)
    parts.push(`(${alias}.code_system = 'ICPC-2' AND ${startsWithAny(`${alias}.code`, p.icpc2Codes)})`);
  if (p.icd10Codes.length)
    parts.push(`(${alias}.code_system = 'ICD-10' AND ${startsWithAny(`${alias}.code`, p.icd10Codes)})`);
  const codes = parts.join(' OR ');
  return p.mainDiagnosisOnly ? `(${codes}) AND ${alias}.is_main` : `(${codes})`;
}

function overlaps(fromExpr: string, toExpr: string, start: string, end: string): string {
  return `${fromExpr} <= ${end} AND ${toExpr} >= ${start}`;
}

// ---------------------------------------------------------------------------------------------
// Steps

/**
 * The GP bills any analysis needs, read in one pass over the claims (the largest tables): bills
 * with a depression diagnosis (episodes) and bills with a care tariff that counts (615, 2cd on a
 * bill with a P-chapter diagnosis; definitions.ts). Diagnoses and tariffs are reduced to bill ids
 * first, so the scan of kuhr_bills builds its join on a few million ids, not the other way round.
 */
const billsOfInterest: StepDef = {
  name: 'bills_of_interest',
  requires: [],
  sql: (p) => {
    const tariffs = [...new Set([...p.talkTherapyTariffs, ...p.longConsultationTariffs])];
    const careDx = careDiagnosisSql(p, 'd');
    // A care tariff's bill must carry a care diagnosis: a semi join of the (few) tariff rows against
    // the diagnoses, rather than a grouping of every P-chapter bill.
    return `
WITH dep AS (
  SELECT DISTINCT d.bill_id FROM kuhr_diagnoses d WHERE ${depressionCodes(p, 'd')}
),
care AS (
  SELECT t.bill_id, MAX(${flag(`t.tariff_code IN ${inList(p.talkTherapyTariffs)}`)}) AS is_tt,
    MAX(${flag(`t.tariff_code IN ${inList(p.longConsultationTariffs)}`)}) AS is_long
  FROM kuhr_tariffs t
  WHERE t.tariff_code IN ${inList(tariffs)}${
    careDx === null
      ? ''
      : `
    AND t.bill_id IN (SELECT d.bill_id FROM kuhr_diagnoses d WHERE ${careDx})`
  }
  GROUP BY t.bill_id
),
keyed AS (
  SELECT bill_id, MAX(dep) AS dep, MAX(is_tt) AS is_tt, MAX(is_long) AS is_long FROM (
    SELECT bill_id, 1 AS dep, 0 AS is_tt, 0 AS is_long FROM dep
    UNION ALL SELECT bill_id, 0, is_tt, is_long FROM care
  ) k GROUP BY bill_id
)
SELECT b.bill_id, b.person_id, b.gp_id, b.practice_type, b.contact_time, b.contact_type, k.dep, k.is_tt, k.is_long
FROM kuhr_bills b JOIN keyed k ON k.bill_id = b.bill_id`;
  },
};

/**
 * Every new episode in the index period with the facts the restrictions need (alive and resident,
 * age, the person's episode number, GP list at index), before the restrictions are applied, so the
 * cohort flow can be counted.
 */
const episodesAll: StepDef = {
  name: 'episodes_all',
  requires: ['bills_of_interest'],
  sql: (p) => {
    const qualifying = `b.contact_type IN ${inInts(p.indexContactTypes)}${
      p.excludePracticeTypes.length
        ? ` AND (b.practice_type IS NULL OR b.practice_type NOT IN ${inList(p.excludePracticeTypes)})`
        : ''
    }`;
    return `
WITH dep AS (
  SELECT b.person_id, ${toDate('b.contact_time')} AS d, b.gp_id, ${flag(qualifying)} AS q
  FROM bills_of_interest b WHERE b.dep = 1
),
dep_days AS (
  SELECT person_id, d, MAX(q) AS q, MIN(CASE WHEN q = 1 THEN gp_id END) AS gp_id
  FROM dep ${p.washoutAnyContact ? '' : 'WHERE q = 1'}
  GROUP BY person_id, d
),
seq AS (
  SELECT person_id, d, q, gp_id, LAG(d) OVER (PARTITION BY person_id ORDER BY d) AS prev_d FROM dep_days
),
idx AS (
  SELECT person_id, d AS index_date, gp_id AS index_gp_id
  FROM seq
  WHERE q = 1 AND (prev_d IS NULL OR ${daysBetween('prev_d', 'd')} > ${int(p.washoutDays)})
    AND d BETWEEN ${dateLit(p.indexFrom)} AND ${dateLit(p.indexTo)}
),
res AS (
  -- Residence on the index date (Folkeregisteret history); persons.centrality when there is none.
  SELECT i.person_id, i.index_date, r.centrality,
    ROW_NUMBER() OVER (PARTITION BY i.person_id, i.index_date ORDER BY r.valid_from DESC) AS rn
  FROM idx i JOIN (SELECT * FROM residences WHERE person_id IN (SELECT person_id FROM idx)) r
    ON r.person_id = i.person_id AND r.valid_from <= i.index_date
    AND (r.valid_to IS NULL OR r.valid_to >= i.index_date)
),
pers AS (
  SELECT i.person_id, i.index_date, i.index_gp_id, pe.sex, pe.birth_year,
    COALESCE(res.centrality, pe.centrality) AS centrality, pe.immigrant_category,
    pe.death_date, pe.emigration_date,
    ${yearOf('i.index_date')} - pe.birth_year AS age,
    ${flag(`(pe.death_date IS NULL OR pe.death_date >= i.index_date) AND (pe.emigration_date IS NULL OR pe.emigration_date >= i.index_date)`)} AS present
  FROM idx i JOIN persons pe ON pe.person_id = i.person_id
  LEFT JOIN res ON res.person_id = i.person_id AND res.index_date = i.index_date AND res.rn = 1
),
eligible AS (
  SELECT pers.*,
    ${flag(`age >= ${int(p.minAge)}${p.maxAge === null ? '' : ` AND age <= ${int(p.maxAge)}`}`)} AS age_ok
  FROM pers
),
numbered AS (
  SELECT eligible.*,
    CASE WHEN present = 1 AND age_ok = 1 THEN
      ROW_NUMBER() OVER (PARTITION BY person_id, present * age_ok ORDER BY index_date) END AS episode_no
  FROM eligible
),
lst AS (
  SELECT n.person_id, n.index_date, g.gp_id,
    ROW_NUMBER() OVER (PARTITION BY n.person_id, n.index_date ORDER BY m.valid_from DESC, g.valid_from DESC, g.gp_id) AS rn
  FROM numbered n
  JOIN (SELECT * FROM list_memberships WHERE person_id IN (SELECT person_id FROM idx)) m
    ON m.person_id = n.person_id AND m.valid_from <= n.index_date
    AND (m.valid_to IS NULL OR m.valid_to >= n.index_date)
  JOIN gp_lists g ON g.list_id = m.list_id AND g.valid_from <= n.index_date
    AND (g.valid_to IS NULL OR g.valid_to >= n.index_date)
),
edu AS (
  SELECT n.person_id, n.index_date, e.edu_group,
    ROW_NUMBER() OVER (PARTITION BY n.person_id, n.index_date ORDER BY e.year DESC) AS rn
  FROM numbered n JOIN (SELECT * FROM education WHERE person_id IN (SELECT person_id FROM idx)) e
    ON e.person_id = n.person_id AND ${educationYearSql('e', 'n.index_date')}
),
inc AS (
  -- Household equivalised income (definitions.ts: incomeYear).
  SELECT n.person_id, n.index_date, i.household_eq_income_nok AS hh_income,
    ROW_NUMBER() OVER (PARTITION BY n.person_id, n.index_date ORDER BY i.year DESC) AS rn
  FROM numbered n JOIN (SELECT * FROM income WHERE person_id IN (SELECT person_id FROM idx)) i
    ON i.person_id = n.person_id AND ${incomeYearSql(p, 'i', 'n.index_date')}
),
con AS (
  -- The listed GP's contract form on the index date (RGP gp_contracts).
  SELECT n.person_id, n.index_date, gc.employment,
    ROW_NUMBER() OVER (PARTITION BY n.person_id, n.index_date ORDER BY gc.valid_from DESC) AS rn
  FROM numbered n
  JOIN lst ON lst.person_id = n.person_id AND lst.index_date = n.index_date AND lst.rn = 1
  JOIN gp_contracts gc ON gc.gp_id = lst.gp_id AND gc.valid_from <= n.index_date
    AND (gc.valid_to IS NULL OR gc.valid_to >= n.index_date)
),
emp AS (
  -- Employed at the index date (definitions.ts: employedAtSql).
  SELECT DISTINCT n.person_id, n.index_date
  FROM numbered n JOIN (SELECT * FROM employment WHERE person_id IN (SELECT person_id FROM idx)) j
    ON j.person_id = n.person_id AND ${employedAtSql('j', 'n.index_date')}
)
SELECT n.person_id, n.index_date, ${yearOf('n.index_date')} AS index_year, n.index_gp_id,
  n.sex, n.age, n.present, n.age_ok, n.episode_no,
  ${leastDate(addDays('n.index_date', p.followUpDays - 1), 'n.death_date', 'n.emigration_date')} AS fu_end,
  -- Competing events that end follow-up early (the earlier of the two when both fall inside it).
  CASE WHEN n.death_date <= ${addDays('n.index_date', p.followUpDays - 1)}
         AND (n.emigration_date IS NULL OR n.death_date <= n.emigration_date) THEN 'death'
       WHEN n.emigration_date <= ${addDays('n.index_date', p.followUpDays - 1)} THEN 'emigration' END AS censor_reason,
  ${ageGroup('n.age')} AS age_group,
  CASE WHEN edu.edu_group IN ('low', 'medium', 'high') THEN edu.edu_group ELSE 'missing' END AS edu_group,
  CASE WHEN n.immigrant_category = 'immigrant' THEN 'born_abroad' ELSE 'norway_or_other' END AS immigrant,
  n.centrality, ${centralityGroup('n.centrality')} AS centrality_group,
  lst.gp_id AS listed_gp_id, gps.centrality AS gp_centrality, gps.sex AS gp_sex,
  -- GP status as of the index date, not as the register stands at the end of the extract.
  CASE WHEN gps.gp_id IS NOT NULL THEN gps.specialist_from IS NOT NULL AND gps.specialist_from <= n.index_date END AS gp_specialist,
  con.employment AS gp_employment, inc.hh_income, ${flag('emp.person_id IS NOT NULL')} AS employed
FROM numbered n
LEFT JOIN lst ON lst.person_id = n.person_id AND lst.index_date = n.index_date AND lst.rn = 1
LEFT JOIN edu ON edu.person_id = n.person_id AND edu.index_date = n.index_date AND edu.rn = 1
LEFT JOIN inc ON inc.person_id = n.person_id AND inc.index_date = n.index_date AND inc.rn = 1
LEFT JOIN emp ON emp.person_id = n.person_id AND emp.index_date = n.index_date
LEFT JOIN con ON con.person_id = n.person_id AND con.index_date = n.index_date AND con.rn = 1
LEFT JOIN gps ON gps.gp_id = lst.gp_id`;
  },
};

/** The analysis cohort: one row per episode (episode_id), restrictions applied. */
const cohort: StepDef = {
  name: 'cohort',
  requires: ['episodes_all'],
  sql: (p) => `
SELECT ROW_NUMBER() OVER (ORDER BY e.person_id, e.index_date) AS episode_id,
  e.person_id, e.index_date, e.index_year, e.index_gp_id, e.fu_end,
  ${daysBetween('e.index_date', 'e.fu_end')} + 1 AS fu_days,
  ${flag(`e.fu_end < ${addDays('e.index_date', p.followUpDays - 1)}`)} AS censored, e.censor_reason,
  e.sex, e.age, e.age_group, e.edu_group, e.immigrant, e.centrality, e.centrality_group,
  e.listed_gp_id, e.gp_centrality, e.gp_sex, e.gp_specialist, e.gp_employment, e.hh_income, e.employed,
  ${flag(`e.age BETWEEN ${int(p.sickLeaveMinAge)} AND ${int(p.sickLeaveMaxAge)}${p.sickLeaveDenominator === 'employed' ? ' AND e.employed = 1' : ''}`)} AS sl_eligible
FROM episodes_all e
WHERE e.present = 1 AND e.age_ok = 1${p.episodes === 'first' ? ' AND e.episode_no = 1' : ''}${
    p.requireListedGp ? ' AND e.listed_gp_id IS NOT NULL' : ''
  }`,
};

/** Care within follow-up per episode: counts and first dates of each kind of care. */
const outcomes: StepDef = {
  name: 'outcomes',
  requires: ['cohort', 'bills_of_interest'],
  sql: (p) => {
    const slWindow =
      p.sickLeaveRule === 'starts'
        ? 's.from_date BETWEEN c.index_date AND c.fu_end'
        : overlaps('s.from_date', 's.to_date', 'c.index_date', 'c.fu_end');
    // Care bills come from bills_of_interest (one pass over the claims), restricted by date.
    const lastDay = addDays(dateLit(p.indexTo), p.followUpDays - 1);
    return `
WITH tb AS (
  SELECT b.person_id, ${toDate('b.contact_time')} AS d, b.bill_id, b.is_tt, b.is_long
  FROM bills_of_interest b
  WHERE (b.is_tt = 1 OR b.is_long = 1)
    AND b.contact_time >= CAST(${dateLit(p.indexFrom)} AS TIMESTAMP)
    AND b.contact_time < CAST(${addDays(lastDay, 1)} AS TIMESTAMP)
),
gpc AS (
  SELECT c.episode_id,
    COUNT(DISTINCT CASE WHEN tb.is_tt = 1 THEN tb.bill_id END) AS tt_n, MIN(CASE WHEN tb.is_tt = 1 THEN tb.d END) AS tt_first,
    COUNT(DISTINCT CASE WHEN tb.is_long = 1 THEN tb.bill_id END) AS long_n, MIN(CASE WHEN tb.is_long = 1 THEN tb.d END) AS long_first
  FROM cohort c JOIN tb ON tb.person_id = c.person_id AND tb.d BETWEEN c.index_date AND c.fu_end
  GROUP BY c.episode_id
),
ad AS (
  SELECT c.episode_id,
    SUM(${flag('n.dispensed_date BETWEEN c.index_date AND c.fu_end')}) AS ad_n,
    MIN(CASE WHEN n.dispensed_date BETWEEN c.index_date AND c.fu_end THEN n.dispensed_date END) AS ad_first,
    MAX(${flag('n.dispensed_date < c.index_date')}) AS ad_prevalent
  FROM cohort c JOIN norpd_dispensings n ON n.person_id = c.person_id
    AND ${startsWithAny('n.atc', p.antidepressantAtc)}
    AND n.dispensed_date BETWEEN ${addDays('c.index_date', -p.adWashoutDays)} AND c.fu_end
  GROUP BY c.episode_id
),
ref AS (
  SELECT c.episode_id, COUNT(DISTINCT r.referral_date) AS ref_n, MIN(r.referral_date) AS ref_first
  FROM cohort c JOIN npr_contacts r ON r.person_id = c.person_id AND ${referralContactSql(p, 'r')}
    AND r.referral_date BETWEEN c.index_date AND c.fu_end
  GROUP BY c.episode_id
),
sl AS (
  SELECT c.episode_id, COUNT(DISTINCT s.cert_id) AS sl_n,
    MIN(CASE WHEN s.from_date < c.index_date THEN c.index_date ELSE s.from_date END) AS sl_first
  FROM cohort c JOIN sick_leave_periods s ON s.person_id = c.person_id AND ${slWindow}
  GROUP BY c.episode_id
)
SELECT c.episode_id,
  COALESCE(gpc.tt_n, 0) AS tt_n, gpc.tt_first,
  COALESCE(gpc.long_n, 0) AS long_n, gpc.long_first,
  COALESCE(ad.ad_n, 0) AS ad_n, ad.ad_first, COALESCE(ad.ad_prevalent, 0) AS ad_prevalent,
  COALESCE(ref.ref_n, 0) AS ref_n, ref.ref_first,
  CASE WHEN c.sl_eligible = 1 THEN COALESCE(sl.sl_n, 0) END AS sl_n,
  CASE WHEN c.sl_eligible = 1 THEN sl.sl_first END AS sl_first,
  -- Everyone of sick-leave age, employed or not: the all-ages share the papers published.
  CASE WHEN c.age BETWEEN ${int(p.sickLeaveMinAge)} AND ${int(p.sickLeaveMaxAge)} THEN COALESCE(sl.sl_n, 0) END AS sl_all_n
FROM cohort c
LEFT JOIN gpc ON gpc.episode_id = c.episode_id
LEFT JOIN ad ON ad.episode_id = c.episode_id
LEFT JOIN ref ON ref.episode_id = c.episode_id
LEFT JOIN sl ON sl.episode_id = c.episode_id`;
  },
};

/**
 * Work participation per sick-leave-eligible episode: sick-leave days inside follow-up (calendar
 * days covered by any period; grade-weighted days with overlapping grades summed and capped at
 * 100 %), and return to work at 6 and 12 months (docs/registry/analyses.md).
 */
const work: StepDef = {
  name: 'work',
  requires: ['cohort'],
  sql: (p) => {
    const t6 = Math.floor(p.followUpDays / 2);
    const t12 = p.followUpDays - 1;
    const w = p.rtwWindowDays;
    const off = (t: number) => `
  SELECT b.episode_id FROM base b JOIN sick_leave_periods s ON s.person_id = b.person_id
    AND ${overlaps('s.from_date', 's.to_date', addDays('b.index_date', t - w + 1), addDays('b.index_date', t))}
  UNION
  SELECT b.episode_id FROM base b JOIN benefit_spells x ON x.person_id = b.person_id
    AND x.benefit IN ('sickness_benefit', 'aap', 'disability')
    AND ${overlaps('x.from_date', `COALESCE(x.to_date, ${addDays('b.index_date', t)})`, addDays('b.index_date', t - w + 1), addDays('b.index_date', t))}`;
    return `
WITH base AS (
  SELECT episode_id, person_id, index_date, fu_end FROM cohort WHERE sl_eligible = 1
),
slp AS (
  SELECT b.episode_id, CASE WHEN s.from_date > b.index_date THEN s.from_date ELSE b.index_date END AS f,
    CASE WHEN s.to_date < b.fu_end THEN s.to_date ELSE b.fu_end END AS t, s.grade
  FROM base b JOIN sick_leave_periods s ON s.person_id = b.person_id
    AND ${overlaps('s.from_date', 's.to_date', 'b.index_date', 'b.fu_end')}
),
ev AS (
  SELECT episode_id, f AS d, grade AS dg, 1 AS dc FROM slp
  UNION ALL
  SELECT episode_id, ${addDays('t', 1)} AS d, -grade AS dg, -1 AS dc FROM slp
),
evd AS (
  SELECT episode_id, d, SUM(dg) AS dg, SUM(dc) AS dc FROM ev GROUP BY episode_id, d
),
run AS (
  SELECT episode_id, d,
    SUM(dg) OVER (PARTITION BY episode_id ORDER BY d ROWS BETWEEN UNBOUNDED PRECEDING AND CURRENT ROW) AS g,
    SUM(dc) OVER (PARTITION BY episode_id ORDER BY d ROWS BETWEEN UNBOUNDED PRECEDING AND CURRENT ROW) AS c,
    LEAD(d) OVER (PARTITION BY episode_id ORDER BY d) AS nd
  FROM evd
),
sldays AS (
  SELECT episode_id,
    SUM(CASE WHEN c > 0 THEN ${daysBetween('d', 'nd')} ELSE 0 END) AS cal,
    SUM(CASE WHEN c > 0 THEN ${daysBetween('d', 'nd')} * (CASE WHEN g > 100 THEN 100 ELSE g END) ELSE 0 END) / 100.0 AS graded
  FROM run WHERE nd IS NOT NULL
  GROUP BY episode_id
),
bl AS (
  SELECT DISTINCT b.episode_id FROM base b JOIN sick_leave_periods s ON s.person_id = b.person_id
    AND ${overlaps('s.from_date', 's.to_date', 'b.index_date', addDays('b.index_date', p.rtwBaselineDays - 1))}
),
off6 AS (${off(t6)}
),
off12 AS (${off(t12)}
)
SELECT b.episode_id,
  COALESCE(sldays.cal, 0) AS sl_days,
  COALESCE(sldays.graded, 0) AS sl_days_graded,
  ${flag('bl.episode_id IS NOT NULL')} AS rtw_base,
  ${flag(`bl.episode_id IS NOT NULL AND b.fu_end >= ${addDays('b.index_date', t6)}`)} AS rtw6_at_risk,
  ${flag(`bl.episode_id IS NOT NULL AND b.fu_end >= ${addDays('b.index_date', t6)} AND off6.episode_id IS NULL`)} AS rtw6,
  ${flag(`bl.episode_id IS NOT NULL AND b.fu_end >= ${addDays('b.index_date', t12)}`)} AS rtw12_at_risk,
  ${flag(`bl.episode_id IS NOT NULL AND b.fu_end >= ${addDays('b.index_date', t12)} AND off12.episode_id IS NULL`)} AS rtw12
FROM base b
LEFT JOIN sldays ON sldays.episode_id = b.episode_id
LEFT JOIN bl ON bl.episode_id = b.episode_id
LEFT JOIN (SELECT DISTINCT episode_id FROM off6) off6 ON off6.episode_id = b.episode_id
LEFT JOIN (SELECT DISTINCT episode_id FROM off12) off12 ON off12.episode_id = b.episode_id`;
  },
};

export const STEPS: Record<StepName, StepDef> = {
  bills_of_interest: billsOfInterest,
  episodes_all: episodesAll,
  cohort,
  outcomes,
  work,
};

// ---------------------------------------------------------------------------------------------
// Analyses (each returns aggregated rows; none returns a person id)

export const COVARIATES = [
  'sex',
  'age_group',
  'edu_group',
  'immigrant',
  'centrality_group',
  'index_year',
] as const;
export type Covariate = (typeof COVARIATES)[number];

const patternKeys = COVARIATES.map((c) => `c.${c}`).join(', ');

/**
 * GP characteristics for the mixed models (GP-level covariates), from the RGP register as it was on
 * the index date; Riiser et al. 2022 studied the same ones. Yes/no ones ("no" the reference) enter
 * as the term column + "yes"; list size is numeric (gp_model_patterns joins `ls`, the list sizes on
 * the index dates). `term` is the coefficient's name in the fitted model.
 */
export const GP_CHARACTERISTICS = [
  {
    column: 'gp_rural',
    term: 'gp_ruralyes',
    label: 'Rural practice (centrality 5-6)',
    sql: `CASE WHEN c.gp_centrality IN (5, 6) THEN 'yes' ELSE 'no' END`,
  },
  {
    column: 'gp_female',
    term: 'gp_femaleyes',
    label: 'Female GP',
    sql: `CASE WHEN c.gp_sex = 'F' THEN 'yes' ELSE 'no' END`,
  },
  {
    column: 'gp_specialist',
    term: 'gp_specialistyes',
    label: 'Specialist in general practice',
    sql: `CASE WHEN c.gp_specialist THEN 'yes' ELSE 'no' END`,
  },
  {
    column: 'gp_salaried',
    term: 'gp_salariedyes',
    label: 'Salaried (not self-employed)',
    sql: `CASE WHEN c.gp_employment = 'salaried' THEN 'yes' ELSE 'no' END`,
  },
  {
    // Rounded to 50 patients so that a GP's patients who share a pattern stay pooled as the list
    // drifts (a GP's list moves by a few per cent over the period; the rounding error, SD 14
    // patients, is about 6 % of the SD between GPs); centred at 1,150, about the national mean list
    // length of GPs in the GP-DEP period (1,181 in 2009, 1,120 in 2016; Fastlegeregisteret).
    column: 'gp_list_size',
    term: 'gp_list_size',
    label: 'List size (per 500 patients)',
    note: "List size: the number of persons on the GP's list on the index date (Fastlegeregisteret), rounded to 50, centred at 1,150 patients (about the national mean list length of GPs in 2009-2016) and counted in units of 500, so its odds ratio is per 500 more patients on the list.",
    sql: `(ROUND(CAST(ls.list_size AS DOUBLE) / 50) * 50 - 1150) / 500`,
  },
] as const;

/** Episodes and episodes with each binary indicator (and its denominator), for GROUP BY queries. */
function binaryIndicatorSums(p: ResolvedParams): string {
  const adDenom = p.adNewUser ? 'o.ad_prevalent = 0' : '1 = 1';
  return `COUNT(*) AS n,
  SUM(${flag('o.tt_n > 0')}) AS tt_events, SUM(${flag('o.long_n > 0')}) AS long_events,
  SUM(${flag(adDenom)}) AS ad_denom, SUM(${flag(`${adDenom} AND o.ad_n > 0`)}) AS ad_events,
  SUM(${flag('o.ref_n > 0')}) AS ref_events,
  SUM(c.sl_eligible) AS sl_denom, SUM(${flag('o.sl_n > 0')}) AS sl_events`;
}

export const ANALYSES = {
  data_extent: {
    id: 'data_extent',
    description:
      'First and last bill date in the extract (for the default index period), and whether employment was delivered.',
    requires: [],
    // The worker's kuhr_bills_time_range reads the first and last bill time from the Parquet
    // footers where it can (worker.ts); the date of a timestamp never decreases with it.
    sql: () =>
      `SELECT CAST(${toDate('first_time')} AS VARCHAR) AS first_date, CAST(${toDate('last_time')} AS VARCHAR) AS last_date,
  (SELECT COUNT(*) FROM employment) AS employment_rows FROM kuhr_bills_time_range`,
  },
  cohort_flow: {
    id: 'cohort_flow',
    description: 'Cohort flow: new episodes in the index period and how many each restriction leaves.',
    requires: ['episodes_all'],
    sql: (p) => `
SELECT COUNT(*) AS new_episodes,
  SUM(present) AS alive_resident,
  SUM(present * age_ok) AS age_eligible,
  SUM(CASE WHEN present = 1 AND age_ok = 1${p.episodes === 'first' ? ' AND episode_no = 1' : ''} THEN 1 ELSE 0 END) AS episode_eligible,
  SUM(CASE WHEN present = 1 AND age_ok = 1${p.episodes === 'first' ? ' AND episode_no = 1' : ''}${
    p.requireListedGp ? ' AND listed_gp_id IS NOT NULL' : ''
  } THEN 1 ELSE 0 END) AS cohort
FROM episodes_all`,
  },
  cohort_summary: {
    id: 'cohort_summary',
    description: 'Cohort size, patients, GPs, censoring, follow-up and age.',
    requires: ['cohort'],
    sql: () => `
SELECT COUNT(*) AS episodes, COUNT(DISTINCT person_id) AS patients,
  SUM(${flag('listed_gp_id IS NOT NULL')}) AS listed, COUNT(DISTINCT listed_gp_id) AS listed_gps,
  SUM(censored) AS censored, AVG(CAST(fu_days AS DOUBLE)) AS mean_fu_days,
  AVG(CAST(age AS DOUBLE)) AS mean_age, STDDEV_SAMP(CAST(age AS DOUBLE)) AS sd_age,
  SUM(${flag("sex = 'F'")}) AS women, SUM(sl_eligible) AS sl_eligible,
  MIN(index_year) AS first_year, MAX(index_year) AS last_year
FROM cohort`,
  },
  indicator_patterns: {
    id: 'indicator_patterns',
    description:
      'Counts per GP cluster and covariate pattern: episodes, and for each indicator its denominator, episodes with any, and total count. The cluster (gp_cluster, a number made here, not the registry id; for the GP-cluster-robust errors of the relative risks, never published) is the listed GP at index, else the GP of the index consultation.',
    requires: ['cohort', 'outcomes'],
    sql: (p) => {
      const adDenom = p.adNewUser ? 'o.ad_prevalent = 0' : '1 = 1';
      // Patients share GPs, so the RRs' errors are clustered by GP: the listed GP, or for an episode
      // without one, the GP who billed the index consultation (the GP who took the episode on; the
      // same GP's listed patients share the cluster). Both missing (not possible in KUHR, where a
      // bill has a GP) leaves gp_cluster NULL: each such episode a cluster of its own.
      // National scale: (cluster, pattern) cells are ~ the episodes, one scan and one GROUP BY.
      const gpKey = 'COALESCE(c.listed_gp_id, c.index_gp_id)';
      return `
WITH gp AS (
  SELECT k.gp_key, DENSE_RANK() OVER (ORDER BY k.gp_key) AS gp_cluster
  FROM (SELECT DISTINCT ${gpKey} AS gp_key FROM cohort c WHERE ${gpKey} IS NOT NULL) k
)
SELECT gp.gp_cluster, ${patternKeys},
  COUNT(*) AS n,
  SUM(c.age) AS age_sum,
  SUM(c.censored) AS censored,
  SUM(${flag('o.tt_n > 0')}) AS tt_events, SUM(o.tt_n) AS tt_count,
  SUM(${flag('o.long_n > 0')}) AS long_events, SUM(o.long_n) AS long_count,
  SUM(${flag(adDenom)}) AS ad_denom, SUM(${flag(`${adDenom} AND o.ad_n > 0`)}) AS ad_events,
  SUM(CASE WHEN ${adDenom} THEN o.ad_n ELSE 0 END) AS ad_count,
  SUM(${flag('o.ref_n > 0')}) AS ref_events, SUM(o.ref_n) AS ref_count,
  SUM(c.sl_eligible) AS sl_denom, SUM(${flag('o.sl_n > 0')}) AS sl_events, SUM(COALESCE(o.sl_n, 0)) AS sl_count,
  SUM(${flag('o.tt_n = 0 AND o.ad_n = 0 AND COALESCE(o.sl_n, 0) = 0')}) AS none3_events,
  SUM(${flag('o.tt_n = 0 AND o.ad_n = 0 AND COALESCE(o.sl_n, 0) = 0 AND o.long_n = 0 AND o.ref_n = 0')}) AS none5_events
FROM cohort c JOIN outcomes o ON o.episode_id = c.episode_id
LEFT JOIN gp ON gp.gp_key = ${gpKey}
GROUP BY gp.gp_cluster, ${patternKeys}`;
    },
  },
  work_patterns: {
    id: 'work_patterns',
    description: 'Sick-leave days and return to work per covariate pattern (sick-leave-eligible ages).',
    requires: ['cohort', 'work'],
    sql: () => `
SELECT ${patternKeys},
  COUNT(*) AS n,
  SUM(${flag('w.sl_days > 0')}) AS with_days,
  SUM(w.sl_days) AS days_sum, SUM(w.sl_days * w.sl_days) AS days_sq,
  SUM(w.sl_days_graded) AS graded_sum, SUM(w.sl_days_graded * w.sl_days_graded) AS graded_sq,
  SUM(w.rtw_base) AS rtw_base,
  SUM(w.rtw6_at_risk) AS rtw6_at_risk, SUM(w.rtw6) AS rtw6,
  SUM(w.rtw12_at_risk) AS rtw12_at_risk, SUM(w.rtw12) AS rtw12
FROM cohort c JOIN work w ON w.episode_id = c.episode_id
GROUP BY ${patternKeys}`,
  },
  competing_events: {
    id: 'competing_events',
    description:
      'Episodes and care by how follow-up ended: full follow-up, death or emigration inside it (competing events), for the sensitivity analysis without them.',
    requires: ['cohort', 'outcomes'],
    sql: (p) => `
SELECT COALESCE(c.censor_reason, 'full') AS ended, ${binaryIndicatorSums(p)},
  SUM(${flag('o.tt_n = 0 AND o.ad_n = 0 AND COALESCE(o.sl_n, 0) = 0')}) AS none3_events
FROM cohort c JOIN outcomes o ON o.episode_id = c.episode_id
GROUP BY COALESCE(c.censor_reason, 'full')`,
  },
  as_published: {
    id: 'as_published',
    description:
      "The papers' denominators beside the analyses' own: sick leave among everyone of sick-leave age at index, employed or not, and antidepressants among all episodes, prevalent users included (Riiser 2022).",
    requires: ['cohort', 'outcomes'],
    sql: () => `
SELECT COUNT(*) AS n, SUM(${flag('o.ad_n > 0')}) AS ad_any_events,
  COUNT(o.sl_all_n) AS sl_all_denom, SUM(${flag('o.sl_all_n > 0')}) AS sl_all_events,
  SUM(${flag('o.sl_all_n IS NOT NULL AND c.employed = 1')}) AS employed
FROM cohort c JOIN outcomes o ON o.episode_id = c.episode_id`,
  },
  pathway_ranks: {
    id: 'pathway_ranks',
    description:
      'Ordered first treatments within follow-up: per combination of ranks (1 = first date; equal dates share a rank) of talking therapy, antidepressant, sick leave and specialist care, the number of episodes.',
    requires: ['cohort', 'outcomes'],
    sql: () => `
WITH ev AS (
  SELECT episode_id, 'T' AS e, tt_first AS d FROM outcomes WHERE tt_first IS NOT NULL
  UNION ALL SELECT episode_id, 'A', ad_first FROM outcomes WHERE ad_first IS NOT NULL
  UNION ALL SELECT episode_id, 'S', sl_first FROM outcomes WHERE sl_first IS NOT NULL
  UNION ALL SELECT episode_id, 'R', ref_first FROM outcomes WHERE ref_first IS NOT NULL
),
rk AS (
  SELECT episode_id, e, DENSE_RANK() OVER (PARTITION BY episode_id ORDER BY d) AS r FROM ev
),
pv AS (
  SELECT episode_id,
    MAX(CASE WHEN e = 'T' THEN r END) AS rt, MAX(CASE WHEN e = 'A' THEN r END) AS ra,
    MAX(CASE WHEN e = 'S' THEN r END) AS rs, MAX(CASE WHEN e = 'R' THEN r END) AS rr
  FROM rk GROUP BY episode_id
)
SELECT pv.rt, pv.ra, pv.rs, pv.rr, COUNT(*) AS n
FROM cohort c LEFT JOIN pv ON pv.episode_id = c.episode_id
GROUP BY pv.rt, pv.ra, pv.rs, pv.rr`,
  },
  gp_model_patterns: {
    id: 'gp_model_patterns',
    description:
      "Per listed GP (a number made here, not the registry id), its practice municipality (also a number made here) and patient pattern: episodes and care, with the GP's list size on the index date, for the mixed models. Fitted inside the worker; never returned.",
    requires: ['cohort', 'outcomes'],
    sql: (p) => `
WITH g AS (
  SELECT d.listed_gp_id, DENSE_RANK() OVER (ORDER BY d.listed_gp_id) AS gp,
    CASE WHEN gps.municipality IS NOT NULL THEN DENSE_RANK() OVER (ORDER BY gps.municipality) END AS gp_municipality
  FROM (SELECT DISTINCT listed_gp_id FROM cohort WHERE listed_gp_id IS NOT NULL) d
  LEFT JOIN gps ON gps.gp_id = d.listed_gp_id
),
gl AS (
  -- The lists the GP held on each index date (the cohort's listed GP holds one on that date).
  SELECT DISTINCT c.listed_gp_id, c.index_date, l.list_id
  FROM cohort c JOIN gp_lists l ON l.gp_id = c.listed_gp_id AND l.valid_from <= c.index_date
    AND (l.valid_to IS NULL OR l.valid_to >= c.index_date)
),
q AS (
  SELECT DISTINCT list_id, index_date AS d FROM gl
),
q0 AS (
  SELECT list_id, MIN(d) AS d0 FROM q GROUP BY list_id
),
mem AS (
  -- The queried lists' memberships: first day, and the day after the last (NULL: still on).
  SELECT m.list_id, m.valid_from, ${addDays('m.valid_to', 1)} AS ended, q0.d0
  FROM list_memberships m JOIN q0 ON q0.list_id = m.list_id
),
-- The number on a list on day D is the memberships begun by D less those ended by D. Counted in
-- two parts: those before the list's first index date d0 by a GROUP BY (most: nationally 84 % of
-- memberships began before the index period), the rest by position: a query's row number among
-- the list's later starts (or ends) and its index dates, sorted with a day's starts and ends
-- before its index date, less its row number among the index dates alone, is the number of starts
-- (ends) from d0 to D. Row numbers, not a running SUM() window: DuckDB computes the row numbers
-- three times as fast, and a range join is ten times slower still (national list sizes, 2.3
-- against 6.6 CPU seconds for the sweep with SUM()).
before AS (
  SELECT list_id, SUM(${flag('valid_from < d0')}) - SUM(${flag('ended < d0')}) AS n0 FROM mem GROUP BY list_id
),
starts AS (
  SELECT list_id, d, q, ROW_NUMBER() OVER (PARTITION BY list_id ORDER BY d, q) AS r FROM (
    SELECT list_id, valid_from AS d, 0 AS q FROM mem WHERE valid_from >= d0
    UNION ALL SELECT list_id, d, 1 FROM q
  ) x
),
ends AS (
  SELECT list_id, d, q, ROW_NUMBER() OVER (PARTITION BY list_id ORDER BY d, q) AS r FROM (
    SELECT list_id, ended AS d, 0 AS q FROM mem WHERE ended >= d0
    UNION ALL SELECT list_id, d, 1 FROM q
  ) x
),
qr AS (
  SELECT list_id, d, ROW_NUMBER() OVER (PARTITION BY list_id ORDER BY d) AS r FROM q
),
sizes AS (
  SELECT qr.list_id, qr.d, COALESCE(b.n0, 0) + (s.r - qr.r) - (e.r - qr.r) AS size
  FROM qr JOIN starts s ON s.list_id = qr.list_id AND s.d = qr.d AND s.q = 1
  JOIN ends e ON e.list_id = qr.list_id AND e.d = qr.d AND e.q = 1
  LEFT JOIN before b ON b.list_id = qr.list_id
),
ls AS (
  SELECT gl.listed_gp_id, gl.index_date, SUM(s.size) AS list_size
  FROM gl JOIN sizes s ON s.list_id = gl.list_id AND s.d = gl.index_date
  GROUP BY gl.listed_gp_id, gl.index_date
)
SELECT g.gp, g.gp_municipality, c.sex, c.age_group, c.edu_group,
  ${GP_CHARACTERISTICS.map((k) => `${k.sql} AS ${k.column}`).join(', ')},
  ${binaryIndicatorSums(p)}
FROM cohort c JOIN outcomes o ON o.episode_id = c.episode_id JOIN g ON g.listed_gp_id = c.listed_gp_id
LEFT JOIN ls ON ls.listed_gp_id = c.listed_gp_id AND ls.index_date = c.index_date
GROUP BY g.gp, g.gp_municipality, c.sex, c.age_group, c.edu_group, ${GP_CHARACTERISTICS.map((k) => k.sql).join(', ')}`,
  },
  equity_cells: {
    id: 'equity_cells',
    description:
      'Episodes and care per cell of need (sex, age group) and socio-economic position (education; household income decile within index year), with immigrant background and centrality, for the equity measures.',
    requires: ['cohort', 'outcomes'],
    sql: (p) => `
WITH ranked AS (
  SELECT c.*,
    CASE WHEN c.hh_income IS NOT NULL THEN
      NTILE(10) OVER (PARTITION BY c.index_year, c.hh_income IS NULL ORDER BY c.hh_income, c.episode_id) END AS income_decile
  FROM cohort c
)
SELECT c.sex, c.age_group, c.edu_group, c.income_decile, c.immigrant, c.centrality_group,
  ${binaryIndicatorSums(p)}
FROM ranked c JOIN outcomes o ON o.episode_id = c.episode_id
GROUP BY c.sex, c.age_group, c.edu_group, c.income_decile, c.immigrant, c.centrality_group`,
  },
  /** A deliberately slow query (no data needed), to test the timeout and interruption. */
  diag_slow: {
    id: 'diag_slow',
    description: 'Engine self-test: a long-running query.',
    requires: [],
    sql: () => {
      const v = `(VALUES ${Array.from({ length: 100 }, (_, i) => `(${i})`).join(', ')})`;
      return `SELECT COUNT(*) AS n FROM ${['a', 'b', 'c', 'd', 'e', 'f'].map((t) => `${v} AS ${t}(x)`).join(', ')} WHERE a.x + b.x + c.x + d.x + e.x + f.x = 7`;
    },
  },
} satisfies Record<string, AnalysisDef>;

export type AnalysisId = keyof typeof ANALYSES;

/** Steps an analysis needs, dependencies first, without repeats. */
export function stepsFor(requires: readonly StepName[]): StepName[] {
  const out: StepName[] = [];
  const visit = (name: StepName) => {
    if (out.includes(name)) return;
    for (const dep of STEPS[name].requires) visit(dep);
    out.push(name);
  };
  requires.forEach(visit);
  return out;
}

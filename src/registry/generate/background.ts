/**
 * The background population's registry rows, written chunk by chunk over person ranges
 * (`part-00000.parquet`, `part-00001.parquet`, ...): persons, education, income, list memberships,
 * ordinary GP claims (bills, diagnoses, tariffs), prescriptions, specialist contacts, sick leave and
 * benefits. Each COPY streams: DuckDB expands person-years into rows and writes Parquet without
 * materialising them. Background events that would blur a planted episode's outcomes are left out
 * around episodes (see truth.json, outcome definitions).
 */
import { num } from './db.js';
import { copyTo, type GenerateContext } from './context.js';
import {
  AAP,
  BACKGROUND_2CD_SHARE,
  BACKGROUND_AD,
  BACKGROUND_NPR,
  BACKGROUND_P_SHARE,
  BACKGROUND_SICK,
  ANTIDEPRESSANTS,
  CONSULT_FRAILTY_SD,
  CONSULT_MEAN_BY_AGE,
  CONSULT_SEX_FACTOR,
  ICD10_BACKGROUND,
  ICD10_SHARE,
  INCOME_MEDIAN,
  OTHER_CODES,
  OTHER_DRUGS,
  OTHER_GP_SHARE,
  P_CODES,
  SIMPLE_CONTACT_SHARE,
} from './params.js';
import { sqlPick } from './random.js';
import { eduAt, employedAt, gpId, nusAt, project } from './sqlparts.js';

void CONSULT_FRAILTY_SD;

const MENTAL_ICD: [string, number][] = [
  ['F41.1', 20],
  ['F43.2', 15],
  ['F32.1', 12],
  ['F33.1', 10],
  ['F60.3', 6],
  ['F20.0', 5],
  ['F90.0', 10],
  ['F31.3', 5],
  ['F42.0', 5],
  ['F50.0', 4],
  ['F43.1', 8],
];
const TSB_ICD: [string, number][] = [
  ['F10.2', 50],
  ['F12.2', 20],
  ['F11.2', 15],
  ['F19.2', 15],
];
const SOM_ICD: [string, number][] = [
  ['M17.1', 10],
  ['I25.1', 10],
  ['C50.9', 6],
  ['K57.3', 8],
  ['S82.6', 8],
  ['H25.9', 10],
  ['J45.9', 10],
  ['E11.9', 10],
  ['M54.5', 14],
  ['I48.9', 14],
];
const SICK_CODES: [string, number][] = [
  ['L03', 25],
  ['R74', 20],
  ['L02', 10],
  ['L84', 10],
  ['A04', 10],
  ['L92', 10],
  ['N01', 10],
  ['D73', 5],
];

export async function writeBackground(ctx: GenerateContext): Promise<void> {
  const { duck, opts } = ctx;
  // Windows around episodes where background events of the same kind are left out.
  await duck.run(`CREATE TABLE W AS SELECT pn, index_date FROM E2 ORDER BY pn, index_date`);
  const chunks = Math.ceil(opts.persons / opts.chunkPersons);
  for (let c = 0; c < chunks; c++) {
    const lo = c * opts.chunkPersons;
    const hi = Math.min(opts.persons, lo + opts.chunkPersons);
    const part = String(c).padStart(5, '0');
    const t0 = performance.now();
    await writeChunk(ctx, lo, hi, part);
    ctx.log(
      `  chunk ${c + 1}/${chunks} (persons ${lo}-${hi - 1}): ${((performance.now() - t0) / 1000).toFixed(1)} s`
    );
  }
}

async function writeChunk(ctx: GenerateContext, lo: number, hi: number, part: string) {
  const { s } = ctx;
  const y0 = ctx.opts.firstYear;
  const nGp = ctx.geo.gps.length;
  const dataStart = `DATE '${ctx.dataStart}'`;
  const dataEnd = `DATE '${ctx.dataEnd}'`;
  const inChunk = `pn >= ${lo} AND pn < ${hi}`;
  const py = `(SELECT *, greatest(make_date(y, 1, 1), entry_date) AS ys, least(make_date(y, 12, 31), coalesce(end_date, DATE '9999-12-31')) AS ye,
      pn * 16 + yi AS kpy
    FROM (SELECT P.*, r.yi, ${y0} + r.yi AS y, ${y0} + r.yi - birth_year AS age FROM P, range(${ctx.nYears}) r(yi) WHERE ${inChunk})
    WHERE entry_date <= make_date(y, 12, 31) AND (end_date IS NULL OR end_date >= make_date(y, 1, 1)))`;
  const censorOk = (d: string) => `(end_date IS NULL OR ${d} <= end_date)`;

  // Persons, education, income, list memberships.
  await copyTo(
    ctx,
    'persons',
    part,
    `SELECT ${project('persons', {
      person_id: 'person_id',
      sex: 'sex',
      birth_year: 'birth_year',
      municipality: 'coalesce(municipality2, municipality)',
      centrality: 'coalesce(centrality2, centrality)',
      immigrant_category: 'immig',
      death_date: 'death_date',
      emigration_date: 'emigration_date',
    })} FROM P WHERE ${inChunk} ORDER BY pn`
  );
  // Residence history: the first municipality from when the person joined its GP list (or birth),
  // and after a move (generate.ts, residence.ts) the new one.
  await copyTo(
    ctx,
    'residences',
    part,
    `SELECT ${project('residences', { person_id: 'person_id', municipality: 'm', centrality: 'c', valid_from: 'f', valid_to: 't' })}
     FROM (
       SELECT pn, 1 AS o, person_id, municipality AS m, centrality AS c, list1_from AS f,
         CASE WHEN move_date IS NOT NULL THEN move_date - 1 ELSE end_date END AS t
       FROM P WHERE ${inChunk}
       UNION ALL
       SELECT pn, 2, person_id, municipality2, centrality2, move_date, end_date FROM P WHERE ${inChunk} AND move_date IS NOT NULL
     ) ORDER BY pn, o`
  );
  await copyTo(
    ctx,
    'education',
    part,
    `SELECT ${project('education', {
      person_id: 'person_id',
      year: 'y',
      nus2000_level: `(${nusAt('age')})::VARCHAR`,
      edu_group: eduAt('age'),
    })} FROM ${py} WHERE age >= 16 AND edu_final IS NOT NULL ORDER BY pn, yi`
  );
  const growth = `pow(1.03, y - ${ctx.refYear})`;
  await copyTo(
    ctx,
    'income',
    part,
    `SELECT ${project('income', {
      person_id: 'person_id',
      year: 'y',
      labour_income_nok: `CASE WHEN ${employedAt('age')}
          THEN greatest(180000, round((CASE ${eduAt('age')} WHEN 'high' THEN ${INCOME_MEDIAN.high} WHEN 'medium' THEN ${INCOME_MEDIAN.medium} ELSE ${INCOME_MEDIAN.low} END)
            * (CASE WHEN sex = 'F' THEN 0.8 ELSE 1.0 END) * ${growth} * exp(0.35 * rnorm(pn * 16 + yi, ${s('inc')}) - 0.06) / 100) * 100)
          WHEN rnd(pn * 16 + yi, ${s('inc0')}) < 0.6 THEN 0 ELSE floor(rnd(pn * 16 + yi, ${s('inc1')}) * 1500) * 100 END`,
      household_eq_income_nok: `CASE WHEN rnd(pn * 16 + yi, ${s('hh0')}) < 0.03 THEN NULL ELSE
          round(330000 * (CASE ${eduAt('age')} WHEN 'high' THEN 1.25 WHEN 'low' THEN 0.85 ELSE 1.0 END) * ${growth} * exp(0.4 * rnorm(pn * 16 + yi, ${s('hh')}) - 0.08) / 100) * 100 END`,
    })} FROM ${py} WHERE age >= 16 ORDER BY pn, yi`
  );
  // Aa-registeret: one employment relationship per run of consecutive employed years (employedAt,
  // the same rule the income and the planted sick leave use), so "employed at the index date"
  // in the analyses is exactly the twin's employed flag of the index year.
  await copyTo(
    ctx,
    'employment',
    part,
    `SELECT ${project('employment', {
      person_id: 'person_id',
      employer_id: `'O' || (900000000 + floor(rnd(pn * 16 + run, ${s('emp_org')}) * 99999999))::BIGINT::VARCHAR`,
      from_date: 'from_date',
      to_date: 'to_date',
      fte_percent: `CASE WHEN rnd(pn * 16 + run, ${s('emp_fte')}) < 0.75 THEN 100 ELSE 40 + 10 * floor(rnd(pn * 16 + run, ${s('emp_fte2')}) * 6)::INTEGER END`,
    })} FROM (
      SELECT pn, person_id, run, min(ys) AS from_date,
        CASE WHEN max(y) = ${ctx.opts.lastYear} AND max(ye) = DATE '${ctx.dataEnd}' THEN NULL ELSE max(ye) END AS to_date
      FROM (SELECT pn, person_id, y, ys, ye, y - row_number() OVER (PARTITION BY pn ORDER BY y) AS run
            FROM ${py} WHERE ${employedAt('age')})
      GROUP BY pn, person_id, run)
    ORDER BY pn, from_date`
  );
  await copyTo(
    ctx,
    'list_memberships',
    part,
    `SELECT ${project('list_memberships', { person_id: 'person_id', list_id: `'L' || (20001 + list_idx)::VARCHAR`, valid_from: 'valid_from', valid_to: 'valid_to' })}
     FROM (
       SELECT pn, 1 AS o, person_id, list1_idx AS list_idx, list1_from AS valid_from, CASE WHEN switch_date IS NOT NULL THEN switch_date - 1 ELSE end_date END AS valid_to FROM P WHERE ${inChunk}
       UNION ALL
       SELECT pn, 2, person_id, list2_idx, switch_date, end_date FROM P WHERE ${inChunk} AND switch_date IS NOT NULL
     ) ORDER BY pn, o`
  );

  // KUHR: ordinary GP claims. n per person-year is geometric given a person-level frailty.
  const meanByAge = `(CASE ${CONSULT_MEAN_BY_AGE.map((r) => `WHEN age <= ${r.maxAge} THEN ${r.mean}`).join(' ')} END)`;
  const nBills = `least(199, rgeom(kpy, ${s('kb_n')}, ${meanByAge} * (CASE WHEN sex = 'F' THEN ${CONSULT_SEX_FACTOR.F} ELSE ${CONSULT_SEX_FACTOR.M} END)
      * frailty * (ye - ys + 1) / 365.0 / ${num(1 - SIMPLE_CONTACT_SHARE)}))`;
  const bills = `(
    SELECT *, CASE WHEN u_dx < ${ICD10_SHARE} THEN 'ICD-10' ELSE 'ICPC-2' END AS dx_sys,
      CASE WHEN u_dx < ${ICD10_SHARE} THEN ${sqlPick(
        'u_code',
        ICD10_BACKGROUND.map((c) => [c, 1] as const)
      )}
           WHEN u_dx < ${ICD10_SHARE + BACKGROUND_P_SHARE} THEN ${sqlPick('u_code', P_CODES)}
           ELSE ${sqlPick('u_code', OTHER_CODES)} END AS dx_code,
      u_dx >= ${ICD10_SHARE} AND u_dx < ${ICD10_SHARE + BACKGROUND_P_SHARE} AS dx_p
    FROM (
      SELECT person_id, pn, bill_num, is_other, is_simple, ys + floor(rnd(bill_num, ${s('kb_day')}) * (ye - ys + 1))::INTEGER AS bill_date,
        rnd(bill_num, ${s('kb_tm')}) AS u_tm, rnd(bill_num, ${s('kb_dx')}) AS u_dx, rnd(bill_num, ${s('kb_code')}) AS u_code,
        switch_date, gp_a_id, gp_b_id, gp_a_ptype, gp_b_ptype
      FROM (SELECT *, kpy * 256 + k AS bill_num,
              rnd(kpy * 256 + k, ${s('kb_oth')}) < ${OTHER_GP_SHARE} AS is_other,
              rnd(kpy * 256 + k, ${s('kb_simple')}) < ${SIMPLE_CONTACT_SHARE} AS is_simple
            FROM (SELECT person_id, pn, kpy, ys, ye, switch_date, gp_a_id, gp_b_id, gp_a_ptype, gp_b_ptype, unnest(range(${nBills})) AS k
                  FROM ${py}))
    ))`;
  // Materialise the chunk's bills once (all draws), then write the three KUHR tables from it.
  await ctx.duck.run(`CREATE OR REPLACE TEMP TABLE KB AS
    SELECT bill_num AS bill_id, person_id,
      CASE WHEN is_other THEN ${gpId(`floor(rnd(bill_num, ${s('kb_ogp')}) * ${nGp})::BIGINT`)}
           WHEN switch_date IS NOT NULL AND bill_date >= switch_date THEN gp_b_id ELSE gp_a_id END AS gp_id,
      CASE WHEN is_other THEN 'LEVA' WHEN switch_date IS NOT NULL AND bill_date >= switch_date THEN gp_b_ptype ELSE gp_a_ptype END AS practice_type,
      bill_date::TIMESTAMP + to_minutes((CASE WHEN is_other THEN 960 + floor(u_tm * 420) ELSE 480 + floor(u_tm * 540) END)::BIGINT) AS contact_time,
      CASE WHEN is_simple THEN 3 ELSE 1 END AS contact_type,
      dx_sys, dx_code,
      CASE WHEN rnd(bill_num, ${s('kb_dx2')}) < 0.15 THEN ${sqlPick(`rnd(bill_num, ${s('kb_code2')})`, OTHER_CODES)} END AS dx2_code,
      CASE WHEN is_simple THEN ${sqlPick('u_t', [
        ['1ad', 5],
        ['1bd', 3],
        ['1be', 2],
      ])} ELSE ${sqlPick('u_t', [
        ['2ad', 90],
        ['2ak', 8],
        ['2ae', 2],
      ])} END AS t_main,
      NOT is_simple AND NOT dx_p AND rnd(bill_num, ${s('kb_2cd')}) < ${BACKGROUND_2CD_SHARE} AS t_2cd,
      rnd(bill_num, ${s('kb_1f')}) < 0.02 AS t_1f,
      rnd(bill_num, ${s('kb_14')}) < 0.003 AS t_14
    FROM (SELECT *, rnd(bill_num, ${s('kb_t')}) AS u_t FROM ${bills})`);
  await copyTo(
    ctx,
    'kuhr_bills',
    part,
    `SELECT ${project('kuhr_bills', {
      bill_id: 'bill_id',
      person_id: 'person_id',
      gp_id: 'gp_id',
      practice_type: 'practice_type',
      contact_time: 'contact_time',
      contact_type: 'contact_type',
    })} FROM KB`
  );
  await copyTo(
    ctx,
    'kuhr_diagnoses',
    part,
    `SELECT ${project('kuhr_diagnoses', { bill_id: 'bill_id', code_system: 'dx_sys', code: 'dx_code', is_main: 'true' })} FROM KB
     UNION ALL
     SELECT ${project('kuhr_diagnoses', { bill_id: 'bill_id', code_system: `'ICPC-2'`, code: 'dx2_code', is_main: 'false' })} FROM KB WHERE dx2_code IS NOT NULL`
  );
  await copyTo(
    ctx,
    'kuhr_tariffs',
    part,
    `SELECT ${project('kuhr_tariffs', { bill_id: 'bill_id', tariff_code: 't_main', count: '1' })} FROM KB
     UNION ALL SELECT ${project('kuhr_tariffs', { bill_id: 'bill_id', tariff_code: `'2cd'`, count: '1' })} FROM KB WHERE t_2cd
     UNION ALL SELECT ${project('kuhr_tariffs', { bill_id: 'bill_id', tariff_code: `'1f'`, count: '1' })} FROM KB WHERE t_1f
     UNION ALL SELECT ${project('kuhr_tariffs', { bill_id: 'bill_id', tariff_code: `'14'`, count: '1' })} FROM KB WHERE t_14`
  );
  await ctx.duck.run(`DROP TABLE KB`);

  // NorPD: prevalent antidepressant users and a few other drugs; no N06A around planted episodes.
  const inWindow = (d: string, before: number, after: number) =>
    `EXISTS (SELECT 1 FROM W WHERE W.pn = x.pn AND ${d} >= W.index_date - ${before} AND ${d} < W.index_date + ${after})`;
  await copyTo(
    ctx,
    'norpd_dispensings',
    part,
    `SELECT ${project('norpd_dispensings', {
      person_id: 'person_id',
      prescriber_id: `CASE WHEN rnd(kpy * 32 + k, ${s('rx_pr')}) < 0.85 THEN gp_a_id ELSE ${gpId(`floor(rnd(kpy * 32 + k, ${s('rx_og')}) * ${nGp})::BIGINT`)} END`,
      dispensed_date: 'd',
      atc: 'atc',
      packages: 'packages',
      ddd: `packages * (CASE atc ${[...ANTIDEPRESSANTS, ...OTHER_DRUGS].map((a) => `WHEN '${a.atc}' THEN ${num(a.dddPerPack)}`).join(' ')} END)`,
    })} FROM (
      SELECT *, ys + floor(rnd(kpy * 32 + k, ${s('rx_d')}) * (ye - ys + 1))::INTEGER AS d,
        CASE WHEN k < n_ad THEN ${sqlPick(
          `rnd(pn, ${s('rx_atc')})`,
          ANTIDEPRESSANTS.map((a) => [a.atc, a.share] as const)
        )}
             ELSE ${sqlPick(
               `rnd(kpy, ${s('rx_oatc')})`,
               OTHER_DRUGS.map((a) => [a.atc, a.share] as const)
             )} END AS atc,
        1 + (rnd(kpy * 32 + k, ${s('rx_pk')}) < 0.25)::INTEGER AS packages
      FROM (SELECT *, unnest(range(n_ad + n_other)) AS k FROM (
        SELECT pn, person_id, kpy, ys, ye, gp_a_id,
          CASE WHEN ad_user AND age >= 12 AND rnd(kpy, ${s('rx_act')}) < ${BACKGROUND_AD.activeYearShare} THEN 2 + floor(rnd(kpy, ${s('rx_nad')}) * 5)::INTEGER ELSE 0 END AS n_ad,
          CASE WHEN rnd(kpy, ${s('rx_ou')}) < (CASE WHEN age >= 50 THEN 0.2 WHEN age >= 18 THEN 0.06 ELSE 0 END) THEN 1 + floor(rnd(kpy, ${s('rx_no')}) * 4)::INTEGER ELSE 0 END AS n_other
        FROM ${py}))
    ) x WHERE NOT (atc LIKE 'N06A%' AND ${inWindow('d', 365, 365)}) ORDER BY kpy, k`
  );

  // NPR: specialist mental health (VOP, contract specialists), substance use (TSB), somatic outpatient.
  const g = (name: string, p: number, mean: number, adult: boolean) =>
    `CASE WHEN ${adult ? 'age >= 18 AND ' : ''}rnd(kpy, ${s(`npr_${name}`)}) < ${p} THEN 1 + least(20, rgeom(kpy, ${s(`npr_${name}_n`)}, ${mean})) ELSE 0 END`;
  await copyTo(
    ctx,
    'npr_contacts',
    part,
    `SELECT ${project('npr_contacts', {
      person_id: 'person_id',
      sector: 'sector',
      care_level: 'care_level',
      start_date: 'start_date',
      end_date: `CASE care_level WHEN 'inpatient' THEN least(start_date + 1 + floor(u_cl * 300)::INTEGER, ${dataEnd}) WHEN 'day' THEN start_date END`,
      main_icd10: 'icd',
      referral_date: 'referral_date',
    })} FROM (
      SELECT *, CASE WHEN sector IN ('VOP', 'TSB') AND u_cl < 0.03 THEN 'inpatient' WHEN sector = 'SOM' AND u_cl < 0.08 THEN 'inpatient'
                     WHEN sector IN ('VOP', 'SOM') AND u_cl < 0.15 THEN 'day' ELSE 'outpatient' END AS care_level,
        CASE sector WHEN 'TSB' THEN ${sqlPick('u_icd', TSB_ICD)} WHEN 'SOM' THEN ${sqlPick('u_icd', SOM_ICD)} ELSE ${sqlPick('u_icd', MENTAL_ICD)} END AS icd,
        referral_date + (14 + floor(rnd(kpy * 8 + gi, ${s('npr_w')}) * 76) + kk * 14)::INTEGER AS start_date
      FROM (
        SELECT *, CASE WHEN k < n_vop THEN 'VOP' WHEN k < n_vop + n_avt THEN 'AVTSPES' WHEN k < n_vop + n_avt + n_tsb THEN 'TSB' ELSE 'SOM' END AS sector,
          CASE WHEN k < n_vop THEN 0 WHEN k < n_vop + n_avt THEN 1 WHEN k < n_vop + n_avt + n_tsb THEN 2 ELSE 3 END AS gi,
          k - (CASE WHEN k < n_vop THEN 0 WHEN k < n_vop + n_avt THEN n_vop WHEN k < n_vop + n_avt + n_tsb THEN n_vop + n_avt ELSE n_vop + n_avt + n_tsb END) AS kk,
          rnd(kpy * 64 + k, ${s('npr_cl')}) AS u_cl, rnd(kpy * 8 + (CASE WHEN k < n_vop THEN 0 WHEN k < n_vop + n_avt THEN 1 WHEN k < n_vop + n_avt + n_tsb THEN 2 ELSE 3 END), ${s('npr_icd')}) AS u_icd,
          ys + floor(rnd(kpy * 8 + (CASE WHEN k < n_vop THEN 0 WHEN k < n_vop + n_avt THEN 1 WHEN k < n_vop + n_avt + n_tsb THEN 2 ELSE 3 END), ${s('npr_ref')}) * (ye - ys + 1))::INTEGER AS referral_date
        FROM (SELECT *, unnest(range(n_vop + n_avt + n_tsb + n_som)) AS k FROM (
          SELECT pn, person_id, kpy, ys, ye, end_date,
            ${g('vop', BACKGROUND_NPR.vop, 3, true)} AS n_vop, ${g('avt', BACKGROUND_NPR.avtspes, 2, true)} AS n_avt,
            ${g('tsb', BACKGROUND_NPR.tsb, 3, true)} AS n_tsb, ${g('som', BACKGROUND_NPR.som, 0.5, false)} AS n_som
          FROM ${py}))))
    x WHERE start_date <= ${dataEnd} AND ${censorOk('start_date')}
      AND NOT (sector IN ('VOP', 'AVTSPES') AND (${inWindow('referral_date', 365, 365)} OR ${inWindow('start_date', 365, 365)}))
    ORDER BY kpy, k`
  );

  // Sick leave among the employed: one spell of consecutive equal-length periods; sickness benefit after 16 days.
  const spells = `(
    SELECT *, ys + floor(rnd(kpy, ${s('bs_s0')}) * (ye - ys + 1))::INTEGER AS s0,
      1 + least(5, rgeom(kpy, ${s('bs_n')}, 0.7)) AS n_per, 4 + floor(rnd(kpy, ${s('bs_len')}) * 14)::INTEGER AS len,
      rnd(kpy, ${s('bs_dx')}) AS u_dx, rnd(kpy, ${s('bs_code')}) AS u_code,
      CASE WHEN rnd(kpy, ${s('bs_iss')}) < 0.85 THEN gp_a_id ELSE ${gpId(`floor(rnd(kpy, ${s('bs_og')}) * ${nGp})::BIGINT`)} END AS issuer_id
    FROM ${py} WHERE ${employedAt('age')} AND rnd(kpy, ${s('bs')}) < ${BACKGROUND_SICK.perEmployedYear} * (ye - ys + 1) / 365.0) x
    WHERE NOT ${inWindow('s0', 60, 365)} AND ${censorOk('s0')} AND s0 <= ${dataEnd}`;
  await copyTo(
    ctx,
    'sick_leave_periods',
    part,
    `SELECT ${project('sick_leave_periods', {
      cert_id: `'SB' || (kpy * 8 + k)::VARCHAR`,
      person_id: 'person_id',
      issuer_id: 'issuer_id',
      diagnosis_system: `CASE WHEN u_dx < 0.05 THEN 'ICD-10' ELSE 'ICPC-2' END`,
      diagnosis: `CASE WHEN u_dx < 0.05 THEN ${sqlPick('u_code', [
        ['M54.5', 5],
        ['S83.5', 2],
        ['J06.9', 3],
      ])}
                       WHEN u_dx < ${0.05 + BACKGROUND_SICK.pShare} THEN ${sqlPick('u_code', [
                         ['P02', 5],
                         ['P29', 3],
                         ['P74', 2],
                       ])}
                       ELSE ${sqlPick('u_code', SICK_CODES)} END`,
      from_date: 's0 + (k * len)::INTEGER',
      to_date: `least(s0 + ((k + 1) * len - 1)::INTEGER, coalesce(end_date, ${dataEnd}), ${dataEnd})`,
      grade: `CASE WHEN k = 0 OR rnd(kpy * 8 + k, ${s('bs_g')}) < 0.8 THEN 100 ELSE 50 END`,
    })} FROM (SELECT *, unnest(range(n_per)) AS k FROM (SELECT * FROM ${spells}))
    WHERE s0 + (k * len)::INTEGER <= ${dataEnd} AND ${censorOk('s0 + (k * len)::INTEGER')} ORDER BY kpy, k`
  );
  await copyTo(
    ctx,
    'benefit_spells',
    part,
    `SELECT ${project('benefit_spells', { person_id: 'person_id', benefit: 'benefit', from_date: 'from_date', to_date: 'to_date', grade: 'grade' })}
     FROM (
       SELECT pn, person_id, 'sickness_benefit' AS benefit, s0 + 16 AS from_date,
         least(s0 + n_per * len - 1, coalesce(end_date, ${dataEnd}), ${dataEnd}) AS to_date, 100 AS grade
       FROM (SELECT * FROM ${spells} ORDER BY kpy) WHERE n_per * len > 16 AND s0 + 16 <= least(coalesce(end_date, ${dataEnd}), ${dataEnd})
       UNION ALL
       SELECT pn, person_id, 'aap', a_from, CASE WHEN a_to > least(coalesce(end_date, ${dataEnd}), ${dataEnd}) THEN end_date ELSE a_to END, 100
       FROM (SELECT *, ys + floor(rnd(kpy, ${s('aap_f')}) * (ye - ys + 1))::INTEGER AS a_from,
               ys + floor(rnd(kpy, ${s('aap_f')}) * (ye - ys + 1))::INTEGER + 365 + floor(rnd(kpy, ${s('aap_l')}) * 730)::INTEGER AS a_to
             FROM ${py} WHERE age BETWEEN 18 AND 66
               AND rnd(kpy, ${s('aap')}) < ${AAP.incidencePerYear} * (CASE WHEN ${employedAt('age')} THEN 0.5 ELSE 2.0 END))
       UNION ALL
       SELECT pn, person_id, 'disability', disab_from, end_date, CASE WHEN rnd(pn, ${s('dis_g')}) < 0.8 THEN 100 ELSE 50 END
       FROM P WHERE ${inChunk} AND disab_from IS NOT NULL AND entry_date <= ${dataStart}
     ) ORDER BY pn, from_date, benefit`
  );
}

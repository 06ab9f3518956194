/**
 * Registry events of the planted depression episodes (table E2: one row per episode with its drawn
 * outcomes): the index and follow-up P76 consultations, talking-therapy (615) and long-consultation
 * (2cd) bills, antidepressant dispensings, sick-leave periods with benefit spells, and specialist
 * mental-health contacts after a referral. Everything after death or emigration is dropped.
 * Written as `part-episodes.parquet` beside the background parts.
 */
import { num } from './db.js';
import { copyTo, type GenerateContext } from './context.js';
import { ANTIDEPRESSANTS, COUNT_DRAW, DEPRESSION_ICD10, EPISODE_P76_MAX_DAYS } from './params.js';
import { sqlPick } from './random.js';
import { gpId, project } from './sqlparts.js';

const alive = (date: string) => `(censor_date IS NULL OR ${date} <= censor_date)`;

export async function writeEpisodeEvents(ctx: GenerateContext): Promise<void> {
  const { duck, s } = ctx;
  const nGp = ctx.geo.gps.length;
  const dataEnd = `DATE '${ctx.dataEnd}'`;
  const lastTalkDay = EPISODE_P76_MAX_DAYS - 5;

  // Bills: j = 0 index, 1-2 follow-ups, 3-14 talking therapy, 15-20 separate long consultations.
  await duck.run(`CREATE TABLE EB AS
    WITH x AS (
      SELECT E2.*,
        floor(rnd(ep_num, ${s('eb_nf')}) * 3)::INTEGER AS nf,
        least(${COUNT_DRAW.talk.cap}, 1 + rgeom(ep_num, ${s('eb_nt')}, ${num(COUNT_DRAW.talk.extra)})) AS n_talk,
        least(${COUNT_DRAW.long.cap}, 1 + rgeom(ep_num, ${s('eb_nl')}, ${num(COUNT_DRAW.long.extra)})) AS n_long,
        long AND rnd(ep_num, ${s('eb_lci')}) < 0.5 AS long_on_index,
        floor(rnd(ep_num, ${s('eb_t0')}) * 45)::INTEGER AS talk_first,
        14 + floor(rnd(ep_num, ${s('eb_tsp')}) * 21)::INTEGER AS talk_space
      FROM E2
    ), j AS (
      SELECT x.*, r.j, CASE WHEN r.j = 0 THEN 'index' WHEN r.j <= 2 THEN 'follow' WHEN r.j <= 14 THEN 'talk' ELSE 'long' END AS kind
      FROM x, range(21) r(j)
      WHERE r.j = 0 OR (r.j <= 2 AND r.j <= nf) OR (r.j BETWEEN 3 AND 14 AND talk AND r.j - 3 < n_talk)
         OR (r.j >= 15 AND long AND r.j - 15 < n_long - long_on_index::INTEGER)
    ), d AS (
      SELECT j.*, ep_num * 256 + 200 + j AS bill_num,
        index_date + (CASE kind WHEN 'index' THEN 0
          WHEN 'follow' THEN 7 + floor(rnd(ep_num * 32 + j, ${s('eb_fo')}) * 170)::INTEGER
          WHEN 'talk' THEN talk_first + (j - 3) * least(talk_space, (${lastTalkDay} - talk_first) // n_talk)
          ELSE 14 + floor(rnd(ep_num * 32 + j, ${s('eb_lo')}) * 250)::INTEGER END)::INTEGER AS bill_date
      FROM j
    )
    SELECT d.*, bill_date::TIMESTAMP + to_minutes((480 + floor(rnd(bill_num, ${s('eb_tm')}) * 540))::BIGINT) AS contact_time
    FROM d WHERE ${alive('bill_date')}
    ORDER BY bill_num`);

  await copyTo(
    ctx,
    'kuhr_bills',
    'episodes',
    `SELECT ${project('kuhr_bills', {
      bill_id: 'bill_num',
      person_id: 'person_id',
      gp_id: 'gp_id',
      practice_type: `CASE WHEN gp_employment = 'salaried' THEN 'FALO' ELSE 'FALE' END`,
      contact_time: 'contact_time',
      contact_type: '1',
    })} FROM EB ORDER BY bill_num`
  );
  await copyTo(
    ctx,
    'kuhr_diagnoses',
    'episodes',
    `SELECT ${project('kuhr_diagnoses', { bill_id: 'bill_num', code_system: `'ICPC-2'`, code: 'code', is_main: 'is_main' })}
     FROM (SELECT bill_num, 'P76' AS code, true AS is_main FROM EB
           UNION ALL SELECT bill_num, 'P06', false FROM EB WHERE kind = 'index' AND rnd(bill_num, ${s('eb_dx2')}) < 0.1)
     ORDER BY bill_num, is_main DESC`
  );
  await copyTo(
    ctx,
    'kuhr_tariffs',
    'episodes',
    `SELECT ${project('kuhr_tariffs', { bill_id: 'bill_num', tariff_code: 'code', count: '1' })}
     FROM (SELECT bill_num, 1 AS o, '2ad' AS code FROM EB
           UNION ALL SELECT bill_num, 2, '2cd' FROM EB WHERE kind = 'long' OR (kind = 'index' AND long_on_index)
           UNION ALL SELECT bill_num, 3, '615' FROM EB WHERE kind = 'talk')
     ORDER BY bill_num, o`
  );

  // Earlier depression contacts of recurrent episodes (recurrence.ts): one simple contact (type 3)
  // with P76, prior_p76_days before the index, billed by the episode's GP. Bill number 199 of the
  // person-year is never used by the background (at most 199 bills, numbers 0-198) nor by the
  // episode (200-220).
  const prior = `(SELECT ep_num * 256 + 199 AS bill_num, person_id, gp_id, gp_employment,
      (index_date - prior_p76_days)::TIMESTAMP + to_minutes((480 + floor(rnd(ep_num, ${s('rec_tm')}) * 540))::BIGINT) AS contact_time
    FROM E2 WHERE prior_p76_days IS NOT NULL)`;
  await copyTo(
    ctx,
    'kuhr_bills',
    'episodes-prior',
    `SELECT ${project('kuhr_bills', {
      bill_id: 'bill_num',
      person_id: 'person_id',
      gp_id: 'gp_id',
      practice_type: `CASE WHEN gp_employment = 'salaried' THEN 'FALO' ELSE 'FALE' END`,
      contact_time: 'contact_time',
      contact_type: '3',
    })} FROM ${prior} ORDER BY bill_num`
  );
  await copyTo(
    ctx,
    'kuhr_diagnoses',
    'episodes-prior',
    `SELECT ${project('kuhr_diagnoses', { bill_id: 'bill_num', code_system: `'ICPC-2'`, code: `'P76'`, is_main: 'true' })}
     FROM ${prior} ORDER BY bill_num`
  );
  await copyTo(
    ctx,
    'kuhr_tariffs',
    'episodes-prior',
    `SELECT ${project('kuhr_tariffs', { bill_id: 'bill_num', tariff_code: `'1bd'`, count: '1' })}
     FROM ${prior} ORDER BY bill_num`
  );

  // Antidepressants: first dispensing soon after the index, then every ~1-3 months within 350 days.
  const atcU = `u_atc`;
  await copyTo(
    ctx,
    'norpd_dispensings',
    'episodes',
    `WITH x AS (
       SELECT E2.*, least(${COUNT_DRAW.ad.cap}, 1 + rgeom(ep_num, ${s('ad_n')}, ${num(COUNT_DRAW.ad.extra)})) AS n_ad,
         least(120, floor(-ln(rnd(ep_num, ${s('ad_first')})) * 20))::INTEGER AS first,
         rnd(ep_num, ${s('ad_atc')}) AS ${atcU}
       FROM E2 WHERE ad
     ), y AS (
       SELECT x.*, r.k, ${sqlPick(
         atcU,
         ANTIDEPRESSANTS.map((a) => [a.atc, a.share] as const)
       )} AS atc,
         1 + (rnd(ep_num * 16 + r.k, ${s('ad_pack')}) < 0.2)::INTEGER AS packages,
         index_date + (first + r.k * least(90, (350 - first) // n_ad))::INTEGER AS dispensed_date,
         CASE WHEN rnd(ep_num * 16 + r.k, ${s('ad_presc')}) < 0.9 THEN gp_id ELSE ${gpId(`floor(rnd(ep_num * 16 + r.k, ${s('ad_other')}) * ${nGp})::BIGINT`)} END AS prescriber_id
       FROM x, range(${COUNT_DRAW.ad.cap}) r(k) WHERE r.k < n_ad
     )
     SELECT ${project('norpd_dispensings', {
       person_id: 'person_id',
       prescriber_id: 'prescriber_id',
       dispensed_date: 'dispensed_date',
       atc: 'atc',
       packages: 'packages',
       ddd: `packages * (CASE atc ${ANTIDEPRESSANTS.map((a) => `WHEN '${a.atc}' THEN ${num(a.dddPerPack)}`).join(' ')} END)`,
     })} FROM y WHERE ${alive('dispensed_date')} ORDER BY ep_num, k`
  );

  // Sick leave: consecutive periods from (about) the index date, at most 12 months (sickness benefit limit).
  await duck.run(`CREATE TABLE ESL AS
    WITH x AS (
      SELECT E2.*, least(${COUNT_DRAW.sick.cap}, 1 + rgeom(ep_num, ${s('sl_n')}, ${num(COUNT_DRAW.sick.extra)})) AS n_sick,
        index_date + CASE WHEN rnd(ep_num, ${s('sl_s0a')}) < 0.7 THEN 0 ELSE floor(rnd(ep_num, ${s('sl_s0b')}) * 30)::INTEGER END AS s0
      FROM E2 WHERE sick
    ), p AS (
      SELECT x.*, r.k,
        (CASE WHEN r.k = 0 THEN 7 ELSE 14 END + floor(rnd(ep_num * 32 + r.k, ${s('sl_len')}) * 15))::INTEGER AS len,
        CASE WHEN r.k = 0 OR rnd(ep_num * 32 + r.k, ${s('sl_g')}) < 0.6 THEN 100
             ELSE ${sqlPick(`rnd(ep_num * 32 + r.k, ${s('sl_g2')})`, [
               ['50', 5],
               ['60', 2],
               ['40', 1],
               ['20', 2],
             ])}::INTEGER END AS grade,
        CASE WHEN rnd(ep_num * 32 + r.k, ${s('sl_iss')}) < 0.9 THEN gp_id ELSE ${gpId(`floor(rnd(ep_num * 32 + r.k, ${s('sl_other')}) * ${nGp})::BIGINT`)} END AS issuer_id
      FROM x, range(${COUNT_DRAW.sick.cap}) r(k) WHERE r.k < n_sick
    ), q AS (
      SELECT p.*, s0 + coalesce(sum(len) OVER (PARTITION BY ep_num ORDER BY k ROWS BETWEEN UNBOUNDED PRECEDING AND 1 PRECEDING), 0)::INTEGER AS from_date
      FROM p
    )
    SELECT ep_num, k, person_id, issuer_id, s0, censor_date, from_date,
      least(from_date + len - 1, s0 + 364, coalesce(censor_date, ${dataEnd}), ${dataEnd}) AS to_date, grade
    FROM q WHERE from_date <= s0 + 364 AND from_date <= ${dataEnd} AND ${alive('from_date')}
    ORDER BY ep_num, k`);
  await copyTo(
    ctx,
    'sick_leave_periods',
    'episodes',
    `SELECT ${project('sick_leave_periods', {
      cert_id: `'SE' || (ep_num * 32 + k)::VARCHAR`,
      person_id: 'person_id',
      issuer_id: 'issuer_id',
      diagnosis_system: `'ICPC-2'`,
      diagnosis: `'P76'`,
      from_date: 'from_date',
      to_date: 'to_date',
      grade: 'grade',
    })} FROM ESL ORDER BY ep_num, k`
  );
  // Benefits: sickness benefit after the 16-day employer period; AAP after an exhausted year; disability after AAP.
  await copyTo(
    ctx,
    'benefit_spells',
    'episodes',
    `WITH sp AS (
       SELECT ep_num, any_value(person_id) AS person_id, any_value(s0) AS s0, any_value(censor_date) AS censor_date, max(to_date) AS last_to
       FROM ESL GROUP BY ep_num
     ), aap AS (
       SELECT sp.*, last_to + 1 AS aap_from,
         last_to + 1 + 180 + floor(rnd(ep_num, ${s('aap_len')}) * 900)::INTEGER AS aap_to0
       FROM sp WHERE last_to >= s0 + 363 AND rnd(ep_num, ${s('aap')}) < 0.5 AND last_to + 1 <= ${dataEnd} AND ${alive('last_to + 1')}
     ), aap2 AS (
       SELECT aap.*, CASE WHEN aap_to0 > least(${dataEnd}, coalesce(censor_date, ${dataEnd})) THEN (CASE WHEN censor_date IS NOT NULL THEN censor_date END) ELSE aap_to0 END AS aap_to
       FROM aap
     ), spells AS (
       SELECT ep_num, 1 AS o, person_id, 'sickness_benefit' AS benefit, s0 + 16 AS from_date, last_to AS to_date, 100 AS grade
       FROM sp WHERE last_to - s0 + 1 > 16
       UNION ALL SELECT ep_num, 2, person_id, 'aap', aap_from, aap_to, 100 FROM aap2
       UNION ALL SELECT ep_num, 3, person_id, 'disability', aap_to + 1, censor_date, CASE WHEN rnd(ep_num, ${s('dis_g')}) < 0.7 THEN 100 ELSE 50 END
       FROM aap2 WHERE aap_to IS NOT NULL AND aap_to + 1 <= ${dataEnd} AND ${alive('aap_to + 1')} AND rnd(ep_num, ${s('dis')}) < 0.3
     )
     SELECT ${project('benefit_spells', { person_id: 'person_id', benefit: 'benefit', from_date: 'from_date', to_date: 'to_date', grade: 'grade' })}
     FROM spells ORDER BY ep_num, o`
  );

  // Referral to specialist mental health care: NPR contacts after a referral date within the window.
  await copyTo(
    ctx,
    'npr_contacts',
    'episodes',
    `WITH x AS (
       SELECT E2.*, index_date + 7 + floor(rnd(ep_num, ${s('ref_d')}) * 200)::INTEGER AS referral_date,
         least(${COUNT_DRAW.referralContacts.cap}, 1 + rgeom(ep_num, ${s('ref_n')}, ${num(COUNT_DRAW.referralContacts.extra)})) AS n_c,
         14 + floor(rnd(ep_num, ${s('ref_w')}) * 76)::INTEGER AS wait,
         7 + floor(rnd(ep_num, ${s('ref_s')}) * 21)::INTEGER AS space,
         CASE WHEN rnd(ep_num, ${s('ref_sec')}) < 0.88 THEN 'VOP' ELSE 'AVTSPES' END AS sector,
         rnd(ep_num, ${s('ref_icd')}) AS u_icd
       FROM E2 WHERE referral
     ), y AS (
       SELECT x.*, r.k, referral_date + (wait + r.k * space)::INTEGER AS start_date, rnd(ep_num * 64 + r.k, ${s('ref_cl')}) AS u_cl,
         ${sqlPick('u_icd', DEPRESSION_ICD10)} AS icd
       FROM x, range(${COUNT_DRAW.referralContacts.cap}) r(k) WHERE r.k < n_c
     )
     SELECT ${project('npr_contacts', {
       person_id: 'person_id',
       sector: 'sector',
       care_level: `CASE WHEN sector = 'VOP' AND u_cl < 0.02 THEN 'inpatient' WHEN sector = 'VOP' AND u_cl < 0.04 THEN 'day' ELSE 'outpatient' END`,
       start_date: 'start_date',
       end_date: `CASE WHEN sector = 'VOP' AND u_cl < 0.02 THEN least(start_date + 3 + floor(u_cl * 1000)::INTEGER, ${dataEnd}) WHEN sector = 'VOP' AND u_cl < 0.04 THEN start_date END`,
       main_icd10: 'icd',
       referral_date: 'referral_date',
     })} FROM y WHERE start_date <= ${dataEnd} AND referral_date <= ${dataEnd} AND ${alive('referral_date')} AND ${alive('start_date')}
     ORDER BY ep_num, k`
  );
}
